#!/usr/bin/env bash
# Send-time error of precise pacing (io.mcrsrt.ts.pacing.PreciseWaiter over TsPacer): paces the 8 Mbit/s test file by
# its PCRs in real time, waiting for every 7-packet message, and prints per run the error of every wait and the
# pacer's own error (waits the scheduler held up by more than 0.5 ms left out, with the catch-up after them).
# usage: bench/scripts/precise_pacing.sh [SECONDS=30] [RUNS=3]   (builds bench/target/benchmarks.jar if missing)
set -euo pipefail
. "$(dirname "$0")/common.sh"
secs="${1:-30}"
runs="${2:-3}"
f="$(perf_clip)"
jar="$here/bench/target/benchmarks.jar"
if [ ! -f "$jar" ]; then
  (cd "$here" && JAVA_HOME="$(dirname "$(dirname "$java")")" ./mvnw -B -q -ntp -pl bench -am package -DskipTests)
fi
echo "precise pacing of $f, ${secs} s per run; load before: $(cut -d' ' -f1-3 /proc/loadavg) $(date -u +%FT%TZ)"
"$java" -cp "$jar" io.mcrsrt.bench.ts.PrecisePacing "$f" "$secs" "$runs"
