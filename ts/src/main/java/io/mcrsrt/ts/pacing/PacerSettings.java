package io.mcrsrt.ts.pacing;

/**
 * How a {@link TsPacer} times a stream; validated once, then immutable.
 *
 * @param pcrPid the PID whose PCRs clock the stream, or -1 to take PCR_PID from the first program's PMT, following it
 *     when a later PMT names another (falling back to the first PID that carries a PCR when no PMT is found)
 * @param constantBitrate bits per second to pace at instead of PCRs (for files without PCR), or 0 to pace by PCR
 * @param smoothingLatencyNanos added to every due time, so the first message is due this long after the start; the
 *     same role as {@code tsparse smoothing-latency}
 * @param maxLookaheadPackets how many packets may be read ahead while looking for the next PCR; a PCR gap longer than
 *     this is bridged at the last measured rate
 */
public record PacerSettings(int pcrPid, long constantBitrate, long smoothingLatencyNanos, int maxLookaheadPackets) {
    /** Default look-ahead: 16384 packets, about 3 s at 8 Mbit/s. */
    public static final int DEFAULT_LOOKAHEAD = 16_384;

    public PacerSettings {
        if (pcrPid < -1 || pcrPid > 0x1FFE) {
            throw new IllegalArgumentException("PCR PID " + pcrPid + " (expected: -1 for the PMT's PCR_PID, or 0..8190)");
        }
        if (constantBitrate < 0) {
            throw new IllegalArgumentException("constant bitrate " + constantBitrate + " bit/s (expected: 0 to pace by PCR, or > 0)");
        }
        if (smoothingLatencyNanos < 0) {
            throw new IllegalArgumentException("smoothing latency " + smoothingLatencyNanos + " ns (expected: >= 0)");
        }
        if (maxLookaheadPackets < 64) {
            throw new IllegalArgumentException("look-ahead " + maxLookaheadPackets + " packets (expected: >= 64)");
        }
    }

    /** Pace by the PMT's PCR PID, no smoothing latency, default look-ahead. */
    public static PacerSettings byPcr() {
        return new PacerSettings(-1, 0, 0, DEFAULT_LOOKAHEAD);
    }

    /** Pace at a declared constant bitrate, for files that carry no PCR. */
    public static PacerSettings constantBitrate(long bitsPerSecond) {
        if (bitsPerSecond <= 0) {
            throw new IllegalArgumentException("constant bitrate " + bitsPerSecond + " bit/s (expected: > 0)");
        }
        return new PacerSettings(-1, bitsPerSecond, 0, DEFAULT_LOOKAHEAD);
    }

    public PacerSettings withSmoothingLatencyNanos(long nanos) {
        return new PacerSettings(pcrPid, constantBitrate, nanos, maxLookaheadPackets);
    }

    public PacerSettings withPcrPid(int pid) {
        return new PacerSettings(pid, constantBitrate, smoothingLatencyNanos, maxLookaheadPackets);
    }

    public PacerSettings withMaxLookaheadPackets(int packets) {
        return new PacerSettings(pcrPid, constantBitrate, smoothingLatencyNanos, packets);
    }
}
