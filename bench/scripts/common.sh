# What the end-to-end benchmark scripts share; each sources it after `set -euo pipefail`:
#   here   the repository;  work  where media and logs go (BENCH_DIR, default /tmp/mcr-bench);
#   java   a JDK 25 (JAVA_HOME, default Temurin 25);  free_port  a free TCP/UDP port number on loopback.
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
work="${BENCH_DIR:-/tmp/mcr-bench}"
mkdir -p "$work"
java="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# Starts what a PCR-timing benchmark measures through: a srt-live-transmit listener on a free port relaying to UDP,
# bench/scripts/pcr_arrival.py timing that UDP for $secs after $warmup (into $work/NAME.json), then the sender.
#   start_measured NAME COMMAND...   (PORT in COMMAND stands for the listener's port)
# Sets rx, meas and tx to the three processes.
start_measured() {
  local name="$1"; shift
  local srt udp
  srt=$(free_port); udp=$(free_port)
  srt-live-transmit -q "srt://127.0.0.1:$srt?mode=listener&latency=200" "udp://127.0.0.1:$udp" \
    2> "$work/$name.receiver.log" &
  rx=$!
  python3 "$here/bench/scripts/pcr_arrival.py" "$udp" "$secs" "$warmup" > "$work/$name.json" &
  meas=$!
  sleep 0.5
  local cmd=("${@//PORT/$srt}")
  "${cmd[@]}" > "$work/$name.log" 2>&1 &
  tx=$!
}
