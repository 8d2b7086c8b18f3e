package io.mcrsrt.srt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SrtDatagramsTest {

    private final Peers peers = new Peers();

    @AfterEach
    void tearDown() {
        peers.close();
    }

    @Test
    void datagramsFromSrtLiveTransmitArriveAsPayloads_andTheStreamEndsWhenThePeerLeaves() throws Exception {
        int srtPort = Peers.freeUdpPort();
        int udpPort = Peers.freeUdpPort();
        Process slt = peers.start("srt-live-transmit", "-a:no", "-q", "udp://127.0.0.1:" + udpPort,
                "srt://127.0.0.1:" + srtPort + "?mode=listener");
        AtomicBoolean stop = new AtomicBoolean();
        Thread feeder = Thread.ofPlatform().name("udp-feeder").start(() -> {
            try (DatagramSocket out = new DatagramSocket()) {
                for (int i = 0; !stop.get() && i < 100_000; i++) {
                    byte[] b = new byte[1316];
                    ByteBuffer.wrap(b).putInt(i);
                    out.send(new DatagramPacket(b, b.length, Peers.loopback(udpPort)));
                    Thread.sleep(1);
                }
            } catch (Exception ignored) {
                // the test fails on what it did not receive
            }
        });
        try {
            try (Stream<byte[]> payloads = datagramsWhenUp("srt://127.0.0.1:" + srtPort + "?conntimeo=1000")) {
                Iterator<byte[]> it = payloads.iterator();
                int previous = -1;
                for (int i = 0; i < 50; i++) {
                    byte[] p = it.next();
                    assertThat(p).hasSize(1316);
                    int n = ByteBuffer.wrap(p).getInt();
                    if (previous >= 0) {
                        assertThat(n).isEqualTo(previous + 1);
                    }
                    previous = n;
                }
                slt.destroy();
                assertThat(slt.waitFor(10, TimeUnit.SECONDS)).isTrue();
                // Drains what was in flight, then ends instead of hanging.
                CompletableFuture<Long> rest = CompletableFuture.supplyAsync(() -> {
                    long count = 0;
                    while (it.hasNext()) {
                        it.next();
                        count++;
                    }
                    return count;
                });
                assertThat(rest.get(30, TimeUnit.SECONDS)).isGreaterThanOrEqualTo(0);
            }
        } finally {
            stop.set(true);
            feeder.join(5_000);
        }
    }

    @Test
    void closingTheStreamClosesTheSocketAndWakesTheReader() throws Exception {
        SrtSocket listener = SrtSocket.create().bind(Peers.loopback(0)).listen(1);
        try (listener) {
            int port = listener.localAddress().getPort();
            CompletableFuture<SrtSocket> accepted = Peers.acceptAsync(listener);
            Stream<byte[]> payloads = Srt.datagrams("srt://127.0.0.1:" + port);
            try (SrtSocket server = accepted.get(10, TimeUnit.SECONDS)) {
                Iterator<byte[]> it = payloads.iterator();
                CompletableFuture<Boolean> reader = CompletableFuture.supplyAsync(it::hasNext);
                Thread.sleep(200);
                payloads.close();
                assertThat(reader.get(10, TimeUnit.SECONDS)).isFalse();
                assertThat(server.state()).isIn(SrtSocketState.BROKEN, SrtSocketState.CONNECTED,
                        SrtSocketState.CLOSED, SrtSocketState.NONEXIST);
            }
        }
    }

    /** A plain UDP socket on {@code port} as soon as libsrt has let go of it: it then sees a redial's handshake. */
    private static DatagramSocket bindOnceLibsrtLetsGo(int port) throws InterruptedException {
        DatagramSocket[] bound = new DatagramSocket[1];
        Peers.await("libsrt to free port " + port, () -> {
            try {
                bound[0] = new DatagramSocket(Peers.loopback(port));
                return true;
            } catch (java.net.SocketException inUse) {
                return false;
            }
        });
        return bound[0];
    }

    @Test
    void closingAReconnectingStreamWhileItRedialsEndsItWithoutWaitingOutTheConnectTimeout() throws Exception {
        int conntimeoMs = 30_000;
        SrtSocket listener = SrtSocket.create().bind(Peers.loopback(0)).listen(1);
        int port = listener.localAddress().getPort();
        CompletableFuture<SrtSocket> accepted = Peers.acceptAsync(listener);
        Stream<byte[]> payloads = Srt.datagrams("srt://127.0.0.1:" + port + "?conntimeo=" + conntimeoMs, true);
        Iterator<byte[]> it = payloads.iterator();
        CompletableFuture<Boolean> reader = CompletableFuture.supplyAsync(it::hasNext);
        SrtSocket server = accepted.join();
        // The redial starts after this: ignoring the close, the reader would end CONNTIMEO or more from now.
        long start = System.nanoTime();
        server.close();
        listener.close();
        // Once libsrt has let go of the port, a plain UDP socket there sees the stream's next handshake: it redials.
        try (DatagramSocket nobody = bindOnceLibsrtLetsGo(port)) {
            nobody.receive(new DatagramPacket(new byte[1500], 1500));
            payloads.close();
            assertThat(reader.join()).isFalse();
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start))
                    .as("ms until the reader ended: not CONNTIMEO").isLessThan(conntimeoMs);
        }
    }

    /** Accepts every caller on {@code listener} and closes it at once, until the listener is closed; counts them. */
    private static java.util.concurrent.atomic.AtomicInteger acceptAndCloseEvery(SrtSocket listener) {
        java.util.concurrent.atomic.AtomicInteger accepted = new java.util.concurrent.atomic.AtomicInteger();
        Thread.ofPlatform().daemon().name("accept-and-close").start(() -> {
            try {
                while (true) {
                    listener.accept().close();
                    accepted.incrementAndGet();
                }
            } catch (SrtException closed) {
                // the test is over
            }
        });
        return accepted;
    }

    @Test
    void aReconnectingCallerWhoseListenerClosesEveryConnectionAtOnceKeepsReconnectingAndIsToldOfEach()
            throws Exception {
        SrtSocket listener = SrtSocket.create().bind(Peers.loopback(0)).listen(8);
        java.util.concurrent.atomic.AtomicInteger accepted = acceptAndCloseEvery(listener);
        List<InetSocketAddress> told = new CopyOnWriteArrayList<>();
        try (listener) {
            int port = listener.localAddress().getPort();
            Stream<byte[]> payloads = Srt.datagrams("srt://127.0.0.1:" + port, true, told::add);
            Iterator<byte[]> it = payloads.iterator();
            CompletableFuture<Boolean> reader = CompletableFuture.supplyAsync(it::hasNext);
            // Before, a dial whose connection the listener had already closed threw "rejected" (the stream waited
            // and redialled) or an IllegalStateException, which ended the stream.
            Peers.await("five connections", () -> accepted.get() >= 5 || reader.isDone());
            assertThat(reader).as("the reader is still reconnecting").isNotDone();
            payloads.close();
            assertThat(reader.join()).isFalse();
            // The last connection may have been accepted while the stream closed, before the reader was told.
            assertThat(told).as("connections told of, of %d accepted", accepted.get())
                    .hasSizeGreaterThanOrEqualTo(accepted.get() - 1).containsOnly(Peers.loopback(port));
        }
    }

    @Test
    void aReconnectingCallerWhoseConnectionsEndAtOnceDialsAtMostOnceASecond() throws Exception {
        SrtSocket listener = SrtSocket.create().bind(Peers.loopback(0)).listen(8);
        java.util.concurrent.atomic.AtomicInteger accepted = acceptAndCloseEvery(listener);
        try (listener) {
            long start = System.nanoTime();
            Stream<byte[]> payloads = Srt.datagrams("srt://127.0.0.1:" + listener.localAddress().getPort(), true);
            Iterator<byte[]> it = payloads.iterator();
            CompletableFuture<Boolean> reader = CompletableFuture.supplyAsync(it::hasNext);
            Peers.await("three connections", () -> accepted.get() >= 3 || reader.isDone());
            long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            payloads.close();
            assertThat(reader.join()).isFalse();
            // Before, it redialled at once: hundreds of connections a second, each logged.
            assertThat(elapsedMs).as("ms until the third connection").isGreaterThanOrEqualTo(1_900L);
        }
    }

    @Test
    void closingAReconnectingCallerWhileItPausesBetweenTwoAttemptsEndsItAtOnce() throws Exception {
        SrtSocket listener = SrtSocket.create().bind(Peers.loopback(0)).listen(1);
        int port = listener.localAddress().getPort();
        CompletableFuture<SrtSocket> accepted = Peers.acceptAsync(listener);
        Stream<byte[]> payloads = Srt.datagrams("srt://127.0.0.1:" + port + "?conntimeo=200", true);
        Iterator<byte[]> it = payloads.iterator();
        CompletableFuture<Boolean> reader = CompletableFuture.supplyAsync(it::hasNext);
        accepted.join().close();
        listener.close();
        try (DatagramSocket nobody = bindOnceLibsrtLetsGo(port)) {
            nobody.receive(new DatagramPacket(new byte[1500], 1500)); // an attempt to reconnect has begun
            // It gives up after CONNTIMEO (200 ms), then pauses a second before the next attempt.
            Thread.sleep(500);
            payloads.close();
            // Ends at once (before, the reader slept out the rest of the pause: about 700 ms here; measured, not
            // asserted: the tests hold no time limits)
            assertThat(reader.join()).isFalse();
        }
    }

    @Test
    void listenerModeReceivesFromOneCaller() throws Exception {
        int port = Peers.freeUdpPort();
        CompletableFuture<List<byte[]>> received = CompletableFuture.supplyAsync(() -> {
            try (Stream<byte[]> s = Srt.datagrams("srt://127.0.0.1:" + port + "?mode=listener")) {
                return s.limit(3).toList();
            } catch (SrtException e) {
                throw new IllegalStateException(e);
            }
        });
        try (SrtSocket caller = Peers.connectWhenUp(SrtUrl.parse("srt://127.0.0.1:" + port))) {
            for (int i = 1; i <= 3; i++) {
                caller.send(new byte[] {(byte) i, 2, 3}, 0, 3);
            }
            assertThat(received.get(20, TimeUnit.SECONDS)).extracting(b -> b[0]).containsExactly((byte) 1, (byte) 2,
                    (byte) 3);
        }
    }

    @Test
    void aListenerOnEveryAddressTakesAnIpv6CallerAndAnIpv4CallerEachShownInItsOwnFamily() throws Exception {
        // Before, srt://:PORT bound 0.0.0.0 (as srt-live-transmit does): a caller over IPv6 found nobody listening.
        org.junit.jupiter.api.Assumptions.assumeTrue(
                SocketAddresses.everyAddress().equals(java.net.InetAddress.ofLiteral("::")), "no IPv6 here");
        int port = Peers.freeUdpPort();
        List<java.net.InetSocketAddress> peersSeen = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (Stream<byte[]> s = Srt.datagrams("srt://:" + port, true, peersSeen::add)) {
            Iterator<byte[]> it = s.iterator();
            CompletableFuture<List<byte[]>> received = CompletableFuture.supplyAsync(() -> {
                List<byte[]> two = new java.util.ArrayList<>();
                while (two.size() < 2 && it.hasNext()) {
                    two.add(it.next());
                }
                return two;
            });
            for (String host : List.of("[::1]", "127.0.0.1")) {
                try (SrtSocket caller = Peers.connectWhenUp(SrtUrl.parse("srt://" + host + ":" + port))) {
                    caller.send(new byte[] {1, 2, 3}, 0, 3);
                    int expected = host.startsWith("[") ? 1 : 2;
                    for (int i = 0; i < 500 && peersSeen.size() < expected; i++) {
                        Thread.sleep(20); // the reader is told of the connection when it accepts it
                    }
                    Thread.sleep(200); // the payload is read before this caller leaves
                }
            }
            assertThat(received.get(20, TimeUnit.SECONDS)).hasSize(2);
        }
        assertThat(peersSeen).extracting(a -> a.getAddress().getHostAddress())
                .containsExactly("0:0:0:0:0:0:0:1", "127.0.0.1");
    }

    @Test
    void aListenerStreamIsReturnedBeforeAnyCallerAndClosingItEndsTheWaitForOne() throws Exception {
        int port = Peers.freeUdpPort();
        String url = "srt://127.0.0.1:" + port + "?mode=listener";
        // Returned at once: before, it waited in accept until a caller came, and there was nothing to close.
        Stream<byte[]> payloads = CompletableFuture.supplyAsync(() -> {
            try {
                return Srt.datagrams(url);
            } catch (SrtException e) {
                throw new IllegalStateException(e);
            }
        }).get(10, TimeUnit.SECONDS);
        Iterator<byte[]> it = payloads.iterator();
        CompletableFuture<Boolean> reader = CompletableFuture.supplyAsync(it::hasNext);
        assertThatThrownBy(() -> SrtUrl.parse(url).listen(1)).as("the port is bound while the stream is open")
                .isInstanceOf(SrtException.class);
        payloads.close();
        assertThat(reader.get(10, TimeUnit.SECONDS)).as("the reader's wait for a caller ended").isFalse();
        assertThat(it.hasNext()).isFalse();
        Peers.await("libsrt to free port " + port, () -> {
            try (SrtSocket again = SrtUrl.parse(url).listen(1)) {
                return again.localAddress().getPort() == port;
            } catch (SrtException inUse) {
                return false;
            }
        });
    }

    @Test
    void onConnectIsToldOfTheCallerAListenerAcceptsAndOfNoneWhenNoCallerCame() throws Exception {
        List<InetSocketAddress> told = new CopyOnWriteArrayList<>();
        Stream<byte[]> lonely = Srt.datagrams("srt://127.0.0.1:" + Peers.freeUdpPort() + "?mode=listener", false,
                told::add);
        Iterator<byte[]> waiting = lonely.iterator();
        CompletableFuture<Boolean> reader = CompletableFuture.supplyAsync(waiting::hasNext);
        lonely.close();
        assertThat(reader.join()).isFalse();
        assertThat(told).as("no caller came").isEmpty();

        int port = Peers.freeUdpPort();
        try (Stream<byte[]> payloads = Srt.datagrams("srt://127.0.0.1:" + port + "?mode=listener", false,
                told::add)) {
            Iterator<byte[]> it = payloads.iterator();
            CompletableFuture<byte[]> first = CompletableFuture.supplyAsync(it::next);
            try (SrtSocket caller = Peers.connectWhenUp(SrtUrl.parse("srt://127.0.0.1:" + port))) {
                caller.send(new byte[] {1, 2, 3}, 0, 3);
                assertThat(first.join()).containsExactly(1, 2, 3);
                assertThat(told).extracting(InetSocketAddress::getPort)
                        .containsExactly(caller.localAddress().getPort());
            }
        }
    }

    @Test
    void onConnectIsToldOfACallersPeerBeforeTheStreamIsReturned() throws Exception {
        try (SrtSocket listener = SrtSocket.create().bind(Peers.loopback(0)).listen(1)) {
            int port = listener.localAddress().getPort();
            CompletableFuture<SrtSocket> accepted = Peers.acceptAsync(listener);
            List<InetSocketAddress> told = new CopyOnWriteArrayList<>();
            try (Stream<byte[]> payloads = Srt.datagrams("srt://127.0.0.1:" + port, false, told::add);
                    SrtSocket server = accepted.join()) {
                assertThat(told).containsExactly(Peers.loopback(port));
                assertThat(payloads).isNotNull();
                assertThat(server.peerAddress()).isNotNull();
            }
        }
    }

    @Test
    void aListenerOnAPortInUseFailsWhenOpenedNamingThePort() throws Exception {
        try (SrtSocket taken = SrtSocket.create().bind(Peers.loopback(0)).listen(1)) {
            int port = taken.localAddress().getPort();
            assertThatThrownBy(() -> Srt.datagrams("srt://127.0.0.1:" + port + "?mode=listener"))
                    .isInstanceOf(SrtException.class).hasMessageContaining(String.valueOf(port));
        }
    }

    @Test
    void aStreamThatEndedStaysEndedInsteadOfWaitingForAnotherCaller() throws Exception {
        int port = Peers.freeUdpPort();
        try (Stream<byte[]> payloads = Srt.datagrams("srt://127.0.0.1:" + port + "?mode=listener")) {
            Iterator<byte[]> it = payloads.iterator();
            AtomicBoolean first = new AtomicBoolean();
            CompletableFuture<List<Boolean>> reader = CompletableFuture.supplyAsync(() -> {
                it.next();
                first.set(true);
                boolean more = it.hasNext(); // the caller has left
                return List.of(more, it.hasNext());
            });
            try (SrtSocket caller = Peers.connectWhenUp(SrtUrl.parse("srt://127.0.0.1:" + port))) {
                caller.send(new byte[] {1, 2, 3}, 0, 3);
                Peers.await("the first payload to be taken", first::get);
            }
            assertThat(reader.get(20, TimeUnit.SECONDS)).containsExactly(false, false);
        }
    }

    /**
     * A sender that closes at once after its last message: libsrt then fails the receive with "connection broken"
     * while the receiver still holds the last latency's worth of messages; the stream delivers them all the same.
     */
    @Test
    void everyMessageSentBeforeTheSenderClosedIsDelivered() throws Exception {
        int count = 400;
        try (SrtSocket listener = SrtSocket.create().set(SrtOption.LATENCY, 500).bind(Peers.loopback(0)).listen(1)) {
            int port = listener.localAddress().getPort();
            CompletableFuture<SrtSocket> accepted = Peers.acceptAsync(listener);
            try (Stream<byte[]> payloads = Srt.datagrams("srt://127.0.0.1:" + port + "?latency=500")) {
                Iterator<byte[]> it = payloads.iterator();
                CompletableFuture<List<Integer>> reader = CompletableFuture.supplyAsync(() -> {
                    List<Integer> numbers = new java.util.ArrayList<>();
                    while (it.hasNext()) {
                        numbers.add(ByteBuffer.wrap(it.next()).getInt());
                    }
                    return numbers;
                });
                try (SrtSocket sender = accepted.get(10, TimeUnit.SECONDS)) {
                    // closed once the receiver has them all, without waiting for the latency as drain() does: the
                    // receiver still holds the last 500 ms of them
                    Peers.sendNumbered(sender, count);
                }
                List<Integer> received = reader.get(30, TimeUnit.SECONDS);
                assertThat(received).as("message numbers received")
                        .containsExactlyElementsOf(java.util.stream.IntStream.range(0, count).boxed().toList());
            }
        }
    }

    private static Stream<byte[]> datagramsWhenUp(String url) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (true) {
            try {
                return Srt.datagrams(url);
            } catch (SrtException e) {
                if (e.rejectReason().orElse(null) != SrtRejectReason.TIMEOUT || System.nanoTime() > deadline) {
                    throw e;
                }
            }
        }
    }
}
