#!/usr/bin/env bash
# The WiFi system test: boots a QEMU x86_64 guest (TCG, no KVM needed) made of Debian's
# kernel and packages, the project's whereflow release build, and the Raspberry Pi image's
# own rootfs overlay and init scripts, with a settings file on its "boot partition".
# In the guest (see guest/etc/init.d/S90vm-test): mac80211_hwsim radios, hostapd from the
# rendered config, a client that joins, gets a lease, resolves a name through whereflow and
# fetches a page from an "internet" namespace; a client with a wrong passphrase that must not
# join; with the good settings (wifi.security "auto": transition mode), the first client joins
# with WPA3-SAE and another with WPA2-PSK, which then sends DNS queries from the first's
# address: none may be recorded. Here, on the host, the results (second serial port) are checked: the flow in
# /api/v1/flows with the right device, domain and bytes, the wrong client kept out, the
# daemon's user and capabilities, the boot and data partitions. Boot times are printed.
#
# Two boots: "good" (image/vm-test/whereflow-settings.toml: the settings are used) and
# "fallback" (appliance/tests/data/settings/bad.toml, under the settings file's name on earlier
# images, whereflow.toml: setup reads it, the setup network "whereflow-setup" runs, the client
# joins it with the passphrase from the problems file on the boot partition, and the problems
# show in /api/v1/status).
#
# Nothing leaves the guest: it has no network device; its "internet" is a namespace inside.
# The host only downloads Debian packages (fetch-debs.sh, cached under target/vm-test).
#
# With "arm64" the guest is QEMU's model of a Raspberry Pi 3 (raspi3b: BCM2837, 4 Cortex-A53,
# 1 GB): Debian's arm64 kernel with the board's device tree, the aarch64 whereflow
# (scripts/cross-build.sh), the root file system on the emulated SD card (partitions as on a
# real card: boot, root read-only, data), and two USB network devices joined by a QEMU hub
# (the uplink eth0, and the "internet" namespace's end; nothing leaves the guest there
# either). The same checks; cached under target/vm-test-arm64.
#
# Usage: image/vm-test/run.sh [amd64|arm64]   (default amd64)
# Environment: VM_TEST_TIMEOUT (seconds per boot, default 300, 900 for arm64);
# VM_TEST_BINARY=PATH uses that whereflow binary (for the guest's architecture) instead of
# building the release one; VM_TEST_ONLY=good|fallback.

# Checks below read "CONDITION && ok ... || fail ...": ok only prints and returns 0.
# shellcheck disable=SC2015
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
arch=${1:-amd64}
# shellcheck source=image/vm-test/arch.sh
. "$here/arch.sh"
started=$(date +%s)

if [[ $arch == amd64 ]]; then
  timeout_s=${VM_TEST_TIMEOUT:-300}
  tools=(qemu-system-x86_64)
else
  timeout_s=${VM_TEST_TIMEOUT:-900}
  tools=(qemu-system-aarch64 qemu-aarch64 fdtput sfdisk)
fi
for tool in "${tools[@]}" cpio mkfs.vfat mcopy mke2fs readelf depmod jq; do
  command -v "$tool" >/dev/null || {
    echo "vm-test: $tool is missing (scripts/install-deps.sh installs it)" >&2
    exit 1
  }
done

binary=${VM_TEST_BINARY:-}
if [[ -z $binary && $arch == amd64 ]]; then
  echo "vm-test: building whereflow (release)"
  (cd "$repo" && cargo build --release --locked -q -p whereflow --bin whereflow)
  binary=$repo/target/release/whereflow
elif [[ -z $binary ]]; then
  echo "vm-test: building whereflow for aarch64 (release)"
  "$repo/scripts/cross-build.sh"
  binary=$repo/target/aarch64-unknown-linux-gnu/release/whereflow
fi
"$here/fetch-debs.sh" "$arch"
"$here/assemble.sh" "$binary" "$arch"

failures=0
fail() {
  echo "vm-test: FAIL [$scenario]: $*" >&2
  failures=$((failures + 1))
}
ok() { echo "vm-test: ok [$scenario]: $*"; }
# The value of "WFTEST <what> ... key=value" in the results.
value() { sed -n "s/^WFTEST $1 .*\\b$2=\\([^ ]*\\).*/\\1/p" "$results" | tail -n1; }
# The value of "WFTEST key=value".
plain() { sed -n "s/^WFTEST $1=//p" "$results" | tail -n1; }
# A block between WFTEST-BEGIN name and WFTEST-END name.
block() { sed -n "/^WFTEST-BEGIN $1\$/,/^WFTEST-END $1\$/{/^WFTEST-/d;p}" "$results"; }

