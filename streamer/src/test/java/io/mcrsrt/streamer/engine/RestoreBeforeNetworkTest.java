package io.mcrsrt.streamer.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcrsrt.streamer.engine.store.StreamStore;
import io.mcrsrt.streamer.engine.testing.Await;
import io.mcrsrt.streamer.engine.testing.Peers;
import io.mcrsrt.streamer.engine.testing.TestMedia;
import io.mcrsrt.streamer.engine.testing.VethLink;
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
import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A machine that boots: the service restores its saved streams before every interface or address they name is there
 * (DHCP late, a VLAN interface made later, a contribution NIC cabled late). Each stream stays listed, its detail names
 * what it waits for, and it starts by itself once that appears, with an event saying so. The interface is the near end
 * of a veth pair of the test's own ({@link VethLink}, names {@code nb*}, addresses {@code 10.201.*}), made only once
 * the engine has restored; the peers run in the namespace at its far end. Needs root, skipped where namespaces cannot
 * be made.
 */
class RestoreBeforeNetworkTest {
    /** The engine's listener port range: every port, so that a leg can take any port Peers.freePort gives. */
    private static final int PORT_MIN = 1;
    private static final int PORT_MAX = 65535;
    private static final long WAIT_MILLIS = 30_000;

    @TempDir
    Path data;

    @RegisterExtension
    final VethLink.PerTest network = VethLink.perTest("nb", 201, false);

    @Test
    void aMulticastInputWhoseInterfaceIsMadeAfterTheRestoreJoinsOnceItIsThere(VethLink link) throws Exception {
        Path clip = TestMedia.shortClip();
        int port = port();
        int udpPort = port();
        StreamConfig config = listener(port, new InputSpec.Multicast(link.group(), udpPort, link.near(), null));
        try (LocalStreamEngine engine = restore(clip, null, List.of(config), List.of())) {
            StreamView waiting = Await.view(engine, port, v -> v.status() == StreamStatus.START_ERROR, WAIT_MILLIS);
            assertThat(waiting.status()).isEqualTo(StreamStatus.START_ERROR);
            assertThat(waiting.statusDetail()).contains("network interface " + link.near() + " does not exist")
                    .contains("waiting for it");

            link.plug();
            link.sendMulticast(clip, udpPort, data.resolve("sender.log"));
            StreamView flowing = Await.view(engine, port, v -> v.status() == StreamStatus.WAITING
                    && v.inputBitrateMbps() > 0, WAIT_MILLIS);
            assertThat(flowing.status()).as(flowing.statusDetail()).isEqualTo(StreamStatus.WAITING);
            assertThat(flowing.events()).anyMatch(e -> e.kind().equals("input-opened"));
        }
    }

    @Test
    void aMulticastInputWhoseInterfaceHasNoAddressYetJoinsOnceItHasOne(VethLink link) throws Exception {
        Path clip = TestMedia.shortClip();
        int port = port();
        int udpPort = port();
        link.plugWithoutNearAddress();
        StreamConfig config = listener(port, new InputSpec.Multicast(link.group(), udpPort, link.near(), null));
        try (LocalStreamEngine engine = restore(clip, null, List.of(config), List.of())) {
            StreamView waiting = Await.view(engine, port, v -> v.status() == StreamStatus.START_ERROR, WAIT_MILLIS);
            assertThat(waiting.status()).isEqualTo(StreamStatus.START_ERROR);
            assertThat(waiting.statusDetail()).contains(link.near()).contains("no IPv4 address")
                    .contains("waiting for it");

            link.addNearAddress();
            link.sendMulticast(clip, udpPort, data.resolve("sender.log"));
            StreamView flowing = Await.view(engine, port, v -> v.status() == StreamStatus.WAITING
                    && v.inputBitrateMbps() > 0, WAIT_MILLIS);
            assertThat(flowing.status()).as(flowing.statusDetail()).isEqualTo(StreamStatus.WAITING);
            assertThat(flowing.events()).anyMatch(e -> e.kind().equals("input-opened"));
        }
    }

