#!/usr/bin/env bash
# The whole test suite: what the README tells a newcomer to run and what CI runs.
# Run as root: the lab tests build network namespaces and read the kernel's conntrack.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
scripts/fetch-test-data.sh   # MaxMind test databases (PyPI) and small fixtures, under target/
scripts/build-web.sh --test  # the web views from their lockfile (npm), and their unit tests

cargo fmt --all -- --check
shellcheck scripts/*.sh bench/dns/run.sh bench/dns/ports.sh bench/dns/genreport.sh .ci/run \
  image/build.sh image/check-buildroot.sh \
  buildroot-external/board/common/post-build.sh buildroot-external/board/common/post-image.sh \
  image/vm-test/*.sh
# The appliance's init scripts (BusyBox ash) and the WiFi system test's guest scripts.
shellcheck -x -P SCRIPTDIR -s sh buildroot-external/board/common/rootfs-overlay/etc/init.d/S* \
  buildroot-external/board/common/rootfs-overlay/usr/libexec/whereflow/* \
  image/vm-test/guest/etc/init.d/* image/vm-test/guest/usr/libexec/vm-test/* \
  image/vm-test/initramfs-init
cargo clippy --workspace --all-targets --locked -- -D warnings
cargo test --workspace --locked
# The parsers of outside input (DNS wire, conntrack messages, lease file, settings file),
# fuzzed briefly (appliance/fuzz). The first run installs a minimal nightly toolchain and
# cargo-fuzz and builds the targets, whereflow instrumented included: ~10 min on a 2-core
# machine; later runs rebuild only what changed.
scripts/fuzz.sh 25
# The WiFi system test: the appliance's image in a QEMU guest, booted with good and with bad
# settings, WPA3 only, a WiFi uplink (the uplink boot ~100 s) and a class of 30 clients
# joining at once (~250 s); plus a release build.
image/vm-test/run.sh
# On the Pi's CPU: the aarch64 release build (its size printed) and the library's unit tests
# under qemu-aarch64 user emulation (docs/BENCHMARKS.md has the times).
scripts/cross-build.sh --test
# The WiFi system test on QEMU's Raspberry Pi 3 (raspi3b) with that binary, the root file
# system on the emulated SD card (3–6 min for both boots on a busy 2-core machine).
image/vm-test/run.sh arm64