# Boot the guest once with SETTINGS on a fresh boot partition (as NAME, default
# whereflow-settings.toml) and a data partition holding a saved clock (the guest's own clock
# starts in 2000, as a Pi's does without a network).
boot() { # SETTINGS [NAME]
  local boot_img=$cache/boot-$scenario.img data_img=$cache/data-$scenario.img seed
  rm -f "$boot_img" "$data_img"
  mkfs.vfat -C -n WHEREFLOW "$boot_img" 16384 >/dev/null
  mcopy -i "$boot_img" "$1" "::${2:-whereflow-settings.toml}"
  seed=$(mktemp -d)
  date +%s >"$seed/clock"
  seeded=$(cat "$seed/clock")
  mke2fs -q -t ext4 -L whereflow-data -d "$seed" "$data_img" 64M >/dev/null
  rm -rf "$seed"

  console=$cache/console-$scenario.log
  results=$cache/results-$scenario.txt
  rm -f "$console" "$results"
  echo "vm-test: [$scenario] booting the guest (TCG; console in $console)"
  local t0 status
  t0=$(date +%s)
  set +e
  if [[ $arch == amd64 ]]; then
    timeout "$timeout_s" qemu-system-x86_64 \
      -machine q35,accel=tcg -cpu max -smp 2 -m 1024 \
      -kernel "$cache/vmlinuz" -initrd "$cache/initramfs.cpio" \
      -append "console=ttyS0 loglevel=4 panic=-1 rdinit=/init" \
      -drive "file=$boot_img,format=raw,if=virtio" \
      -drive "file=$data_img,format=raw,if=virtio" \
      -device i6300esb -rtc base=2000-01-01T00:00:00 \
      -nic none -display none -monitor none -no-reboot \
      -serial "file:$console" -serial "file:$results"
  else
    sd_card "$boot_img" "$data_img"
    # The results go to the PL011 UART (first -serial: ttyAMA0), the console to the mini
    # UART (second -serial: ttyS1): QEMU's mini UART puts an "X" before what is written each
    # time the device is opened, harmless for the console, not for the results. Two USB
    # network devices on QEMU hub 0: whichever the kernel names eth0 is the uplink, the
    # other the internet's end. Their addresses are globally administered, so that the kernel
    # names them eth*, not usb*.
    timeout "$timeout_s" qemu-system-aarch64 \
      -machine raspi3b \
      -kernel "$cache/vmlinuz" -dtb "$cache/board.dtb" -initrd "$cache/initramfs.cpio" \
      -append "console=ttyS1 loglevel=4 panic=-1 rdinit=/init vmtest.out=/dev/ttyAMA0" \
      -drive "file=$cache/sd-$scenario.img,format=raw,if=sd" \
      -netdev hubport,id=uplink,hubid=0 -netdev hubport,id=internet,hubid=0 \
      -device usb-net,netdev=uplink,mac=00:16:3e:00:00:01 \
      -device usb-net,netdev=internet,mac=00:16:3e:00:00:02 \
      -display none -monitor none -no-reboot \
      -serial "file:$results" -serial "file:$console" \
      2> >(grep -v '^usbnet: failed control transaction' >&2)
  fi
  status=$?
  set -e
  wall=$(($(date +%s) - t0))
  # The serial port may turn line ends into CR LF.
  [[ -f $results ]] && sed -i 's/\r$//' "$results"
  [[ $status -ne 124 ]] || fail "the guest did not finish within ${timeout_s}s"
  if ! grep -q '^WFTEST done' "$results" 2>/dev/null; then
    fail "the guest's test did not run to the end"
    tail -n 40 "$console" >&2 || true
    return 1
  fi
}