    @Test
    void aUnicastInputOnAnAddressTheMachineHasNotYetReceivesOnceItHasIt(VethLink link) throws Exception {
        Path clip = TestMedia.shortClip();
        int port = port();
        int udpPort = port();
        StreamConfig config = listener(port, new InputSpec.Multicast(link.nearAddress(), udpPort, null, null));
        try (LocalStreamEngine engine = restore(clip, null, List.of(config), List.of())) {
            StreamView waiting = Await.view(engine, port, v -> v.status() == StreamStatus.START_ERROR, WAIT_MILLIS);
            assertThat(waiting.status()).isEqualTo(StreamStatus.START_ERROR);
            assertThat(waiting.statusDetail()).contains(link.nearAddress() + " is not an address of this machine")
                    .contains("waiting for it");

            link.plug();
            link.startInNamespace(data.resolve("sender.log"), "ffmpeg", "-nostdin", "-loglevel", "error", "-re",
                    "-stream_loop", "-1", "-i", clip.toString(), "-c", "copy", "-f", "mpegts", "udp://"
                            + link.nearAddress() + ":" + udpPort + "?localaddr=" + link.farAddress()
                            + "&pkt_size=1316");
            StreamView flowing = Await.view(engine, port, v -> v.status() == StreamStatus.WAITING
                    && v.inputBitrateMbps() > 0, WAIT_MILLIS);
            assertThat(flowing.status()).as(flowing.statusDetail()).isEqualTo(StreamStatus.WAITING);
            assertThat(flowing.events()).anyMatch(e -> e.kind().equals("input-opened"));
        }
    }

    @Test
    void aListenerWhoseListenAddressIsNotThereYetStartsOnceItIs(VethLink link) throws Exception {
        Path clip = TestMedia.shortClip();
        int port = port();
        StreamConfig config = listener(port, new InputSpec.File(clip.getFileName().toString(), true));
        try (LocalStreamEngine engine = restore(clip, link.nearAddress(), List.of(config), List.of())) {
            StreamView waiting = Await.view(engine, port, v -> v.status() == StreamStatus.START_ERROR, WAIT_MILLIS);
            assertThat(waiting.status()).isEqualTo(StreamStatus.START_ERROR);
            assertThat(waiting.statusDetail()).contains("Listener address " + link.nearAddress()
                    + " is not an address of this machine now").contains("starts by itself");

            link.plug();
            link.startInNamespace(data.resolve("caller.log"), "srt-live-transmit", "-q",
                    "srt://" + link.nearAddress() + ":" + port + "?latency=300", "udp://127.0.0.1:" + port());
            StreamView up = Await.view(engine, port, v -> v.status() == StreamStatus.CONNECTED, WAIT_MILLIS);
            assertThat(up.status()).as(up.statusDetail()).isEqualTo(StreamStatus.CONNECTED);
            assertThat(up.events()).anyMatch(e -> e.kind().equals("restored")
                    && e.detail().contains(link.nearAddress() + " is not an address of this machine now"));
        }
    }

    @Test
    void aPairWhoseListenerLegsInterfaceIsMadeAfterTheRestoreStartsOnceItIsThere(VethLink link) throws Exception {
        Path clip = TestMedia.shortClip();
        int port1 = port();
        int port2 = port();
        PairConfig pair = pair(new PairConfig.Leg(Mode.LISTENER, port1, null, null, link.near()),
                new PairConfig.Leg(Mode.LISTENER, port2, null, null, null));
        try (LocalStreamEngine engine = restore(clip, null, List.of(), List.of(pair))) {
            PairView waiting = awaitPair(engine, pair.key(), p -> p.status() == StreamStatus.START_ERROR);
            assertThat(waiting.status()).isEqualTo(StreamStatus.START_ERROR);
            assertThat(waiting.legs().getFirst().detail()).contains("listening interface " + link.near()
                    + " does not exist").contains("starts by itself");

            link.plug();
            link.startInNamespace(data.resolve("caller.log"), "srt-live-transmit", "-q",
                    "srt://" + link.nearAddress() + ":" + port1 + "?latency=300", "udp://127.0.0.1:" + port());
            PairView up = awaitPair(engine, pair.key(), p -> p.legs().getFirst().status() == StreamStatus.CONNECTED);
            assertThat(up.legs().getFirst().status()).isEqualTo(StreamStatus.CONNECTED);
            assertThat(up.events()).anyMatch(e -> e.kind().equals("restored") && e.detail().contains(link.near()));
        }
    }

