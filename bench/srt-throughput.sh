#!/usr/bin/env bash
# Message rate and CPU per message of the Java SRT library against srt-live-transmit doing the same job, side by
# side in one run on loopback. 1316-byte live messages (MPEG-TS, 7 packets), latency 200 ms.
#
#   [MAXBW=bytes/s] [RATE=msgs/s] [JAVA_OPTS=...] bench/srt-throughput.sh [COUNT]
#   defaults: COUNT 100000 messages per run, MAXBW 50000000 (400 Mbit/s), RATE 20000 (210 Mbit/s), JAVA_OPTS empty
#
# Runs, each with fresh processes:
#   1. Java sender (max)        -> Java receiver               Java sender max rate; Java receiver CPU
#   2. Java sender (max)        -> srt-live-transmit receiver  srt-live-transmit receiver CPU at the same rate
#   3. Java sender (paced RATE) -> Java receiver               Java sender CPU at a broadcast-like rate
#   4. UDP generator (paced RATE) -> srt-live-transmit udp->srt sender -> Java receiver
#                                                             srt-live-transmit sender CPU at the same rate
# "max" means as fast as libsrt takes messages, with libsrt pacing its output at MAXBW: an unpaced live sender stalls
# libsrt 1.5.1 (flow window stuck), and srt-live-transmit fed from stdin loses messages, so its sender is measured
# paced, from UDP, as it is used in practice. Java CPU is the whole process's (every thread, libsrt's included) during
# the send/receive loop; srt-live-transmit's is its whole process from start to exit (/usr/bin/time). The UDP
# generator's CPU is not counted.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
count="${1:-100000}"
size=1316
maxbw="${MAXBW:-50000000}"
rate="${RATE:-20000}"
opts="latency=200&maxbw=$maxbw&fc=32768&rcvbuf=47185920&sndbuf=47185920"
java_home="${JAVA_HOME:-$(ls -d /usr/lib/jvm/*25* | head -n1)}"
read -r -a java_opts <<< "${JAVA_OPTS:-}"
# A receiver that never gets a caller would wait in accept for ever: bound every Java process.
java=(timeout 300 "$java_home/bin/java" --enable-native-access=ALL-UNNAMED "${java_opts[@]}" -cp "$here/bench/target/benchmarks.jar" io.mcrsrt.bench.srt.SrtThroughput)
work="$(mktemp -d)"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do timeout 5 tail --pid="$p" -f /dev/null 2>/dev/null || kill -9 "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

if [ ! -f "$here/bench/target/benchmarks.jar" ]; then
  (cd "$here" && JAVA_HOME="$java_home" ./mvnw -B -q -ntp -pl bench -am package -DskipTests)
fi

free_port() {
  local p
  while :; do
    p=$(( 20000 + RANDOM % 30000 ))
    [ -z "$(ss -Huan "sport = :$p")" ] && { echo "$p"; return; }
  done
}
per_msg() { # user sys messages -> microseconds per message
  awk -v u="$1" -v s="$2" -v n="$3" 'BEGIN { printf "%.2f", n ? (u + s) * 1e6 / n : 0 }'
}
line() { grep -h "$1" "$2" | head -n2 | paste -sd '|' | sed 's/|/\n  /'; }

echo "# $(date -u +%FT%TZ) $(nproc) CPUs, load before: $(cut -d' ' -f1-3 /proc/loadavg); count=$count size=$size maxbw=$maxbw rate=$rate java_opts='${JAVA_OPTS:-}'"

# 1. Java (max) -> Java
port=$(free_port)
"${java[@]}" recv "srt://127.0.0.1:$port?mode=listener&$opts" "$count" > "$work/r1" & pids+=($!); rpid=$!
sleep 1
"${java[@]}" send "srt://127.0.0.1:$port?$opts" "$count" > "$work/s1"
wait "$rpid" || true
echo "1 $(line 'msgs=' "$work/s1")"
echo "1 $(line 'msgs=' "$work/r1")  [$(line 'total=' "$work/r1")]"

# 2. Java (max) -> srt-live-transmit receiver
port=$(free_port)
/usr/bin/time -f "%e %U %S" -o "$work/t2" srt-live-transmit -a:no -q -loglevel:fatal \
  "srt://127.0.0.1:$port?mode=listener&$opts" file://con > "$work/out2" & pids+=($!); spid=$!
sleep 1
"${java[@]}" send "srt://127.0.0.1:$port?$opts" "$count" > "$work/s2"
wait "$spid" || true
read -r wall user sys < "$work/t2"
got=$(( $(stat -c %s "$work/out2") / size ))
echo "2 $(line 'msgs=' "$work/s2")"
echo "2 srt-live-transmit receiver msgs=$got cpu_us_per_msg=$(per_msg "$user" "$sys" "$got") (cpu ${user}u+${sys}s, wall ${wall}s)"

# 3. Java (paced) -> Java
port=$(free_port)
"${java[@]}" recv "srt://127.0.0.1:$port?mode=listener&$opts" "$count" > "$work/r3" & pids+=($!); rpid=$!
sleep 1
"${java[@]}" send "srt://127.0.0.1:$port?$opts" "$count" "$rate" > "$work/s3"
wait "$rpid" || true
echo "3 $(line 'msgs=' "$work/s3")"
echo "3 $(line 'msgs=' "$work/r3")  [$(line 'total=' "$work/r3")]"

# 4. UDP (paced) -> srt-live-transmit udp->srt -> Java
port=$(free_port)
udp=$(free_port)
"${java[@]}" recv "srt://127.0.0.1:$port?mode=listener&$opts" "$count" > "$work/r4" & pids+=($!); rpid=$!
sleep 1
# srt-live-transmit leaves when the receiver hangs up (run under timeout(1), it forwards nothing).
/usr/bin/time -f "%e %U %S" -o "$work/t4" srt-live-transmit -a:no -q -loglevel:fatal -chunk:$size "udp://127.0.0.1:$udp?rcvbuf=8388608" "srt://127.0.0.1:$port?$opts" & pids+=($!); spid=$!
sleep 1
"${java[@]}" udpgen "127.0.0.1:$udp" "$count" "$rate"
wait "$rpid" || true
wait "$spid" || true
read -r wall user sys < "$work/t4"
got=$(sed -n 's/.*total=\([0-9]*\).*/\1/p' "$work/r4")
echo "4 srt-live-transmit sender msgs=$got cpu_us_per_msg=$(per_msg "$user" "$sys" "$got") (cpu ${user}u+${sys}s, wall ${wall}s incl. 1 s idle before)"
echo "4 $(line 'msgs=' "$work/r4")  [$(line 'total=' "$work/r4")]"
echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)"
