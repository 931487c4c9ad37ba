# SPDX-License-Identifier: MIT
# scripts/lib.sh - shared by scripts/demo, scripts/test and friends. Source it; do not run it.
set -euo pipefail

EMSOCK_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export EMSOCK_ROOT

emsock_log() { printf '==> %s\n' "$*" >&2; }
emsock_die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# emsock_as_root CMD...: run CMD as root (directly when we are root, else through sudo).
emsock_as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo "$@"
  else emsock_die "need root or sudo to run: $*"
  fi
}

# emsock_need_packages PKG...: install the Debian packages that are missing, saying which.
# Non-interactive; runs 'apt-get update' once per script run, and only when something is missing.
emsock_need_packages() {
  local missing=() p
  for p in "$@"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
      missing+=("$p")
    fi
  done
  [ "${#missing[@]}" -eq 0 ] && return 0
  emsock_log "installing missing Debian packages: ${missing[*]}"
  if [ -z "${EMSOCK_APT_UPDATED:-}" ]; then
    emsock_as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    EMSOCK_APT_UPDATED=1
  fi
  emsock_as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# What every host build needs. netbase: /etc/services and /etc/protocols, which the resolver tests
# compare with (a minimal Debian lacks them). dpkg-dev, xz-utils and the archive keyring: for
# emsock_fetch_sources (apt-get source, dpkg-source).
# iproute2: `ip`, to bring up loopback in the network namespace the tests run in (emsock_offline).
EMSOCK_HOST_PACKAGES=(cmake ninja-build g++ pkg-config python3 libcpputest-dev liblwip-dev netbase
                      iproute2 dpkg-dev xz-utils debian-archive-keyring)
# What the sanitize preset and the fuzzers need.
EMSOCK_SANITIZE_PACKAGES=(clang libclang-rt-14-dev)
# What the bench preset needs.
EMSOCK_BENCH_PACKAGES=(libbenchmark-dev)

# Cross presets (toolchains/*.cmake): compilers and QEMU from Debian, and for the Linux targets Debian's
# multiarch CppUTest and lwIP (libcpputest-dev:<arch>, installed beside the amd64 ones; dpkg needs the
# foreign architecture first: emsock_need_architectures). The bare-metal preset builds CppUTest and
# lwIP from Debian's source packages (emsock_fetch_sources); make: the firmware-make test builds a
# firmware without CMake (examples/make-firmware).
EMSOCK_CORTEX_M_PACKAGES=(gcc-arm-none-eabi libnewlib-arm-none-eabi libstdc++-arm-none-eabi-newlib
                          qemu-system-arm make)
# The firmware on a tap link (./scripts/firmware --tap, ctest firmware-tap and firmware-wire-abuse):
# dnsmasq-base, the DHCP/RA/DNS server of the link (the binary only, no system service); iputils-ping,
# ping and ping -6 at the board; python3-scapy, the hostile frames of the wire-abuse test (run with
# Debian's /usr/bin/python3, where the module is); iproute2, the tap itself.
EMSOCK_TAP_PACKAGES=(dnsmasq-base iputils-ping python3-scapy iproute2)

# emsock_preset_arch PRESET: the Debian architecture of a qemu-user preset (empty for the others).
emsock_preset_arch() {
  case "$1" in
    armhf-qemu) echo armhf ;;
    aarch64-qemu) echo arm64 ;;
    s390x-qemu) echo s390x ;;
    *) echo "" ;;
  esac
}

# emsock_preset_packages PRESET: the Debian packages a cross preset needs (none for host presets).
emsock_preset_packages() {
  local arch triplet
  arch="$(emsock_preset_arch "$1")"
  case "$arch" in
    armhf) triplet=arm-linux-gnueabihf ;;
    arm64) triplet=aarch64-linux-gnu ;;
    s390x) triplet=s390x-linux-gnu ;;
  esac
  if [ -n "$arch" ]; then
    echo "g++-$triplet qemu-user libcpputest-dev:$arch liblwip-dev:$arch"
  elif [ "$1" = cortex-m3-qemu ]; then
    echo "${EMSOCK_CORTEX_M_PACKAGES[*]} ${EMSOCK_TAP_PACKAGES[*]}"
  fi
}

# emsock_need_architectures ARCH...: enable dpkg foreign architectures that are missing (multiarch),
# and make the next emsock_need_packages update the package lists so their packages are known.
emsock_need_architectures() {
  local a present
  present=" $(dpkg --print-architecture) $(dpkg --print-foreign-architectures | tr '\n' ' ') "
  for a in "$@"; do
    case "$present" in *" $a "*) continue ;; esac
    emsock_log "enabling the dpkg architecture $a (multiarch packages of the cross presets)"
    emsock_as_root dpkg --add-architecture "$a"
    present="$present$a "
    EMSOCK_APT_UPDATED=""
  done
}

