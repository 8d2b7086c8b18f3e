package io.mcrsrt.streamer.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcrsrt.streamer.engine.testing.Await;
import io.mcrsrt.streamer.engine.testing.Peers;
import io.mcrsrt.streamer.engine.testing.VethLink;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pair whose legs' interface is an IPv6 link-local address with its zone ({@code fe80::207:N:1%IFACE}), as a
 * point-to-point contribution link without global addresses is set up: the listener leg listens on that address of
 * that interface, the caller leg dials from it, and srt-live-transmit in the namespace at the far end of a veth pair of
 * the test's own ({@link VethLink}, names {@code mcrz*}) receives the stream on both. Needs root, skipped where
 * namespaces cannot be made.
 */
class LinkLocalLegInterfaceTest {
    /** The engine's listener port range: every port, so that a leg can take any port Peers.freePort gives. */
    private static final int PORT_MIN = 1;
    private static final int PORT_MAX = 65535;
    /** Bytes each receiver must have written: a second and a half of the 720p50 colour bars and more. */
    private static final long RECEIVED_BYTES = 200_000;

    @TempDir
    Path data;

    @RegisterExtension
    final VethLink.PerTest network = VethLink.perTest("mcrz", 207, true);

    @Test
    void bothLegsOnALinkLocalAddressWithItsZoneListenAndDialThereAndCarryTheStream(VethLink link)
            throws Exception {
        link.addLinkLocalAddresses();
        String local = link.nearLinkLocal() + "%" + link.near();
        int listenPort = Peers.freePort();
        int targetPort = Peers.freePort();
        PairConfig pair = new PairConfig(new InputSpec.ColorBars(ColorBarFormat.HD_720P50), PairConfig.DEFAULT_SSRC,
                300, 25, Encryption.NONE, null, false, 30,
                new PairConfig.Leg(Mode.LISTENER, listenPort, null, null, local),
                new PairConfig.Leg(Mode.CALLER, null, link.farLinkLocal() + "%" + link.near(), targetPort, local));
        Path fromListener = data.resolve("from-listener.ts");
        Path fromCaller = data.resolve("from-caller.ts");
        EngineSettings settings = new EngineSettings(data, data, 4, PORT_MIN, PORT_MAX, 4);
        try (LocalStreamEngine engine = LocalStreamEngine.openTransient(settings, 0)) {
            link.startInNamespace(data.resolve("listener.log"), "sh", "-c", "exec srt-live-transmit -a:no"
                    + " 'srt://[::]:" + targetPort + "?mode=listener&latency=300' file://con > " + fromCaller);
            engine.startPair(pair);
            // srt-live-transmit gives up at once on a caller whose listener is not listening yet
            PairView listening = awaitPair(engine, pair.key(), p -> p.legs().getFirst().status()
                    == StreamStatus.WAITING && p.legs().getFirst().srtUri().startsWith("srt://[" + local + "]:"));
            assertThat(listening.legs().getFirst().srtUri()).startsWith("srt://[" + local + "]:" + listenPort + "?");
            link.startInNamespace(data.resolve("caller.log"), "sh", "-c", "exec srt-live-transmit -a:no"
                    + " 'srt://[" + link.nearLinkLocal() + "%" + link.far() + "]:" + listenPort + "?latency=300'"
                    + " file://con > " + fromListener);

            PairView up = awaitPair(engine, pair.key(), p -> p.legs().stream()
                    .allMatch(l -> l.status() == StreamStatus.CONNECTED));
            assertThat(up.legs()).as(up.legs().getFirst().detail() + " / " + up.legs().getLast().detail())
                    .allMatch(l -> l.status() == StreamStatus.CONNECTED);
            // the listener leg's caller came from the far end's link-local address, over the link given, which is
            // written by name as ip addr writes it (it was by index, [fe80::...%9])
            assertThat(up.legs().getFirst().peers()).singleElement().satisfies(p -> assertThat(p.address())
                    .startsWith("[" + link.farLinkLocal() + "%" + link.near() + "]:"));
            assertThat(up.legs().getLast().peers()).singleElement().satisfies(p -> assertThat(p.address())
                    .isEqualTo("[" + link.farLinkLocal() + "%" + link.near() + "]:" + targetPort));
            Await.until(() -> size(fromListener) > RECEIVED_BYTES && size(fromCaller) > RECEIVED_BYTES, 30_000);
            assertThat(size(fromListener)).isGreaterThan(RECEIVED_BYTES);
            assertThat(size(fromCaller)).isGreaterThan(RECEIVED_BYTES);
        }
    }

