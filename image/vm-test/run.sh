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
# Five boots: "good" (image/vm-test/whereflow-settings.toml: the settings are used);
# "fallback" (appliance/tests/data/settings/bad.toml, under the settings file's name on earlier
# images, whereflow.toml: setup reads it, the setup network "whereflow-setup" runs, the client
# joins it with the passphrase from the problems file on the boot partition, and the problems
# show in /api/v1/status); "wpa3" (whereflow-settings-wpa3.toml, wifi.security "wpa3": SAE
# only, protected management frames required; sta joins with WPA3, "old", a WPA2-only client
# with the right passphrase, stays out); "class" (the good settings, 32 radios: 30 clients,
# each in its own namespace on its own radio, started at once, half WPA3 and half WPA2, each
# gets a lease, resolves a name and fetches a page; all 30 must be in /api/v1/devices with
# distinct names and their flows named in /api/v1/flows, and no scan alert; join times
# printed). In its first runs all 30 associated but almost none got a lease: dnsmasq's ping
# before each offer (3 s, deaf to DHCP meanwhile) queued the class behind it; the appliance's
# dnsmasq.conf now has no-ping. It is in the amd64 default set: 251 s on a quiet 2-core
# machine (2026-12-07; 6 of 30 clients joined again after hostapd, starved of CPU by the
# emulation, deauthenticated them), 391 and 412 s on a busy one.
# "uplink" (whereflow-settings-uplink.toml, kernel option vmtest.uplink=wifi): the uplink is
# a school's WiFi, [uplink] interface "wlan0" with wifi_ssid/wifi_passphrase and probe_url;
# the access point goes to wlan1 (wifi.interface "auto"). The school's access point runs in
# the "internet" namespace on phy3 (hostapd, WPA2/WPA3 transition, channel 1, with dnsmasq's
# DHCP and the usual DNS and web server; guest/etc/init.d/S17vm-internet). Three phases
# (S90vm-test's uplink_run): the school's passphrase differs from the settings' (S35uplink's
# wpa_supplicant is refused at SAE's confirm; /api/v1/status's wifi.uplink.problem and its
# warnings must say "refused the passphrase", the access point serves meanwhile: a client
# joins it and gets a lease); then it matches (the uplink joins and gets its lease, the
# daemon restarts with the uplink's DNS server, the client resolves www.wifi.example through
# whereflow and fetches the page through the WiFi uplink, its flow named in /api/v1/flows),
# while the captive portal check (a CGI script) answers with a redirect to a login page
# (wifi.uplink.portal "captive_portal", the warning, the presenter page's notice "The school
# network wants a login"); then with 204 (the login done: all of it gone within 10 s).
# 91 s wall clock for the guest on a quiet 2-core machine (169 s beside a cargo build); in
# the default set.
# The test proved: wpa_supplicant reports WPA3-SAE's refused confirm as AUTH-REJECT then
# CONN_FAILED, never WRONG_KEY (the daemon now reads it as a refused passphrase), and the
# portal check ran once a minute, so neither an uplink that comes up after the daemon's first
# look nor a login cleared the warning for a minute (now every 10 s while not open).
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
# Environment: VM_TEST_TIMEOUT (seconds per boot, default 300, 900 for arm64; twice that for
# the class boot);
# VM_TEST_BINARY=PATH uses that whereflow binary (for the guest's architecture) instead of
# building the release one; VM_TEST_ONLY=good|fallback|wpa3|class|uplink, or a comma-separated
# list (default: good,fallback,wpa3,uplink,class on amd64; good,fallback on arm64, where the emulated
# Pi takes minutes a boot); VM_TEST_CLASS=N clients in the class boot (default 30).

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
# starts in 2000, as a Pi's does without a network). APPEND: more kernel command line (the
# guest's test reads vmtest.* from it).
boot() { # SETTINGS [NAME] [APPEND]
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
  local t0 status limit=$timeout_s
  # The class boot: 30 clients more to join and serve.
  [[ $scenario != class ]] || limit=$((timeout_s * 2))
  t0=$(date +%s)
  set +e
  if [[ $arch == amd64 ]]; then
    timeout "$limit" qemu-system-x86_64 \
      -machine q35,accel=tcg -cpu max -smp 2 -m 1024 \
      -kernel "$cache/vmlinuz" -initrd "$cache/initramfs.cpio" \
      -append "console=ttyS0 loglevel=4 panic=-1 rdinit=/init ${3:-}" \
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
    timeout "$limit" qemu-system-aarch64 \
      -machine raspi3b \
      -kernel "$cache/vmlinuz" -dtb "$cache/board.dtb" -initrd "$cache/initramfs.cpio" \
      -append "console=ttyS1 loglevel=4 panic=-1 rdinit=/init vmtest.out=/dev/ttyAMA0 ${3:-}" \
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
  [[ $status -ne 124 ]] || fail "the guest did not finish within ${limit}s"
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

# The client's flow ($1: its address) to the page in /api/v1/flows: named, with its bytes.
check_flow() {
  local flows flow down up
  flows=$(block flows)
  flow=$(jq -c --arg ip "$1" '[.flows[] | select(.device_ip == $ip and
    .remote_ip == "203.0.113.10" and .remote_port == 80 and .proto == "tcp")] | first' \
    <<<"$flows" 2>/dev/null || echo null)
  if [[ $flow == null || -z $flow ]]; then
    fail "no flow from $1 to 203.0.113.10:80 in /api/v1/flows: $flows"
  else
    [[ $(jq -r .domain <<<"$flow") == www.wifi.example ]] && ok "flow named www.wifi.example" ||
      fail "flow domain is $(jq -r .domain <<<"$flow")"
    down=$(jq -r .bytes_down <<<"$flow")
    up=$(jq -r .bytes_up <<<"$flow")
    ((down >= 65536)) && ok "flow bytes_down $down (page 65536 + headers)" ||
      fail "flow bytes_down $down"
    ((up > 0)) && ok "flow bytes_up $up" || fail "flow bytes_up $up"
  fi
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

  check_flow "$lease"

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
  # The admin's device list says the same per device (wifi_security, from hostapd by MAC).
  local devs
  devs=$(block admin-devices)
  jq -e --arg s "$(value sta lease)" --arg f "$(value fgr lease)" '[.devices[] | {key: (.ips[]), value: .wifi_security}]
    | from_entries as $m | $m[$s] == "wpa3" and $m[$f] == "wpa2"' <<<"$devs" >/dev/null 2>&1 &&
    ok "admin's /api/v1/devices: sta joined with WPA3, fgr with WPA2" ||
    fail "admin's /api/v1/devices wifi_security: $(jq -c '[.devices[] | {ips, wifi_security}]' <<<"$devs" 2>&1 | head -c 600)"
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

# The class boot: every client associated, with a lease of its own, the name resolved and
# the page fetched; hostapd counts them all; /api/v1/devices has each (by its lease) with a
# name no other has, /api/v1/flows its flow named www.wifi.example. Join times: from
# wpa_supplicant's time stamps (its start, its CTRL-EVENT-CONNECTED).
check_class() { # N
  local n=$1 rows ns line good=0 leases devices flows names named sae psk
  rows=$(grep -E '^WFTEST p[0-9]+ ' "$results" | sed 's/^WFTEST //')
  [[ $(grep -c . <<<"$rows") == "$n" ]] && ok "$n clients reported" ||
    fail "$(grep -c . <<<"$rows") clients reported, not $n"
  while read -r ns line; do
    [[ -n $ns ]] || continue
    if [[ $line == *"state=COMPLETED "* && $line =~ lease=10\.42\.0\.[0-9]+ &&
      $line == *"resolved=203.0.113.10 "* && $line == *"fetched=65536 "* ]]; then
      good=$((good + 1))
    else
      fail "$ns: $line"
    fi
  done <<<"$rows"
  ((good == n)) && ok "all $n associated, leased, resolved www.wifi.example and fetched the page" ||
    fail "only $good of $n clients got through"
  leases=$(sed -n 's/.* lease=\(10\.42\.0\.[0-9]*\).*/\1/p' <<<"$rows" | sort -u)
  [[ $(grep -c . <<<"$leases") == "$n" ]] && ok "$n distinct leases" ||
    fail "$(grep -c . <<<"$leases") distinct leases"
  sae=$(grep -c 'key_mgmt=SAE' <<<"$rows" || true)
  psk=$(grep -c 'key_mgmt=WPA2-PSK' <<<"$rows" || true)
  ((sae + psk == n && sae > 0 && psk > 0)) && ok "$sae joined with WPA3-SAE, $psk with WPA2-PSK" ||
    fail "key management: $sae SAE, $psk WPA2-PSK of $n"
  [[ $(plain stations) == "$n" ]] && ok "hostapd: $n authorized stations" ||
    fail "hostapd: $(plain stations) authorized stations, not $n"

  # Join times (s): each client's own (start to connected), and the class's (first start to
  # last connection); the lease, name and page after.
  awk -v n="$n" '{
      for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
      if (v["started"] == "" || v["connected"] == "") next
      d = v["connected"] - v["started"]; sum += d; c++
      if (c == 1 || d > max) max = d
      if (c == 1 || v["started"] < first) first = v["started"]
      if (c == 1 || v["connected"] > last) last = v["connected"]
    } END {
      if (c) printf "vm-test: [class] join times: %d clients, each %.1f s on average (slowest %.1f s); first start to last connection %.1f s\n", c, sum / c, max, last - first
    }' <<<"$rows"
  echo "vm-test: [class] guest uptime (s): $(sed -n 's/^WFTEST class //p' "$results" | tr '\n' ' ')"
  local last_ok
  last_ok=$(awk '{ for (i = 2; i <= NF; i++) if ($i ~ /^done=/) { split($i, kv, "="); if (kv[2] > m) m = kv[2] } } END { print m }' <<<"$rows")
  echo "vm-test: [class] the last client had its lease, name and page at guest uptime ${last_ok:-?} s"

  devices=$(block devices)
  flows=$(block flows)
  local missing=0 unnamed=0 ip
  for ip in $leases; do
    jq -e --arg ip "$ip" '[.devices[] | select(.ip == $ip or (.ips // [] | index($ip)))] | length == 1' \
      <<<"$devices" >/dev/null 2>&1 || missing=$((missing + 1))
    jq -e --arg ip "$ip" '[.flows[] | select(.device_ip == $ip and .remote_ip == "203.0.113.10" and
      .remote_port == 80 and .domain == "www.wifi.example")] | length >= 1' \
      <<<"$flows" >/dev/null 2>&1 || unnamed=$((unnamed + 1))
  done
  ((missing == 0)) && ok "all $n clients in /api/v1/devices" || fail "$missing clients not in /api/v1/devices"
  names=$(jq -r --argjson ips "$(jq -R . <<<"$leases" | jq -s .)" \
    '[.devices[] | select(.ip as $i | $ips | index($i)) | .name] | (length | tostring) + " " + (unique | length | tostring)' \
    <<<"$devices" 2>/dev/null || echo "0 0")
  named=${names#* }
  [[ $names == "$n $n" ]] && ok "$n distinct names (e.g. $(jq -r '[.devices[].name] | .[:3] | join(", ")' <<<"$devices"))" ||
    fail "device names: $names (rows, distinct) for $n clients"
  ((unnamed == 0)) && ok "every client's flow to 203.0.113.10:80 named www.wifi.example in /api/v1/flows" ||
    fail "$unnamed clients without a named flow in /api/v1/flows (named: $named)"
  block class-akm | sed 's/^/  hostapd: /'
  local log
  while read -r log; do
    echo "--- [class] $log" >&2
    block "$log" >&2
  done < <(sed -n 's/^WFTEST-BEGIN \(wpa-p[0-9]*-log\)$/\1/p' "$results")
  echo "vm-test: [class] joined again from scratch: $(grep -c ' rejoins=[1-9]' <<<"$rows" || true) clients;" \
    "name lookups asked more than once: $(grep -c ' dns_tries=[2-9]' <<<"$rows" || true) clients"
  echo "vm-test: [class] dnsmasq:$(sed -n 's/^WFTEST class dhcp//p' "$results");" \
    "hostapd: $(sed -n 's/^WFTEST class ap //p' "$results")"
  # dnsmasq's offers to 30 new addresses within a minute are no sweep of port 68.
  local scans
  scans=$(block alerts | jq -c '[.alerts[] | select(.rule | startswith("scan."))]' 2>/dev/null || echo "?")
  [[ $scans == "[]" ]] && ok "no scan alert (the DHCP server's offers are not a sweep)" ||
    fail "scan alerts: $scans"
}

