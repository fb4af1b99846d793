#!/usr/bin/env bash
# The whole test suite: what the README tells a newcomer to run and what CI runs.
# Run as root: the lab tests build network namespaces and read the kernel's conntrack.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
scripts/fetch-test-data.sh   # MaxMind test databases (PyPI) and small fixtures, under target/

cargo fmt --all -- --check
shellcheck scripts/*.sh bench/dns/run.sh .ci/run
cargo clippy --workspace --all-targets --locked -- -D warnings
cargo test --workspace --locked
