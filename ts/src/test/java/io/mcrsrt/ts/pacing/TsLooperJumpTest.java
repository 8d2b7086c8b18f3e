package io.mcrsrt.ts.pacing;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcrsrt.ts.Fixtures;
import io.mcrsrt.ts.PacketReader;
import io.mcrsrt.ts.TestStreams;
import io.mcrsrt.ts.TsPacket;
import io.mcrsrt.ts.pcr.Pcr;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files whose PCR jumps inside them, as two recordings joined with {@code cat} are: 3.2 s of 8 Mbit/s, then the same
 * 3.2 s with every timestamp 100 s later (a jump forward), or the other way round (a jump back).
 */
class TsLooperJumpTest {
    private static final int PASSES = 3;
    /** A step of the PCR PID's clock within this is continuous (the clips carry a PCR every 20 ms). */
    private static final long STEADY = 40 * Pcr.HZ / 1000;

    @TempDir
    Path dir;

    private Path joined(Path first, Path second) throws IOException {
        Path out = dir.resolve("joined.ts");
        try (OutputStream o = Files.newOutputStream(out)) {
            Files.copy(first, o);
            Files.copy(second, o);
        }
        return out;
    }

    /** {@code file} looped {@code passes} times, written beside it. */
    private static Path looped(Path file, long passes) throws IOException {
        Path out = file.resolveSibling("looped.ts");
        try (TsLooper looper = TsLooper.open(file, passes); OutputStream o = Files.newOutputStream(out)) {
            byte[] b = new byte[TsPacket.SIZE];
            while (looper.read(b, 0)) {
                o.write(b);
            }
        }
        return out;
    }

    /** PCR steps of the looped output that are not continuous. */
    private static List<Long> jumps(Path file, long passes) throws IOException {
        Path out = looped(file, passes);
        List<Long> jumps = new ArrayList<>();
        TsPacket p = new TsPacket();
        long previous = -1;
        try (PacketReader r = PacketReader.open(out)) {
            while (r.next(p)) {
                if (p.pid() != 0x100 || !p.hasPcr()) {
                    continue;
                }
                if (previous >= 0) {
                    long d = Pcr.delta(previous, p.pcr());
                    if (d <= 0 || d > STEADY) {
                        jumps.add(d);
                    }
                }
                previous = p.pcr();
            }
        }
        return jumps;
    }

    @Test
    void aJumpForwardInsideTheFileCountsOnlyTheTimeItPlays() throws IOException {
        Path file = joined(Fixtures.cbr8M(), Fixtures.cbr8MAt(100));
        try (TsLooper looper = TsLooper.open(file, 0)) {
            // two clips of 3.2 s: 6.4 s of playing time, not the 103 s between the first PCR and the last
            assertThat(looper.durationTicks() / (double) Pcr.HZ).isBetween(6.2, 6.8);
        }
        List<Long> jumps = jumps(file, PASSES);
        assertThat(jumps).as("only the jump inside each pass; the seams between passes are continuous")
                .hasSize(PASSES);
        assertThat(jumps).allSatisfy(d -> assertThat(d / (double) Pcr.HZ).isBetween(96.0, 97.0));
    }

    @Test
    void aJumpBackInsideTheFileCountsOnlyTheTimeItPlays() throws IOException {
        Path file = joined(Fixtures.cbr8MAt(100), Fixtures.cbr8M());
        try (TsLooper looper = TsLooper.open(file, 0)) {
            assertThat(looper.durationTicks() / (double) Pcr.HZ).isBetween(6.2, 6.8);
        }
        List<Long> jumps = jumps(file, PASSES);
        assertThat(jumps).as("only the jump inside each pass; the seams between passes are continuous")
                .hasSize(PASSES);
        assertThat(jumps).allSatisfy(d -> assertThat(d / (double) Pcr.HZ).isBetween(-104.0, -103.0));
    }

