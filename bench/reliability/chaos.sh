#!/usr/bin/env bash
# Chaos: a seeded random mix of operations from several concurrent clients against the real service for DURATION
# seconds, with the invariants checked all along (bench/reliability/chaos.py says which; docs/BENCHMARKS.md has a run).
#   bench/reliability/chaos.sh [--seed N] [--duration SECONDS=300] [--clients 4] [chaos.py options...]
# Needs streamer/target/mcr-srt.jar (./mvnw -pl streamer -am package -DskipTests), JAVA_HOME on a JDK 25,
# srt-live-transmit and ffmpeg. Loopback only: HTTP 18431, SRT 21000-21011 and 21041-21081 by default (--http-port,
# --port-min, --port-max move them). Prints each violation with the seed and step; exits 1 if there was any.
# Every process it starts is stopped on exit.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
jar="$root/streamer/target/mcr-srt.jar"
if [ ! -f "$jar" ]; then
  echo "chaos: $jar is not built: ./mvnw -pl streamer -am package -DskipTests" >&2
  exit 2
fi
for program in srt-live-transmit ffmpeg python3; do
  command -v "$program" >/dev/null || { echo "chaos: $program is missing (Debian: srt-tools, ffmpeg, python3)" >&2; exit 2; }
done
echo "load average at the start: $(cut -d' ' -f1-3 /proc/loadavg); $(date -u)"
status=0
python3 "$root/bench/reliability/chaos.py" --jar "$jar" --java-home "$JAVA_HOME" "$@" || status=$?
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg); $(date -u)"
exit "$status"
