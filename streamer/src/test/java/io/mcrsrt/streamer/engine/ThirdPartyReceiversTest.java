package io.mcrsrt.streamer.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcrsrt.streamer.engine.testing.Await;
import io.mcrsrt.streamer.engine.testing.Peers;
import io.mcrsrt.streamer.engine.testing.TestMedia;
import io.mcrsrt.streamer.engine.testing.TsCheck;
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
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Receivers built on other SRT stacks than srt-live-transmit's, as broadcast engineers run them: ffmpeg's
 * {@code srt://} input and GStreamer's {@code srtsrc}, each as caller of a listener stream and as listener of a caller
 * stream, with and without encryption. Each receiver asks for a latency of its own, larger than the stream's, so that
 * the negotiated latency shows it was read in the receiver's unit (ffmpeg's is microseconds, GStreamer's
 * milliseconds).
 *
 * <p>RTP encapsulation is not covered: ffmpeg 5.1's {@code -f rtp} input sets {@code pkt_size=1472} on the URL it
 * opens, which its {@code srt://} protocol refuses (1456 at most) before connecting; and RTP over SRT is a setting for
 * receivers that expect it, not for these.
 */
class ThirdPartyReceiversTest {
    private static final String PASSPHRASE = "correct-horse-battery";
    private static final int STREAM_LATENCY_MS = 120;
    private static final int RECEIVER_LATENCY_MS = 500;
    /** About 3 s of the 2.5 Mbit/s clip: past its first loop point (2.4 s). */
    private static final long ENOUGH_BYTES = 1_000_000;
    private static final int TS_PACKET = 188;

    @TempDir
    Path data;

    /** A receiving program, the settings it takes, and the file it writes. */
    enum Receiver {
        /** {@code ffmpeg -i srt://...}, remuxing into a file: latency in microseconds, settings in the URL. */
        FFMPEG("ffmpeg") {
            @Override
            List<String> command(String hostPort, String mode, int pbkeylen, String passphrase, String streamId,
                    Path out) {
                StringBuilder url = new StringBuilder("srt://" + hostPort + "?mode=" + mode
                        + "&latency=" + RECEIVER_LATENCY_MS * 1000L);
                if (passphrase != null) {
                    url.append("&passphrase=").append(passphrase).append("&pbkeylen=").append(pbkeylen);
                }
                if (streamId != null) {
                    url.append("&streamid=").append(streamId);
                }
                // debug: ffmpeg's demuxer tells a continuity error at that level only
                return List.of("ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "debug", "-i", url.toString(),
                        "-map", "0", "-c", "copy", "-f", "mpegts", "-y", out.toString());
            }
        },
        /** {@code gst-launch-1.0 srtsrc ! filesink}: the bytes as received; latency in milliseconds, properties. */
        GSTREAMER("gstreamer1.0-tools and gstreamer1.0-plugins-bad") {
            @Override
            List<String> command(String hostPort, String mode, int pbkeylen, String passphrase, String streamId,
                    Path out) {
                List<String> c = new ArrayList<>(List.of("gst-launch-1.0", "srtsrc",
                        "uri=srt://" + hostPort + "?mode=" + mode, "latency=" + RECEIVER_LATENCY_MS));
                if (passphrase != null) {
                    c.addAll(List.of("passphrase=" + passphrase, "pbkeylen=" + pbkeylen));
                }
                if (streamId != null) {
                    c.add("streamid=" + streamId);
                }
                c.addAll(List.of("!", "filesink", "buffer-mode=unbuffered", "location=" + out));
                return c;
            }
        };

        private final String debianPackages;

        Receiver(String debianPackages) {
            this.debianPackages = debianPackages;
        }

        abstract List<String> command(String hostPort, String mode, int pbkeylen, String passphrase,
                String streamId, Path out);

        Peers.Process start(String hostPort, String mode, int pbkeylen, String passphrase, String streamId, Path out,
                Path log) throws IOException {
            return Peers.program(command(hostPort, mode, pbkeylen, passphrase, streamId, out), debianPackages, log);
        }
    }

    static Stream<Arguments> receiversAndEncryptions() {
        List<Arguments> cases = new ArrayList<>();
        for (Receiver r : Receiver.values()) {
            for (Encryption e : Encryption.values()) {
                cases.add(Arguments.of(r, e));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("receiversAndEncryptions")
    void aListenerStreamIsReceivedWholeByACaller(Receiver receiver, Encryption encryption) throws Exception {
        String passphrase = encryption == Encryption.NONE ? null : PASSPHRASE;
        int port = Peers.freePort();
        Path out = data.resolve("rx.ts");
        Path log = data.resolve("rx.log");
        try (LocalStreamEngine engine = waitingListener(port, encryption, passphrase);
                Peers.Process rx = receiver.start("127.0.0.1:" + port, "caller", encryption.keyLengthBytes(),
                        passphrase, null, out, log)) {
            StreamView v = Await.view(engine, port, s -> s.peers().size() == 1 && s.peers().getFirst().stats() != null
                    && s.peers().getFirst().stats().negotiatedLatencyMs() > 0, 15_000);
            assertThat(v.peers()).as("peers; %s said: %s", receiver, tail(log)).hasSize(1);
            assertThat(v.peers().getFirst().stats().negotiatedLatencyMs()).as("the receiver's latency")
                    .isEqualTo(RECEIVER_LATENCY_MS);
            assertReceivedWhole(receiver, rx, out, log);
        }
    }

    @ParameterizedTest
    @EnumSource(Receiver.class)
    void aWrongPassphraseIsRefusedAndTheEventsSayWhy(Receiver receiver) throws Exception {
        int port = Peers.freePort();
        Path out = data.resolve("rx.ts");
        Path log = data.resolve("rx.log");
        try (LocalStreamEngine engine = waitingListener(port, Encryption.AES_256, PASSPHRASE);
                Peers.Process rx = receiver.start("127.0.0.1:" + port, "caller", 32, "not-the-passphrase", null,
                        out, log)) {
            StreamView v = Await.view(engine, port,
                    s -> s.events().stream().anyMatch(e -> e.kind().equals("rejected")), 15_000);
            assertThat(v.events()).as("events; %s said: %s", receiver, tail(log))
                    .filteredOn(e -> e.kind().equals("rejected")).first()
                    .satisfies(e -> assertThat(e.detail()).contains("127.0.0.1").contains("passphrase"));
            assertThat(v.status()).isEqualTo(StreamStatus.REJECTED);
            assertThat(v.peers()).isEmpty();
        }
        assertThat(Files.exists(out) ? Files.size(out) : 0).as("bytes the refused receiver got")
                .isLessThan(TS_PACKET);
    }

    @ParameterizedTest
    @EnumSource(Receiver.class)
    void aCallerStreamIsReceivedWholeByAListener(Receiver receiver) throws Exception {
        Path clip = TestMedia.shortClip();
        int port = Peers.freePort();
        Path out = data.resolve("rx.ts");
        Path log = data.resolve("rx.log");
        try (Peers.Process rx = receiver.start(":" + port, "listener", 32, PASSPHRASE, null, out, log);
                LocalStreamEngine engine = LocalStreamEngine.openTransient(new EngineSettings(clip.getParent(), data,
                        4, port, port, 4), 0)) {
            engine.start(new StreamConfig(Mode.CALLER, new InputSpec.File(clip.getFileName().toString(), true), null,
                    "127.0.0.1", port, STREAM_LATENCY_MS, 25, Encryption.AES_256, PASSPHRASE, false, 30, false,
                    null));
            StreamView v = Await.view(engine, port, s -> s.status() == StreamStatus.CONNECTED && s.stats() != null
                    && s.stats().negotiatedLatencyMs() > 0, 15_000);
            assertThat(v.status()).as("%s; %s said: %s", v.statusDetail(), receiver, tail(log))
                    .isEqualTo(StreamStatus.CONNECTED);
            assertThat(v.stats().negotiatedLatencyMs()).as("the receiver's latency").isEqualTo(RECEIVER_LATENCY_MS);
            assertReceivedWhole(receiver, rx, out, log);
        }
    }

    @ParameterizedTest
    @EnumSource(Receiver.class)
    void theStreamIdAReceiverSendsIsShown(Receiver receiver) throws Exception {
        int port = Peers.freePort();
        Path log = data.resolve("rx.log");
        try (LocalStreamEngine engine = waitingListener(port, Encryption.NONE, null);
                Peers.Process rx = receiver.start("127.0.0.1:" + port, "caller", 0, null, "control-room-7",
                        data.resolve("rx.ts"), log)) {
            StreamView v = Await.view(engine, port, s -> s.peers().size() == 1, 15_000);
            assertThat(v.peers()).as("peers; %s said: %s", receiver, tail(log))
                    .extracting(p -> p.streamId()).containsExactly("control-room-7");
            assertThat(v.events()).filteredOn(e -> e.kind().equals("connected")).last()
                    .satisfies(e -> assertThat(e.detail()).contains("127.0.0.1")
                            .endsWith(" connected (stream id control-room-7)"));
        }
    }

    /** The engine, its one stream the short clip looped on a listener at {@code port}, waiting for a caller. */
    private LocalStreamEngine waitingListener(int port, Encryption encryption, String passphrase) throws Exception {
        Path clip = TestMedia.shortClip();
        LocalStreamEngine engine = LocalStreamEngine.openTransient(new EngineSettings(clip.getParent(), data, 4, port,
                port, 4), 0);
        try {
            engine.start(new StreamConfig(Mode.LISTENER, new InputSpec.File(clip.getFileName().toString(), true),
                    port, null, null, STREAM_LATENCY_MS, 25, encryption, passphrase, false, 30, false, null));
            StreamView v = Await.status(engine, port, StreamStatus.WAITING, 15_000);
            assertThat(v.status()).as(v.statusDetail()).isEqualTo(StreamStatus.WAITING);
            return engine;
        } catch (Exception | AssertionError e) {
            engine.close();
            throw e;
        }
    }

    /**
     * Waits for about 3 s of the clip, then ends the receiver and checks what it wrote: a transport stream without a
     * continuity error whose PCRs run on across the loop point; ffmpeg, which remuxes, must also not have seen one.
     */
    private static void assertReceivedWhole(Receiver receiver, Peers.Process rx, Path out, Path log)
            throws Exception {
        Await.until(() -> size(out) > ENOUGH_BYTES, 15_000);
        rx.close(); // ffmpeg finishes its file on SIGTERM
        assertThat(size(out)).as("bytes received; %s said: %s", receiver, tail(log)).isGreaterThan(ENOUGH_BYTES);
        TsCheck ts = TsCheck.of(out);
        assertThat(ts.packets()).as("TS packets").isGreaterThan(ENOUGH_BYTES / TS_PACKET * 9 / 10);
        assertThat(ts.continuityErrors()).as("continuity errors").isZero();
        assertThat(ts.pcrBackwards()).as("PCRs going backwards").isZero();
        assertThat(ts.pcrSpanSeconds()).as("PCR time received, past the 2.4 s loop point").isGreaterThan(2.4);
        if (receiver == Receiver.FFMPEG) {
            assertThat(Files.readAllLines(log)).as("ffmpeg's log")
                    .noneMatch(l -> l.contains("Continuity check failed"));
        }
    }

    private static long size(Path p) {
        try {
            return Files.exists(p) ? Files.size(p) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    /** The end of a receiver's log, for a failure's message. */
    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
