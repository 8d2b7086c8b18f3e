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
import java.util.List;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A multicast input whose interface is removed under it and made again (a USB adapter plugged back in, a VLAN
 * interface that {@code ifdown} deletes and {@code ifup} makes again): the interface comes back with a new index, on
 * which the group was never joined. The source sends from a network namespace of the test's own over a veth pair
 * ({@link VethLink}); needs root, skipped where namespaces cannot be made.
 */
class MulticastInterfaceChangeTest {
    @TempDir
    Path data;

    @RegisterExtension
    final VethLink.PerTest network = VethLink.perTest();

    @ParameterizedTest(name = "interface given by {0}")
    @ValueSource(strings = {"name", "address"})
    void anInterfaceRemovedAndMadeAgainIsJoinedAgainAndTheInputResumesByItself(String by, VethLink link)
            throws Exception {
        Path clip = TestMedia.shortClip();
        int port = Peers.freePort();
        int udpPort = Peers.freePort();
        String nameOrAddress = by.equals("name") ? link.near() : link.nearAddress();
        EngineSettings settings = new EngineSettings(clip.getParent(), data, 4, port, port, 4);
        StreamConfig config = new StreamConfig(Mode.LISTENER,
                new InputSpec.Multicast(link.group(), udpPort, nameOrAddress, null), port, null, null, 1000, 25,
                Encryption.NONE, null, false, 30, false, null);
        try (LocalStreamEngine engine = LocalStreamEngine.open(settings)) {
            Process sender = link.sendMulticast(clip, udpPort, data.resolve("sender1.log"));
            engine.start(config);
            StreamView flowing = Await.view(engine, port, v -> v.status() == StreamStatus.WAITING
                    && v.inputBitrateMbps() > 0, 30_000);
            assertThat(flowing.status()).as(flowing.statusDetail()).isEqualTo(StreamStatus.WAITING);

            link.unplug();
            VethLink.stop(sender); // its address went with the interface
            StreamView gone = Await.view(engine, port, v -> v.statusDetail() != null
                    && v.statusDetail().contains("no longer exists"), 30_000);
            assertThat(gone.status()).isEqualTo(StreamStatus.INPUT_LOST);
            assertThat(gone.statusDetail()).isEqualTo("no data from " + config.input().describe() + " for over a"
                    + " second: the interface " + link.near() + " that " + link.group() + " was joined on no longer"
                    + " exists; the group is joined again as soon as there is one "
                    + (by.equals("name") ? "named " : "with the address ") + nameOrAddress);

            link.plug();
            link.sendMulticast(clip, udpPort, data.resolve("sender2.log"));
            // not the last event: the new sender's first packets count as continuity errors, an input-faults event
            StreamView back = Await.view(engine, port, v -> v.status() == StreamStatus.WAITING
                    && lastOf(v, "input-lost", "input-resumed").equals("input-resumed"), 60_000);
            assertThat(lastOf(back, "input-lost", "input-resumed")).isEqualTo("input-resumed");
            assertThat(back.status()).as(back.statusDetail()).isEqualTo(StreamStatus.WAITING);
            assertThat(back.events()).filteredOn(e -> e.kind().equals("input-rejoined")).singleElement()
                    .satisfies(e -> assertThat(e.detail()).startsWith("input: joined " + link.group() + " again on "
                            + link.near() + " (index ").contains("the interface it was joined on, " + link.near())
                            .endsWith("was removed"));
        }
    }

    /** Of the events of {@code kinds}, the kind of the last one; "" when there is none. */
    private static String lastOf(StreamView v, String... kinds) {
        List<String> wanted = List.of(kinds);
        return v.events().reversed().stream().map(e -> e.kind()).filter(wanted::contains).findFirst().orElse("");
    }
}
