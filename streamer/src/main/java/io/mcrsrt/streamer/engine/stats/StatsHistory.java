package io.mcrsrt.streamer.engine.stats;

import io.mcrsrt.streamer.stream.LinkStats;
import java.util.List;

/**
 * A connection's last ten minutes of statistics, one sample a second: the owner thread offers the latest statistics
 * as often as it likes and a sample is kept only when libsrt's once-a-second reading is a new one. Front ends read
 * {@link #snapshot()} from any thread.
 */
public final class StatsHistory {
    /** Once-a-second samples kept: ten minutes. */
    public static final int SAMPLES = 600;

    private final Ring<LinkStats> samples = new Ring<>(SAMPLES);
    /** The timestamp of the last sample kept (owner thread only). */
    private long lastTimestampMillis;

    /** Keeps {@code stats} unless it is null or the reading already kept; owner thread only. */
    public void offer(LinkStats stats) {
        if (stats != null && stats.timestampMillis() != lastTimestampMillis) {
            lastTimestampMillis = stats.timestampMillis();
            samples.add(stats);
        }
    }

    /** The samples, oldest first; any thread. */
    public List<LinkStats> snapshot() {
        return samples.snapshot();
    }
}
