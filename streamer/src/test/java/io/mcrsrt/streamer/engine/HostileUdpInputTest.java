package io.mcrsrt.streamer.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcrsrt.streamer.engine.input.UdpTsReceiver;
import io.mcrsrt.streamer.engine.input.UdpTsReceiverTest;
import io.mcrsrt.streamer.engine.testing.Await;
import io.mcrsrt.streamer.engine.testing.Peers;
import io.mcrsrt.streamer.engine.testing.TestMedia;
import io.mcrsrt.streamer.engine.testing.TsCheck;
import io.mcrsrt.streamer.stream.EngineSettings;
import io.mcrsrt.streamer.stream.Encryption;
import io.mcrsrt.streamer.stream.InputCounters;
import io.mcrsrt.streamer.stream.InputSpec;
import io.mcrsrt.streamer.stream.Mode;
import io.mcrsrt.streamer.stream.StreamConfig;
import io.mcrsrt.streamer.stream.StreamStatus;
import io.mcrsrt.streamer.stream.StreamView;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What else arrives at a UDP input's port on a network the operator does not control: datagrams of every size that
 * are not TS, and RTP headers that cannot be read (15 CSRCs, an extension running past the end, more padding than
 * payload), among the real stream's datagrams.
 */
class HostileUdpInputTest {
    @TempDir
    Path data;

    /**
     * Datagrams none of which holds a TS packet: random ones of 0, 1, 187, 189, 1500 and 65507 bytes (the largest
     * IPv4 takes), not starting with a sync byte, and RTP ones of payload type 33 whose header cannot be read.
     */
    static List<byte[]> notTs(Random r) {
        List<byte[]> list = new ArrayList<>();
        for (int size : new int[] {0, 1, 187, 189, 1500, 65507}) {
            byte[] d = new byte[size];
            r.nextBytes(d);
            if (size > 0) {
                d[0] = 0x00;
            }
            list.add(d);
        }
        byte[] payload = new byte[1316];
        r.nextBytes(payload);
        payload[0] = 0x00;
        // version 2, 15 CSRCs: a 72-byte header, then what is not TS
        list.add(rtp(0x8F, 33, payload));
        // an extension whose length (0xFFFF words) runs past the end
        byte[] ext = ByteBuffer.allocate(4 + 1316).putShort((short) 0xBEDE).putShort((short) 0xFFFF).put(payload)
                .array();
        list.add(rtp(0x90, 33, ext));
        // 15 CSRCs and an extension: the header alone is longer than the datagram
        list.add(rtp(0x9F, 33, new byte[40]));
        // padding bit set, the last byte counting more padding (255 bytes) than there is payload (one TS packet)
        byte[] padded = UdpTsReceiverTest.tsDatagram(1, 0);
        padded[padded.length - 1] = (byte) 0xFF;
        list.add(rtp(0xA0, 33, padded));
        // a header only
        list.add(rtp(0x80, 33, new byte[0]));
        return list;
    }

    private static byte[] rtp(int first, int payloadType, byte[] after) {
        return ByteBuffer.allocate(12 + after.length).put((byte) first).put((byte) payloadType).putShort((short) 7)
                .putInt(0).putInt(0x0BADBAD0).put(after).array();
    }

    @Test
    void datagramsThatAreNotTsAmongTheStreamAreLeftOutAndCountedAndTheStreamLosesNothing() throws Exception {
        try (UdpTsReceiver r = UdpTsReceiver.open(new InputSpec.Multicast("127.0.0.1", 0, null, null));
                DatagramChannel tx = DatagramChannel.open()) {
            InetSocketAddress to = new InetSocketAddress("127.0.0.1", r.localPort());
            List<byte[]> bad = notTs(new Random(1));
            List<byte[]> got = new ArrayList<>();
            int good = 0;
            for (int round = 0; round < 4; round++) {
                for (byte[] d : bad) {
                    tx.send(ByteBuffer.wrap(UdpTsReceiverTest.tsDatagram(7, 7 * good++)), to);
                    tx.send(ByteBuffer.wrap(d), to);
                }
                for (int i = 0; i < 50 && got.size() < good; i++) {
                    r.poll(20, m -> {
                        byte[] b = new byte[m.remaining()];
                        m.get(b);
                        got.add(b);
                    });
                }
            }
            assertThat(got).hasSize(good);
            for (int i = 0; i < good; i++) {
                assertThat(got.get(i)).isEqualTo(UdpTsReceiverTest.tsDatagram(7, 7 * i));
            }
            assertThat(r.ignoredDatagrams()).isEqualTo(4L * bad.size());
            assertThat(r.lastIgnored()).isEqualTo("12 bytes from 127.0.0.1:"
                    + ((InetSocketAddress) tx.getLocalAddress()).getPort());
            assertThat(r.counters()).isEqualTo(new InputCounters(0, false, 0));
            assertThat(r.strayBytes()).isZero();
        }
    }

