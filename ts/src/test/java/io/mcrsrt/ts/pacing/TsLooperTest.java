package io.mcrsrt.ts.pacing;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcrsrt.ts.Fixtures;
import io.mcrsrt.ts.PacketReader;
import io.mcrsrt.ts.TsPacket;
import io.mcrsrt.ts.pcr.Pcr;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TsLooperTest {
    @TempDir
    static Path dir;
    static Path looped;
    static long packetsPerPass;
    static long durationTicks;

    @BeforeAll
    static void loopThreeTimes() throws IOException {
        looped = dir.resolve("looped.ts");
        try (TsLooper looper = TsLooper.open(Fixtures.cbr8M(), 3); OutputStream out = Files.newOutputStream(looped)) {
            byte[] b = new byte[TsPacket.SIZE];
            while (looper.read(b, 0)) {
                out.write(b);
            }
            packetsPerPass = looper.packetsPerPass();
            durationTicks = looper.durationTicks();
            assertThat(looper.pcrPid()).isEqualTo(0x100);
        }
    }

    @Test
    void threePassesHaveThreeTimesThePackets() throws IOException {
        assertThat(Files.size(looped)).isEqualTo(3 * packetsPerPass * TsPacket.SIZE);
        // 3.2 s of 8 Mbit/s, give or take the muxer's start-up
        assertThat(durationTicks / (double) Pcr.HZ).isBetween(3.1, 3.4);
    }

    @Test
    void continuityCountersCarryOnAcrossTheLoopPoint() throws IOException {
        int[] last = new int[8192];
        Arrays.fill(last, -1);
        long errors = 0;
        TsPacket p = new TsPacket();
        try (PacketReader r = PacketReader.open(looped)) {
            while (r.next(p)) {
                int pid = p.pid();
                if (pid == TsPacket.NULL_PID) {
                    continue;
                }
                int cc = p.continuityCounter();
                if (last[pid] >= 0) {
                    int expected = p.hasPayload() ? (last[pid] + 1) & 0xF : last[pid];
                    if (cc != expected) {
                        errors++;
                    }
                }
                last[pid] = cc;
            }
        }
        assertThat(errors).isZero();
    }

    @Test
    void pcrKeepsIncreasingWithIntervalsUnder40Milliseconds() throws IOException {
        TsPacket p = new TsPacket();
        long previous = -1;
        long maxInterval = 0;
        long count = 0;
        try (PacketReader r = PacketReader.open(looped)) {
            while (r.next(p)) {
                if (p.pid() != 0x100 || !p.hasPcr()) {
                    continue;
                }
                long pcr = p.pcr();
                if (previous >= 0) {
                    long d = Pcr.delta(previous, pcr);
                    assertThat(d).as("PCR step at PCR #%d", count).isPositive();
                    maxInterval = Math.max(maxInterval, d);
                }
                previous = pcr;
                count++;
            }
        }
        assertThat(count).isGreaterThan(3 * 100);
        assertThat(maxInterval).isLessThanOrEqualTo(40 * Pcr.HZ / 1000);
    }

    @Test
    void ffprobeDecodesTheWholeOutputWithoutTimestampWarnings() throws IOException {
        String out = Fixtures.run(List.of("ffprobe", "-v", "warning", "-count_frames", "-select_streams", "v:0",
                "-show_entries", "stream=nb_read_frames", "-of", "csv=p=0", looped.toString()), 120);
        assertThat(out.lines().filter(l -> !l.isBlank()).toList()).containsOnly("480");
        String audio = Fixtures.run(List.of("ffmpeg", "-hide_banner", "-v", "warning", "-i", looped.toString(), "-f",
                "null", "-"), 120);
        assertThat(audio).doesNotContainIgnoringCase("timestamp").doesNotContainIgnoringCase("monoton")
                .doesNotContainIgnoringCase("discontinuity").doesNotContainIgnoringCase("out of order")
                .doesNotContainIgnoringCase("corrupt").doesNotContainIgnoringCase("PES packet size mismatch");
    }
}
