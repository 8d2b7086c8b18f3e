package io.mcrsrt.streamer.engine.output;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcrsrt.srt.SrtOption;
import io.mcrsrt.srt.SrtSocket;
import io.mcrsrt.streamer.stream.Encryption;
import io.mcrsrt.streamer.stream.InputSpec;
import io.mcrsrt.streamer.stream.Mode;
import io.mcrsrt.streamer.stream.StreamConfig;
import org.junit.jupiter.api.Test;

/** The rate control on a real libsrt socket, read back from libsrt. */
class SrtSettingsTest {

    @Test
    void theSendRateCapCountsThePacketHeadersSoTheWholeOverheadIsLeftForRetransmissions() throws Exception {
        try (SrtSocket s = SrtSocket.create()) {
            SrtSettings.applyRateControl(s, 8_000_000, false, 17);
            assertThat(s.get(SrtOption.MAXBW)).isZero();
            assertThat(s.get(SrtOption.OHEADBW)).isEqualTo(17);
            // 8 Mbit/s of TS = 759.9 packets/s of 1316 bytes, each 1316 + 44 bytes as libsrt counts it.
            assertThat(s.get(SrtOption.INPUTBW)).isEqualTo(1_033_435L);
        }
    }

    @Test
    void rtpWrappingAddsItsTwelveBytesPerPacket() throws Exception {
        try (SrtSocket s = SrtSocket.create()) {
            SrtSettings.applyRateControl(s, 8_000_000, true, 25);
            assertThat(s.get(SrtOption.INPUTBW)).isEqualTo(1_042_553L);
        }
    }

    @Test
    void anOverheadOutsideLibsrtsRangeIsBroughtIntoIt() throws Exception {
        try (SrtSocket s = SrtSocket.create()) {
            SrtSettings.applyRateControl(s, 0, false, 1);
            assertThat(s.get(SrtOption.OHEADBW)).isEqualTo(5);
            SrtSettings.applyRateControl(s, 0, false, 150);
            assertThat(s.get(SrtOption.OHEADBW)).isEqualTo(100);
        }
    }

    @Test
    void theSendBatchIsATenthOfTheLatencyFromOneToTenMilliseconds() {
        assertThat(SrtSettings.sendBatchNanos(20)).isEqualTo(2_000_000L);
        assertThat(SrtSettings.sendBatchNanos(5)).isEqualTo(1_000_000L);
        assertThat(SrtSettings.sendBatchNanos(60)).isEqualTo(6_000_000L);
        assertThat(SrtSettings.sendBatchNanos(100)).isEqualTo(10_000_000L);
        assertThat(SrtSettings.sendBatchNanos(8000)).isEqualTo(10_000_000L);
    }

    @Test
    void aStreamsSocketLeavesLibsrtsTimerSlackAlone() throws Exception {
        // Timer slack would hold retransmissions back (see SrtSettings.apply).
        StreamConfig config = new StreamConfig(Mode.LISTENER, new InputSpec.File("a.ts", true), 10001, null, null,
                60, 25, Encryption.NONE, null, false, 30, false, null);
        try (SrtSocket s = SrtSocket.create()) {
            SrtSettings.apply(s, config, 8_000_000);
            assertThat(s.workerTimerSlack()).isEmpty();
        }
    }
}
