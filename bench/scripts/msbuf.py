#!/usr/bin/env python3
"""Summarises srt-live-transmit's JSON statistics (`-s:MS -pf:json`): the time span of the data waiting in its
receive buffer (recv.msBuf), which is the latency left when data arrives. Prints mean and minimum over the samples
that received data, after skipping the first SKIP of them, and how many were under 150 ms.

usage: msbuf.py STATS_FILE [SKIP=0]
"""
import json, statistics, sys

def main():
    spans = []
    for line in open(sys.argv[1]):
        try:
            s = json.loads(line)
        except ValueError:
            continue
        if s.get("recv", {}).get("packets", 0) > 0:
            spans.append(s["recv"]["msBuf"])
    spans = spans[int(sys.argv[2]) if len(sys.argv) > 2 else 0:]
    if not spans:
        print("msBuf: no samples with data")
        return
    print(f"msBuf mean {statistics.mean(spans):.1f} ms, min {min(spans)}, max {max(spans)} ({len(spans)} samples, "
          f"{sum(1 for v in spans if v < 150)} under 150 ms)")

main()
