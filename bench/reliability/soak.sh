#!/usr/bin/env bash
# Soak: CYCLES start/stop cycles of three mixed streams (file listener, AES-256 file caller, UDP-input caller) through
# the API of the real service, then its threads, file descriptors, native memory (NMT) and heap after a full GC
# against their level after a warm-up. The CI suite runs the same test (SoakIT) with 100 cycles.
#   bench/reliability/soak.sh [CYCLES=1000] [MALLOC_ARENA_MAX, e.g. 2; default: glibc's own]
# Run from anywhere; uses JAVA_HOME (a JDK 25). Prints the figures and keeps them in /tmp/mcr-soak-CYCLES[-arenaN].txt.
set -euo pipefail
cycles="${1:-1000}"
arenas="${2:-}"
root="$(cd "$(dirname "$0")/../.." && pwd)"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
report="/tmp/mcr-soak-$cycles${arenas:+-arena$arenas}.txt"
cd "$root"
./mvnw -B -q -ntp -pl streamer -am verify -Dtest=NoSuchTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Dit.test=SoakIT -Dfailsafe.failIfNoSpecifiedTests=false -Dsoak.cycles="$cycles" -Dsoak.report="$report" -Dsoak.malloc.arena.max="$arenas" \
  -Dit.hangGuard="$((cycles / 10 + 10)) m"
echo "MALLOC_ARENA_MAX: ${arenas:-unset}" >>"$report"
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)" >>"$report"
cat "$report"
