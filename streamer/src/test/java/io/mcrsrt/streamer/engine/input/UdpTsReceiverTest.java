package io.mcrsrt.streamer.engine.input;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mcrsrt.streamer.stream.InputSpec;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

public class UdpTsReceiverTest {

    /** {@code packets} TS packets on PID 0x100 with counters from {@code firstCc}. */
    public static byte[] tsDatagram(int packets, int firstCc) {
        byte[] d = new byte[packets * 188];
        for (int i = 0; i < packets; i++) {
            d[i * 188] = 0x47;
            d[i * 188 + 1] = 0x01;
            d[i * 188 + 2] = 0x00;
            d[i * 188 + 3] = (byte) (0x10 | ((firstCc + i) & 0x0F));
        }
        return d;
    }

    /** {@code payload} in an RTP datagram (payload type 33) with sequence number {@code seq}. */
    public static byte[] rtp(byte[] payload, int seq) {
        return rtp(payload, seq, 0xABBACAFE);
    }

    private static byte[] rtp(byte[] payload, int seq, int ssrc) {
        ByteBuffer b = ByteBuffer.allocate(12 + payload.length);
        b.put((byte) 0x80).put((byte) 33).putShort((short) seq).putInt(1234).putInt(ssrc).put(payload);
        return b.array();
    }

    /** Polls, once at least, until {@code expectedMessages} have come (or 200 polls of up to 20 ms have not brought them). */
    private static List<byte[]> receiveAll(UdpTsReceiver r, int expectedMessages) throws IOException {
        List<byte[]> got = new ArrayList<>();
        for (int i = 0; i < 200 && (i == 0 || got.size() < expectedMessages); i++) {
            r.poll(20, m -> {
                byte[] b = new byte[m.remaining()];
                m.get(b);
                got.add(b);
            });
        }
        return got;
    }

    /** A receiver on a free port of 127.0.0.1, and a channel that sends it datagrams. */
    private record Loopback(UdpTsReceiver receiver, DatagramChannel tx) implements AutoCloseable {
        static Loopback open() throws IOException {
            UdpTsReceiver receiver = UdpTsReceiver.open(new InputSpec.Multicast("127.0.0.1", 0, null, null));
            try {
                return new Loopback(receiver, DatagramChannel.open());
            } catch (IOException e) {
                receiver.close();
                throw e;
            }
        }

        void send(byte[] datagram) throws IOException {
            tx.send(ByteBuffer.wrap(datagram), new InetSocketAddress("127.0.0.1", receiver.localPort()));
        }

        @Override
        public void close() throws IOException {
            try (receiver) {
                tx.close();
            }
        }
    }

    @Test
    void unicastRawTsIsRegroupedIntoSevenPacketMessages() throws Exception {
        try (Loopback in = Loopback.open()) {
            UdpTsReceiver r = in.receiver();
            for (int i = 0; i < 2; i++) {
                in.send(tsDatagram(7, i * 7));
            }
            List<byte[]> got = receiveAll(r, 2);
            assertThat(got).hasSize(2);
            assertThat(got.get(1)).isEqualTo(tsDatagram(7, 7));
            assertThat(r.rtpDetected()).isFalse();
        }
    }

    @Test
    void rtpWrappedTsIsUnwrappedAutomatically() throws Exception {
        try (Loopback in = Loopback.open()) {
            UdpTsReceiver r = in.receiver();
            in.send(rtp(tsDatagram(7, 3), 1));
            List<byte[]> got = receiveAll(r, 1);
            assertThat(got).containsExactly(tsDatagram(7, 3));
            assertThat(r.rtpDetected()).isTrue();
        }
    }

    @Test
    void aContinuityGapOnTheInputIsCounted() throws Exception {
        try (Loopback in = Loopback.open()) {
            UdpTsReceiver r = in.receiver();
            for (int firstCc : new int[] {0, 7, 21, 28}) { // the packets with counters 14-20 never come
                in.send(tsDatagram(7, firstCc));
            }
            assertThat(receiveAll(r, 4)).hasSize(4);
            assertThat(r.counters().continuityErrors()).isEqualTo(1);
            assertThat(r.counters().rtp()).isFalse();
        }
    }

