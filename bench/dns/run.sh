#!/usr/bin/env bash
# DNS forwarder benchmark: whereflow vs dnsmasq vs unbound, all forwarding to the same nsd,
# all inside a private network namespace (nothing leaves it), measured with dnsperf in one run.
#
#   (a) 100,000 distinct names, each asked once  -> every query goes upstream (NAMES=...)
#   (b) 1,000 names asked over and over          -> answered from the cache
#
# Needs root (network namespace), nsd, dnsmasq, unbound, dnsperf (scripts/install-deps.sh)
# and a release build (cargo build --release). Usage: bench/dns/run.sh [seconds-for-(b)]
# The servers take turns (ROUNDS=4 by default; see the measuring loop); q/s is each server's
# median round, us/q its CPU over all rounds.
#
# whereflow runs twice: as configured by default (detectors on: every answer also goes to the
# DNS-tunnel and encrypted-DNS detectors) and with `[detect] enabled = false`
# ("whereflow-nodet"), so the detectors' cost on the DNS path is a ratio within one run.
# SERVERS="whereflow-nodet whereflow" (say) measures only those, in that order.
#
# DNS blocking of trackers (`control::dns_block`): "whereflow-block" runs with blocking on for
# every device and "whereflow-blockdev" with it on for this client's address only (the per-device
# set is read for every query); the bench names are no trackers, so the answers are the same
# and the ratio to "whereflow" (blocking off) is what checking each name costs. With
# BASE_BIN=/path/to/whereflow (a build whose forwarder has no blocking switch at all),
# "whereflow-base" measures that binary too: "whereflow" / "whereflow-base" is what the switch
# costs while it is off.
#
# DNSSEC (on unless DNSSEC=0): the zone is signed (ldns-signzone, ECDSA P-256, NSEC) and every
# query sets DO, so every answer carries its RRSIG and every forwarder passes DNSSEC records on.
#
# "whereflow-dot" asks nsd over DNS over TLS (nsd's tls-port, a certificate from a CA made here)
# instead of plain UDP: "whereflow-dot" / "whereflow" is what an encrypted upstream costs.
# With BASE_BIN set to a build from before the per-question random ports (e.g. ddeb566),
# "whereflow" / "whereflow-base" is what the random ports, flights and checks cost.
#
# dnsperf speaks for a room: 32 client sockets (DNSPERF_CLIENTS; with 8, the kernel's
# SO_REUSEPORT hash often gave one of a forwarder's two threads most of the load, and the
# ratios swung 0.6-1.5 from run to run) and a 4 MB socket buffer (DNSPERF_BUF_KB; with the
# default, the answers to 500 outstanding questions overflowed dnsperf's own buffer and
# were counted lost against the server).
#
# Every answer must be NOERROR: a server that answers anything else (e.g. from a built-in
# local zone, without asking nsd) did not do the work measured, and the run fails.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
CACHED_SECONDS=${1:-10}
NAMES=${NAMES:-100000}
HOT=1000
NS_PORT=5300
DNSMASQ_PORT=5301
UNBOUND_PORT=5302
WHEREFLOW_PORT=5303
NODETECT_PORT=5304
BLOCK_PORT=5305
BLOCKDEV_PORT=5306
BASE_PORT=5307
DOT_PORT=5308
NS_TLS_PORT=5853
DNSSEC=${DNSSEC:-1}
BASE_BIN=${BASE_BIN:-}
DEFAULT_SERVERS="nsd dnsmasq unbound whereflow whereflow-nodet whereflow-block whereflow-blockdev whereflow-dot"
[[ -n $BASE_BIN ]] && DEFAULT_SERVERS="$DEFAULT_SERVERS whereflow-base"
SERVERS=${SERVERS:-$DEFAULT_SERVERS}
NETNS=wfbench-$$
WORK=$(mktemp -d /tmp/wfbench.XXXXXX)
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

die() { echo "bench: $*" >&2; exit 1; }
[[ $(id -u) -eq 0 ]] || die "needs root (network namespace)"
for tool in nsd dnsmasq unbound dnsperf ip openssl ldns-keygen ldns-signzone; do
  command -v "$tool" >/dev/null || [[ -x /usr/sbin/$tool ]] || die "missing $tool (scripts/install-deps.sh)"
done

in_ns() { ip netns exec "$NETNS" "$@"; }

ip netns add "$NETNS"
in_ns ip link set lo up

