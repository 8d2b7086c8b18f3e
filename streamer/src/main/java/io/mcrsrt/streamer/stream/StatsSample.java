package io.mcrsrt.streamer.stream;

/**
 * One second of a stream's statistics history: the statistics, and when the service kept them by its monotonic clock
 * ({@link System#nanoTime()}). The statistics' {@code timestampMillis} is the wall clock, which NTP or an operator may
 * step; the monotonic time is not stepped, so it tells a step of the clock between two samples (a second apart) from
 * seconds that really went by without one.
 */
public record StatsSample(LinkStats stats, long monotonicNanos) {
    public StatsSample {
        if (stats == null) {
            throw new IllegalArgumentException("stats is null: a second without a link is LinkStats.noLink(time)");
        }
    }
}
