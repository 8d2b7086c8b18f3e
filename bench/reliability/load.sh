#!/usr/bin/env bash
# Load: N concurrent 8 Mbit/s file streams started through the API of the real service, each received, for SECONDS.
# Receivers (RECEIVER=...): "multi" (default) is one process that calls all N streams but three, RX_PER_PORT
# (default 10) from each of its local UDP ports, and checks TS continuity (bench/reliability/MultiReceiver.java,
# standing in for the far ends on other machines); "slt" is one srt-live-transmit caller per stream, as before, which
# on two cores costs more than the sending. Three streams (first, middle, last) are always received by their own
# srt-live-transmit (see MEASURE_FIFO below) into UDP for bench/api/pcr_jitter.py (PCR arrival error with
# kernel timestamps, continuity). Reports receiver-side loss and drops (libsrt's counters at the receivers), the PCR
# figures, the API's GET /api/streams
# latency p50/p99 measured all along (keep-alive client, every 200 ms), the service's CPU, the machine's load, the
# datagrams the kernel discarded for a full socket buffer (UDP RcvbufErrors, machine-wide) and the CPU time the
# hypervisor took from this machine (steal).
# SRT_LISTEN_ADDRESS is passed to the service (unset: listeners on every address, IPv4 and IPv6; 0.0.0.0: IPv4 only).
# SERVICE_NICE (default 0) runs the service at that nice value: -10 puts it at the receivers' priority, as when each
# has a machine of its own and neither waits for the other.
#   bench/reliability/load.sh [STREAMS=50] [SECONDS=600]
# Needs streamer/target/mcr-srt.jar (./mvnw -pl streamer -am package -DskipTests) and JAVA_HOME on a JDK 25.
# Loopback only; every process it starts is stopped on exit.
set -euo pipefail
streams="${1:-50}"
seconds="${2:-600}"
receiver="${RECEIVER:-multi}"
root="$(cd "$(dirname "$0")/../.." && pwd)"
java="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
jar="$root/streamer/target/mcr-srt.jar"
[ -f "$jar" ] || { echo "$jar missing: ./mvnw -pl streamer -am package -DskipTests" >&2; exit 1; }
work="$(mktemp -d /tmp/mcr-load.XXXXXX)"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do timeout 15 tail --pid="$p" -f /dev/null 2>/dev/null || kill -9 "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

free_range() {  # N consecutive free UDP ports on loopback
  python3 - "$1" <<'PY'
import random, socket, sys
n = int(sys.argv[1])
for _ in range(500):
    first = random.randint(20000, 60000 - n)
    held = []
    try:
        for p in range(first, first + n):
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", p)); held.append(s)
        print(first); break
    except OSError:
        pass
    finally:
        for s in held: s.close()
PY
}
free_tcp() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

mkdir -p "$work/media" "$work/data" "$work/logs"
# The 8 Mbit/s CBR clip of spec/PERFORMANCE.md, 20 s long (looped by the service).
ffmpeg -nostdin -loglevel error -f lavfi -i smptehdbars=size=1280x720:rate=50 -f lavfi -i sine=frequency=1000:sample_rate=48000 -t 20 \
  -c:v libx264 -preset veryfast -pix_fmt yuv420p -b:v 7000k -minrate 7000k -maxrate 7000k -bufsize 3500k \
  -x264-params nal-hrd=cbr:force-cfr=1 -g 50 -keyint_min 50 -sc_threshold 0 -c:a aac -b:a 128k -ac 2 \
  -f mpegts -muxrate 8000k -pcr_period 20 "$work/media/test720p50.ts"

srt_base="$(free_range "$streams")"
udp_base="$(free_range "$streams")"
port="$(free_tcp)"
key="load-test-api-key-0123456789abcdef"
env -i PATH="$PATH" HOST=127.0.0.1 PORT="$port" DATA_DIR="$work/data" MEDIA_FOLDER="$work/media" LOG_DIR="$work/logs" \
  SRT_LISTEN_ADDRESS="${SRT_LISTEN_ADDRESS:-}" API_KEY="$key" MAX_STREAMS="$streams" LISTENER_PORT_MIN="$srt_base" LISTENER_PORT_MAX="$((srt_base + streams - 1))" \
  nice -n "${SERVICE_NICE:-0}" "$java" ${EXTRA_JAVA_OPTS:-} --enable-native-access=ALL-UNNAMED -jar "$jar" serve >"$work/service.log" 2>&1 &
