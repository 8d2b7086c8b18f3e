#!/usr/bin/env bash
# Every 30 s, one line of a running service's memory and handles: RSS (/proc/PID/status), NMT committed total and
# its malloc part (the service started with MCR_SRT_JAVA_OPTS=-XX:NativeMemoryTracking=summary), heap used after a
# full GC (jcmd GC.run, GC.heap_info), threads and open descriptors. PHASE_FILE, if given, holds a label (e.g. the
# kind of flood running) written into each line. Used for the refused-caller floods in docs/BENCHMARKS.md.
#   bench/reliability/flood-watch.sh PID [PHASE_FILE]
set -uo pipefail
pid="$1"
phase_file="${2:-/dev/null}"
jcmd="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/jcmd"
echo "time phase rss_kB nmt_committed_kB nmt_malloc_kB heap_used_after_gc_kB threads fds"
while kill -0 "$pid" 2>/dev/null; do
  "$jcmd" "$pid" GC.run >/dev/null 2>&1
  heap=$("$jcmd" "$pid" GC.heap_info 2>/dev/null | grep -oE 'used [0-9]+K' | head -1 | grep -oE '[0-9]+')
  nmt=$("$jcmd" "$pid" VM.native_memory summary 2>/dev/null)
  total=$(echo "$nmt" | grep -m1 '^Total' | grep -oE 'committed=[0-9]+KB' | grep -oE '[0-9]+')
  malloc=$(echo "$nmt" | grep -m1 'malloc:' | grep -oE '[0-9]+KB' | head -1 | grep -oE '[0-9]+')
  rss=$(awk '/^VmRSS/ {print $2}' "/proc/$pid/status")
  echo "$(date +%H:%M:%S) $(cat "$phase_file" 2>/dev/null || echo -) $rss $total $malloc $heap" \
    "$(ls "/proc/$pid/task" | wc -l) $(ls "/proc/$pid/fd" | wc -l)"
  sleep 30
done
