#!/usr/bin/env bash
# Post-image script of the whereflow images (BR2_ROOTFS_POST_IMAGE_SCRIPT): writes
# sdcard.img (layout in genimage.cfg.in) and sdcard.img.xz, the file to flash, into
# $BINARIES_DIR. Adapted from Buildroot's board/raspberrypi/post-image.sh.
set -euo pipefail

BOARD_COMMON=$(cd "$(dirname "$0")" && pwd)
GENIMAGE_CFG="${BINARIES_DIR}/genimage.cfg"
GENIMAGE_TMP="${BUILD_DIR}/genimage.tmp"

# The settings file people edit after flashing, at the root of the boot partition.
SETTINGS="${BOARD_COMMON}/whereflow-settings.toml"
install -m 0644 "$SETTINGS" "${BINARIES_DIR}/whereflow-settings.toml"

# Everything the firmware reads from the boot partition: device trees, the firmware
# files (start*.elf, fixup*.dat, config.txt, cmdline.txt, overlays/), the kernel.
files=()
for f in "${BINARIES_DIR}"/*.dtb "${BINARIES_DIR}"/rpi-firmware/*; do
	[[ -e $f ]] && files+=("${f#"${BINARIES_DIR}/"}")
done
kernel=$(sed -n 's/^kernel=//p' "${BINARIES_DIR}/rpi-firmware/config.txt")
if [[ -z $kernel || ! -f "${BINARIES_DIR}/${kernel}" ]]; then
	echo "post-image: config.txt names no kernel=, or ${BINARIES_DIR}/${kernel} is missing" >&2
	exit 1
fi
files+=("$kernel" whereflow-settings.toml)

boot_files=$(printf '\\t\\t\\t"%s",\\n' "${files[@]}")
sed "s|#BOOT_FILES#|${boot_files}|" "${BOARD_COMMON}/genimage.cfg.in" >"$GENIMAGE_CFG"

# An empty root path: genimage only puts ready-made images (rootfs.ext4) into the card
# image, and the data partition starts empty.
ROOTPATH_TMP=$(mktemp -d)
trap 'rm -rf "${ROOTPATH_TMP}"' EXIT
rm -rf "${GENIMAGE_TMP}"

genimage \
	--rootpath "${ROOTPATH_TMP}" \
	--tmppath "${GENIMAGE_TMP}" \
	--inputpath "${BINARIES_DIR}" \
	--outputpath "${BINARIES_DIR}" \
	--config "${GENIMAGE_CFG}"

# Raspberry Pi Imager and `xz -dc | dd` take the compressed image.
xz --threads=0 --force --keep "${BINARIES_DIR}/sdcard.img"
(cd "${BINARIES_DIR}" && sha256sum sdcard.img.xz >sdcard.img.xz.sha256)
echo "post-image: ${BINARIES_DIR}/sdcard.img.xz"