# The WiFi uplink boot (S90vm-test's uplink_run): the refused passphrase in plain words with
# the access point serving; then joined, the client's page through it, the captive portal
# reported (status and presenter page) and gone after the "login".
check_uplink() {
  local wrong portal open lease
  wrong=$(block status-wrong)
  portal=$(block status-portal)
  open=$(block status-open)
  lease=$(value sta lease)
  [[ $(plain mode) == settings ]] && ok "the settings were used" || fail "mode $(plain mode)"
  [[ $(value sta state) == COMPLETED && $lease == 10.42.0.* ]] &&
    ok "while the uplink is refused, the access point serves: client joined, lease $lease" ||
    fail "client state $(value sta state), lease $lease while the uplink was refused"
  jq -e '.wifi.interface == "wlan1" and .wifi.hostapd_state == "ENABLED"' <<<"$wrong" >/dev/null 2>&1 &&
    ok "the access point runs on wlan1 (the uplink has wlan0), hostapd ENABLED" ||
    fail "access point: $(jq -c '.wifi | {interface, hostapd_state}' <<<"$wrong" 2>/dev/null)"
  [[ $(value uplink wrong-key-reported) == found ]] &&
    jq -e '.wifi.uplink.problem | test("\"School WiFi\" refused the passphrase: check uplink.wifi_passphrase")' \
      <<<"$wrong" >/dev/null 2>&1 &&
    ok "refused passphrase in plain words: \"$(jq -r .wifi.uplink.problem <<<"$wrong")\"" ||
    fail "uplink problem while refused: $(jq -c .wifi.uplink <<<"$wrong" 2>/dev/null)"
  jq -e '.warnings | map(select(test("refused the passphrase"))) | length == 1' <<<"$wrong" >/dev/null 2>&1 &&
    ok "and among /api/v1/status's warnings" || fail "warnings: $(jq -c .warnings <<<"$wrong" 2>/dev/null)"
  # The daemon's note, through its copy (S50whereflow carries it to the read-only /boot).
  grep -q 'refused the passphrase' <<<"$(block problems-wrong)" &&
    ok "and in the problems file on the boot partition" ||
    fail "the problems file on the boot partition has no uplink note: $(block problems-wrong)"
  [[ $(value uplink address-while-wrong) == none ]] && ok "no uplink address while refused" ||
    fail "uplink address while refused: $(value uplink address-while-wrong)"

  [[ $(value uplink address) == 198.51.100.* ]] &&
    ok "uplink joined \"School WiFi\" ($(value uplink key_mgmt)), lease $(value uplink address)," \
      "$(awk -v a="$(value uplink joined)" -v f="$(value uplink switched)" 'BEGIN { printf "%.1f", a - f }') s after the passphrase matched" ||
    fail "uplink address $(value uplink address)"
  jq -e '.wifi.uplink | .interface == "wlan0" and .wifi == true and .ssid == "School WiFi" and
    .wpa_state == "COMPLETED" and .problem == null' <<<"$portal" >/dev/null 2>&1 &&
    ok "/api/v1/status: uplink wlan0 joined to \"School WiFi\", no problem" ||
    fail "status uplink: $(jq -c .wifi.uplink <<<"$portal" 2>/dev/null)"
  [[ $(value sta resolved) == 203.0.113.10 ]] &&
    ok "www.wifi.example resolved through whereflow and the WiFi uplink ($(value sta dns_tries) tries)" ||
    fail "www.wifi.example resolved to '$(value sta resolved)'"
  [[ $(value sta fetched) == 65536 ]] && ok "page fetched through the WiFi uplink" ||
    fail "page fetch gave $(value sta fetched) bytes"
  check_flow "$lease"

  jq -e '.wifi.uplink.portal | .state == "captive_portal" and
    (.answer | test("redirect \\(302\\) to http://login.wifi.example/portal"))' <<<"$portal" >/dev/null 2>&1 &&
    ok "captive portal reported: $(jq -r .wifi.uplink.portal.answer <<<"$portal")" ||
    fail "portal: $(jq -c .wifi.uplink.portal <<<"$portal" 2>/dev/null)"
  jq -e '.warnings | map(select(test("^the school network wants a login"))) | length == 1' \
    <<<"$portal" >/dev/null 2>&1 && ok "warning: the school network wants a login" ||
    fail "warnings: $(jq -c .warnings <<<"$portal" 2>/dev/null)"
  [[ -n $(block presenter-portal) ]] && ok "presenter page: \"$(block presenter-portal)\"" ||
    fail "the presenter page does not say the school network wants a login"
  [[ $(value uplink open-reported) == found ]] &&
    jq -e '.wifi.uplink.portal.state == "open" and
      (.warnings | map(select(test("wants a login"))) | length == 0)' <<<"$open" >/dev/null 2>&1 &&
    ok "after the login: portal open, warning gone," \
      "$(awk -v a="$(value uplink cleared)" -v f="$(value uplink login)" 'BEGIN { printf "%.1f", a - f }') s after" ||
    fail "after the login: $(jq -c '[.wifi.uplink.portal, .warnings]' <<<"$open" 2>/dev/null)"
  [[ $(value uplink presenter-login-after) == 0 ]] && ok "presenter page no longer asks for a login" ||
    fail "presenter page still asks for a login"
  grep -qx $'\tkey_mgmt=WPA-PSK SAE' <<<"$(block uplink-wpa-conf)" &&
    ok "wpa_supplicant.conf rendered for WPA2/WPA3" || fail "wpa_supplicant.conf: $(block uplink-wpa-conf)"
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
  for b in syslog hostapd-log wpa-sta-log wpa-bad-log wpa-fgr-log wpa-old-log school-hostapd-log; do
    echo "--- [$scenario] $b" >&2
    block "$b" >&2
  done
}

