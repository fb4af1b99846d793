#!/usr/bin/env bash
# Fetches and builds the geo/AS test databases into target/test-data/ (nothing here is committed):
#   maxmind/  MaxMind's official test databases (GeoIP2-City-Test.mmdb, GeoLite2-ASN-Test.mmdb,
#             the broken ones, ...) from the PyPI `maxminddb` source archive, tests/data/test-data/
#   dbip/     small files in the npm @ip-location-db/dbip-*-mmdb layout (made-up records)
#   asn/      a small AS database built by blocklists/tools/build_asn_mmdb.py from the committed
#             sample blocklists/tools/fixtures/asn-sample/*.csv
# Idempotent: each part is skipped when it is already there. Works as root (CI) or as a user;
# Python packages go into target/py-mmdb (pip --target), never system-wide.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
OUT=$ROOT/target/test-data
PY=${PYTHON:-python3}

# The PyPI sdist of the MaxMind DB Python reader; its tests/data/test-data holds the MaxMind
# test databases (MIT/Apache-2.0, github.com/maxmind/MaxMind-DB).
MAXMINDDB_VERSION=3.2.0
MAXMINDDB_SHA256=d28e0073fd1dd637c8b95947bc864b5625eca9f8f2db1538145e33b2a1cd4b92

maxmind_dir=$OUT/maxmind
stamp=$maxmind_dir/.from-maxminddb-$MAXMINDDB_VERSION
if [[ -f $stamp ]]; then
  echo "fetch-test-data: MaxMind test databases already in $maxmind_dir"
else
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  echo "maxminddb==$MAXMINDDB_VERSION --hash=sha256:$MAXMINDDB_SHA256" >"$tmp/req.txt"
  # --no-binary :all: gives the source archive (the wheels carry no test data); the hash pins it.
  "$PY" -m pip download --quiet --disable-pip-version-check --no-binary :all: --no-deps \
    --require-hashes -r "$tmp/req.txt" -d "$tmp"
  sdist=$tmp/maxminddb-$MAXMINDDB_VERSION.tar.gz
  rm -rf "$maxmind_dir"
  mkdir -p "$maxmind_dir"
  tar -xzf "$sdist" -C "$maxmind_dir" --strip-components=4 --wildcards \
    "maxminddb-$MAXMINDDB_VERSION/tests/data/test-data/*.mmdb"
  n=$(find "$maxmind_dir" -name '*.mmdb' | wc -l)
  if [[ ! -f $maxmind_dir/GeoIP2-City-Test.mmdb || $n -lt 10 ]]; then
    echo "fetch-test-data: $sdist did not contain the expected test databases" >&2
    exit 1
  fi
  touch "$stamp"
  echo "fetch-test-data: $n MaxMind test databases in $maxmind_dir"
fi

# Rebuild a generated part when it is missing or older than what it is made from.
stale() { # stale OUTPUT INPUT...
  local out=$1 in
  shift
  [[ -f $out ]] || return 0
  for in in "$@"; do [[ $in -nt $out ]] && return 0; done
  return 1
}

tools=$ROOT/blocklists/tools
if stale "$OUT/dbip/dbip-country.mmdb" "$tools/make_dbip_fixture.py"; then
  "$PY" "$tools/make_dbip_fixture.py" --out-dir "$OUT/dbip"
fi
echo "fetch-test-data: DB-IP-layout fixtures in $OUT/dbip"

sample=$tools/fixtures/asn-sample
if stale "$OUT/asn/asn-sample.mmdb" "$tools/build_asn_mmdb.py" "$sample/asn-ipv4.csv" \
  "$sample/asn-ipv6.csv"; then
  "$PY" "$tools/build_asn_mmdb.py" --out "$OUT/asn/asn-sample.mmdb" \
    --csv "$sample/asn-ipv4.csv" --csv "$sample/asn-ipv6.csv"
fi
echo "fetch-test-data: AS sample database $OUT/asn/asn-sample.mmdb"
