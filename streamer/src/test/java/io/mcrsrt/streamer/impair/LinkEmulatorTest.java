package io.mcrsrt.streamer.impair;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LinkEmulatorTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
    }

    private DatagramSocket socket() throws IOException {
        DatagramSocket s = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
        s.setReceiveBufferSize(4 << 20);
        s.setSoTimeout(5000);
        open.add(s);
        return s;
    }

    private LinkEmulator emulator(DatagramSocket target, Impairment up, Impairment down) throws IOException {
        LinkEmulator e = LinkEmulator.start(new InetSocketAddress(LOOPBACK, 0),
                new InetSocketAddress(LOOPBACK, target.getLocalPort()), up, down, 42);
        open.add(e);
        return e;
    }

    private static void sendSeq(DatagramSocket from, int port, int seq, int size) throws IOException {
        byte[] b = new byte[size];
        ByteBuffer.wrap(b).putInt(seq);
        from.send(new DatagramPacket(b, b.length, LOOPBACK, port));
    }

    /** Receives until nothing arrives for the quiet period; returns the sequence numbers in arrival order. */
    private static List<Integer> receiveAll(DatagramSocket s, int quietMillis) throws IOException {
        s.setSoTimeout(quietMillis);
        List<Integer> seqs = new ArrayList<>();
        byte[] b = new byte[2048];
        while (true) {
            DatagramPacket p = new DatagramPacket(b, b.length);
            try {
                s.receive(p);
            } catch (SocketTimeoutException e) {
                return seqs;
            }
            seqs.add(ByteBuffer.wrap(b).getInt());
        }
    }

    /**
     * Sends about ten datagrams a millisecond, slowly enough that no socket buffer overflows while a busy machine
     * holds the relay's threads back for a while; the relay's counters must account for every one.
     */
    private static void sendMany(DatagramSocket from, int port, int count, int size) throws Exception {
        for (int i = 0; i < count; i++) {
            sendSeq(from, port, i, size);
            if (i % 10 == 9) {
                Thread.sleep(1);
            }
        }
    }

    @Test
    void delayIsAddedInEachDirectionAndAnswersReachTheClient() throws Exception {
        DatagramSocket target = socket();
        DatagramSocket client = socket();
        LinkEmulator e = emulator(target, Impairment.delay(30), Impairment.delay(30));
        long t0 = System.nanoTime();
        sendSeq(client, e.listenPort(), 7, 100);
        DatagramPacket p = new DatagramPacket(new byte[2048], 2048);
        target.receive(p);
        long oneWay = System.nanoTime() - t0;
        target.send(new DatagramPacket(p.getData(), p.getLength(), p.getSocketAddress()));
        DatagramPacket back = new DatagramPacket(new byte[2048], 2048);
        client.receive(back);
        long rtt = System.nanoTime() - t0;
        assertThat(ByteBuffer.wrap(back.getData()).getInt()).isEqualTo(7);
        assertThat(oneWay).isGreaterThanOrEqualTo(30_000_000L);
        assertThat(rtt).isGreaterThanOrEqualTo(60_000_000L);
        assertThat(e.client().getPort()).isEqualTo(client.getLocalPort());
        // The send thread counts right after the datagram left, which can be after the client has read it.
        for (int i = 0; i < 100 && e.toClientCounters().forwarded() == 0; i++) {
            Thread.sleep(10);
        }
        assertThat(e.toTargetCounters().forwarded()).isEqualTo(1);
        assertThat(e.toClientCounters().forwarded()).isEqualTo(1);
    }

    @Test
    void twoClientsEachGetTheTargetsAnswersToThemselves() throws Exception {
        // Before, the answers went to whichever client was heard last: the first lost every answer from then on.
        DatagramSocket target = socket();
        DatagramSocket first = socket();
        DatagramSocket second = socket();
        LinkEmulator e = emulator(target, Impairment.delay(5), Impairment.delay(5));
        for (int round = 0; round < 3; round++) {
            for (DatagramSocket client : List.of(first, second)) {
                sendSeq(client, e.listenPort(), client.getLocalPort() * 10 + round, 100);
            }
            for (int i = 0; i < 2; i++) {
                DatagramPacket p = new DatagramPacket(new byte[2048], 2048);
                target.receive(p);
                // The target echoes to where the datagram came from: the emulator's socket for that client.
                target.send(new DatagramPacket(p.getData(), p.getLength(), p.getSocketAddress()));
            }
            for (DatagramSocket client : List.of(first, second)) {
                DatagramPacket back = new DatagramPacket(new byte[2048], 2048);
                client.receive(back);
                assertThat(ByteBuffer.wrap(back.getData()).getInt()).as("round %d", round)
                        .isEqualTo(client.getLocalPort() * 10 + round);
            }
        }
        assertThat(e.clientCount()).isEqualTo(2);
        assertThat(e.toTargetCounters().received()).isEqualTo(6);
    }

    @Test
    void randomLossDropsTheConfiguredShareAndCountsIt() throws Exception {
        DatagramSocket target = socket();
        DatagramSocket client = socket();
        LinkEmulator e = emulator(target, Impairment.NONE.withLoss(10), Impairment.NONE);
        sendMany(client, e.listenPort(), 5000, 200);
        List<Integer> got = receiveAll(target, 500);
        DirectionCounters c = e.toTargetCounters();
        assertThat(c.received()).isEqualTo(5000);
        assertThat(c.lostRandom()).isBetween(400L, 600L);
        assertThat(c.lostBurst()).isZero();
        assertThat(got).hasSize((int) c.forwarded());
        assertThat(c.forwarded() + c.lostRandom()).isEqualTo(5000);
        assertThat(got).isSorted();
    }

    @Test
    void burstLossDropsRunsOfTheConfiguredLengthKeepingTheOverallShare() throws Exception {
        DatagramSocket target = socket();
        DatagramSocket client = socket();
        LinkEmulator e = emulator(target, Impairment.NONE.withLoss(10).withBurstLength(5), Impairment.NONE);
        sendMany(client, e.listenPort(), 5000, 200);
        List<Integer> got = receiveAll(target, 500);
        DirectionCounters c = e.toTargetCounters();
        assertThat(c.received()).isEqualTo(5000);
        assertThat(got).hasSize((int) c.forwarded());
        assertThat(c.lostBurst()).isBetween(300L, 700L);
        assertThat(c.lostBurst() % 5).as("whole runs only, the last one may be cut short").isLessThan(5);
        List<Integer> gaps = new ArrayList<>();
        for (int i = 1; i < got.size(); i++) {
            int gap = got.get(i) - got.get(i - 1) - 1;
            if (gap > 0) {
                gaps.add(gap);
            }
        }
        assertThat(gaps).isNotEmpty().allSatisfy(g -> assertThat(g % 5).isZero());
    }

    @Test
    void jitterVariesTheDelayButKeepsTheOrder() throws Exception {
        DatagramSocket target = socket();
        DatagramSocket client = socket();
        LinkEmulator e = emulator(target, Impairment.delay(10).withJitter(8), Impairment.NONE);
        sendMany(client, e.listenPort(), 2000, 200);
        List<Integer> got = receiveAll(target, 500);
        assertThat(got).hasSize(2000).isSorted();
    }

    @Test
    void reorderingLetsLaterDatagramsOvertake() throws Exception {
        DatagramSocket target = socket();
        DatagramSocket client = socket();
        LinkEmulator e = emulator(target, Impairment.NONE.withReorder(10), Impairment.NONE);
        for (int i = 0; i < 2000; i++) {
            sendSeq(client, e.listenPort(), i, 200);
            Thread.sleep(0, 500_000);
        }
        List<Integer> got = receiveAll(target, 500);
        assertThat(got).hasSize(2000).isNotEqualTo(got.stream().sorted().toList());
        assertThat(e.toTargetCounters().reordered()).isBetween(100L, 300L);
    }

    @Test
    void rateLimitQueuesThenDropsWhatTheQueueCannotHold() throws Exception {
        DatagramSocket target = socket();
        DatagramSocket client = socket();
        // 1 Mbit/s with a 100 ms queue holds 12.5 kB: about 12 datagrams of 1000 bytes.
        LinkEmulator e = emulator(target, Impairment.NONE.withRate(1).withQueue(100), Impairment.NONE);
        long t0 = System.nanoTime();
        for (int i = 0; i < 200; i++) {
            sendSeq(client, e.listenPort(), i, 1000);
        }
        double sendSeconds = (System.nanoTime() - t0) / 1e9;
        List<Integer> got = receiveAll(target, 500);
        DirectionCounters c = e.toTargetCounters();
        assertThat(c.droppedQueue()).isPositive();
        assertThat(c.forwarded() + c.droppedQueue()).isEqualTo(200);
        // What passed, counted on the wire (each 1000-byte datagram is 1028 bytes with its UDP and IPv4 headers),
        // cannot exceed the rate over the sending time plus one full queue.
        assertThat(c.forwarded() * 1028).isLessThanOrEqualTo((long) (125_000 * (sendSeconds + 0.1)) + 1028);
        assertThat(got).hasSize((int) c.forwarded()).isSorted();
    }

    @Test
    void theRateCountsEachDatagramWithItsUdpAndIpHeaders() throws Exception {
        // An SRT packet of 1316 bytes of TS is 1360 bytes of UDP payload: 1388 on an IPv4 link, 1408 on IPv6.
        assertThat(LinkEmulator.wireBytes(1360, java.net.InetAddress.getByName("127.0.0.1"))).isEqualTo(1388);
        assertThat(LinkEmulator.wireBytes(1360, java.net.InetAddress.getByName("::1"))).isEqualTo(1408);
    }

    @Test
    void outOfRangeSettingsAreRejectedWithTheExpectedRange() {
        assertThatThrownBy(() -> Impairment.NONE.withLoss(120))
                .hasMessage("loss 120 is out of range (expected: 0 to 100 %)");
        assertThatThrownBy(() -> Impairment.NONE.withDelay(-1))
                .hasMessage("delay -1 is out of range (expected: 0 to 10000 ms)");
        assertThatThrownBy(() -> Impairment.NONE.withBurstLength(0))
                .hasMessageContaining("burst loss length 0 datagrams");
    }

    @Test
    void datagramsTheTargetRefusesAreCountedOnTheWayToItNotOnTheWayBack() throws Exception {
        DatagramSocket client = socket();
        int closedPort;
        try (DatagramSocket gone = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            closedPort = gone.getLocalPort();
        }
        LinkEmulator e = LinkEmulator.start(new InetSocketAddress(LOOPBACK, 0),
                new InetSocketAddress(LOOPBACK, closedPort), Impairment.NONE, Impairment.NONE, 42);
        open.add(e);
        for (int i = 0; i < 20; i++) {
            sendSeq(client, e.listenPort(), i, 200);
            Thread.sleep(5);
        }
        for (int i = 0; i < 100 && e.toTargetCounters().droppedOther() == 0; i++) {
            Thread.sleep(10);
        }
        // Nothing came back from the target, so the way back has nothing to count.
        assertThat(e.toClientCounters().received()).isZero();
        assertThat(e.toClientCounters().dropped()).isZero();
        DirectionCounters out = e.toTargetCounters();
        assertThat(out.received()).isEqualTo(20);
        assertThat(out.droppedOther()).as("refused by the target (ICMP port unreachable)").isPositive();
    }

    @Test
    void datagramsStillDelayedWhenTheRelayStopsAreCounted() throws Exception {
        DatagramSocket target = socket();
        DatagramSocket client = socket();
        LinkEmulator e = emulator(target, Impairment.delay(5000), Impairment.NONE);
        for (int i = 0; i < 5; i++) {
            sendSeq(client, e.listenPort(), i, 200);
        }
        for (int i = 0; i < 100 && e.toTargetCounters().received() < 5; i++) {
            Thread.sleep(10);
        }
        e.close();
        DirectionCounters c = e.toTargetCounters();
        assertThat(c.received()).isEqualTo(5);
        assertThat(c.forwarded()).isZero();
        assertThat(c.received()).as("every datagram received is forwarded or dropped").isEqualTo(c.dropped());
        assertThat(c.droppedOther()).isEqualTo(5);
    }

    @Test
    void closeIsIdempotentAndStopsBothThreads() throws Exception {
        DatagramSocket target = socket();
        LinkEmulator e = emulator(target, Impairment.NONE, Impairment.NONE);
        int port = e.listenPort();
        e.close();
        e.close();
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().startsWith("impair-" + port + "-"));
    }
}
