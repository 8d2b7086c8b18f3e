# Sourced by scripts/serve and scripts/test: installs the Debian packages that are missing,
# then finds a JDK 25 and exports JAVA_HOME. Safe to run again: it installs only what is absent.
# Usage: source scripts/prepare.sh <package>...

mcr_missing_packages() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ "${#missing[@]}" -eq 0 ] || printf '%s\n' "${missing[@]}"
}

mcr_install_packages() {
  local missing
  mapfile -t missing < <(mcr_missing_packages "$@")
  [ "${#missing[@]}" -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    echo "These Debian packages are missing: ${missing[*]}. Run this script as root, or install them with: sudo apt-get install ${missing[*]}" >&2
    return 1
  fi
  echo "Installing Debian packages: ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2 || return 1
  apt-get install -y -qq "${missing[@]}" >&2 || return 1
}

mcr_find_jdk25() {
  local candidate
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/*25*; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/javac" ] || continue
    if "$candidate/bin/java" -version 2>&1 | grep -Eq 'version "25([."]|$)'; then
      echo "$candidate"
      return 0
    fi
  done
  echo "No JDK 25 found: set JAVA_HOME to a JDK 25, or install one under /usr/lib/jvm (for example Temurin 25)." >&2
  return 1
}

mcr_prepare() {
  mcr_install_packages "$@" || return 1
  JAVA_HOME="$(mcr_find_jdk25)" || return 1
  export JAVA_HOME
  export PATH="$JAVA_HOME/bin:$PATH"
}

# What the service needs at run time.
MCR_RUNTIME_PACKAGES=(ca-certificates curl unzip libsrt1.5-gnutls srt-tools ffmpeg iperf3 iputils-ping mediainfo iproute2 fonts-dejavu-core)
# What the test suite needs on top: real peers, a real browser, nginx, Prometheus's promtool and libfaketime (to step the
# service's wall clock).
MCR_TEST_PACKAGES=("${MCR_RUNTIME_PACKAGES[@]}" chromium chromium-driver gstreamer1.0-tools gstreamer1.0-plugins-base
  gstreamer1.0-plugins-good gstreamer1.0-plugins-bad nginx openssl prometheus faketime)
# What the benchmarks need on top (bench/).
MCR_BENCH_PACKAGES=("${MCR_TEST_PACKAGES[@]}" wrk)