    @Test
    void rtpSequenceNumbersThatNeverArriveAreCountedALateOneTakesItsLossBackARestartOrANewSourceIsNoLoss() throws Exception {
        try (Loopback in = Loopback.open()) {
            UdpTsReceiver r = in.receiver();
            // sequence number sent, RTP datagrams lost after it, whether it is sent on; a fourth column: another source.
            // 1 waits for 0 until its wait is given up; 0 then comes too late to be sent on, but it came: no loss.
            // A copy is not sent on.
            int[][] steps = {
                {65534, 0, 1}, {65535, 0, 1}, {1, 1, 1}, {0, 0, 0}, {2, 0, 1}, {2, 0, 0}, {5, 2, 1}, {40000, 2, 1},
                {40001, 2, 1}, {40100, 2, 1, 1}, {40102, 3, 1, 1}};
            for (int[] step : steps) {
                in.send(rtp(tsDatagram(7, 0), step[0], step.length > 3 ? 0x5EC0DE : 0xABBACAFE));
                assertThat(receiveAll(r, step[2])).as("sent on after sequence number %d", step[0]).hasSize(step[2]);
                assertThat(r.counters().rtpDatagramsLost()).as("after sequence number %d", step[0])
                        .isEqualTo(step[1]);
            }
            assertThat(r.counters().rtp()).isTrue();
        }
    }

    /**
     * 70 packets (as {@link #tsDatagram}) cut as ffmpeg's udp:// output cuts them by default, regardless of packets:
     * 1472 bytes, then 4 (a packet cut into three datagrams), 204, then 1472-byte datagrams, the fourth of which
     * starts 12 bytes before a packet with bytes that read as an RTP header (version 2, payload type 33).
     */
    private static List<byte[]> cutLikeFfmpeg(byte[] ts) {
        ts[8 * 188 + 176] = (byte) 0x80;
        ts[8 * 188 + 177] = 33;
        List<byte[]> out = new ArrayList<>(List.of(Arrays.copyOfRange(ts, 0, 1472), Arrays.copyOfRange(ts, 1472, 1476),
                Arrays.copyOfRange(ts, 1476, 1680)));
        for (int from = 1680; from < ts.length; from += 1472) {
            out.add(Arrays.copyOfRange(ts, from, Math.min(ts.length, from + 1472)));
        }
        return out;
    }

    /**
     * Raw TS cut into datagrams regardless of packets (ffmpeg's udp:// output sends 1472-byte datagrams by default)
     * has each packet split between datagrams joined again: every packet comes out, in order. Before, only the whole
     * packets of each datagram went on: one packet in eight was lost.
     */
    @Test
    void rawTsCutIntoDatagramsRegardlessOfPacketsComesOutWhole() throws Exception {
        byte[] ts = tsDatagram(70, 0);
        try (Loopback in = Loopback.open()) {
            UdpTsReceiver r = in.receiver();
            for (byte[] d : cutLikeFfmpeg(ts)) {
                in.send(d);
            }
            List<byte[]> got = receiveAll(r, 10);
            assertThat(got).hasSize(10);
            byte[] all = new byte[70 * 188];
            for (int i = 0; i < 10; i++) {
                System.arraycopy(got.get(i), 0, all, i * 7 * 188, 7 * 188);
            }
            assertThat(all).isEqualTo(ts);
            assertThat(r.counters().continuityErrors()).isZero();
            assertThat(r.strayBytes()).isZero();
            assertThat(r.ignoredDatagrams()).isZero();
        }
    }

