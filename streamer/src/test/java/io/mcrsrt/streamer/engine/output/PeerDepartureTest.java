package io.mcrsrt.streamer.engine.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.mcrsrt.srt.SrtSocket;
import io.mcrsrt.streamer.engine.testing.Await;
import io.mcrsrt.streamer.engine.testing.Peers;
import io.mcrsrt.streamer.stream.Encryption;
import io.mcrsrt.streamer.stream.InputSpec;
import io.mcrsrt.streamer.stream.Mode;
import io.mcrsrt.streamer.stream.StreamConfig;
import io.mcrsrt.streamer.stream.StreamStatus;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A caller that leaves at any moment is that caller gone, never the stream's error: real libsrt callers on loopback.
 * And closing an output from an interrupted thread (how a stream is stopped) still waits for its helper thread.
 */
class PeerDepartureTest {

    private static StreamConfig listenerConfig(int port) {
        return new StreamConfig(Mode.LISTENER, new InputSpec.File("clip.ts", true), port, null, null, 120, 10,
                Encryption.NONE, null, false, 30, false, null);
    }

    @Test
    void aPeerWhoseSocketIsClosedUnderItIsGoneWithoutAnExceptionEscaping() throws Exception {
        try (SrtSocket listener = SrtSocket.create()) {
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            listener.listen(1);
            try (SrtSocket caller = SrtSocket.create()) {
                caller.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(),
                        listener.localAddress().getPort()));
                SrtSocket accepted = listener.accept();
                Peer peer = new Peer(accepted, null);
                peer.inputBandwidth(1_000_000);
                assertThat(peer.gone()).isFalse();

                accepted.close();

                assertThatCode(() -> peer.inputBandwidth(2_000_000)).doesNotThrowAnyException();
                assertThat(peer.gone()).isTrue();
            }
        }
    }

    @Test
    void aCallerThatBreaksBeforeTheOwnerNoticesIsDroppedAndTheOtherCallerStays() throws Exception {
        int port = Peers.freePort();
        List<String> events = new ArrayList<>();
        ListenerOutput out = ListenerOutput.open(listenerConfig(port), 4, 2_000_000,
                (kind, detail) -> events.add(kind + " " + detail), InetAddress.getLoopbackAddress());
        try (SrtSocket leaving = SrtSocket.create(); SrtSocket staying = SrtSocket.create()) {
            InetSocketAddress at = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
            leaving.connect(at);
            staying.connect(at);
            assertThat(Await.until(() -> {
                out.tick(System.nanoTime());
                return out.peers().size() == 2;
            }, 20_000)).as("both callers admitted: %s", events).isTrue();

            leaving.close();
            // The owner sets the input rate (every second) before its tick notices the break: the rate change is
            // what meets the broken socket first.
            long[] rate = {2_000_000};
            assertThat(Await.until(() -> {
                rate[0] = rate[0] == 2_000_000 ? 4_000_000 : 2_000_000;
                out.inputRate(rate[0]);
                out.tick(System.nanoTime());
                return out.peers().size() == 1;
            }, 20_000)).as("the leaving caller dropped: %s", events).isTrue();
            assertThat(out.status()).isEqualTo(StreamStatus.CONNECTED);
            assertThat(events).anyMatch(e -> e.startsWith("disconnected"));
        } finally {
            out.close();
        }
    }

    @Test
    void closingFromAnInterruptedThreadWaitsForTheAcceptThreadAndKeepsTheInterrupt() throws Exception {
        int port = Peers.freePort();
        ListenerOutput out = ListenerOutput.open(listenerConfig(port), 4, 2_000_000, (kind, detail) -> { },
                InetAddress.getLoopbackAddress());
        String acceptThread = "stream-" + port + "-accept";
        assertThat(alive(acceptThread)).isTrue();

        Thread.currentThread().interrupt();
        out.close();
        boolean stillInterrupted = Thread.interrupted();

        assertThat(stillInterrupted).as("the interrupt is kept for the stream's owner").isTrue();
        assertThat(alive(acceptThread)).as("the accept thread has ended when close() returns").isFalse();
    }

    @Test
    void closingACallerFromAnInterruptedThreadWaitsForTheConnectThreadAndKeepsTheInterrupt() throws Exception {
        int port = Peers.freePort();
        StreamConfig config = new StreamConfig(Mode.CALLER, new InputSpec.File("clip.ts", true), null, "127.0.0.1",
                port, 120, 10, Encryption.NONE, null, false, 30, false, null);
        CallerOutput out = CallerOutput.start(config, 2_000_000, (kind, detail) -> { }, (String) null);
        String connectThread = "stream-" + port + "-connect";
        assertThat(Await.until(() -> alive(connectThread), 20_000)).isTrue();

        Thread.currentThread().interrupt();
        out.close();
        boolean stillInterrupted = Thread.interrupted();

        assertThat(stillInterrupted).as("the interrupt is kept for the stream's owner").isTrue();
        assertThat(alive(connectThread)).as("the connect thread has ended when close() returns").isFalse();
    }

    private static boolean alive(String threadName) {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().equals(threadName) && t.isAlive());
    }
}
