package io.mcrsrt.ts.rtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mcrsrt.ts.TestStreams;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RtpTest {
    private static byte[] message() {
        byte[][] p = new byte[7][];
        for (int i = 0; i < 7; i++) {
            p[i] = TestStreams.packet(0x100, i, false);
        }
        return TestStreams.concat(p);
    }

    @Test
    void wrapsSevenPacketsInAVersion2Pt33Header() {
        RtpWrapper w = new RtpWrapper(Rtp.parseSsrc("DEADBEEF"), 65535);
        byte[] msg = message();
        byte[] out = new byte[1328];
        int n = w.wrap(msg, 0, msg.length, 1_000_000_000L, out, 0);
        assertThat(n).isEqualTo(1328);
        assertThat(out[0] & 0xFF).isEqualTo(0x80);
        assertThat(out[1] & 0xFF).isEqualTo(33);
        assertThat(((out[2] & 0xFF) << 8) | (out[3] & 0xFF)).isEqualTo(65535);
        assertThat(((out[4] & 0xFF) << 24) | ((out[5] & 0xFF) << 16) | ((out[6] & 0xFF) << 8) | (out[7] & 0xFF))
                .isEqualTo(90_000);
        assertThat(Rtp.formatSsrc(((out[8] & 0xFF) << 24) | ((out[9] & 0xFF) << 16) | ((out[10] & 0xFF) << 8)
                | (out[11] & 0xFF))).isEqualTo("DEADBEEF");
        assertThat(w.nextSequence()).isZero();
        assertThat(Rtp.detect(out, 0, n)).isEqualTo(Rtp.Framing.RTP_TS);
        assertThat(Rtp.detect(msg, 0, msg.length)).isEqualTo(Rtp.Framing.RAW_TS);
        assertThat(Rtp.detect(new byte[100], 0, 100)).isEqualTo(Rtp.Framing.UNKNOWN);
    }

    @Test
    void defaultSsrcIsAbbacafe() {
        assertThat(Rtp.formatSsrc(new RtpWrapper().ssrc())).isEqualTo("ABBACAFE");
    }

    @Test
    void ssrcMustBeEightHexDigits() {
        assertThat(Rtp.parseSsrc("0xabbacafe")).isEqualTo(0xABBACAFE);
        assertThatThrownBy(() -> Rtp.parseSsrc("ABBACAF"))
                .hasMessage("SSRC 'ABBACAF' (expected: 8 hexadecimal digits, e.g. ABBACAFE)");
        assertThatThrownBy(() -> Rtp.parseSsrc("GGGGGGGG")).isInstanceOf(RtpException.class);
    }

    @Test
    void unwrapCountsGapsDuplicatesAndReordering() {
        RtpWrapper w = new RtpWrapper(1, 65530);
        byte[] msg = message();
        byte[][] datagrams = new byte[12][1328];
        for (int i = 0; i < 12; i++) {
            w.wrap(msg, 0, msg.length, i * 1_000_000L, datagrams[i], 0);
        }
        RtpUnwrapper u = new RtpUnwrapper();
        // 65530, 65531, [65532 lost], 65533, 65533 again, [65534, 65535, 0 missing], 1, 65535 late, 2, 65535 again,
        // 65531 again ...
        int[] order = {0, 1, 3, 3, 7, 5, 8, 5, 1, 9, 10, 11};
        List<Boolean> copies = new java.util.ArrayList<>();
        for (int i : order) {
            assertThat(u.unwrap(datagrams[i], 0, 1328)).isEqualTo(12);
            assertThat(u.lastPayloadLength()).isEqualTo(1316);
            copies.add(u.lastWasDuplicate());
        }
        assertThat(copies).containsExactly(false, false, false, true, false, false, false, true, true, false, false,
                false);
        assertThat(u.datagrams()).isEqualTo(12);
        assertThat(u.gaps()).isEqualTo(2);
        assertThat(u.lost()).as("65532, 65534 and 0: 65535 came late").isEqualTo(3);
        assertThat(u.duplicates()).as("65533, 65535 and 65531 again").isEqualTo(3);
        assertThat(u.reordered()).isEqualTo(1);
        assertThat(u.ssrc()).isEqualTo(1);
    }

    private static byte[] datagram(int seq, int ssrc) {
        byte[] d = new byte[12 + 188];
        new RtpWrapper(ssrc, seq).wrap(TestStreams.packet(0x100, 0, false), 0, 188, 0, d, 0);
        return d;
    }

    @Test
    void senderRestartingItsNumberingIsNeitherLossNorReordering() {
        RtpUnwrapper u = new RtpUnwrapper();
        // 30000.. then the sender restarts at 20000 (10000 back), loses 20003, then jumps 20000 ahead
        for (int seq : new int[] {30000, 30001, 20000, 20001, 20002, 20004, 40000, 40001, 40002}) {
            u.unwrap(datagram(seq, 7), 0, 200);
        }
        assertThat(u.reordered()).isZero();
        assertThat(u.gaps()).isEqualTo(1);
        assertThat(u.lost()).isEqualTo(1);
        assertThat(u.restarts()).isEqualTo(2);
        assertThat(u.datagrams()).isEqualTo(9);
    }

    @Test
    void newSsrcStartsTheSequenceAfresh() {
        RtpUnwrapper u = new RtpUnwrapper();
        for (int seq : new int[] {500, 501, 502}) {
            u.unwrap(datagram(seq, 1), 0, 200);
        }
        for (int seq : new int[] {480, 481, 483}) {
            u.unwrap(datagram(seq, 2), 0, 200);
        }
        assertThat(u.reordered()).isZero();
        assertThat(u.gaps()).isEqualTo(1);
        assertThat(u.lost()).isEqualTo(1);
        assertThat(u.restarts()).isEqualTo(1);
        assertThat(u.ssrc()).isEqualTo(2);
    }

    @Test
    void restartsAreKeptWithWhereAndWhenTheNewNumberingStarts() {
        RtpUnwrapper u = new RtpUnwrapper();
        long t0 = 7_000_000_000L;
        int[][] datagrams = {{30000, 7}, {30001, 7}, {20000, 7}, {20001, 7}, {20002, 7}, {5, 8}, {6, 8}};
        for (int i = 0; i < datagrams.length; i++) {
            byte[] d = datagram(datagrams[i][0], datagrams[i][1]);
            u.unwrap(d, 0, d.length, t0 + i * 1_000_000L);
        }
        RtpUnwrapper.Report r = u.report();
        assertThat(r.restarts()).isEqualTo(2);
        assertThat(r.ssrcChanges()).isEqualTo(1);
        assertThat(u.ssrcChanges()).isEqualTo(1);
        // one 188-byte packet per datagram, so packet and datagram numbers are equal here
        assertThat(r.firstRestarts()).containsExactly(
                new RtpUnwrapper.Restart(false, 2, 2, 2_000_000L, 30001, 20000, 7, 7),
                new RtpUnwrapper.Restart(true, 5, 5, 5_000_000L, 20002, 5, 7, 8));
        assertThat(r.reordered()).isZero();
        assertThat(r.lost()).isZero();
    }

    /** A datagram of one packet with sequence number, 90 kHz timestamp and SSRC as given. */
    private static byte[] datagram(int seq, int ssrc, long timestamp) {
        byte[] d = new byte[12 + 188];
        new RtpWrapper(ssrc, seq & 0xFFFF).writeHeader(d, 0, (int) timestamp);
        System.arraycopy(TestStreams.packet(0x100, 0, false), 0, d, 12, 188);
        return d;
    }

    /** Unwraps datagrams given as {sequence, 90 kHz timestamp, arrival in ms}, SSRC 1, arrivals from 5 s. */
    private static RtpUnwrapper feed(long[][] datagrams) {
        RtpUnwrapper u = new RtpUnwrapper();
        for (long[] d : datagrams) {
            u.unwrap(datagram((int) d[0], 1, d[1]), 0, 200, 5_000_000_000L + d[2] * 1_000_000L);
        }
        return u;
    }

    /** {@code n} datagrams 10 ms apart from {@code seq}, {@code ts} and {@code ms}, the timestamp keeping time. */
    private static List<long[]> steady(int n, long seq, long ts, long ms) {
        List<long[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new long[] {seq + i, ts + i * 900L, ms + i * 10L});
        }
        return out;
    }

    private static long[][] join(List<List<long[]>> parts) {
        return parts.stream().flatMap(List::stream).toArray(long[][]::new);
    }

    @Test
    void timestampJumpForwardWithTheNumberingGoingOnIsReported() {
        // 90 kHz timestamp 10 s ahead at datagram 5, sequence 104 -> 105 and SSRC unchanged: a sender restarting its clock
        RtpUnwrapper u = feed(join(List.of(steady(5, 100, 1000, 0), steady(5, 105, 1000 + 4 * 900 + 900_000, 50))));
        RtpUnwrapper.Report r = u.report();
        assertThat(r.timestampJumps()).isEqualTo(1);
        assertThat(u.timestampJumps()).isEqualTo(1);
        assertThat(r.firstTimestampJumps()).containsExactly(new RtpUnwrapper.TimestampJump(5, 5, 50_000_000L, 105, 1,
                4600, 904_600, 10_000_000_000L, 10_000_000L));
        assertThat(r.restarts()).isZero();
        assertThat(r.lost()).isZero();
    }

    @Test
    void timestampJumpBackIsReportedWithANegativeStep() {
        RtpUnwrapper u = feed(join(List.of(steady(5, 100, 900_000, 0), steady(5, 105, 900_000 + 4 * 900 - 450_000,
                50))));
        assertThat(u.report().firstTimestampJumps()).singleElement().satisfies(j -> {
            assertThat(j.datagram()).isEqualTo(5);
            assertThat(j.stepNanos()).isEqualTo(-5_000_000_000L);
            assertThat(j.fromTimestamp()).isEqualTo(903_600);
            assertThat(j.toTimestamp()).isEqualTo(453_600);
        });
    }

    @Test
    void timestampAcrossItsThirtyTwoBitWrapIsAReportedJumpOnlyWhenItIsOne() {
        long nearWrap = 0xFFFF_FF00L;
        // the wrap itself is a small step forward
        assertThat(feed(join(List.of(steady(10, 100, nearWrap, 0)))).timestampJumps()).isZero();
        // a jump across the wrap is still a jump, of its real size
        RtpUnwrapper u = feed(join(List.of(steady(2, 100, nearWrap, 0), steady(2, 102, nearWrap + 900 + 180_000, 20))));
        assertThat(u.report().firstTimestampJumps()).singleElement()
                .satisfies(j -> assertThat(j.stepNanos()).isEqualTo(2_000_000_000L));
    }

    static Stream<Arguments> normalRunning() {
        // network jitter: arrivals up to 300 ms late, then on time again
        long[][] jitter = steady(20, 100, 0, 0).toArray(long[][]::new);
        for (int i = 0; i < jitter.length; i += 3) {
            jitter[i][2] += 300;
        }
        // one timestamp for all datagrams of a frame, frames 1.2 s apart (a still picture at a low frame rate)
        List<long[]> frames = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            frames.add(new long[] {100 + i, (i / 10) * 108_000L, i * 120L});
        }
        // the receiver stalls 3 s and then reads what the kernel held in a burst
        List<long[]> stall = new ArrayList<>(steady(5, 100, 0, 0));
        for (int i = 5; i < 20; i++) {
            stall.add(new long[] {100 + i, i * 900L, 3040 + i});
        }
        // timestamps from the PTS of the PES being muxed: back 400 ms with B-frame reordering and interleave
        List<long[]> pts = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            pts.add(new long[] {100 + i, i * 900L + (i % 4 == 3 ? -36_000 : 0), i * 10L});
        }
        // the kernel dropped 2 s of datagrams while the receiver fell behind: the next arrives at once
        List<long[]> loss = new ArrayList<>(steady(5, 100, 0, 0));
        loss.addAll(steady(5, 305, 205 * 900, 41));
        // a sender restarting its numbering, and a new SSRC, each with a clock of its own
        List<long[]> restart = new ArrayList<>(steady(5, 100, 0, 0));
        restart.addAll(steady(5, 30000, 77_000_000, 50));
        return Stream.of(
                Arguments.of("arrival jitter of 300 ms", jitter),
                Arguments.of("timestamp held across a frame's datagrams", frames.toArray(long[][]::new)),
                Arguments.of("receiver stall, then a burst", stall.toArray(long[][]::new)),
                Arguments.of("PTS-based timestamps stepping back 400 ms", pts.toArray(long[][]::new)),
                Arguments.of("2 s of datagrams lost", loss.toArray(long[][]::new)),
                Arguments.of("sequence restart with its own clock", restart.toArray(long[][]::new)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("normalRunning")
    void normalRunningIsNoTimestampJump(String name, long[][] datagrams) {
        RtpUnwrapper u = feed(datagrams);
        assertThat(u.report().timestampJumps()).isZero();
        assertThat(u.report().firstTimestampJumps()).isEmpty();
    }

    @Test
    void newSsrcWithItsOwnClockIsNoTimestampJump() {
        RtpUnwrapper u = new RtpUnwrapper();
        u.unwrap(datagram(1, 1, 0), 0, 200, 0);
        u.unwrap(datagram(2, 1, 900), 0, 200, 10_000_000L);
        u.unwrap(datagram(3, 2, 50_000_000), 0, 200, 20_000_000L);
        u.unwrap(datagram(4, 2, 50_000_900), 0, 200, 30_000_000L);
        assertThat(u.report().ssrcChanges()).isEqualTo(1);
        assertThat(u.report().timestampJumps()).isZero();
    }

    @Test
    void withoutArrivalTimesTheTimestampIsNotChecked() {
        RtpUnwrapper u = new RtpUnwrapper();
        u.unwrap(datagram(1, 1, 0), 0, 200);
        u.unwrap(datagram(2, 1, 9_000_000), 0, 200);
        assertThat(u.report().timestampJumps()).isZero();
    }

    @Test
    void onlyTheFirstTimestampJumpsAreKept() {
        List<List<long[]>> parts = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            parts.add(steady(2, 100 + 2 * i, i * 900_000L, i * 20L));
        }
        RtpUnwrapper.Report r = feed(join(parts)).report();
        assertThat(r.timestampJumps()).isEqualTo(11);
        assertThat(r.firstTimestampJumps()).hasSize(RtpUnwrapper.RESTARTS_KEPT);
    }

    @Test
    void aJumpTheNextDatagramDoesNotConfirmIsNoRestart() {
        RtpUnwrapper u = new RtpUnwrapper();
        for (int seq : new int[] {100, 101, 40000, 102, 103}) {
            u.unwrap(datagram(seq, 1), 0, 200);
        }
        assertThat(u.report().restarts()).isZero();
        assertThat(u.report().firstRestarts()).isEmpty();
    }

    @Test
    void onlyTheFirstRestartsAreKept() {
        RtpUnwrapper u = new RtpUnwrapper();
        for (int i = 0; i < RtpUnwrapper.RESTARTS_KEPT + 3; i++) {
            u.unwrap(datagram(i, i), 0, 200);
        }
        RtpUnwrapper.Report r = u.report();
        assertThat(r.restarts()).isEqualTo(RtpUnwrapper.RESTARTS_KEPT + 2);
        assertThat(r.firstRestarts()).hasSize(RtpUnwrapper.RESTARTS_KEPT);
        assertThat(r.firstRestarts().getFirst().atNanos()).isEqualTo(-1);
    }

    @Test
    void unwrapSkipsCsrcsAndExtension() {
        byte[] msg = message();
        byte[] d = new byte[12 + 8 + 8 + msg.length];
        d[0] = (byte) (0x80 | 0x10 | 2); // two CSRCs and an extension
        d[1] = 33;
        d[12 + 8 + 3] = 1; // extension of one 32-bit word
        System.arraycopy(msg, 0, d, 28, msg.length);
        assertThat(new RtpUnwrapper().unwrap(d, 0, d.length)).isEqualTo(28);
        assertThat(Rtp.detect(d, 0, d.length)).isEqualTo(Rtp.Framing.RTP_TS);
    }

    @Test
    void paddedDatagramIsRtpAndItsPaddingIsNotPayload() {
        byte[] msg = message();
        byte[] d = new byte[12 + msg.length + 4];
        new RtpWrapper().wrap(msg, 0, msg.length, 0, d, 0);
        d[0] |= 0x20; // padding: 4 bytes, the last of them holding the count
        d[d.length - 1] = 4;
        assertThat(Rtp.detect(d, 0, d.length)).isEqualTo(Rtp.Framing.RTP_TS);
        RtpUnwrapper u = new RtpUnwrapper();
        assertThat(u.unwrap(d, 0, d.length)).isEqualTo(12);
        assertThat(u.lastPayloadLength()).isEqualTo(1316);
    }

    @Test
    void paddingCountThatDoesNotFitIsNotRtp() {
        byte[] msg = message();
        byte[] d = new byte[12 + msg.length];
        new RtpWrapper().wrap(msg, 0, msg.length, 0, d, 0);
        d[0] |= 0x20;
        d[d.length - 1] = 0; // a padding count includes itself: never 0
        assertThat(Rtp.detect(d, 0, d.length)).isEqualTo(Rtp.Framing.UNKNOWN);
        assertThatThrownBy(() -> new RtpUnwrapper().unwrap(d, 0, d.length))
                .isInstanceOf(RtpException.class)
                .hasMessage("RTP padding count 0 in the last byte of a 1328-byte datagram with a 12-byte header "
                        + "(expected: 1..1316)");
    }

    @Test
    void payloadThatIsNotWholePacketsIsRefusedByUnwrap() {
        byte[] msg = message();
        byte[] d = new byte[12 + msg.length - 100];
        new RtpWrapper().wrap(msg, 0, msg.length - 100, 0, d, 0);
        assertThat(Rtp.detect(d, 0, d.length)).isEqualTo(Rtp.Framing.UNKNOWN);
        assertThatThrownBy(() -> new RtpUnwrapper().unwrap(d, 0, d.length))
                .hasMessage("RTP payload of 1216 bytes (expected: a whole number of 188-byte transport stream "
                        + "packets, RFC 2250)");
    }

    @Test
    void unwrapRejectsWrongVersionNamingIt() {
        byte[] d = new byte[100];
        d[0] = 0x40;
        assertThatThrownBy(() -> new RtpUnwrapper().unwrap(d, 0, 100))
                .hasMessageStartingWith("RTP version 1 in byte 0 (expected: 2)");
        assertThatThrownBy(() -> new RtpUnwrapper().unwrap(d, 0, 5))
                .hasMessage("RTP datagram of 5 bytes (expected: >= 12)");
    }
}
