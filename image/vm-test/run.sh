#!/usr/bin/env bash
# The WiFi system test: boots a QEMU x86_64 guest (TCG, no KVM needed) made of Debian's
# kernel and packages, the project's whereflow release build, and the Raspberry Pi image's
# own rootfs overlay and init scripts, with a sample settings file on its "boot partition".
# In the guest (see guest/etc/init.d/S90vm-test): mac80211_hwsim radios, hostapd from the
# rendered config, a client that joins, gets a lease, resolves a name through whereflow and
# fetches a page from an "internet" namespace; a client with a wrong passphrase that must not
# join. Here, on the host, the results (second serial port) are checked: the flow in
# /api/v1/flows with the right device, domain and bytes, the wrong client kept out, the
# daemon's user and capabilities, the boot partition's files. Boot times are printed.
#
# Nothing leaves the guest: it has no network device; its "internet" is a namespace inside.
# The host only downloads Debian packages (fetch-debs.sh, cached under target/vm-test).
#
# Usage: image/vm-test/run.sh [SETTINGS_FILE]   (default: image/vm-test/whereflow.toml)
# Environment: VM_TEST_TIMEOUT (seconds, default 480); VM_TEST_BINARY=PATH uses that x86_64
# whereflow binary instead of building the release one.

# Checks below read "CONDITION && ok ... || fail ...": ok only prints and returns 0.
# shellcheck disable=SC2015
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
cache=${VM_TEST_CACHE:-$repo/target/vm-test}
settings=${1:-$here/whereflow.toml}
timeout_s=${VM_TEST_TIMEOUT:-480}
started=$(date +%s)

for tool in qemu-system-x86_64 cpio mkfs.vfat mcopy mke2fs readelf depmod jq; do
  command -v "$tool" >/dev/null || {
    echo "vm-test: $tool is missing (scripts/install-deps.sh installs it)" >&2
    exit 1
  }
done

binary=${VM_TEST_BINARY:-}
if [[ -z $binary ]]; then
  echo "vm-test: building whereflow (release)"
  (cd "$repo" && cargo build --release --locked -q -p whereflow --bin whereflow)
  binary=$repo/target/release/whereflow
fi
"$here/fetch-debs.sh"
"$here/assemble.sh" "$binary" "$settings"

console=$cache/console.log
results=$cache/results.txt
rm -f "$console" "$results"
echo "vm-test: booting the guest (TCG; console in $console)"
boot_started=$(date +%s)
set +e
timeout "$timeout_s" qemu-system-x86_64 \
  -machine q35,accel=tcg -cpu max -smp 2 -m 1024 \
  -kernel "$cache/vmlinuz" -initrd "$cache/initramfs.cpio" \
  -append "console=ttyS0 loglevel=4 panic=-1 rdinit=/init" \
  -drive "file=$cache/boot.img,format=raw,if=virtio" \
  -drive "file=$cache/data.img,format=raw,if=virtio" \
  -device i6300esb \
  -nic none -display none -monitor none -no-reboot \
  -serial "file:$console" -serial "file:$results"
qemu_status=$?
set -e
boot_s=$(($(date +%s) - boot_started))
# The serial port may turn line ends into CR LF.
[[ -f $results ]] && sed -i 's/\r$//' "$results"

failures=0
fail() {
  echo "vm-test: FAIL: $*" >&2
  failures=$((failures + 1))
}
ok() { echo "vm-test: ok: $*"; }
# The value of "WFTEST <what> ... key=value" in the results.
value() { sed -n "s/^WFTEST $1 .*\\b$2=\\([^ ]*\\).*/\\1/p" "$results" | tail -n1; }
# A block between WFTEST-BEGIN name and WFTEST-END name.
block() { sed -n "/^WFTEST-BEGIN $1\$/,/^WFTEST-END $1\$/{/^WFTEST-/d;p}" "$results"; }

if [[ $qemu_status -eq 124 ]]; then
  fail "the guest did not finish within ${timeout_s}s"
fi
if ! grep -q '^WFTEST done' "$results" 2>/dev/null; then
  fail "the guest's test did not run to the end"
  tail -n 40 "$console" >&2 || true
  exit 1
fi

# The right passphrase: associated, leased, resolved through whereflow, fetched.
lease=$(value sta lease)
[[ $(value sta state) == COMPLETED ]] && ok "client associated" || fail "client did not associate"
[[ $lease == 10.42.0.* ]] && ok "client lease $lease" || fail "client got no lease ($lease)"
[[ $(value sta resolved) == 203.0.113.10 ]] && ok "www.wifi.example resolved through whereflow" ||
  fail "www.wifi.example resolved to '$(value sta resolved)'"
