#!/usr/bin/env bash
# ISC's DNS compliance report (genreport, from DNS-Compliance-Testing) in recursive mode,
# run against unbound and whereflow, both forwarding to one nsd serving a signed zone, all in a
# private network namespace. whereflow should report no problem that unbound does not.
#
# genreport is built from source: GENREPORT_SRC=/path/to/a/checkout, or a clone of the pinned
# commit below (a fork of ISC's repository) from GitHub. CI cannot reach GitHub, so the test
# suite runs appliance/tests/dns_compliance.rs, the same checks written anew, instead.
# Needs root, nsd, unbound, ldnsutils, gcc, libssl-dev and a release build.
# Usage: bench/dns/genreport.sh
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
REPO=https://github.com/damaestro/DNS-Compliance-Testing
PIN=2c47450c61bb919169b9d8949f3bffa88eebecca
W=$(mktemp -d /tmp/wfgenreport.XXXXXX)
mkdir -p "$W/data"
NS=wfgenreport-$$
cleanup() {
  for pid in $(ip netns pids "$NS" 2>/dev/null); do kill "$pid" 2>/dev/null || true; done
  sleep 0.3
  ip netns del "$NS" 2>/dev/null || true
  rm -rf "$W"
}
trap cleanup EXIT
[[ -x $ROOT/target/release/whereflow ]] || { echo "build first: cargo build --release" >&2; exit 1; }

src=${GENREPORT_SRC:-}
if [[ -z $src ]]; then
  src=$W/src
  git clone -q "$REPO" "$src"
  git -C "$src" checkout -q "$PIN"
fi
# No autotools needed: the few configure results genreport uses, for Linux.
mkdir -p "$W/build"
printf '#define HAVE_SYS_TYPES_H 1\n#define HAVE_NETINET_IN_H 1\n#define HAVE_ARPA_NAMESER_H 1\n#define HAVE_RESOLV_H 1\n' \
  >"$W/build/config.h"
gcc -O2 -w -I"$W/build" -o "$W/build/genreport" "$src/genreport.c" -lresolv -lcrypto
GENREPORT=$W/build/genreport

ip netns add "$NS"
ip netns exec "$NS" ip link set lo up
in_ns() { ip netns exec "$NS" "$@"; }
cat > "$W/example.test.zone" <<Z
\$ORIGIN example.test.
\$TTL 3600
@ IN SOA ns.example.test. hostmaster.example.test. 1 3600 600 86400 300
@ IN NS ns
ns IN A 192.0.2.53
www IN A 192.0.2.80
www IN AAAA 2001:db8::80
@ IN MX 10 mail
mail IN A 192.0.2.25
@ IN TXT "hello"
Z
(cd "$W" && key=$(ldns-keygen -a ECDSAP256SHA256 -k example.test) && ldns-signzone example.test.zone "$key")
cat > "$W/nsd.conf" <<C
server:
  ip-address: 127.0.0.1@5300
  username: ""
  chroot: ""
  zonesdir: "$W"
  database: ""
  pidfile: "$W/nsd.pid"
  xfrdfile: "$W/xfrd.state"
  xfrdir: "$W"
  zonelistfile: "$W/zone.list"
  logfile: "$W/nsd.log"
  server-count: 1
remote-control:
  control-enable: no
zone:
  name: example.test
  zonefile: example.test.zone.signed
C
in_ns /usr/sbin/nsd -d -c "$W/nsd.conf" > "$W/nsd.out" 2>&1 &
cat > "$W/unbound.conf" <<C
server:
  interface: 127.0.0.1@5302
  port: 5302
  do-not-query-localhost: no
  username: ""
  chroot: ""
  directory: "$W"
  pidfile: "$W/unbound.pid"
  use-syslog: no
  logfile: ""
  access-control: 127.0.0.0/8 allow
  module-config: "iterator"
  local-zone: "test." nodefault
remote-control:
  control-enable: no
forward-zone:
  name: "."
  forward-addr: 127.0.0.1@5300
C
in_ns unbound -d -c "$W/unbound.conf" > "$W/unbound.out" 2>&1 &
cat > "$W/config.toml" <<C
[dns]
listen = ["127.0.0.1:5303"]
upstreams = ["127.0.0.1:5300"]
[conntrack]
enabled = false
[web]
listen = "127.0.0.1:18080"
[data]
dir = "$W/data"
C
in_ns env RUST_LOG=warn "$ROOT/target/release/whereflow" run --config "$W/config.toml" >"$W/wf.log" 2>&1 &
sleep 2
for p in 5302 5303; do
  [[ $p == 5302 ]] && echo "=== unbound" || echo "=== whereflow"
  # -f: full tests (flags, opcodes, EDNS), -c: common ones, -t: every query type.
  echo "example.test. ns.example.test. 127.0.0.1" | in_ns "$GENREPORT" -R -f -c -P $p
  echo "example.test. ns.example.test. 127.0.0.1" | in_ns "$GENREPORT" -R -t -P $p
done
