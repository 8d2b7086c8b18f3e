#!/usr/bin/env bash
# API latency and throughput under load: `wrk` against GET /api/streams while N file streams run, and whether the
# web load disturbs pacing: PCR arrival error of one stream, received by srt-live-transmit, without then with wrk.
# Usage: bench/api/wrk-streams.sh [streams=50] [seconds=30] [connections=32]. MCR_SRT_JAVA_OPTS passes JVM options. Needs the jar (./mvnw -B -q -DskipTests package), wrk,
# ffmpeg, srt-live-transmit, python3. Loopback only; every port is picked free at run time.
set -euo pipefail
streams="${1:-50}"
seconds="${2:-30}"
connections="${3:-32}"
here="$(cd "$(dirname "$0")/../.." && pwd)"
work="$(mktemp -d)"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do timeout 15 tail --pid="$p" -f /dev/null 2>/dev/null || kill -9 "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

free_ports() { # count kind(tcp|udp): a run of consecutive free ports on loopback
  python3 - "$1" "$2" <<'PY'
import random, socket, sys
n, kind = int(sys.argv[1]), sys.argv[2]
t = socket.SOCK_STREAM if kind == "tcp" else socket.SOCK_DGRAM
for _ in range(500):
    base = random.randint(20000, 60000 - n)
    try:
        socks = []
        for p in range(base, base + n):
            s = socket.socket(socket.AF_INET, t); s.bind(("127.0.0.1", p)); socks.append(s)
        for s in socks: s.close()
        print(base); break
    except OSError:
        for s in socks: s.close()
PY
}

mkdir -p "$work/media" "$work/data" "$work/logs"
ffmpeg -v error -f lavfi -i smptehdbars=size=1280x720:rate=50 -f lavfi -i sine=frequency=1000:sample_rate=48000 -t 20 \
  -c:v libx264 -preset veryfast -pix_fmt yuv420p -b:v 7000k -minrate 7000k -maxrate 7000k -bufsize 3500k \
  -x264-params nal-hrd=cbr:force-cfr=1 -g 50 -keyint_min 50 -sc_threshold 0 -c:a aac -b:a 128k -ac 2 \
  -f mpegts -muxrate 8000k -pcr_period 20 "$work/media/test720p50.ts"

http_port="$(free_ports 1 tcp)"
base="$(free_ports "$streams" udp)"
rx_port="$(free_ports 1 udp)"
key="bench-api-key-0123456789abcdef"
HOST=127.0.0.1 PORT="$http_port" MEDIA_FOLDER="$work/media" DATA_DIR="$work/data" LOG_DIR="$work/logs" \
  MAX_STREAMS="$streams" LISTENER_PORT_MIN="$base" LISTENER_PORT_MAX="$((base + streams - 1))" API_KEY="$key" \
  LOG_LEVEL=WARN "$here/bin/mcr-srt" serve >"$work/serve.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$http_port/health" >/dev/null && break; sleep 0.2; done

for i in $(seq 0 $((streams - 1))); do
  curl -fs -o /dev/null -X POST "http://127.0.0.1:$http_port/api/streams" -H "X-API-Key: $key" \
    -H "Content-Type: application/json" \
    -d "{\"input_type\":\"file\",\"file_path\":\"test720p50.ts\",\"port\":$((base + i)),\"latency\":200}"
done
# The receiver stands in for another machine, so nothing on this one may delay it: by default it runs (with the threads
# it starts) under SCHED_FIFO priority 50 when allowed, and wrk and the web server cannot hold it back; what the PCR
# figures show is then the sender's pacing. MCR_BENCH_RX_FIFO=off runs it at nice MCR_BENCH_RX_NICE (default -10)
# instead, as earlier runs did; MCR_BENCH_RX_NICE=0 with that lets it compete like everything else.
rx_fifo="${MCR_BENCH_RX_FIFO:-50}"
rx_nice="${MCR_BENCH_RX_NICE:--10}"
nice -n "$rx_nice" true 2>/dev/null || rx_nice=0
rx_sched=(nice -n "$rx_nice"); rx_label="nice$rx_nice"
if [ "$rx_fifo" != off ] && chrt -f "$rx_fifo" true 2>/dev/null; then
  rx_sched=(chrt -f "$rx_fifo"); rx_label="fifo-$rx_fifo"
fi
"${rx_sched[@]}" srt-live-transmit -q "srt://127.0.0.1:$base?mode=caller&latency=200" "udp://127.0.0.1:$rx_port" \
  >/dev/null 2>&1 &
pids+=($!)
sleep 3

echo "streams=$streams seconds=$seconds cpus=$(nproc) receiver=$rx_label load_before=$(cut -d' ' -f1-3 /proc/loadavg)"
echo "-- pacing without web load"
python3 "$here/bench/api/pcr_jitter.py" "$rx_port" "$seconds"
echo "-- pacing with wrk -t1 -c$connections -d${seconds}s GET /api/streams"
python3 "$here/bench/api/pcr_jitter.py" "$rx_port" "$seconds" &
jitter=$!
wrk -t1 -c"$connections" -d"${seconds}s" --latency -H "X-API-Key: $key" "http://127.0.0.1:$http_port/api/streams" \
  | grep -E 'Latency|Requests/sec|50%|99%|requests in|Non-2xx'
wait "$jitter"
echo "load_after=$(cut -d' ' -f1-3 /proc/loadavg)"
echo "streams_listed=$(curl -fs -H "X-API-Key: $key" "http://127.0.0.1:$http_port/api/streams" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["data"]))')"