# --- the zone: NAMES names, each with one A record -----------------------------------------
{
  echo "\$ORIGIN bench.test."
  echo "\$TTL 3600"
  echo "@ IN SOA ns.bench.test. hostmaster.bench.test. 1 3600 600 86400 300"
  echo "@ IN NS ns"
  echo "ns IN A 192.0.2.53"
  for ((i = 0; i < NAMES; i++)); do
    printf 'n%05d IN A 198.51.%d.%d\n' "$i" $((100 + i / 65536)) $(((i / 256) % 256))
  done
} >"$WORK/bench.zone"
for ((i = 0; i < NAMES; i++)); do printf 'n%05d.bench.test A\n' "$i"; done >"$WORK/unique.txt"
head -n "$HOT" "$WORK/unique.txt" >"$WORK/hot.txt"
zonefile=bench.zone
if [[ $DNSSEC == 1 ]]; then
  key=$(cd "$WORK" && ldns-keygen -a ECDSAP256SHA256 bench.test)
  (cd "$WORK" && ldns-signzone bench.zone "$key")
  zonefile=bench.zone.signed
  DNSPERF_DO=(-D)
else
  DNSPERF_DO=()
fi

# A CA and a certificate for ns.bench.test: nsd's DNS over TLS, trusted by whereflow-dot only.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=bench-ca \
  -keyout "$WORK/ca.key" -out "$WORK/ca.pem" 2>/dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=ns.bench.test \
  -keyout "$WORK/tls.key" -out "$WORK/tls.csr" 2>/dev/null
openssl x509 -req -in "$WORK/tls.csr" -CA "$WORK/ca.pem" -CAkey "$WORK/ca.key" -CAcreateserial \
  -days 2 -extfile <(printf 'subjectAltName=DNS:ns.bench.test\nbasicConstraints=CA:FALSE\n') \
  -out "$WORK/tls.pem" 2>/dev/null

cat >"$WORK/nsd.conf" <<EOF
server:
  ip-address: 127.0.0.1@$NS_PORT
  ip-address: 127.0.0.1@$NS_TLS_PORT
  tls-port: $NS_TLS_PORT
  tls-service-key: "$WORK/tls.key"
  tls-service-pem: "$WORK/tls.pem"
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
  name: bench.test
  zonefile: $zonefile
EOF
in_ns /usr/sbin/nsd -d -c "$WORK/nsd.conf" >"$WORK/nsd.out" 2>&1 &
PIDS+=($!)

cat >"$WORK/unbound.conf" <<EOF
server:
  interface: 127.0.0.1@$UNBOUND_PORT
  port: $UNBOUND_PORT
  do-not-query-localhost: no
  username: ""
  chroot: ""
  directory: "$WORK"
  pidfile: "$WORK/unbound.pid"
  use-syslog: no
  logfile: ""
  verbosity: 0
  num-threads: 2
  so-reuseport: yes
  # The same receive buffer whereflow asks for on its listening sockets.
  so-rcvbuf: 4m
  access-control: 127.0.0.0/8 allow
  module-config: "iterator"
  msg-cache-size: 16m
  rrset-cache-size: 32m
  prefetch: no
  qname-minimisation: no
  # unbound serves the RFC 6761 names (test., invalid., ...) itself by default and would
  # answer NXDOMAIN without asking nsd; make it forward them like the others.
  local-zone: "test." nodefault
remote-control:
  control-enable: no
forward-zone:
  name: "."
  forward-addr: 127.0.0.1@$NS_PORT
EOF
in_ns unbound -d -c "$WORK/unbound.conf" >"$WORK/unbound.out" 2>&1 &
PIDS+=($!)

in_ns dnsmasq -k --no-resolv --no-hosts --server="127.0.0.1#$NS_PORT" --port="$DNSMASQ_PORT" \
  --listen-address=127.0.0.1 --bind-interfaces --cache-size=10000 --user=root \
  --pid-file="$WORK/dnsmasq.pid" --dns-forward-max=1000 >"$WORK/dnsmasq.out" 2>&1 &
PIDS+=($!)

mkdir -p "$WORK/data"
cat >"$WORK/config.toml" <<EOF
[dns]
listen = ["127.0.0.1:$WHEREFLOW_PORT"]
upstreams = ["127.0.0.1:$NS_PORT"]
cache_size = 10000
# One load generator stands for a whole room here: no per-client answer limit.
max_answers_per_client_per_sec = 0

