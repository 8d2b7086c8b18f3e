package io.mcrsrt.ts.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcrsrt.ts.TsPacket;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class TsDatagramStreamTest {

    /** {@code n} packets on PID 0x100, counters from 0, each packet's payload filled with its number. */
    private static byte[] packets(int n) {
        byte[] ts = new byte[n * TsPacket.SIZE];
        for (int i = 0; i < n; i++) {
            Arrays.fill(ts, i * TsPacket.SIZE + 4, (i + 1) * TsPacket.SIZE, (byte) i);
            ts[i * TsPacket.SIZE] = TsPacket.SYNC_BYTE;
            ts[i * TsPacket.SIZE + 1] = 0x01;
            ts[i * TsPacket.SIZE + 3] = (byte) (0x10 | (i & 0x0F));
        }
        return ts;
    }

    /** Feeds the datagrams cut from {@code ts} at {@code cuts}; returns the raw TS handed on. */
    private static byte[] feed(TsDatagramStream stream, byte[] ts, int... cuts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int from = 0;
        for (int cut : cuts) {
            TsDatagramStream.Kind kind = stream.accept(ByteBuffer.wrap(Arrays.copyOfRange(ts, from, cut)),
                    (b, start, stride, count) -> {
                        out.write(b.array(), b.arrayOffset() + start, count * stride);
                        return true;
                    });
            assertThat(kind).as("datagram %d to %d", from, cut).isEqualTo(TsDatagramStream.Kind.RAW);
            from = cut;
        }
        return out.toByteArray();
    }

    @Test
    void packetsCutBetweenDatagramsAreJoinedAgain() {
        // 1472-byte datagrams as ffmpeg's udp:// output sends them, one packet cut into three (4 bytes in the middle)
        byte[] ts = packets(30);
        TsDatagramStream stream = new TsDatagramStream();
        assertThat(feed(stream, ts, 1472, 1476, 2944, 4416, 5640)).isEqualTo(ts);
        assertThat(stream.strayBytes()).isZero();
    }

    @Test
    void aLostPieceLosesThePacketItWasPartOfAndIsCounted() {
        byte[] ts = packets(30);
        byte[] withoutSecond = new byte[ts.length - 1472];
        System.arraycopy(ts, 0, withoutSecond, 0, 1472);
        System.arraycopy(ts, 2944, withoutSecond, 1472, ts.length - 2944);
        TsDatagramStream stream = new TsDatagramStream();
        byte[] out = feed(stream, withoutSecond, 1472, 2944, withoutSecond.length);
        // packets 0-6, then 16 on: the lost datagram held the rest of 7, packets 8-14 and the head of 15
        assertThat(out.length / TsPacket.SIZE).isEqualTo(7 + 14);
        assertThat(out[7 * TsPacket.SIZE + 4]).as("the packet after 6").isEqualTo((byte) 16);
        assertThat(stream.strayBytes()).isEqualTo(156 + (16 * TsPacket.SIZE - 2944));
    }

    @Test
    void aTrailerAfterWholePacketsIsLeftOutAndCounted() {
        byte[] ts = packets(14);
        TsDatagramStream stream = new TsDatagramStream();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int d = 0; d < 2; d++) {
            byte[] datagram = Arrays.copyOf(Arrays.copyOfRange(ts, d * 1316, (d + 1) * 1316), 1320);
            stream.accept(ByteBuffer.wrap(datagram), (b, start, stride, count) -> {
                out.write(b.array(), start, count * stride);
                return true;
            });
        }
        assertThat(out.toByteArray()).isEqualTo(ts);
        assertThat(stream.strayBytes()).isEqualTo(8);
    }

    @Test
    void rtpIsLeftToTheCallerAndWhatIsNotTsIsSaidSo() {
        TsDatagramStream stream = new TsDatagramStream();
        byte[] rtp = new byte[12 + 7 * TsPacket.SIZE];
        rtp[0] = (byte) 0x80;
        rtp[1] = 33;
        System.arraycopy(packets(7), 0, rtp, 12, 7 * TsPacket.SIZE);
        List<Integer> handed = new java.util.ArrayList<>();
        assertThat(stream.accept(ByteBuffer.wrap(rtp), (b, start, stride, count) -> handed.add(count)))
                .isEqualTo(TsDatagramStream.Kind.RTP);
        assertThat(handed).isEmpty();
        assertThat(stream.last()).isEqualTo(new TsDatagram(true, 12, TsPacket.SIZE, 7, 0));
        assertThat(stream.accept(ByteBuffer.wrap(new byte[500]), (b, start, stride, count) -> true))
                .isEqualTo(TsDatagramStream.Kind.NONE);
    }
}