    /** A datagram of such a stream lost: the packet it held part of is lost with it, counted, and the rest goes on. */
    @Test
    void aLostPieceOfASplitPacketLosesThatPacketOnly() throws Exception {
        byte[] ts = tsDatagram(70, 0);
        try (Loopback in = Loopback.open()) {
            UdpTsReceiver r = in.receiver();
            List<byte[]> datagrams = cutLikeFfmpeg(ts);
            datagrams.remove(4); // bytes 1680 to 3152: the end of packet 8, packets 9 to 15, the head of 16
            for (byte[] d : datagrams) {
                in.send(d);
            }
            assertThat(receiveAll(r, 8)).hasSize(8);
            assertThat(r.counters().continuityErrors()).isEqualTo(1);
            assertThat(r.strayBytes()).as("the head of packet 8 and the rest of packet 16, that could not be joined")
                    .isEqualTo(176 + 188 - (3152 - 16 * 188));
        }
    }

    /** The 7-packet datagrams {@code rtp(tsDatagram(7, seq * 7), seq)} of these sequence numbers, as sent on. */
    private static List<byte[]> packetsOf(int... seqs) {
        List<byte[]> out = new ArrayList<>();
        for (int seq : seqs) {
            out.add(tsDatagram(7, seq * 7));
        }
        return out;
    }

    /**
     * RTP carries sequence numbers so that a receiver can put datagrams a network reordered back in order: those that
     * overtook a missing one wait for it and follow it, and nothing is lost.
     */
    @Test
    void reorderedRtpDatagramsAreSentOnInSequenceOrder() throws Exception {
        try (Loopback in = Loopback.open()) {
            UdpTsReceiver r = in.receiver();
            for (int seq : new int[] {65534, 0, 65535, 1, 4, 2, 3, 5}) {
                in.send(rtp(tsDatagram(7, seq * 7), seq));
            }
            assertThat(receiveAll(r, 8)).containsExactlyElementsOf(packetsOf(65534, 65535, 0, 1, 2, 3, 4, 5));
            assertThat(r.counters()).isEqualTo(new io.mcrsrt.streamer.stream.InputCounters(0, true, 0));
        }
    }

    /**
     * A datagram that never comes is waited for a moment only: the ones after it go on, it is counted lost, even when
     * nothing more arrives after them (the source stopped), so nothing is held back for ever.
     */
    @Test
    void datagramsWaitingForOneThatNeverComesAreSentOnWhenNothingMoreArrives() throws Exception {
        try (Loopback in = Loopback.open()) {
            UdpTsReceiver r = in.receiver();
            for (int seq : new int[] {0, 1, 3, 4}) {
                in.send(rtp(tsDatagram(7, seq * 7), seq));
            }
            assertThat(receiveAll(r, 4)).containsExactlyElementsOf(packetsOf(0, 1, 3, 4));
            assertThat(r.counters()).isEqualTo(new io.mcrsrt.streamer.stream.InputCounters(1, true, 1));
        }
    }

    /**
     * The wait is bounded in datagrams as well as in time: once 32 datagrams after a missing one have come, it is
     * given up, and when it comes after all it is left out, as it would only put old packets after newer ones. Sent
     * before the receiver reads any, so all arrive within the time bound.
     */
    @Test
    void aDatagramThirtyTwoOthersOvertookIsGivenUpAndLeftOutWhenItComes() throws Exception {
        try (Loopback in = Loopback.open()) {
            UdpTsReceiver r = in.receiver();
            List<Integer> order = new ArrayList<>(List.of(0));
            for (int seq = 2; seq <= 33; seq++) {
                order.add(seq);
            }
            order.add(1);
            order.add(34);
            for (int seq : order) {
                in.send(rtp(tsDatagram(7, seq * 7), seq));
            }
            List<Integer> expected = new ArrayList<>(order);
            expected.remove(Integer.valueOf(1));
            assertThat(receiveAll(r, expected.size()))
                    .containsExactlyElementsOf(packetsOf(expected.stream().mapToInt(Integer::intValue).toArray()));
            assertThat(r.counters().continuityErrors()).isEqualTo(1);
            assertThat(r.counters().rtpDatagramsLost()).as("it arrived, late (RFC 3550)").isZero();
        }
    }