[conntrack]
enabled = false

[web]
listen = "127.0.0.1:18080"

[data]
dir = "$WORK/data"
EOF
# The same without detectors.
mkdir -p "$WORK/data-nodet"
sed -e "s/127.0.0.1:$WHEREFLOW_PORT/127.0.0.1:$NODETECT_PORT/" -e 's/127.0.0.1:18080/127.0.0.1:18081/' \
  -e "s|$WORK/data|$WORK/data-nodet|" "$WORK/config.toml" >"$WORK/config-nodet.toml"
printf '\n[detect]\nenabled = false\n' >>"$WORK/config-nodet.toml"
# The same with DNS blocking on (everyone / this client only), from a saved controls state, and
# the same as "whereflow" for the BASE_BIN build.
variant() { # name port web-port
  mkdir -p "$WORK/data-$1"
  sed -e "s/127.0.0.1:$WHEREFLOW_PORT/127.0.0.1:$2/" -e "s/127.0.0.1:18080/127.0.0.1:$3/" \
    -e "s|$WORK/data|$WORK/data-$1|" "$WORK/config.toml" >"$WORK/config-$1.toml"
}
variant block "$BLOCK_PORT" 18082
echo '{"version": 1, "dns_block": {"all": true, "devices": []}, "blocks": [], "next_id": 1}' \
  >"$WORK/data-block/controls.json"
variant blockdev "$BLOCKDEV_PORT" 18083
echo '{"version": 1, "dns_block": {"all": false, "devices": ["127.0.0.1"]}, "blocks": [], "next_id": 1}' \
  >"$WORK/data-blockdev/controls.json"
variant base "$BASE_PORT" 18084
# An older build may not know every key (one that has the per-client limit must have it off).
if [[ -n $BASE_BIN ]] && ! grep -qa max_answers_per_client_per_sec "$BASE_BIN"; then
  sed -i -e '/^max_answers_per_client_per_sec/d' -e '/^# One load generator/d' "$WORK/config-base.toml"
fi
variant dot "$DOT_PORT" 18085
sed -i -e "s|^upstreams = .*|upstreams = [\"tls://127.0.0.1:$NS_TLS_PORT@ns.bench.test\"]\ntls_ca_file = \"$WORK/ca.pem\"|" \
  "$WORK/config-dot.toml"
[[ -x $ROOT/target/release/whereflow ]] || die "build first: cargo build --release"
in_ns env RUST_LOG=warn "$ROOT/target/release/whereflow" run --config "$WORK/config.toml" \
  >"$WORK/whereflow.log" 2>&1 &
PIDS+=($!)
in_ns env RUST_LOG=warn "$ROOT/target/release/whereflow" run --config "$WORK/config-nodet.toml" \
  >"$WORK/whereflow-nodet.log" 2>&1 &
PIDS+=($!)
for v in block blockdev dot; do
  in_ns env RUST_LOG=warn "$ROOT/target/release/whereflow" run --config "$WORK/config-$v.toml" \
    >"$WORK/whereflow-$v.log" 2>&1 &
  PIDS+=($!)
done
if [[ -n $BASE_BIN ]]; then
  [[ -x $BASE_BIN ]] || die "BASE_BIN $BASE_BIN is not a program"
  in_ns env RUST_LOG=warn "$BASE_BIN" run --config "$WORK/config-base.toml" \
    >"$WORK/whereflow-base.log" 2>&1 &
  PIDS+=($!)
fi

# Wait until every server answers (nsd first, the forwarders through it).
ready() { in_ns dnsperf -s 127.0.0.1 -p "$1" -d "$WORK/hot.txt" -n 1 -t 1 -q 10 2>/dev/null | grep -q 'Queries completed: *1000 '; }
wait_ready() {
  local port=$1 name=$2 t
  for ((t = 0; t < 100; t++)); do
    if ready "$port"; then return 0; fi
    sleep 0.1
  done
  cat "$WORK/whereflow.log" >&2 || true
  die "$name on port $port did not answer"
}
wait_ready "$NS_PORT" nsd

# The whereflow process itself: the namespace's process listening on its port.
wf_pid() { in_ns ss -Hlnup "sport = :${1:-$WHEREFLOW_PORT}" 2>/dev/null | grep -o 'pid=[0-9]*' | head -n 1 | cut -d= -f2 || true; }

