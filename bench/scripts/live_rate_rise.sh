#!/usr/bin/env bash
# A live UDP input whose rate climbs, sent on over SRT by `mcr-srt send udp://... srt://...`: how much of the SRT
# latency is left at the receiver, and how exactly the PCRs arrive. The feed is the variable-rate clip (CLIP=vbr,
# default: ~1.7 then ~7.5 Mbit/s, climbing twice a minute) or the 8 Mbit/s constant-rate one (CLIP=cbr), played by
# `mcr-srt send FILE` to a srt-live-transmit that relays it to UDP: a feed paced by its PCRs, as an encoder's
# multicast is. Receiver: srt-live-transmit listener (statistics every 250 packets: recv.msBuf, the time span of the
# data waiting in its receive buffer, is the latency left when data arrives) -> UDP -> pcr_arrival.py (kernel
# timestamps).
# Relays under test: JAR (default streamer/target/mcr-srt.jar) and, when given, BEFORE_JAR, alternating ROUNDS times
# (default 1). Prints, per run, the PCR arrival error and msBuf's mean and minimum after the first four reports.
# usage: bench/scripts/live_rate_rise.sh [SECONDS=45]
#   (build the jar first: ./mvnw -pl streamer -am package -DskipTests)
set -euo pipefail
. "$(dirname "$0")/common.sh"
secs="${1:-45}"
warmup="${WARMUP:-5}"
jar="${JAR:-$here/streamer/target/mcr-srt.jar}"
case "${CLIP:-vbr}" in
  vbr) clip="$(vbr_clip)" ;;
  cbr) clip="$(perf_clip)" ;;
  *) echo "CLIP must be vbr or cbr, not '${CLIP}'" >&2; exit 2 ;;
esac
RECEIVER_STATS=250

run() { # name, jar of the relay under test
  local name="$1" relay_jar="$2" feed udp
  feed=$(free_port); udp=$(free_port)
  start_measured "$name" "$java" --enable-native-access=ALL-UNNAMED -Xmx64m -jar "$relay_jar" send --latency 200 \
    "udp://127.0.0.1:$udp" "srt://127.0.0.1:PORT?latency=200"
  srt-live-transmit -q "srt://127.0.0.1:$feed?mode=listener&latency=200" "udp://127.0.0.1:$udp" \
    > "$work/$name.feed.log" 2>&1 &
  local feed_rx=$!
  sleep 0.3
  "$java" --enable-native-access=ALL-UNNAMED -Xmx64m -jar "$jar" send --latency 200 "$clip" \
    "srt://127.0.0.1:$feed?latency=200" > "$work/$name.feed-sender.log" 2>&1 &
  local feed_tx=$!
  wait "$meas" || true
  kill "$tx" "$rx" "$feed_rx" "$feed_tx" 2>/dev/null || true
  wait "$tx" "$rx" "$feed_rx" "$feed_tx" 2>/dev/null || true
  printf '%-14s %s  %s\n' "$name" "$(cat "$work/$name.json")" \
    "$(python3 "$here/bench/scripts/msbuf.py" "$work/$name.stats.json" 4)"
}

echo "feed: $clip; relay latency 200 ms; PCR arrival error over ${secs} s after ${warmup} s"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)  nproc=$(nproc)  $(date -u +%FT%TZ)"
for round in $(seq "${ROUNDS:-1}"); do
  run "relay-now" "$jar"
  if [ -n "${BEFORE_JAR:-}" ]; then
    run "relay-before" "$BEFORE_JAR"
  fi
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
