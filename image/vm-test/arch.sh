# shellcheck shell=bash disable=SC2034,SC2154
# What differs between the WiFi system test's two guests, sourced by run.sh, fetch-debs.sh
# and assemble.sh with $arch (amd64 or arm64) and $repo set:
#   amd64  a QEMU x86_64 PC (q35), root file system in the initramfs;
#   arm64  QEMU's Raspberry Pi 3 (raspi3b: BCM2837, SD card, USB), root file system on the
#          emulated SD card, as on a real card.
case $arch in
amd64)
  cache=${VM_TEST_CACHE:-$repo/target/vm-test}
  triplet=x86_64-linux-gnu
  loader=lib64/ld-linux-x86-64.so.2
  ;;
arm64)
  cache=${VM_TEST_CACHE:-$repo/target/vm-test-arm64}
  triplet=aarch64-linux-gnu
  loader=lib/ld-linux-aarch64.so.1
  # The SD card's drivers (QEMU puts the card on the SDHCI or, once the kernel has set the
  # pins for it, the SD host controller, module "bcm2835") and the root file system's: Debian's kernel has them
  # as modules, the Pi image's kernel built in. The initramfs loads them.
  sd_modules=(sdhci_iproc bcm2835 ext4 crc32c_generic)
  ;;
*)
  echo "vm-test: unknown architecture '$arch' (amd64 or arm64)" >&2
  exit 2
  ;;
esac
staging=$cache/staging
