#!/usr/bin/env python3
"""Write blocklists/generated/oui.tsv: MAC address prefix (OUI) -> short vendor name.

    build_oui.py [--csv PATH] [--version V] [--out PATH]

Reads the IEEE MA-L registry (24-bit prefixes) as Debian's package `ieee-data` ships it,
`/usr/share/ieee-data/oui.csv` (columns Registry, Assignment, Organization Name, Organization
Address). `blocklists/refresh` downloads that package with `apt-get download` and runs this with
--csv pointing into the unpacked .deb; by hand, `apt-get install ieee-data` and run it without
arguments. Python 3.11+, stdlib only.

Output: one line per prefix, sorted, `AABBCC<TAB>Vendor`, after a few `#` comment lines:
- the organization name is shortened for people ("HUAWEI TECHNOLOGIES CO.,LTD" -> "Huawei",
  "Apple, Inc." -> "Apple"): legal forms and generic trailing words dropped, shouting words
  title-cased, a few big brands named as people know them (ALIASES), at most 32 characters;
- blocks the IEEE holds for its smaller MA-M/MA-S registries ("IEEE Registration Authority")
  and "Private" blocks are left out: their vendor cannot be told from 24 bits.

The IEEE does not assert copyright in the OUI listing (see blocklists/SOURCES.md).
"""

from __future__ import annotations

import argparse
import csv
import re
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_CSV = Path("/usr/share/ieee-data/oui.csv")
DEFAULT_OUT = HERE.parent / "generated" / "oui.tsv"
MAX_NAME = 32

# Exact organization names (case-insensitive, after whitespace is collapsed) -> the brand.
ALIASES = {
    "huawei technologies co.,ltd": "Huawei",
    "huawei device co., ltd.": "Huawei",
    "huawei symantec technologies co.,ltd.": "Huawei",
    "samsung electronics co.,ltd": "Samsung",
    "samsung electro-mechanics(thailand)": "Samsung",
    "samsung electro mechanics co., ltd.": "Samsung",
    "intel corporate": "Intel",
    "intel corporation": "Intel",
    "guangdong oppo mobile telecommunications corp.,ltd": "OPPO",
    "vivo mobile communication co., ltd.": "vivo",
    "xiaomi communications co ltd": "Xiaomi",
    "beijing xiaomi mobile software co., ltd": "Xiaomi",
    "beijing xiaomi electronics co., ltd.": "Xiaomi",
    "hon hai precision ind. co.,ltd.": "Foxconn",
    "tp-link technologies co.,ltd.": "TP-Link",
    "tp-link corporation limited": "TP-Link",
    "raspberry pi foundation": "Raspberry Pi",
    "raspberry pi trading ltd": "Raspberry Pi",
    "raspberry pi (trading) ltd": "Raspberry Pi",
    "zte corporation": "ZTE",
    "lg electronics (mobile communications)": "LG",
    "lg electronics": "LG",
    "lg innotek": "LG Innotek",
    "motorola mobility llc, a lenovo company": "Motorola",
    "aruba, a hewlett packard enterprise company": "Aruba",
    "hewlett packard": "HP",
    "hewlett packard enterprise": "HPE",
    "asustek computer inc.": "ASUS",
    "sony interactive entertainment inc.": "Sony PlayStation",
    "sony mobile communications inc": "Sony",
    "murata manufacturing co., ltd.": "Murata",
    "amazon technologies inc.": "Amazon",
    "microsoft corporation": "Microsoft",
    "microsoft": "Microsoft",
    "google, inc.": "Google",
    "nintendo co.,ltd": "Nintendo",
    "oneplus technology (shenzhen) co., ltd": "OnePlus",
    "oneplus tech (shenzhen) ltd": "OnePlus",
    "realme chongqing mobile telecommunications corp.,ltd.": "realme",
    "honor device co., ltd.": "Honor",
    "lenovo mobile communication technology ltd.": "Lenovo",
    "liteon technology corporation": "Lite-On",
    "azurewave technology inc.": "AzureWave",
    "cloud network technology singapore pte. ltd.": "Foxconn",
}