    @Test
    void aPairWhoseCallerLegsInterfaceIsMadeAfterTheRestoreDialsFromItOnceItIsThere(VethLink link) throws Exception {
        Path clip = TestMedia.shortClip();
        int port1 = port();
        int port2 = port();
        PairConfig pair = pair(new PairConfig.Leg(Mode.CALLER, null, link.farAddress(), port1, link.near()),
                new PairConfig.Leg(Mode.LISTENER, port2, null, null, null));
        try (LocalStreamEngine engine = restore(clip, null, List.of(), List.of(pair))) {
            PairView waiting = awaitPair(engine, pair.key(), p -> p.status() == StreamStatus.START_ERROR);
            assertThat(waiting.status()).isEqualTo(StreamStatus.START_ERROR);
            assertThat(waiting.legs().getFirst().detail()).contains("outgoing interface " + link.near()
                    + " does not exist").contains("starts by itself");

            link.plug();
            link.startInNamespace(data.resolve("listener.log"), "srt-live-transmit", "-q",
                    "srt://:" + port1 + "?mode=listener&latency=300", "udp://127.0.0.1:" + port());
            PairView up = awaitPair(engine, pair.key(), p -> p.legs().getFirst().status() == StreamStatus.CONNECTED);
            assertThat(up.legs().getFirst().status()).as(up.legs().getFirst().detail())
                    .isEqualTo(StreamStatus.CONNECTED);
            assertThat(up.events()).anyMatch(e -> e.kind().equals("restored") && e.detail().contains(link.near()));
        }
    }

    /** Saves the definitions in {@code DATA_DIR/streams.json} and opens the engine on them, as the service at boot. */
    private LocalStreamEngine restore(Path clip, String listenAddress, List<StreamConfig> streams,
            List<PairConfig> pairs) throws IOException {
        new StreamStore(data).save(streams, pairs);
        return LocalStreamEngine.open(new EngineSettings(clip.getParent(), data, 4, PORT_MIN, PORT_MAX, 4,
                listenAddress));
    }

    private static StreamConfig listener(int port, InputSpec input) {
        return new StreamConfig(Mode.LISTENER, input, port, null, null, 300, 25, Encryption.NONE, null, false, 30,
                false, null);
    }

    /** A pair of a multicast input on loopback (silent: the outputs open without it) and the given legs. */
    private static PairConfig pair(PairConfig.Leg leg1, PairConfig.Leg leg2) throws IOException {
        return new PairConfig(new InputSpec.Multicast("239.201.0.1", port(), "lo", null), PairConfig.DEFAULT_SSRC,
                300, 25, Encryption.NONE, null, false, 30, leg1, leg2);
    }

    private static PairView awaitPair(LocalStreamEngine engine, int key, Predicate<PairView> test)
            throws InterruptedException {
        Await.until(() -> engine.pairs().stream().anyMatch(p -> p.key() == key && test.test(p)), WAIT_MILLIS);
        return engine.pairs().stream().filter(p -> p.key() == key).findFirst().orElseThrow();
    }

    /** A port of this test's range that is free for UDP and TCP on this machine now. */
    private static int port() throws IOException {
        return Peers.freePort();
    }
}
