#!/bin/sh
# IPFIX export cost (issue 18): CPU per flow in the correlator with export off and on (a UDP
# collector attached), and the records/s the exporter sends. Prints the figures recorded in
# docs/BENCHMARKS.md. Needs python3 (the collector process).
set -eu
cd "$(dirname "$0")/.."
exec nice -n 19 cargo bench -p whereflow --bench export
