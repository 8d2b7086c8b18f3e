package io.mcrsrt.streamer.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcrsrt.srt.Srt;
import io.mcrsrt.srt.SrtException;
import io.mcrsrt.srt.SrtOption;
import io.mcrsrt.srt.SrtSocket;
import io.mcrsrt.srt.SrtSocketState;
import io.mcrsrt.srt.SrtUrl;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * SRT peers that come and go: the far end vanishing and returning, callers leaving and the next arriving, and many
 * connections leaving nothing behind. The peers are srt-live-transmit processes, killed with SIGKILL like a crash.
 */
class SrtPeerFaultsTest {
    private static final int MESSAGE = 1316;

    private final Peers peers = new Peers();
    private final AtomicInteger marker = new AtomicInteger();
    private volatile boolean feeding = true;
    private Thread feeder;

    @AfterEach
    void stopPeers() throws InterruptedException {
        feeding = false;
        if (feeder != null) {
            feeder.join(5000);
        }
        peers.close();
    }

    @Test
    void aCallerWhoseListenerVanishesReconnectsWhenItReturns() throws Exception {
        int srtPort = Peers.freeUdpPort();
        int udpPort = Peers.freeUdpPort();
        String[] listener = {"srt-live-transmit", "-a:no", "-q", "udp://127.0.0.1:" + udpPort,
                "srt://127.0.0.1:" + srtPort + "?mode=listener"};
        Process first = peers.start(listener);
        startFeeder(udpPort);
        marker.set(1);
        {
            try (Receiver receiver = new Receiver(() -> openWhenUp("srt://127.0.0.1:" + srtPort + "?mode=caller"))) {
                receiver.awaitMarker(1);

                Peers.kill9(first);
                marker.set(2);
                peers.start(listener);

                receiver.awaitMarker(2);
            }
        }
    }

    @Test
    void aListenerWhoseCallerLeavesAcceptsTheNext() throws Exception {
        int srtPort = Peers.freeUdpPort();
        int udpPort = Peers.freeUdpPort();
        String[] caller = {"srt-live-transmit", "-a:no", "-q", "udp://127.0.0.1:" + udpPort,
                "srt://127.0.0.1:" + srtPort + "?mode=caller"};
        {
            // A listener stream waits for its first caller as it opens: the receiver opens it on its own thread.
            try (Receiver receiver = new Receiver(
                    () -> Srt.datagrams("srt://127.0.0.1:" + srtPort + "?mode=listener", true))) {
                startFeeder(udpPort);
                marker.set(1);
                Process first = peers.start(caller);
                receiver.awaitMarker(1);

                Peers.kill9(first);
                marker.set(2);
                peers.start(caller);

                receiver.awaitMarker(2);
            }
        }
    }

    @Test
    void aHundredConnectAndDisconnectCyclesLeaveNoDescriptorThreadOrSocketBehind() throws Exception {
        SrtUrl listenUrl = SrtUrl.parse("srt://127.0.0.1:" + Peers.freeUdpPort() + "?mode=listener");
        try (SrtSocket listener = listenUrl.listen(4)) {
            SrtUrl callUrl = SrtUrl.parse("srt://127.0.0.1:" + listener.localAddress().getPort() + "?mode=caller");
            cycles(listener, callUrl, 5);
            ProcessResources before = settled(null);

            List<SrtSocket> closed = cycles(listener, callUrl, 100);

            ProcessResources after = settled(before);
            assertThat(after.fds()).as("open file descriptors after 100 cycles (before: %s)", before)
                    .isLessThanOrEqualTo(before.fds() + 2);
            assertThat(after.threads()).as("threads after 100 cycles: %s (before: %s)", after.threadsByName(),
                    before.threadsByName()).isLessThanOrEqualTo(before.threads() + 2);
            // libsrt has no count of its sockets; ask it about each one this test made: none may still exist.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            List<SrtSocket> alive = closed;
            while (!alive.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(500);
                alive = alive.stream().filter(s -> s.state() != SrtSocketState.NONEXIST).toList();
            }
            assertThat(alive).as("libsrt sockets still known after closing").isEmpty();
        }
    }

