package io.mcrsrt.streamer.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.mcrsrt.streamer.engine.testing.Await;
import io.mcrsrt.streamer.engine.testing.Peers;
import io.mcrsrt.streamer.engine.testing.TestMedia;
import io.mcrsrt.streamer.impair.DirectionCounters;
import io.mcrsrt.streamer.impair.Impairment;
import io.mcrsrt.streamer.impair.LinkEmulator;
import io.mcrsrt.streamer.stream.EngineSettings;
import io.mcrsrt.streamer.stream.InputSpec;
import io.mcrsrt.streamer.stream.LinkStats;
import io.mcrsrt.streamer.stream.StreamStatus;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The loss a stream shows is the loss of its path: through the link emulator losing 3 % of what the stream sends, on
 * a 40 ms round trip, {@code packet_loss_percent} reads what the emulator dropped, not a multiple of it.
 */
class LossFigureEndToEndTest {
    @TempDir
    Path data;

    @Test
    void aStreamsLossIsWhatItsPathLost() throws Exception {
        Path clip = TestMedia.shortClip();
        int port = Peers.freePort();
        EngineSettings settings = new EngineSettings(clip.getParent(), data, 4, port, port, 4);
        try (LocalStreamEngine engine = LocalStreamEngine.open(settings);
                LinkEmulator path = LinkEmulator.start(new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0),
                        new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), port), Impairment.delay(20),
                        Impairment.delay(20).withLoss(3), 20261123L)) {
            engine.start(FileStreamEndToEndTest.listener(port, new InputSpec.File(clip.getFileName().toString(),
                    true)));
            Await.status(engine, port, StreamStatus.WAITING, 20_000);
            try (Peers.Process rx = Peers.receiveToFile("srt://127.0.0.1:" + path.listenPort()
                    + "?mode=caller&latency=1000", data.resolve("received.ts"), data.resolve("rx.log"))) {
                Await.status(engine, port, StreamStatus.CONNECTED, 20_000);
                // about 3 000 packets at the clip's 2.5 Mbit/s: some 90 lost
                Await.until(() -> sent(engine, port) > 3_000, 60_000);
                LinkStats stats = engine.stream(port).orElseThrow().stats();
                DirectionCounters lost = path.toClientCounters();
                assertThat(stats.packetsSentTotal()).as("packets sent").isGreaterThan(3_000);
                assertThat(stats.packetLossPercent()).as("stream's loss against the path's: %s; %s", lost, stats)
                        .isCloseTo(lost.lossPercent(), within(1.2));
            }
        }
    }

    private static long sent(LocalStreamEngine engine, int port) {
        LinkStats s = engine.stream(port).orElseThrow().stats();
        return s == null ? 0 : s.packetsSentTotal();
    }
}
