package io.mcrsrt.streamer.engine;

/**
 * Decides the input rate a stream's SRT rate cap is set from (INPUTBW; the cap is that plus the overhead, MAXBW 0):
 * once a second, the input's known peak or the highest rate measured over the last {@link #HOLD_SECONDS} seconds,
 * whichever is higher; and, for a live input whose peak is not known ahead, at once when a rate measured over
 * {@link #RISE_WINDOW_NANOS} goes above it.
 *
 * <p>Why it holds the highest: libsrt holds back whatever goes over the cap, and a packet held longer than the latency
 * reaches the receiver too late to be played on time. A variable-rate source that dips and climbs back would meet a cap
 * that had followed it down; a cap that follows rises at once and falls only after {@link #HOLD_SECONDS} seconds lower
 * keeps up with it. A file's peak is known before it plays, so its cap never dips at all. A live input's climb is
 * caught within {@link #RISE_WINDOW_NANOS} rather than at the end of its second: what libsrt holds back meanwhile
 * leaves with that much less of the latency for its repairs, and a second's excess, draining at the overhead's rate,
 * reached the receiver too late to be played.
 *
 * <p>Changes smaller than {@link #FALL_DEAD_BAND} downwards or {@link #RISE_DEAD_BAND} upwards are not passed on, so
 * a constant-rate stream sets the cap once. Owned by the stream's thread; not thread-safe.
 */
final class InputRateCap {
    /** Seconds a measured rate holds the cap up after it was seen. */
    static final int HOLD_SECONDS = 10;
    /** A rise smaller than this fraction of the cap is left to the overhead. */
    static final double RISE_DEAD_BAND = 0.02;
    /** A fall smaller than this fraction of the cap is not worth a change. */
    static final double FALL_DEAD_BAND = 0.10;
    /**
     * The window over which a live input's rise is caught ({@link #rise}): long enough not to chase a single video
     * frame's burst (20-40 ms), short enough that what libsrt holds back meanwhile costs a fraction of a latency.
     */
    static final long RISE_WINDOW_NANOS = 100_000_000L;

    /** The rates measured over the last seconds, a ring of {@link #HOLD_SECONDS}. */
    private final long[] recent = new long[HOLD_SECONDS];
    private int next;
    /** The rate last passed on; 0 before the first. */
    private long applied;
    /** The highest rise passed on since the last {@link #next}, held as that second's rate. */
    private long riseThisSecond;

    /**
     * Takes the rate measured over the last second and the input's known peak (0 if unknown).
     *
     * @return the rate to set the cap from, in bits a second, or 0 to leave it as it is
     */
    long next(long measuredBitsPerSecond, long knownPeakBitsPerSecond) {
        recent[next] = Math.max(Math.max(0, measuredBitsPerSecond), riseThisSecond);
        riseThisSecond = 0;
        next = (next + 1) % HOLD_SECONDS;
        long held = knownPeakBitsPerSecond;
        for (long r : recent) {
            held = Math.max(held, r);
        }
        boolean change = applied == 0
                ? held > 0
                : held > applied * (1 + RISE_DEAD_BAND) || held < applied * (1 - FALL_DEAD_BAND);
        if (!change) {
            return 0;
        }
        applied = held;
        return held;
    }

    /**
     * Takes the rate measured over the last {@link #RISE_WINDOW_NANOS} of a live input and passes it on at once if it
     * went above the rate last passed on, by more than {@link #RISE_DEAD_BAND}; it is then held as a second's rate
     * would be. The first rate measured is passed on as it is: libsrt's own estimate, which stands until then, starts
     * too low and holds the first second's packets back.
     *
     * @return the rate to set the cap from, in bits a second, or 0 to leave it as it is
     */
    long rise(long windowBitsPerSecond) {
        if (windowBitsPerSecond <= 0 || windowBitsPerSecond <= applied * (1 + RISE_DEAD_BAND)) {
            return 0;
        }
        applied = windowBitsPerSecond;
        riseThisSecond = Math.max(riseThisSecond, windowBitsPerSecond);
        return windowBitsPerSecond;
    }
}
