#!/usr/bin/env bash
# Installs what whereflow's build, tests and benchmarks need on a fresh Debian machine.
# Idempotent; needs root (apt-get). Used by scripts/test.sh and so by .ci/run.
set -euo pipefail

PACKAGES=(
  iproute2   # ip netns, veth, bridge: the test lab
  nftables   # NAT in the lab's router
  nsd        # authoritative DNS in the lab's "internet"
  dnsmasq-base  # benchmark comparison (DHCP later)
  unbound    # benchmark comparison
  dnsperf    # DNS benchmark driver
  conntrack  # debugging aid for the lab (conntrack -L)
  procps     # sysctl, ps
  shellcheck # lint for the project's shell scripts
)

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
