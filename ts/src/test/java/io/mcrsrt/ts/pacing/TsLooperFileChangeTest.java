package io.mcrsrt.ts.pacing;

import static io.mcrsrt.ts.pacing.Reports.assertNone;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mcrsrt.ts.Fixtures;
import io.mcrsrt.ts.TsException;
import io.mcrsrt.ts.TsPacket;
import io.mcrsrt.ts.analysis.AnalysisReport;
import io.mcrsrt.ts.analysis.Indicator;
import io.mcrsrt.ts.analysis.TsAnalyzer;
import io.mcrsrt.ts.pcr.Pcr;
import io.mcrsrt.ts.psi.Crc32Mpeg;
import io.mcrsrt.ts.psi.Pat;
import io.mcrsrt.ts.psi.Pmt;
import io.mcrsrt.ts.psi.PsiTracker;
import io.mcrsrt.ts.psi.Sdt;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Optional;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A file written over or replaced on disk while it loops: taken up at the loop point (see {@link TsLooper}). */
class TsLooperFileChangeTest {
    @TempDir
    Path dir;

    /** Packets read from a looper, with the index of the first that came after the file changed. */
    private static final class Played {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        long packets;
        /** What the looper said of the change {@link #readThroughChange} read through. */
        String change;

        void read(TsLooper looper, long count) throws IOException {
            byte[] b = new byte[TsPacket.SIZE];
            for (long i = 0; i < count; i++) {
                awaitMeasured(looper);
                assertThat(looper.read(b, 0)).as("packet %d", packets).isTrue();
                bytes.write(b, 0, b.length);
                packets++;
            }
        }

        /** Reads until the looper has taken up a change, then {@code after} more; returns its first packet played. */
        long readThroughChange(TsLooper looper, long after) throws IOException {
            byte[] b = new byte[TsPacket.SIZE];
            long changedAt = -1;
            while (changedAt < 0) {
                awaitMeasured(looper);
                assertThat(looper.read(b, 0)).as("packet %d", packets).isTrue();
                bytes.write(b, 0, b.length);
                Optional<String> said = looper.takeChange();
                if (said.isPresent()) {
                    changedAt = packets;
                    change = said.get();
                }
                packets++;
            }
            read(looper, after);
            return changedAt;
        }

        /**
         * Waits for a changed file's measurement to finish before the next packet, as a stream paced in real time
         * finds it finished from local storage: read as fast as they can be, the packets would otherwise be the
         * fill's while it reads, as many as the reading thread is slower than this one.
         */
        static void awaitMeasured(TsLooper looper) {
            while (looper.measuringChange()) {
                java.util.concurrent.locks.LockSupport.parkNanos(100_000); // leaves the core to the measuring thread
            }
        }

        byte[] packet(long index) {
            byte[] all = bytes.toByteArray();
            return Arrays.copyOfRange(all, (int) (index * TsPacket.SIZE), (int) ((index + 1) * TsPacket.SIZE));
        }

        /**
         * Whether the packets from {@code index} on are {@code content}'s from its start: compared on the first packet
         * there that is payload only and starts nothing, whose bytes after the header the looper leaves as they are.
         */
        boolean continuesWith(long index, byte[] content) {
            TsPacket p = new TsPacket();
            for (int k = 0; (k + 1) * TsPacket.SIZE <= content.length; k++) {
                p.wrap(content, k * TsPacket.SIZE);
                if (p.hasPayload() && !p.payloadUnitStart() && p.payloadOffset() == 4) {
                    byte[] played = packet(index + k);
                    return Arrays.equals(played, 4, TsPacket.SIZE, content, k * TsPacket.SIZE + 4,
                            (k + 1) * TsPacket.SIZE);
                }
            }
            return false;
        }

        AnalysisReport analysed() {
            TsAnalyzer analyzer = new TsAnalyzer();
            byte[] all = bytes.toByteArray();
            analyzer.acceptBytes(all, 0, all.length, -1);
            return analyzer.report();
        }
    }

