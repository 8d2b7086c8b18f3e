package io.mcrsrt.streamer.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcrsrt.srt.SrtOption;
import io.mcrsrt.srt.SrtSocket;
import io.mcrsrt.streamer.engine.testing.Await;
import io.mcrsrt.streamer.engine.testing.Peers;
import io.mcrsrt.streamer.engine.testing.TestMedia;
import io.mcrsrt.streamer.stream.ColorBarFormat;
import io.mcrsrt.streamer.stream.EngineSettings;
import io.mcrsrt.streamer.stream.Encryption;
import io.mcrsrt.streamer.stream.InputSpec;
import io.mcrsrt.streamer.stream.Mode;
import io.mcrsrt.streamer.stream.PairConfig;
import io.mcrsrt.streamer.stream.PairView;
import io.mcrsrt.streamer.stream.StreamConfig;
import io.mcrsrt.streamer.stream.StreamStatus;
import io.mcrsrt.streamer.stream.StreamView;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SRT outputs over IPv6 loopback: listeners bound to {@code ::1}, and a SMPTE 2022-7 pair with one leg over IPv6. */
class Ipv6SrtOutputTest {
    @TempDir
    Path data;

    /**
     * With SRT_LISTEN_ADDRESS {@code ::1} a listener stream is reached at {@code srt://[::1]:PORT}, as its srt_uri
     * says, the caller is shown as {@code [::1]:port} with its own statistics, and an IPv4 caller finds nothing.
     */
    @Test
    void aListenerBoundToIpv6LoopbackServesAnIpv6Caller() throws Exception {
        Path clip = TestMedia.shortClip();
        int port = Peers.freePort();
        EngineSettings settings = new EngineSettings(clip.getParent(), data, 4, port, port, 4, "::1");
        Path received = data.resolve("over6.ts");
        try (LocalStreamEngine engine = LocalStreamEngine.open(settings)) {
            StreamView started = engine.start(new StreamConfig(Mode.LISTENER,
                    new InputSpec.File(clip.getFileName().toString(), true), port, null, null, 1000, 25,
                    Encryption.NONE, null, false, 30, false, null));
            assertThat(started.srtUri()).startsWith("srt://[::1]:" + port + "?mode=listener");
            Await.status(engine, port, StreamStatus.WAITING, 20_000);
            try (SrtSocket over4 = SrtSocket.create()) {
                over4.set(SrtOption.CONNTIMEO, 1000);
                org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> over4.connect(new InetSocketAddress("127.0.0.1", port)))
                        .as("nothing listens on 127.0.0.1:%d", port).isInstanceOf(io.mcrsrt.srt.SrtException.class);
            }
            try (Peers.Process rx = Peers.receiveToFile("srt://[::1]:" + port + "?mode=caller&latency=1000",
                    received, data.resolve("over6.log"))) {
                StreamView v = Await.view(engine, port, s -> s.peers().size() == 1
                        && s.peers().getFirst().stats() != null && s.peers().getFirst().stats().bytesSent() > 0,
                        20_000);
                assertThat(v.peers()).singleElement().satisfies(p -> {
                    assertThat(p.address()).matches("\\[::1]:[0-9]+");
                    assertThat(p.stats().bytesSent()).isPositive();
                });
                assertThat(Await.until(() -> size(received) > 100_000, 20_000)).isTrue();
            }
        }
    }

    /**
     * A 2022-7 pair whose first leg listens on {@code ::1} (its interface given as that address) and whose second
     * calls a listener at {@code [::1]}: both legs carry the stream, and their addresses read with brackets.
     */
    @Test
    void aPairWithItsLegsOverIpv6CarriesTheStreamOnBoth() throws Exception {
        Path media = TestMedia.dir().resolve("data");
        int listen = Peers.freePort();
        int call = Peers.freePort();
        EngineSettings settings = new EngineSettings(data, media, 4, 1, 65535, 4);
        PairConfig pair = new PairConfig(new InputSpec.ColorBars(ColorBarFormat.HD_720P50), "0123ABCD", 1000, 25,
                Encryption.NONE, null, false, 30,
                new PairConfig.Leg(Mode.LISTENER, listen, null, null, "::1"),
                new PairConfig.Leg(Mode.CALLER, null, "::1", call, null));
        Path a = data.resolve("a.rtp");
        Path b = data.resolve("b.rtp");
        try (Peers.Process rxB = Peers.receiveToFile("srt://[::1]:" + call + "?mode=listener&latency=1000", b,
                data.resolve("b.log"));
                LocalStreamEngine engine = LocalStreamEngine.openTransient(settings, 0)) {
            engine.startPair(pair);
            // srt-live-transmit gives up at once when nothing listens yet: start it once the leg is listening.
            assertThat(Await.until(() -> engine.pairs().getFirst().legs().getFirst().status() == StreamStatus.WAITING
                    || engine.pairs().getFirst().legs().getFirst().status() == StreamStatus.CONNECTED, 60_000))
                    .as("the listener leg on [::1]:%d listens", listen).isTrue();
            try (Peers.Process rxA = Peers.receiveToFile("srt://[::1]:" + listen + "?mode=caller&latency=1000", a,
                    data.resolve("a.log"))) {
                Await.until(() -> engine.pairs().getFirst().legs().stream()
                        .allMatch(l -> l.status() == StreamStatus.CONNECTED && l.stats() != null), 60_000);
                PairView v = engine.pairs().getFirst();
                assertThat(v.legs()).extracting(l -> l.status())
                        .containsExactly(StreamStatus.CONNECTED, StreamStatus.CONNECTED);
                assertThat(v.legs()).extracting(l -> l.srtUri().substring(0, l.srtUri().indexOf('?')))
                        .containsExactly("srt://[::1]:" + listen, "srt://[::1]:" + call);
                assertThat(v.legs().getFirst().peers()).singleElement()
                        .satisfies(p -> assertThat(p.address()).matches("\\[::1]:[0-9]+"));
                assertThat(v.legs().get(1).peers()).singleElement()
                        .satisfies(p -> assertThat(p.address()).isEqualTo("[::1]:" + call));
                assertThat(Await.until(() -> size(a) > 300_000 && size(b) > 300_000, 30_000)).isTrue();
            }
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