service=$!
pids+=("$service")
for _ in $(seq 600); do curl -fs "http://127.0.0.1:$port/health" >/dev/null && break; sleep 0.1; done
api="http://127.0.0.1:$port/api"

for i in $(seq 0 $((streams - 1))); do
  curl -fsS -o /dev/null -H "X-API-Key: $key" -H 'Content-Type: application/json' \
    -d "{\"input_type\":\"file\",\"file_path\":\"test720p50.ts\",\"port\":$((srt_base + i)),\"latency\":200}" "$api/streams"
done
measured="0 $((streams / 2)) $((streams - 1))"
# The three measured streams are received by srt-live-transmit into UDP ports, where pcr_jitter.py timestamps them.
# They and the API client below are the measuring instruments, standing in for a decoder and a dashboard on machines
# of their own, but they share this machine's two cores: at nice -10 (receivers) and the default priority (client)
# by default. MEASURE_FIFO=PRIORITY runs them under SCHED_FIFO, so that the PCR figures show the sender's timing
# rather than the receivers' wait for a core; that in turn costs the web server (API p99 2-4 times higher in
# alternating runs on 2026-11-22 14:14-14:22 UTC, docs/BENCHMARKS.md). (Runs before 2026-11-22 13:15 UTC received
# the three in the one receiving process below, at nice -10.)
measure_fifo="${MEASURE_FIFO:-off}"
measured_sched=(nice -n -10)
client_sched=()
if [ "$measure_fifo" != off ]; then measured_sched=(chrt -f "$measure_fifo"); client_sched=(chrt -f "$measure_fifo"); fi
rx_one() {  # index, scheduling...
  local i="$1"; shift
  "$@" srt-live-transmit -q -s:1000 -pf:json -statsout:"$work/rx-$i.json" -f \
    "srt://127.0.0.1:$((srt_base + i))?mode=caller&latency=200" "udp://127.0.0.1:$((udp_base + i))" 2>>"$work/rx-$i.log" &
  pids+=("$!")
}
if [ "$receiver" = multi ]; then
  for i in $measured; do rx_one "$i" "${measured_sched[@]}"; done
  # One process for all the others (bench/reliability/MultiReceiver.java), standing in for the far ends on other
  # machines: at nice -10; RX_FIFO=PRIORITY runs it (and every thread it starts, libsrt's included) under SCHED_FIFO.
  rx_sched=(nice -n -10)
  [ -n "${RX_FIFO:-}" ] && rx_sched=(chrt -f "$RX_FIFO")
  "${rx_sched[@]}" "$java" --enable-native-access=ALL-UNNAMED -cp "$jar" "$root/bench/reliability/MultiReceiver.java" \
    127.0.0.1 "$srt_base" "$streams" "$((seconds + 5))" 200 "${measured// /,}" "${RX_PER_PORT:-10}" \
    >"$work/multi.txt" 2>&1 &
  multi=$!
  pids+=("$multi")
else
  # One srt-live-transmit per stream; all but the three measured ones go to UDP ports nobody reads (the kernel
  # discards them).
  for i in $(seq 0 $((streams - 1))); do
    case " $measured " in *" $i "*) rx_one "$i" "${measured_sched[@]}" ;; *) rx_one "$i" ;; esac
  done
fi
sleep 5
cpu0="$(awk '{print $14 + $15}' "/proc/$service/stat")"
udp_rcvbuf_errors() { awk '/^Udp:/ { if (h) print $6; h = 1 }' /proc/net/snmp; }
steal_ticks() { awk '/^cpu / { print $9 }' /proc/stat; }
rcvbuf0="$(udp_rcvbuf_errors)"
steal0="$(steal_ticks)"
for i in $measured; do
  python3 "$root/bench/api/pcr_jitter.py" "$((udp_base + i))" "$((seconds - 10))" >"$work/pcr-$i.txt" 2>&1 &
  pids+=("$!")
