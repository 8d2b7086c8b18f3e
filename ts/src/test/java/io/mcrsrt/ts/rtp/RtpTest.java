package io.mcrsrt.ts.rtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mcrsrt.ts.TestStreams;
import org.junit.jupiter.api.Test;

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
        // 65530, 65531, [65532 lost], 65533, 65533 again, [65534, 65535, 0 lost], 1, 65535 late, 2 ...
        int[] order = {0, 1, 3, 3, 7, 5, 8, 9, 10, 11};
        for (int i : order) {
            assertThat(u.unwrap(datagrams[i], 0, 1328)).isEqualTo(12);
            assertThat(u.lastPayloadLength()).isEqualTo(1316);
        }
        assertThat(u.datagrams()).isEqualTo(10);
        assertThat(u.gaps()).isEqualTo(2);
        assertThat(u.lost()).isEqualTo(4);
        assertThat(u.duplicates()).isEqualTo(1);
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
