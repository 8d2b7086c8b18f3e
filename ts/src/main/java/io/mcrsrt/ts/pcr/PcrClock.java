package io.mcrsrt.ts.pcr;

/**
 * Follows the PCRs of one PID in stream order: unwraps them into a monotonic 27 MHz timeline, detects discontinuities
 * (the discontinuity_indicator, a PCR going back, or a jump larger than {@link #maxGapTicks()}) and gives the bitrate
 * between the last two PCRs from their byte positions.
 *
 * <p>Not thread-safe: one clock belongs to the thread that reads the stream.
 */
public final class PcrClock {
    /** What one PCR did to the clock. */
    public enum Step {
        /** The first PCR seen. */
        FIRST,
        /** Continues the timeline. */
        CONTINUOUS,
        /** Broke the timeline: the next interval starts from this PCR. */
        DISCONTINUITY
    }

    /** Largest forward jump treated as continuous, in 27 MHz ticks. */
    private final long maxGapTicks;
    /** Last PCR as read (wrapped), or -1 before the first. */
    private long lastPcr = -1;
    /** Byte position of the packet that carried {@link #lastPcr}. */
    private long lastPosition;
    /** Monotonic, unwrapped time of the last PCR. */
    private long unwrapped;
    /** Ticks between the last two continuous PCRs. */
    private long lastInterval;
    /** Bytes between the last two continuous PCRs. */
    private long lastIntervalBytes;
    /** PCRs seen. */
    private long count;
    /** Discontinuities seen. */
    private long discontinuities;

    /** A clock that treats a forward jump of more than {@code maxGapMillis} as a discontinuity. */
    public PcrClock(long maxGapMillis) {
        if (maxGapMillis <= 0) {
            throw new IllegalArgumentException("maximum PCR gap " + maxGapMillis + " ms (expected: > 0)");
        }
        this.maxGapTicks = maxGapMillis * (Pcr.HZ / 1000);
    }

    /** A clock that accepts gaps up to one second, as long as ISO/IEC 13818-1 allows between PCRs is 100 ms. */
    public PcrClock() {
        this(1000);
    }

    /**
     * Records a PCR.
     *
     * @param pcr the 27 MHz value read from the packet
     * @param bytePosition the position of the packet in the stream, in bytes
     * @param discontinuityIndicator the packet's discontinuity_indicator
     */
    public Step update(long pcr, long bytePosition, boolean discontinuityIndicator) {
        count++;
        if (lastPcr < 0) {
            lastPcr = pcr;
            lastPosition = bytePosition;
            return Step.FIRST;
        }
        long d = Pcr.delta(lastPcr, pcr);
        Step step;
        if (discontinuityIndicator || d <= 0 || d > maxGapTicks) {
            discontinuities++;
            step = Step.DISCONTINUITY;
        } else {
            unwrapped += d;
            lastInterval = d;
            lastIntervalBytes = bytePosition - lastPosition;
            step = Step.CONTINUOUS;
        }
        lastPcr = pcr;
        lastPosition = bytePosition;
        return step;
    }

    /** Bits per second between the last two continuous PCRs, or 0 before there are two. */
    public double bitrate() {
        return Pcr.bitrate(lastIntervalBytes, lastInterval);
    }

    /** Ticks between the last two continuous PCRs, or 0. */
    public long lastInterval() {
        return lastInterval;
    }

    /** Time of the last PCR on a timeline that starts at 0 with the first PCR and never wraps or goes back. */
    public long unwrapped() {
        return unwrapped;
    }

    /** The last PCR as read, or -1. */
    public long lastPcr() {
        return lastPcr;
    }

    public long count() {
        return count;
    }

    public long discontinuities() {
        return discontinuities;
    }

    public long maxGapTicks() {
        return maxGapTicks;
    }
}
