#!/usr/bin/env bash
# Offline checks of the Buildroot tree (buildroot-external/) against a Buildroot checkout:
#
#   image/check-buildroot.sh <buildroot checkout> [<linux source tree>]
#
# 1. For every configs/*_defconfig: `make O=<tmp> BR2_EXTERNAL=... <name>_defconfig`, then
#    `make savedefconfig`, and a diff against the committed file. Kconfig silently drops a
#    symbol whose dependencies are not met (and savedefconfig leaves out defaults), so a
#    line that is only in the committed file is a setting Buildroot ignores.
# 2. Symbols the appliance needs are set in every resulting .config (some are Buildroot
#    defaults, so savedefconfig does not list them: BR2_PACKAGE_DNSMASQ_DHCP, ...).
# 3. Buildroot's Rust is at least the newest rust-version in Cargo.lock.
# 4. `utils/check-package -b` on every file of the tree (needs python3-magic, flake8 and the
#    ShellCheck linter: apt-get install python3-magic flake8 shellcheck), with the
#    exceptions listed in buildroot-external/.checkpackageignore if there is one (the
#    overlay's one-shot init scripts (modules, mounts, clock, setup, firewall, ...) start no
#    daemon of their own name, so Buildroot's DAEMON/PIDFILE template does not apply; the
#    daemons' scripts, S40hostapd, S50whereflow and S80dnsmasq, follow it).
# 5. With a Linux source tree (the Raspberry Pi kernel Buildroot unpacked into
#    output/<board>/build/linux-<version>, or any recent kernel): every line of
#    board/common/linux.fragment survives `merge_config.sh` + `olddefconfig` on top of
#    bcm2711_defconfig (the tree's `defconfig` when it has no bcm2711_defconfig).
#
# Needs no network: only Kconfig runs, nothing is downloaded or built. The checkout should
# be the pinned release (image/buildroot.version); image/build.sh makes one in
# output/buildroot-<version>. Exit status 0 only when everything passes.
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
EXTERNAL="$REPO/buildroot-external"

