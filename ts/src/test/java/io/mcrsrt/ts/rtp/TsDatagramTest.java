package io.mcrsrt.ts.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcrsrt.ts.TsPacket;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** What {@link TsDatagram#in} takes for TS, and what it does not. */
class TsDatagramTest {
    private static final int RTP_HEADER = 12;

    /** Seven packets on PID 0x100 from {@code offset} of a datagram of {@code offset} + 1316 bytes. */
    private static byte[] sevenPackets(int offset) {
        byte[] d = new byte[offset + 7 * TsPacket.SIZE];
        for (int i = 0; i < 7; i++) {
            int p = offset + i * TsPacket.SIZE;
            Arrays.fill(d, p + 4, p + TsPacket.SIZE, (byte) 0xff);
            d[p] = TsPacket.SYNC_BYTE;
            d[p + 1] = 0x01;
            d[p + 3] = (byte) (0x10 | i);
        }
        return d;
    }

    /** An RTP header of payload type 33 (MP2T), no CSRC, no extension, in front of {@code d}. */
    private static byte[] withRtpHeader(byte[] d, int sequence) {
        d[0] = (byte) 0x80;
        d[1] = (byte) Rtp.PAYLOAD_TYPE_MP2T;
        d[2] = (byte) (sequence >> 8);
        d[3] = (byte) sequence;
        return d;
    }

    @Test
    void otherDataThatStartsWithASyncByteIsNotTs() {
        // Random datagrams of the size of seven packets that happen to start with 0x47, one in 256 of them: the first
        // "packet" was taken as TS, and a UDP input fed with other data said it had resumed now and then.
        Random random = new Random(188);
        for (int i = 0; i < 10_000; i++) {
            byte[] d = new byte[7 * TsPacket.SIZE];
            random.nextBytes(d);
            d[0] = TsPacket.SYNC_BYTE;
            assertThat(TsDatagram.in(ByteBuffer.wrap(d))).as("raw datagram %d", i).isNull();
            byte[] r = new byte[RTP_HEADER + 7 * TsPacket.SIZE];
            random.nextBytes(r);
            withRtpHeader(r, i)[RTP_HEADER] = TsPacket.SYNC_BYTE;
            assertThat(TsDatagram.in(ByteBuffer.wrap(r))).as("RTP datagram %d", i).isNull();
        }
    }

    @Test
    void tsWithADamagedSyncByteIsStillTakenWhole() {
        byte[] raw = sevenPackets(0);
        raw[3 * TsPacket.SIZE] = 0x46;
        raw[5 * TsPacket.SIZE] = 0x00;
        raw[6 * TsPacket.SIZE] = 0x00;
        assertThat(TsDatagram.in(ByteBuffer.wrap(raw))).isEqualTo(new TsDatagram(false, 0, TsPacket.SIZE, 7, 0));
        byte[] rtp = withRtpHeader(sevenPackets(RTP_HEADER), 1);
        rtp[RTP_HEADER + 4 * TsPacket.SIZE] = 0x00;
        assertThat(TsDatagram.in(ByteBuffer.wrap(rtp)))
                .isEqualTo(new TsDatagram(true, RTP_HEADER, TsPacket.SIZE, 7, 0));
    }

    @Test
    void aDatagramWithMostSyncBytesGoneIsNotTakenWhole() {
        byte[] raw = sevenPackets(0);
        for (int i = 1; i <= 4; i++) {
            raw[i * TsPacket.SIZE] = 0x00;
        }
        TsDatagram ts = TsDatagram.in(ByteBuffer.wrap(raw));
        assertThat(ts == null || ts.count() < 7).as("%s", ts).isTrue();
    }
}
