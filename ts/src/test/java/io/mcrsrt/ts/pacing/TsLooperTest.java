package io.mcrsrt.ts.pacing;

import static io.mcrsrt.ts.pacing.Reports.assertNone;
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

    /** ffmpeg's "dts < pcr, TS is invalid": 3 s of content under 8.8 s of PCR, which pacing by PCR plays slowly. */
    @Test
    void aFileWhosePcrRunsSlowerThanItsTimestampsIsNamedWithHowSlowAndTheRemux() throws Exception {
        try (TsLooper looper = TsLooper.open(Fixtures.slowPcr(), 0)) {
            assertThat(looper.clockWarning()).hasValueSatisfying(w -> assertThat(w)
                    .matches("slow-pcr\\.ts: its PCR runs slower than its timestamps \\(3\\.\\d s of pictures and sound"
                            + " over 8\\.\\d s of PCR time\\), so it plays at 3\\d % of its speed and a decoder gets its"
                            + " frames late; looped, its timestamps also jump 5\\.\\d s forward at each loop point\\."
                            + " It was multiplexed with too low a mux rate: remux it, e\\.g\\. ffmpeg -i IN -c copy -f"
                            + " mpegts OUT\\.ts"));
        }
        for (Path fine : List.of(Fixtures.cbr8M(), Fixtures.uneven("aac"), Fixtures.small())) {
            try (TsLooper looper = TsLooper.open(fine, 0)) {
                assertThat(looper.clockWarning()).as(fine.toString()).isEmpty();
            }
        }
    }

    @Test
    void aFileMeasuredInTheBackgroundWhileItPlaysLoopsByteForByteAsOneMeasuredFirst() throws Exception {
        // A 64 KiB probe stands in for the first 32 MiB of a recording of many gigabytes: the rest is measured on a
        // thread of its own while the first pass plays, and the loop points must come out exactly the same.
        Path background = dir.resolve("background.ts");
        try (TsLooper looper = TsLooper.open(Fixtures.cbr8M(), 3, 64 << 10);
                OutputStream out = Files.newOutputStream(background)) {
            byte[] b = new byte[TsPacket.SIZE];
            while (looper.read(b, 0)) {
                out.write(b);
            }
            assertThat(looper.packetsPerPass()).isEqualTo(packetsPerPass);
            assertThat(looper.durationTicks()).isEqualTo(durationTicks);
            double wholeRate = packetsPerPass * TsPacket.SIZE * 8.0 * Pcr.HZ / durationTicks;
            assertThat((double) looper.bitsPerSecond()).as("rate from the first 64 KiB").isCloseTo(wholeRate,
                    org.assertj.core.data.Percentage.withPercentage(3));
        }
        assertThat(Files.mismatch(background, looped)).as("first differing byte").isEqualTo(-1);
    }

    @Test
    void closingALooperStopsItsBackgroundMeasurement() throws Exception {
        Path big = dir.resolve("big.ts");
        try (OutputStream out = Files.newOutputStream(big)) {
            for (int i = 0; i < 20; i++) {
                Files.copy(Fixtures.cbr8M(), out); // ~64 MB: measured well beyond the moment of closing
            }
        }
        TsLooper looper = TsLooper.open(big, 0, 64 << 10);
        assertThat(scanThreads()).as("measuring in the background").isNotEmpty();
        looper.close();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!scanThreads().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(scanThreads()).as("background measurement still running after close").isEmpty();
    }

    @Test
    void aFilePlayedOnceIsNotMeasuredInTheBackground() throws Exception {
        try (TsLooper looper = TsLooper.open(Fixtures.cbr8M(), 1, 64 << 10)) {
            assertThat(scanThreads()).isEmpty();
            assertThat(looper.bitsPerSecond()).isPositive();
        }
    }

    private static List<Thread> scanThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("ts-scan-") && t.isAlive()).toList();
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
    void analyzerFindsNoErrorInThreePasses() throws IOException {
        io.mcrsrt.ts.analysis.TsAnalyzer analyzer = new io.mcrsrt.ts.analysis.TsAnalyzer();
        byte[] all = Files.readAllBytes(looped);
        analyzer.acceptBytes(all, 0, all.length, -1);
        io.mcrsrt.ts.analysis.AnalysisReport r = analyzer.report();
        assertNone(r, io.mcrsrt.ts.analysis.Indicator.values());
        assertThat(r.durationNanos()).isCloseTo(Pcr.toNanos(3 * durationTicks),
                org.assertj.core.data.Offset.offset(30_000_000L));
    }

    @Test
    void tablesKeepTheirVersionsAcrossPasses() throws IOException {
        io.mcrsrt.ts.psi.PsiTracker psi = new io.mcrsrt.ts.psi.PsiTracker();
        TsPacket p = new TsPacket();
        try (PacketReader r = PacketReader.open(looped)) {
            while (r.next(p)) {
                psi.accept(p);
            }
        }
        assertThat(psi.pat()).isNotNull();
        assertThat(psi.firstPmt()).isNotNull();
        assertThat(psi.versionChanges()).isZero();
        assertThat(psi.crcErrors()).isZero();
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

    @Test
    void pcrAndPtsWrapAt33BitsAcrossPasses() throws IOException {
        // one second of PCRs ending 0.5 s before the wrap: the second pass crosses it
        long start = Pcr.WRAP - Pcr.HZ * 3 / 2;
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < 100; i++) {
            byte[] p = io.mcrsrt.ts.TestStreams.pcrPacket(0x100, i, Pcr.add(start, i * Pcr.HZ / 100), false);
            if (i % 10 == 0) {
                p[1] |= 0x40;
                // a PES header with PTS right after the adaptation field
                byte[] pes = {0, 0, 1, (byte) 0xE0, 0, 0, (byte) 0x80, (byte) 0x80, 5, 0x21, 0, 1, 0, 1};
                System.arraycopy(pes, 0, p, 12, pes.length);
                Pcr.writeTimestamp(p, 21, Pcr.addPts(start / 300, i * Pcr.PTS_HZ / 100 + 9000));
            }
            b.writeBytes(p);
        }
        Path file = dir.resolve("wrap.ts");
        Files.write(file, b.toByteArray());
        long previousPcr = -1;
        long previousPts = -1;
        try (TsLooper looper = TsLooper.open(file, 3)) {
            byte[] p = new byte[TsPacket.SIZE];
            TsPacket view = new TsPacket();
            int n = 0;
            while (looper.read(p, 0)) {
                view.wrap(p, 0);
                long pcr = view.pcr();
                if (previousPcr >= 0) {
                    assertThat(Pcr.delta(previousPcr, pcr)).as("PCR step at packet %d", n).isEqualTo(Pcr.HZ / 100);
                }
                previousPcr = pcr;
                if (view.payloadUnitStart()) {
                    long pts = Pcr.readTimestamp(p, 21);
                    if (previousPts >= 0) {
                        assertThat(Pcr.ptsDelta(previousPts, pts)).as("PTS step at packet %d", n).isEqualTo(9000);
                    }
                    previousPts = pts;
                }
                n++;
            }
            assertThat(n).isEqualTo(300);
            assertThat(previousPcr).isLessThan(Pcr.HZ * 2);
        }
    }

    @Test
    void scte35CuesFollowTheLoopThroughPtsAdjustment() throws IOException {
        byte[] cue = java.util.Base64.getDecoder().decode(
                "/DAvAAAAAAAA///wFAVIAACPf+/+c2nALv4AUsz1AAAAAAAKAAhDVUVJAAABNWLbowo=");
        LoopedCues looped = loopTwice("cue.ts", io.mcrsrt.ts.TestStreams.sectionPacket(0x1F0, 0, cue));
        assertThat(looped.cues()).hasSize(2);
        assertThat(looped.cues().get(0).ptsAdjustment()).isZero();
        assertThat(looped.cues().get(1).ptsAdjustment()).isEqualTo(looped.durationTicks() / 300);
        assertThat(looped.durationTicks()).isEqualTo(Pcr.HZ * 103 / 100);
    }

    @Test
    void twoCuesInOnePacketBothFollowTheLoop() throws IOException {
        // a splice insert and a time signal in the same packet: before, only the first was shifted on later passes
        byte[] insert = java.util.Base64.getDecoder().decode(
                "/DAvAAAAAAAA///wFAVIAACPf+/+c2nALv4AUsz1AAAAAAAKAAhDVUVJAAABNWLbowo=");
        byte[] signal = java.util.Base64.getDecoder().decode(
                "/DA0AAAAAAAA///wBQb+cr0AUAAeAhxDVUVJSAAAjn/PAAGlmbAICAAAAAAsoKGKNAIAmsnRfg==");
        byte[] both = io.mcrsrt.ts.TestStreams.sectionPacket(0x1F0, 0, io.mcrsrt.ts.TestStreams.concat(insert, signal));
        java.util.Arrays.fill(both, 5 + insert.length + signal.length, TsPacket.SIZE, (byte) 0xFF);
        LoopedCues looped = loopTwice("cues.ts", both);
        assertThat(looped.cues()).hasSize(4);
        assertThat(looped.cues().subList(0, 2)).allSatisfy(c -> assertThat(c.ptsAdjustment()).isZero());
        assertThat(looped.cues().subList(2, 4)).allSatisfy(c -> assertThat(c.ptsAdjustment())
                .isEqualTo(looped.durationTicks() / 300));
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "{0} avail descriptors")
    @org.junit.jupiter.params.provider.ValueSource(ints = {13, 30, 40})
    void aCueSplitOverPacketsFollowsTheLoopAsOneWithinAPacketDoes(int avails) throws IOException {
        // Before, a cue longer than one packet went out on every pass as on the first: splicing in the past. 13 avail
        // descriptors put its CRC_32 half in one packet, half in the next; 30 make it two packets, 40 three.
        byte[] cue = withAvails("/DA0AAAAAAAA///wBQb+cr0AUAAeAhxDVUVJSAAAjn/PAAGlmbAICAAAAAAsoKGKNAIAmsnRfg==", avails);
        assertThat(cue.length).isGreaterThan(TsPacket.SIZE - 5);
        LoopedCues looped = loopTwice("long-cue-" + avails + ".ts", io.mcrsrt.ts.TestStreams.sectionPackets(0x1F0, 0,
                cue));
        assertThat(looped.cues()).hasSize(2);
        assertThat(looped.cues().get(0)).usingRecursiveComparison().isEqualTo(io.mcrsrt.ts.scte35.Scte35.decode(cue));
        assertThat(looped.cues().get(1).ptsAdjustment()).isEqualTo(looped.durationTicks() / 300);
        assertThat(looped.cues().get(1)).as("the same cue but for its pts_adjustment and CRC_32")
                .usingRecursiveComparison().ignoringFields("ptsAdjustment", "crc32").isEqualTo(looped.cues().get(0));
    }

    @Test
    void aRepeatedPacketOfASplitCueGoesOutAsItsFirstDid() throws IOException {
        // A multiplexer may send a packet twice with the same continuity counter; a receiver drops the second. Taken
        // for the next part of the cue, it would put the CRC_32 written after it in the wrong bytes.
        byte[] cue = withAvails("/DA0AAAAAAAA///wBQb+cr0AUAAeAhxDVUVJSAAAjn/PAAGlmbAICAAAAAAsoKGKNAIAmsnRfg==", 40);
        byte[] packets = io.mcrsrt.ts.TestStreams.sectionPackets(0x1F0, 0, cue);
        assertThat(packets.length).isEqualTo(3 * TsPacket.SIZE);
        byte[] repeated = io.mcrsrt.ts.TestStreams.concat(Arrays.copyOf(packets, 2 * TsPacket.SIZE),
                Arrays.copyOfRange(packets, TsPacket.SIZE, 3 * TsPacket.SIZE));
        LoopedCues looped = loopTwice("repeated-cue.ts", repeated);
        assertThat(looped.cues()).hasSize(2);
        assertThat(looped.cues().get(1).ptsAdjustment()).isEqualTo(looped.durationTicks() / 300);
    }

    @Test
    void aBrokenCueSplitOverPacketsGoesOutBrokenOnEveryPass() throws IOException {
        // Its CRC_32 is written as it goes out, packets after the pts_adjustment: a cue that came broken must not
        // come out of the loop checking.
        byte[] cue = withAvails("/DA0AAAAAAAA///wBQb+cr0AUAAeAhxDVUVJSAAAjn/PAAGlmbAICAAAAAAsoKGKNAIAmsnRfg==", 30);
        cue[100] ^= 0x20;
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        b.writeBytes(io.mcrsrt.ts.TestStreams.sectionPacket(0, 0, io.mcrsrt.ts.TestStreams.pat(1, 0, 1, 0x1000)));
        b.writeBytes(io.mcrsrt.ts.TestStreams.sectionPacket(0x1000, 0,
                io.mcrsrt.ts.TestStreams.pmt(1, 0, 0x100, 0x1B, 0x100, 0x86, 0x1F0)));
        b.writeBytes(io.mcrsrt.ts.TestStreams.sectionPackets(0x1F0, 0, cue));
        for (int i = 0; i < 100; i++) {
            b.writeBytes(io.mcrsrt.ts.TestStreams.pcrPacket(0x100, i, i * Pcr.HZ / 100, false));
        }
        Path file = dir.resolve("broken-cue.ts");
        Files.write(file, b.toByteArray());
        List<String> errors = new java.util.ArrayList<>();
        io.mcrsrt.ts.scte35.Scte35Monitor monitor = new io.mcrsrt.ts.scte35.Scte35Monitor(c -> errors.add(c.error()));
        try (TsLooper looper = TsLooper.open(file, 3)) {
            byte[] p = new byte[TsPacket.SIZE];
            TsPacket view = new TsPacket();
            while (looper.read(p, 0)) {
                monitor.accept(view.wrap(p, 0));
            }
        }
        assertThat(errors).hasSize(3).allSatisfy(e -> assertThat(e).contains("CRC"));
    }

    /**
     * The cue in base64 with {@code n} avail descriptors (10 bytes each) more after its own, its descriptor_loop_length,
     * section_length and CRC_32 made to fit.
     */
    private static byte[] withAvails(String base64, int n) {
        byte[] cue = java.util.Base64.getDecoder().decode(base64);
        int commandLength = ((cue[11] & 0x0F) << 8) | (cue[12] & 0xFF);
        int loop = 14 + commandLength;
        int loopLength = ((cue[loop] & 0xFF) << 8) | (cue[loop + 1] & 0xFF);
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        b.write(cue, 0, cue.length - 4);
        for (int i = 0; i < n; i++) {
            b.writeBytes(new byte[] {0x00, 0x08, 'C', 'U', 'E', 'I', 0, 0, 0x10, (byte) i});
        }
        byte[] longer = b.toByteArray();
        longer[loop] = (byte) ((loopLength + 10 * n) >> 8);
        longer[loop + 1] = (byte) (loopLength + 10 * n);
        return io.mcrsrt.ts.TestStreams.section(longer);
    }

    /** The cues a monitor decoded from two passes, and the length of a pass. */
    private record LoopedCues(List<io.mcrsrt.ts.scte35.SpliceInfoSection> cues, long durationTicks) {
    }

    /**
     * A 1.03 s file of a PAT, a PMT with an SCTE-35 PID 0x1F0, {@code cuePacket} on it and 100 PCR packets, played
     * twice through a looper into an SCTE-35 monitor.
     */
    private static LoopedCues loopTwice(String name, byte[] cuePacket) throws IOException {
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        b.writeBytes(io.mcrsrt.ts.TestStreams.sectionPacket(0, 0, io.mcrsrt.ts.TestStreams.pat(1, 0, 1, 0x1000)));
        b.writeBytes(io.mcrsrt.ts.TestStreams.sectionPacket(0x1000, 0,
                io.mcrsrt.ts.TestStreams.pmt(1, 0, 0x100, 0x1B, 0x100, 0x86, 0x1F0)));
        b.writeBytes(cuePacket);
        for (int i = 0; i < 100; i++) {
            b.writeBytes(io.mcrsrt.ts.TestStreams.pcrPacket(0x100, i, i * Pcr.HZ / 100, false));
        }
        Path file = dir.resolve(name);
        Files.write(file, b.toByteArray());
        List<io.mcrsrt.ts.scte35.SpliceInfoSection> cues = new java.util.ArrayList<>();
        io.mcrsrt.ts.scte35.Scte35Monitor monitor = new io.mcrsrt.ts.scte35.Scte35Monitor(c -> {
            assertThat(c.error()).isNull();
            cues.add(c.section());
        });
        try (TsLooper looper = TsLooper.open(file, 2)) {
            byte[] p = new byte[TsPacket.SIZE];
            TsPacket view = new TsPacket();
            while (looper.read(p, 0)) {
                monitor.accept(view.wrap(p, 0));
            }
            return new LoopedCues(cues, looper.durationTicks());
        }
    }

    @Test
    void aVariableRateFileHasItsPeakRateBesideItsAverage() throws IOException {
        // 3 s at 1 Mbit/s, then 2 s at 4 Mbit/s: a PCR every 40 ms with 27, then 108, packets per step.
        Path jump = dir.resolve("jump.ts");
        try (OutputStream out = Files.newOutputStream(jump)) {
            long pcr = 0;
            int cc = 0;
            for (int step = 0; step < 125; step++) {
                out.write(io.mcrsrt.ts.TestStreams.pcrPacket(0x100, cc++, pcr, false));
                for (int i = 1; i < (step < 75 ? 27 : 108); i++) {
                    out.write(io.mcrsrt.ts.TestStreams.packet(0x100, cc++, false));
                }
                pcr += Pcr.HZ / 25;
            }
        }
        double low = 27 * TsPacket.SIZE * 8 * 25.0;
        double high = 4 * low;
        var within = org.assertj.core.data.Percentage.withPercentage(2);
        try (TsLooper looper = TsLooper.open(jump, 0)) {
            assertThat((double) looper.bitsPerSecond()).as("average").isCloseTo((75 * low + 50 * high) / 125, within);
            assertThat((double) looper.peakBitsPerSecond()).as("peak").isCloseTo(high, within);
        }
        // Only the first 256 KiB read (2 s at 1 Mbit/s), and no background measurement for a file played once: its
        // peak is what that part shows.
        try (TsLooper looper = TsLooper.open(jump, 1, 256 << 10)) {
            assertThat((double) looper.peakBitsPerSecond()).as("peak of the first 256 KiB").isCloseTo(low, within);
        }
        try (TsLooper looper = TsLooper.open(jump, 0, 256 << 10)) {
            looper.durationTicks(); // waits for the measurement of the whole file
            assertThat((double) looper.peakBitsPerSecond()).as("peak once measured whole").isCloseTo(high, within);
        }
    }

    @Test
    void pesHeaderTooShortForItsTimestampsIsNeitherReadNorRewritten() {
        // PTS_DTS_flags say PTS and DTS, but PES_header_data_length is 0: the bytes after it are payload.
        byte[] pes = {0, 0, 1, (byte) 0xE0, 0, 0, (byte) 0x80, (byte) 0xC0, 0, 0x21, 0x00, 0x01, 0x00, 0x01, 0x11, 0x00,
            0x01, 0x00, 0x01, 0x55, 0x66};
        byte[] before = pes.clone();
        assertThat(io.mcrsrt.ts.PesHeader.decodeTime(pes, 0, pes.length)).isEqualTo(-1);
        TsLooper.shiftPes(pes, 0, pes.length, 90_000);
        assertThat(pes).isEqualTo(before);

        // The same header with PES_header_data_length 10 holds both: they are read and shifted.
        pes[8] = 10;
        Pcr.writeTimestamp(pes, 9, 1000);
        Pcr.writeTimestamp(pes, 14, 400);
        assertThat(io.mcrsrt.ts.PesHeader.decodeTime(pes, 0, pes.length)).isEqualTo(400);
        TsLooper.shiftPes(pes, 0, pes.length, 90_000);
        assertThat(Pcr.readTimestamp(pes, 9)).isEqualTo(91_000);
        assertThat(Pcr.readTimestamp(pes, 14)).isEqualTo(90_400);
    }
}
