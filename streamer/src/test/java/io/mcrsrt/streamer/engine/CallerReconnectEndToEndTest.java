package io.mcrsrt.streamer.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcrsrt.srt.SrtAdmission;
import io.mcrsrt.srt.SrtSocket;
import io.mcrsrt.streamer.engine.testing.Await;
import io.mcrsrt.streamer.engine.testing.Peers;
import io.mcrsrt.streamer.engine.testing.TestMedia;
import io.mcrsrt.streamer.stream.EngineSettings;
import io.mcrsrt.streamer.stream.Encryption;
import io.mcrsrt.streamer.stream.InputSpec;
import io.mcrsrt.streamer.stream.Mode;
import io.mcrsrt.streamer.stream.StreamConfig;
import io.mcrsrt.streamer.stream.StreamStatus;
import io.mcrsrt.streamer.stream.StreamView;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CallerReconnectEndToEndTest {
    @TempDir
    Path data;

    static StreamConfig caller(int port, String file, Encryption enc, String passphrase) {
        return new StreamConfig(Mode.CALLER, new InputSpec.File(file, true), null, "127.0.0.1", port, 1000, 25, enc,
                passphrase, false, 30, false, null);
    }

    @Test
    void callerReconnectsByItselfWhenTheListenerStartsLateDiesAndComesBack() throws Exception {
        Path clip = TestMedia.shortClip();
        int port = Peers.freePort();
        int udpOut = Peers.freePort();
        EngineSettings settings = new EngineSettings(clip.getParent(), data, 4, 10001, 10010, 4);
        String listenerUrl = "srt://127.0.0.1:" + port + "?mode=listener&latency=1000";
        String sink = "udp://127.0.0.1:" + udpOut;
        try (LocalStreamEngine engine = LocalStreamEngine.open(settings)) {
            engine.start(caller(port, clip.getFileName().toString(), Encryption.NONE, null));
            StreamView failing = Await.status(engine, port, StreamStatus.CONNECTION_FAILED, 20_000);
            assertThat(failing.status()).isEqualTo(StreamStatus.CONNECTION_FAILED);
            assertThat(failing.peers()).isEmpty();

            try (Peers.Process rx = Peers.transmit(listenerUrl, sink, data.resolve("rx1.log"))) {
                StreamView up = Await.status(engine, port, StreamStatus.CONNECTED, 30_000);
                assertThat(up.status()).isEqualTo(StreamStatus.CONNECTED);
                assertThat(up.peers()).singleElement().satisfies(p -> assertThat(p.address())
                        .isEqualTo("127.0.0.1:" + port));
            }
            StreamView broken = Await.status(engine, port, StreamStatus.BROKEN, 20_000);
            assertThat(broken.connectionStatus()).isEqualTo("Broken / Reconnecting");
            assertThat(broken.peers()).isEmpty();
            // srt-live-transmit stopped with SIGTERM closes its socket: the far end was stopped, not the path
            assertThat(broken.statusDetail()).isEqualTo("the listener closed the connection");

            try (Peers.Process rx = Peers.transmit(listenerUrl, sink, data.resolve("rx2.log"))) {
                StreamView back = Await.status(engine, port, StreamStatus.CONNECTED, 30_000);
                assertThat(back.status()).isEqualTo(StreamStatus.CONNECTED);
                assertThat(back.events()).filteredOn(e -> e.kind().equals("connected")).hasSize(2);
                assertThat(back.events()).anyMatch(e -> e.kind().equals("broken"));
                Thread.sleep(2_000); // acknowledgements have been coming in for a while

                rx.kill(); // a crash closes nothing: the caller hears nothing more until libsrt gives up on it
                StreamView crashed = Await.status(engine, port, StreamStatus.BROKEN, 30_000);
                assertThat(crashed.statusDetail()).startsWith("nothing heard from the listener for about ")
                        .endsWith("it stopped without closing the connection, or the path went down");
            }
        }
    }

    /**
     * After a break, a listener that stays away: each dial of the outage fails alike, and that is told once, so that a
     * long outage does not push the break itself out of the stream's bounded list of events. The listener's port is
     * then held by a plain UDP socket that answers nothing and tells the dials apart by their source ports.
     */
    @Test
    void aListenerThatStaysAwayAfterABreakIsToldOnceNotAtEveryDial() throws Exception {
        Path clip = TestMedia.shortClip();
        int port = Peers.freePort();
        EngineSettings settings = new EngineSettings(clip.getParent(), data, 4, 10001, 10010, 4);
        String listenerUrl = "srt://127.0.0.1:" + port + "?mode=listener&latency=1000";
        try (LocalStreamEngine engine = LocalStreamEngine.open(settings)) {
            try (Peers.Process rx = Peers.transmit(listenerUrl, "udp://127.0.0.1:" + Peers.freePort(),
                    data.resolve("rx.log"))) {
                engine.start(caller(port, clip.getFileName().toString(), Encryption.NONE, null));
                assertThat(Await.status(engine, port, StreamStatus.CONNECTED, 30_000).status())
                        .isEqualTo(StreamStatus.CONNECTED);
            }
            assertThat(Await.status(engine, port, StreamStatus.BROKEN, 20_000).status())
                    .isEqualTo(StreamStatus.BROKEN);
            Set<Integer> dials = ConcurrentHashMap.newKeySet();
            try (DatagramSocket silent = new DatagramSocket(new InetSocketAddress("127.0.0.1", port))) {
                Thread listening = Thread.ofPlatform().daemon().start(() -> {
                    DatagramPacket p = new DatagramPacket(new byte[2048], 2048);
                    try {
                        while (true) {
                            silent.receive(p);
                            dials.add(p.getPort());
                        }
                    } catch (java.io.IOException closed) {
                        // the test is done
                    }
                });
                // three dials have failed once a fourth has begun
                assertThat(Await.until(() -> dials.size() >= 4, 60_000)).as("dials seen: %s", dials).isTrue();
                silent.close();
                listening.join(5_000);
            }
            StreamView v = Await.view(engine, port,
                    s -> s.events().stream().anyMatch(e -> e.kind().equals("connect-failed")), 10_000);
            assertThat(v.status()).isEqualTo(StreamStatus.BROKEN);
            assertThat(v.statusDetail()).isEqualTo("127.0.0.1:" + port + ": the peer did not answer in time (is it"
                    + " running, reachable, and on the right port?)");
            assertThat(v.events()).filteredOn(e -> e.kind().equals("connect-failed")).singleElement()
                    .satisfies(e -> assertThat(e.detail()).isEqualTo(v.statusDetail()));
            assertThat(v.events()).filteredOn(e -> e.kind().equals("broken")).hasSize(1);
        }
    }

    /**
     * A listener that refuses the caller with a standard server code (here 1404, as an access-controlled server
     * answers a stream id it does not know): the code and its meaning are what tell the engineer what to change.
     */
    @Test
    void callerRefusedByTheListenerShowsItsRejectCode() throws Exception {
        Path clip = TestMedia.shortClip();
        EngineSettings settings = new EngineSettings(clip.getParent(), data, 4, 10001, 10010, 4);
        try (SrtSocket listener = SrtSocket.create()) {
            listener.listenCallback(caller -> SrtAdmission.reject(SrtAdmission.NOT_FOUND))
                    .bind(new InetSocketAddress("127.0.0.1", 0)).listen(1);
            int port = listener.localAddress().getPort();
            try (LocalStreamEngine engine = LocalStreamEngine.open(settings)) {
                engine.start(caller(port, clip.getFileName().toString(), Encryption.NONE, null));
                StreamView v = Await.view(engine, port, s -> s.statusDetail() != null, 20_000);
                assertThat(v.status()).isEqualTo(StreamStatus.CONNECTION_FAILED);
                assertThat(v.statusDetail()).contains("reject code 1404").contains("no such stream");
                assertThat(v.events()).anyMatch(e -> e.kind().equals("connect-failed")
                        && e.detail().contains("reject code 1404"));
            }
        }
    }

    @Test
    void callerWithWrongPassphraseShowsAuthError() throws Exception {
        Path clip = TestMedia.shortClip();
        int port = Peers.freePort();
        EngineSettings settings = new EngineSettings(clip.getParent(), data, 4, 10001, 10010, 4);
        String listenerUrl = "srt://127.0.0.1:" + port + "?mode=listener&passphrase=the-right-one-123";
        try (LocalStreamEngine engine = LocalStreamEngine.open(settings);
                Peers.Process rx = Peers.transmit(listenerUrl, "udp://127.0.0.1:" + Peers.freePort(),
                        data.resolve("rx.log"))) {
            Thread.sleep(300);
            engine.start(caller(port, clip.getFileName().toString(), Encryption.AES_128, "a-wrong-passphrase"));
            StreamView v = Await.status(engine, port, StreamStatus.AUTH_ERROR, 30_000);
            assertThat(v.status()).isEqualTo(StreamStatus.AUTH_ERROR);
            assertThat(v.statusDetail()).containsIgnoringCase("passphrase");
            assertThat(v.events()).anyMatch(e -> e.kind().equals("rejected"));
        }
        assertThat(Files.exists(data.resolve("streams.json"))).isTrue();
    }
}
