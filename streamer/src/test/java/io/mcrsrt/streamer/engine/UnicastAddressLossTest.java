package io.mcrsrt.streamer.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcrsrt.streamer.engine.testing.Await;
import io.mcrsrt.streamer.engine.testing.Peers;
import io.mcrsrt.streamer.engine.testing.TestMedia;
import io.mcrsrt.streamer.engine.testing.VethLink;
import io.mcrsrt.streamer.stream.EngineSettings;
import io.mcrsrt.streamer.stream.Encryption;
import io.mcrsrt.streamer.stream.InputSpec;
import io.mcrsrt.streamer.stream.Mode;
import io.mcrsrt.streamer.stream.StreamConfig;
import io.mcrsrt.streamer.stream.StreamStatus;
import io.mcrsrt.streamer.stream.StreamView;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A unicast UDP input bound to one address of this machine, which the machine loses while it runs (a DHCP lease that
 * ran out) and gets back: the socket stays bound, so it receives again once the address is back, and meanwhile its
 * Input lost detail says why nothing arrives. The address is the near end's of a veth pair of the test's own
 * ({@link VethLink}, names {@code nb*}, addresses {@code 10.201.*}), the sender ffmpeg in the namespace at its far end.
 * Needs root, skipped where namespaces cannot be made.
 */
class UnicastAddressLossTest {
    @TempDir
    Path data;

    @RegisterExtension
    final VethLink.PerTest network = VethLink.perTest("nb", 201, true);

    @Test
    void theLostBoundAddressIsNamedInTheInputLostDetailAndTheInputResumesOnceItIsBack(VethLink link) throws Exception {
        Path clip = TestMedia.shortClip();
        int port = Peers.freePort();
        int udpPort = Peers.freePort();
        EngineSettings settings = new EngineSettings(clip.getParent(), data, 4, port, port, 4);
        StreamConfig config = new StreamConfig(Mode.LISTENER,
                new InputSpec.Multicast(link.nearAddress(), udpPort, null, null), port, null, null, 300, 25,
                Encryption.NONE, null, false, 30, false, null);
        try (LocalStreamEngine engine = LocalStreamEngine.open(settings)) {
            engine.start(config);
            link.startInNamespace(data.resolve("sender.log"), "ffmpeg", "-nostdin", "-loglevel", "error", "-re",
                    "-stream_loop", "-1", "-i", clip.toString(), "-c", "copy", "-f", "mpegts", "udp://"
                            + link.nearAddress() + ":" + udpPort + "?localaddr=" + link.farAddress()
                            + "&pkt_size=1316");
            StreamView flowing = Await.view(engine, port, v -> v.status() == StreamStatus.WAITING
                    && v.inputBitrateMbps() > 0, 30_000);
            assertThat(flowing.status()).as(flowing.statusDetail()).isEqualTo(StreamStatus.WAITING);

            link.removeNearAddress();
            String lost = "no data from " + config.input().describe() + " for over a second: " + link.nearAddress()
                    + ", the address this input is bound to, is no longer an address of this machine: nothing sent"
                    + " to it arrives until the address is back on an interface, and the input receives again by"
                    + " itself then";
            StreamView gone = Await.view(engine, port, v -> lost.equals(v.statusDetail()), 30_000);
            assertThat(gone.status()).isEqualTo(StreamStatus.INPUT_LOST);
            assertThat(gone.statusDetail()).isEqualTo(lost);

            link.addNearAddress();
            StreamView back = Await.view(engine, port, v -> v.status() == StreamStatus.WAITING
                    && v.events().stream().anyMatch(e -> e.kind().equals("input-resumed")), 30_000);
            assertThat(back.status()).as(back.statusDetail()).isEqualTo(StreamStatus.WAITING);
            assertThat(back.statusDetail()).isNull();
        }
    }
}
