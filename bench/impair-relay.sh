#!/usr/bin/env bash
# What the link emulator costs as a plain UDP relay, beside srt-live-transmit relaying UDP to UDP, in the same run.
# A paced generator sends 1316-byte datagrams through the relay to a counting sink on loopback; the relay's CPU time
# (utime + stime from /proc) is read over the measured window, after a warm-up.
# Usage: bench/impair-relay.sh [seconds per case, default 20] [rates in Mbit/s, default "10 50 100"]
# Needs: the jar (./mvnw -B -q -ntp -pl streamer -am package -DskipTests), srt-live-transmit, python3.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
secs="${1:-20}"
rates="${2:-10 50 100}"
warm=3
tick=$(getconf CLK_TCK)

free_port() { python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

run_case() { # name rate_mbps relay_command...
  local name="$1" rate="$2"; shift 2
  local sink_port="$SINK_PORT" relay_port="$RELAY_PORT"
  "$@" >/dev/null 2>&1 &
  local relay=$!
  sleep 1.5
  python3 - "$sink_port" $((secs + warm + 2)) >"$tmp/sink" <<'PY' &
import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8 << 20)
s.bind(("127.0.0.1", int(sys.argv[1])))
s.settimeout(0.5)
end = time.monotonic() + float(sys.argv[2])
n = 0
while time.monotonic() < end:
    try:
        s.recv(2048)
        n += 1
    except socket.timeout:
        pass
print(n)
PY
  local sink=$!
  python3 - "$relay_port" "$rate" $((secs + warm)) >"$tmp/sent" <<'PY' &
import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
port, mbps, secs = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3])
pps = mbps * 1e6 / (1316 * 8)
data = bytes(1316)
start = time.monotonic()
n = 0
while True:
    now = time.monotonic() - start
    if now >= secs:
        break
    due = int(now * pps) + 1
    while n < due:
        s.sendto(data, ("127.0.0.1", port))
        n += 1
    time.sleep(0.001)
print(n)
PY
  local gen=$!
  sleep "$warm"
  local t0; t0=$(cpu_ticks "$relay")
  sleep "$secs"
  local t1; t1=$(cpu_ticks "$relay")
  wait "$gen"; wait "$sink"
  kill "$relay" 2>/dev/null || true
  for _ in $(seq 50); do kill -0 "$relay" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$relay" 2>/dev/null || true
  local sent recv
  sent=$(cat "$tmp/sent"); recv=$(cat "$tmp/sink")
  printf '| %s | %s | %.2f | %s | %s |\n' "$name" "$rate" "$(echo "($t1 - $t0) / $tick" | bc -l)" "$sent" "$recv"
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
java_bin="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "| relay | Mbit/s | CPU s per ${secs} s | datagrams sent | received |"
echo "|---|---|---|---|---|"
for rate in $rates; do
  SINK_PORT=$(free_port); RELAY_PORT=$(free_port)
  run_case "mcr-srt impair (no impairment)" "$rate" "$java_bin" --enable-native-access=ALL-UNNAMED -jar \
    "$here/streamer/target/mcr-srt.jar" impair --listen "$RELAY_PORT" --bind 127.0.0.1 --to "127.0.0.1:$SINK_PORT" --stats 0
  SINK_PORT=$(free_port); RELAY_PORT=$(free_port)
  run_case "mcr-srt impair --delay 50 --loss 2" "$rate" "$java_bin" --enable-native-access=ALL-UNNAMED -jar \
    "$here/streamer/target/mcr-srt.jar" impair --listen "$RELAY_PORT" --bind 127.0.0.1 --to "127.0.0.1:$SINK_PORT" \
    --delay 50 --loss 2 --stats 0
  SINK_PORT=$(free_port); RELAY_PORT=$(free_port)
  run_case "srt-live-transmit udp -> udp" "$rate" srt-live-transmit -q "udp://127.0.0.1:$RELAY_PORT" \
    "udp://127.0.0.1:$SINK_PORT"
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