# Words that end a name but say nothing about the vendor, dropped from the end (repeatedly).
LEGAL = {
    "inc", "incorporated", "ltd", "ltda", "limited", "co", "company", "corp", "corporation",
    "corporate", "llc", "l.l.c", "plc", "gmbh", "ag", "kg", "sa", "s.a", "sas", "s.a.s", "srl",
    "s.r.l", "spa", "s.p.a", "bv", "b.v", "nv", "n.v", "ab", "as", "a/s", "oy", "oyj", "pty",
    "pte", "kk", "k.k", "sdn", "bhd", "sl", "s.l", "se", "gmbh & co", "co.,ltd", "co.ltd",
    "coltd", "technologies", "technology", "tech", "electronics", "communications",
    "communication", "international", "holdings", "group", "industries", "industrial",
    "manufacturing", "systems", "enterprises", "products", "mfg",
}
WORD_RE = re.compile(r"[\s,]+")


def collapse(s: str) -> str:
    return " ".join(s.split())


def shorten(org: str) -> str:
    name = collapse(org)
    alias = ALIASES.get(name.lower())
    if alias:
        return alias
    # Drop a parenthesised tail ("Foo (Shenzhen) Co., Ltd" -> "Foo Co., Ltd").
    name = collapse(re.sub(r"\([^)]*\)", " ", name)) or name
    words = [w for w in WORD_RE.split(name) if w]
    while len(words) > 1:
        last = words[-1].strip(".,;:").lower()
        if last in LEGAL or last.replace(".", "") in LEGAL or last in {"&", "and", "-"}:
            words.pop()
            continue
        # "Co.,Ltd" glued to the previous word: "ELECTRONICS CO.,LTD" splits as two words,
        # "Foo Co.,Ltd." as "Co." + "Ltd.", both handled above; "FooCo.,Ltd" is left alone.
        break
    out = []
    for w in words:
        letters = re.sub(r"[^A-Za-z]", "", w)
        # Shouting words become title case; short acronyms (LG, ZTE, NEC) and words with
        # digits or inner punctuation (TP-LINK, D-Link) stay as written.
        if len(letters) > 4 and letters.isupper() and letters == w:
            w = w.capitalize()
        out.append(w)
    short = " ".join(out).strip(" ,.-") or collapse(org)
    if len(short) > MAX_NAME:
        cut = short[:MAX_NAME]
        short = cut.rsplit(" ", 1)[0] if " " in cut else cut
        short = short.rstrip(" ,.-&")
    return short


def read_registry(path: Path) -> dict[int, str]:
    table: dict[int, str] = {}
    with path.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            if row.get("Registry") != "MA-L":
                continue
            prefix = (row.get("Assignment") or "").strip().upper()
            org = collapse(row.get("Organization Name") or "")
            if not re.fullmatch(r"[0-9A-F]{6}", prefix) or not org:
                print(f"  skipped malformed row: {row}", file=sys.stderr)
                continue
            if org.lower() in {"private", "ieee registration authority"}:
                continue
            table[int(prefix, 16)] = shorten(org)
    return table


def package_version() -> str:
    try:
        out = subprocess.run(
            ["dpkg-query", "-W", "-f=${Version}", "ieee-data"],
            check=True, capture_output=True, text=True,
        )
        return out.stdout.strip() or "unknown"
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def render(table: dict[int, str], version: str) -> str:
    lines = [
        "# MAC prefix (IEEE MA-L OUI, hex)\tshort vendor name -- GENERATED by blocklists/tools/build_oui.py; do not edit.",
        f"# From the IEEE MA-L registry as shipped in Debian ieee-data {version}. The IEEE does not",
        "# assert copyright in the OUI listing. Names shortened for people; IEEE-held and private blocks left out.",
    ]
    lines += [f"{p:06X}\t{name}" for p, name in sorted(table.items())]
    return "\n".join(lines) + "\n"


def build(csv_path: Path, out: Path, version: str) -> int:
    table = read_registry(csv_path)
    if len(table) < 1000:
        sys.exit(f"{csv_path}: only {len(table)} MA-L entries; is this the IEEE oui.csv?")
    text = render(table, version)
    if out.exists() and out.read_text(encoding="utf-8") == text:
        print(f"  unchanged: {out}", file=sys.stderr)
    else:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
        print(f"  wrote: {out} ({len(text.encode())} bytes, {len(table)} prefixes)", file=sys.stderr)
    return len(table)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--csv", type=Path, default=DEFAULT_CSV, help="IEEE oui.csv (default: %(default)s)")
    ap.add_argument("--version", help="ieee-data version to record (default: the installed package's)")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output (default: %(default)s)")
    args = ap.parse_args()
    if not args.csv.exists():
        sys.exit(f"{args.csv} not found: `apt-get install ieee-data`, or pass --csv")
    build(args.csv, args.out, args.version or package_version())


if __name__ == "__main__":
    main()
