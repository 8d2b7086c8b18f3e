#!/usr/bin/env python3
"""Receives a TS-over-UDP stream on 127.0.0.1:PORT for SECONDS and prints the PCR arrival error p50/p99 in ms:
arrival time minus PCR time, after removing the linear drift (least squares), as in docs/BENCHMARKS.md, and the
TS continuity errors it saw (counter jumps on any PID with payload).
Usage: pcr_jitter.py PORT SECONDS"""
import socket
import struct
import sys
import time

SO_TIMESTAMPNS = 35


def pcrs(datagram):
    for off in range(0, len(datagram) - 187, 188):
        p = datagram[off:off + 188]
        if p[0] != 0x47 or not (p[3] & 0x20) or p[4] < 7 or not (p[5] & 0x10):
            continue
        b = p[6:12]
        base = (b[0] << 25) | (b[1] << 17) | (b[2] << 9) | (b[3] << 1) | (b[4] >> 7)
        ext = ((b[4] & 1) << 8) | b[5]
        yield (base * 300 + ext) / 27e6


def continuity_errors(datagram, last_cc):
    errors = 0
    for off in range(0, len(datagram) - 187, 188):
        p = datagram[off:off + 188]
        if p[0] != 0x47:
            errors += 1
            continue
        pid = ((p[1] & 0x1F) << 8) | p[2]
        if pid == 0x1FFF or not (p[3] & 0x10):
            continue
        cc = p[3] & 0x0F
        last = last_cc.get(pid)
        if last is not None and cc != (last + 1) & 0x0F and cc != last:
            errors += 1
        last_cc[pid] = cc
    return errors


def main():
    port, seconds = int(sys.argv[1]), float(sys.argv[2])
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8 << 20)
    s.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)
    s.bind(("127.0.0.1", port))
    s.settimeout(1.0)
    points = []
    end = time.monotonic() + seconds
    last_pcr, wraps = None, 0.0
    last_cc, cc_errors = {}, 0
    while time.monotonic() < end:
        try:
            data, anc, _, _ = s.recvmsg(2048, 64)
        except socket.timeout:
            continue
        arrival = None
        for level, kind, value in anc:
            if level == socket.SOL_SOCKET and kind == SO_TIMESTAMPNS:
                sec, nsec = struct.unpack("qq", value[:16])
                arrival = sec + nsec / 1e9
        if arrival is None:
            arrival = time.time()
        cc_errors += continuity_errors(data, last_cc)
        for pcr in pcrs(data):
            # a looping file jumps back at its seam: keep the PCR time line continuous
            if last_pcr is not None and pcr + wraps < last_pcr - 1.0:
                wraps = last_pcr - pcr + 0.02
            last_pcr = pcr + wraps
            points.append((last_pcr, arrival))
    if len(points) < 10:
        print("pcr_points=%d (no stream received)" % len(points))
        return 1
    n = len(points)
    mx = sum(p for p, _ in points) / n
    my = sum(a for _, a in points) / n
    sxx = sum((p - mx) ** 2 for p, _ in points)
    slope = sum((p - mx) * (a - my) for p, a in points) / sxx
    errors = sorted(abs((a - my) - slope * (p - mx)) * 1000 for p, a in points)
    print("pcr_points=%d p50_ms=%.3f p99_ms=%.3f cc_errors=%d" % (n, errors[n // 2], errors[int(n * 0.99)], cc_errors))
    return 0


if __name__ == "__main__":
    sys.exit(main())