    /**
     * Two recordings at different rates joined (2 Mbit/s, then 8 Mbit/s 1000 s later), paced through nine passes:
     * each pass lasts the file's playing time as the looper measures it, the jump inside included. Before, the packets
     * across the jump were timed at the rate of the last PCR interval before it, not at the file's, and each pass
     * came out about 9 ms longer: 64 ms over seven passes.
     */
    @Test
    void aJoinOfTwoRecordingsAtDifferentRatesIsPacedAtItsPlayingTimeEveryPass() throws IOException {
        Path file = joined(Fixtures.uneven("aac"), Fixtures.cbr8MAt(1000));
        long packets;
        long duration;
        try (TsLooper looper = TsLooper.open(file, 0)) {
            packets = looper.packetsPerPass();
            duration = looper.durationTicks();
        }
        // the due time of the first packet of pass 1 and of pass 8: a message holds 7 packets, so both stand at the
        // same place in their message and compare exactly
        long[] due = new long[9];
        try (TsPacer pacer = new TsPacer(TsLooper.open(file, 9), PacerSettings.byPcr())) {
            byte[] message = new byte[TsPacer.MESSAGE_SIZE];
            int pass = 1;
            while (pass < due.length) {
                long first = pacer.packetsSent();
                long nanos = pacer.nextMessage(message, 0);
                assertThat(nanos).as("the pacer ends after nine passes, not before pass " + pass).isNotEqualTo(TsPacer.END);
                if (first + TsPacer.PACKETS_PER_MESSAGE > pass * packets) {
                    due[pass] = nanos;
                    pass++;
                }
            }
            assertThat(pacer.discontinuities()).as("one jump a pass, bridged").isGreaterThanOrEqualTo(7);
        }
        double expected = 7 * Pcr.toNanos(duration) / 1e6;
        assertThat((due[8] - due[1]) / 1e6).as("ms from pass 1 to pass 8, against 7 playing times")
                .isCloseTo(expected, org.assertj.core.data.Offset.offset(1.0));
    }

    /**
     * The same join read from its first 256 KiB only before it plays, the jump beyond them, and the measurement of the
     * whole file held at its last 4096 packets until the pacer has passed the jump (a large file, measured while it
     * plays): the first pass lasts the playing time as the next ones do, within what the last 4096 packets, not yet
     * measured, move the average by (0.08 ms). Before, a jump beyond the first bytes measured was bridged at the rate
     * of the last PCR interval before it, the first clip's 2 Mbit/s, until the whole file had been measured, and the
     * first pass came out 9 ms longer.
     */
    /**
     * A pass is timed from its packet 70, after its first PCRs: the packets before the first PCR of the stream are
     * timed back from the first PCR interval, there being nothing before them, those of the next passes from the seam.
     */
    private static final int FROM = 10 * TsPacer.PACKETS_PER_MESSAGE;

