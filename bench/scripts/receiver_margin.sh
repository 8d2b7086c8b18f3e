#!/usr/bin/env bash
# How much of the SRT latency is left for repairs at the receiver: `mcr-srt send` of the 8 Mbit/s test file to a
# srt-live-transmit listener on loopback, whose JSON statistics report every 250 ms the time span of the data waiting
# in its receive buffer (recv.msBuf). A message that leaves its sender late arrives with less of the latency left;
# msBuf is the latency minus that lateness. Prints mean, min and max after a 2 s warm-up.
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
python3 - "$stats" "$latency" <<'PY'
import json, statistics, sys
spans = []
for line in open(sys.argv[1]):
    try:
        s = json.loads(line)
    except ValueError:
        continue
    if s.get("recv", {}).get("packets", 0) > 0:
        spans.append(s["recv"]["msBuf"])
spans = spans[8:]
print(f"latency {sys.argv[2]} ms: receive buffer span (msBuf) over {len(spans)} samples: "
      f"mean {statistics.mean(spans):.1f} ms, min {min(spans)}, max {max(spans)}")
PY
rm -f "$stats"
