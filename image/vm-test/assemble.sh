#!/usr/bin/env bash
# Assembles the WiFi system test's guest from the extracted Debian packages
# (target/vm-test/staging, see fetch-debs.sh), the whereflow binary, the SAME rootfs overlay
# as the Raspberry Pi image (buildroot-external/board/common/rootfs-overlay) and the image's
# defaults file, plus the test's own layer (image/vm-test/guest: Buildroot-like inittab, rcS,
# users, the "internet" namespace and the test itself).
#
# Writes into target/vm-test/ (amd64): vmlinuz and initramfs.cpio (the root file system).
# Into target/vm-test-arm64/ (arm64, the emulated Raspberry Pi 3): vmlinuz, the board's
# device tree (bcm2837-rpi-3-b.dtb), rootfs.ext4 (the root file system, the SD card's second
# partition as on a real card) and initramfs.cpio (only what mounts it: the SD card's
# drivers, which Debian's kernel has as modules where the Pi's has them built in).
# The disks (boot and data partitions) are made per boot by run.sh.
#
# Usage: assemble.sh WHEREFLOW_BINARY [amd64|arm64]   (the binary must be for that arch)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
binary=$1
arch=${2:-amd64}
# shellcheck source=image/vm-test/arch.sh
. "$here/arch.sh"
root=$cache/root

[[ -x $binary ]] || { echo "assemble: no whereflow binary at $binary" >&2; exit 1; }

rm -rf "$root"
mkdir -p "$root"/{usr/bin,usr/sbin,"usr/lib/$triplet",usr/lib64,usr/lib/modules,usr/lib/firmware}
mkdir -p "$root"/{etc,proc,sys,dev,run,tmp,boot,data,root,var}
for d in bin sbin lib lib64; do
  ln -s "usr/$d" "$root/$d"
done
ln -s ../tmp "$root/var/tmp"
ln -s ../run "$root/var/run"
ln -s ../tmp "$root/var/log"
# What the test's own layer writes outside /run and /tmp, kept off the root file system,
# which is read-only on the emulated Pi as on a real card.
ln -s ../run "$root/etc/netns"
ln -s run "$root/srv"

# Programs, from where their package puts them (before the usr merge) to /usr/{bin,sbin}.
install_prog() { # SOURCE (relative to staging) DEST (relative to root)
  install -D -m 0755 "$staging/$1" "$root/$2"
}
install_prog usr/sbin/hostapd usr/sbin/hostapd
install_prog usr/sbin/hostapd_cli usr/sbin/hostapd_cli
install_prog sbin/wpa_supplicant usr/sbin/wpa_supplicant
install_prog sbin/wpa_cli usr/sbin/wpa_cli
install_prog usr/sbin/dnsmasq usr/sbin/dnsmasq
install_prog usr/sbin/nft usr/sbin/nft
install_prog bin/ip usr/sbin/ip
install_prog sbin/iw usr/sbin/iw
install_prog usr/bin/setpriv usr/bin/setpriv
install_prog bin/mountpoint usr/bin/mountpoint
install -m 0755 "$binary" "$root/usr/bin/whereflow"