# The emulated Pi's SD card: the real card's partitions (1 boot FAT, 2 root file system,
# 3 data), aligned to 4 MiB as image/build.sh's genimage.cfg has them, in an image whose size
# is a power of two (QEMU's SD card model accepts no other).
sd_card() { # BOOT_IMG DATA_IMG
  local sd=$cache/sd-$scenario.img align=$((4 * 1024 * 1024)) size=1 p offset
  local parts=("$1" "$cache/rootfs.ext4" "$2")
  mib() { echo $((($(stat -c %s "$1") + align - 1) / align * align)); }
  offset=$align
  for p in "${parts[@]}"; do
    offset=$((offset + $(mib "$p")))
  done
  while ((size < offset)); do
    size=$((size * 2))
  done
  rm -f "$sd"
  truncate -s "$size" "$sd"
  offset=$align
  {
    echo "label: dos"
    for p in "${parts[@]}"; do
      echo "start=$((offset / 512)), size=$(($(mib "$p") / 512)), type=$([[ $p == "$1" ]] && echo c || echo 83)"
      offset=$((offset + $(mib "$p")))
    done
  } | sfdisk -q "$sd"
  offset=$align
  for p in "${parts[@]}"; do
    dd if="$p" of="$sd" bs=1M seek=$((offset / 1024 / 1024)) conv=notrunc status=none
    offset=$((offset + $(mib "$p")))
  done
}

# What both boots must show: the client in, the wrong one out, the flow, the daemon's rights,
# the watchdog and the clock. $1: how many stations must be authorized on the access point.
check_common() {
  lease=$(value sta lease)
  [[ $(value sta state) == COMPLETED ]] && ok "client associated to \"$(plain ssid)\"" ||
    fail "client did not associate"
  [[ $lease == 10.42.0.* ]] && ok "client lease $lease" || fail "client got no lease ($lease)"
  [[ $(value sta resolved) == 203.0.113.10 ]] && ok "www.wifi.example resolved through whereflow" ||
    fail "www.wifi.example resolved to '$(value sta resolved)'"
  [[ $(value sta fetched) == 65536 ]] && ok "page fetched" ||
    fail "page fetch gave $(value sta fetched) bytes"

  [[ $(value bad state) != COMPLETED ]] && ok "wrong passphrase not associated ($(value bad state))" ||
    fail "the client with the wrong passphrase associated"
  [[ $(value bad lease) == none ]] && ok "wrong passphrase got no lease" ||
    fail "the client with the wrong passphrase got a lease"
  [[ $(value bad handshake-failures) -ge 1 ]] && ok "wrong passphrase: handshake failed" ||
    fail "no failed handshake seen for the wrong passphrase"
  [[ $(plain stations) == "$1" ]] && ok "$1 authorized station(s) on the access point" ||
    fail "authorized stations on the access point: $(plain stations), not $1"

  local flows flow down up
  flows=$(block flows)
  flow=$(jq -c --arg ip "$lease" '[.flows[] | select(.device_ip == $ip and
    .remote_ip == "203.0.113.10" and .remote_port == 80 and .proto == "tcp")] | first' \
    <<<"$flows" 2>/dev/null || echo null)
  if [[ $flow == null || -z $flow ]]; then
    fail "no flow from $lease to 203.0.113.10:80 in /api/v1/flows: $flows"
  else
    [[ $(jq -r .domain <<<"$flow") == www.wifi.example ]] && ok "flow named www.wifi.example" ||
      fail "flow domain is $(jq -r .domain <<<"$flow")"
    down=$(jq -r .bytes_down <<<"$flow")
    up=$(jq -r .bytes_up <<<"$flow")
    ((down >= 65536)) && ok "flow bytes_down $down (page 65536 + headers)" ||
      fail "flow bytes_down $down"
    ((up > 0)) && ok "flow bytes_up $up" || fail "flow bytes_up $up"
  fi

  # The daemon: its own user, only CAP_NET_ADMIN (bit 12) and CAP_NET_BIND_SERVICE (bit 10).
  local daemon set
  daemon=$(block daemon)
  grep -q '^Uid:[[:space:]]*1000[[:space:]]' <<<"$daemon" && ok "daemon runs as whereflow (uid 1000)" ||
    fail "daemon user: $(grep '^Uid' <<<"$daemon")"
  for set in CapEff CapPrm CapBnd; do
    grep -q "^$set:[[:space:]]*0000000000001400\$" <<<"$daemon" &&
      ok "daemon $set = net_admin + net_bind_service" || fail "daemon $(grep "^$set" <<<"$daemon")"
  done

  # (The emulated Pi's is the kernel's softdog: see guest-arm64's modules-load.d.)
  [[ $(plain watchdog) == running ]] && ok "watchdog fed ($([[ $arch == amd64 ]] && echo "i6300esb" || echo softdog))" ||
    fail "watchdog not running"
  local now
  now=$(plain clock-now)
  [[ $now =~ ^[0-9]+$ ]] && ((now >= seeded)) &&
    ok "clock brought back from the data partition (the guest's own started in 2000)" ||
    fail "guest clock $now is before the saved $seeded"
  [[ $(plain clock-file) =~ ^[0-9]+$ ]] && ok "clock saved on the data partition" ||
    fail "no saved clock"
}