[[ $(value sta fetched) == 65536 ]] && ok "page fetched" || fail "page fetch gave $(value sta fetched) bytes"

# The wrong passphrase: no association, no lease; one station only on the access point.
[[ $(value bad state) != COMPLETED ]] && ok "wrong passphrase not associated ($(value bad state))" ||
  fail "the client with the wrong passphrase associated"
[[ $(value bad lease) == none ]] && ok "wrong passphrase got no lease" ||
  fail "the client with the wrong passphrase got a lease"
[[ $(value bad handshake-failures) -ge 1 ]] && ok "wrong passphrase: handshake failed" ||
  fail "no failed handshake seen for the wrong passphrase"
stations=$(sed -n 's/^WFTEST stations=//p' "$results")
[[ $stations == 1 ]] && ok "one authorized station on the access point" ||
  fail "authorized stations on the access point: $stations"

# The flow in /api/v1/flows: this device, this name, the page's bytes.
flows=$(block flows)
flow=$(jq -c --arg ip "$lease" '[.flows[] | select(.device_ip == $ip and .remote_ip == "203.0.113.10"
  and .remote_port == 80 and .proto == "tcp")] | first' <<<"$flows" 2>/dev/null || echo null)
if [[ $flow == null || -z $flow ]]; then
  fail "no flow from $lease to 203.0.113.10:80 in /api/v1/flows: $flows"
else
  [[ $(jq -r .domain <<<"$flow") == www.wifi.example ]] && ok "flow named www.wifi.example" ||
    fail "flow domain is $(jq -r .domain <<<"$flow")"
  down=$(jq -r .bytes_down <<<"$flow")
  up=$(jq -r .bytes_up <<<"$flow")
  ((down >= 65536)) && ok "flow bytes_down $down (page 65536 + headers)" || fail "flow bytes_down $down"
  ((up > 0)) && ok "flow bytes_up $up" || fail "flow bytes_up $up"
fi

# The daemon: its own user, only CAP_NET_ADMIN (bit 12) and CAP_NET_BIND_SERVICE (bit 10).
daemon=$(block daemon)
grep -q '^Uid:[[:space:]]*1000[[:space:]]' <<<"$daemon" && ok "daemon runs as whereflow (uid 1000)" ||
  fail "daemon user: $(grep '^Uid' <<<"$daemon")"
for set in CapEff CapPrm CapBnd; do
  grep -q "^$set:[[:space:]]*0000000000001400\$" <<<"$daemon" && ok "daemon $set = net_admin + net_bind_service" ||
    fail "daemon $(grep "^$set" <<<"$daemon")"
done

# The boot partition: the admin password hashed in place, no problems file (good settings).
# shellcheck disable=SC2016 # a literal $ in the pattern
grep -q '^password_hash = "\$argon2id\$' <<<"$(block boot-admin)" && ok "admin password hashed on the boot partition" ||
  fail "admin section on the boot partition: $(block boot-admin)"
grep -q 'whereflow-problems.txt' <<<"$(block boot-files)" && fail "a problems file was written: $(block boot-files)" ||
  ok "no problems file"
status_json=$(block status)
if jq -e '.warnings | map(select(test("settings"))) | length == 0' <<<"$status_json" >/dev/null 2>&1; then
  ok "no settings warnings in /api/v1/status"
else
  fail "status warnings: $(jq -c .warnings <<<"$status_json" 2>/dev/null)"
fi
[[ $(sed -n 's/^WFTEST watchdog=//p' "$results") == running ]] && ok "hardware watchdog fed" || fail "watchdog not running"
[[ $(sed -n 's/^WFTEST clock-file=//p' "$results") =~ ^[0-9]+$ ]] && ok "clock saved on the data partition" ||
  fail "no saved clock"

# Boot times: seconds since the kernel started (guest uptime) at each step.
echo "vm-test: boot timeline (guest uptime, s):"
block boot-times | sed 's/^/  /'
mark() { block boot-times | awk -v s="$1" '$2 == s { print $1 }' | tail -n1; }
ap=$(mark access-point)
serving=$(mark whereflow-serving)
echo "vm-test: kernel start -> access point up: ${ap:-?} s; -> whereflow serving: ${serving:-?} s" \
  "(TCG emulation, 2 vCPUs; guest ran ${boot_s} s wall clock)"
[[ -n $ap && -n $serving ]] || fail "boot marks missing"

total=$(($(date +%s) - started))
if ((failures)); then
  echo "vm-test: $failures checks failed (${total} s). Guest logs:" >&2
  for b in syslog hostapd-log wpa-sta-log wpa-bad-log; do
    echo "--- $b" >&2
    block "$b" >&2
  done
  exit 1
fi
echo "vm-test: all checks passed in ${total} s"