    /**
     * A zone naming an interface the machine has not yet (a VLAN interface made later, a NIC cabled late) is waited for
     * as the interface's name alone is: the pair is listed, its leg naming what it waits for, and starts once the
     * interface and its address are there. It was refused as "neither an IP address nor a name".
     */
    @Test
    void aLinkLocalAddressWhoseZoneIsNotThereYetIsWaitedForAndListenedOnOnceItIs(VethLink link) throws Exception {
        link.unplug();
        String local = link.nearLinkLocal() + "%" + link.near();
        int listenPort = Peers.freePort();
        PairConfig pair = new PairConfig(new InputSpec.ColorBars(ColorBarFormat.HD_720P50), PairConfig.DEFAULT_SSRC,
                300, 25, Encryption.NONE, null, false, 30,
                new PairConfig.Leg(Mode.LISTENER, listenPort, null, null, local),
                new PairConfig.Leg(Mode.LISTENER, Peers.freePort(), null, null, null));
        Path fromListener = data.resolve("from-listener.ts");
        EngineSettings settings = new EngineSettings(data, data, 4, PORT_MIN, PORT_MAX, 4);
        try (LocalStreamEngine engine = LocalStreamEngine.open(settings)) {
            PairView waiting = engine.startPair(pair);
            assertThat(waiting.status()).isEqualTo(StreamStatus.START_ERROR);
            assertThat(waiting.legs().getFirst().detail()).contains(local).contains("starts by itself");

            link.plug();
            link.addLinkLocalAddresses();
            // srt-live-transmit gives up at once on a caller whose listener is not listening yet
            PairView listening = awaitPair(engine, pair.key(), p -> p.legs().getFirst().status()
                    == StreamStatus.WAITING && p.legs().getFirst().srtUri().startsWith("srt://[" + local + "]:"));
            assertThat(listening.legs().getFirst().srtUri()).as(listening.legs().getFirst().detail())
                    .startsWith("srt://[" + local + "]:" + listenPort + "?");
            link.startInNamespace(data.resolve("caller.log"), "sh", "-c", "exec srt-live-transmit -a:no"
                    + " 'srt://[" + link.nearLinkLocal() + "%" + link.far() + "]:" + listenPort + "?latency=300'"
                    + " file://con > " + fromListener);
            PairView up = awaitPair(engine, pair.key(), p -> p.legs().getFirst().status() == StreamStatus.CONNECTED);
            assertThat(up.legs().getFirst().status()).as(up.legs().getFirst().detail())
                    .isEqualTo(StreamStatus.CONNECTED);
            Await.until(() -> size(fromListener) > RECEIVED_BYTES, 30_000);
            assertThat(size(fromListener)).isGreaterThan(RECEIVED_BYTES);
        }
    }

