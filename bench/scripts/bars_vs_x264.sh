#!/usr/bin/env bash
# A colour-bars stream (pre-rendered clip, looped) against encoding the same picture live with x264, both sent over
# SRT to srt-live-transmit on loopback: x264 at its fastest preset, and at the original tool's settings (superfast,
# zerolatency). Prints sender CPU seconds per 30 s after a warm-up.
# usage: bench/scripts/bars_vs_x264.sh [SECONDS=30]   (build the jar first: ./mvnw -pl streamer -am package -DskipTests)
set -euo pipefail
. "$(dirname "$0")/common.sh"
secs="${1:-30}"
warmup="${WARMUP:-10}"
jar="$here/streamer/target/mcr-srt.jar"
tck=$(getconf CLK_TCK)
cpu_of() { awk '{print $14+$15+$16+$17}' "/proc/$1/stat" 2>/dev/null || echo 0; }

run() {
  local name="$1"; shift
  local srt; srt=$(free_port)
  srt-live-transmit -q "srt://127.0.0.1:$srt?mode=listener&latency=200" file://con > /dev/null &
  local rx=$!
  sleep 0.5
  local cmd=("${@//PORT/$srt}")
  "${cmd[@]}" > "$work/$name.log" 2>&1 &
  local tx=$!
  sleep "$warmup"
  local c0 c1; c0=$(cpu_of $tx); sleep "$secs"; c1=$(cpu_of $tx)
  kill $tx 2>/dev/null || true
  for i in 1 2 3 4 5 6 7 8 9 10; do kill -0 $tx 2>/dev/null || break; sleep 0.5; done
  kill -9 $tx 2>/dev/null || true; wait $tx 2>/dev/null || true
  kill $rx 2>/dev/null || true; wait $rx 2>/dev/null || true
  printf '%-32s cpu_s_per_30s=%6.2f\n' "$name" "$(echo "($c1-$c0)/$tck*30/$secs" | bc -l)"
}

echo "CPU over ${secs} s after ${warmup} s warm-up; load before: $(cut -d' ' -f1-3 /proc/loadavg) $(date -u +%FT%TZ)"
# render the clip first so the warm-up does not include it
"$java" --enable-native-access=ALL-UNNAMED -jar "$jar" send --data-dir "$work/data" --no-loop bars:720p50 \
  "srt://127.0.0.1:$(free_port)" > /dev/null 2>&1 & r=$!; sleep 20; kill $r 2>/dev/null || true; wait $r 2>/dev/null || true
run "mcr-srt-send-bars-720p50" "$java" --enable-native-access=ALL-UNNAMED -Xmx64m -jar "$jar" send \
  --data-dir "$work/data" --latency 200 bars:720p50 "srt://127.0.0.1:PORT?latency=200"
run "ffmpeg-live-x264-720p50-ultrafast" ffmpeg -nostdin -loglevel error -re -f lavfi -i smptehdbars=size=1280x720:rate=50 \
  -re -f lavfi -i sine=frequency=1000:sample_rate=48000 -c:v libx264 -preset ultrafast -pix_fmt yuv420p -b:v 4500k \
  -minrate 4500k -maxrate 4500k -bufsize 2250k -x264-params nal-hrd=cbr -g 50 -c:a aac -b:a 128k -ac 2 \
  -f mpegts "srt://127.0.0.1:PORT?mode=caller&latency=200000&pkt_size=1316"
# the original's encoder settings: GStreamer x264enc tune=zerolatency speed-preset=2 (superfast) bitrate=4500
run "ffmpeg-live-x264-720p50-superfast-zerolatency" ffmpeg -nostdin -loglevel error -re -f lavfi \
  -i smptehdbars=size=1280x720:rate=50 -re -f lavfi -i sine=frequency=1000:sample_rate=48000 -c:v libx264 \
  -preset superfast -tune zerolatency -pix_fmt yuv420p -b:v 4500k -minrate 4500k -maxrate 4500k -bufsize 2250k \
  -x264-params nal-hrd=cbr -g 50 -c:a aac -b:a 128k -ac 2 \
  -f mpegts "srt://127.0.0.1:PORT?mode=caller&latency=200000&pkt_size=1316"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
