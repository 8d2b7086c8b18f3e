package io.mcrsrt.ts.pacing;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Histogram of send-time errors (actual minus scheduled time) at 1 microsecond resolution up to 100 ms; larger errors
 * are counted in the last bucket and still reach {@link #maxNanos()}. One thread records, any thread may read:
 * counts are atomic, so readers see a consistent-enough picture without stopping the writer.
 */
public final class SendTimeErrors {
    /** Bucket width. */
    private static final long BUCKET_NANOS = 1_000;
    /** Buckets: 0..99 999 microseconds, then everything larger. */
    private static final int BUCKETS = 100_001;

    /** Count per microsecond of error. */
    private final AtomicLongArray buckets = new AtomicLongArray(BUCKETS);
    /** Samples recorded. */
    private final AtomicLong count = new AtomicLong();
    /** Largest error recorded, in ns. */
    private final AtomicLong max = new AtomicLong();
    /** Sum of errors, in ns, for the mean. */
    private final AtomicLong sum = new AtomicLong();

    /** Records one error in nanoseconds; a negative error (early) counts as 0. */
    public void record(long errorNanos) {
        long e = Math.max(0, errorNanos);
        int b = (int) Math.min(BUCKETS - 1, e / BUCKET_NANOS);
        buckets.incrementAndGet(b);
        count.incrementAndGet();
        sum.addAndGet(e);
        max.accumulateAndGet(e, Math::max);
    }

    public long count() {
        return count.get();
    }

    public long maxNanos() {
        return max.get();
    }

    public long meanNanos() {
        long c = count.get();
        return c == 0 ? 0 : sum.get() / c;
    }

    /**
     * The error below which {@code percentile} percent of samples fall, as the upper edge of its microsecond bucket.
     *
     * @param percentile 0..100, e.g. 99
     */
    public long percentileNanos(double percentile) {
        if (percentile < 0 || percentile > 100) {
            throw new IllegalArgumentException("percentile " + percentile + " (expected: 0..100)");
        }
        long c = count.get();
        if (c == 0) {
            return 0;
        }
        long rank = (long) Math.ceil(percentile / 100.0 * c);
        long seen = 0;
        for (int b = 0; b < BUCKETS; b++) {
            seen += buckets.get(b);
            if (seen >= rank && seen > 0) {
                return b == BUCKETS - 1 ? max.get() : (b + 1) * BUCKET_NANOS;
            }
        }
        return max.get();
    }

    public void reset() {
        for (int b = 0; b < BUCKETS; b++) {
            buckets.set(b, 0);
        }
        count.set(0);
        max.set(0);
        sum.set(0);
    }

    @Override
    public String toString() {
        return String.format("n=%d p50=%.3f ms p99=%.3f ms max=%.3f ms", count(), percentileNanos(50) / 1e6,
                percentileNanos(99) / 1e6, maxNanos() / 1e6);
    }
}
