package io.mcrsrt.streamer.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcrsrt.streamer.engine.testing.Await;
import io.mcrsrt.streamer.engine.testing.Peers;
import io.mcrsrt.streamer.engine.testing.TestMedia;
import io.mcrsrt.streamer.engine.testing.TsCheck;
import io.mcrsrt.streamer.engine.testing.VethLink;
import io.mcrsrt.streamer.stream.EngineSettings;
import io.mcrsrt.streamer.stream.Encryption;
import io.mcrsrt.streamer.stream.InputSpec;
import io.mcrsrt.streamer.stream.Mode;
import io.mcrsrt.streamer.stream.StreamConfig;
import io.mcrsrt.streamer.stream.StreamStatus;
import io.mcrsrt.streamer.stream.StreamView;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A UDP input from an IPv6 multicast group, as on an IPv6-only contribution network: any-source ({@code ff15::}) and
 * source-specific ({@code ff3e::8000:N}, the source an IPv6 address), raw TS and RTP, the interface given by name and
 * by its IPv6 address. Loopback does not carry IPv6 multicast, so ffmpeg sends from a network namespace of the test's
 * own over a veth pair ({@link VethLink}); needs root, skipped where namespaces cannot be made.
 */
class Ipv6MulticastInputTest {
    @TempDir
    Path data;

    @RegisterExtension
    final VethLink.PerTest network = VethLink.perTestWithIpv6("v6", 206);

    @ParameterizedTest(name = "{0} {1}, interface by {2}")
    @CsvSource({"any-source, raw, name", "any-source, rtp, address", "source-specific, raw, address",
            "source-specific, rtp, name"})
    void anIpv6GroupIsTheStreamsInputIsLostOnSilenceAndResumes(String join, String wrapping, String by, VethLink link)
            throws Exception {
        boolean ssm = join.equals("source-specific");
        boolean rtp = wrapping.equals("rtp");
        Path clip = TestMedia.shortClip();
        int port = Peers.freePort();
        int udpPort = Peers.freePort();
        String group = ssm ? link.ssmGroup6() : link.group6();
        String source = link.farAddress6();
        EngineSettings settings = new EngineSettings(clip.getParent(), data, 4, port, port, 4);
        StreamConfig config = new StreamConfig(Mode.LISTENER, new InputSpec.Multicast(group, udpPort,
                by.equals("name") ? link.near() : link.nearAddress6(), ssm ? source : null), port, null, null, 1000,
                25, Encryption.NONE, null, false, 30, false, null);
        Path received = data.resolve("received.ts");
        try (LocalStreamEngine engine = LocalStreamEngine.open(settings)) {
            engine.start(config);
            StreamView waiting = Await.status(engine, port, StreamStatus.INPUT_LOST, 20_000);
            assertThat(waiting.status()).as(waiting.statusDetail()).isEqualTo(StreamStatus.INPUT_LOST);
            if (ssm) {
                Process other = link.sendMulticast6(clip, group, udpPort, link.addFarAddress6(3), rtp,
                        data.resolve("other.log"));
                // Long enough for input to be noticed: the status follows the input within a second.
                Thread.sleep(3000);
                StreamView v = engine.stream(port).orElseThrow();
                assertThat(v.status()).as("another source's datagrams are not the input")
                        .isEqualTo(StreamStatus.INPUT_LOST);
                assertThat(v.inputBitrateMbps()).isZero();
                VethLink.stop(other);
            }
            Process sender = link.sendMulticast6(clip, group, udpPort, source, rtp, data.resolve("sender1.log"));
            try (Peers.Process rx = Peers.receiveToFile("srt://127.0.0.1:" + port + "?mode=caller&latency=1000",
                    received, data.resolve("rx.log"))) {
                StreamView v = Await.status(engine, port, StreamStatus.CONNECTED, 30_000);
                assertThat(v.status()).as(v.statusDetail() + "; sender: " + log(data.resolve("sender1.log")))
                        .isEqualTo(StreamStatus.CONNECTED);
                assertThat(Await.until(() -> size(received) > 300_000, 20_000)).isTrue();

                VethLink.stop(sender);
                StreamView lost = Await.status(engine, port, StreamStatus.INPUT_LOST, 10_000);
                assertThat(lost.status()).isEqualTo(StreamStatus.INPUT_LOST);
                assertThat(lost.connectionStatus()).isEqualTo("Input lost");
                assertThat(lost.peers()).hasSize(1);

                link.sendMulticast6(clip, group, udpPort, source, rtp, data.resolve("sender2.log"));
                StreamView back = Await.status(engine, port, StreamStatus.CONNECTED, 20_000);
                assertThat(back.status()).isEqualTo(StreamStatus.CONNECTED);
                assertThat(back.events()).anyMatch(e -> e.kind().equals("input-lost"))
                        .anyMatch(e -> e.kind().equals("input-resumed"));
            }
        }
        TsCheck check = TsCheck.of(received);
        assertThat(check.packets()).isGreaterThan(1500);
        assertThat(Files.size(received) % 188).isZero();
    }

    private static String log(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p) : "";
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return 0;
        }
    }
}
