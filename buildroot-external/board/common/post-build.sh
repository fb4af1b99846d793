#!/bin/sh
# Post-build script of the whereflow images (BR2_ROOTFS_POST_BUILD_SCRIPT, after Buildroot's
# board/raspberrypi/post-build.sh). $1 is the target directory.
#
# The root file system is mounted read-only (cmdline.txt says "ro" and
# BR2_TARGET_GENERIC_REMOUNT_ROOTFS_RW is off). What must be written lives on:
#   /boot  the FAT boot partition: firmware, kernel and the settings file
#          whereflow-settings.toml, mounted read-only; readable by root and the group
#          "whereflow" only (the file holds the WiFi passphrase and the admin password)
#   /data  the ext4 data partition: the daemon's database (/data/whereflow) and whatever
#          else must survive a reboot
#   /tmp, /run  tmpfs (Buildroot's fstab); /var/log, /var/cache, /var/tmp point there.
#
# Consoles: cmdline.txt names the serial port first and the HDMI screen (tty1) last, so the
# kernel writes to both and /dev/console (the init scripts' messages, e.g. the setup
# network's passphrase) is the screen. Logins: a getty on the serial port
# (BR2_TARGET_GENERIC_GETTY_PORT) and one on tty1 (Buildroot's board/raspberrypi/post-build.sh).
set -eu

TARGET_DIR=$1
FSTAB="$TARGET_DIR/etc/fstab"

gid=$(awk -F: '$1 == "whereflow" { print $3 }' "$TARGET_DIR/etc/group")
if [ -z "$gid" ]; then
	echo "post-build: no group whereflow in $TARGET_DIR/etc/group" \
		"(is BR2_PACKAGE_WHEREFLOW enabled?)" >&2
	exit 1
fi

mkdir -p "$TARGET_DIR/boot" "$TARGET_DIR/data"

# Adds an fstab line unless the mount point is already listed (for example by the rootfs
# overlay's own fstab).
add_mount() {
	mount_point=$2
	if ! awk -v mp="$mount_point" '$2 == mp { found = 1 } END { exit !found }' "$FSTAB"; then
		printf '%s\n' "$1" >>"$FSTAB"
	fi
}
add_mount "/dev/mmcblk0p1	/boot		vfat	ro,noatime,uid=0,gid=$gid,fmask=0137,dmask=0027	0	0" /boot
add_mount "/dev/mmcblk0p3	/data		ext4	rw,noatime,nodev,nosuid,noexec	0	2" /data

# What was built, for a support question ("which image is this?").
repo="$(dirname "$0")/../../.."
version=$(git -C "$repo" describe --always --dirty 2>/dev/null || echo unknown)
printf 'whereflow %s\n' "$version" >"$TARGET_DIR/etc/whereflow/build-info"