# Whether boot $1 is to run (VM_TEST_ONLY, else the architecture's default set).
selected() {
  local only=${VM_TEST_ONLY:-}
  if [[ -z $only ]]; then
    # "class" too: about 4 minutes on a quiet 2-core machine (251 s on 2026-12-07).
    only=good,fallback,wpa3,uplink,class
    [[ $arch == amd64 ]] || only=good,fallback
  fi
  [[ ,$only, == *",$1,"* ]]
}

# 1. Good settings: the person's network.
scenario=good
if selected good && boot "$here/whereflow-settings.toml"; then
  before=$failures
  [[ $(plain mode) == settings ]] && ok "the settings were used" || fail "mode $(plain mode)"
  check_common 2
  check_security
  check_forgery
  # The boot partition: the admin password hashed in place; the problems file holds no
  # problem, only the running daemon's notes: the admin recovery code (the daemon cannot
  # write to the read-only /boot: S50whereflow carries its copy there).
  # shellcheck disable=SC2016 # a literal $ in the pattern
  grep -q '^password_hash = "\$argon2id\$' <<<"$(block boot-admin)" &&
    ok "admin password hashed on the boot partition" ||
    fail "admin section on the boot partition: $(block boot-admin)"
  notes=$(block boot-notes)
  [[ $(head -n1 <<<"$notes") == "--- notes from the running appliance (not problems) ---" ]] &&
    ok "no problems in the problems file, only notes" || fail "the problems file: $notes"
  grep -Eq '^Admin recovery code \(type it as the password; works once\): [A-Z2-9-]{16,}$' <<<"$notes" &&
    ok "the admin recovery code is on the boot partition" ||
    fail "no admin recovery code in the problems file: $notes"
  jq -e '.warnings | map(select(test("settings"))) | length == 0' <<<"$(block status)" >/dev/null 2>&1 &&
    ok "no settings warnings in /api/v1/status" ||
    fail "status warnings: $(block status | jq -c .warnings 2>/dev/null)"
  timeline
  ((failures == before)) || logs
