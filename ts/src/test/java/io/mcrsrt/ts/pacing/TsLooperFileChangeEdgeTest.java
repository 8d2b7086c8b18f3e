package io.mcrsrt.ts.pacing;

import static io.mcrsrt.ts.pacing.Reports.assertNone;
import static org.assertj.core.api.Assertions.assertThat;

import io.mcrsrt.ts.Fixtures;
import io.mcrsrt.ts.TestStreams;
import io.mcrsrt.ts.TsPacket;
import io.mcrsrt.ts.analysis.AnalysisReport;
import io.mcrsrt.ts.analysis.Indicator;
import io.mcrsrt.ts.analysis.TsAnalyzer;
import io.mcrsrt.ts.pcr.Pcr;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file changed on disk while it loops, in the forms a playout folder sees: another packet size, an SCTE-35 PID, a
 * file deleted, a file played once, changes while the whole file is still being measured.
 */
class TsLooperFileChangeEdgeTest {
    @TempDir
    Path dir;

    private static Path written(Path file) throws IOException {
        Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.fromMillis(
                System.currentTimeMillis() - 10 * TsLooper.SETTLE_MILLIS));
        return file;
    }

    /** As a stream paced in real time finds a changed file's first bytes measured: see TsLooperFileChangeTest. */
    private static void awaitMeasured(TsLooper looper) {
        while (looper.measuringChange()) {
            java.util.concurrent.locks.LockSupport.parkNanos(100_000); // leaves the core to the measuring thread
        }
    }

    private static byte[] read(TsLooper looper, long count, ByteArrayOutputStream out) throws IOException {
        byte[] b = new byte[TsPacket.SIZE];
        for (long i = 0; i < count; i++) {
            awaitMeasured(looper);
            assertThat(looper.read(b, 0)).isTrue();
            out.write(b, 0, b.length);
        }
        return out.toByteArray();
    }

    private static AnalysisReport analysed(byte[] all) {
        TsAnalyzer a = new TsAnalyzer();
        a.acceptBytes(all, 0, all.length, -1);
        return a.report();
    }

    private static void clean(AnalysisReport r) {
        assertNone(r, Indicator.CONTINUITY_COUNT_ERROR, Indicator.PCR_DISCONTINUITY_INDICATOR_ERROR,
                Indicator.PCR_REPETITION_ERROR, Indicator.PAT_ERROR_2, Indicator.PMT_ERROR_2, Indicator.CRC_ERROR,
                Indicator.SYNC_BYTE_ERROR);
    }

    /** The 188-byte packets of {@code plain} as {@code size}-byte ones: M2TS (192) or with 16 bytes of parity (204). */
    private static byte[] packetsOf(byte[] plain, int size) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (int i = 0; i < plain.length; i += 188) {
            if (size == 192) {
                o.write(new byte[4], 0, 4);
            }
            o.write(plain, i, 188);
            if (size == 204) {
                o.write(new byte[16], 0, 16);
            }
        }
        return o.toByteArray();
    }

    /** A file replaced by one of {@code size}-byte packets, its streams and PCR on other PIDs. */
    private void replacedWithPacketsOf(int size) throws Exception {
        Path file = dir.resolve("play.ts");
        Files.copy(Fixtures.cbr8M(), file);
        long a = Files.size(file) / 188;
        Path staged = dir.resolve("s");
        written(Files.write(staged, packetsOf(Files.readAllBytes(Fixtures.cbr12MFromPidAt(0x300, 0)), size)));
        try (TsLooper looper = TsLooper.open(file, 0)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            read(looper, 100, out);
            Files.move(staged, file, StandardCopyOption.REPLACE_EXISTING);
            byte[] all = read(looper, a + 3 * Files.size(Fixtures.cbr12MFromPidAt(0x300, 0)) / 188, out);
            assertThat(looper.takeChange()).isPresent();
            clean(analysed(all));
            assertThat(looper.pcrPid()).isEqualTo(0x300);
        }
    }

    @Test
    void aFileReplacedByAnM2tsOneWithOtherPidsPlaysItAsEveryOther() throws Exception {
        replacedWithPacketsOf(192);
    }

    @Test
    void aFileReplacedByOneOf204BytePacketsWithOtherPidsPlaysItAsEveryOther() throws Exception {
        replacedWithPacketsOf(204);
    }

    @Test
    void scte35CuesOfTheNewContentFollowItsClock() throws Exception {
        Path file = dir.resolve("play.ts");
        Files.copy(Fixtures.cbr8M(), file);
        long a = Files.size(file) / 188;
        byte[] cue = java.util.Base64.getDecoder().decode(
                "/DAvAAAAAAAA///wFAVIAACPf+/+c2nALv4AUsz1AAAAAAAKAAhDVUVJAAABNWLbowo=");
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(TestStreams.sectionPacket(0, 0, TestStreams.pat(1, 0, 1, 0x1000)));
        b.writeBytes(TestStreams.sectionPacket(0x1000, 0, TestStreams.pmt(1, 0, 0x100, 0x1B, 0x100, 0x86, 0x1F0)));
        b.writeBytes(TestStreams.sectionPacket(0x1F0, 0, cue));
        for (int i = 0; i < 100; i++) {
            b.writeBytes(TestStreams.pcrPacket(0x100, i, i * Pcr.HZ / 100, false));
        }
        Path staged = written(Files.write(dir.resolve("s"), b.toByteArray()));
        List<io.mcrsrt.ts.scte35.SpliceInfoSection> cues = new ArrayList<>();
        io.mcrsrt.ts.scte35.Scte35Monitor monitor = new io.mcrsrt.ts.scte35.Scte35Monitor(c -> {
            assertThat(c.error()).isNull();
            cues.add(c.section());
        });
        try (TsLooper looper = TsLooper.open(file, 0)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            read(looper, 100, out);
            Files.move(staged, file, StandardCopyOption.REPLACE_EXISTING);
            byte[] all = read(looper, a - 100 + 103 * 2, out);
            TsPacket v = new TsPacket();
            long firstNew = -1;
            for (int i = 0; i < all.length; i += 188) {
                v.wrap(all, i);
                monitor.accept(v);
                if (v.hasPcr()) {
                    if (i / 188 >= a && firstNew < 0) {
                        firstNew = v.pcr();
                    }
                }
            }
            assertThat(cues).hasSize(2);
            // the cue file's clock starts at 0: its shift is where its first PCR went out
            long shift90 = Pcr.forward(0, firstNew) / 300;
            assertThat(cues.get(0).ptsAdjustment()).isEqualTo(shift90);
            assertThat(cues.get(1).ptsAdjustment() - cues.get(0).ptsAdjustment()).isEqualTo(Pcr.HZ * 103 / 100 / 300);
        }
    }

    @Test
    void aFileDeletedWhileItPlaysPlaysOn() throws Exception {
        Path file = dir.resolve("play.ts");
        Files.copy(Fixtures.cbr8M(), file);
        long a = Files.size(file) / 188;
        try (TsLooper looper = TsLooper.open(file, 0)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            read(looper, 100, out);
            Files.delete(file);
            byte[] all = read(looper, 3 * a, out);
            assertThat(looper.takeChange()).isEmpty();
            clean(analysed(all));
        }
    }

    @Test
    void aFilePlayedOnceIsPlayedAsItWasOpenedWhateverReplacesIt() throws Exception {
        Path file = dir.resolve("play.ts");
        Files.copy(Fixtures.cbr8M(), file);
        long a = Files.size(file) / 188;
        Path staged = written(Files.copy(Fixtures.uneven("aac"), dir.resolve("s")));
        try (TsLooper looper = TsLooper.open(file, 1)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            read(looper, 100, out);
            Files.move(staged, file, StandardCopyOption.REPLACE_EXISTING);
            byte[] all = read(looper, a - 100, out);
            assertThat(looper.read(new byte[188], 0)).isFalse();
            assertThat(looper.takeChange()).isEmpty();
            assertThat(all).isEqualTo(Files.readAllBytes(Fixtures.cbr8M()));
        }
    }

    private static List<Thread> scanThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> (t.getName().startsWith("ts-scan-") || t.getName().startsWith("ts-change-"))
                        && t.isAlive()).toList();
    }

    private static long openFds(Path dir) throws IOException {
        try (var s = Files.list(Path.of("/proc/self/fd"))) {
            return s.filter(p -> {
                try {
                    return Files.readSymbolicLink(p).startsWith(dir);
                } catch (IOException e) {
                    return false;
                }
            }).count();
        }
    }

    @Test
    void changesWhileTheWholeFileIsMeasuredLeaveNoMeasurementNorFileOpenOnceClosed() throws Exception {
        Path file = dir.resolve("big.ts");
        // beyond 32 MiB, measured in the background at open; beyond 4 MiB, measured in the background when changed
        ByteArrayOutputStream big = new ByteArrayOutputStream();
        byte[] one = Files.readAllBytes(Fixtures.cbr12MFromPidAt(0x300, 0));
        while (big.size() < (34 << 20)) {
            big.writeBytes(one);
        }
        ByteArrayOutputStream bigA = new ByteArrayOutputStream();
        byte[] a8 = Files.readAllBytes(Fixtures.cbr8M());
        while (bigA.size() < (34 << 20)) {
            bigA.writeBytes(a8);
        }
        Files.write(file, bigA.toByteArray());
        try (TsLooper looper = TsLooper.open(file, 0)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            read(looper, 1000, out);
            for (int k = 0; k < 3; k++) {
                Path staged = written(Files.write(dir.resolve("s" + k),
                        k % 2 == 0 ? big.toByteArray() : bigA.toByteArray()));
                Files.move(staged, file, StandardCopyOption.REPLACE_EXISTING);
                read(looper, 3000, out);
            }
            // written over in place too, then played until it is taken up (at the loop point of the one opened)
            written(Files.write(file, big.toByteArray()));
            byte[] b = new byte[TsPacket.SIZE];
            while (looper.takeChange().isEmpty()) {
                awaitMeasured(looper);
                assertThat(looper.read(b, 0)).isTrue();
            }
        }
        for (Thread t : scanThreads()) {
            t.join();
        }
        assertThat(openFds(dir)).isZero();
    }

    @Test
    void aFileReplacedByOneBeyond32MibLoopsItOnItsWholeMeasurement() throws Exception {
        Path file = dir.resolve("play.ts");
        Files.copy(Fixtures.cbr8M(), file);
        long a = Files.size(file) / TsPacket.SIZE;
        // copies of one recording joined: its clock jumps back at each join, as two recordings joined do
        ByteArrayOutputStream big = new ByteArrayOutputStream();
        byte[] one = Files.readAllBytes(Fixtures.cbr12MFromPidAt(0x300, 0));
        while (big.size() < (34 << 20)) {
            big.writeBytes(one);
        }
        Path staged = written(Files.write(dir.resolve("s"), big.toByteArray()));
        try (TsLooper looper = TsLooper.open(file, 0)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            read(looper, 100, out);
            Files.move(staged, file, StandardCopyOption.REPLACE_EXISTING);
            byte[] all = read(looper, a - 100 + 2 * big.size() / TsPacket.SIZE + 1000, out);
            assertThat(looper.takeChange()).isPresent();
            assertThat(looper.packetsPerPass()).isEqualTo(big.size() / TsPacket.SIZE);
            AnalysisReport r = analysed(all);
            assertThat(r.count(Indicator.CRC_ERROR)).isZero();
            assertThat(r.count(Indicator.PAT_ERROR_2)).isZero();
            assertThat(r.count(Indicator.PMT_ERROR_2)).isZero();
            assertThat(r.count(Indicator.PCR_REPETITION_ERROR)).isZero();
            // the joins inside it break continuity and jump the clock unflagged, in each pass as in the file; the
            // seams the looper makes (to it, and between its passes) add nothing
            AnalysisReport inFile = analysed(big.toByteArray());
            for (Indicator i : new Indicator[] {Indicator.CONTINUITY_COUNT_ERROR,
                    Indicator.PCR_DISCONTINUITY_INDICATOR_ERROR}) {
                assertThat(inFile.count(i)).as("%s in the file", i.label()).isPositive();
                assertThat(r.count(i)).as(i.label()).isEqualTo(2 * inFile.count(i));
            }
        }
    }
}
