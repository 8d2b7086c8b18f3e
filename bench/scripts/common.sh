# What the end-to-end benchmark scripts share; each sources it after `set -euo pipefail`:
#   here   the repository;  work  where media and logs go (BENCH_DIR, default /tmp/mcr-bench);
#   java   a JDK 25 (JAVA_HOME, default Temurin 25);  free_port  a free TCP/UDP port number on loopback;
#   perf_clip  the 8 Mbit/s test file of spec/PERFORMANCE.md (made once);
#   vbr_clip   15 s at ~1.7 Mbit/s then 15 s at ~7.5 Mbit/s, joined without -muxrate (made once).
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
work="${BENCH_DIR:-/tmp/mcr-bench}"
mkdir -p "$work"
java="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# The 60 s 720p50 8 Mbit/s CBR file of spec/PERFORMANCE.md, made once in $work; prints its path.
perf_clip() {
  local f="$work/test720p50.ts"
  if [ ! -f "$f" ]; then
    ffmpeg -nostdin -loglevel error -f lavfi -i smptehdbars=size=1280x720:rate=50 \
      -f lavfi -i sine=frequency=1000:sample_rate=48000 -t 60 \
      -c:v libx264 -preset veryfast -pix_fmt yuv420p -b:v 7000k -minrate 7000k -maxrate 7000k -bufsize 3500k \
      -x264-params nal-hrd=cbr:force-cfr=1 -g 50 -keyint_min 50 -sc_threshold 0 -c:a aac -b:a 128k -ac 2 \
      -f mpegts -muxrate 8000k -pcr_period 20 "$f"
  fi
  echo "$f"
}

# A variable-rate file: 15 s of ~1.7 Mbit/s then 15 s of ~7.5 Mbit/s, each part constant-rate, joined without
# -muxrate as an ffmpeg remux leaves a file; looped it climbs and falls twice a minute. Made once in $work; prints its
# path.
vbr_clip() {
  local f="$work/vbr-1.7-then-7.5.ts"
  if [ ! -f "$f" ]; then
    for part in 1500:low 7000:high; do
      local rate=${part%%:*} name=${part##*:}
      ffmpeg -nostdin -loglevel error -y -f lavfi -i testsrc2=size=1280x720:rate=50 \
        -f lavfi -i sine=frequency=1000:sample_rate=48000 -t 15 -c:v libx264 -preset ultrafast \
        -b:v "${rate}k" -minrate "${rate}k" -maxrate "${rate}k" -bufsize "${rate}k" -x264-params nal-hrd=cbr -g 50 \
        -c:a aac -b:a 128k -f mpegts -muxrate "$((rate + 500))k" "$work/vbr-$name.ts"
    done
    printf "file '%s'\nfile '%s'\n" "$work/vbr-low.ts" "$work/vbr-high.ts" > "$work/vbr-list.txt"
    ffmpeg -nostdin -loglevel error -y -f concat -safe 0 -i "$work/vbr-list.txt" -c copy -f mpegts "$f"
  fi
  echo "$f"
}

# Starts what a PCR-timing benchmark measures through: a srt-live-transmit listener on a free port relaying to UDP,
# bench/scripts/pcr_arrival.py timing that UDP for $secs after $warmup (into $work/NAME.json), then the sender.
#   start_measured NAME COMMAND...   (PORT in COMMAND stands for the listener's port)
# With RECEIVER_STATS=N the listener also writes its JSON statistics every N packets to $work/NAME.stats.json.
# Sets rx, meas and tx to the three processes.
start_measured() {
  local name="$1"; shift
  local srt udp stats=()
  srt=$(free_port); udp=$(free_port)
  if [ -n "${RECEIVER_STATS:-}" ]; then
    stats=("-s:$RECEIVER_STATS" -pf:json)
  fi
  srt-live-transmit -q "${stats[@]}" "srt://127.0.0.1:$srt?mode=listener&latency=200" "udp://127.0.0.1:$udp" \
    > "$work/$name.stats.json" 2> "$work/$name.receiver.log" &
  rx=$!
  python3 "$here/bench/scripts/pcr_arrival.py" "$udp" "$secs" "$warmup" > "$work/$name.json" &
  meas=$!
  sleep 0.5
  local cmd=("${@//PORT/$srt}")
  "${cmd[@]}" > "$work/$name.log" 2>&1 &
  tx=$!
}
