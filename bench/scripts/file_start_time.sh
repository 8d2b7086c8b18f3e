#!/usr/bin/env bash
# How long a file stream takes to start: seconds from launching `mcr-srt send FILE srt://...` until its status line
# first shows input data, with Linux's page cache dropped first (root), so the file is read from storage as on a
# fresh start. A srt-live-transmit listener on loopback receives. Give several jars to compare builds in one run:
#   bench/scripts/file_start_time.sh FILE [JAR...]      (default JAR: streamer/target/mcr-srt.jar)
set -euo pipefail
. "$(dirname "$0")/common.sh"
file="$1"; shift
jars=("$@"); [ ${#jars[@]} -gt 0 ] || jars=("$here/streamer/target/mcr-srt.jar")
echo "file $file ($(stat -c %s "$file") bytes), $(date -u +%FT%TZ), load average $(cut -d' ' -f1-3 /proc/loadavg)"
for jar in "${jars[@]}"; do
  port=$((17100 + RANDOM % 500)); log=$(mktemp)
  sync; echo 3 > /proc/sys/vm/drop_caches
  srt-live-transmit -q "srt://127.0.0.1:$port?mode=listener&latency=200" "udp://127.0.0.1:$((port + 1000))" & rx=$!
  sleep 0.5
  start=$(date +%s.%N)
  "$java" --enable-native-access=ALL-UNNAMED -jar "$jar" send --latency 200 "$file" "srt://127.0.0.1:$port?latency=200" \
    >"$log" 2>&1 & tx=$!
  until tr '\r' '\n' <"$log" | grep -q "in [1-9]"; do sleep 0.05; kill -0 $tx 2>/dev/null || break; done
  printf '%s: input flowing after %.2f s\n' "$jar" "$(echo "$(date +%s.%N) - $start" | bc)"
  kill $tx $rx 2>/dev/null || true; wait $tx $rx 2>/dev/null || true; rm -f "$log"
done
