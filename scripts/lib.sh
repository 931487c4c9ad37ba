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

# What every host build needs.
EMSOCK_HOST_PACKAGES=(cmake ninja-build g++ pkg-config python3 libcpputest-dev liblwip-dev dpkg-dev debian-archive-keyring)
# What the sanitize preset and the fuzzers need.
EMSOCK_SANITIZE_PACKAGES=(clang libclang-rt-14-dev)
# What the bench preset needs.
EMSOCK_BENCH_PACKAGES=(libbenchmark-dev)

# Cross presets (toolchains/*.cmake): compilers and QEMU from Debian, and for the Linux targets Debian's
# multiarch CppUTest and lwIP (libcpputest-dev:<arch>, installed beside the amd64 ones; dpkg needs the
# foreign architecture first: emsock_need_architectures). The bare-metal preset builds CppUTest from
# Debian's source package: apt-get source runs with a private deb-src list (cmake/EmsockFetchDebianSource.cmake)
# and needs dpkg-source (dpkg-dev) and the archive keyring.
EMSOCK_CORTEX_M_PACKAGES=(gcc-arm-none-eabi libnewlib-arm-none-eabi libstdc++-arm-none-eabi-newlib
                          qemu-system-arm dpkg-dev debian-archive-keyring)

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
    echo "${EMSOCK_CORTEX_M_PACKAGES[*]}"
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

# emsock_preset NAME: configure, build and test one preset through its workflow.
emsock_preset() {
  local name="$1" start end
  start=$(date +%s)
  emsock_log "preset $name"
  # Callers use this in `if`, where errexit is off: return the failure explicitly.
  (cd "$EMSOCK_ROOT" && cmake --workflow --preset "$name" --fresh) || return 1
  end=$(date +%s)
  emsock_log "preset $name took $((end - start)) s"
}