done
# API latency all along: one GET /api/streams every 200 ms from a client that keeps its connection open, as a
# dashboard or a monitoring script does (starting a curl per request would add the process start to every figure).
# The client runs as MEASURE_FIFO says (above), or under RX_FIFO when that is given.
[ -n "${RX_FIFO:-}" ] && client_sched=(chrt -f "$RX_FIFO")
"${client_sched[@]}" python3 - "$port" "$key" "$((seconds - 5))" >"$work/api.txt" <<'PY'
import http.client, sys, time
port, key, seconds = int(sys.argv[1]), sys.argv[2], float(sys.argv[3])
conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
end = time.monotonic() + seconds
while time.monotonic() < end:
    t0 = time.perf_counter()
    try:
        conn.request("GET", "/api/streams", headers={"X-API-Key": key})
        r = conn.getresponse(); r.read()
        ok = r.status == 200
    except OSError:
        ok = False
        conn.close(); conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    print(time.perf_counter() - t0 if ok else 99, flush=True)
    time.sleep(0.2)
PY
wait_pcr=0
for i in 0 $((streams / 2)) $((streams - 1)); do
  for _ in $(seq 100); do [ -s "$work/pcr-$i.txt" ] && break; sleep 0.2; done
done
cpu1="$(awk '{print $14 + $15}' "/proc/$service/stat")"
hz="$(getconf CLK_TCK)"

echo "load: $streams streams x 8 Mbit/s for ${seconds} s, service at nice ${SERVICE_NICE:-0}, receivers: $receiver${RX_FIFO:+ (SCHED_FIFO $RX_FIFO)}, measured receivers: ${measured_sched[*]}, API client: ${client_sched[*]:-default}, $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "service CPU: $(python3 -c "print(round(($cpu1 - $cpu0) / $hz / ($seconds - 10), 2))") cores; RSS $(awk '/VmRSS/{print int($2/1024)}' "/proc/$service/status") MB; threads $(ls "/proc/$service/task" | wc -l)"
for i in 0 $((streams / 2)) $((streams - 1)); do echo "PCR arrival error, stream $i: $(cat "$work/pcr-$i.txt")"; done
if [ "$receiver" = multi ]; then
  tail --pid="$multi" -f /dev/null
  grep -v '^connected' "$work/multi.txt"
fi
rcvbuf1="$(udp_rcvbuf_errors)"
steal1="$(steal_ticks)"
echo "kernel: $((rcvbuf1 - rcvbuf0)) UDP datagrams discarded for a full receive buffer; steal $(python3 -c "print(round(($steal1 - $steal0) / $hz, 2))") CPU s"
python3 - "$work" "$streams" "$receiver" <<'PY'
import json, os, sys
work, n = sys.argv[1], int(sys.argv[2])
lat = sorted(float(x) * 1000 for x in open(os.path.join(work, "api.txt")) if x.strip())
print("API GET /api/streams: %d requests, p50 %.1f ms, p99 %.1f ms, max %.1f ms"
      % (len(lat), lat[len(lat) // 2], lat[int(len(lat) * 0.99)], lat[-1]))
loss = drop = recv = 0
for i in range(n):
    if not os.path.exists(os.path.join(work, "rx-%d.json" % i)):
        continue
    last = None
    try:
        for line in open(os.path.join(work, "rx-%d.json" % i)):
            line = line.strip().rstrip(",")
            if line.startswith("{"):
                try:
                    last = json.loads(line)
                except ValueError:
                    pass
    except OSError:
        pass
    if last:
        r = last.get("recv", {})
        recv += r.get("packetsTotal", r.get("packets", 0)) or 0
        loss += r.get("packetsLostTotal", r.get("packetsLost", 0)) or 0
        drop += r.get("packetsDroppedTotal", r.get("packetsDropped", 0)) or 0
print("%s: %d packets received, %d lost (recovered by retransmission unless dropped), %d dropped"
      % ("receivers" if sys.argv[3] == "slt" else "measured receivers (srt-live-transmit)", recv, loss, drop))
PY
