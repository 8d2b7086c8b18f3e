#!/usr/bin/env bash
# A variable-rate file under the SRT rate cap: 15 s of ~1.7 Mbit/s then 15 s of ~7.5 Mbit/s, joined without -muxrate
# (as an ffmpeg remux leaves a file), looped, sent over SRT on loopback; PCR arrival error at the receiver over SECONDS
# (two rate jumps a minute). Senders: mcr-srt send (JAR, default streamer/target/mcr-srt.jar), the same with
# BEFORE_JAR when given (an earlier build, for a before/after in one run), and ffmpeg -re with the engine's rate control
# set from the file's average (MAXBW 0, INPUTBW, OHEADBW 25), as a user of ffmpeg would set it. Same receiver for all:
# srt-live-transmit listener -> UDP -> pcr_arrival.py (kernel timestamps).
# usage: bench/scripts/vbr_rate_cap.sh [SECONDS=60]   (build the jar first: ./mvnw -pl streamer -am package -DskipTests)
set -euo pipefail
. "$(dirname "$0")/common.sh"
secs="${1:-60}"
warmup="${WARMUP:-5}"
f="$(vbr_clip)"
jar="${JAR:-$here/streamer/target/mcr-srt.jar}"

run() { # name, command... (PORT in the command is replaced by the receiver's SRT port)
  local name="$1"
  start_measured "$@"
  wait $meas || true
  kill $tx $rx 2>/dev/null || true
  wait $tx $rx 2>/dev/null || true
  printf '%-22s %s\n' "$name" "$(cat "$work/$name.json")"
}

# The file's average rate, for ffmpeg's INPUTBW: TS bits per second from its size and duration, with SRT's 44 header
# bytes per 1316-byte payload, in bytes per second.
avg_bps=$(ffprobe -v error -show_entries format=bit_rate -of csv=p=0 "$f")
inputbw=$(python3 -c "print(round($avg_bps / 8 * 1360 / 1316))")
echo "file: $f, average $avg_bps bit/s; PCR arrival error over ${secs} s after ${warmup} s"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)  nproc=$(nproc)  $(date -u +%FT%TZ)"
run "mcr-srt-send" "$java" --enable-native-access=ALL-UNNAMED -Xmx64m -jar "$jar" send \
  --latency 200 "$f" "srt://127.0.0.1:PORT?latency=200"
if [ -n "${BEFORE_JAR:-}" ]; then
  run "mcr-srt-send-before" "$java" --enable-native-access=ALL-UNNAMED -Xmx64m -jar "$BEFORE_JAR" send \
    --latency 200 "$f" "srt://127.0.0.1:PORT?latency=200"
fi
run "ffmpeg-re-paced-avg" ffmpeg -nostdin -loglevel error -re -stream_loop -1 -i "$f" -c copy -f mpegts \
  "srt://127.0.0.1:PORT?mode=caller&latency=200000&pkt_size=1316&maxbw=0&inputbw=$inputbw&oheadbw=25"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
