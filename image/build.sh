#!/usr/bin/env bash
# Builds whereflow's SD card image for a Raspberry Pi with the pinned Buildroot release.
#
#   image/build.sh <board>|all [--no-geo] [--prepare]
#
# boards: rpi3_64 rpi4_64 rpi5 rpizero2w_64 (buildroot-external/configs/whereflow_<board>_defconfig)
# result: output/<board>/images/sdcard.img.xz (and sdcard.img, sdcard.img.xz.sha256)
#
# Steps (each skips what is already done, so a second run only rebuilds what changed):
#   1. Buildroot: clone the tag of image/buildroot.version into output/buildroot-<version>
#      and check that it is the pinned commit.
#   2. Crates: `cargo vendor` into output/cargo-vendor (Buildroot builds with
#      `cargo build --offline --locked`; a local package gets no vendoring from Buildroot).
#   3. Web views: scripts/build-web.sh (web-templates/dist, embedded by build.rs).
#   4. Geo and AS databases: blocklists/fetch-geo into target/geo-data (about 150 MB).
#   5. `make BR2_EXTERNAL=buildroot-external whereflow_<board>_defconfig` and `make` in
#      output/<board> (downloads the toolchain, kernel and packages into output/dl).
#
# --no-geo   no geo/AS databases in the image (step 4 skipped; countries, cities and AS
#            names show as unknown); the image is about 150 MB smaller.
# --prepare  steps 1 to 4 and the defconfig, without the Buildroot build.
#
# Needs a Linux build machine with Buildroot's host packages (gcc, g++, make, patch, perl,
# python3, rsync, bc, cpio, unzip, file, wget, git, xz), Rust with cargo, Node 18+ with npm,
# and the internet (or everything already in the caches). Environment: BUILDROOT_GIT (where
# to clone Buildroot from, default in image/buildroot.version; a local mirror works),
# BR2_DL_DIR (download cache, default output/dl), BR2_JLEVEL (parallel jobs, default: all
# CPUs).
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
EXTERNAL="$REPO/buildroot-external"
OUT="$REPO/output"
BOARDS=(rpi3_64 rpi4_64 rpi5 rpizero2w_64)

usage() {
	echo "usage: $0 <board>|all [--no-geo] [--prepare]   (boards: ${BOARDS[*]})" >&2
	exit 2
}

boards=()
geo=1
prepare_only=0
for arg in "$@"; do
	case $arg in
	all) boards=("${BOARDS[@]}") ;;
	--no-geo) geo=0 ;;
	--prepare) prepare_only=1 ;;
	-h | --help) usage ;;
	*)
		[[ -f $EXTERNAL/configs/whereflow_${arg}_defconfig ]] || usage
		boards+=("$arg")
		;;
	esac
done
((${#boards[@]})) || usage

step() { printf '\n== %s\n' "$*"; }
die() {
	echo "build: $*" >&2
	exit 1
}

pinned() { sed -n "s/^$1=//p" "$REPO/image/buildroot.version"; }
BUILDROOT_VERSION=$(pinned BUILDROOT_VERSION)
BUILDROOT_COMMIT=$(pinned BUILDROOT_COMMIT)
BUILDROOT_GIT=${BUILDROOT_GIT:-$(pinned BUILDROOT_GIT)}
BR="$OUT/buildroot-$BUILDROOT_VERSION"
export BR2_DL_DIR=${BR2_DL_DIR:-$OUT/dl}

for tool in git cargo make rsync xz; do
	command -v "$tool" >/dev/null 2>&1 || die "$tool is not installed"
done
mkdir -p "$OUT" "$BR2_DL_DIR"

step "1. Buildroot $BUILDROOT_VERSION"
if [[ ! -d $BR/.git ]]; then
	rm -rf "$BR.tmp"
	git -c advice.detachedHead=false clone --quiet --depth 1 --branch "$BUILDROOT_VERSION" \
		"$BUILDROOT_GIT" "$BR.tmp"
	mv "$BR.tmp" "$BR"
fi
have=$(git -C "$BR" rev-parse HEAD)
[[ $have == "$BUILDROOT_COMMIT" ]] ||
	die "$BR is at $have, not $BUILDROOT_COMMIT (tag $BUILDROOT_VERSION); remove it to clone again"
[[ -z $(git -C "$BR" status --porcelain --untracked-files=no) ]] ||
	die "$BR has local changes (git -C $BR status); remove it to clone again"
echo "$BR: $BUILDROOT_VERSION at $have (verified)"

step "2. Crates: cargo vendor into output/cargo-vendor"
# The printed source replacement names the directory by its absolute path; the package
# copies it into its build directory as .cargo/config.toml.
cd "$REPO"
vendor() { cargo vendor --locked --versioned-dirs "$@" "$OUT/cargo-vendor" >"$OUT/cargo-vendor.toml.tmp"; }
vendor --offline 2>/dev/null || vendor
mv "$OUT/cargo-vendor.toml.tmp" "$OUT/cargo-vendor.toml"
echo "$(find "$OUT/cargo-vendor" -mindepth 1 -maxdepth 1 -type d | wc -l) crates"

step "3. Web views: scripts/build-web.sh"
"$REPO/scripts/build-web.sh"
[[ -f $REPO/web-templates/dist/manifest.tsv ]] || die "scripts/build-web.sh wrote no web-templates/dist/manifest.tsv"

if ((geo)); then
	step "4. Geo and AS databases: blocklists/fetch-geo target/geo-data"
	"$REPO/blocklists/fetch-geo" "$REPO/target/geo-data"
else
	step "4. Geo and AS databases: left out (--no-geo)"
fi

for board in "${boards[@]}"; do
	step "5. $board: make whereflow_${board}_defconfig && make (output/$board)"
	o="$OUT/$board"
	make -s -C "$BR" O="$o" BR2_EXTERNAL="$EXTERNAL" "whereflow_${board}_defconfig"
	if ((!geo)); then
		"$BR/utils/config" --file "$o/.config" --set-str BR2_PACKAGE_WHEREFLOW_GEO_DATA_DIR ""
		make -s -C "$o" olddefconfig
	fi
	((prepare_only)) && continue
	# The package is a copy of this repository: copy it again, then build what changed.
	if compgen -G "$o/build/whereflow-*/.stamp_rsynced" >/dev/null; then
		make -C "$o" whereflow-rebuild
	fi
	make -C "$o"
	img="$o/images/sdcard.img.xz"
	[[ -f $img ]] || die "no $img"
	echo "$board: $img ($(du -h "$img" | cut -f1)); sha256 $(cut -d' ' -f1 "$img.sha256")"
done
