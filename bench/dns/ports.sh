#!/usr/bin/env bash
# Source-port spread of upstream queries, the defence against off-path spoofing: whereflow vs
# unbound vs dnsmasq, each forwarding to its own port of one nsd, all inside a private network
# namespace (nothing leaves it). NAMES new names (default 300) are resolved through each, one
# at a time; tcpdump captures the queries each sends upstream, and this prints per server:
# upstream queries, distinct source ports, lowest/highest port, distinct ids, names whose
# letter case differs from the one asked (0x20), and entropy estimates:
#
#   H(port)   Shannon entropy of the ports seen, in bits; N distinct ports in N queries give
#             log2(N) (8.2 bits for 300), the most a sample of this size can show.
#   range     log2(highest - lowest + 1): the bits a uniform choice in that range would have.
#
# Needs root (network namespace), nsd, unbound, dnsmasq, dig, tcpdump
# (scripts/install-deps.sh) and a build of whereflow: target/release/whereflow
# (cargo build --release), or WHEREFLOW_BIN=/path/to/whereflow (e.g. target/debug/whereflow;
# the port choice does not depend on the optimisation level). Usage: bench/dns/ports.sh
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
NAMES=${NAMES:-300}
BIN=${WHEREFLOW_BIN:-$ROOT/target/release/whereflow}
SERVERS=${SERVERS:-"whereflow unbound dnsmasq"}
# nsd answers on one port per forwarder, so the capture tells their queries apart.
declare -A NS_PORT=([whereflow]=5310 [unbound]=5311 [dnsmasq]=5312)
declare -A PORT=([whereflow]=5320 [unbound]=5321 [dnsmasq]=5322)
NETNS=wfports-$$
WORK=$(mktemp -d /tmp/wfports.XXXXXX)
PIDS=()

