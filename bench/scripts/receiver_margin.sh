#!/usr/bin/env bash
# How much of the SRT latency is left for repairs at the receiver: `mcr-srt send` of the 8 Mbit/s test file to a
# srt-live-transmit listener on loopback, whose JSON statistics report every 250 packets (a third of a second at this
# rate) the time span of the data waiting in its receive buffer (recv.msBuf). A message that leaves its sender late
# arrives with less of the latency left; msBuf is the latency minus that lateness. Prints mean, min and max after the
# first eight reports (2.6 s).
# usage: bench/scripts/receiver_margin.sh [LATENCY_MS=300] [SECONDS=20] [JAR=streamer/target/mcr-srt.jar]
set -euo pipefail
. "$(dirname "$0")/common.sh"
latency="${1:-300}"
secs="${2:-20}"
jar="${3:-$here/streamer/target/mcr-srt.jar}"
clip="$(perf_clip)"
port="$(free_port)"
stats="$work/receiver_margin.$$.json"
srt-live-transmit -q -s:250 -pf:json "srt://127.0.0.1:$port?mode=listener&latency=$latency" \
  "udp://127.0.0.1:$(free_port)" > "$stats" 2>&1 &
rx=$!
sleep 0.5
timeout "$((secs + 2))" "$java" --enable-native-access=ALL-UNNAMED -jar "$jar" send --latency "$latency" "$clip" \
  "srt://127.0.0.1:$port?latency=$latency" > /dev/null 2>&1 || true
kill "$rx" 2>/dev/null || true
wait "$rx" 2>/dev/null || true
echo "latency $latency ms: receive buffer span after the first eight reports:" \
  "$(python3 "$here/bench/scripts/msbuf.py" "$stats" 8)"
rm -f "$stats"
