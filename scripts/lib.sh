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
EMSOCK_HOST_PACKAGES=(cmake ninja-build g++ pkg-config python3 libcpputest-dev liblwip-dev)
# What the sanitize preset and the fuzzers need.
EMSOCK_SANITIZE_PACKAGES=(clang libclang-rt-14-dev)
# What the bench preset needs.
EMSOCK_BENCH_PACKAGES=(libbenchmark-dev)

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
