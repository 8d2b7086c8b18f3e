package io.mcrsrt.streamer.engine.output;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcrsrt.srt.SrtSocket;
import io.mcrsrt.streamer.engine.testing.Await;
import io.mcrsrt.streamer.engine.testing.Peers;
import io.mcrsrt.streamer.stream.Encryption;
import io.mcrsrt.streamer.stream.InputSpec;
import io.mcrsrt.streamer.stream.Mode;
import io.mcrsrt.streamer.stream.StreamConfig;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * A far end that sends a stream into an output (an encoder set to send where a receiver was meant) is named in the
 * stream's events, once; a caller that only receives is not. Real libsrt callers on loopback.
 */
class PeerAlsoSendsTest {

    @Test
    void aCallerThatSendsIntoAListenerOutputIsNamedOnceAndAReceiverIsNot() throws Exception {
        int port = Peers.freePort();
        List<String> events = new CopyOnWriteArrayList<>();
        StreamConfig config = new StreamConfig(Mode.LISTENER, new InputSpec.File("clip.ts", true), port, null, null,
                120, 10, Encryption.NONE, null, false, 30, false, null);
        ListenerOutput out = ListenerOutput.open(config, 4, 2_000_000, (kind, detail) -> events.add(kind + " " + detail),
                InetAddress.getLoopbackAddress());
        try (SrtSocket sender = SrtSocket.create(); SrtSocket receiver = SrtSocket.create()) {
            InetSocketAddress at = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
            sender.connect(at);
            receiver.connect(at);
            String senderAddress = "127.0.0.1:" + sender.localAddress().getPort();
            String receiverAddress = "127.0.0.1:" + receiver.localAddress().getPort();
            ByteBuffer stream = ByteBuffer.allocateDirect(1316);
            byte[] pushed = new byte[1316];
            long until = System.nanoTime() + 4_000_000_000L;
            while (System.nanoTime() < until) {
                stream.clear();
                out.send(stream, 0);
                sender.send(pushed, 0, pushed.length);
                out.tick(System.nanoTime());
                Thread.sleep(10);
            }
            assertThat(out.peers()).as("both callers stay connected: %s", events).hasSize(2);
            List<String> told = events.stream().filter(e -> e.contains("sends a stream into this output")).toList();
            assertThat(told).as("events: %s", events).singleElement().satisfies(e -> assertThat(e)
                    .startsWith("warning " + senderAddress + ": it sends a stream into this output (")
                    .contains("both ends are senders; set the far end to receive"));
            assertThat(events).noneMatch(e -> e.contains(receiverAddress + ": it sends"));
        } finally {
            out.close();
        }
    }
}