# emsock_offline CMD...: run CMD without the network, to prove that configure, build and test never
# touch it: in a new network namespace that has only loopback (127.0.0.1 and ::1), when this shell
# can make one (root, unshare, ip from iproute2); otherwise as it is, saying so once.
# EMSOCK_OFFLINE=0 turns it off.
emsock_offline() {
  if [ "${EMSOCK_OFFLINE:-1}" != 0 ] && [ "$(id -u)" -eq 0 ] && command -v unshare >/dev/null 2>&1 &&
     command -v ip >/dev/null 2>&1 && unshare --net true 2>/dev/null; then
    unshare --net sh -c 'ip link set lo up && exec "$@"' emsock-offline "$@"
  else
    if [ -z "${EMSOCK_OFFLINE_NOTED:-}" ]; then
      emsock_log "note: cannot run offline here (needs root, unshare and ip): the network stays reachable"
      EMSOCK_OFFLINE_NOTED=1
    fi
    "$@"
  fi
}

# emsock_preset NAME: configure, build and test one preset through its workflow, offline.
emsock_preset() {
  local name="$1" start end
  start=$(date +%s)
  emsock_log "preset $name"
  # Callers use this in `if`, where errexit is off: return the failure explicitly.
  if ! (cd "$EMSOCK_ROOT" && emsock_offline cmake --workflow --preset "$name" --fresh); then
    emsock_print_skips "$name"
    return 1
  fi
  emsock_print_skips "$name"
  end=$(date +%s)
  emsock_log "preset $name took $((end - start)) s"
}

# emsock_print_skips PRESET: after its ctest run, one line per skipped test with its reason (ctest
# itself shows only "Skipped"): every test whose output has a line "skipped: <why>" (a CppUTest
# test's result, tests/support/skip.hpp; the live scripts' exit 77) or "emsock-cli: skipped: <why>"
# (the CLI cases). A suite's own run, which lists its skips before "N passed, N failed, N skipped",
# is not one of them.
emsock_print_skips() {
  local log="$EMSOCK_ROOT/build/$1/Testing/Temporary/LastTest.log" lines
  [ -f "$log" ] || return 0
  lines=$(awk '
    /^[0-9]+\/[0-9]+ Test: / { name = $3; why = ""; suite = 0; next }
    /^(emsock-cli: )?skipped: / && why == "" { why = $0; sub(/^(emsock-cli: )?skipped: /, "", why); sub(/^[A-Za-z0-9_]+\.[A-Za-z0-9_]+: /, "", why) }
    / [0-9]+ passed, [0-9]+ failed, [0-9]+ skipped$/ { suite = 1 }
    /^<end of output>$/ { if (name != "" && why != "" && !suite) print "  " name ": " why; name = "" }
  ' "$log")
  if [ -n "$lines" ]; then
    emsock_log "preset $1: $(printf '%s\n' "$lines" | wc -l) tests skipped, with their reasons:"
    printf '%s\n' "$lines" >&2
  else
    emsock_log "preset $1: no test skipped"
  fi
}

# --- Source packages ------------------------------------------------------------------------------
# emsock's firmware configurations compile lwIP (and, on bare metal, CppUTest) from Debian's source
# packages. They are fetched here, by the README's commands, never by configure, build or test:
# from the machine's own apt sources (their deb lines, read as deb-src, in a private apt
# configuration: the machine's lists and lock are not touched), pinned to the versions and checksums
# in cmake/debian-sources.lock, unpacked into $EMSOCK_CACHE_DIR/<package>-<version> (default
# ~/.cache/emsock), which CMake finds by itself (cmake/EmsockSources.cmake). A package already in
# the cache is not fetched again.
EMSOCK_CACHE_DIR="${EMSOCK_CACHE_DIR:-${HOME:-/root}/.cache/emsock}"
export EMSOCK_CACHE_DIR
EMSOCK_SOURCES_LOCK="$EMSOCK_ROOT/cmake/debian-sources.lock"

# emsock_source_version PACKAGE: the pinned Debian version of PACKAGE.
emsock_source_version() {
  awk -v p="$1" '$1 == p { print $2; exit }' "$EMSOCK_SOURCES_LOCK"
}

# emsock_private_deb_src DIR: write DIR/sources.d/ with the machine's deb entries as deb-src.
emsock_private_deb_src() {
  local dir="$1" f n=0
  mkdir -p "$dir/sources.d"
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    sed -E 's/^Types:.*/Types: deb-src/' "$f" >"$dir/sources.d/$n.sources"; n=$((n + 1))
  done
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -f "$f" ] || continue
    sed -n -E 's/^[[:space:]]*deb([[:space:]])/deb-src\1/p' "$f" >"$dir/sources.d/$n.list"; n=$((n + 1))
  done
  [ "$n" -gt 0 ] || emsock_die "no apt sources on this machine (/etc/apt/sources.list*): cannot fetch source packages"
}