    @Test
    void aJoinBeyondTheFirstBytesMeasuredIsPacedAtThePlayingTimeOnTheFirstPassToo() throws Exception {
        Path joined = joined(Fixtures.uneven("aac"), Fixtures.cbr8MAt(1000));
        // whole messages a pass, so that packet FROM of each pass starts a message, the message's due time its own
        long packets = Files.size(joined) / TsPacket.SIZE;
        Path file = dir.resolve("aligned.ts");
        try (OutputStream o = Files.newOutputStream(file)) {
            Files.copy(joined, o);
            for (long n = packets; n % TsPacer.PACKETS_PER_MESSAGE != 0; n++) {
                o.write(TestStreams.packet(TsPacket.NULL_PID, 0, false));
            }
        }
        long duration;
        try (TsLooper looper = TsLooper.open(file, 0)) {
            packets = looper.packetsPerPass();
            duration = looper.durationTicks();
        }
        long holdFrom = packets - 4096;
        java.util.concurrent.CountDownLatch held = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        long[] due = new long[3];
        try (TsPacer pacer = new TsPacer(TsLooper.open(file, 3, 256 << 10, read -> {
            if (read >= holdFrom) {
                held.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }), PacerSettings.byPcr())) {
            held.await();
            byte[] message = new byte[TsPacer.MESSAGE_SIZE];
            int pass = 0;
            while (pass < due.length) {
                long first = pacer.packetsSent();
                long nanos = pacer.nextMessage(message, 0);
                assertThat(nanos).as("the pacer ends after three passes, not before pass " + pass)
                        .isNotEqualTo(TsPacer.END);
                if (pacer.discontinuities() > 0) {
                    release.countDown(); // the jump of the first pass is bridged: the end of the file may be read
                }
                if (first == pass * packets + FROM) {
                    due[pass] = nanos;
                    pass++;
                }
            }
        } finally {
            release.countDown();
        }
        double playing = Pcr.toNanos(duration) / 1e6;
        assertThat((due[1] - due[0]) / 1e6).as("ms of the first pass (from its packet 70), against its playing time")
                .isCloseTo(playing, org.assertj.core.data.Offset.offset(0.3));
        assertThat((due[2] - due[1]) / 1e6).as("ms of the second pass (from its packet 70), against its playing time")
                .isCloseTo(playing, org.assertj.core.data.Offset.offset(0.3));
    }

    /**
     * Two recordings joined whose PCRs are on different PIDs (0x100, then 0x200 at 12 Mbit/s and 100 s later), each
     * named by its own PMT. Measured on the clock the PMT names as it goes: 6.4 s of playing time, and passes that join
     * that clock with no step (the only jump is the one inside each pass). Before, the file was measured on the last
     * PMT's PCR PID alone, which covers only the second recording: 5.3 s, and a step back at every seam.
     */
    @Test
    void aPcrPidChangeInsideTheFileIsMeasuredOnTheClockThePmtNames() throws IOException {
        Path file = joined(Fixtures.cbr8M(), Fixtures.cbr12MFromPidAt(0x200, 100));
        try (TsLooper looper = TsLooper.open(file, 0)) {
            assertThat(looper.durationTicks() / (double) Pcr.HZ).isBetween(6.2, 6.8);
            assertThat(looper.peakBitsPerSecond()).isBetween(11_500_000L, 12_500_000L);
        }
        Path out = looped(file, PASSES);
        // each recording carries PCRs on its own PID only: in order, they are the clock a decoder follows
        List<Long> jumps = new ArrayList<>();
        TsPacket p = new TsPacket();
        long previous = -1;
        // and each PID's own PCRs step where the other recording had the clock: flagged, as a monitor requires
        java.util.Map<Integer, Long> previousOfPid = new java.util.HashMap<>();
        int unflagged = 0;
        int flagged = 0;
        try (PacketReader r = PacketReader.open(out)) {
            while (r.next(p)) {
                if (!p.hasPcr()) {
                    continue;
                }
                Long before = previousOfPid.put(p.pid(), p.pcr());
                if (before != null) {
                    long d = Pcr.delta(before, p.pcr());
                    if (d <= 0 || d > STEADY) {
                        if (p.discontinuityIndicator()) {
                            flagged++;
                        } else {
                            unflagged++;
                        }
                    }
                }
                if (previous >= 0) {
                    long d = Pcr.delta(previous, p.pcr());
                    if (d <= 0 || d > STEADY) {
                        jumps.add(d);
                    }
                }
                previous = p.pcr();
            }
        }
        assertThat(jumps).as("only the join inside each pass; the seams between passes are continuous")
                .hasSize(PASSES);
        assertThat(jumps).allSatisfy(d -> assertThat(d / (double) Pcr.HZ).isBetween(96.0, 97.0));
        assertThat(unflagged).as("steps of one PID's PCRs without discontinuity_indicator").isZero();
        assertThat(flagged).as("both PIDs at every seam").isEqualTo(2 * (PASSES - 1));
    }
}
