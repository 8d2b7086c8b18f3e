package io.mcrsrt.ts.pacing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.mcrsrt.ts.Fixtures;
import io.mcrsrt.ts.PacketReader;
import io.mcrsrt.ts.TestStreams;
import io.mcrsrt.ts.TsException;
import io.mcrsrt.ts.TsPacket;
import io.mcrsrt.ts.pcr.Pcr;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TsPacerTest {
    private static final int VIDEO = 0x100;
    private static final int AUDIO = 0x101;

    private static List<Long> dueTimes(TsPacer pacer) throws IOException {
        List<Long> due = new ArrayList<>();
        ByteBuffer buf = ByteBuffer.allocate(TsPacer.MESSAGE_SIZE);
        long t;
        while ((t = pacer.nextMessage(buf.clear())) != TsPacer.END) {
            due.add(t);
        }
        return due;
    }

    private static TsPacer pacer(byte[] stream, PacerSettings settings) {
        return new TsPacer(PacketReader.of(stream, 0, stream.length), settings);
    }

    /** PAT and PMT (PCR on {@code pcrPid}), then {@code packets} packets alternating video and audio. */
    private static byte[] stream(int pcrPid, int packets, int pcrEvery, long ticksPerPacket, long pcrJumpAt, long jump) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(TestStreams.sectionPacket(0, 0, TestStreams.pat(1, 0, 1, 0x1000)));
        b.writeBytes(TestStreams.sectionPacket(0x1000, 0, TestStreams.pmt(1, 0, pcrPid, 0x1B, VIDEO, 0x0F, AUDIO)));
        int[] cc = new int[8192];
        for (int i = 2; i < packets; i++) {
            int pid = i % 2 == 0 ? VIDEO : AUDIO;
            long pcr = i * ticksPerPacket + (i >= pcrJumpAt ? jump : 0);
            // the other PID carries PCRs too, at a wrong rate, and first: they must be ignored
            boolean carries = pid == pcrPid ? i % pcrEvery == 0 : i % pcrEvery == 1;
            long value = pid == pcrPid ? pcr : pcr * 3;
            b.writeBytes(carries ? TestStreams.pcrPacket(pid, cc[pid]++, value, false)
                    : TestStreams.packet(pid, cc[pid]++, false));
        }
        return b.toByteArray();
    }

    @Test
    void constantBitrateFileIsPacedAtItsMuxRate() throws IOException {
        List<Long> due;
        try (TsPacer pacer = new TsPacer(PacketReader.open(Fixtures.cbr8M()), PacerSettings.byPcr())) {
            due = dueTimes(pacer);
            assertThat(pacer.pcrPid()).isEqualTo(VIDEO);
            assertThat(pacer.bitrate()).isCloseTo(8_000_000, within(8_000.0));
        }
        assertThat(due).isSorted();
        assertThat(due.getFirst()).isZero();
        // every 100 messages (100 * 1316 * 8 bits) take 131.6 ms at 8 Mbit/s
        for (int k = 0; k + 100 < due.size(); k += 100) {
            assertThat(due.get(k + 100) - due.get(k)).as("messages %d..%d", k, k + 100)
                    .isCloseTo(131_600_000L, within(200_000L));
        }
    }

    @Test
    void pcrPidComesFromThePmtNotFromTheFirstPidCarryingPcr() throws IOException {
        long tpp = 188 * 8 * Pcr.HZ / 4_000_000; // 4 Mbit/s
        try (TsPacer pacer = pacer(stream(AUDIO, 2000, 21, tpp, Long.MAX_VALUE, 0), PacerSettings.byPcr())) {
            List<Long> due = dueTimes(pacer);
            assertThat(pacer.pcrPid()).isEqualTo(AUDIO);
            assertThat(pacer.bitrate()).isCloseTo(4_000_000, within(10_000.0));
            assertThat(due.get(200) - due.get(100)).isCloseTo(Pcr.toNanos(700 * tpp), within(2_000L));
        }
    }

    @Test
    void batchedWakeUpsTakeEveryDueMessageWithItsOwnDueTime() throws IOException {
        long tpp = 188 * 8 * Pcr.HZ / 4_000_000;
        byte[] s = stream(VIDEO, 3000, 10, tpp, Long.MAX_VALUE, 0);
        List<Long> oneByOne = dueTimes(pacer(s, PacerSettings.byPcr()));
        List<Long> batched = new ArrayList<>();
        List<Integer> perWake = new ArrayList<>();
        byte[] msg = new byte[TsPacer.MESSAGE_SIZE];
        try (TsPacer pacer = pacer(s, PacerSettings.byPcr())) {
            // a sender that wakes every 5 ms of stream time and sends everything due by then
            for (long wake = 0; pacer.peekDueNanos() != TsPacer.END; wake += 5_000_000) {
                int sent = 0;
                while (pacer.peekDueNanos() != TsPacer.END && pacer.peekDueNanos() <= wake) {
                    batched.add(pacer.nextMessage(msg, 0));
                    sent++;
                }
                perWake.add(sent);
            }
        }
        assertThat(batched).isEqualTo(oneByOne);
        // 4 Mbit/s is 380 messages per second: 1 or 2 per 5 ms wake-up
        assertThat(perWake.subList(1, perWake.size() - 1)).allSatisfy(n -> assertThat(n).isBetween(1, 2));
    }

    @Test
    void pcrWrapAroundKeepsPacing() throws IOException {
        long tpp = 188 * 8 * Pcr.HZ / 4_000_000;
        // PCRs start 50 ms before the 33-bit wrap and run on across it
        long nearWrap = Pcr.WRAP - Pcr.HZ / 20;
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        byte[] base = stream(VIDEO, 2000, 10, tpp, Long.MAX_VALUE, 0);
        TsPacket v = new TsPacket();
        for (int i = 0; i < 2000; i++) {
            byte[] p = java.util.Arrays.copyOfRange(base, i * 188, i * 188 + 188);
            v.wrap(p, 0);
            if (v.pid() == VIDEO && v.hasPcr()) {
                v.setPcr(Pcr.add(v.pcr(), nearWrap));
            }
            b.writeBytes(p);
        }
        try (TsPacer pacer = pacer(b.toByteArray(), PacerSettings.byPcr())) {
            List<Long> due = dueTimes(pacer);
            assertThat(pacer.discontinuities()).isZero();
            long perMessage = Pcr.toNanos(7 * tpp);
            for (int k = 1; k < due.size(); k++) {
                assertThat(due.get(k) - due.get(k - 1)).as("message %d", k).isCloseTo(perMessage, within(2_000L));
            }
        }
    }

    @Test
    void pcrGapLongerThanLookaheadIsBridgedAtTheLastRate() throws IOException {
        long tpp = 188 * 8 * Pcr.HZ / 4_000_000;
        // PCRs every 10 packets up to 500, then none until 1500: the look-ahead holds only 128 packets
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        byte[] base = stream(VIDEO, 2000, 10, tpp, Long.MAX_VALUE, 0);
        for (int i = 0; i < 2000; i++) {
            byte[] p = java.util.Arrays.copyOfRange(base, i * 188, i * 188 + 188);
            if (i > 500 && i < 1500 && new TsPacket().wrap(p, 0).hasPcr()) {
                p[5] = 0; // PCR_flag off
            }
            b.writeBytes(p);
        }
        byte[] s = b.toByteArray();
        try (TsPacer pacer = pacer(s, PacerSettings.byPcr().withMaxLookaheadPackets(128))) {
            List<Long> due = dueTimes(pacer);
            assertThat(due).isSorted();
            assertThat(pacer.discontinuities()).isPositive();
            long perMessage = Pcr.toNanos(7 * tpp);
            for (int k = 1; k < due.size(); k++) {
                assertThat(due.get(k) - due.get(k - 1)).as("message %d", k).isCloseTo(perMessage, within(perMessage / 50));
            }
        }
    }

    /**
     * Two recordings joined with {@code cat}: 4 Mbit/s with its PCR on the video PID, then 8 Mbit/s with its PCR on the
     * audio PID and a clock 50 s later, each with its own PMT (same version, as two ffmpeg files have). The second half
     * is paced by the PCR PID its PMT names. Before, the pacer kept the first PMT's PCR PID, whose PCRs in the second
     * half ran at another rate, and played the second recording at the wrong speed.
     */
    @Test
    void aPcrPidChangedByThePmtIsFollowed() throws IOException {
        long tpp4 = 188 * 8 * Pcr.HZ / 4_000_000;
        long tpp8 = 188 * 8 * Pcr.HZ / 8_000_000;
        byte[] second = stream(AUDIO, 2000, 21, tpp8, 0, 50 * Pcr.HZ);
        // its PAT and PMT carry on the first half's continuity counters, as a playout's would
        new TsPacket().wrap(second, 0).setContinuityCounter(1);
        new TsPacket().wrap(second, TsPacket.SIZE).setContinuityCounter(1);
        byte[] s = TestStreams.concat(stream(VIDEO, 2000, 21, tpp4, Long.MAX_VALUE, 0), second);
        try (TsPacer pacer = pacer(s, PacerSettings.byPcr())) {
            List<Long> due = dueTimes(pacer);
            assertThat(pacer.pcrPid()).isEqualTo(AUDIO);
            assertThat(due).isSorted();
            // messages well inside each half, away from the join
            assertThat(due.get(250) - due.get(50)).isCloseTo(Pcr.toNanos(200 * 7 * tpp4), within(20_000L));
            assertThat(due.get(550) - due.get(350)).as("the second half, at its own 8 Mbit/s")
                    .isCloseTo(Pcr.toNanos(200 * 7 * tpp8), within(20_000L));
            assertThat(due.get(300) - due.get(280)).as("no stall or burst at the join")
                    .isBetween(Pcr.toNanos(20 * 7 * tpp8), Pcr.toNanos(20 * 7 * tpp4 * 11 / 10));
        }
    }

    /**
     * A program whose PMT says it has no PCR (PCR_PID 0x1FFF), the PCRs on the video PID, the stream's rate halving
     * after its first PCR interval: paced by the video's PCRs from the first packet. Before, the pacer waited 4096
     * packets for a PMT naming a PCR PID, then timed all of them back from the video's first PCR interval, at twice the
     * rate; a stream shorter than that was refused as one with no PCR "on any PID".
     */
    @Test
    void aProgramWithoutPcrIsPacedByThePidThatCarriesOne() throws IOException {
        assertPacedByTheVideoPcrsFromTheStart(variableRate(TsPacket.NULL_PID, 6000));
        assertPacedByTheVideoPcrsFromTheStart(variableRate(TsPacket.NULL_PID, 600));
    }

    /**
     * A PMT naming a PCR PID that carries none (0x1FF0: a broken multiplex), the PCRs on the video PID: paced by them
     * from the first packet, once the look-ahead has filled (6000 packets read) or the stream has ended (600). Before,
     * it was refused as one with no PCR on PCR PID 0x1FF0, which the looper had measured by the video's PCRs.
     */
    @Test
    void aPcrPidThatCarriesNoPcrIsGivenUpForOneThatDoes() throws IOException {
        assertPacedByTheVideoPcrsFromTheStart(variableRate(0x1FF0, 6000));
        assertPacedByTheVideoPcrsFromTheStart(variableRate(0x1FF0, 600));
    }

    private static void assertPacedByTheVideoPcrsFromTheStart(byte[] s) throws IOException {
        try (TsPacer pacer = pacer(s, PacerSettings.byPcr())) {
            List<Long> due = dueTimes(pacer);
            assertThat(pacer.pcrPid()).isEqualTo(VIDEO);
            assertThat(due).isSorted();
            for (int k : new int[] {2, 40, 80}) {
                assertThat(due.get(k)).as("message %d, packet %d", k, 7 * k)
                        .isCloseTo(Pcr.toNanos(variableRateTime(7 * k)), within(20_000L));
            }
        }
    }

    /**
     * PAT and PMT (PCR_PID {@code pmtPcrPid}), then video packets with a PCR every 20 (from packet 2), at 4 Mbit/s up
     * to packet 22 and 2 Mbit/s after it.
     */
    private static byte[] variableRate(int pmtPcrPid, int packets) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(TestStreams.sectionPacket(0, 0, TestStreams.pat(1, 0, 1, 0x1000)));
        b.writeBytes(TestStreams.sectionPacket(0x1000, 0, TestStreams.pmt(1, 0, pmtPcrPid, 0x1B, VIDEO)));
        for (int i = 2; i < packets; i++) {
            b.writeBytes(i % 20 == 2 ? TestStreams.pcrPacket(VIDEO, i - 2, variableRateTime(i), false)
                    : TestStreams.packet(VIDEO, i - 2, false));
        }
        return b.toByteArray();
    }

    /** Where packet {@code i} of {@link #variableRate} is on its clock, in 27 MHz ticks. */
    private static long variableRateTime(long i) {
        long fast = 188 * 8 * Pcr.HZ / 4_000_000;
        return i <= 22 ? i * fast : 22 * fast + (i - 22) * 2 * fast;
    }

    @Test
    void pcrJumpingBackIsBridgedAndDueTimesNeverGoBack() throws IOException {
        long tpp = 188 * 8 * Pcr.HZ / 4_000_000;
        byte[] s = stream(VIDEO, 3000, 10, tpp, 1500, -Pcr.HZ * 5);
        try (TsPacer pacer = pacer(s, PacerSettings.byPcr())) {
            List<Long> due = dueTimes(pacer);
            assertThat(due).isSorted();
            assertThat(pacer.discontinuities()).isEqualTo(1);
            long expectedSpan = Pcr.toNanos((due.size() - 1) * 7L * tpp);
            assertThat(due.getLast() - due.getFirst()).isCloseTo(expectedSpan, within(expectedSpan / 100));
        }
    }

    /**
     * PCRs 1.5 s apart, far beyond the 100 ms allowed, at a regular interval: paced by them, not refused. Before, no
     * step under a second meant no rate, and the stream was refused as one without PCRs.
     */
    @Test
    void pcrsMoreThanASecondApartAtARegularIntervalArePacedBy() throws IOException {
        long tpp = Pcr.HZ * 3 / 2 / 100; // a PCR every 100 packets is one every 1.5 s
        byte[] s = stream(VIDEO, 1000, 100, tpp, Long.MAX_VALUE, 0);
        try (TsPacer pacer = pacer(s, PacerSettings.byPcr())) {
            List<Long> due = dueTimes(pacer);
            assertThat(pacer.discontinuities()).isZero();
            long perMessage = Pcr.toNanos(7 * tpp);
            for (int k = 1; k < due.size(); k++) {
                assertThat(due.get(k) - due.get(k - 1)).as("message %d", k).isCloseTo(perMessage, within(2_000L));
            }
        }
    }

    /** A short stream with only two PCRs, 1.5 s apart: the one step there is times it. */
    @Test
    void aStreamWithTwoPcrsMoreThanASecondApartIsPacedByThatStep() throws IOException {
        long tpp = Pcr.HZ * 3 / 2 / 100;
        byte[] s = stream(VIDEO, 250, 100, tpp, Long.MAX_VALUE, 0);
        try (TsPacer pacer = pacer(s, PacerSettings.byPcr())) {
            List<Long> due = dueTimes(pacer);
            assertThat(due).isSorted();
            long perMessage = Pcr.toNanos(7 * tpp);
            for (int k = 1; k < due.size(); k++) {
                assertThat(due.get(k) - due.get(k - 1)).as("message %d", k).isCloseTo(perMessage, within(2_000L));
            }
        }
    }

    /** After PCRs 40 ms apart, a step forward of two seconds is a jump (two recordings joined), bridged. */
    @Test
    void aTwoSecondStepAfterShortOnesIsStillAJump() throws IOException {
        long tpp = 188 * 8 * Pcr.HZ / 4_000_000;
        byte[] s = stream(VIDEO, 3000, 10, tpp, 1500, Pcr.HZ * 2);
        try (TsPacer pacer = pacer(s, PacerSettings.byPcr())) {
            List<Long> due = dueTimes(pacer);
            assertThat(pacer.discontinuities()).isEqualTo(1);
            long expectedSpan = Pcr.toNanos((due.size() - 1) * 7L * tpp);
            assertThat(due.getLast() - due.getFirst()).isCloseTo(expectedSpan, within(expectedSpan / 100));
        }
    }

    @Test
    void streamWithoutPcrFailsWithAnExplanation() {
        byte[] s = TestStreams.concat(TestStreams.packet(0x100, 0, false), TestStreams.packet(0x100, 1, false));
        assertThatThrownBy(() -> dueTimes(pacer(s, PacerSettings.byPcr()))).isInstanceOf(TsException.class)
                .hasMessageContaining("cannot pace this stream: no two PCRs in a row at most 10 s apart on any"
                        + " PID in the first 2 packets read")
                .hasMessageContaining("ffmpeg -i IN -c copy -f mpegts -pcr_period 20 OUT.ts");
    }

    @Test
    void aStreamWithoutAnyPacketIsRefusedSayingWhatIsExpected() {
        // an MP4's first bytes, or any file that is no transport stream: before, paced as an empty stream
        byte[] mp4 = "\0\0\0\u0020ftypisom\0\0\u0002\0isomiso2avc1mp41"
                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> dueTimes(pacer(mp4, PacerSettings.byPcr()))).isInstanceOf(TsException.class)
                .hasMessageContaining("it holds no MPEG-TS packet")
                .hasMessageContaining("ffmpeg -i IN -c copy -f mpegts");
    }

    @Test
    void declaredConstantBitratePacesAStreamWithoutPcr() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int i = 0; i < 70; i++) {
            b.writeBytes(TestStreams.packet(0x100, i, false));
        }
        List<Long> due = dueTimes(pacer(b.toByteArray(), PacerSettings.constantBitrate(1_316_000 * 8 / 10)));
        assertThat(due).hasSize(10);
        for (int k = 0; k < 10; k++) {
            assertThat(due.get(k)).isEqualTo(k * 10_000_000L);
        }
    }

    @Test
    void smoothingLatencyDelaysEveryMessage() throws IOException {
        long tpp = 188 * 8 * Pcr.HZ / 4_000_000;
        byte[] s = stream(VIDEO, 700, 10, tpp, Long.MAX_VALUE, 0);
        List<Long> plain = dueTimes(pacer(s, PacerSettings.byPcr()));
        List<Long> smoothed = dueTimes(pacer(s, PacerSettings.byPcr().withSmoothingLatencyNanos(30_000_000)));
        assertThat(smoothed).hasSameSizeAs(plain);
        for (int k = 0; k < plain.size(); k++) {
            assertThat(smoothed.get(k) - plain.get(k)).isEqualTo(30_000_000);
        }
    }

    @Test
    void peekShowsTheNextDueTimeAndMemorySegmentGetsTheSameBytes() throws IOException {
        long tpp = 188 * 8 * Pcr.HZ / 4_000_000;
        byte[] s = stream(VIDEO, 100, 10, tpp, Long.MAX_VALUE, 0);
        try (Arena arena = Arena.ofConfined(); TsPacer pacer = pacer(s, PacerSettings.byPcr())) {
            MemorySegment seg = arena.allocate(TsPacer.MESSAGE_SIZE);
            long peeked = pacer.peekDueNanos();
            long due = pacer.nextMessage(seg, 0);
            assertThat(due).isEqualTo(peeked);
            assertThat(pacer.lastMessageLength()).isEqualTo(TsPacer.MESSAGE_SIZE);
            assertThat(seg.asSlice(0, 7 * 188).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE))
                    .isEqualTo(java.util.Arrays.copyOf(s, 7 * 188));
            int messages = 1;
            while (pacer.nextMessage(seg, 0) != TsPacer.END) {
                messages++;
            }
            assertThat(messages).isEqualTo(15);
            assertThat(pacer.lastMessageLength()).isZero();
        }
    }

    /**
     * Real-time pacing of the start of the 8 Mbit/s file, waiting for every message with {@link PreciseWaiter}: every
     * message is released in the order of its due time and none before it. How late the waits are is the machine's
     * business as much as the pacer's and is measured by a benchmark ({@code bench/scripts/precise_pacing.sh}).
     */
    @Test
    void preciseWaitsReleaseEveryMessageInOrderAndNoneEarly() throws Exception {
        PreciseWaiter waiter = new PreciseWaiter();
        byte[] msg = new byte[TsPacer.MESSAGE_SIZE];
        long messages = 0;
        try (TsPacer pacer = new TsPacer(PacketReader.open(Fixtures.cbr8M()), PacerSettings.byPcr())) {
            long start = System.nanoTime() + 20_000_000;
            long previousDue = Long.MIN_VALUE;
            long due;
            while ((due = pacer.nextMessage(msg, 0)) != TsPacer.END && due < 500_000_000L) {
                long late = waiter.sleepUntil(start + due);
                long released = System.nanoTime();
                assertThat(due).as("message %d", messages).isGreaterThanOrEqualTo(previousDue);
                assertThat(late).as("lateness of message %d", messages).isNotNegative();
                assertThat(released).as("message %d released before its due time", messages)
                        .isGreaterThanOrEqualTo(start + due);
                previousDue = due;
                messages++;
            }
        }
        assertThat(messages).as("messages in the first 0.5 s of an 8 Mbit/s file").isBetween(350L, 400L);
        assertThat(waiter.errors().count()).isEqualTo(messages);
    }
}