cleanup() {
  local pid t
  # `ip netns exec` forks, so the servers are the namespace's processes, not our children:
  # stop exactly those (nothing outside the namespace is touched).
  if [[ -e /run/netns/$NETNS ]]; then
    for t in 1 2 3 4 5 6 7 8 9 10; do
      mapfile -t pids < <(ip netns pids "$NETNS" 2>/dev/null)
      ((${#pids[@]})) || break
      if ((t < 10)); then kill "${pids[@]}" 2>/dev/null || true; else kill -9 "${pids[@]}" 2>/dev/null || true; fi
      sleep 0.2
    done
  fi
  for pid in "${PIDS[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  ip netns del "$NETNS" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

die() { echo "ports: $*" >&2; exit 1; }
[[ $(id -u) -eq 0 ]] || die "needs root (network namespace)"
for tool in nsd dnsmasq unbound tcpdump dig ip; do
  command -v "$tool" >/dev/null || [[ -x /usr/sbin/$tool ]] || die "missing $tool (scripts/install-deps.sh)"
done
[[ -x $BIN ]] || die "no whereflow at $BIN: cargo build --release, or set WHEREFLOW_BIN"

in_ns() { ip netns exec "$NETNS" "$@"; }

ip netns add "$NETNS"
in_ns ip link set lo up

# --- nsd: one wildcard zone, every name has an address ---------------------------------------
cat >"$WORK/ports.zone" <<'EOF'
$ORIGIN ports.test.
$TTL 3600
@ IN SOA ns.ports.test. hostmaster.ports.test. 1 3600 600 86400 300
@ IN NS ns
ns IN A 192.0.2.53
* IN A 192.0.2.1
EOF
{
  echo "server:"
  for s in $SERVERS; do echo "  ip-address: 127.0.0.1@${NS_PORT[$s]}"; done
  cat <<EOF
  username: ""
  chroot: ""
  zonesdir: "$WORK"
  database: ""
  pidfile: "$WORK/nsd.pid"
  xfrdfile: "$WORK/xfrd.state"
  xfrdir: "$WORK"
  zonelistfile: "$WORK/zone.list"
  logfile: "$WORK/nsd.log"
  server-count: 1
  verbosity: 0
remote-control:
  control-enable: no
zone:
  name: ports.test
  zonefile: ports.zone
EOF
} >"$WORK/nsd.conf"
in_ns /usr/sbin/nsd -d -c "$WORK/nsd.conf" >"$WORK/nsd.out" 2>&1 &
PIDS+=($!)

# --- the forwarders, each with its defaults for outgoing ports -------------------------------
cat >"$WORK/unbound.conf" <<EOF
server:
  interface: 127.0.0.1@${PORT[unbound]}
  port: ${PORT[unbound]}
  do-not-query-localhost: no
  username: ""
  chroot: ""
  directory: "$WORK"
  pidfile: "$WORK/unbound.pid"
  use-syslog: no
  logfile: ""
  verbosity: 0
  num-threads: 1
  access-control: 127.0.0.0/8 allow
  module-config: "iterator"
  qname-minimisation: no
  prefetch: no
  local-zone: "test." nodefault
remote-control:
  control-enable: no
forward-zone:
  name: "."
  forward-addr: 127.0.0.1@${NS_PORT[unbound]}
EOF
in_ns unbound -d -c "$WORK/unbound.conf" >"$WORK/unbound.out" 2>&1 &
PIDS+=($!)

in_ns dnsmasq -k --no-resolv --no-hosts --server="127.0.0.1#${NS_PORT[dnsmasq]}" \
  --port="${PORT[dnsmasq]}" --listen-address=127.0.0.1 --bind-interfaces --user=root \
  --pid-file="$WORK/dnsmasq.pid" >"$WORK/dnsmasq.out" 2>&1 &
PIDS+=($!)

mkdir -p "$WORK/data"
cat >"$WORK/config.toml" <<EOF
[dns]
listen = ["127.0.0.1:${PORT[whereflow]}"]
upstreams = ["127.0.0.1:${NS_PORT[whereflow]}"]

[conntrack]
enabled = false

[web]
listen = "127.0.0.1:18090"

[data]
dir = "$WORK/data"
EOF
in_ns env RUST_LOG=warn "$BIN" run --config "$WORK/config.toml" >"$WORK/whereflow.log" 2>&1 &
PIDS+=($!)

# Wait until each answers (through nsd): a name outside the measured ones.
for s in $SERVERS; do
  for ((t = 0; t < 100; t++)); do
    # (dig prints its errors on stdout too: look for the address itself.)
    if in_ns dig +short +time=1 +tries=1 -p "${PORT[$s]}" @127.0.0.1 ready.ports.test A 2>/dev/null |
      grep -qx '192\.0\.2\.1'; then
      break
    fi
    ((t < 99)) || { cat "$WORK/whereflow.log" >&2; die "$s on port ${PORT[$s]} did not answer"; }
    sleep 0.1
  done
done

# --- capture, then NAMES new names through each, one at a time -------------------------------
# Started directly (not through in_ns) so that $! is tcpdump itself: `ip netns exec` execs it.
ip netns exec "$NETNS" tcpdump -i lo -n -U -w "$WORK/cap.pcap" \
  "udp and dst portrange ${NS_PORT[whereflow]}-${NS_PORT[dnsmasq]}" 2>"$WORK/tcpdump.err" &
TCPDUMP=$!
PIDS+=("$TCPDUMP")
for ((t = 0; t < 100; t++)); do
  grep -q "listening on" "$WORK/tcpdump.err" && break
  ((t < 99)) || die "tcpdump did not start: $(cat "$WORK/tcpdump.err")"
  sleep 0.1
done
for s in $SERVERS; do
  for ((i = 0; i < NAMES; i++)); do printf '%s-%d.ports.test A\n' "$s" "$i"; done >"$WORK/$s.txt"
  # dig's batch mode: one name after the other, from one process.
  in_ns dig -f "$WORK/$s.txt" -p "${PORT[$s]}" @127.0.0.1 +short +time=2 +tries=2 >"$WORK/$s.out" 2>&1 || true
  answered=$(grep -c '^192\.0\.2\.1$' "$WORK/$s.out" || true)
  if ((answered != NAMES)); then
    [[ $s != whereflow ]] || tail -n 20 "$WORK/whereflow.log" >&2
    die "$s answered $answered of $NAMES names: $(grep -v '^192\.0\.2\.1$' "$WORK/$s.out" | head -n 5)"
  fi
  grep -v '^192\.0\.2\.1$' "$WORK/$s.out" | sed "s/^/$s: /" >&2 || true
done
sleep 0.5
# SIGTERM: background commands of a script ignore SIGINT. -U wrote every packet already.
kill -TERM "$TCPDUMP" 2>/dev/null || true
wait "$TCPDUMP" 2>/dev/null || true

# --- figures ---------------------------------------------------------------------------------
# "127.0.0.1.40123 > 127.0.0.1.5310: 4321+ [1au] A? WhEreFlow-7.ports.test. (45)"
tcpdump -r "$WORK/cap.pcap" -n -T domain 2>/dev/null >"$WORK/cap.txt"
echo
echo "Upstream source ports, $(date -u +%Y-%m-%dT%H:%MZ), $NAMES new names per server, $(uname -r)"
printf '%-10s %8s %8s %7s %7s %8s %8s %9s %7s\n' server queries ports lowest highest ids recased "H(port)" range
for s in $SERVERS; do
  awk -v dport="${NS_PORT[$s]}" -v name="$s" '
    {
      for (i = 1; i <= NF; i++) if ($i == ">") break
      if ($(i + 1) !~ ("\\." dport ":$")) next
      n = split($(i - 1), src, "."); port = src[n] + 0
      id = $(i + 2); gsub(/[^0-9]/, "", id)
      q = ""; for (j = i + 3; j <= NF; j++) if ($j ~ /\?$/) { q = $(j + 1); break }
      queries++; seen[port]++; ids[id]++
      if (q != tolower(q)) recased++
      if (lo == "" || port < lo) lo = port
      if (port > hi) hi = port
    }
    END {
      for (p in seen) { ports++; h -= seen[p] / queries * log(seen[p] / queries) / log(2) }
      for (d in ids) nids++
      printf "%-10s %8d %8d %7s %7s %8d %8d %9.2f %7.2f\n", name, queries, ports, lo, hi, nids,
        recased, h, (queries ? log(hi - lo + 1) / log(2) : 0)
    }' "$WORK/cap.txt"
done
echo "(H(port): at most log2(queries) = $(awk -v n="$NAMES" 'BEGIN { printf "%.2f", log(n) / log(2) }') bits" \
  "for one query per name; range: log2(highest - lowest + 1) bits)"