# wifi.security left at "auto": on mac80211_hwsim's radios (BIP-CMAC-128, SAE in hostapd)
# setup chooses transition mode; sta joins with WPA3-SAE (PMF required), fgr with WPA2-PSK.
check_security() {
  local conf sta
  conf=$(block hostapd-security)
  grep -qx 'wpa_key_mgmt=WPA-PSK SAE' <<<"$conf" && grep -qx 'ieee80211w=1' <<<"$conf" &&
    grep -qx 'sae_require_mfp=1' <<<"$conf" && grep -qx 'rsn_pairwise=CCMP' <<<"$conf" &&
    ok "security \"auto\": hostapd.conf in WPA2/WPA3 transition mode with PMF" ||
    fail "hostapd.conf security lines: $(tr '\n' ' ' <<<"$conf")"
  grep -q 'whereflow setup: WiFi security: WPA2/WPA3 transition' "$console" &&
    ok "setup says which security it chose" || fail "no 'WiFi security:' line from setup on the console"
  [[ $(value sta key_mgmt) == SAE ]] && ok "sta joined with WPA3-SAE" ||
    fail "sta key_mgmt $(value sta key_mgmt)"
  [[ $(value fgr key_mgmt) == WPA2-PSK ]] && ok "fgr joined with WPA2-PSK" ||
    fail "fgr key_mgmt $(value fgr key_mgmt)"
  sta=$(block all-sta)
  # hostapd's AKM suite selectors: 00-0f-ac-8 SAE, 00-0f-ac-2 PSK.
  grep -qx 'AKMSuiteSelector=00-0f-ac-8' <<<"$sta" && grep -qx 'AKMSuiteSelector=00-0f-ac-2' <<<"$sta" &&
    ok "hostapd all_sta: one SAE station, one PSK station" ||
    fail "hostapd all_sta: $(tr '\n' ' ' <<<"$sta")"
}

# fgr took sta's address: its DNS query must be dropped by the firewall before whereflow sees
# it (nothing recorded, no answer, the bind chain's counter up), while sta's own is recorded.
check_forgery() {
  local a f dns before after
  a=$(value sta lease)
  f=$(value fgr lease)
  [[ $(value fgr state) == COMPLETED && $f == 10.42.0.* && $f != "$a" ]] &&
    ok "fgr associated, lease $f" || fail "fgr state $(value fgr state), lease $f"
  [[ $(value fgr source) == "$a/24" ]] && ok "fgr sends from sta's address $a" ||
    fail "fgr source $(value fgr source)"
  [[ $(value fgr forged-answer) == none ]] && ok "the forged query got no answer" ||
    fail "the forged query was answered: $(value fgr forged-answer)"
  before=$(value fgr bind-drops-before)
  after=$(value fgr bind-drops-after)
  [[ $before =~ ^[0-9]+$ && $after =~ ^[0-9]+$ ]] && ((after > before)) &&
    ok "the bind chain dropped $((after - before)) forged packets" ||
    fail "bind chain drop counter $before -> $after"
  dns=$(block dns)
  jq -e --arg ip "$a" '[.answers[] | select(.name == "genuine-by-sta.wifi.example" and .device_ip == $ip)] | length >= 1' \
    <<<"$dns" >/dev/null 2>&1 && ok "sta's own query recorded under $a" ||
    fail "sta's genuine-by-sta.wifi.example not recorded under $a: $dns"
  jq -e '[.answers[] | select(.name | test("forged-by-fgr"))] | length == 0' <<<"$dns" >/dev/null 2>&1 &&
    ok "fgr's forged query recorded under no address" ||
    fail "forged query recorded: $(jq -c '[.answers[] | select(.name | test("forged-by-fgr"))]' <<<"$dns" 2>/dev/null)"
}

