#!/usr/bin/env bash
# Installs what whereflow's build, tests and benchmarks need on a fresh Debian machine.
# Idempotent; needs root (apt-get). Used by scripts/test.sh and so by .ci/run.
set -euo pipefail

PACKAGES=(
  iproute2   # ip netns, veth, bridge: the test lab
  nftables   # NAT in the lab's router
  nsd        # authoritative DNS in the lab's "internet"
  dnsmasq-base  # benchmark comparison; DHCP server in the devices lab test
  busybox    # udhcpc (DHCP client) and ping in the devices lab test
  unbound    # benchmark comparison; DNS-over-TLS/HTTPS test server (built with nghttp2)
  dnsperf    # DNS benchmark driver
  conntrack  # debugging aid for the lab (conntrack -L)
  procps     # sysctl, ps
  shellcheck # lint for the project's shell scripts
  chromium        # the browser test of the web views (headless)
  chromium-driver # WebDriver for it
  qemu-system-x86 # the WiFi system test's guest (image/vm-test, TCG)
  cpio       # its initramfs
  dosfstools # its boot partition (FAT)
  mtools     # the settings file onto that FAT image
  e2fsprogs  # its data partition (ext4)
  kmod       # depmod for its kernel modules
  binutils   # readelf: the libraries its programs need
  jq         # checking the JSON it returns
  bind9-dnsutils # dig and delv: DNSSEC validated through the forwarder in the tests
  ldnsutils  # ldns-keygen, ldns-signzone: the signed zone of those tests
  tcpdump    # the source ports of upstream queries, counted in the lab
  openssl    # the DNS benchmark's test CA (nsd's DNS-over-TLS port)
  libssl-dev # bench/dns/genreport.sh builds ISC's genreport (-lcrypto)
  gcc-aarch64-linux-gnu  # scripts/cross-build.sh: the aarch64 linker and C compiler (ring, SQLite)
  libc6-dev-arm64-cross  # its libc; also the library root of the aarch64 tests under qemu-aarch64
  qemu-user       # qemu-aarch64: the aarch64 unit tests (.cargo/config.toml's runner)
  qemu-system-arm # qemu-system-aarch64 -M raspi3b: the WiFi system test on an emulated Pi 3
  fdisk           # sfdisk: that test's SD card partitions
  device-tree-compiler # fdtput: that test's board device tree (Bluetooth off the PL011 UART)
  prometheus # scrapes GET /metrics in tests/lab_metrics.rs
  pmacct     # nfacctd: the IPFIX collector of tests/lab_ipfix.rs
  tshark     # decodes the IPFIX-over-TCP stream in tests/lab_ipfix.rs (nfacctd takes UDP only)
)
# The web views are built with npm (scripts/build-web.sh, run by cargo build). Any Node 18+
# will do: Debian's only when none is installed (a nodesource nodejs would conflict).
if ! command -v npm >/dev/null 2>&1; then
  PACKAGES+=(nodejs npm)
fi

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  if [[ $(id -u) -ne 0 ]]; then
    echo "install-deps: need root to install: ${missing[*]}" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # Debian starts services after install where it can; the tests start their own instances.
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Toolchain components the checks use.
rustup component list --installed 2>/dev/null | grep -q '^clippy' || rustup component add clippy rustfmt
rustup target list --installed 2>/dev/null | grep -qx aarch64-unknown-linux-gnu ||
  rustup target add aarch64-unknown-linux-gnu
