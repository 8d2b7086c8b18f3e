package io.mcrsrt.streamer.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mcrsrt.streamer.engine.store.StreamStore;
import io.mcrsrt.streamer.engine.testing.Await;
import io.mcrsrt.streamer.engine.testing.Peers;
import io.mcrsrt.streamer.engine.testing.TestMedia;
import io.mcrsrt.streamer.engine.testing.VethLink;
import io.mcrsrt.streamer.stream.EngineSettings;
import io.mcrsrt.streamer.stream.Encryption;
import io.mcrsrt.streamer.stream.InputSpec;
import io.mcrsrt.streamer.stream.Mode;
import io.mcrsrt.streamer.stream.StreamConfig;
import io.mcrsrt.streamer.stream.StreamException;
import io.mcrsrt.streamer.stream.StreamStatus;
import io.mcrsrt.streamer.stream.StreamView;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A listener bound to one address (SRT_LISTEN_ADDRESS) whose address the machine loses while it runs, and gets back:
 * the address is the near end's of a veth pair of the test's own ({@link VethLink}), the caller srt-live-transmit in
 * the namespace at its far end. Needs root, skipped where namespaces cannot be made.
 */
class ListenerAddressLossTest {
    @TempDir
    Path data;

    @RegisterExtension
    final VethLink.PerTest network = VethLink.perTest();

    @Test
    void theLostAddressIsNamedInTheStatusAndCallersReachTheListenerOnceItIsBack(VethLink link) throws Exception {
        Path clip = TestMedia.shortClip();
        int port = Peers.freePort();
        EngineSettings settings = new EngineSettings(clip.getParent(), data, 4, port, port, 4, link.nearAddress());
        StreamConfig config = new StreamConfig(Mode.LISTENER, new InputSpec.File(clip.getFileName().toString(), true),
                port, null, null, 300, 25, Encryption.NONE, null, false, 30, false, null);
        try (LocalStreamEngine engine = LocalStreamEngine.open(settings)) {
            engine.start(config);
            link.startInNamespace(data.resolve("caller.log"), "srt-live-transmit", "-q",
                    "srt://" + link.nearAddress() + ":" + port + "?latency=300", "udp://127.0.0.1:" + Peers.freePort());
            StreamView up = Await.status(engine, port, StreamStatus.CONNECTED, 30_000);
            assertThat(up.status()).isEqualTo(StreamStatus.CONNECTED);

            link.removeNearAddress();
            String lost = link.nearAddress() + ", the address this listener is bound to, is no longer an address of"
                    + " this machine: no caller can reach it until the address is back on an interface. If the machine"
                    + " has another address now (a new one from DHCP), bind the listener there (SRT_LISTEN_ADDRESS,"
                    + " or the pair leg's interface) and start it again";
            StreamView gone = Await.view(engine, port, v -> v.status() == StreamStatus.WAITING
                    && v.statusDetail() != null, 30_000);
            assertThat(gone.status()).isEqualTo(StreamStatus.WAITING);
            assertThat(gone.statusDetail()).isEqualTo(lost);
            assertThat(gone.events()).anyMatch(e -> e.kind().equals("listener-address-lost")
                    && e.detail().equals(lost));

            link.addNearAddress();
            StreamView back = Await.view(engine, port, v -> v.status() == StreamStatus.CONNECTED
                    && v.events().stream().anyMatch(e -> e.kind().equals("listener-address-back")), 60_000);
            assertThat(back.status()).isEqualTo(StreamStatus.CONNECTED);
            assertThat(back.statusDetail()).isNull();
            assertThat(back.events()).anyMatch(e -> e.kind().equals("listener-address-back")
                    && e.detail().equals(link.nearAddress() + " is an address of this machine again: callers can"
                            + " reach the listener"));
        }
    }

    /**
     * An operator who starts a stream during a NIC flap gets what a restart would have given: the stream listed, its
     * detail naming the missing address, started by itself once the address is back. It was refused (400), while the
     * same stream restored from the saved file waited.
     */
    @Test
    void aListenerAskedForWhileTheMachineLacksItsAddressWaitsForItNamingIt(VethLink link) throws Exception {
        Path clip = TestMedia.shortClip();
        int port = Peers.freePort();
        EngineSettings settings = new EngineSettings(clip.getParent(), data, 4, port, port, 4, link.nearAddress());
        StreamConfig config = new StreamConfig(Mode.LISTENER, new InputSpec.File(clip.getFileName().toString(), true),
                port, null, null, 300, 25, Encryption.NONE, null, false, 30, false, null);
        try (LocalStreamEngine engine = LocalStreamEngine.open(settings)) {
            link.removeNearAddress();
            StreamView waiting = engine.start(config);
            assertThat(waiting.status()).isEqualTo(StreamStatus.START_ERROR);
            assertThat(waiting.statusDetail()).startsWith("Listener address " + link.nearAddress() + " is not an"
                    + " address of this machine now (SRT_LISTEN_ADDRESS, or the pair leg's interface), so no caller"
                    + " could reach port " + port + " there").contains("starts by itself");
            assertThat(new StreamStore(data).load().streams()).containsExactly(config);

            link.addNearAddress();
            link.startInNamespace(data.resolve("caller.log"), "srt-live-transmit", "-q",
                    "srt://" + link.nearAddress() + ":" + port + "?latency=300", "udp://127.0.0.1:" + Peers.freePort());
            StreamView up = Await.status(engine, port, StreamStatus.CONNECTED, 30_000);
            assertThat(up.status()).as(up.statusDetail()).isEqualTo(StreamStatus.CONNECTED);
            assertThat(up.events()).anyMatch(e -> e.kind().equals("restored")
                    && e.detail().contains(link.nearAddress() + " is not an address of this machine now"));
        }
    }

    /** An engine that saves nothing (the send command) has nothing to wait with: it refuses, naming the address. */
    @Test
    void aTransientEngineRefusesAListenerWhoseAddressIsMissing(VethLink link) throws Exception {
        Path clip = TestMedia.shortClip();
        int port = Peers.freePort();
        EngineSettings settings = new EngineSettings(clip.getParent(), data, 4, port, port, 4, link.nearAddress());
        StreamConfig config = new StreamConfig(Mode.LISTENER, new InputSpec.File(clip.getFileName().toString(), true),
                port, null, null, 300, 25, Encryption.NONE, null, false, 30, false, null);
        try (LocalStreamEngine engine = LocalStreamEngine.openTransient(settings, 0)) {
            link.removeNearAddress();
            assertThatThrownBy(() -> engine.start(config)).isInstanceOf(StreamException.class)
                    .hasMessageStartingWith("Listener address " + link.nearAddress() + " is not an address of this"
                            + " machine now");
            assertThat(engine.stream(port)).isEmpty();
        }
    }
}