    /**
     * Another source (an encoder restarted, a backup took over) does not wait for what the last one left missing: what
     * the last one left waiting goes on first, its gap counted lost, then the new source from its first datagram.
     */
    @Test
    void datagramsWaitingWhenAnotherSourceTakesOverGoOnFirst() throws Exception {
        try (Loopback in = Loopback.open()) {
            UdpTsReceiver r = in.receiver();
            in.send(rtp(tsDatagram(7, 0), 0));
            in.send(rtp(tsDatagram(7, 14), 2));
            in.send(rtp(tsDatagram(7, 21), 700, 0x5EC0DE));
            in.send(rtp(tsDatagram(7, 28), 701, 0x5EC0DE));
            assertThat(receiveAll(r, 4)).containsExactly(tsDatagram(7, 0), tsDatagram(7, 14), tsDatagram(7, 21),
                    tsDatagram(7, 28));
            assertThat(r.counters()).isEqualTo(new io.mcrsrt.streamer.stream.InputCounters(1, true, 1));
        }
    }

    /**
     * RTP padding (RFC 3550 5.1: P bit, the last byte counts it) is not transport stream, even when a sender pads to a
     * fixed size and the padding happens to start with a sync byte where a packet would.
     */
    @Test
    void rtpPaddingIsNotForwardedEvenWhereItLooksLikeAPacket() throws Exception {
        try (Loopback in = Loopback.open()) {
            UdpTsReceiver r = in.receiver();
            for (int seq = 0; seq < 2; seq++) {
                byte[] plain = rtp(tsDatagram(7, seq * 7), seq);
                byte[] padding = new byte[200];
                System.arraycopy(tsDatagram(1, 9), 0, padding, 0, 4);
                padding[199] = (byte) 200;
                byte[] padded = java.util.Arrays.copyOf(plain, plain.length + padding.length);
                System.arraycopy(padding, 0, padded, plain.length, padding.length);
                padded[0] |= 0x20;
                in.send(padded);
            }
            assertThat(receiveAll(r, 2)).containsExactly(tsDatagram(7, 0), tsDatagram(7, 7));
            assertThat(r.counters().continuityErrors()).isZero();
            assertThat(r.bytesReceived()).isEqualTo(14 * 188);
        }
    }

    /**
     * An encoder that restarts keeping its SSRC starts its numbering anywhere, often below where it was: once the next
     * datagram follows on, that is the new numbering, and the datagrams it then loses are counted.
     */
    @Test
    void lossesAfterASenderRestartsItsNumberingLowerAreCounted() throws Exception {
        try (Loopback in = Loopback.open()) {
            UdpTsReceiver r = in.receiver();
            int[] sent = {20000, 20001, 20002, 20004, 5, 6, 7, 9, 10, 12};
            for (int i = 0; i < sent.length; i++) {
                in.send(rtp(tsDatagram(7, i * 7), sent[i]));
            }
            assertThat(receiveAll(r, sent.length)).hasSize(sent.length);
            assertThat(r.counters().rtpDatagramsLost()).as("20003 before the restart, 8 and 11 after it").isEqualTo(3);
        }
    }

    /**
     * An input that goes from RTP to raw TS and back (a gateway reconfigured while it runs) lost nothing while the TS
     * came raw, whatever the RTP numbering does meanwhile; and the RTP losses counted stay shown while it is raw.
     */
    @Test
    void switchingBetweenRtpAndRawTsCountsNoLossForTheRawStretchAndKeepsRtpLossesShown() throws Exception {
        try (Loopback in = Loopback.open()) {
            UdpTsReceiver r = in.receiver();
            int cc = 0;
            List<byte[]> sent = new ArrayList<>();
            for (int seq : new int[] {0, 1}) {
                sent.add(rtp(tsDatagram(7, cc++ * 7), seq));
            }
            for (int i = 0; i < 4; i++) {
                sent.add(tsDatagram(7, cc++ * 7));
            }
            for (int seq : new int[] {500, 502}) { // 501 lost
                sent.add(rtp(tsDatagram(7, cc++ * 7), seq));
            }
            sent.add(tsDatagram(7, cc++ * 7));
            for (byte[] d : sent) {
                in.send(d);
            }
            assertThat(receiveAll(r, sent.size())).hasSize(sent.size());
            assertThat(r.counters()).isEqualTo(new io.mcrsrt.streamer.stream.InputCounters(0, true, 1));
            assertThat(r.rtpDetected()).as("the last datagram was raw").isFalse();
        }
    }

