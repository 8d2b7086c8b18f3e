package io.mcrsrt.streamer.engine.stats;

import io.mcrsrt.streamer.stream.LinkStats;
import io.mcrsrt.streamer.stream.StatsSample;
import java.util.List;

/**
 * A connection's last ten minutes of statistics, one sample a second: the owner thread offers the latest statistics
 * as often as it likes and a sample is kept only when it is a new reading of libsrt's, taken once a second by the
 * monotonic clock. A second without a link (no statistics: a listener nobody calls, a caller still dialling or
 * reconnecting) is kept too, as a sample of its time with every figure 0, so that the history covers the stream's
 * whole time, as the live figures do, rather than only the seconds it had a link. Samples are counted, not kept by the
 * wall-clock time they carry: a step of the clock (NTP setting right a box that booted with a wrong one) neither folds
 * samples together nor drops any, and the history's times step with it; each sample also carries the monotonic time it
 * was kept, by which a front end tells such a step from seconds without samples. Front ends read {@link #snapshot()}
 * from any thread.
 */
public final class StatsHistory {
    /** Once-a-second samples kept: ten minutes. */
    public static final int SAMPLES = 600;
    private static final long SECOND_NANOS = 1_000_000_000L;

    private final Ring<StatsSample> samples = new Ring<>(SAMPLES);
    /**
     * The last reading kept (owner thread only). Told from a new one by identity (each reading is a new object), not by
     * its timestamp: a clock set back by the second between two readings stamps the new one as the last.
     */
    private LinkStats last;
    /** Whether any sample was kept yet (owner thread only). */
    private boolean keptAny;
    /** The monotonic time the last sample was kept, reading or not (owner thread only). */
    private long lastKeptNanos;

    /**
     * Keeps {@code stats} unless it is the reading already kept; without statistics (null), a sample without a link
     * stamped {@code nowMillis}, once a second by {@code nowNanos}. Owner thread only.
     *
     * @param nowMillis the wall-clock time now, epoch milliseconds: the time a sample without a link carries
     * @param nowNanos the monotonic time now ({@link System#nanoTime()}): what "once a second" is measured by
     */
    public void offer(LinkStats stats, long nowMillis, long nowNanos) {
        if (stats != null) {
            if (stats != last) {
                last = stats;
                keep(stats, nowNanos);
            }
        } else if (!keptAny || nowNanos - lastKeptNanos >= SECOND_NANOS) {
            keep(LinkStats.noLink(nowMillis), nowNanos);
        }
    }

    private void keep(LinkStats sample, long nowNanos) {
        keptAny = true;
        lastKeptNanos = nowNanos;
        samples.add(new StatsSample(sample, nowNanos));
    }

    /** The samples, oldest first; any thread. */
    public List<StatsSample> snapshot() {
        return samples.snapshot();
    }
}