    /** SRT_LISTEN_ADDRESS as a link-local address with its zone: a listener stream listens there and is reached. */
    @Test
    void aListenerStreamOnALinkLocalListenAddressWithItsZoneIsReachedThere(VethLink link) throws Exception {
        link.addLinkLocalAddresses();
        String local = link.nearLinkLocal() + "%" + link.near();
        int port = Peers.freePort();
        StreamConfig config = new StreamConfig(Mode.LISTENER, new InputSpec.ColorBars(ColorBarFormat.HD_720P50), port,
                null, null, 300, 25, Encryption.NONE, null, false, 30, false, null);
        Path received = data.resolve("received.ts");
        EngineSettings settings = new EngineSettings(data, data, 4, PORT_MIN, PORT_MAX, 4, local);
        try (LocalStreamEngine engine = LocalStreamEngine.openTransient(settings, 0)) {
            StreamView started = engine.start(config);
            assertThat(started.srtUri()).startsWith("srt://[" + local + "]:" + port + "?");
            link.startInNamespace(data.resolve("caller.log"), "sh", "-c", "exec srt-live-transmit -a:no"
                    + " 'srt://[" + link.nearLinkLocal() + "%" + link.far() + "]:" + port + "?latency=300'"
                    + " file://con > " + received);
            StreamView up = Await.status(engine, port, StreamStatus.CONNECTED, 30_000);
            assertThat(up.status()).as(up.statusDetail()).isEqualTo(StreamStatus.CONNECTED);
            Await.until(() -> size(received) > RECEIVED_BYTES, 30_000);
            assertThat(size(received)).isGreaterThan(RECEIVED_BYTES);
        }
    }

    /**
     * A multicast input's interface given as a link-local address with its zone is the interface of the zone, also
     * when another interface has the same link-local address (as fe80::1 is on every VLAN of a router): the group was
     * joined on whichever of them the machine listed first.
     */
    @Test
    void aMulticastInputJoinsOnTheInterfaceTheZoneNamesAmongTwoWithTheSameLinkLocalAddress(VethLink link)
            throws Exception {
        link.addLinkLocalAddresses();
        // a second link in this namespace, its near end with the same link-local address
        String twin = "mcrzt" + link.near().replaceAll("[^0-9]", "") + "a";
        link.inRootNamespace("ip", "link", "add", twin, "type", "veth", "peer", "name", twin.replace("a", "b"));
        try {
            link.inRootNamespace("ip", "link", "set", twin.replace("a", "b"), "up");
            link.inRootNamespace("ip", "link", "set", twin, "up");
            link.inRootNamespace("ip", "addr", "add", "10.207.254.1/32", "dev", twin);
            link.inRootNamespace("ip", "addr", "add", link.nearLinkLocal() + "/64", "dev", twin, "nodad");
            Path clip = io.mcrsrt.streamer.engine.testing.TestMedia.shortClip();
            int port = Peers.freePort();
            int udpPort = Peers.freePort();
            StreamConfig config = new StreamConfig(Mode.LISTENER, new InputSpec.Multicast(link.group(), udpPort,
                    link.nearLinkLocal() + "%" + link.near(), null), port, null, null, 300, 25, Encryption.NONE, null,
                    false, 30, false, null);
            EngineSettings settings = new EngineSettings(clip.getParent(), data, 4, PORT_MIN, PORT_MAX, 4);
            try (LocalStreamEngine engine = LocalStreamEngine.openTransient(settings, 0)) {
                engine.start(config);
                link.sendMulticast(clip, udpPort, data.resolve("sender.log"));
                StreamView flowing = Await.view(engine, port, v -> v.inputBitrateMbps() > 0, 30_000);
                // the twin link carries nothing: data comes only if the group was joined on the zone's interface
                assertThat(flowing.inputBitrateMbps()).as(flowing.statusDetail()).isGreaterThan(0);
            }
        } finally {
            link.inRootNamespace("ip", "link", "del", twin);
        }
    }

    private static long size(Path file) {
        try {
            return Files.exists(file) ? Files.size(file) : 0;
        } catch (java.io.IOException e) {
            return 0;
        }
    }

    private static PairView awaitPair(LocalStreamEngine engine, int key, Predicate<PairView> test)
            throws InterruptedException {
        Await.until(() -> engine.pairs().stream().anyMatch(p -> p.key() == key && test.test(p)), 30_000);
        return engine.pairs().stream().filter(p -> p.key() == key).findFirst().orElseThrow();
    }
}
