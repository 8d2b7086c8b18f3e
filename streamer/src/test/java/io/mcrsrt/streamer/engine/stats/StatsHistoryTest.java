package io.mcrsrt.streamer.engine.stats;

import io.mcrsrt.streamer.stream.LinkStats;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class StatsHistoryTest {

    private static LinkStats reading(long at, double mbps) {
        return new LinkStats(at, mbps, 12, 0, 0, 100, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                120);
    }

    /**
     * Offered five times a second: a reading is kept once, and a second without a link once, as a sample of its time
     * with no figures, so a link that dropped and came back leaves its seconds without a link in the history.
     */
    @Test
    void keepsEachReadingOnceAndEachSecondWithoutALinkAsZeros() {
        StatsHistory history = new StatsHistory();
        for (long now = 10_000; now < 13_000; now += 200) {
            history.offer(null, now);
        }
        for (long now = 13_000; now < 15_000; now += 200) {
            history.offer(reading(now - now % 1000, 4.5), now);
        }
        for (long now = 15_000; now < 17_000; now += 200) {
            history.offer(null, now);
        }
        List<LinkStats> kept = history.snapshot();
        assertThat(kept).extracting(LinkStats::timestampMillis)
                .containsExactly(10_000L, 11_000L, 12_000L, 13_000L, 14_000L, 15_000L, 16_000L);
        assertThat(kept).extracting(LinkStats::bitrateMbps).containsExactly(0.0, 0.0, 0.0, 4.5, 4.5, 0.0, 0.0);
        assertThat(kept.getFirst()).isEqualTo(LinkStats.noLink(10_000));
    }
}
