#!/usr/bin/env bash
# Fuzzes the parsers of outside input (appliance/fuzz: the DNS client-query and upstream-answer
# parsers, conntrack netlink messages, dnsmasq's lease file, the settings file), each target for
# SECONDS (default 600), and prints libFuzzer's figures. Installs what it
# needs: a minimal nightly toolchain and cargo-fuzz. A finding fails the run and is kept in
# appliance/fuzz/artifacts/<target>/; the corpus grows in appliance/fuzz/corpus/<target>/
# (neither is committed; the seeds in appliance/fuzz/seeds/ are).
# Usage: scripts/fuzz.sh [SECONDS] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/../appliance/fuzz"
secs=${1:-600}
shift || true

rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal
command -v cargo-fuzz >/dev/null 2>&1 || cargo install cargo-fuzz --locked

targets=("$@")
if ((${#targets[@]} == 0)); then
  mapfile -t targets < <(cargo +nightly fuzz list)
fi
# No sanitizer: the code under test is safe Rust (bounds are checked anyway), so AddressSanitizer
# would only slow it down; debug assertions (overflow checks) stay on.
flags=(-s none)
cargo +nightly fuzz build "${flags[@]}"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
for t in "${targets[@]}"; do
  # Upstream answers may be up to 64 KiB (over TCP); queries over 4 KiB are refused at once.
  # A netlink datagram of conntrack messages is a few KiB (the reader's buffer is larger, but
  # longer inputs only repeat messages); settings and lease files are small text files.
  case $t in
    parse_upstream) max_len=65535 ;;
    settings_file) max_len=16384 ;;
    conntrack_message | lease_file) max_len=8192 ;;
    *) max_len=4200 ;;
  esac
  mkdir -p "corpus/$t"
  echo "fuzz: $t for ${secs}s"
  status=0
  cargo +nightly fuzz run "${flags[@]}" "$t" "corpus/$t" "seeds/$t" -- \
    -max_total_time="$secs" -max_len="$max_len" -timeout=10 -print_final_stats=1 \
    >"$log" 2>&1 || status=$?
  grep -E '^stat::(number_of_executed_units|average_exec_per_sec|new_units_added|peak_rss_mb)|^INFO: seed corpus|^#[0-9]+[[:space:]]+DONE' "$log" || true
  if ((status != 0)); then
    tail -n 40 "$log" >&2
    echo "fuzz: $t failed; the input is in appliance/fuzz/artifacts/$t/" >&2
    exit 1
  fi
done
