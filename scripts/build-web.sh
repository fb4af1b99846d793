#!/usr/bin/env bash
# Builds the front end (web-templates/) from its lockfile into web-templates/dist/, which
# appliance/build.rs embeds into the binary. Needs Node 18+ and npm, and the npm registry the
# first time (npm ci). `cargo build` runs this by itself when dist/ is missing or older than
# the sources and npm is installed.
#   scripts/build-web.sh          npm ci + npm run build
#   scripts/build-web.sh --test   also the front end's unit tests (npm test)
set -euo pipefail
cd "$(dirname "$0")/../web-templates"

if ! command -v npm >/dev/null 2>&1; then
  echo "build-web: npm is not installed (Node 18+ with npm is needed to build the web views)" >&2
  exit 1
fi

# One build at a time (cargo may start this while someone runs it by hand).
exec 9>.build.lock
flock 9

# npm ci reinstalls node_modules from package-lock.json; skipped when the last install was
# from this very lockfile.
if ! cmp -s package-lock.json node_modules/.whereflow-installed-lock 2>/dev/null; then
  npm ci --no-audit --no-fund --loglevel=error
  cp package-lock.json node_modules/.whereflow-installed-lock
fi
npm run --silent build
if [[ ${1:-} == --test ]]; then
  npm test
fi
