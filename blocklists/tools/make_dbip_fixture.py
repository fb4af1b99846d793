#!/usr/bin/env python3
"""Write small test databases in the layout of npm @ip-location-db/dbip-{city,country}-mmdb.

The real files (checked against dbip-city-mmdb 2.3.2026060513 and dbip-country-mmdb
2.3.2026060120) are flat: one map per network with the keys, in this order,

    city, country_code, latitude, longitude, postcode, state1, state2, timezone

(strings, empty when unknown; latitude/longitude are MaxMind DB type 15, float32), or just
`country_code` for the country files. Metadata: database_type "city ipv4" / "city ipv6" /
"country ipvAll", no languages, empty description; IPv4 and IPv6 city data are separate files
(the ipv6 file has no IPv4 subtree). The real city files use 28-bit records because they are
large; these tiny files get 24-bit records (the reader handles both).

Usage: make_dbip_fixture.py --out-dir DIR
writes DIR/dbip-city-ipv4.mmdb, DIR/dbip-city-ipv6.mmdb, DIR/dbip-country.mmdb.
The records are made up for tests (mostly documentation ranges), not DB-IP data.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, str(Path(__file__).resolve().parent))
from build_asn_mmdb import ensure_mmdb_writer  # noqa: E402

# network -> (country_code, city, state1, latitude, longitude)
CITY_V4 = {
    "203.0.113.0/24": ("AU", "Sydney", "New South Wales", -33.8688, 151.209),
    "198.51.100.0/24": ("DE", "Berlin", "Land Berlin", 52.5244, 13.4105),
    # A record without a city, as DB-IP has for some networks.
    "192.0.2.128/25": ("FR", "", "", 48.8582, 2.3387),
    "81.2.69.0/24": ("GB", "London", "England", 51.5143, -0.0912244),
}
CITY_V6 = {
    "2001:db8::/32": ("JP", "Tokyo", "Tokyo", 35.6895, 139.692),
    "2606:4700::/32": ("CA", "Montreal", "Quebec", 45.5019, -73.5674),
}
# One v4+v6 file, like dbip-country.mmdb ("country ipvAll").
COUNTRY = {
    "192.0.2.0/24": "FR",
    "203.0.113.0/24": "AU",
    "8.8.8.0/24": "US",
    "2001:db8::/32": "JP",
    "2a00:1450::/32": "IE",
}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out-dir", required=True, type=Path)
    args = ap.parse_args()
    ensure_mmdb_writer()
    from mmdb_writer import MMDBWriter, MmdbF32
    from netaddr import IPSet

    def city_record(cc, city, state1, lat, lon):
        return {
            "city": city,
            "country_code": cc,
            "latitude": MmdbF32(lat),
            "longitude": MmdbF32(lon),
            "postcode": "",
            "state1": state1,
            "state2": "",
            "timezone": "",
        }

    def write(writer, name):
        args.out_dir.mkdir(parents=True, exist_ok=True)
        out = args.out_dir / name
        tmp = out.with_name(name + ".tmp")
        writer.to_db_file(str(tmp))
        os.replace(tmp, out)
        print(f"wrote {out} ({out.stat().st_size} bytes)", file=sys.stderr)

    for version, table, name in ((4, CITY_V4, "dbip-city-ipv4.mmdb"),
                                 (6, CITY_V6, "dbip-city-ipv6.mmdb")):
        w = MMDBWriter(ip_version=version, database_type=f"city ipv{version}", description={})
        for net, rec in table.items():
            w.insert_network(IPSet([net]), city_record(*rec))
        write(w, name)

    w = MMDBWriter(ip_version=6, ipv4_compatible=True, database_type="country ipvAll",
                   description={})
    for net, cc in COUNTRY.items():
        w.insert_network(IPSet([net]), {"country_code": cc})
    write(w, "dbip-country.mmdb")


if __name__ == "__main__":
    main()
