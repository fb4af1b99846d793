#!/usr/bin/env bash
# Downloads the Debian packages the WiFi system test's guest is made of (packages.txt and the
# libraries they depend on) into target/vm-test/debs/, and extracts them into
# target/vm-test/staging/. Idempotent: a package already downloaded is not fetched again, and
# the staging tree is rebuilt only when the set of .deb files changed.
#
# Only Debian's package archive is contacted (apt-get download); nothing else is fetched.
#
# Usage: fetch-debs.sh [amd64|arm64]   (default amd64: the guest's Debian architecture)
# For arm64 (the emulated Raspberry Pi) apt runs with its own lists under the cache, for that
# architecture only, so the host's apt configuration is left as it is.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
arch=${1:-amd64}
# shellcheck source=image/vm-test/arch.sh
. "$here/arch.sh"
debs=$cache/debs

mkdir -p "$debs"

mapfile -t wanted < <(sed -e 's/#.*//' -e 's/[[:space:]]*$//' -e '/^$/d' "$here/packages.txt")

apt_opts=()
if [[ $arch != amd64 ]]; then
  mkdir -p "$cache/apt/lists/partial" "$cache/apt/cache/archives/partial"
  : >"$cache/apt/status"
  apt_opts=(-o "APT::Architecture=$arch" -o "APT::Architectures=$arch"
    -o "Dir::State::Lists=$cache/apt/lists" -o "Dir::State::status=$cache/apt/status"
    -o "Dir::Cache=$cache/apt/cache")
fi
# apt's lists are needed to resolve names; fetch them once if there are none.
if ! apt-cache "${apt_opts[@]}" policy busybox 2>/dev/null | grep -q 'Candidate: [0-9]'; then
  apt-get "${apt_opts[@]}" update -qq
fi

# The kernel metapackage names the concrete image package; the kernel needs none of its
# dependencies (initramfs tools, kmod) inside the guest. packages.txt names the amd64 one.
kernel_pkg=$(apt-cache "${apt_opts[@]}" depends "linux-image-$arch" |
  sed -n 's/^  Depends: \(linux-image-[0-9].*\)$/\1/p' | head -n1)
if [[ -z $kernel_pkg ]]; then
  echo "fetch-debs: cannot resolve linux-image-$arch to a kernel package" >&2
  exit 1
fi
others=()
for p in "${wanted[@]}"; do
  [[ $p == linux-image-amd64 ]] || others+=("$p")
done

# Dependencies (Depends and Pre-Depends, every alternative), minus packaging tools, perl and
# other things no binary of the guest loads. assemble.sh checks every needed library is found.
skip='^(adduser|cdebconf|debconf|dpkg|install-info|passwd|tar|usrmerge|usr-is-merged|perl.*|libperl.*|libfile-.*-perl|libnumber-.*-perl|libtext-.*-perl|libdebian-installer.*|libnewt.*|libslang.*|libtextwrap.*|libelogind0|libsemanage.*|libsepol.*|libpam-modules.*|readline-common|init-system-helpers|libgdbm.*)$'
mapfile -t all < <(
  {
    echo "$kernel_pkg"
    apt-cache "${apt_opts[@]}" depends --recurse --no-recommends --no-suggests --no-conflicts --no-breaks \
      --no-replaces --no-enhances "${others[@]}" | grep -v '^[ <]'
  } | grep -Ev "$skip" | sort -u
)

# Packages no longer wanted (packages.txt changed) go, so that they are not extracted.
declare -A keep=()
for p in "${all[@]}"; do
  keep[$p]=1
done
for d in "$debs"/*.deb; do
  [[ -e $d ]] || continue
  name=${d##*/}
  name=${name%%_*}
  [[ -n ${keep[$name]:-} ]] || rm -f "$d"
done

missing=()
for p in "${all[@]}"; do
  compgen -G "$debs/${p}_*_*.deb" >/dev/null || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "fetch-debs: downloading ${#missing[@]} packages into $debs"
  (cd "$debs" && apt-get "${apt_opts[@]}" -o APT::Sandbox::User=root download -q "${missing[@]}" >/dev/null)
fi

# Extract everything into a fresh staging tree when the set of packages changed.
stamp=$(cd "$debs" && printf "%s\n" ./*.deb | sha256sum | cut -d" " -f1)
if [[ ! -f $staging/.stamp || $(cat "$staging/.stamp") != "$stamp" ]]; then
  echo "fetch-debs: extracting into $staging"
  rm -rf "$staging"
  mkdir -p "$staging"
  for d in "$debs"/*.deb; do
    dpkg -x "$d" "$staging"
  done
  echo "$stamp" >"$staging/.stamp"
fi
echo "fetch-debs: kernel package $kernel_pkg; $(find "$debs" -name "*.deb" | wc -l) packages in $debs"