    /**
     * A copy of an RTP datagram already taken (a network or a sender sending it twice, both paths of an SMPTE 2022-7
     * pair sent to one port) is not sent on again: its TS packets would be continuity errors for every receiver. Nor
     * is a copy of one held for a missing datagram; and the copies of those sent on do not end the wait.
     */
    @Test
    void aCopyOfAnRtpDatagramIsNotSentOnTwice() throws Exception {
        try (Loopback in = Loopback.open()) {
            UdpTsReceiver r = in.receiver();
            for (int seq : new int[] {65534, 65535, 65535, 0, 65534, 2, 2, 0, 1, 0, 1, 3}) {
                in.send(rtp(tsDatagram(7, seq * 7), seq));
            }
            List<byte[]> got = receiveAll(r, 6);
            assertThat(got).containsExactlyElementsOf(packetsOf(65534, 65535, 0, 1, 2, 3));
            assertThat(r.counters().rtpDatagramsLost()).as("1 arrived late").isZero();
        }
    }

    @Test
    void packetsOf204BytesAreSentOnAs188WithoutTheirParity() throws Exception {
        byte[] plain = tsDatagram(7, 5);
        byte[] withParity = withParity(plain, 0);
        try (Loopback in = Loopback.open()) {
            UdpTsReceiver r = in.receiver();
            in.send(withParity);
            assertThat(receiveAll(r, 1)).containsExactly(plain);
            assertThat(r.ignoredDatagrams()).isZero();
            assertThat(r.bytesReceived()).isEqualTo(7 * 188);
        }
    }

    /**
     * {@code plain}'s packets of 188 bytes as packets of 204, 16 bytes of parity after each, then {@code trailer} bytes.
     */
    private static byte[] withParity(byte[] plain, int trailer) {
        int packets = plain.length / 188;
        byte[] d = new byte[packets * 204 + trailer];
        for (int i = 0; i < packets; i++) {
            System.arraycopy(plain, i * 188, d, i * 204, 188);
            java.util.Arrays.fill(d, i * 204 + 188, i * 204 + 204, (byte) 0xA5);
        }
        return d;
    }

    /** {@code before} bytes, then {@code d}, then {@code after} bytes, none of them a sync byte. */
    public static byte[] between(int before, byte[] d, int after) {
        byte[] b = new byte[before + d.length + after];
        java.util.Arrays.fill(b, (byte) 0xFF);
        System.arraycopy(d, 0, b, before, d.length);
        return b;
    }

    /**
     * Some gateways append a few bytes of their own after the TS packets (1 320 bytes: 7 x 188 and a 4-byte trailer):
     * the packets are TS all the same, and sent on; only the trailer is left out.
     */
    @Test
    void tsPacketsFollowedByStrayBytesAreSentOn() throws Exception {
        try (Loopback in = Loopback.open()) {
            UdpTsReceiver r = in.receiver();
            in.send(between(0, tsDatagram(7, 0), 4));
            in.send(between(0, tsDatagram(7, 7), 4));
            assertThat(receiveAll(r, 2)).containsExactly(tsDatagram(7, 0), tsDatagram(7, 7));
            assertThat(r.ignoredDatagrams()).isZero();
            assertThat(r.counters().continuityErrors()).isZero();
            assertThat(r.bytesReceived()).isEqualTo(14 * 188);
            assertThat(r.strayBytes()).isEqualTo(8);
        }
    }

