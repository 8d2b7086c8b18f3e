package io.mcrsrt.ts.pacing;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Histogram of send-time errors (actual minus scheduled time) at 1 microsecond resolution up to 100 ms; larger errors
 * are counted in the last bucket and still reach {@link #maxNanos()}. One thread records, any thread may read:
 * counts are atomic, so readers see a consistent-enough picture without stopping the writer.
 *
 * <p>The buckets are kept in pages of one millisecond (8 KB), each made when the first error in its millisecond is
 * recorded: errors within a few milliseconds cost a few pages, not the 800 KB the whole range would (the analyzer
 * keeps one of these per PCR PID of a stream).
 */
public final class SendTimeErrors {
    /** Bucket width. */
    private static final long BUCKET_NANOS = 1_000;
    /** Buckets: 0..99 999 microseconds, then everything larger. */
    private static final int BUCKETS = 100_001;

    /** Buckets per page: one millisecond. */
    private static final int PAGE = 1_000;

    /** Count per microsecond of error, by page of {@link #PAGE} buckets; a page not yet made counts zeros. */
    private final AtomicReferenceArray<AtomicLongArray> pages =
            new AtomicReferenceArray<>((BUCKETS + PAGE - 1) / PAGE);
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
        AtomicLongArray page = pages.get(b / PAGE);
        if (page == null) {
            // Only the recording thread makes pages; readers see null until it is published, and read zeros.
            page = new AtomicLongArray(PAGE);
            pages.set(b / PAGE, page);
        }
        page.incrementAndGet(b % PAGE);
        count.incrementAndGet();
        sum.addAndGet(e);
        max.accumulateAndGet(e, Math::max);
    }

    /** How many one-millisecond pages of buckets exist: the memory taken is about 8 KB for each. */
    public int pagesMade() {
        int made = 0;
        for (int i = 0; i < pages.length(); i++) {
            made += pages.get(i) == null ? 0 : 1;
        }
        return made;
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
     * The error below which {@code percentile} percent of samples fall, as the upper edge of its microsecond bucket,
     * or the largest error when that is less (the bucket of the largest: a percentile above the maximum read wrong).
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
        for (int p = 0; p < pages.length(); p++) {
            AtomicLongArray page = pages.get(p);
            if (page == null) {
                continue;
            }
            for (int i = 0; i < page.length(); i++) {
                seen += page.get(i);
                if (seen >= rank && seen > 0) {
                    int b = p * PAGE + i;
                    return b == BUCKETS - 1 ? max.get() : Math.min((b + 1) * BUCKET_NANOS, max.get());
                }
            }
        }
        return max.get();
    }

    public void reset() {
        for (int p = 0; p < pages.length(); p++) {
            pages.set(p, null);
        }
        count.set(0);
        max.set(0);
        sum.set(0);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT,
                "n=%d p50=%.3f ms p99=%.3f ms max=%.3f ms", count(), percentileNanos(50) / 1e6,
                percentileNanos(99) / 1e6, maxNanos() / 1e6);
    }
}