    private static List<SrtSocket> cycles(SrtSocket listener, SrtUrl callUrl, int count) throws SrtException {
        List<SrtSocket> sockets = new ArrayList<>();
        byte[] payload = new byte[MESSAGE];
        byte[] in = new byte[1500];
        for (int i = 0; i < count; i++) {
            try (SrtSocket caller = callUrl.open(); SrtSocket accepted = listener.accept()) {
                sockets.add(caller);
                sockets.add(accepted);
                accepted.set(SrtOption.RCVTIMEO, 10_000);
                ByteBuffer.wrap(payload).putInt(0, i);
                caller.send(payload, 0, MESSAGE);
                assertThat(accepted.receive(in, 0, in.length)).isEqualTo(MESSAGE);
                assertThat(ByteBuffer.wrap(in).getInt(0)).isEqualTo(i);
            }
        }
        return sockets;
    }

    /**
     * Waits until libsrt has collected its closed sockets (its garbage collector runs about once a second and frees a
     * socket's UDP port and threads only then): until the counts stop falling, or reach {@code target}.
     */
    private static ProcessResources settled(ProcessResources target) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        ProcessResources last = ProcessResources.ofSelf();
        int stable = 0;
        while (System.nanoTime() < deadline) {
            Thread.sleep(500);
            ProcessResources now = ProcessResources.ofSelf();
            if (target != null && now.fds() <= target.fds() && now.threads() <= target.threads()) {
                return now;
            }
            stable = now.fds() == last.fds() && now.threads() == last.threads() ? stable + 1 : 0;
            last = now;
            if (target == null && stable >= 6) {
                return now;
            }
        }
        return last;
    }

    /** Opens a reconnecting caller stream once srt-live-transmit's listener is up (it may still be starting). */
    private static Stream<byte[]> openWhenUp(String url) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            try {
                return Srt.datagrams(url + "&conntimeo=1000", true);
            } catch (SrtException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(200);
            }
        }
    }

    private void startFeeder(int udpPort) {
        feeder = Thread.ofPlatform().name("udp-feeder-" + udpPort).daemon().start(() -> {
            byte[] payload = new byte[MESSAGE];
            try (DatagramSocket out = new DatagramSocket()) {
                InetSocketAddress to = new InetSocketAddress(Peers.LOOPBACK, udpPort);
                while (feeding) {
                    ByteBuffer.wrap(payload).putInt(0, marker.get());
                    out.send(new DatagramPacket(payload, MESSAGE, to));
                    Thread.sleep(5);
                }
            } catch (Exception e) {
                // the test fails on what it does not receive
            }
        });
    }

    /** Reads the datagram stream on its own platform thread (libsrt blocks it) and keeps the markers seen. */
    private static final class Receiver implements AutoCloseable {
        private final BlockingQueue<Integer> markers = new LinkedBlockingQueue<>();
        private volatile Stream<byte[]> stream;
        private volatile boolean closed;
        private final Thread thread;

        Receiver(Callable<Stream<byte[]>> opener) {
            thread = Thread.ofPlatform().name("srt-receiver").daemon().start(() -> {
                try {
                    stream = opener.call();
                    if (closed) {
                        stream.close();
                        return;
                    }
                    Iterator<byte[]> in = stream.iterator();
                    while (in.hasNext()) {
                        markers.add(ByteBuffer.wrap(in.next()).getInt(0));
                    }
                } catch (Exception e) {
                    markers.add(-1);
                }
            });
        }

        void awaitMarker(int wanted) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(45);
            while (System.nanoTime() < deadline) {
                Integer m = markers.poll(1, TimeUnit.SECONDS);
                if (m != null && m == wanted) {
                    return;
                }
                if (m != null && m == -1) {
                    throw new AssertionError("the receiving stream ended instead of reconnecting");
                }
            }
            throw new AssertionError("no message from peer " + wanted + " within 45 s");
        }

        @Override
        public void close() throws InterruptedException {
            closed = true;
            Stream<byte[]> s = stream;
            if (s != null) {
                s.close();
            }
            thread.join(5000);
            assertThat(thread.isAlive()).as("receiver thread still blocked after its stream was closed").isFalse();
        }
    }
}