# busybox: every applet the packages above do not provide. (Its list, from the binary run
# through the staging tree's own loader and libraries.)
busybox_list() {
  if [[ $arch == amd64 ]]; then
    "$staging/$loader" --library-path "$staging/lib/$triplet" "$staging/bin/busybox" --list-full
  else
    qemu-aarch64 -L "$staging" "$staging/bin/busybox" --list-full
  fi
}
install_prog bin/busybox usr/bin/busybox
while read -r applet; do
  name=${applet##*/}
  [[ -e $root/usr/bin/$name || -e $root/usr/sbin/$name || -L $root/usr/bin/$name || -L $root/usr/sbin/$name ]] && continue
  case $applet in
    sbin/* | usr/sbin/*) ln -s ../bin/busybox "$root/usr/sbin/$name" ;;
    *) ln -s busybox "$root/usr/bin/$name" ;;
  esac
done < <(busybox_list)
ln -s bin/busybox "$root/init"

# Shared libraries: follow DT_NEEDED from every program, find each in the staging tree.
libdirs=("$staging/lib/$triplet" "$staging/usr/lib/$triplet" "$staging/lib64" "$staging/lib")
find_lib() {
  local d
  for d in "${libdirs[@]}"; do
    if [[ -e $d/$1 ]]; then
      echo "$d/$1"
      return 0
    fi
  done
  return 1
}
declare -A seen=()
queue=()
for f in "$root"/usr/bin/* "$root"/usr/sbin/*; do
  [[ -L $f ]] && continue
  queue+=("$f")
done
while ((${#queue[@]})); do
  f=${queue[0]}
  queue=("${queue[@]:1}")
  while read -r lib; do
    [[ -n ${seen[$lib]:-} ]] && continue
    seen[$lib]=1
    path=$(find_lib "$lib") || { echo "assemble: $lib (needed by ${f##*/}) is in no package" >&2; exit 1; }
    cp -L "$path" "$root/usr/lib/$triplet/$lib"
    queue+=("$path")
  done < <(readelf -d "$f" 2>/dev/null | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
done
cp -L "$staging/$loader" "$root/usr/$loader"
echo "/usr/lib/$triplet" >"$root/etc/ld.so.conf"
ldconfig -r "$root" 2>/dev/null || true

# The kernel, and the modules the test loads (with their dependencies, from modules.dep).
kernel=$(find "$staging/boot" -name 'vmlinuz-*' | sort | tail -n1)
kver=${kernel##*/vmlinuz-}
cp "$kernel" "$cache/vmlinuz"
mods=$staging/lib/modules/$kver
# Debian makes modules.dep at install time; make it for the extracted tree.
[[ -f $mods/modules.dep ]] || depmod -b "$staging" "$kver"
wanted=()
for conf in "$repo"/buildroot-external/board/common/rootfs-overlay/etc/modules-load.d/*.conf \
  "$here"/guest/etc/modules-load.d/*.conf "$here/guest-$arch"/etc/modules-load.d/*.conf; do
  [[ -e $conf ]] || continue
  while read -r m _; do
    [[ -n $m ]] && wanted+=("$m")
  done < <(sed -e 's/#.*//' "$conf")
done
declare -A have=()
add_module() { # NAME (dashes or underscores)
  local name=${1//-/_} rel dep
  rel=$(awk -F: -v n="$name" '{ f = $1; sub(/.*\//, "", f); sub(/\.ko.*$/, "", f); gsub(/-/, "_", f) }
    f == n { print $1; exit }' "$mods/modules.dep")
  [[ -n $rel ]] || return 0 # built in, or not in this kernel
  [[ -n ${have[$rel]:-} ]] && return 0
  have[$rel]=1
  install -D -m 0644 "$mods/$rel" "$root/usr/lib/modules/$kver/$rel"
  local deps
  read -r -a deps < <(awk -F: -v r="$rel" '$1 == r { print $2; exit }' "$mods/modules.dep")
  for dep in "${deps[@]}"; do
    dep=${dep##*/}
    add_module "${dep%%.ko*}"
  done
}
# On the Pi: the SD card's drivers (the initramfs loads them).
# bcm2835_wdt only for the test's final reset (guest/etc/init.d/S90vm-test).
[[ $arch == arm64 ]] && wanted+=("${sd_modules[@]}" bcm2835_wdt)
for m in "${wanted[@]}" nf_conntrack nf_defrag_ipv4 nf_defrag_ipv6 aes_generic aesni_intel crc32c_generic libarc4; do
  add_module "$m"
done
cp "$mods"/modules.order "$mods"/modules.builtin* "$root/usr/lib/modules/$kver/" 2>/dev/null || true
depmod -b "$root" "$kver"

# The regulatory database cfg80211 loads for wifi.country (Debian's signed copy).
cp "$staging/lib/firmware/regulatory.db-debian" "$root/usr/lib/firmware/regulatory.db"
cp "$staging/lib/firmware/regulatory.db.p7s-debian" "$root/usr/lib/firmware/regulatory.db.p7s"

# The Pi image's overlay and defaults file, then the test's own layer.
cp -a "$repo/buildroot-external/board/common/rootfs-overlay/." "$root/"
defaults=$repo/buildroot-external/package/whereflow/image-defaults.toml
if [[ -f $defaults ]]; then
  install -D -m 0644 "$defaults" "$root/etc/whereflow/image-defaults.toml"
fi
cp -a "$here/guest/." "$root/"
if [[ -d $here/guest-$arch ]]; then
  cp -a "$here/guest-$arch/." "$root/"
fi
ln -sf ../tmp/resolv.conf "$root/etc/resolv.conf"

if [[ $arch == amd64 ]]; then
  # The root file system, uncompressed (unpacking is faster than decompressing under TCG).
  (cd "$root" && find . -print0 | cpio --null -o -H newc --owner 0:0 --quiet) >"$cache/initramfs.cpio"
  echo "assemble: kernel $kver, $(du -h "$cache/initramfs.cpio" | cut -f1) initramfs," \
    "${#have[@]} modules, ${#seen[@]} libraries"
  exit 0
fi

# The emulated Pi: the board's device tree from the kernel package, without the Bluetooth
# chip on the PL011 UART (with it, the kernel gives that UART to the Bluetooth driver and
# makes no tty of it; the test writes its results there).
dtb=$(find "$staging/usr/lib/linux-image-$kver" -name bcm2837-rpi-3-b.dtb | head -n1)
[[ -n $dtb ]] || { echo "assemble: no bcm2837-rpi-3-b.dtb in the kernel package" >&2; exit 1; }
cp "$dtb" "$cache/board.dtb"
fdtput -r "$cache/board.dtb" /soc/serial@7e201000/bluetooth
# The root file system: the SD card's second partition, ext4, mounted read-only.
rm -f "$cache/rootfs.ext4"
rootfs_mb=$(($(du -sm "$root" | cut -f1) * 5 / 4 + 16))
mke2fs -q -t ext4 -L rootfs -E root_owner=0:0 -d "$root" "$cache/rootfs.ext4" "${rootfs_mb}M" >/dev/null
# The initramfs: busybox, its libraries, the SD card's modules, and /init that mounts the
# root file system and hands over to it.
initrd=$cache/initrd
rm -rf "$initrd"
mkdir -p "$initrd"/{dev,proc,sys,newroot,usr/bin,"usr/lib/$triplet"}
for d in bin sbin lib; do
  ln -s "usr/$d" "$initrd/$d"
done
ln -s bin "$initrd/usr/sbin"
cp "$root/usr/bin/busybox" "$initrd/usr/bin/"
cp "$root/usr/$loader" "$initrd/usr/$loader"
while read -r lib; do
  cp "$root/usr/lib/$triplet/$lib" "$initrd/usr/lib/$triplet/"
done < <(readelf -d "$root/usr/bin/busybox" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
mkdir -p "$initrd/usr/lib/modules"
cp -a "$root/usr/lib/modules/$kver" "$initrd/usr/lib/modules/"
for applet in sh mount umount modprobe switch_root sleep cat; do
  ln -s busybox "$initrd/usr/bin/$applet"
done
install -m 0755 "$here/initramfs-init" "$initrd/init"
printf '%s\n' "${sd_modules[@]}" >"$initrd/sd-modules"
(cd "$initrd" && find . -print0 | cpio --null -o -H newc --owner 0:0 --quiet) >"$cache/initramfs.cpio"
echo "assemble: kernel $kver, rootfs ${rootfs_mb} MB, $(du -h "$cache/initramfs.cpio" | cut -f1)" \
  "initramfs, ${#have[@]} modules, ${#seen[@]} libraries"