timeline() {
  echo "vm-test: [$scenario] boot timeline (guest uptime, s):"
  block boot-times | sed 's/^/  /'
  mark() { block boot-times | awk -v s="$1" '$2 == s { print $1 }' | tail -n1; }
  ap=$(mark access-point)
  serving=$(mark whereflow-serving)
  echo "vm-test: [$scenario] kernel start -> access point up: ${ap:-?} s; -> whereflow serving:" \
    "${serving:-?} s ($arch, TCG, $([[ $arch == amd64 ]] && echo "2 vCPUs" || echo "raspi3b, 4 vCPUs");" \
    "the guest ran ${wall} s wall clock)"
  [[ -n $ap && -n $serving ]] || fail "boot marks missing"
  # The daemon's resident memory, just started and after the client's traffic (kB).
  local when
  for when in start traffic; do
    echo "vm-test: [$scenario] memory after $when: $(sed -n "s/^WFTEST memory-$when //p" "$results" | tail -n1)"
  done
}

logs() {
  local b
  for b in syslog hostapd-log wpa-sta-log wpa-bad-log wpa-fgr-log; do
    echo "--- [$scenario] $b" >&2
    block "$b" >&2
  done
}

# 1. Good settings: the person's network.
scenario=good
if [[ ${VM_TEST_ONLY:-good} == good || -z ${VM_TEST_ONLY:-} ]] && boot "$here/whereflow-settings.toml"; then
  before=$failures
  [[ $(plain mode) == settings ]] && ok "the settings were used" || fail "mode $(plain mode)"
  check_common 2
  check_security
  check_forgery
  # The boot partition: the admin password hashed in place, no problems file.
  # shellcheck disable=SC2016 # a literal $ in the pattern
  grep -q '^password_hash = "\$argon2id\$' <<<"$(block boot-admin)" &&
    ok "admin password hashed on the boot partition" ||
    fail "admin section on the boot partition: $(block boot-admin)"
  grep -q 'whereflow-problems.txt' <<<"$(block boot-files)" &&
    fail "a problems file was written: $(block boot-files)" || ok "no problems file"
  jq -e '.warnings | map(select(test("settings"))) | length == 0' <<<"$(block status)" >/dev/null 2>&1 &&
    ok "no settings warnings in /api/v1/status" ||
    fail "status warnings: $(block status | jq -c .warnings 2>/dev/null)"
  timeline
  ((failures == before)) || logs
fi

# 2. Bad settings: the setup network, the problems file, the problems in /api/v1/status.
scenario=fallback
if [[ ${VM_TEST_ONLY:-fallback} == fallback || -z ${VM_TEST_ONLY:-} ]] &&
  boot "$repo/appliance/tests/data/settings/bad.toml" whereflow.toml; then
  before=$failures
  grep -q 'no /boot/whereflow-settings.toml: using /boot/whereflow.toml' "$console" &&
    ok "the settings file under its earlier name was used, and the console says so" ||
    fail "no console message about /boot/whereflow.toml"
  [[ $(plain mode) == fallback && $(plain ssid) == whereflow-setup ]] &&
    ok "the setup network ran, passphrase from the problems file" ||
    fail "mode $(plain mode), ssid $(plain ssid)"
  check_common 1
  problems=$(block boot-problems)
  for key in wifi.country wifi.passphrase site.latitude admin.password uplink.interface; do
    grep -q "^- $key: " <<<"$problems" && ok "problems file names $key" ||
      fail "problems file lacks $key: $problems"
  done
  jq -e '.warnings | map(select(test("^settings file \\(whereflow-settings.toml\\): wifi.country"))) | length == 1' \
    <<<"$(block status)" >/dev/null 2>&1 && ok "the problems show in /api/v1/status" ||
    fail "status warnings: $(block status | jq -c .warnings 2>/dev/null)"
  grep -q '^password = "admin"' <<<"$(block boot-admin)" && ok "a bad settings file is left as it was" ||
    fail "the bad settings file was changed: $(block boot-admin)"
  timeline
  ((failures == before)) || logs
fi

total=$(($(date +%s) - started))
if ((failures)); then
  echo "vm-test: $failures checks failed (${total} s)" >&2
  exit 1
fi
echo "vm-test: all checks passed in ${total} s"