# emsock_fetch_sources PACKAGE...: make sure $EMSOCK_CACHE_DIR/<package>-<version> holds the pinned,
# checked, unpacked source package.
emsock_fetch_sources() {
  local wanted=() p version
  for p in "$@"; do
    version="$(emsock_source_version "$p")"
    [ -n "$version" ] || emsock_die "$p is not in $EMSOCK_SOURCES_LOCK"
    [ -f "$EMSOCK_CACHE_DIR/$p-$version/.emsock-source" ] || wanted+=("$p")
  done
  [ "${#wanted[@]}" -eq 0 ] && return 0
  command -v dpkg-source >/dev/null 2>&1 || emsock_need_packages dpkg-dev xz-utils debian-archive-keyring
  emsock_log "fetching Debian source packages into $EMSOCK_CACHE_DIR: ${wanted[*]}"
  mkdir -p "$EMSOCK_CACHE_DIR"
  local work
  work="$(mktemp -d "$EMSOCK_CACHE_DIR/.fetch.XXXXXX")"
  emsock_private_deb_src "$work/apt"
  mkdir -p "$work/apt/lists/partial" "$work/apt/cache/archives/partial" "$work/download"
  local opts=(-o "Dir::Etc::SourceList=/dev/null" -o "Dir::Etc::SourceParts=$work/apt/sources.d"
              -o "Dir::State::Lists=$work/apt/lists" -o "Dir::Cache=$work/apt/cache"
              -o "Debug::NoLocking=1" -qq)
  [ "$(id -u)" -ne 0 ] || opts+=(-o "APT::Sandbox::User=root")
  if ! apt-get "${opts[@]}" update >"$work/apt.log" 2>&1; then
    cat "$work/apt.log" >&2; rm -rf "$work"
    emsock_die "apt-get update (deb-src of this machine's apt sources) failed: is the mirror reachable?"
  fi
  for p in "${wanted[@]}"; do
    version="$(emsock_source_version "$p")"
    if ! (cd "$work/download" && apt-get "${opts[@]}" source --download-only "$p=$version") >"$work/apt.log" 2>&1; then
      cat "$work/apt.log" >&2; rm -rf "$work"
      emsock_die "apt-get source $p=$version failed: the pinned version is not on this machine's mirror"
    fi
    local file sum
    while read -r file sum; do
      echo "$sum  $work/download/$file" | sha256sum --check --quiet --status ||
        { rm -rf "$work"; emsock_die "$file does not match its checksum in $EMSOCK_SOURCES_LOCK"; }
    done < <(awk -v p="$p" '$1 == p { print $3, $4 }' "$EMSOCK_SOURCES_LOCK")
    local dsc="$work/download/$(awk -v p="$p" '$1 == p && $3 ~ /\.dsc$/ { print $3; exit }' "$EMSOCK_SOURCES_LOCK")"
    # dpkg-source checks every file against the (pinned) .dsc and applies Debian's patches.
    (cd "$work" && dpkg-source --no-copy -x "$dsc" "$work/$p" >/dev/null 2>"$work/dpkg.log") ||
      { cat "$work/dpkg.log" >&2; rm -rf "$work"; emsock_die "dpkg-source -x $dsc failed"; }
    echo "$p $version" >"$work/$p/.emsock-source"
    rm -rf "${EMSOCK_CACHE_DIR:?}/$p-$version"
    mv "$work/$p" "$EMSOCK_CACHE_DIR/$p-$version"
    emsock_log "$p $version: $EMSOCK_CACHE_DIR/$p-$version"
  done
  rm -rf "$work"
}

# emsock_preset_sources PRESET: the source packages a preset's configuration compiles (lwIP from
# source: the lwip-raw backend, on every Linux preset with tests, and the firmware configurations).
emsock_preset_sources() {
  case "$1" in
    host|sanitize|armhf-qemu|aarch64-qemu|s390x-qemu) echo lwip ;;
    cortex-m3-qemu|cortex-m4f-qemu) echo "lwip cpputest" ;;
    *) echo "" ;;
  esac
}
