package io.mcrsrt.streamer.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcrsrt.streamer.engine.testing.Await;
import io.mcrsrt.streamer.engine.testing.CueFile;
import io.mcrsrt.streamer.engine.testing.Peers;
import io.mcrsrt.streamer.stream.ConnectionEvent;
import io.mcrsrt.streamer.stream.EngineSettings;
import io.mcrsrt.streamer.stream.InputSpec;
import io.mcrsrt.streamer.stream.Scte35Cues;
import io.mcrsrt.streamer.stream.StreamStatus;
import io.mcrsrt.streamer.stream.StreamView;
import io.mcrsrt.streamer.stream.Encryption;
import io.mcrsrt.streamer.stream.Mode;
import io.mcrsrt.streamer.stream.PairConfig;
import io.mcrsrt.streamer.stream.PairView;
import io.mcrsrt.streamer.stream.StreamConfig;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * SCTE-35 cues watched on the stream's thread as it sends them: a looped file to a real SRT caller, and a UDP input.
 */
class Scte35EndToEndTest {
    @TempDir
    Path data;

    @Test
    void cuesOfALoopedFileAreCountedToldAndKeptWithTheirSpliceTimeMovedOnEachPass() throws Exception {
        Path media = Files.createDirectories(data.resolve("media"));
        CueFile.write(media.resolve("cues.ts"), CueFile.SPLICE_INSERT);
        int port = Peers.freePort();
        EngineSettings settings = new EngineSettings(media, data, 4, port, port, 4);
        try (LocalStreamEngine engine = LocalStreamEngine.open(settings)) {
            engine.start(FileStreamEndToEndTest.listener(port, new InputSpec.File("cues.ts", true)));
            assertThat(Await.status(engine, port, StreamStatus.WAITING, 20_000).status())
                    .isEqualTo(StreamStatus.WAITING);
            assertThat(engine.stream(port).orElseThrow().scte35()).isEqualTo(Scte35Cues.NONE);
            try (Peers.Process rx = Peers.receiveToFile("srt://127.0.0.1:" + port + "?mode=caller&latency=1000",
                    data.resolve("received.ts"), data.resolve("rx.log"))) {
                StreamView v = Await.view(engine, port, s -> s.scte35().count() >= 3, 30_000);
                Scte35Cues cues = v.scte35();
                assertThat(cues.count()).as("%s", cues).isGreaterThanOrEqualTo(3);
                assertThat(cues.errors()).isZero();
                Scte35Cues.Cue first = cues.recent().get(0);
                Scte35Cues.Cue second = cues.recent().get(1);
                assertThat(first.pid()).isEqualTo(0x1F0);
                assertThat(first.command()).isEqualTo("Splice Insert");
                assertThat(first.eventId()).isEqualTo(0x4800008FL);
                assertThat(first.ptsSeconds()).isCloseTo(0x07369C02EL / 90_000.0, org.assertj.core.data.Offset
                        .offset(1e-9));
                assertThat(first.durationSeconds()).isCloseTo(0x00052CCF5L / 90_000.0, org.assertj.core.data.Offset
                        .offset(1e-9));
                assertThat(first.summary()).isEqualTo("Splice Insert event 1207959695 out of network at pts"
                        + " 21514.559089 s break 60.293567 s auto-return program 0 avail 0/0; Avail Descriptor"
                        + " provider_avail_id 309");
                assertThat(first.json()).contains("\"splice_command_type\"").contains("\"pts_adjustment\"");
                // the second pass's cue splices one pass later: its pts_adjustment carries the looper's shift, the
                // file's 104 packets at its PCR rate (0.99 s over the 101 packets from the first PCR to the last)
                assertThat(second.ptsSeconds() - first.ptsSeconds()).isCloseTo(104 * 0.99 / 101,
                        org.assertj.core.data.Offset.offset(1.0 / 90_000));
                assertThat(second.summary()).contains("(pts_adjustment ");
                List<ConnectionEvent> told = v.events().stream().filter(e -> e.kind().equals("scte35")).toList();
                assertThat(told).hasSizeGreaterThanOrEqualTo(3);
                assertThat(told.get(0).detail()).isEqualTo("PID 0x01F0: " + first.summary());
                assertThat(v.events()).filteredOn(e -> e.kind().equals("warning"))
                        .singleElement().satisfies(e -> assertThat(e.detail()).startsWith(
                                "PID 0x01F1 carries SCTE-35 cues (table_id 0xFC) but no PMT lists it as SCTE-35"));
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"raw", "rtp"})
    void cuesOfAUdpInputAreCountedAndToldAsTheyPassThrough(String wrapping) throws Exception {
        Path media = Files.createDirectories(data.resolve("media"));
        Path file = CueFile.write(media.resolve("cues.ts"), CueFile.SPLICE_INSERT, 3);
        int port = Peers.freePort();
        int udpPort = Peers.freePort();
        EngineSettings settings = new EngineSettings(media, data, 4, port, port, 4);
        StreamConfig config = new StreamConfig(Mode.LISTENER, new InputSpec.Multicast("127.0.0.1", udpPort, null,
                null), port, null, null, 1000, 25, Encryption.NONE, null, false, 30, false, null);
        try (LocalStreamEngine engine = LocalStreamEngine.open(settings)) {
            engine.start(config);
            Await.status(engine, port, StreamStatus.INPUT_LOST, 20_000);
            // three seconds of the stream, again and again, 7 packets a datagram: a cue each second, all with the same
            // splice time (nothing shifts them)
            try (UdpInputEndToEndTest.UdpSender tx = new UdpInputEndToEndTest.UdpSender(file,
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), udpPort), wrapping.equals("rtp"))) {
                StreamView v = Await.view(engine, port, s -> s.scte35().count() >= 2, 30_000);
                assertThat(v.scte35().count()).as("%s", v.scte35()).isGreaterThanOrEqualTo(2);
                assertThat(v.scte35().recent()).allSatisfy(c -> {
                    assertThat(c.pid()).isEqualTo(CueFile.CUE_PID);
                    assertThat(c.command()).isEqualTo("Splice Insert");
                    assertThat(c.ptsSeconds()).isEqualTo(0x07369C02EL / 90_000.0);
                });
                assertThat(v.events()).filteredOn(e -> e.kind().equals("scte35")).isNotEmpty()
                        .allSatisfy(e -> assertThat(e.detail()).startsWith("PID 0x01F0: Splice Insert event 1207959695"));
            }
        }
    }

    @Test
    void cuesOfAPairsUdpInputAreCountedAndToldForThePair() throws Exception {
        Path media = Files.createDirectories(data.resolve("media"));
        Path file = CueFile.write(media.resolve("cues.ts"), CueFile.SPLICE_INSERT, 3);
        int portA = Peers.freePort();
        int portB = Peers.freePort();
        int udpPort = Peers.freePort();
        EngineSettings settings = new EngineSettings(media, data, 4, 1, 65535, 4, "127.0.0.1");
        PairConfig pair = new PairConfig(new InputSpec.Multicast("127.0.0.1", udpPort, null, null), "0123ABCD", 1000,
                25, Encryption.NONE, null, false, 30, new PairConfig.Leg(Mode.LISTENER, portA, null, null, null),
                new PairConfig.Leg(Mode.LISTENER, portB, null, null, null));
        try (LocalStreamEngine engine = LocalStreamEngine.open(settings)) {
            int key = engine.startPair(pair).key();
            try (UdpInputEndToEndTest.UdpSender tx = new UdpInputEndToEndTest.UdpSender(file,
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), udpPort), false)) {
                assertThat(Await.until(() -> pairOf(engine, key).scte35().count() >= 2, 30_000))
                        .as("%s", pairOf(engine, key).scte35()).isTrue();
                PairView v = pairOf(engine, key);
                assertThat(v.scte35().recent()).allSatisfy(c -> assertThat(c.eventId()).isEqualTo(0x4800008FL));
                assertThat(v.events()).filteredOn(e -> e.kind().equals("scte35")).isNotEmpty()
                        .allSatisfy(e -> assertThat(e.detail()).startsWith("PID 0x01F0: Splice Insert event 1207959695"));
            }
        }
    }

    private static PairView pairOf(LocalStreamEngine engine, int key) {
        return engine.pairs().stream().filter(p -> p.key() == key).findFirst().orElseThrow();
    }
}
