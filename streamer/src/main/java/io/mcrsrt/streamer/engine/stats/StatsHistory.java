package io.mcrsrt.streamer.engine.stats;

import io.mcrsrt.streamer.stream.LinkStats;
import java.util.List;

/**
 * A connection's last ten minutes of statistics, one sample a second: the owner thread offers the latest statistics
 * as often as it likes and a sample is kept only when libsrt's once-a-second reading is a new one. A second without a
 * link (no statistics: a listener nobody calls, a caller still dialling or reconnecting) is kept too, as a sample of
 * its time with every figure 0, so that the history covers the stream's whole time, as the live figures do, rather
 * than only the seconds it had a link. Front ends read {@link #snapshot()} from any thread.
 */
public final class StatsHistory {
    /** Once-a-second samples kept: ten minutes. */
    public static final int SAMPLES = 600;
    private static final long SECOND_MILLIS = 1000;

    private final Ring<LinkStats> samples = new Ring<>(SAMPLES);
    /** The timestamp of the last reading kept (owner thread only). */
    private long lastReadingMillis;
    /** When the last sample was kept, reading or not (owner thread only); 0 before the first. */
    private long lastKeptMillis;

    /**
     * Keeps {@code stats} unless it is the reading already kept; without statistics (null), a sample without a link
     * stamped {@code nowMillis}, once a second. Owner thread only.
     *
     * @param nowMillis the wall-clock time now, epoch milliseconds
     */
    public void offer(LinkStats stats, long nowMillis) {
        if (stats != null) {
            if (stats.timestampMillis() != lastReadingMillis) {
                lastReadingMillis = stats.timestampMillis();
                lastKeptMillis = stats.timestampMillis();
                samples.add(stats);
            }
        } else if (lastKeptMillis == 0 || nowMillis - lastKeptMillis >= SECOND_MILLIS || nowMillis < lastKeptMillis) {
            lastKeptMillis = nowMillis;
            samples.add(LinkStats.noLink(nowMillis));
        }
    }

    /** The samples, oldest first; any thread. */
    public List<LinkStats> snapshot() {
        return samples.snapshot();
    }
}
