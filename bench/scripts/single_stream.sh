#!/usr/bin/env bash
# One 8 Mbit/s file stream sent in real time over SRT on loopback by: mcr-srt send (defaults; and as it was before
# send batches followed the latency: 5 ms ticks, libsrt's threads at Linux's default 50 us timer slack),
# gst-launch tsparse+srtsink, ffmpeg -re; then the two peers again with the SRT rate control the engine uses (MAXBW 0,
# INPUTBW = the stream's rate with SRT headers, OHEADBW 25): ffmpeg -re with those options, and ffmpeg -re to UDP into
# srt-live-transmit with them. Same receiver for all: srt-live-transmit listener -> UDP -> pcr_arrival.py
# (kernel timestamps). Prints sender CPU seconds (all its processes) over the measured window and PCR arrival error.
# usage: bench/scripts/single_stream.sh [SECONDS=30]   (build the jar first: ./mvnw -pl streamer -am package -DskipTests)
set -euo pipefail
. "$(dirname "$0")/common.sh"
secs="${1:-30}"
warmup="${WARMUP:-10}"
f="$(perf_clip)"
jar="$here/streamer/target/mcr-srt.jar"
tck=$(getconf CLK_TCK)

cpu_of() { # utime+stime of a pid, its reaped children and its live children, in ticks
  local total=0 p
  for p in "$1" $(pgrep -P "$1" || true); do
    total=$((total + $(awk '{print $14+$15+$16+$17}' "/proc/$p/stat" 2>/dev/null || echo 0)))
  done
  echo "$total"
}


srt_threads_default_slack() { # pid: puts libsrt's threads of a process back to Linux's default timer slack (root)
  local t
  for t in /proc/"$1"/task/*; do
    case "$(cat "$t/comm" 2>/dev/null)" in SRT:*) echo 50000 > "/proc/$(basename "$t")/timerslack_ns" ;; esac
  done
}

run() { # name, command...   (RESET_SLACK=1: libsrt's threads back to the default slack once connected)
  local name="$1"
  start_measured "$@"
  if [ "${RESET_SLACK:-0}" = 1 ]; then sleep 3; srt_threads_default_slack $tx; sleep $((warmup - 3)); else sleep "$warmup"; fi
  local c0 t0 c1 rss
  c0=$(cpu_of $tx); t0=$(date +%s.%N)
  sleep "$secs"
  c1=$(cpu_of $tx)
  rss=$(awk '/VmHWM/{print $2}' /proc/$tx/status 2>/dev/null || echo 0)
  local ctx
  ctx=$(awk '/voluntary_ctxt_switches/{s+=$2} END{print s}' /proc/$tx/status 2>/dev/null || echo 0)
  wait $meas || true
  # its children first: the relay row's ffmpeg, started by the shell that became srt-live-transmit, outlived it
  pkill -P $tx 2>/dev/null || true
  kill $tx 2>/dev/null || true
  for i in 1 2 3 4 5 6 7 8 9 10; do kill -0 $tx 2>/dev/null || break; sleep 0.5; done
  kill -9 $tx 2>/dev/null || true
  kill $rx 2>/dev/null || true; wait $rx 2>/dev/null || true
  wait $tx 2>/dev/null || true
  printf '%-28s cpu_s=%6.2f peak_rss_mb=%5.0f %s\n' "$name" "$(echo "($c1-$c0)/$tck*30/$secs" | bc -l)" \
    "$(echo "$rss/1024" | bc -l)" "$(cat "$work/$name.json")"
}

echo "sender CPU measured over ${secs} s after ${warmup} s of warm-up, scaled to 30 s"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)  nproc=$(nproc)  $(date -u +%FT%TZ)"
run "mcr-srt-send" "$java" --enable-native-access=ALL-UNNAMED -Xmx64m -jar "$jar" send \
  --latency 200 "$f" "srt://127.0.0.1:PORT?latency=200"
RESET_SLACK=1 run "mcr-srt-send-tick5-slack50us" "$java" --enable-native-access=ALL-UNNAMED -Xmx64m -jar "$jar" send \
  --tick-ms 5 --latency 200 "$f" "srt://127.0.0.1:PORT?latency=200"
run "gst-tsparse-srtsink" gst-launch-1.0 -q filesrc location="$f" ! tsparse set-timestamps=true alignment=7 ! \
  srtsink uri="srt://127.0.0.1:PORT?mode=caller&latency=200" sync=true
run "ffmpeg-re" ffmpeg -nostdin -loglevel error -re -i "$f" -c copy -f mpegts "srt://127.0.0.1:PORT?mode=caller&latency=200000&pkt_size=1316"
# The engine's SRT rate control, given to the peers: 8 Mbit/s of TS in 1316-byte payloads plus 44 header bytes each.
paced="maxbw=0&inputbw=1033435&oheadbw=25"
run "ffmpeg-re-paced" ffmpeg -nostdin -loglevel error -re -i "$f" -c copy -f mpegts \
  "srt://127.0.0.1:PORT?mode=caller&latency=200000&pkt_size=1316&$paced"
relay=$(free_port)
run "ffmpeg-udp-slt-paced" bash -c "ffmpeg -nostdin -loglevel error -re -i '$f' -c copy -f mpegts \
  'udp://127.0.0.1:$relay?pkt_size=1316' & exec srt-live-transmit -q 'udp://127.0.0.1:$relay' \
  'srt://127.0.0.1:PORT?mode=caller&latency=200&$paced'"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