    /**
     * A datagram that starts in the middle of a packet (the tail of one the sender split, a gateway's own header) has
     * its whole packets found by their sync bytes and sent on, whatever follows the last of them.
     */
    @Test
    void aDatagramThatStartsMidPacketHasItsWholePacketsSentOn() throws Exception {
        try (Loopback in = Loopback.open()) {
            UdpTsReceiver r = in.receiver();
            in.send(between(100, tsDatagram(7, 0), 0));
            in.send(between(8, tsDatagram(7, 7), 30));
            assertThat(receiveAll(r, 2)).containsExactly(tsDatagram(7, 0), tsDatagram(7, 7));
            assertThat(r.ignoredDatagrams()).isZero();
            assertThat(r.counters().continuityErrors()).isZero();
            assertThat(r.strayBytes()).isEqualTo(100 + 8 + 30);
        }
    }

    @Test
    void packetsOf204BytesFollowedByStrayBytesAreSentOnAs188() throws Exception {
        byte[] plain = tsDatagram(7, 5);
        byte[] withParity = withParity(plain, 4);
        try (Loopback in = Loopback.open()) {
            UdpTsReceiver r = in.receiver();
            in.send(withParity);
            assertThat(receiveAll(r, 1)).containsExactly(plain);
            assertThat(r.ignoredDatagrams()).isZero();
            assertThat(r.strayBytes()).as("the parity is not stray, the trailer is").isEqualTo(4);
        }
    }

    /** The same after an RTP header: TS packets, then bytes that are not a whole packet, are the packets sent on. */
    @Test
    void rtpWhosePayloadHasStrayBytesAfterItsPacketsHasThePacketsSentOn() throws Exception {
        try (Loopback in = Loopback.open()) {
            UdpTsReceiver r = in.receiver();
            in.send(rtp(between(0, tsDatagram(7, 0), 4), 10));
            in.send(rtp(between(0, tsDatagram(7, 7), 4), 11));
            assertThat(receiveAll(r, 2)).containsExactly(tsDatagram(7, 0), tsDatagram(7, 7));
            assertThat(r.ignoredDatagrams()).isZero();
            assertThat(r.counters()).isEqualTo(new io.mcrsrt.streamer.stream.InputCounters(0, true, 0));
            assertThat(r.strayBytes()).isEqualTo(8);
        }
    }

    /**
     * Looking for packets by their sync bytes does not make TS of what is not: a sync byte here and there that does
     * not recur a packet further on, a lone one after the start of a datagram too short for two packets, and SMPTE
     * 2022-1 FEC sent to the port (an RTP header, the FEC header, then the XOR of an odd number of datagrams' TS,
     * whose sync bytes stay 0x47, a packet apart) are all left out whole.
     */
    @Test
    void datagramsWithoutAWholeTsPacketAreStillIgnored() throws Exception {
        byte[] jumbo = new byte[9000];
        java.util.Arrays.fill(jumbo, (byte) 0xFF);
        jumbo[0] = 0x47;
        jumbo[1000] = 0x47;
        byte[] shortOne = new byte[300];
        shortOne[50] = 0x47;
        byte[] fecHeaderAndXor = between(16, tsDatagram(7, 0), 0);
        ByteBuffer fec = ByteBuffer.allocate(12 + fecHeaderAndXor.length);
        fec.put((byte) 0x80).put((byte) 96).putShort((short) 1).putInt(0).putInt(0x0FEC0FEC).put(fecHeaderAndXor);
        try (Loopback in = Loopback.open()) {
            UdpTsReceiver r = in.receiver();
            for (byte[] d : new byte[][] {jumbo, shortOne, fec.array(), tsDatagram(7, 0)}) {
                in.send(d);
            }
            assertThat(receiveAll(r, 1)).containsExactly(tsDatagram(7, 0));
            assertThat(r.ignoredDatagrams()).isEqualTo(3);
            assertThat(r.strayBytes()).isZero();
        }
    }

    @Test
    void datagramsThatAreNeitherTsNorRtpAreIgnored() throws Exception {
        try (Loopback in = Loopback.open()) {
            UdpTsReceiver r = in.receiver();
            in.send(new byte[] {1, 2, 3});
            in.send(tsDatagram(7, 0));
            assertThat(receiveAll(r, 1)).hasSize(1);
            assertThat(r.ignoredDatagrams()).isEqualTo(1);
        }
    }