if [[ $# -lt 1 || $# -gt 2 || ! -f $1/Makefile || ! -x $1/utils/check-package ]] ||
	[[ $# -eq 2 && ! -x ${2:-}/scripts/kconfig/merge_config.sh ]]; then
	echo "usage: $0 <buildroot checkout> [<linux source tree>]" >&2
	exit 2
fi
BR=$(cd "$1" && pwd)
LINUX=${2:+$(cd "$2" && pwd)}

BUILDROOT_VERSION=$(sed -n 's/^BUILDROOT_VERSION=//p' "$REPO/image/buildroot.version")
have=$(sed -n 's/^export BR2_VERSION := //p' "$BR/Makefile")
if [[ $have != "$BUILDROOT_VERSION" ]]; then
	echo "note: $BR is Buildroot $have; the images pin $BUILDROOT_VERSION"
fi

REQUIRED=(
	BR2_PACKAGE_WHEREFLOW
	BR2_PACKAGE_HOST_RUSTC
	BR2_ROOTFS_DEVICE_TABLE_SUPPORTS_EXTENDED_ATTRIBUTES
	BR2_PACKAGE_HOSTAPD
	BR2_PACKAGE_HOSTAPD_DRIVER_NL80211
	BR2_PACKAGE_HOSTAPD_WPA3
	BR2_PACKAGE_DNSMASQ
	BR2_PACKAGE_DNSMASQ_DHCP
	BR2_PACKAGE_NFTABLES
	BR2_PACKAGE_IW
	BR2_PACKAGE_WIRELESS_REGDB
	BR2_PACKAGE_WPA_SUPPLICANT
	BR2_PACKAGE_WPA_SUPPLICANT_WPA3
	BR2_PACKAGE_WPA_SUPPLICANT_CTRL_IFACE
	BR2_PACKAGE_BRCMFMAC_SDIO_FIRMWARE_RPI
	BR2_PACKAGE_BRCMFMAC_SDIO_FIRMWARE_RPI_WIFI
	BR2_PACKAGE_UTIL_LINUX_SETPRIV
	BR2_PACKAGE_E2FSPROGS
	BR2_ROOTFS_DEVICE_CREATION_DYNAMIC_MDEV
	BR2_LINUX_KERNEL
	BR2_TARGET_ROOTFS_EXT2_4
	BR2_PACKAGE_HOST_GENIMAGE
)
UNSET=(
	BR2_TARGET_GENERIC_REMOUNT_ROOTFS_RW # the root file system stays read-only
	BR2_PACKAGE_BUSYBOX_WATCHDOG         # the overlay's S15watchdog feeds the watchdog
)

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
failed=0

echo "== defconfigs (make <name>_defconfig; make savedefconfig; diff)"
dropped_total=0
added_total=0
for defconfig in "$EXTERNAL"/configs/*_defconfig; do
	name=$(basename "$defconfig")
	out="$TMP/${name%_defconfig}"
	if ! make -s -C "$BR" O="$out" BR2_EXTERNAL="$EXTERNAL" "$name" >"$out.log" 2>&1 ||
		! make -s -C "$BR" O="$out" BR2_DEFCONFIG="$out/saved_defconfig" savedefconfig \
			>>"$out.log" 2>&1; then
		echo "$name: make failed:"
		sed 's/^/    /' "$out.log"
		failed=1
		continue
	fi
	# Set differences: a line only in the committed file is a symbol Kconfig dropped (or a
	# default that need not be written); a line only in saved_defconfig is a setting the
	# committed file does not state. Same lines in another order: only the order differs.
	dropped=$(comm -23 <(sort "$defconfig") <(sort "$out/saved_defconfig") | grep -c . || true)
	added=$(comm -13 <(sort "$defconfig") <(sort "$out/saved_defconfig") | grep -c . || true)
	dropped_total=$((dropped_total + dropped))
	added_total=$((added_total + added))
	diff=clean
	if ! diff -u "$defconfig" "$out/saved_defconfig" >"$out.diff"; then
		diff="see below"
		failed=1
	fi
	missing=()
	for sym in "${REQUIRED[@]}"; do
		grep -qx "$sym=y" "$out/.config" || missing+=("$sym")
	done
	for sym in "${UNSET[@]}"; do
		grep -qx "# $sym is not set" "$out/.config" || missing+=("!$sym")
	done
	# The overlay's S35uplink runs the uplink's DHCP client, not Buildroot's ifupdown.
	grep -qx 'BR2_SYSTEM_DHCP=""' "$out/.config" || missing+=('BR2_SYSTEM_DHCP=""')
	echo "$name: dropped: $dropped, added: $added, diff: $diff;" \
		"required symbols missing: ${missing[*]:-none}"
	if [[ $diff != clean ]]; then
		echo "    (- committed, + what savedefconfig writes)"
		sed 's/^/    /' "$out.diff"
	fi
	((${#missing[@]} == 0)) || failed=1
done

echo "== Rust: Buildroot's compiler against Cargo.lock"
br_rust=$(sed -n 's/^RUST_BIN_VERSION = //p' "$BR/package/rust-bin/rust-bin.mk")
if command -v cargo >/dev/null 2>&1; then
	need=$(cd "$REPO" && cargo metadata --format-version 1 --locked --offline 2>/dev/null |
		python3 -c '
import json, sys
m = json.load(sys.stdin)
v = [tuple(int(x) for x in p["rust_version"].split(".")) for p in m["packages"] if p.get("rust_version")]
print(".".join(map(str, max(v))) if v else "")
') || need=""
	if [[ -z $need ]]; then
		echo "cannot read rust-version from Cargo.lock (cargo metadata --offline failed); skipped"
	elif [[ $(printf '%s\n%s\n' "$need" "$br_rust" | sort -V | head -n1) == "$need" ]]; then
		echo "Buildroot has Rust $br_rust; Cargo.lock needs at least $need: ok"
	else
		echo "Buildroot has Rust $br_rust; Cargo.lock needs at least $need: TOO OLD"
		failed=1
	fi
else
	echo "cargo not installed; skipped (Buildroot has Rust $br_rust)"
fi

if [[ -n $LINUX ]]; then
	echo "== kernel fragment against $LINUX"
	base=defconfig
	[[ -f $LINUX/arch/arm64/configs/bcm2711_defconfig ]] && base=bcm2711_defconfig
	fragment="$EXTERNAL/board/common/linux.fragment"
	k="$TMP/linux"
	if make -s -C "$LINUX" ARCH=arm64 O="$k" "$base" >"$k.log" 2>&1 &&
		(cd "$LINUX" && scripts/kconfig/merge_config.sh -m -O "$k" "$k/.config" "$fragment") \
			>>"$k.log" 2>&1 &&
		make -s -C "$LINUX" ARCH=arm64 O="$k" olddefconfig >>"$k.log" 2>&1; then
		lost=0
		while IFS= read -r line; do
			sym=${line%%=*}
			got=$(grep -E "^$sym=|^# $sym is not set" "$k/.config" || true)
			if [[ $got != "$line" ]]; then
				echo "$line: the kernel made it '${got:-absent}'"
				lost=$((lost + 1))
			fi
		done < <(grep '^CONFIG_' "$fragment")
		echo "$base + linux.fragment: $(grep -c '^CONFIG_' "$fragment") settings, $lost not kept"
		((lost == 0)) || failed=1
	else
		echo "kernel configuration failed:"
		sed 's/^/    /' "$k.log"
		failed=1
	fi
fi

echo "== utils/check-package -b"
py=python3
if ! python3 -c 'import magic' 2>/dev/null && /usr/bin/python3 -c 'import magic' 2>/dev/null; then
	py=/usr/bin/python3 # python3-magic is installed for the system's Python
fi
mapfile -t files < <(cd "$EXTERNAL" && find . -type f ! -name '*.md' -printf '%P\n' | sort)
# Justified exceptions, one "<file> <check> ..." line each (Buildroot's own format).
ignore=()
[[ -f $EXTERNAL/.checkpackageignore ]] && ignore=(--ignore-list .checkpackageignore)
if ! (cd "$EXTERNAL" && "$py" "$BR/utils/check-package" -b "${ignore[@]}" "${files[@]}") \
	2>"$TMP/cp.err"; then
	failed=1
fi
cat "$TMP/cp.err"
warnings=$(sed -n 's/^\([0-9]*\) warnings generated$/\1/p' "$TMP/cp.err")
[[ ${warnings:-1} == 0 ]] || failed=1

echo "== summary"
echo "symbols dropped: $([[ $dropped_total == 0 ]] && echo none || echo "$dropped_total");" \
	"settings savedefconfig adds: $([[ $added_total == 0 ]] && echo none || echo "$added_total")"
echo "check-package: ${warnings:-?} warnings"
exit "$failed"