fi

# 2. Bad settings: the setup network, the problems file, the problems in /api/v1/status.
scenario=fallback
if selected fallback &&
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

# 3. wifi.security "wpa3": SAE only, protected management frames required. sta joins with
# WPA3-SAE; old, a WPA2-only device with the right passphrase, is refused.
scenario=wpa3
if selected wpa3 && boot "$here/whereflow-settings-wpa3.toml"; then
  before=$failures
  [[ $(plain mode) == settings ]] && ok "the settings were used" || fail "mode $(plain mode)"
  check_common 1
  conf=$(block hostapd-security)
  grep -qx 'wpa_key_mgmt=SAE' <<<"$conf" && grep -qx 'ieee80211w=2' <<<"$conf" &&
    grep -qx 'rsn_pairwise=CCMP' <<<"$conf" &&
    ok "security \"wpa3\": hostapd.conf SAE only, PMF required" ||
    fail "hostapd.conf security lines: $(tr '\n' ' ' <<<"$conf")"
  grep -q 'whereflow setup: WiFi security: WPA3 (SAE)' "$console" &&
    ok "setup says which security it chose" || fail "no 'WiFi security: ... wpa3' line from setup on the console"
  [[ $(value sta key_mgmt) == SAE && $(value sta pmf) == 2 ]] &&
    ok "sta joined with WPA3-SAE, PMF required" ||
    fail "sta key_mgmt $(value sta key_mgmt), pmf $(value sta pmf)"
  grep -qx 'AKMSuiteSelector=00-0f-ac-8' <<<"$(block all-sta)" && ok "hostapd all_sta: an SAE station" ||
    fail "hostapd all_sta: $(block all-sta | tr '\n' ' ')"
  [[ $(value old state) != COMPLETED ]] && ok "WPA2-only client refused ($(value old state))" ||
    fail "the WPA2-only client associated"
  [[ $(value old lease) == none ]] && ok "WPA2-only client got no lease" ||
    fail "the WPA2-only client got a lease $(value old lease)"
  timeline
  ((failures == before)) || logs
fi

# 4. A class: VM_TEST_CLASS (30) clients at once, one radio each (mac80211_hwsim with two
# spare: the access point's, and one).
scenario=class
class_n=${VM_TEST_CLASS:-30}
if selected class && boot "$here/whereflow-settings.toml" "" \
  "vmtest.radios=$((class_n + 2)) vmtest.class=$class_n"; then
  before=$failures
  check_class "$class_n"
  timeline
  ((failures == before)) || logs
fi

# 5. A WiFi uplink: the school's network (hostapd in the guest's "internet" namespace),
# first refusing the passphrase, then joined, behind a captive portal, then open.
scenario=uplink
if selected uplink && boot "$here/whereflow-settings-uplink.toml" "" vmtest.uplink=wifi; then
  before=$failures
  check_uplink
  timeline
  ((failures == before)) || logs
fi

total=$(($(date +%s) - started))
if ((failures)); then
  echo "vm-test: $failures checks failed (${total} s)" >&2
  exit 1
fi
echo "vm-test: all checks passed in ${total} s"
