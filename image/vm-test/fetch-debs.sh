#!/usr/bin/env bash
# Downloads the Debian packages the WiFi system test's guest is made of (packages.txt and the
# libraries they depend on) into target/vm-test/debs/, and extracts them into
# target/vm-test/staging/. Idempotent: a package already downloaded is not fetched again, and
# the staging tree is rebuilt only when the set of .deb files changed.
#
# Only Debian's package archive is contacted (apt-get download); nothing else is fetched.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
cache=${VM_TEST_CACHE:-$repo/target/vm-test}
debs=$cache/debs
staging=$cache/staging
mkdir -p "$debs"

mapfile -t wanted < <(sed -e 's/#.*//' -e 's/[[:space:]]*$//' -e '/^$/d' "$here/packages.txt")

# apt's lists are needed to resolve names; fetch them once if this machine has none.
if ! apt-cache policy busybox 2>/dev/null | grep -q 'Candidate: [0-9]'; then
  apt-get update -qq
fi

# The kernel metapackage names the concrete image package; the kernel needs none of its
# dependencies (initramfs tools, kmod) inside the guest.
kernel_pkg=$(apt-cache depends linux-image-amd64 | sed -n 's/^  Depends: \(linux-image-[0-9].*\)$/\1/p' | head -n1)
if [[ -z $kernel_pkg ]]; then
  echo "fetch-debs: cannot resolve linux-image-amd64 to a kernel package" >&2
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
    apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts --no-breaks \
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
  (cd "$debs" && apt-get -o APT::Sandbox::User=root download -q "${missing[@]}" >/dev/null)
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