# dnsperf: print queries per second and how many were lost; fail unless every answer is
# NOERROR.
perf() {
  local port=$1 file=$2 out
  shift 2
  out=$(in_ns dnsperf -s 127.0.0.1 -p "$port" -d "$file" -c "${DNSPERF_CLIENTS:-32}" -T 2 -q 500 -t 2 -b "${DNSPERF_BUF_KB:-4096}" "${DNSPERF_DO[@]}" "$@" 2>&1)
  awk '/Queries completed:/ {done=$3} /Response codes:/ {codes=$0}
    END {exit !(codes ~ /NOERROR/ && codes !~ /(NXDOMAIN|SERVFAIL|REFUSED|FORMERR)/ && done > 0)}' <<<"$out" ||
    die "port $port: not every answer was NOERROR: $(grep 'Response codes' <<<"$out")"
  awk '/Queries per second:/ {qps=$4} /Queries lost:/ {lost=$3} /Queries completed:/ {done=$3}
    END {printf "%.0f %s %s\n", qps, lost, done}' <<<"$out"
}

# The port each server answers on.
port_of() {
  case $1 in
    nsd) echo $NS_PORT ;;
    dnsmasq) echo $DNSMASQ_PORT ;;
    unbound) echo $UNBOUND_PORT ;;
    whereflow) echo $WHEREFLOW_PORT ;;
    whereflow-nodet) echo $NODETECT_PORT ;;
    whereflow-block) echo $BLOCK_PORT ;;
    whereflow-blockdev) echo $BLOCKDEV_PORT ;;
    whereflow-base) echo $BASE_PORT ;;
    whereflow-dot) echo $DOT_PORT ;;
    *) die "unknown server $1 (SERVERS)" ;;
  esac
}
declare -A UNIQUE CACHED LOST_U LOST_C CPU_U CPU_C
# CPU time (user + system, in clock ticks) the process listening on a port has used so far.
# CPU per query is steadier than q/s when other work shares the machine.
cpu_ticks() {
  local pid
  pid=$(wf_pid "$1")
  [[ -n $pid && -r /proc/$pid/stat ]] || return 0
  awk '{print $14 + $15}' "/proc/$pid/stat"
}
per_query_us() { # ticks-before ticks-after queries
  awk -v a="$1" -v b="$2" -v n="$3" -v hz="$(getconf CLK_TCK)" \
    'BEGIN { if (a != "" && b != "" && n > 0) printf "%.2f", (b - a) * 1e6 / hz / n; else print "-" }'
}
# PROFILE=dir: `perf record -g` of each server's process during (a) and (b), into
# dir/SERVER-a.data and dir/SERVER-b.data (read with `perf report -i`).
PROFILER=
profile_start() { # server port phase
  [[ -n ${PROFILE:-} ]] || return 0
  local pid
  pid=$(wf_pid "$2")
  [[ -n $pid ]] || return 0
  mkdir -p "$PROFILE"
  command perf record -q -F 999 -g -p "$pid" -o "$PROFILE/$1-$3.data" >/dev/null 2>&1 &
  PROFILER=$!
}
profile_stop() {
  [[ -n $PROFILER ]] || return 0
  kill -INT "$PROFILER" 2>/dev/null || true
  wait "$PROFILER" 2>/dev/null || true
  PROFILER=
}
# Servers take turns, ROUNDS times: (a) in slices of the name list (disjoint, so each is
# cold for every server), then (b) for CACHED_SECONDS / ROUNDS each. Measured one after the
# other, a change in the machine's other load (a build, a test) landed on one server only
# and swung the ratios 0.8-1.3 between runs; taking turns spreads it over all of them.
# Each server's q/s is the median of its rounds; CPU per query is over all of them.
ROUNDS=${ROUNDS:-4}
split -n "l/$ROUNDS" -d -a 2 "$WORK/unique.txt" "$WORK/unique.part."
mapfile -t PARTS < <(ls "$WORK"/unique.part.*)
ROUND_SECONDS=$(awk -v s="$CACHED_SECONDS" -v r="$ROUNDS" 'BEGIN { t = s / r; if (t < 1) t = 1; print t }')
declare -A QU QC TICKS_U TICKS_C DONE_U DONE_C
for server in $SERVERS; do
  port=$(port_of "$server")
  # The cache must be cold: readiness is checked with a name outside the list.
  for ((t = 0; t < 100; t++)); do
    if in_ns dnsperf -s 127.0.0.1 -p "$port" -d <(echo "ns.bench.test A") -n 1 -t 1 2>/dev/null |
      grep -q 'Queries completed: *1 '; then break; fi
    sleep 0.1
  done
  LOST_U[$server]=0 LOST_C[$server]=0 TICKS_U[$server]=0 TICKS_C[$server]=0 DONE_U[$server]=0 DONE_C[$server]=0
