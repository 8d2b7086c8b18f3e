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
import io.mcrsrt.streamer.stream.PairConfig;
import io.mcrsrt.streamer.stream.PairView;
import io.mcrsrt.streamer.stream.StreamStatus;
import java.nio.file.Path;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pair's caller leg that sends from its own interface, which is removed while the pair runs (a VLAN interface that
 * {@code ifdown} deletes, a USB adapter pulled) and made again: the leg says it waits for the interface and dials from
 * it once it is back. The interface is the near end of a veth pair of the test's own ({@link VethLink}, names
 * {@code nb*}, addresses {@code 10.201.*}), the listener srt-live-transmit in the namespace at its far end. Needs
 * root, skipped where namespaces cannot be made.
 */
class CallerLegInterfaceLossTest {
    /** The engine's listener port range: every port, so that a leg can take any port Peers.freePort gives. */
    private static final int PORT_MIN = 1;
    private static final int PORT_MAX = 65535;

    @TempDir
    Path data;

    @RegisterExtension
    final VethLink.PerTest network = VethLink.perTest("nb", 201, true);

    @Test
    void aCallerLegWaitsForItsRemovedInterfaceAndDialsFromItOnceItIsBack(VethLink link) throws Exception {
        Path clip = TestMedia.shortClip();
        int target = Peers.freePort();
        PairConfig pair = new PairConfig(new InputSpec.Multicast("239.201.0.2", Peers.freePort(),
                "lo", null), PairConfig.DEFAULT_SSRC, 300, 25, Encryption.NONE, null, false, 30,
                new PairConfig.Leg(Mode.CALLER, null, link.farAddress(), target, link.near()),
                new PairConfig.Leg(Mode.LISTENER, Peers.freePort(), null, null, null));
        String listen = "srt://:" + target + "?mode=listener&latency=300";
        String out = "udp://127.0.0.1:" + Peers.freePort();
        EngineSettings settings = new EngineSettings(clip.getParent(), data, 4, PORT_MIN, PORT_MAX, 4);
        try (LocalStreamEngine engine = LocalStreamEngine.openTransient(settings, 0)) {
            Process first = link.startInNamespace(data.resolve("listener1.log"), "srt-live-transmit", "-q", listen,
                    out);
            engine.startPair(pair);
            PairView up = awaitPair(engine, pair.key(), p -> p.legs().getFirst().status() == StreamStatus.CONNECTED);
            assertThat(up.legs().getFirst().status()).as(up.legs().getFirst().detail())
                    .isEqualTo(StreamStatus.CONNECTED);

            link.unplug();
            VethLink.stop(first);
            String waits = "outgoing interface " + link.near() + " does not exist (expected: an interface name such as"
                    + " eth0 or a local address); waiting for it: the caller dials from it once it is there, looking"
                    + " every 1 s";
            PairView waiting = awaitPair(engine, pair.key(), p -> waits.equals(p.legs().getFirst().detail()));
            assertThat(waiting.legs().getFirst().detail()).isEqualTo(waits);

            link.plug();
            link.startInNamespace(data.resolve("listener2.log"), "srt-live-transmit", "-q", listen, out);
            PairView back = awaitPair(engine, pair.key(), p -> p.legs().getFirst().status() == StreamStatus.CONNECTED);
            assertThat(back.legs().getFirst().status()).as(back.legs().getFirst().detail())
                    .isEqualTo(StreamStatus.CONNECTED);
        }
    }

    private static PairView awaitPair(LocalStreamEngine engine, int key, Predicate<PairView> test)
            throws InterruptedException {
        Await.until(() -> engine.pairs().stream().anyMatch(p -> p.key() == key && test.test(p)), 30_000);
        return engine.pairs().stream().filter(p -> p.key() == key).findFirst().orElseThrow();
    }
}
