package io.mcrsrt.streamer.engine.stats;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcrsrt.streamer.stream.LinkStats;
import io.mcrsrt.streamer.stream.StatsSample;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatsHistoryTest {

    private static final long MS = 1_000_000L;

    private static LinkStats reading(long timestampMillis, long sent) {
        return new LinkStats(timestampMillis, 4.6, 0.3, 0, 0, sent, 0, 0, 0, sent * 1316, 950.0, 0, 12, 0, 8192, 0, 0,
                0, sent * 1316, 0, 0, 0, 0, 0, 0, 0, 0, 120);
    }

    @Test
    void aReadingIsKeptOnceHoweverOftenItIsOffered() {
        StatsHistory history = new StatsHistory();
        LinkStats first = reading(1_000, 437);
        history.offer(first, 1_000, 1_000 * MS);
        history.offer(first, 1_200, 1_200 * MS);
        LinkStats second = reading(2_000, 874);
        history.offer(second, 2_000, 2_000 * MS);
        history.offer(second, 2_200, 2_200 * MS);
        assertThat(readings(history)).containsExactly(first, second);
    }

    /**
     * Offered five times a second: a reading is kept once, and a second without a link once, as a sample of its time
     * with no figures, so a link that dropped and came back leaves its seconds without a link in the history.
     */
    @Test
    void keepsEachReadingOnceAndEachSecondWithoutALinkAsZeros() {
        StatsHistory history = new StatsHistory();
        for (long now = 10_000; now < 13_000; now += 200) {
            history.offer(null, now, now * MS);
        }
        LinkStats current = null;
        for (long now = 13_000; now < 15_000; now += 200) {
            if (now % 1000 == 0) {
                current = reading(now, now / 10);
            }
            history.offer(current, now, now * MS);
        }
        for (long now = 15_000; now < 17_000; now += 200) {
            history.offer(null, now, now * MS);
        }
        List<LinkStats> kept = readings(history);
        assertThat(kept).extracting(LinkStats::timestampMillis)
                .containsExactly(10_000L, 11_000L, 12_000L, 13_000L, 14_000L, 15_000L, 16_000L);
        assertThat(kept).extracting(LinkStats::bitrateMbps).containsExactly(0.0, 0.0, 0.0, 4.6, 4.6, 0.0, 0.0);
        assertThat(kept.getFirst()).isEqualTo(LinkStats.noLink(10_000));
    }

    /**
     * Readings are a second apart by the monotonic clock and stamped by the wall clock: the wall clock set back by that
     * second (a leap second, NTP, an operator) stamps the next reading as the last. Both are kept: the history counts
     * readings, not the times they carry, so a step of the clock neither folds nor drops any.
     */
    @Test
    void aNewReadingStampedAsTheLastByAClockSetBackIsKept() {
        StatsHistory history = new StatsHistory();
        LinkStats before = reading(1_700_000_000_000L, 437);
        LinkStats after = reading(1_700_000_000_000L, 874);
        LinkStats hourBack = reading(1_700_000_000_000L - 3_600_000L, 1311);
        history.offer(before, before.timestampMillis(), 1_000 * MS);
        history.offer(after, after.timestampMillis(), 2_000 * MS);
        history.offer(hourBack, hourBack.timestampMillis(), 3_000 * MS);
        assertThat(readings(history)).containsExactly(before, after, hourBack);
        assertThat(history.snapshot()).as("kept a second apart by the monotonic clock, whatever the wall clock says")
                .extracting(StatsSample::monotonicNanos).containsExactly(1_000 * MS, 2_000 * MS, 3_000 * MS);
    }

    /** Seconds without a link are counted by the monotonic clock: a wall clock set back an hour does not stop them. */
    @Test
    void secondsWithoutALinkGoOnWhenTheWallClockIsSetBack() {
        StatsHistory history = new StatsHistory();
        long wall = 1_700_000_000_000L;
        for (int s = 0; s < 3; s++) {
            history.offer(null, wall + s * 1000L, s * 1000 * MS);
        }
        for (int s = 3; s < 6; s++) {
            history.offer(null, wall - 3_600_000L + s * 1000L, s * 1000 * MS);
        }
        assertThat(history.snapshot()).hasSize(6);
    }

    private static List<LinkStats> readings(StatsHistory history) {
        return history.snapshot().stream().map(StatsSample::stats).toList();
    }
}