    /** Makes {@code file} look written a while ago, as a copy that has finished: see TsLooper.SETTLE_MILLIS. */
    private static Path written(Path file) throws IOException {
        Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.fromMillis(
                System.currentTimeMillis() - 10 * TsLooper.SETTLE_MILLIS));
        return file;
    }

    @Test
    void aFileWrittenOverInPlaceIsTakenUpAtTheLoopPointWithItsClockCarriedOnAndTheSeamFlagged() throws Exception {
        Path file = dir.resolve("play.ts");
        Files.copy(Fixtures.cbr8M(), file);
        long first = Files.size(file) / TsPacket.SIZE;
        Path next = Fixtures.uneven("aac");
        try (TsLooper looper = TsLooper.open(file, 0)) {
            Played out = new Played();
            out.read(looper, first - 1);
            // as cp writes over a file: the same inode, truncated and written; shorter than where the reader is
            written(Files.write(file, Files.readAllBytes(next)));
            long changedAt = out.readThroughChange(looper, 2 * Files.size(next) / TsPacket.SIZE);

            assertThat(out.change).startsWith("play.ts changed on disk: its new content plays from its start (")
                    .endsWith(" Mbit/s), the clock carried on and its first PCR flagged as a discontinuity");
            assertThat(looper.takeChange()).as("said once").isEmpty();
            // at the loop point, after the fill while its first bytes were measured
            assertThat(changedAt).isGreaterThanOrEqualTo(first);
            assertThat(out.continuesWith(changedAt, Files.readAllBytes(next))).as("the new content from its start")
                    .isTrue();
            TsPacket p = new TsPacket();
            long lastPcr = -1;
            long firstNewPcr = -1;
            boolean flagged = false;
            for (long i = 0; i < out.packets; i++) {
                p.wrap(out.packet(i), 0);
                if (p.hasPcr()) {
                    if (i < changedAt) {
                        lastPcr = p.pcr();
                    } else if (firstNewPcr < 0) {
                        firstNewPcr = p.pcr();
                        flagged = p.discontinuityIndicator();
                    }
                }
            }
            assertThat(flagged).as("first PCR of the new content flagged").isTrue();
            assertThat(Pcr.delta(lastPcr, firstNewPcr)).as("the clock carried on across the change")
                    .isBetween(0L, 100 * Pcr.HZ / 1000);
            AnalysisReport r = out.analysed();
            assertNone(r, Indicator.CONTINUITY_COUNT_ERROR, Indicator.PCR_DISCONTINUITY_INDICATOR_ERROR,
                    Indicator.SYNC_BYTE_ERROR);
            assertThat(looper.bitsPerSecond()).as("measured afresh").isLessThan(4_000_000);
        }
    }

    @Test
    void aFileReplacedByAnotherUnderItsNamePlaysItsPassToTheEndThenTheNewOne() throws Exception {
        Path file = dir.resolve("play.ts");
        Files.copy(Fixtures.cbr8M(), file);
        long first = Files.size(file) / TsPacket.SIZE;
        Path staged = dir.resolve("staged.ts");
        written(Files.copy(Fixtures.uneven("aac"), staged));
        try (TsLooper looper = TsLooper.open(file, 0)) {
            Played out = new Played();
            out.read(looper, first / 2);
            Files.move(staged, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            out.read(looper, first - first / 2 + 10);
            assertThat(looper.takeChange()).hasValueSatisfying(c -> assertThat(c).startsWith(
                    "play.ts changed on disk: its new content plays from its start"));
            assertThat(out.continuesWith(0, Files.readAllBytes(Fixtures.cbr8M()))).isTrue();
            // the one opened plays to its end, the new one from its start after it
            assertThat(out.continuesWith(first, Files.readAllBytes(Fixtures.uneven("aac")))).isTrue();
            assertThat(out.analysed().count(Indicator.CONTINUITY_COUNT_ERROR)).isZero();
        }
    }

    @Test
    void aReplacementThatCannotBePlayedIsRefusedOnceAndTheFileOpenedPlaysOn() throws Exception {
        Path file = dir.resolve("play.ts");
        Files.copy(Fixtures.cbr8M(), file);
        long first = Files.size(file) / TsPacket.SIZE;
        Path staged = dir.resolve("staged.ts");
        byte[] garbage = new byte[100_000];
        Arrays.fill(garbage, (byte) 0x55);
        written(Files.write(staged, garbage));
        try (TsLooper looper = TsLooper.open(file, 0)) {
            Played out = new Played();
            out.read(looper, 100);
            Files.move(staged, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            out.read(looper, 3 * first);
            assertThat(looper.takeChange()).hasValue("play.ts was replaced on disk by a file that cannot be played"
                    + " (it holds no MPEG-TS packets); the one opened before plays on. Put a playable .ts file in"
                    + " its place");
            out.read(looper, first);
            assertThat(looper.takeChange()).as("not tried again until it changes once more").isEmpty();
            AnalysisReport r = out.analysed();
            assertThat(r.count(Indicator.CONTINUITY_COUNT_ERROR)).isZero();
            assertThat(r.count(Indicator.PCR_DISCONTINUITY_INDICATOR_ERROR)).isZero();
        }
    }

    @Test
    void aFileEmptiedInPlaceIsWaitedForWithPcrsAndTablesUntilItPlays() throws Exception {
        Path file = dir.resolve("play.ts");
        Files.copy(Fixtures.cbr8M(), file);
        long first = Files.size(file) / TsPacket.SIZE;
        try (TsLooper looper = TsLooper.open(file, 0)) {
            Played out = new Played();
            out.read(looper, first - 1);
            written(Files.write(file, new byte[0]));
            out.read(looper, 2000);
            assertThat(looper.takeChange()).hasValue("play.ts changed on disk and cannot be played yet (it holds no"
                    + " MPEG-TS packets): null packets with PCRs and tables go out meanwhile, for at most 10 s");
            TsPacket p = new TsPacket();
            int pcrs = 0;
            int pats = 0;
            for (long i = first; i < out.packets; i++) {
                p.wrap(out.packet(i), 0);
                assertThat(p.pid()).as("packet %d of the wait", i).isIn(0, 0x1000, 0x100, TsPacket.NULL_PID);
                pcrs += p.hasPcr() ? 1 : 0;
                pats += p.pid() == 0 ? 1 : 0;
            }
            // 2000 packets at 8 Mbit/s are 376 ms: a PCR every 20 ms and the tables every 100 ms, as the file had
            assertThat(pcrs).isBetween(15, 20);
            assertThat(pats).isBetween(3, 4);
            written(Files.write(file, Files.readAllBytes(Fixtures.uneven("aac"))));
            out.read(looper, 1000);
            assertThat(looper.takeChange()).hasValueSatisfying(c -> assertThat(c).startsWith(
                    "play.ts changed on disk and is playable now: its new content plays from its start"));
            assertNone(out.analysed(), Indicator.CONTINUITY_COUNT_ERROR, Indicator.PAT_ERROR_2,
                    Indicator.PCR_DISCONTINUITY_INDICATOR_ERROR, Indicator.PCR_REPETITION_ERROR);
        }
    }

    @Test
    void aFileStampedAheadOfThisMachinesClockIsTakenUpOnceItHasLookedAlikeForAMoment() throws Exception {
        // A file server whose clock runs an hour ahead: by its modification time the copy would never have finished.
        Path file = dir.resolve("play.ts");
        Files.copy(Fixtures.cbr8M(), file);
        try (TsLooper looper = TsLooper.open(file, 0)) {
            Played out = new Played();
            out.read(looper, 1000);
            Files.write(file, Files.readAllBytes(Fixtures.uneven("aac")));
            Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.fromMillis(
                    System.currentTimeMillis() + 3_600_000));
            out.read(looper, 2 * TsLooper.LOOK_EVERY_PACKETS);
            assertThat(looper.takeChange()).hasValueSatisfying(c -> assertThat(c).contains("(it is being written)"));
            Optional<String> change = Optional.empty();
            while (change.isEmpty() && out.packets < 200_000) {
                out.read(looper, TsLooper.LOOK_EVERY_PACKETS);
                change = looper.takeChange();
                Thread.sleep(5); // the wait's fill is read faster than it would be played: give the clock its turn
            }
            assertThat(change).hasValueSatisfying(c -> assertThat(c).startsWith(
                    "play.ts changed on disk and is playable now: its new content plays from its start"));
        }
    }

    @Test
    void aFileBeingWrittenIsWaitedForUntilTheWritingStopsEvenWhereItCouldPlay() throws Exception {
        Path file = dir.resolve("play.ts");
        Files.copy(Fixtures.cbr8M(), file);
        try (TsLooper looper = TsLooper.open(file, 0)) {
            Played out = new Played();
            out.read(looper, 1000);
            // half of the new file, just written: a copy under way, looked at in the middle of the pass
            byte[] next = Files.readAllBytes(Fixtures.uneven("aac"));
            Files.write(file, Arrays.copyOf(next, next.length / 2 / TsPacket.SIZE * TsPacket.SIZE));
            out.read(looper, 2 * TsLooper.LOOK_EVERY_PACKETS);
            assertThat(looper.takeChange()).hasValue("play.ts changed on disk and cannot be played yet (it is being"
                    + " written): null packets with PCRs and tables go out meanwhile, for at most 10 s");
            written(Files.write(file, next));
            out.read(looper, 1000);
            assertThat(looper.takeChange()).hasValueSatisfying(c -> assertThat(c).startsWith(
                    "play.ts changed on disk and is playable now: its new content plays from its start"));
            // From the wait on (before it: the new content read at the old one's place until the look): the fill,
            // then the new content with its first PCR flagged, continuity carried on, in the first pass as in any.
            byte[] all = out.bytes.toByteArray();
            int from = (1000 + 2 * TsLooper.LOOK_EVERY_PACKETS) * TsPacket.SIZE;
            TsAnalyzer analyzer = new TsAnalyzer();
            analyzer.acceptBytes(all, from, all.length - from, -1);
            AnalysisReport r = analyzer.report();
            assertNone(r, Indicator.CONTINUITY_COUNT_ERROR, Indicator.PCR_DISCONTINUITY_INDICATOR_ERROR);
            TsPacket p = new TsPacket();
            long flagged = 0;
            for (long i = from / TsPacket.SIZE; i < out.packets; i++) {
                p.wrap(out.packet(i), 0);
                flagged += p.hasPcr() && p.discontinuityIndicator() ? 1 : 0;
            }
            assertThat(flagged).as("the new content's first PCR").isOne();
        }
    }

    @Test
    void aFileWrittenOverWithWhatNeverPlaysEndsTheStreamAfterTenSecondsNamingWhy() throws Exception {
        Path file = dir.resolve("play.ts");
        Files.copy(Fixtures.cbr8M(), file);
        long first = Files.size(file) / TsPacket.SIZE;
        try (TsLooper looper = TsLooper.open(file, 0)) {
            Played out = new Played();
            out.read(looper, first - 1);
            byte[] garbage = new byte[10_000];
            Arrays.fill(garbage, (byte) 0x55);
            written(Files.write(file, garbage));
            byte[] b = new byte[TsPacket.SIZE];
            assertThatThrownBy(() -> {
                while (true) {
                    Played.awaitMeasured(looper);
                    if (!looper.read(b, 0)) {
                        break;
                    }
                    out.packets++;
                }
            }).isInstanceOf(TsException.class).hasMessage("play.ts changed on disk and has not become playable"
                    + " within 10 s: it holds no MPEG-TS packets. Put a playable .ts file in its place, then start"
                    + " the stream again");
            // ten seconds of the file's 8 Mbit/s in fill
            assertThat(out.packets - first).isBetween(52_000L, 54_000L);
        }
    }

    /** A PAT or PMT section as it went out: the packet it ended in, its PID, version_number, whether its CRC holds. */
    private record SentTable(long packet, int pid, int version, boolean crcOk) {}

    private static List<SentTable> tables(Played out) {
        List<SentTable> sent = new ArrayList<>();
        long[] at = {0};
        PsiTracker tracker = new PsiTracker((pid, s, length) -> {
            if ((s[0] == Pat.TABLE_ID && pid == 0) || s[0] == Pmt.TABLE_ID) {
                sent.add(new SentTable(at[0], pid, (s[5] >> 1) & 0x1F, Crc32Mpeg.verify(s, 0, length)));
            }
        });
        TsPacket p = new TsPacket();
        byte[] all = out.bytes.toByteArray();
        for (; at[0] < out.packets; at[0]++) {
            tracker.accept(p.wrap(all, (int) (at[0] * TsPacket.SIZE)));
        }
        assertThat(tracker.crcErrors()).as("sections whose CRC_32 does not hold").isZero();
        return sent;
    }

    private static Path staged(Path dir, Path content) throws IOException {
        return written(Files.copy(content, dir.resolve("staged.ts"), StandardCopyOption.REPLACE_EXISTING));
    }

    @Test
    void aTableThatChangedUnderTheSameVersionGoesOutAsTheNextVersionAndOneThatDidNotKeepsItsOwn() throws Exception {
        // Both files as ffmpeg makes them: PAT and PMT (PID 0x1000) at version 0; the second's streams on 0x200 on.
        Path file = dir.resolve("play.ts");
        Files.copy(Fixtures.cbr8M(), file);
        long a = Files.size(file) / TsPacket.SIZE;
        long b = Files.size(Fixtures.cbr12MFromPidAt(0x200, 0)) / TsPacket.SIZE;
        long bAgain = Files.size(Fixtures.cbr12MFromPidAt(0x200, 10)) / TsPacket.SIZE;
        try (TsLooper looper = TsLooper.open(file, 0)) {
            Played out = new Played();
            out.read(looper, a / 2);
            Files.move(staged(dir, Fixtures.cbr12MFromPidAt(0x200, 0)), file, StandardCopyOption.REPLACE_EXISTING);
            long toB = out.readThroughChange(looper, 2 * b);
            // the same tables again under another recording: kept as they went out
            Files.move(staged(dir, Fixtures.cbr12MFromPidAt(0x200, 10)), file, StandardCopyOption.REPLACE_EXISTING);
            out.readThroughChange(looper, 2 * bAgain);
            // the first file back: its PMT differs from the one last sent, and so does its version
            Files.move(staged(dir, Fixtures.cbr8M()), file, StandardCopyOption.REPLACE_EXISTING);
            long toA = out.readThroughChange(looper, 2 * a);
            assertThat(out.continuesWith(toB, Files.readAllBytes(Fixtures.cbr12MFromPidAt(0x200, 0)))).isTrue();
            assertThat(out.continuesWith(toA, Files.readAllBytes(Fixtures.cbr8M()))).isTrue();

            List<SentTable> sent = tables(out);
            assertThat(sent).allSatisfy(t -> assertThat(t.crcOk()).as("CRC_32 of %s", t).isTrue());
            assertThat(sent).filteredOn(t -> t.pid() == 0).extracting(SentTable::version).as("the PAT, unchanged")
                    .containsOnly(0);
            List<SentTable> pmts = sent.stream().filter(t -> t.pid() == 0x1000).toList();
            assertThat(pmts).filteredOn(t -> t.packet() < toB).extracting(SentTable::version).containsOnly(0);
            assertThat(pmts).filteredOn(t -> t.packet() >= toB && t.packet() < toA).extracting(SentTable::version)
                    .as("the second file's PMT, in every pass").isNotEmpty().containsOnly(1);
            assertThat(pmts).filteredOn(t -> t.packet() >= toA).extracting(SentTable::version).isNotEmpty()
                    .containsOnly(0);
        }
    }

    @Test
    void aPmtChangedUnderTheSameVersionIsTakenUpByATrackerThatKnewTheOldOne() throws Exception {
        Path file = dir.resolve("play.ts");
        Files.copy(Fixtures.cbr8M(), file);
        long a = Files.size(file) / TsPacket.SIZE;
        try (TsLooper looper = TsLooper.open(file, 0)) {
            Played out = new Played();
            out.read(looper, 1000);
            Files.move(staged(dir, Fixtures.cbr12MFromPidAt(0x200, 0)), file, StandardCopyOption.REPLACE_EXISTING);
            out.read(looper, a);
            PsiTracker tracker = new PsiTracker();
            TsPacket p = new TsPacket();
            byte[] all = out.bytes.toByteArray();
            for (int i = 0; i < out.packets; i++) {
                tracker.accept(p.wrap(all, i * TsPacket.SIZE));
            }
            assertThat(tracker.versionChanges()).as("the PMT's, not the PAT's").isOne();
            assertThat(tracker.firstPmt().version()).isOne();
            assertThat(tracker.firstPmt().streams()).extracting(Pmt.Stream::pid).containsExactly(0x200, 0x201);
        }
    }

    @Test
    void aFileWrittenOverInPlaceDuringTheFillBetweenPassesIsTakenUpWhenTheFillEnds() throws Exception {
        // the audio of this file plays on after its last PCR: null packets fill the gap before each next pass
        Path file = dir.resolve("play.ts");
        Files.copy(Fixtures.uneven("aac"), file);
        long first = Files.size(file) / TsPacket.SIZE;
        // its timestamps 10 s on: read at the place of the old content, they would jump with no flag
        byte[] next = Files.readAllBytes(Fixtures.cbr8MAt(10));
        try (TsLooper looper = TsLooper.open(file, 0)) {
            Played out = new Played();
            out.read(looper, first + 1);
            written(Files.write(file, next));
            out.read(looper, next.length / TsPacket.SIZE);
            assertThat(looper.takeChange()).isPresent();
            assertNone(out.analysed(), Indicator.CONTINUITY_COUNT_ERROR, Indicator.PCR_DISCONTINUITY_INDICATOR_ERROR,
                    Indicator.PCR_REPETITION_ERROR);
        }
    }

    @Test
    void aFileWrittenOverInPlaceWhoseNewPmtWentOutAtTheOldOnesPlaceStillSendsItAsTheNextVersion() throws Exception {
        // Between the write and the next look at the file, the reader reads the new content at the old one's place:
        // here a PMT of it goes out then, under the old one's version. The tables that count are the old content's.
        Path file = dir.resolve("play.ts");
        Files.copy(Fixtures.cbr8M(), file);
        byte[] next = Files.readAllBytes(Fixtures.cbr12MFromPidAt(0x200, 0));
        TsPacket p = new TsPacket();
        int pmtAt = -1;
        for (int k = TsLooper.LOOK_EVERY_PACKETS; pmtAt < 0; k++) {
            p.wrap(next, k * TsPacket.SIZE);
            // beyond what the reader had read ahead before the write (a buffer of 64 packets)
            int sinceLook = k % TsLooper.LOOK_EVERY_PACKETS;
            if (p.pid() == 0x1000 && p.payloadUnitStart() && sinceLook >= 128 && sinceLook < 250) {
                pmtAt = k;
            }
        }
        try (TsLooper looper = TsLooper.open(file, 0)) {
            Played out = new Played();
            out.read(looper, pmtAt / TsLooper.LOOK_EVERY_PACKETS * TsLooper.LOOK_EVERY_PACKETS);
            written(Files.write(file, next));
            long changedAt = out.readThroughChange(looper, next.length / TsPacket.SIZE);
            assertThat(changedAt).as("taken up at the next look").isLessThan(pmtAt + TsLooper.LOOK_EVERY_PACKETS);

            List<SentTable> pmts = tables(out).stream().filter(t -> t.pid() == 0x1000).toList();
            assertThat(pmts).filteredOn(t -> t.packet() < changedAt).extracting(SentTable::version).containsOnly(0);
            assertThat(pmts).filteredOn(t -> t.packet() >= changedAt).extracting(SentTable::version).isNotEmpty()
                    .containsOnly(1);
        }
    }

    @Test
    void aFileReplacedWhileItsAudioPlaysPastItsLastPcrHasThatAudioFilledOutBeforeTheNewContent() throws Exception {
        Path file = dir.resolve("play.ts");
        Files.copy(Fixtures.uneven("aac"), file);
        long first = Files.size(file) / TsPacket.SIZE;
        Path staged = dir.resolve("staged.ts");
        written(Files.copy(Fixtures.cbr8MAt(10), staged));
        try (TsLooper looper = TsLooper.open(file, 0)) {
            Played out = new Played();
            out.read(looper, first / 2);
            Files.move(staged, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            long changedAt = out.readThroughChange(looper, 1000);
            // as between two passes of the file: null packets, PCRs and tables until its last audio has played
            assertThat(changedAt).as("the fill after the pass").isGreaterThan(first);
            TsPacket p = new TsPacket();
            for (long k = first; k < changedAt; k++) {
                p.wrap(out.packet(k), 0);
                assertThat(p.pid() == TsPacket.NULL_PID || !p.hasPayload() || p.pid() == 0 || p.pid() == 0x1000)
                        .as("packet %d of the fill", k).isTrue();
            }
            assertThat(out.continuesWith(changedAt, Files.readAllBytes(Fixtures.cbr8MAt(10)))).isTrue();
            assertNone(out.analysed(), Indicator.CONTINUITY_COUNT_ERROR, Indicator.PCR_DISCONTINUITY_INDICATOR_ERROR,
                    Indicator.PCR_REPETITION_ERROR);
        }
    }

    @Test
    void aPatThatChangedUnderTheSameVersionGoesOutAsTheNextVersionAndAPmtOnANewPidAsItIs() throws Exception {
        // the first file again with its PMT on PID 0x1100: its PAT differs from the first's, under version 0 too
        Path moved = dir.resolve("pmt-1100.ts");
        Fixtures.run(List.of("ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-i", Fixtures.cbr8M().toString(),
                "-c", "copy", "-f", "mpegts", "-mpegts_pmt_start_pid", "0x1100", "-muxrate", "8000k", "-pcr_period",
                "20", moved.toString()), 60);
        Path file = dir.resolve("play.ts");
        Files.copy(Fixtures.cbr8M(), file);
        long a = Files.size(file) / TsPacket.SIZE;
        try (TsLooper looper = TsLooper.open(file, 0)) {
            Played out = new Played();
            out.read(looper, a / 2);
            Files.move(staged(dir, moved), file, StandardCopyOption.REPLACE_EXISTING);
            long changedAt = out.readThroughChange(looper, 2 * a);

            List<SentTable> sent = tables(out);
            assertThat(sent).allSatisfy(t -> assertThat(t.crcOk()).as("CRC_32 of %s", t).isTrue());
            assertThat(sent).filteredOn(t -> t.pid() == 0 && t.packet() < changedAt).extracting(SentTable::version)
                    .containsOnly(0);
            assertThat(sent).filteredOn(t -> t.pid() == 0 && t.packet() >= changedAt).extracting(SentTable::version)
                    .isNotEmpty().containsOnly(1);
            assertThat(sent).filteredOn(t -> t.pid() == 0x1100).extracting(SentTable::version).isNotEmpty()
                    .containsOnly(0);
        }
    }

    @Test
    void anSdtThatChangedUnderTheSameVersionGoesOutAsTheNextVersionSoTheNewServiceNameIsTakenUp() throws Exception {
        // the first file again under another service name and provider: its SDT differs, under version 0 too
        Path renamed = dir.resolve("sport.ts");
        Fixtures.run(List.of("ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-i", Fixtures.cbr8M().toString(),
                "-c", "copy", "-f", "mpegts", "-muxrate", "8000k", "-pcr_period", "20", "-metadata",
                "service_name=Sport", "-metadata", "service_provider=Other", renamed.toString()), 60);
        Path file = dir.resolve("play.ts");
        Files.copy(Fixtures.cbr8M(), file);
        long a = Files.size(file) / TsPacket.SIZE;
        try (TsLooper looper = TsLooper.open(file, 0)) {
            Played out = new Played();
            out.read(looper, a / 2);
            Files.move(staged(dir, renamed), file, StandardCopyOption.REPLACE_EXISTING);
            long changedAt = out.readThroughChange(looper, 2 * a);

            record SentSdt(long packet, int version, boolean crcOk, String name) {}
            List<SentSdt> sent = new ArrayList<>();
            long[] at = {0};
            PsiTracker tracker = new PsiTracker((pid, s, length) -> {
                if (pid == Sdt.PID && (s[0] & 0xFF) == Sdt.TABLE_ID_ACTUAL) {
                    sent.add(new SentSdt(at[0], (s[5] >> 1) & 0x1F, Crc32Mpeg.verify(s, 0, length),
                            Sdt.parse(s, 0, length).services().getFirst().serviceName()));
                }
            });
            TsPacket p = new TsPacket();
            byte[] all = out.bytes.toByteArray();
            for (; at[0] < out.packets; at[0]++) {
                tracker.accept(p.wrap(all, (int) (at[0] * TsPacket.SIZE)));
            }
            assertThat(sent).allSatisfy(t -> assertThat(t.crcOk()).as("CRC_32 of %s", t).isTrue());
            assertThat(sent).filteredOn(t -> t.packet() < changedAt).extracting(SentSdt::version, SentSdt::name)
                    .isNotEmpty().containsOnly(org.assertj.core.groups.Tuple.tuple(0, "Service01"));
            assertThat(sent).filteredOn(t -> t.packet() >= changedAt).extracting(SentSdt::version, SentSdt::name)
                    .isNotEmpty().containsOnly(org.assertj.core.groups.Tuple.tuple(1, "Sport"));
            // a receiver that keeps a table until its version changes
            assertThat(tracker.sdt().services().getFirst().providerName()).isEqualTo("Other");
            assertThat(tables(out)).as("the PAT and the PMT, unchanged").extracting(SentTable::version)
                    .containsOnly(0);
        }
    }

    @Test
    void aChangedFileOnSlowStorageIsMeasuredWhileTheFillGoesOutWithPcrsAtMost40MsApart() throws Exception {
        // storage that takes its time: the change's measurement reads nothing until two seconds of the stream have gone
        Path file = dir.resolve("play.ts");
        Files.copy(Fixtures.cbr8M(), file);
        long first = Files.size(file) / TsPacket.SIZE;
        byte[] next = Files.readAllBytes(Fixtures.cbr8MAt(10));
        long twoSeconds = 2 * 8_000_000 / (8 * TsPacket.SIZE);
        Thread reading = Thread.currentThread();
        java.util.concurrent.CountDownLatch stored = new java.util.concurrent.CountDownLatch(1);
        try (TsLooper looper = TsLooper.open(file, 0)) {
            looper.beforeMeasuringChange(() -> {
                if (Thread.currentThread() == reading) {
                    throw new IllegalStateException("measured on the thread that reads the stream: it holds it up");
                }
                try {
                    stored.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            Played out = new Played();
            out.read(looper, first - 1);
            written(Files.write(file, next));
            byte[] b = new byte[TsPacket.SIZE];
            for (long i = 0; i < twoSeconds; i++) {
                assertThat(looper.read(b, 0)).as("packet %d", out.packets).isTrue();
                out.bytes.write(b, 0, b.length);
                out.packets++;
            }
            assertThat(looper.takeChange()).as("a measurement alone is not an operator's concern").isEmpty();
            stored.countDown();
            long changedAt = out.readThroughChange(looper, next.length / TsPacket.SIZE);

            assertThat(changedAt).as("the fill until measured, the new content then").isEqualTo(first - 1 + twoSeconds);
            assertThat(out.change).startsWith("play.ts changed on disk: its new content plays from its start");
            assertThat(out.continuesWith(changedAt, next)).isTrue();
            TsPacket p = new TsPacket();
            long lastPcr = -1;
            for (long k = 0; k < out.packets; k++) {
                p.wrap(out.packet(k), 0);
                if (k >= first && k < changedAt) {
                    assertThat(p.pid() == TsPacket.NULL_PID || p.pid() == 0 || p.pid() == 0x1000
                            || p.pid() == 0x100 && !p.hasPayload()).as("packet %d of the fill", k).isTrue();
                }
                if (p.pid() == 0x100 && p.hasPcr()) {
                    if (lastPcr >= 0) {
                        assertThat(Pcr.delta(lastPcr, p.pcr())).as("PCR step at packet %d", k)
                                .isBetween(1L, Pcr.HZ / 25);
                    }
                    lastPcr = p.pcr();
                }
            }
            assertNone(out.analysed(), Indicator.CONTINUITY_COUNT_ERROR, Indicator.PCR_DISCONTINUITY_INDICATOR_ERROR,
                    Indicator.PCR_REPETITION_ERROR);
        }
    }

    @Test
    void aReplacementStillBeingMeasuredAtTheLoopPointIsWaitedForAndIfItCannotBePlayedTheFileOpenedPlaysOn()
            throws Exception {
        Path file = dir.resolve("play.ts");
        Files.copy(Fixtures.cbr8M(), file);
        long first = Files.size(file) / TsPacket.SIZE;
        byte[] garbage = new byte[100_000];
        Arrays.fill(garbage, (byte) 0x55);
        Path staged = written(Files.write(dir.resolve("staged.ts"), garbage));
        java.util.concurrent.CountDownLatch stored = new java.util.concurrent.CountDownLatch(1);
        try (TsLooper looper = TsLooper.open(file, 0)) {
            looper.beforeMeasuringChange(() -> {
                try {
                    stored.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            Played out = new Played();
            out.read(looper, first / 2);
            Files.move(staged, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            // to the loop point and a second beyond it: the fill, while the replacement is being read
            long second = 8_000_000 / (8 * TsPacket.SIZE);
            byte[] b = new byte[TsPacket.SIZE];
            for (long i = first / 2; i < first + second; i++) {
                assertThat(looper.read(b, 0)).isTrue();
                out.bytes.write(b, 0, b.length);
                out.packets++;
            }
            stored.countDown();
            long refusedAt = out.readThroughChange(looper, first);
            assertThat(out.change).isEqualTo("play.ts was replaced on disk by a file that cannot be played (it holds"
                    + " no MPEG-TS packets); the one opened before plays on. Put a playable .ts file in its place");
            assertThat(refusedAt).isEqualTo(first + second);
            assertThat(out.continuesWith(refusedAt, Files.readAllBytes(Fixtures.cbr8M()))).as("its next pass")
                    .isTrue();
            assertNone(out.analysed(), Indicator.CONTINUITY_COUNT_ERROR, Indicator.PCR_DISCONTINUITY_INDICATOR_ERROR,
                    Indicator.PCR_REPETITION_ERROR);
        }
    }

    @Test
    void theNewContentsPacketsBeforeItsFirstPcrAreTimedAtItsOwnRate() throws Exception {
        // new content at 270 ticks (10 us) a packet, 20 times the first file's rate, its first PCR 2000 packets in
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        b.writeBytes(io.mcrsrt.ts.TestStreams.sectionPacket(0, 0, io.mcrsrt.ts.TestStreams.pat(1, 0, 1, 0x1000)));
        b.writeBytes(io.mcrsrt.ts.TestStreams.sectionPacket(0x1000, 0,
                io.mcrsrt.ts.TestStreams.pmt(1, 0, 0x100, 0x1B, 0x100)));
        for (int k = 0; k < 6000; k++) {
            b.writeBytes(k >= 2000 && k % 10 == 0 ? io.mcrsrt.ts.TestStreams.pcrPacket(0x100, k, k * 270L, false)
                    : io.mcrsrt.ts.TestStreams.packet(0x100, k, false));
        }
        Path file = dir.resolve("play.ts");
        Files.copy(Fixtures.cbr8M(), file);
        long first = Files.size(file) / TsPacket.SIZE;
        Path staged = written(Files.write(dir.resolve("staged.ts"), b.toByteArray()));
        try (TsLooper looper = TsLooper.open(file, 0)) {
            Played out = new Played();
            out.read(looper, 100);
            Files.move(staged, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            long changedAt = out.readThroughChange(looper, 3000);
            TsPacket p = new TsPacket();
            long lastPcr = -1;
            long lastPcrAt = -1;
            long firstNewPcr = -1;
            byte[] all = out.bytes.toByteArray();
            for (int k = 0; k < out.packets && firstNewPcr < 0; k++) {
                p.wrap(all, k * TsPacket.SIZE);
                if (p.hasPcr() && p.pid() == 0x100) {
                    if (k < changedAt) {
                        lastPcr = p.pcr();
                        lastPcrAt = k;
                    } else {
                        firstNewPcr = p.pcr();
                    }
                }
            }
            // the first file's packets after its last PCR at its rate, then 2002 of the new content's at its own
            long expected = Math.round((first - lastPcrAt) * Pcr.HZ * 8.0 * TsPacket.SIZE / 8_000_000) + 2002 * 270;
            assertThat((double) Pcr.delta(lastPcr, firstNewPcr)).as("PCR step across the change")
                    .isCloseTo(expected, org.assertj.core.data.Percentage.withPercentage(10));
            assertThat(out.analysed().count(Indicator.PCR_REPETITION_ERROR)).isZero();
        }
    }
}