done
# One measured turn: server, phase (a|b), dnsperf's input and limit arguments.
turn() {
  local server=$1 phase=$2 port t0 t1 res qps lost answered
  shift 2
  port=$(port_of "$server")
  t0=$(cpu_ticks "$port")
  [[ $round == 0 ]] && profile_start "$server" "$port" "$phase"
  res=$(perf "$port" "$@")
  read -r qps lost answered <<<"$res"
  profile_stop
  t1=$(cpu_ticks "$port")
  if [[ $phase == a ]]; then
    QU[$server]+=" $qps"
    LOST_U[$server]=$((LOST_U[$server] + lost)) DONE_U[$server]=$((DONE_U[$server] + answered))
    [[ -n $t0 && -n $t1 ]] && TICKS_U[$server]=$((TICKS_U[$server] + t1 - t0))
  else
    QC[$server]+=" $qps"
    LOST_C[$server]=$((LOST_C[$server] + lost)) DONE_C[$server]=$((DONE_C[$server] + answered))
    [[ -n $t0 && -n $t1 ]] && TICKS_C[$server]=$((TICKS_C[$server] + t1 - t0))
  fi
}
for ((round = 0; round < ROUNDS; round++)); do
  for server in $SERVERS; do turn "$server" a "${PARTS[$round]}" -n 1; done
done
for server in $SERVERS; do perf "$(port_of "$server")" "$WORK/hot.txt" -n 1 >/dev/null; done # warm
for ((round = 0; round < ROUNDS; round++)); do
  for server in $SERVERS; do turn "$server" b "$WORK/hot.txt" -l "$ROUND_SECONDS"; done
done
median() { tr ' ' '\n' <<<"$1" | grep . | sort -n | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : int((v[NR / 2] + v[NR / 2 + 1]) / 2)}'; }
for server in $SERVERS; do
  UNIQUE[$server]=$(median "${QU[$server]}")
  CACHED[$server]=$(median "${QC[$server]}")
  CPU_U[$server]=$(per_query_us 0 "${TICKS_U[$server]}" "${DONE_U[$server]}")
  CPU_C[$server]=$(per_query_us 0 "${TICKS_C[$server]}" "${DONE_C[$server]}")
done

# With DNSSEC on, each server measured handed out signatures: a cached name asked with DO
# comes back with its RRSIG.
if [[ $DNSSEC == 1 ]]; then
  for server in $SERVERS; do
    # nsd is the source; a BASE_BIN build may predate DNSSEC passthrough (compare it with
    # DNSSEC=0).
    [[ $server == nsd || $server == whereflow-base ]] && continue
    port=$(port_of "$server")
    in_ns dig +dnssec +time=2 @127.0.0.1 -p "$port" n00001.bench.test A | grep -q 'IN[[:space:]]*RRSIG' ||
      die "$server gave no RRSIG with DO set"
  done
fi

peak_rss() {
  local pid
  pid=$(wf_pid "$1")
  if [[ -n $pid && -r /proc/$pid/status ]]; then awk '/VmHWM/ {print $2 " " $3}' "/proc/$pid/status"; else echo unknown; fi
}
rss_nodet=$(peak_rss "$NODETECT_PORT")
pid=$(wf_pid)
rss=unknown
if [[ -n $pid && -r /proc/$pid/status ]]; then
  rss=$(awk '/VmHWM/ {print $2 " " $3}' "/proc/$pid/status")
fi
# Every answer whereflow sent was queued for the correlator unless counted as dropped.
counters=$(in_ns curl -s --max-time 2 http://127.0.0.1:18080/api/v1/status |
  grep -o '"dns_\(queries\|events_dropped\)":[0-9]*' | tr '\n' ' ' || true)

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
echo
echo "DNS forwarder benchmark, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) CPUs, $(uname -r)," \
  "DNSSEC $([[ $DNSSEC == 1 ]] && echo 'on (signed zone, DO set)' || echo off)"
printf '%-19s %15s %6s %9s %15s %6s %9s\n' server "(a) unique q/s" lost "(a) us/q" \
  "(b) cached q/s" lost "(b) us/q"