    @Test
    void aSecondUnicastReceiverOnTheSamePortIsRefusedNamingThePort() throws Exception {
        try (UdpTsReceiver first = UdpTsReceiver.open(new InputSpec.Multicast("127.0.0.1", 0, null, null))) {
            int port = first.localPort();
            assertThatThrownBy(() -> UdpTsReceiver.open(new InputSpec.Multicast("127.0.0.1", port, null, null)))
                    .hasMessageContaining("UDP port " + port + " on 127.0.0.1 is already in use");
        }
    }

    @Test
    void twoReceiversOfOneMulticastGroupBothBind() throws Exception {
        int port;
        try (DatagramChannel probe = DatagramChannel.open()) {
            probe.bind(new InetSocketAddress("127.0.0.1", 0));
            port = probe.socket().getLocalPort();
        }
        InputSpec.Multicast group = new InputSpec.Multicast("239.255.77.1", port, "lo", null);
        try (UdpTsReceiver first = UdpTsReceiver.open(group); UdpTsReceiver second = UdpTsReceiver.open(group)) {
            assertThat(second.localPort()).isEqualTo(first.localPort());
        }
    }

    @Test
    void unknownInterfaceIsNamedInTheError() {
        assertThatThrownBy(() -> UdpTsReceiver.interfaceFor("nosuchif0", false))
                .hasMessageContaining("network interface nosuchif0 does not exist");
    }

    /**
     * Of the kernel's IPv6 routes the default route of the lowest metric is taken, not the unreachable default routes
     * the kernel keeps on lo (flag RTF_REJECT); none without a usable one.
     */
    @Test
    void theIpv6DefaultRouteIsTheUsableOneOfTheLowestMetric() {
        String reject = "00000000000000000000000000000000 00 00000000000000000000000000000000 00"
                + " 00000000000000000000000000000000 ffffffff 00000001 00000000 00200200       lo";
        List<String> table = List.of(reject,
                "fd000000000000000000000000000000 40 00000000000000000000000000000000 00"
                        + " 00000000000000000000000000000000 00000100 00000002 00000000 00000001     eth0",
                "00000000000000000000000000000000 00 00000000000000000000000000000000 00"
                        + " fd000000000000000000000000000001 00000400 00000003 00000000 00000003     eth0",
                "00000000000000000000000000000000 00 00000000000000000000000000000000 00"
                        + " fd000000000000000000000000000001 00000064 00000003 00000000 00000003     eth1",
                reject);
        assertThat(UdpTsReceiver.defaultIpv6RouteInterface(table)).isEqualTo("eth1");
        assertThat(UdpTsReceiver.defaultIpv6RouteInterface(List.of(reject, reject))).isNull();
    }

    /**
     * Of the kernel's IPv4 routes the default route of the lowest metric is taken (a wired uplink at metric 100 before
     * a mobile backup at 700, whichever the kernel lists first), not an unreachable one; none without a usable one.
     */
    @Test
    void theIpv4DefaultRouteIsTheUsableOneOfTheLowestMetric() {
        String header = "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT";
        String unreachable = "lo\t00000000\t00000000\t0201\t0\t0\t0\t00000000\t0\t0\t0";
        List<String> table = List.of(header,
                "wwan0\t00000000\t0100A8C0\t0003\t0\t0\t700\t00000000\t0\t0\t0",
                "eth0\t0002000A\t00000000\t0001\t0\t0\t100\t00FFFFFF\t0\t0\t0",
                "eth0\t00000000\t0102000A\t0003\t0\t0\t100\t00000000\t0\t0\t0",
                unreachable);
        assertThat(UdpTsReceiver.defaultIpv4RouteInterface(table)).isEqualTo("eth0");
        assertThat(UdpTsReceiver.defaultIpv4RouteInterface(List.of(header, unreachable))).isNull();
        assertThat(UdpTsReceiver.defaultIpv4RouteInterface(List.of(header))).isNull();
    }
}
