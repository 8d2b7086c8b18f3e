#!/usr/bin/env bash
# Whole-file analysis throughput: `mcr-srt analyze` (JVM start-up included) against ffmpeg and ffprobe reading the same
# file, side by side in one run. Each tool reads the file once from the page cache; the table gives wall and CPU time
# and packets per second of CPU. Usage: bench/ts-analyze-vs-peers.sh [seconds of media, default 60]
set -euo pipefail
cd "$(dirname "$0")/.."
secs="${1:-60}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
f="$work/test720p50.ts"
# The PERFORMANCE.md test file, shortened to $secs seconds.
ffmpeg -hide_banner -loglevel error -f lavfi -i smptehdbars=size=1280x720:rate=50 \
  -f lavfi -i sine=frequency=1000:sample_rate=48000 -t "$secs" \
  -c:v libx264 -preset veryfast -pix_fmt yuv420p -b:v 7000k -minrate 7000k -maxrate 7000k -bufsize 3500k \
  -x264-params nal-hrd=cbr:force-cfr=1 -g 50 -keyint_min 50 -sc_threshold 0 -c:a aac -b:a 128k -ac 2 \
  -f mpegts -muxrate 8000k -pcr_period 20 "$f"
packets=$(( $(stat -c %s "$f") / 188 ))
cat "$f" > /dev/null
echo "file: $secs s, $packets packets; load before: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-44s %8s %8s %14s\n' tool "wall s" "CPU s" "packets/CPU s"
measure() {
  local name="$1"; shift
  /usr/bin/time -o "$work/time" -f '%e %U %S' "$@" > /dev/null 2> /dev/null || true
  read -r wall user sys < "$work/time"
  awk -v n="$name" -v w="$wall" -v u="$user" -v s="$sys" -v p="$packets" \
    'BEGIN { c = u + s; printf "%-44s %8.2f %8.2f %14.0f\n", n, w, c, (c > 0 ? p / c : 0) }'
}
measure "mcr-srt analyze (TR 101 290, JVM start incl.)" bin/mcr-srt analyze "$f"
measure "ffmpeg -c copy -f null (demux only)" ffmpeg -v error -i "$f" -map 0 -c copy -f null -
measure "ffprobe -show_packets (demux, print)" ffprobe -v error -show_packets "$f"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