for server in $SERVERS; do
  printf '%-19s %15s %6s %9s %15s %6s %9s\n' "$server" "${UNIQUE[$server]}" "${LOST_U[$server]}" \
    "${CPU_U[$server]:--}" "${CACHED[$server]}" "${LOST_C[$server]}" "${CPU_C[$server]:--}"
done
echo "(us/q: CPU time, user + system, of the process listening on the server's port, per answered"
echo " query; nsd answers from a child process, so its figure is 0)"
echo
echo "whereflow / unbound: (a) $(ratio "${UNIQUE[whereflow]:-0}" "${UNIQUE[unbound]:-0}")  (b) $(ratio "${CACHED[whereflow]:-0}" "${CACHED[unbound]:-0}")"
echo "whereflow / dnsmasq: (a) $(ratio "${UNIQUE[whereflow]:-0}" "${UNIQUE[dnsmasq]:-0}")  (b) $(ratio "${CACHED[whereflow]:-0}" "${CACHED[dnsmasq]:-0}")"
echo "detectors on / off:  (a) $(ratio "${UNIQUE[whereflow]:-0}" "${UNIQUE[whereflow-nodet]:-0}")  (b) $(ratio "${CACHED[whereflow]:-0}" "${CACHED[whereflow-nodet]:-0}")"
# q/s ratios (higher: faster) and CPU-per-query ratios (higher: costlier) of the blocking runs.
blocking_line() { # label server reference
  [[ -n ${CACHED[$2]:-} && -n ${CACHED[$3]:-} ]] || return 0
  echo "$1 q/s (a) $(ratio "${UNIQUE[$2]}" "${UNIQUE[$3]}")  (b) $(ratio "${CACHED[$2]}" "${CACHED[$3]}");" \
    "CPU per query (b) $(ratio "${CPU_C[$2]:-0}" "${CPU_C[$3]:-0}")"
}
blocking_line "DNS blocking on for everyone / off:      " whereflow-block whereflow
blocking_line "DNS blocking on for this device / off:   " whereflow-blockdev whereflow
blocking_line "DNS blocking off / no switch (BASE_BIN): " whereflow whereflow-base
# The same for the (a) run, where every query goes upstream.
upstream_line() { # label server reference
  [[ -n ${UNIQUE[$2]:-} && -n ${UNIQUE[$3]:-} ]] || return 0
  echo "$1 q/s (a) $(ratio "${UNIQUE[$2]}" "${UNIQUE[$3]}");" \
    "CPU per query (a) $(ratio "${CPU_U[$2]:-0}" "${CPU_U[$3]:-0}")"
}
upstream_line "DoT upstream / plain UDP upstream:       " whereflow-dot whereflow
upstream_line "this build / BASE_BIN build:             " whereflow whereflow-base
# The blocking variants did block: a tracker name (nsd serves no such zone, so unblocked it is
# refused) is answered NOERROR (0.0.0.0) by them and not by "whereflow".
tracker_rcode() {
  in_ns dnsperf -s 127.0.0.1 -p "$1" -d <(echo "googleads.g.doubleclick.net A") -n 1 -t 2 2>/dev/null |
    awk '/Response codes:/ {print $3}' | tr -d ','
}
for v in "whereflow-block $BLOCK_PORT yes" "whereflow-blockdev $BLOCKDEV_PORT yes" "whereflow $WHEREFLOW_PORT no"; do
  read -r name port blocks <<<"$v"
  [[ " $SERVERS " == *" $name "* ]] || continue
  got=$(tracker_rcode "$port")
  if [[ $blocks == yes && $got != NOERROR ]] || [[ $blocks == no && $got == NOERROR ]]; then
    die "$name: a tracker name got ${got:-no answer} (blocking expected: $blocks)"
  fi
done
echo "blocking checked: a tracker name is blocked by whereflow-block(dev), not by whereflow"
echo "whereflow peak RSS (VmHWM): $rss (without detectors: $rss_nodet)"
echo "whereflow answers / events not queued: ${counters:-unknown}"
# What the detectors saw, and whether they kept up (inputs dropped), in the detectors-on run.
detect=$(in_ns curl -s --max-time 2 http://127.0.0.1:18080/api/v1/alerts |
  grep -o '"\(inputs\|dropped\|total\)":[0-9]*' | tr '\n' ' ' || true)
echo "whereflow detectors (alerts total, inputs, dropped): ${detect:-unknown}"
