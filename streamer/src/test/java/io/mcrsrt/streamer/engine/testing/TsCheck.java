package io.mcrsrt.streamer.engine.testing;

import io.mcrsrt.ts.TsPacket;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What a received transport stream looked like: continuity errors per the TR 101 290 rule (one duplicate allowed),
 * the largest PCR interval, and how much PCR time it spans.
 */
public record TsCheck(long packets, long continuityErrors, double maxPcrIntervalMs, double pcrSpanSeconds,
        long pcrBackwards) {

    public static TsCheck of(Path file) throws IOException {
        byte[] b = Files.readAllBytes(file);
        int start = 0;
        while (start + 188 * 2 < b.length && (b[start] != 0x47 || b[start + 188] != 0x47)) {
            start++;
        }
        int[] lastCc = new int[8192];
        boolean[] dupSeen = new boolean[8192];
        java.util.Arrays.fill(lastCc, -1);
        TsPacket p = new TsPacket();
        long packets = 0;
        long ccErrors = 0;
        int pcrPid = -1;
        long lastPcr = -1;
        long maxInterval = 0;
        long span = 0;
        long backwards = 0;
        for (int at = start; at + 188 <= b.length; at += 188) {
            p.wrap(b, at);
            if (!p.hasSyncByte()) {
                continue;
            }
            packets++;
            int pid = p.pid();
            if (pid != TsPacket.NULL_PID && p.hasPayload()) {
                int cc = p.continuityCounter();
                int prev = lastCc[pid];
                if (prev >= 0) {
                    if (cc == prev && !dupSeen[pid]) {
                        dupSeen[pid] = true;
                    } else if (cc != ((prev + 1) & 0xF)) {
                        ccErrors++;
                        dupSeen[pid] = false;
                    } else {
                        dupSeen[pid] = false;
                    }
                }
                lastCc[pid] = cc;
            }
            if (p.hasPcr()) {
                if (pcrPid < 0) {
                    pcrPid = pid;
                }
                if (pid == pcrPid) {
                    long pcr = p.pcr();
                    if (lastPcr >= 0) {
                        long d = pcr - lastPcr;
                        if (d < 0) {
                            backwards++;
                        } else {
                            maxInterval = Math.max(maxInterval, d);
                            span += d;
                        }
                    }
                    lastPcr = pcr;
                }
            }
        }
        return new TsCheck(packets, ccErrors, maxInterval / 27_000.0, span / 27e6, backwards);
    }
}
