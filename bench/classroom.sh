#!/bin/sh
# A classroom on the lab (issue 16): DEVICES devices browsing (a look-up and a short
# connection each second) and VIEWERS phones on the live views (the page, then the event
# stream with the view's pushed rows). Prints the daemon's CPU with no viewer, with the
# viewers, and (LEGACY=1) with viewers speaking the protocol before issue 16 (re-reading
# /api/v1/paths after flow events); the time from a new connection to every viewer having it
# (p50/p95); bytes per viewer per minute; peak RSS; the machine's load. Needs root (the lab's
# namespaces) and what the lab needs (nsd: scripts/install-deps.sh). The figures are recorded
# in docs/BENCHMARKS.md.
#   bench/classroom.sh                        30 devices, 60 viewers, 60 s per phase
#   DEVICES=10 VIEWERS=20 SECONDS=30 LEGACY=0 bench/classroom.sh
#   PRIVACY=1 LEGACY=0 bench/classroom.sh     with web.privacy_mode (a view per device)
#   FOLD=0 bench/classroom.sh                 the views' streams without fold=bytes
set -eu
cd "$(dirname "$0")/.."
exec nice -n 19 cargo bench -p whereflow --bench classroom
