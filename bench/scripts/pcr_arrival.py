#!/usr/bin/env python3
"""Measures how exactly an MPEG-TS over UDP arrives on time: kernel receive timestamps (SO_TIMESTAMPNS) of the
datagrams carrying PCRs against the PCR values, after removing linear drift (least squares). Prints one JSON line:
datagrams, PCR count, p50/p99/max absolute error in ms, continuity errors.

usage: pcr_arrival.py PORT SECONDS [SKIP_SECONDS]
"""
import json, socket, struct, sys, time

SO_TIMESTAMPNS = getattr(socket, "SO_TIMESTAMPNS", 35)

def main():
    port, seconds = int(sys.argv[1]), float(sys.argv[2])
    skip = float(sys.argv[3]) if len(sys.argv) > 3 else 0.0
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8 * 1024 * 1024)
    s.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)
    s.bind(("127.0.0.1", port))
    s.settimeout(1.0)
    points, datagrams, cc_errors, last_cc = [], 0, 0, {}
    pcr_pid, start = None, None
    give_up = time.monotonic() + 60
    unwrap, last_pcr = 0, None
    while True:
        now = time.monotonic()
        if start is not None and now - start > seconds + skip:
            break
        if start is None and now > give_up:
            break
        try:
            data, anc, _, _ = s.recvmsg(65536, 1024)
        except socket.timeout:
            continue
        if start is None:
            start = now
        t = None
        for level, typ, val in anc:
            if level == socket.SOL_SOCKET and typ == SO_TIMESTAMPNS:
                sec, nsec = struct.unpack("qq", val[:16])
                t = sec + nsec / 1e9
        if t is None:
            t = time.time()
        datagrams += 1
        for off in range(0, len(data) - 187, 188):
            p = data[off:off + 188]
            if p[0] != 0x47:
                continue
            pid = ((p[1] & 0x1F) << 8) | p[2]
            afc = (p[3] >> 4) & 3
            if pid != 0x1FFF and afc & 1:
                cc = p[3] & 0xF
                prev = last_cc.get(pid)
                if prev is not None and cc != ((prev + 1) & 0xF) and cc != prev:
                    cc_errors += 1
                last_cc[pid] = cc
            if afc & 2 and p[4] >= 7 and p[5] & 0x10:
                if pcr_pid is None:
                    pcr_pid = pid
                if pid != pcr_pid:
                    continue
                base = (p[6] << 25) | (p[7] << 17) | (p[8] << 9) | (p[9] << 1) | (p[10] >> 7)
                pcr = base * 300 + (((p[10] & 1) << 8) | p[11])
                if last_pcr is not None and pcr < last_pcr - (1 << 32):
                    unwrap += (1 << 33) * 300
                last_pcr = pcr
                if now - start >= skip:
                    points.append((pcr + unwrap, t))
    if len(points) < 10:
        print(json.dumps({"error": "too few PCRs", "datagrams": datagrams}))
        return
    xs = [(p - points[0][0]) / 27e6 for p, _ in points]
    ys = [t - points[0][1] for _, t in points]
    n = len(xs)
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys))
    slope = sxy / sxx if sxx else 1.0
    res = sorted(abs(y - (my + slope * (x - mx))) * 1000 for x, y in zip(xs, ys))
    pick = lambda q: res[min(n - 1, int(q * n))]
    print(json.dumps({"datagrams": datagrams, "pcrs": n, "p50_ms": round(pick(0.50), 3),
                      "p99_ms": round(pick(0.99), 3), "max_ms": round(res[-1], 3), "cc_errors": cc_errors,
                      "drift_ppm": round((slope - 1) * 1e6, 1)}))

if __name__ == "__main__":
    main()