    /**
     * RTP datagrams of another SSRC among the stream's (its packets on the null PID): every one of the stream's packets
     * goes on, in order, none counted lost, and the changes of source are counted.
     */
    @Test
    void rtpOfAnotherSourceAmongTheStreamLosesNoneOfTheStreamsPackets() throws Exception {
        try (UdpTsReceiver r = UdpTsReceiver.open(new InputSpec.Multicast("127.0.0.1", 0, null, null));
                DatagramChannel tx = DatagramChannel.open();
                DatagramChannel other = DatagramChannel.open()) {
            InetSocketAddress to = new InetSocketAddress("127.0.0.1", r.localPort());
            byte[] nullPackets = UdpTsReceiverTest.tsDatagram(7, 0);
            for (int i = 0; i < 7; i++) {
                nullPackets[i * 188 + 1] = 0x1F;
                nullPackets[i * 188 + 2] = (byte) 0xFF;
            }
            Random random = new Random(3);
            List<byte[]> got = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                tx.send(ByteBuffer.wrap(UdpTsReceiverTest.rtp(UdpTsReceiverTest.tsDatagram(7, 7 * i), 1000 + i)), to);
                other.send(ByteBuffer.wrap(rtpFrom(0x0BADBAD0, random.nextInt(0x10000), nullPackets)), to);
                for (int k = 0; k < 50 && got.size() < 2 * (i + 1); k++) {
                    r.poll(20, m -> {
                        byte[] b = new byte[m.remaining()];
                        m.get(b);
                        got.add(b);
                    });
                }
            }
            List<byte[]> stream = got.stream().filter(b -> (b[1] & 0x1F) != 0x1F).toList();
            assertThat(stream).hasSize(40);
            for (int i = 0; i < 40; i++) {
                assertThat(stream.get(i)).isEqualTo(UdpTsReceiverTest.tsDatagram(7, 7 * i));
            }
            assertThat(r.counters().rtpDatagramsLost()).isZero();
            assertThat(r.rtpSourceChanges()).isEqualTo(79);
        }
    }

    /**
     * Another sender's datagrams that are not TS, arriving among the stream's, are left out, and the operator is told:
     * how many, and from where. Before, nothing was said while the stream's own TS went on arriving.
     */
    @Test
    void datagramsThatAreNotTsAmongAFlowingStreamAreToldWithTheirSender() throws Exception {
        Path clip = TestMedia.shortClip();
        int port = Peers.freePort();
        int udpPort = Peers.freePort();
        StreamConfig config = new StreamConfig(Mode.LISTENER, new InputSpec.Multicast("127.0.0.1", udpPort, null,
                null), port, null, null, 1000, 25, Encryption.NONE, null, false, 30, false, null);
        Path received = data.resolve("received.ts");
        AtomicBoolean sending = new AtomicBoolean(true);
        try (LocalStreamEngine engine = LocalStreamEngine.open(new EngineSettings(TestMedia.dir(), data, 4, port,
                port, 4))) {
            engine.start(config);
            Await.status(engine, port, StreamStatus.INPUT_LOST, 20_000);
            try (UdpInputEndToEndTest.UdpSender tx = new UdpInputEndToEndTest.UdpSender(clip,
                    new InetSocketAddress(InetAddress.getByName("127.0.0.1"), udpPort), false);
                    Peers.Process rx = Peers.receiveToFile("srt://127.0.0.1:" + port + "?mode=caller&latency=1000",
                            received, data.resolve("rx.log"));
                    DatagramChannel hostile = DatagramChannel.open()) {
                hostile.bind(new InetSocketAddress("127.0.0.1", 0));
                int hostilePort = ((InetSocketAddress) hostile.getLocalAddress()).getPort();
                Await.status(engine, port, StreamStatus.CONNECTED, 20_000);
                Await.until(() -> size(received) > 200_000, 20_000);
                List<byte[]> bad = notTs(new Random(2));
                for (int round = 0; round < 20; round++) {
                    for (byte[] d : bad) {
                        hostile.send(ByteBuffer.wrap(d), new InetSocketAddress("127.0.0.1", udpPort));
                    }
                    Thread.sleep(20);
                }
                StreamView v = Await.view(engine, port, s -> s.events().stream()
                        .anyMatch(e -> e.detail().contains("not MPEG-TS")), 10_000);
                assertThat(v.status()).isEqualTo(StreamStatus.CONNECTED);
                assertThat(v.events()).as("events").anySatisfy(e -> {
                    assertThat(e.kind()).isEqualTo("warning");
                    assertThat(e.detail()).contains("not MPEG-TS", "127.0.0.1:" + hostilePort);
                });
                long before = size(received);
                Await.until(() -> size(received) > before + 200_000, 20_000);
            } finally {
                sending.set(false);
            }
        }
        // the sender loops the clip, whose counters start again at each loop: only the packets are counted here
        assertThat(TsCheck.of(received).packets()).isGreaterThan(2000);
    }

    /**
     * A second RTP sender on the port (another encoder set to the same address on a shared network) mixes its TS into
     * the stream's, datagram by datagram; the operator is told that two sources send at once, with both SSRCs and
     * senders. Before, nothing said so.
     */
    @Test
    void aSecondRtpSenderOnThePortIsToldWithBothSources() throws Exception {
        Path clip = TestMedia.shortClip();
        int port = Peers.freePort();
        int udpPort = Peers.freePort();
        StreamConfig config = new StreamConfig(Mode.LISTENER, new InputSpec.Multicast("127.0.0.1", udpPort, null,
                null), port, null, null, 1000, 25, Encryption.NONE, null, false, 30, false, null);
        try (LocalStreamEngine engine = LocalStreamEngine.open(new EngineSettings(TestMedia.dir(), data, 4, port,
                port, 4))) {
            engine.start(config);
            Await.status(engine, port, StreamStatus.INPUT_LOST, 20_000);
            try (UdpInputEndToEndTest.UdpSender tx = new UdpInputEndToEndTest.UdpSender(clip,
                    new InetSocketAddress(InetAddress.getByName("127.0.0.1"), udpPort), true);
                    DatagramChannel other = DatagramChannel.open()) {
                other.bind(new InetSocketAddress("127.0.0.1", 0));
                int otherPort = ((InetSocketAddress) other.getLocalAddress()).getPort();
                Await.view(engine, port, s -> s.inputBitrateMbps() > 0, 20_000);
                byte[] nullPackets = UdpTsReceiverTest.tsDatagram(7, 0);
                for (int i = 0; i < 7; i++) {
                    nullPackets[i * 188 + 1] = 0x1F;
                    nullPackets[i * 188 + 2] = (byte) 0xFF;
                }
                for (int i = 0; i < 50; i++) {
                    other.send(ByteBuffer.wrap(rtpFrom(0x0BADBAD0, i, nullPackets)),
                            new InetSocketAddress("127.0.0.1", udpPort));
                    Thread.sleep(20);
                }
                StreamView v = Await.view(engine, port, s -> s.events().stream()
                        .anyMatch(e -> e.detail().contains("two senders")), 10_000);
                assertThat(v.events()).as("events").anySatisfy(e -> {
                    assertThat(e.kind()).isEqualTo("warning");
                    assertThat(e.detail()).contains("two senders", "SSRC 0BADBAD0 from 127.0.0.1:" + otherPort,
                            "SSRC 12345678 from 127.0.0.1:");
                });
            }
        }
    }

    private static byte[] rtpFrom(int ssrc, int seq, byte[] payload) {
        return ByteBuffer.allocate(12 + payload.length).put((byte) 0x80).put((byte) 33).putShort((short) seq)
                .putInt(0).putInt(ssrc).put(payload).array();
    }

    private static long size(Path f) {
        try {
            return Files.size(f);
        } catch (IOException e) {
            return 0;
        }
    }
}
