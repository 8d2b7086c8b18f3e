package io.mcrsrt.streamer.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mcrsrt.streamer.engine.store.StreamStore;
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
import io.mcrsrt.streamer.stream.StreamException;
import io.mcrsrt.streamer.stream.StreamStatus;
import io.mcrsrt.srt.SrtSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DualPathEndToEndTest {
    private static final int RTP_MESSAGE = 12 + 1316;

    @TempDir
    Path work;

    @Test
    void bothLegsCarryIdenticalRtpPacketsWithTheConfiguredSsrc() throws Exception {
        Path data = TestMedia.dir().resolve("data");
        int portA = Peers.freePort();
        int portB = Peers.freePort();
        int low = Math.min(portA, portB);
        int high = Math.max(portA, portB);
        // the second leg names no interface: it binds the engine's listener address (SRT_LISTEN_ADDRESS)
        EngineSettings settings = new EngineSettings(work, data, 4, 1, 65535, 4, "127.0.0.1");
        PairConfig pair = new PairConfig(new InputSpec.ColorBars(ColorBarFormat.HD_720P50), "0123ABCD", 1000, 25,
                Encryption.NONE, null, false, 30,
                new PairConfig.Leg(Mode.LISTENER, high, null, null, "127.0.0.1"),
                new PairConfig.Leg(Mode.LISTENER, low, null, null, null));
        Path a = work.resolve("a.rtp");
        Path b = work.resolve("b.rtp");
        try (LocalStreamEngine engine = LocalStreamEngine.open(settings)) {
            assertThat(engine.startPair(pair).key()).isEqualTo(low);
            assertThatThrownBy(() -> engine.start(new StreamConfig(Mode.LISTENER,
                    new InputSpec.ColorBars(ColorBarFormat.HD_720P50), high, null, null, 1000, 25, Encryption.NONE,
                    null, false, 30, false, null)))
                    .isInstanceOfSatisfying(StreamException.class,
                            e -> assertThat(e.reason()).isEqualTo(StreamException.Reason.CONFLICT));
            Await.until(() -> engine.pairs().getFirst().status() == StreamStatus.WAITING, 240_000);
            try (Peers.Process rxA = Peers.receiveToFile("srt://127.0.0.1:" + high + "?mode=caller&latency=1000", a,
                    work.resolve("a.log"));
                    Peers.Process rxB = Peers.receiveToFile("srt://127.0.0.1:" + low + "?mode=caller&latency=1000",
                            b, work.resolve("b.log"))) {
                Await.until(() -> engine.pairs().getFirst().legs().stream()
                        .allMatch(l -> l.status() == StreamStatus.CONNECTED && l.stats() != null), 30_000);
                PairView v = engine.pairs().getFirst();
                assertThat(v.legs()).extracting(l -> l.status())
                        .containsExactly(StreamStatus.CONNECTED, StreamStatus.CONNECTED);
                assertThat(v.legs()).allSatisfy(l -> assertThat(l.peers()).hasSize(1));
                assertThat(v.legs()).extracting(l -> l.srtUri().substring(0, l.srtUri().indexOf('?')))
                        .containsExactly("srt://127.0.0.1:" + high, "srt://127.0.0.1:" + low);
                Await.until(() -> size(a) > 600_000 && size(b) > 600_000, 30_000);
            }
        }
        Map<Integer, byte[]> first = bySequence(a);
        Map<Integer, byte[]> second = bySequence(b);
        int common = 0;
        for (Map.Entry<Integer, byte[]> e : first.entrySet()) {
            byte[] other = second.get(e.getKey());
            if (other != null) {
                assertThat(other).as("RTP packet %d on both legs", e.getKey()).isEqualTo(e.getValue());
                common++;
            }
        }
        assertThat(common).isGreaterThan(300);
        byte[] any = first.values().iterator().next();
        assertThat(any[1] & 0x7F).isEqualTo(33);
        assertThat(ByteBuffer.wrap(any, 8, 4).getInt()).isEqualTo(0x0123ABCD);
        assertThat(any[12]).isEqualTo((byte) 0x47);
    }

    @Test
    void aNewPairWhoseCallerLegNamesAnInterfaceThisMachineHasNotWaitsForItNamingIt() throws Exception {
        // its own data directory: the others' is shared, and they must not see this pair restored
        Path data = work.resolve("waiting-data");
        // the listener leg's port, wherever Peers.freePort finds it (test.ports), is in the listener port range
        EngineSettings settings = new EngineSettings(work, data, 4, 1, 65535, 4);
        PairConfig pair = new PairConfig(new InputSpec.ColorBars(ColorBarFormat.HD_720P50), "ABBACAFE", 1000, 25,
                Encryption.NONE, null, false, 30,
                new PairConfig.Leg(Mode.CALLER, null, "127.0.0.1", Peers.freePort(), "nosuchnic0"),
                new PairConfig.Leg(Mode.LISTENER, Peers.freePort(), null, null, null));
        String missing = "outgoing interface nosuchnic0 does not exist (expected: an interface name such as eth0 or a"
                + " local address)";
        try (LocalStreamEngine engine = LocalStreamEngine.open(settings)) {
            PairView waiting = engine.startPair(pair);
            assertThat(waiting.status()).isEqualTo(StreamStatus.START_ERROR);
            assertThat(waiting.legs()).allSatisfy(leg -> assertThat(leg.detail()).startsWith(missing)
                    .contains("starts by itself"));
            assertThat(new StreamStore(data).load().pairs()).containsExactly(pair);
        }
        try (LocalStreamEngine engine = LocalStreamEngine.openTransient(settings, 0)) {
            assertThatThrownBy(() -> engine.startPair(pair)).isInstanceOfSatisfying(StreamException.class, e -> {
                assertThat(e.reason()).isEqualTo(StreamException.Reason.ADDRESS_MISSING);
                assertThat(e.getMessage()).isEqualTo(missing);
            });
            assertThat(engine.pairs()).isEmpty();
        }
    }

    @Test
    void aPairWhoseLegInterfaceCanNeverBeThisMachinesIsRefusedNamingIt() throws Exception {
        Path data = work.resolve("never-data");
        EngineSettings settings = new EngineSettings(work, data, 4, 1, 65535, 4);
        for (String never : List.of("239.1.1.1", "ff02::1", "eth0/with-slash", "a-name-of-sixteen")) {
            PairConfig pair = new PairConfig(new InputSpec.ColorBars(ColorBarFormat.HD_720P50), "ABBACAFE", 1000, 25,
                    Encryption.NONE, null, false, 30,
                    new PairConfig.Leg(Mode.LISTENER, Peers.freePort(), null, null, never),
                    new PairConfig.Leg(Mode.CALLER, null, "127.0.0.1", Peers.freePort(), null));
            try (LocalStreamEngine engine = LocalStreamEngine.open(settings)) {
                assertThatThrownBy(() -> engine.startPair(pair)).isInstanceOfSatisfying(StreamException.class, e -> {
                    assertThat(e.reason()).isEqualTo(StreamException.Reason.INVALID);
                    assertThat(e.getMessage()).contains("interface " + never + " is ");
                });
                assertThat(engine.pairs()).isEmpty();
            }
        }
    }

    @Test
    void eachCallerLegDialsFromItsOwnOutgoingInterface() throws Exception {
        Path data = TestMedia.dir().resolve("data");
        EngineSettings settings = new EngineSettings(work, data, 4, 1, 65535, 4);
        // transient: the data directory is shared with the other tests, which must not see this pair restored
        try (SrtSocket farA = listener(); SrtSocket farB = listener();
                LocalStreamEngine engine = LocalStreamEngine.openTransient(settings, 0)) {
            // leg A leaves from 127.0.0.2 (given as an address), leg B from the loopback interface by name (127.0.0.1)
            PairConfig pair = new PairConfig(new InputSpec.ColorBars(ColorBarFormat.HD_720P50), "ABBACAFE", 1000, 25,
                    Encryption.NONE, null, false, 30,
                    new PairConfig.Leg(Mode.CALLER, null, "127.0.0.1", farA.localAddress().getPort(), "127.0.0.2"),
                    new PairConfig.Leg(Mode.CALLER, null, "127.0.0.1", farB.localAddress().getPort(), "lo"));
            engine.startPair(pair);
            SrtSocket[] accepted = new SrtSocket[2];
            Await.until(() -> (accepted[0] = accepted[0] != null ? accepted[0] : accept(farA)) != null
                    && (accepted[1] = accepted[1] != null ? accepted[1] : accept(farB)) != null, 240_000);
            try (SrtSocket a = accepted[0]; SrtSocket b = accepted[1]) {
                assertThat(a).as("leg A connected").isNotNull();
                assertThat(b).as("leg B connected").isNotNull();
                assertThat(a.peerAddress().getAddress()).isEqualTo(InetAddress.getByName("127.0.0.2"));
                assertThat(b.peerAddress().getAddress()).isEqualTo(InetAddress.getByName("127.0.0.1"));
                byte[] buffer = new byte[1500];
                a.blocking(true);
                b.blocking(true);
                assertThat(a.receive(buffer, 0, buffer.length)).isEqualTo(RTP_MESSAGE);
                assertThat(b.receive(buffer, 0, buffer.length)).isEqualTo(RTP_MESSAGE);
            }
        }
    }

    /** A far-end listener on 127.0.0.1 that does not block in accept. */
    private static SrtSocket listener() throws Exception {
        SrtSocket s = SrtSocket.create();
        s.set(io.mcrsrt.srt.SrtOption.LATENCY, 1000).blocking(false)
                .bind(new InetSocketAddress("127.0.0.1", Peers.freePort())).listen(1);
        return s;
    }

    private static SrtSocket accept(SrtSocket listener) {
        try {
            return listener.accept();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<Integer, byte[]> bySequence(Path file) throws Exception {
        byte[] all = Files.readAllBytes(file);
        Map<Integer, byte[]> out = new HashMap<>();
        for (int at = 0; at + RTP_MESSAGE <= all.length; at += RTP_MESSAGE) {
            byte[] packet = Arrays.copyOfRange(all, at, at + RTP_MESSAGE);
            out.put(((packet[2] & 0xFF) << 8) | (packet[3] & 0xFF), packet);
        }
        return out;
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (Exception e) {
            return 0;
        }
    }
}
