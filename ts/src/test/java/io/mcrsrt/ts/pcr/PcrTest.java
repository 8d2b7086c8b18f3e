package io.mcrsrt.ts.pcr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PcrTest {
    @Test
    void combinesBaseAndExtension() {
        assertThat(Pcr.of(1, 0)).isEqualTo(300);
        assertThat(Pcr.of(90_000, 299)).isEqualTo(27_000_299L);
    }

    @Test
    void rejectsOutOfRangeFieldsNamingThem() {
        assertThatThrownBy(() -> Pcr.of(0, 300)).hasMessage("program_clock_reference_extension 300 (expected: 0..299)");
        assertThatThrownBy(() -> Pcr.of(1L << 33, 0))
                .hasMessage("program_clock_reference_base 8589934592 (expected: 0..8589934591)");
    }

    @Test
    void distanceAcrossTheWrapIsShortAndPositive() {
        long beforeWrap = Pcr.WRAP - 27_000; // 1 ms before
        long afterWrap = 27_000; // 1 ms after
        assertThat(Pcr.delta(beforeWrap, afterWrap)).isEqualTo(54_000);
        assertThat(Pcr.forward(beforeWrap, afterWrap)).isEqualTo(54_000);
        assertThat(Pcr.delta(afterWrap, beforeWrap)).isEqualTo(-54_000);
        assertThat(Pcr.add(beforeWrap, 54_000)).isEqualTo(afterWrap);
        assertThat(Pcr.addPts(Pcr.PTS_WRAP - 1, 2)).isEqualTo(1);
        assertThat(Pcr.ptsDelta(Pcr.PTS_WRAP - 10, 5)).isEqualTo(15);
    }

    @Test
    void timestampRoundTripsThroughPesLayout() {
        byte[] b = {0x31, 0, 0, 0, 0};
        long ts = Pcr.PTS_WRAP - 12_345;
        Pcr.writeTimestamp(b, 0, ts);
        assertThat(Pcr.readTimestamp(b, 0)).isEqualTo(ts);
        assertThat(b[0] & 0xF1).isEqualTo(0x31);
    }

    @Test
    void convertsTicksToNanosWithoutOverflow() {
        assertThat(Pcr.toNanos(27)).isEqualTo(1000);
        assertThat(Pcr.toNanos(Pcr.HZ * 86_400 * 365)).isEqualTo(86_400L * 365 * 1_000_000_000L);
        assertThat(Pcr.fromNanos(1_000_000_000L)).isEqualTo(27_000_000L);
    }

    @Test
    void clockUnwrapsAndMeasuresBitrate() {
        PcrClock c = new PcrClock();
        long start = Pcr.WRAP - Pcr.HZ / 100; // 10 ms before the wrap
        assertThat(c.update(start, 0, false)).isEqualTo(PcrClock.Step.FIRST);
        // 20 ms later, 20 000 bytes later: 8 Mbit/s
        assertThat(c.update(Pcr.add(start, Pcr.HZ / 50), 20_000, false)).isEqualTo(PcrClock.Step.CONTINUOUS);
        assertThat(c.bitrate()).isEqualTo(8_000_000.0);
        assertThat(c.unwrapped()).isEqualTo(Pcr.HZ / 50);
    }

    @Test
    void clockReportsDiscontinuities() {
        PcrClock c = new PcrClock();
        c.update(Pcr.HZ, 0, false);
        assertThat(c.update(Pcr.HZ / 2, 100, false)).isEqualTo(PcrClock.Step.DISCONTINUITY);
        assertThat(c.update(Pcr.HZ * 10, 200, false)).isEqualTo(PcrClock.Step.DISCONTINUITY);
        assertThat(c.update(Pcr.HZ * 10 + 100, 300, true)).isEqualTo(PcrClock.Step.DISCONTINUITY);
        assertThat(c.update(Pcr.HZ * 10 + 200, 400, false)).isEqualTo(PcrClock.Step.CONTINUOUS);
        assertThat(c.discontinuities()).isEqualTo(3);
    }
}
