package io.mcrsrt.ts.pacing;

import static io.mcrsrt.ts.pacing.Reports.assertNone;
import static org.assertj.core.api.Assertions.assertThat;

import io.mcrsrt.ts.Fixtures;
import io.mcrsrt.ts.TsPacket;
import io.mcrsrt.ts.analysis.AnalysisReport;
import io.mcrsrt.ts.analysis.Indicator;
import io.mcrsrt.ts.analysis.TsAnalyzer;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Files as ffmpeg writes them, whose audio plays on a little after their PCRs end: looped, every stream's decode
 * times keep increasing across the seams (the next pass waits for the audio to finish), with the PCR interval and
 * continuity intact through the fill between passes. Before, each pass started where the PCRs ended, and the audio's
 * timestamps went back by the overhang at every seam.
 */
class TsLooperSeamTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"aac", "mp2", "ac3"})
    void everyStreamsDecodeTimesKeepIncreasingAcrossTheSeams(String audioCodec) throws IOException {
        Path file = Fixtures.uneven(audioCodec);
        Path looped = dir.resolve("looped-" + audioCodec + ".ts");
        try (TsLooper looper = TsLooper.open(file, 3); OutputStream out = Files.newOutputStream(looped)) {
            byte[] b = new byte[TsPacket.SIZE];
            while (looper.read(b, 0)) {
                out.write(b);
            }
        }
        String warnings = Fixtures.run(List.of("ffmpeg", "-hide_banner", "-v", "warning", "-i", looped.toString(),
                "-f", "null", "-"), 120);
        assertThat(warnings).doesNotContainIgnoringCase("monoton").doesNotContainIgnoringCase("timestamp")
                .doesNotContainIgnoringCase("discontinuity");

        // decode times per stream, in ffprobe's order (one line a packet, frames split out of PES)
        String packets = Fixtures.run(List.of("ffprobe", "-v", "error", "-show_entries",
                "packet=stream_index,dts,duration", "-of", "csv=p=0", looped.toString()), 120);
        Map<String, long[]> last = new HashMap<>();
        long largestGap = 0;
        for (String line : packets.lines().filter(l -> !l.isBlank()).toList()) {
            String[] f = line.split(",");
            if (f.length < 3 || f[1].equals("N/A")) {
                continue;
            }
            long dts = Long.parseLong(f[1]);
            long[] before = last.get(f[0]);
            if (before != null) {
                assertThat(dts).as("stream %s: dts after %d", f[0], before[0]).isGreaterThan(before[0]);
                largestGap = Math.max(largestGap, dts - before[0] - before[1]);
            }
            last.put(f[0], new long[] {dts, f[2].equals("N/A") ? 0 : Long.parseLong(f[2])});
        }
        assertThat(last).hasSize(2);
        assertThat(largestGap).as("largest gap between a frame's end and the next frame, 90 kHz")
                .isLessThan(3600 * 2);

        TsAnalyzer analyzer = new TsAnalyzer();
        byte[] all = Files.readAllBytes(looped);
        analyzer.acceptBytes(all, 0, all.length, -1);
        analyzer.endOfInput();
        AnalysisReport r = analyzer.report();
        assertNone(r, Indicator.values());
    }

    /**
     * A file whose PCR runs a fifth faster than its timestamps (2.4 s of PCR for 3 s of pictures and sound, as from a
     * multiplexer with a wrong clock): each pass is followed by some 0.6 s of fill so that the timestamps do not go
     * back, and the fill carries the PAT and the PMT on, so a monitor sees no table missing. Before, the fill was null
     * and PCR packets only: a PAT_error_2 and a PMT_error_2 at every seam.
     */
    @org.junit.jupiter.api.Test
    void aLongFillBetweenPassesCarriesTheTablesOn() throws IOException {
        loopedWithAFastPcrIsClean(Fixtures.uneven("aac"));
    }

    /**
     * The same with a PMT of two packets (twenty audio streams with their languages): the fill replays both, in order.
     * Before, it replayed only tables of one packet, and such a PMT was missing for the 0.6 s of each fill: a
     * PMT_error_2 at every seam.
     */
    @org.junit.jupiter.api.Test
    void aLongFillCarriesAPmtOfTwoPacketsOn() throws IOException {
        loopedWithAFastPcrIsClean(Fixtures.manyAudio());
    }

    private void loopedWithAFastPcrIsClean(Path source) throws IOException {
        byte[] file = Files.readAllBytes(source);
        TsPacket p = new TsPacket();
        long first = -1;
        for (int o = 0; o + TsPacket.SIZE <= file.length; o += TsPacket.SIZE) {
            if (p.wrap(file, o).hasPcr()) {
                first = first < 0 ? p.pcr() : first;
                p.setPcr(first + Math.round((p.pcr() - first) * 0.8));
            }
        }
        Path fast = dir.resolve("fast-pcr.ts");
        Files.write(fast, file);
        byte[] looped;
        try (TsLooper looper = TsLooper.open(fast, 3)) {
            assertThat(looper.durationTicks()).as("a pass and its fill, against 2.4 s of PCR")
                    .isGreaterThan(io.mcrsrt.ts.pcr.Pcr.HZ * 29 / 10);
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            byte[] b = new byte[TsPacket.SIZE];
            while (looper.read(b, 0)) {
                out.write(b, 0, b.length);
            }
            looped = out.toByteArray();
        }
        TsAnalyzer analyzer = new TsAnalyzer();
        analyzer.acceptBytes(looped, 0, looped.length, -1);
        analyzer.endOfInput();
        AnalysisReport r = analyzer.report();
        assertNone(r, Indicator.values());
    }

    /**
     * A variable-rate file whose last PCR interval is dense (a large picture sent just before the end: 40 packets in
     * 40 ms, against some 10 a PCR interval on average), with 7 packets before its first PCR, and whose audio plays on
     * after its PCRs: the fill after each pass carries a PCR at the file's PCR interval of PCR time, and one as its
     * last packet so that the step to the next pass's first PCR, over the packets before it, is no longer either; no
     * step of the PCR across the seam is longer than the file's own (40 ms). Before, the fill counted the interval in
     * packets, as many as the last interval had: the fill and the packets around it, 22 in all, had no PCR, a step of
     * 89 ms at every seam (an ffmpeg HEVC file, whose PCRs are 80 ms apart, looped with steps of 115 ms, over the
     * 100 ms of ISO/IEC 13818-1).
     */
    @org.junit.jupiter.api.Test
    void theFillAfterADenseEndHasItsPcrsAtTheFilesIntervalOfTime() throws IOException {
        long interval = io.mcrsrt.ts.pcr.Pcr.HZ / 25;
        java.io.ByteArrayOutputStream file = new java.io.ByteArrayOutputStream();
        file.writeBytes(io.mcrsrt.ts.TestStreams.sectionPacket(0, 0, io.mcrsrt.ts.TestStreams.pat(1, 0, 1, 0x1000)));
        file.writeBytes(io.mcrsrt.ts.TestStreams.sectionPacket(0x1000, 0,
                io.mcrsrt.ts.TestStreams.pmt(1, 0, 0x100, 0x1B, 0x100, 0x0F, 0x101)));
        int audioCc = 0;
        file.writeBytes(adtsPes(audioCc++, 0, 1));
        int videoCc = 0;
        for (int i = 0; i < 4; i++) {
            file.writeBytes(io.mcrsrt.ts.TestStreams.packet(0x100, videoCc++, false));
        }
        for (int k = 0; k < 10; k++) {
            file.writeBytes(io.mcrsrt.ts.TestStreams.pcrPacket(0x100, videoCc++, k * interval, false));
            int between = k == 8 ? 40 : k < 8 ? 5 : 0;
            for (int i = 0; i < between; i++) {
                file.writeBytes(io.mcrsrt.ts.TestStreams.packet(0x100, videoCc++, false));
            }
        }
        // the last audio PES, 340 ms in, five frames (107 ms): it ends after the PCRs, so a fill follows the pass
        file.writeBytes(adtsPes(audioCc, 340 * 90, 5));
        Path ts = dir.resolve("dense-end.ts");
        Files.write(ts, file.toByteArray());

        long longest = 0;
        int steps = 0;
        try (TsLooper looper = TsLooper.open(ts, 3)) {
            byte[] b = new byte[TsPacket.SIZE];
            TsPacket p = new TsPacket();
            long last = -1;
            while (looper.read(b, 0)) {
                if (p.wrap(b, 0).pid() == 0x100 && p.hasPcr()) {
                    if (last >= 0) {
                        longest = Math.max(longest, io.mcrsrt.ts.pcr.Pcr.delta(last, p.pcr()));
                        steps++;
                    }
                    last = p.pcr();
                }
            }
        }
        assertThat(steps).as("PCR steps in three passes").isGreaterThanOrEqualTo(29);
        assertThat(longest).as("longest PCR step, 27 MHz ticks (the file's interval: %d)", interval)
                .isPositive().isLessThanOrEqualTo(interval);
    }

    /**
     * A multi-program file (two programs, PCRs every 20 ms on 0x100 and on 0x200, the second on a clock 10 s ahead)
     * whose first program's audio plays on after the PCRs: the fill after each pass carries the PCRs of both programs
     * on, each from its own last PCR, so neither program's PCR steps more than 20 ms across the seam. Before, the fill
     * carried only the first program's: the second's PCR stopped for the fill, 107 ms at every seam (an ffmpeg MPTS at
     * 6 Mbit/s with AAC at 44.1 kHz: 42 ms, PCR_repetition_error on program 2 at every loop point).
     */
    @org.junit.jupiter.api.Test
    void theFillCarriesThePcrsOfEveryProgramOn() throws IOException {
        long tick = io.mcrsrt.ts.pcr.Pcr.HZ / 1000; // a packet a millisecond
        java.io.ByteArrayOutputStream file = new java.io.ByteArrayOutputStream();
        file.writeBytes(io.mcrsrt.ts.TestStreams.sectionPacket(0, 0,
                io.mcrsrt.ts.TestStreams.patSection(1, 0, 0, 0, 1, 0x1000, 2, 0x1001)));
        file.writeBytes(io.mcrsrt.ts.TestStreams.sectionPacket(0x1000, 0,
                io.mcrsrt.ts.TestStreams.pmt(1, 0, 0x100, 0x1B, 0x100, 0x0F, 0x101)));
        file.writeBytes(io.mcrsrt.ts.TestStreams.sectionPacket(0x1001, 0,
                io.mcrsrt.ts.TestStreams.pmt(2, 0, 0x200, 0x1B, 0x200)));
        file.writeBytes(adtsPes(0, 0, 1));
        int[] cc = new int[0x201];
        for (int i = 4; i < 400; i++) {
            int pid = i % 2 == 0 ? 0x100 : 0x200;
            boolean pcr = pid == 0x100 ? i % 20 == 4 : i % 20 == 15;
            long clock = i * tick + (pid == 0x200 ? 10 * io.mcrsrt.ts.pcr.Pcr.HZ : 0);
            file.writeBytes(pcr ? io.mcrsrt.ts.TestStreams.pcrPacket(pid, cc[pid]++, clock, false)
                    : io.mcrsrt.ts.TestStreams.packet(pid, cc[pid]++, false));
        }
        // the last audio PES, 380 ms in, five frames (107 ms): it ends some 85 ms after the PCRs
        file.writeBytes(adtsPes(1, 380 * 90, 5));
        Path ts = dir.resolve("two-programs.ts");
        Files.write(ts, file.toByteArray());

        long[] last = {-1, -1};
        long[] longest = new long[2];
        int[] count = new int[2];
        try (TsLooper looper = TsLooper.open(ts, 3)) {
            byte[] b = new byte[TsPacket.SIZE];
            TsPacket p = new TsPacket();
            while (looper.read(b, 0)) {
                p.wrap(b, 0);
                if (p.hasPcr() && (p.pid() == 0x100 || p.pid() == 0x200)) {
                    int k = p.pid() == 0x100 ? 0 : 1;
                    if (last[k] >= 0) {
                        longest[k] = Math.max(longest[k], io.mcrsrt.ts.pcr.Pcr.delta(last[k], p.pcr()));
                    }
                    last[k] = p.pcr();
                    count[k]++;
                }
            }
        }
        assertThat(count[0]).as("PCRs of program 1 in three passes").isGreaterThanOrEqualTo(60);
        assertThat(count[1]).as("PCRs of program 2 in three passes").isGreaterThanOrEqualTo(60);
        assertThat(longest[0]).as("longest PCR step of program 1, 27 MHz ticks").isPositive()
                .isLessThanOrEqualTo(20 * tick);
        assertThat(longest[1]).as("longest PCR step of program 2, 27 MHz ticks").isPositive()
                .isLessThanOrEqualTo(20 * tick);
    }

    /**
     * A file with its PCR on a PID of its own (0x1F0), in packets without payload whose continuity counter is 7 (any
     * value is right where there is no payload, as long as it stays), and audio that plays on after the PCRs: the
     * fill's PCR packets keep that counter, so a monitor sees no continuity error at the seams. Before, they carried 0,
     * the counter of a PID that had sent no payload: a Continuity_count_error on the PCR PID at each seam, and another
     * where the file's packets came back.
     */
    @org.junit.jupiter.api.Test
    void theFillsPcrPacketsKeepTheCounterOfAPcrPidWithoutPayload() throws IOException {
        long tick = io.mcrsrt.ts.pcr.Pcr.HZ / 500; // two milliseconds a packet
        java.io.ByteArrayOutputStream file = new java.io.ByteArrayOutputStream();
        file.writeBytes(io.mcrsrt.ts.TestStreams.sectionPacket(0, 0, io.mcrsrt.ts.TestStreams.pat(1, 0, 1, 0x1000)));
        file.writeBytes(io.mcrsrt.ts.TestStreams.sectionPacket(0x1000, 0,
                io.mcrsrt.ts.TestStreams.pmt(1, 0, 0x1F0, 0x1B, 0x100, 0x0F, 0x101)));
        file.writeBytes(adtsPes(0, 0, 1));
        int videoCc = 0;
        for (int i = 3; i < 200; i++) {
            if (i % 10 == 3) {
                byte[] pcr = io.mcrsrt.ts.TestStreams.pcrPacket(0x1F0, 7, i * tick, false);
                pcr[3] = 0x27; // adaptation field only, continuity counter 7
                pcr[4] = (byte) (TsPacket.SIZE - 5);
                file.writeBytes(pcr);
            } else {
                file.writeBytes(io.mcrsrt.ts.TestStreams.packet(0x100, videoCc++, false));
            }
        }
        // the last audio PES, 380 ms in, five frames (107 ms): it ends some 85 ms after the PCRs
        file.writeBytes(adtsPes(1, 380 * 90, 5));
        Path ts = dir.resolve("pcr-pid-of-its-own.ts");
        Files.write(ts, file.toByteArray());

        java.io.ByteArrayOutputStream looped = new java.io.ByteArrayOutputStream();
        try (TsLooper looper = TsLooper.open(ts, 3)) {
            byte[] b = new byte[TsPacket.SIZE];
            while (looper.read(b, 0)) {
                looped.write(b, 0, b.length);
            }
        }
        byte[] all = looped.toByteArray();
        assertThat(all.length / TsPacket.SIZE).as("three passes and their fills").isGreaterThan(3 * 200);
        TsAnalyzer analyzer = new TsAnalyzer();
        analyzer.acceptBytes(all, 0, all.length, -1);
        analyzer.endOfInput();
        AnalysisReport r = analyzer.report();
        assertThat(r.count(Indicator.CONTINUITY_COUNT_ERROR)).as("%s", r.errors().get(Indicator.CONTINUITY_COUNT_ERROR)
                == null ? "" : r.errors().get(Indicator.CONTINUITY_COUNT_ERROR).lastDetail()).isZero();
        assertThat(r.pcr().pid()).isEqualTo(0x1F0);
        assertThat(r.pcr().maxIntervalNanos()).as("longest PCR interval").isLessThanOrEqualTo(20_000_000L);
    }

    /**
     * A variable-rate two-program file with no fill between passes (no audio runs on), whose first picture and last
     * are large: 30 packets before the first PCR of program 1 and 30 after its last, against 6 packets a 40 ms PCR
     * interval, and program 2's PCRs only in the middle (a head of 54 packets, a tail of 50). Looped, the packets
     * between a pass's last PCR and the next pass's first are sent at the file's average rate; PCR-only packets among
     * them keep every program's PCR step within the file's own interval, and the counters and the clock intact. Before,
     * no PCR came there: steps of 460 ms on program 1 and of some 700 ms on program 2 at every seam (an ffmpeg file
     * muxed without -muxrate: 103 to 170 ms, over the 100 ms of ISO/IEC 13818-1).
     */
    @org.junit.jupiter.api.Test
    void everyProgramsPcrStepsAcrossASeamWithoutFillAreNoLongerThanTheFilesInterval() throws IOException {
        long interval = io.mcrsrt.ts.pcr.Pcr.HZ / 25;
        java.io.ByteArrayOutputStream file = new java.io.ByteArrayOutputStream();
        file.writeBytes(io.mcrsrt.ts.TestStreams.sectionPacket(0, 0,
                io.mcrsrt.ts.TestStreams.patSection(1, 0, 0, 0, 1, 0x1000, 2, 0x1001)));
        file.writeBytes(io.mcrsrt.ts.TestStreams.sectionPacket(0x1000, 0,
                io.mcrsrt.ts.TestStreams.pmt(1, 0, 0x100, 0x1B, 0x100)));
        file.writeBytes(io.mcrsrt.ts.TestStreams.sectionPacket(0x1001, 0,
                io.mcrsrt.ts.TestStreams.pmt(2, 0, 0x200, 0x1B, 0x200)));
        int[] cc = new int[0x201];
        for (int i = 0; i < 30; i++) {
            file.writeBytes(io.mcrsrt.ts.TestStreams.packet(0x100, cc[0x100]++, i == 0));
        }
        for (int k = 0; k < 10; k++) {
            file.writeBytes(io.mcrsrt.ts.TestStreams.pcrPacket(0x100, cc[0x100]++, k * interval, false));
            for (int i = 1; i < 6; i++) {
                boolean second = i == 3 && k >= 3 && k <= 6;
                long clock = 10 * io.mcrsrt.ts.pcr.Pcr.HZ + k * interval + i * interval / 6;
                file.writeBytes(second ? io.mcrsrt.ts.TestStreams.pcrPacket(0x200, cc[0x200]++, clock, false)
                        : io.mcrsrt.ts.TestStreams.packet(i % 2 == 0 ? 0x200 : 0x100, cc[i % 2 == 0 ? 0x200 : 0x100]++,
                        false));
            }
        }
        for (int i = 0; i < 30; i++) {
            file.writeBytes(io.mcrsrt.ts.TestStreams.packet(0x100, cc[0x100]++, false));
        }
        Path ts = dir.resolve("large-first-and-last-pictures.ts");
        Files.write(ts, file.toByteArray());

        long[] last = {-1, -1};
        long[] longest = new long[2];
        int[] count = new int[2];
        java.io.ByteArrayOutputStream looped = new java.io.ByteArrayOutputStream();
        try (TsLooper looper = TsLooper.open(ts, 3)) {
            byte[] b = new byte[TsPacket.SIZE];
            TsPacket p = new TsPacket();
            while (looper.read(b, 0)) {
                looped.write(b, 0, b.length);
                p.wrap(b, 0);
                if (p.hasPcr()) {
                    int k = p.pid() == 0x100 ? 0 : 1;
                    if (last[k] >= 0) {
                        longest[k] = Math.max(longest[k], io.mcrsrt.ts.pcr.Pcr.delta(last[k], p.pcr()));
                    }
                    last[k] = p.pcr();
                    count[k]++;
                }
            }
        }
        assertThat(count[0]).as("PCRs of program 1 in three passes").isGreaterThanOrEqualTo(30);
        assertThat(count[1]).as("PCRs of program 2 in three passes").isGreaterThanOrEqualTo(12);
        assertThat(longest[0]).as("longest PCR step of program 1, 27 MHz ticks").isPositive()
                .isLessThanOrEqualTo(interval);
        assertThat(longest[1]).as("longest PCR step of program 2, 27 MHz ticks").isPositive()
                .isLessThanOrEqualTo(interval);
        byte[] all = looped.toByteArray();
        TsAnalyzer analyzer = new TsAnalyzer();
        analyzer.acceptBytes(all, 0, all.length, -1);
        analyzer.endOfInput();
        AnalysisReport r = analyzer.report();
        assertNone(r, Indicator.CONTINUITY_COUNT_ERROR, Indicator.PCR_REPETITION_ERROR,
                Indicator.PCR_DISCONTINUITY_INDICATOR_ERROR);
    }

    /**
     * A file whose first PCR carries discontinuity_indicator (cut out of a longer recording): the first pass sends it
     * as the file has it, the passes after it, whose clock the looper carries on, without it, so the pacer paces
     * through every seam. Before, the flag went out at the start of every pass: the pacer bridged each seam at its last
     * rate and counted a discontinuity at every loop point.
     */
    @org.junit.jupiter.api.Test
    void aFirstPcrFlaggedAsADiscontinuityIsFlaggedOnlyOnTheFirstPass() throws IOException {
        long interval = io.mcrsrt.ts.pcr.Pcr.HZ / 50;
        java.io.ByteArrayOutputStream file = new java.io.ByteArrayOutputStream();
        file.writeBytes(io.mcrsrt.ts.TestStreams.sectionPacket(0, 0, io.mcrsrt.ts.TestStreams.pat(1, 0, 1, 0x1000)));
        file.writeBytes(io.mcrsrt.ts.TestStreams.sectionPacket(0x1000, 0,
                io.mcrsrt.ts.TestStreams.pmt(1, 0, 0x100, 0x1B, 0x100)));
        int cc = 0;
        for (int k = 0; k < 20; k++) {
            file.writeBytes(io.mcrsrt.ts.TestStreams.pcrPacket(0x100, cc++, 5 * io.mcrsrt.ts.pcr.Pcr.HZ
                    + k * interval, k == 0));
            for (int i = 0; i < 4; i++) {
                file.writeBytes(io.mcrsrt.ts.TestStreams.packet(0x100, cc++, false));
            }
        }
        Path ts = dir.resolve("first-pcr-flagged.ts");
        Files.write(ts, file.toByteArray());

        List<Boolean> flags = new java.util.ArrayList<>();
        try (TsLooper looper = TsLooper.open(ts, 3)) {
            byte[] b = new byte[TsPacket.SIZE];
            TsPacket p = new TsPacket();
            while (looper.read(b, 0)) {
                if (p.wrap(b, 0).hasPcr()) {
                    flags.add(p.discontinuityIndicator());
                }
            }
        }
        assertThat(flags).hasSize(60);
        assertThat(flags.get(0)).as("the first pass's first PCR, as in the file").isTrue();
        assertThat(flags.subList(1, flags.size())).as("every PCR after it").containsOnly(false);

        try (TsPacer pacer = new TsPacer(TsLooper.open(ts, 3), PacerSettings.byPcr())) {
            byte[] message = new byte[TsPacer.MESSAGE_SIZE];
            while (pacer.nextMessage(message, 0) != TsPacer.END) {
                // paced through
            }
            assertThat(pacer.discontinuities()).as("discontinuities bridged at the seams").isZero();
        }
    }

    /** One packet of a PES on PID 0x101 holding {@code frames} ADTS frames of AAC at 48 kHz, 20 bytes each. */
    private static byte[] adtsPes(int cc, long pts, int frames) {
        byte[] p = io.mcrsrt.ts.TestStreams.packet(0x101, cc, true);
        byte[] header = {0, 0, 1, (byte) 0xC0, 0, 0, (byte) 0x80, (byte) 0x80, 5,
            (byte) (0x21 | ((pts >> 29) & 0x0E)), (byte) (pts >> 22), (byte) (((pts >> 14) & 0xFE) | 1),
            (byte) (pts >> 7), (byte) (((pts << 1) & 0xFE) | 1)};
        System.arraycopy(header, 0, p, 4, header.length);
        int length = 20;
        for (int f = 0; f < frames; f++) {
            int at = 4 + header.length + f * length;
            java.util.Arrays.fill(p, at, at + length, (byte) 0);
            p[at] = (byte) 0xFF;
            p[at + 1] = (byte) 0xF1;
            p[at + 2] = (byte) (3 << 2); // 48 kHz
            p[at + 3] = (byte) ((length >> 11) & 0x3);
            p[at + 4] = (byte) (length >> 3);
            p[at + 5] = (byte) ((length & 0x7) << 5);
        }
        // the PES ends with its frames: the rest of the packet is adaptation-field stuffing, as a muxer writes it
        int used = header.length + frames * length;
        int stuffing = TsPacket.SIZE - 4 - used;
        byte[] out = java.util.Arrays.copyOf(p, TsPacket.SIZE);
        out[3] = (byte) (0x30 | (cc & 0xF));
        out[4] = (byte) (stuffing - 1);
        if (stuffing > 1) {
            out[5] = 0;
            java.util.Arrays.fill(out, 6, 4 + stuffing, (byte) 0xFF);
        }
        System.arraycopy(p, 4, out, 4 + stuffing, used);
        return out;
    }

    /**
     * An audio PES longer than the looper keeps to count its frames (64 KiB of ADTS frames): measured on the part it
     * keeps. Before, the count ran past the bytes kept and the file could not be opened.
     */
    @org.junit.jupiter.api.Test
    void anAudioPesLongerThanWhatIsKeptOfItIsMeasuredOnItsFirstBytes() throws IOException {
        // 6553-byte frames: one starts 6 bytes before the 64 KiB kept, its header running past them
        int length = 6553;
        byte[] frame = new byte[length];
        frame[0] = (byte) 0xFF;
        frame[1] = (byte) 0xF1;
        frame[2] = (byte) (3 << 2); // 48 kHz
        frame[3] = (byte) ((length >> 11) & 0x3);
        frame[4] = (byte) (length >> 3);
        frame[5] = (byte) ((length & 0x7) << 5);
        java.io.ByteArrayOutputStream es = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < 11; i++) {
            es.writeBytes(frame);
        }
        java.io.ByteArrayOutputStream file = new java.io.ByteArrayOutputStream();
        int cc = 0;
        int pcrCc = 0;
        long pts = 0;
        for (int pes = 0; pes < 2; pes++) {
            file.writeBytes(io.mcrsrt.ts.TestStreams.pcrPacket(0x100, pcrCc++, pts * 300, false));
            byte[] audio = es.toByteArray();
            byte[] first = io.mcrsrt.ts.TestStreams.packet(0x101, cc++, true);
            byte[] header = {0, 0, 1, (byte) 0xC0, 0, 0, (byte) 0x80, (byte) 0x80, 5,
                (byte) (0x21 | ((pts >> 29) & 0x0E)), (byte) (pts >> 22), (byte) (((pts >> 14) & 0xFE) | 1),
                (byte) (pts >> 7), (byte) (((pts << 1) & 0xFE) | 1)};
            System.arraycopy(header, 0, first, 4, header.length);
            int at = TsPacket.SIZE - 4 - header.length;
            System.arraycopy(audio, 0, first, 4 + header.length, at);
            file.writeBytes(first);
            while (at < audio.length) {
                byte[] next = io.mcrsrt.ts.TestStreams.packet(0x101, cc++, false);
                int n = Math.min(TsPacket.SIZE - 4, audio.length - at);
                System.arraycopy(audio, at, next, 4, n);
                at += n;
                file.writeBytes(next);
            }
            pts += 90_000;
        }
        file.writeBytes(io.mcrsrt.ts.TestStreams.pcrPacket(0x100, pcrCc, pts * 300, false));
        Path ts = dir.resolve("long-pes.ts");
        Files.write(ts, file.toByteArray());
        try (TsLooper looper = TsLooper.open(ts, 2)) {
            assertThat(looper.durationTicks()).isPositive();
        }
    }

}
