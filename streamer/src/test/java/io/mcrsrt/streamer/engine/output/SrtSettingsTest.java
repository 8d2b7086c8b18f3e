package io.mcrsrt.streamer.engine.output;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcrsrt.srt.SrtOption;
import io.mcrsrt.srt.SrtSocket;
import io.mcrsrt.streamer.stream.Encryption;
import io.mcrsrt.streamer.stream.InputSpec;
import io.mcrsrt.streamer.stream.Mode;
import io.mcrsrt.streamer.stream.StreamConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
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
    void libsrtsThreadsMayOversleepByAFortiethOfTheLatencyUpToFiveMilliseconds() {
        assertThat(SrtSettings.workerTimerSlackNanos(1)).isEqualTo(50_000L);
        assertThat(SrtSettings.workerTimerSlackNanos(20)).isEqualTo(500_000L);
        assertThat(SrtSettings.workerTimerSlackNanos(120)).isEqualTo(3_000_000L);
        assertThat(SrtSettings.workerTimerSlackNanos(200)).isEqualTo(5_000_000L);
        assertThat(SrtSettings.workerTimerSlackNanos(8000)).isEqualTo(5_000_000L);
    }

    @Test
    void libsrtsThreadsForAStreamsPortGetTheStreamsTimerSlack() throws Exception {
        StreamConfig config = new StreamConfig(Mode.LISTENER, new InputSpec.File("a.ts", true), 10001, null, null,
                60, 25, Encryption.NONE, null, false, 30, false, null);
        Map<String, Long> before = srtThreadSlack();
        try (SrtSocket s = SrtSocket.create()) {
            SrtSettings.apply(s, config, 8_000_000);
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            Map<String, Long> started = srtThreadSlack();
            started.keySet().removeAll(before.keySet());
            assertThat(started).hasSizeGreaterThanOrEqualTo(2);
            assertThat(started.values()).containsOnly(1_500_000L);
        }
    }

    /** Timer slack in ns of libsrt's threads in this process ({@code SRT:...}), by thread id. */
    private static Map<String, Long> srtThreadSlack() throws IOException {
        Map<String, Long> threads = new HashMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : tasks.toList()) {
                String tid = task.getFileName().toString();
                try {
                    if (Files.readString(task.resolve("comm")).startsWith("SRT:")) {
                        threads.put(tid, Long.parseLong(Files.readString(Path.of("/proc", tid, "timerslack_ns")).strip()));
                    }
                } catch (IOException gone) {
                    // the thread ended while we looked
                }
            }
        }
        return threads;
    }
}
