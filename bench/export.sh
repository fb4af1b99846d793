#!/bin/sh
# IPFIX export cost (issue 18): CPU per flow with export off and on (a UDP collector
# attached), in the correlator alone and in the whole daemon on the namespace lab (root
# only), and the records/s the exporter sends. Prints the figures recorded in
# docs/BENCHMARKS.md. Needs python3 (the collector process).
#   WF_EXPORT_ROUNDS=N   off/on pairs of the correlator part (11)
#   WF_EXPORT_DAEMON_PAIRS=N  off/on pairs of the whole-daemon part (5; ~25 s each)
#   WF_BENCH_CPUS=LIST   run the measurement under `taskset -c LIST` (e.g. 1 on a shared
#                        machine: the bench, its collector and the daemon share that CPU)
set -eu
cd "$(dirname "$0")/.."
nice -n 19 cargo bench -p whereflow --bench export --no-run
if [ -n "${WF_BENCH_CPUS:-}" ]; then
    exec nice -n 19 taskset -c "$WF_BENCH_CPUS" cargo bench -p whereflow --bench export
fi
exec nice -n 19 cargo bench -p whereflow --bench export
