package io.mcrsrt.streamer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcrsrt.srt.SrtFileServer;
import io.mcrsrt.srt.SrtSocket;
import io.mcrsrt.srt.SrtUrl;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The srt subcommands (recv, fetch, serve-files) run in-process against real SRT peers on loopback. */
class SrtCommandsTest {

    @TempDir
    Path temp;

    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream originalErr;

    @Test
    void theProbeResponderWithoutBindAnswersProbesOverIpv6AndIpv4() throws Exception {
        // Before, --bind defaulted to 0.0.0.0: a probe over IPv6 found nobody listening.
        org.junit.jupiter.api.Assumptions.assumeTrue(io.mcrsrt.streamer.system.LocalAddresses.ipv6(), "no IPv6");
        int port = io.mcrsrt.streamer.engine.testing.Peers.freePort();
        try (CommandProcess nettest = CommandProcess.start(temp, "nettest", "--serve-probe",
                Integer.toString(port))) {
            nettest.awaitOutput("stop with Ctrl-C");
            assertThat(nettest.stdout()).contains("Answering SRT probes on [::]:" + port);
            for (String host : java.util.List.of("::1", "127.0.0.1")) {
                io.mcrsrt.streamer.nettest.SrtProbeResult r = io.mcrsrt.streamer.nettest.SrtProbe.run(
                        new InetSocketAddress(host, port), 1_000_000, 1, null);
                assertThat(r.rttMs()).as("RTT of a probe over %s", host).isPositive();
            }
        }
    }

    @BeforeEach
    void captureStderr() {
        originalErr = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreStderr() {
        System.setErr(originalErr);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void recvWithABadUrlPrintsOneClearLineAndExitsWith2() {
        int code = Main.commandLine().execute("recv", "srt://encoder.example.net");
        assertThat(code).isEqualTo(2);
        assertThat(stderr().strip()).doesNotContain("\n").startsWith("mcr-srt recv: ").contains("has no port");
    }

    @Test
    void recvIntoAFolderThatDoesNotExistFailsBeforeConnecting() {
        // The listener does not exist: were recv to connect first, it would wait for it (and fail otherwise).
        String url = "srt://127.0.0.1:" + freeUdpPort() + "?mode=caller";
        int code = Main.commandLine().execute("recv", url, "-o", temp.resolve("no/such/folder/out.ts").toString());
        assertThat(code).isEqualTo(2);
        assertThat(stderr().strip()).startsWith("mcr-srt recv: -o ").contains("does not exist")
                .doesNotContain("\n");
        assertThat(Main.commandLine().execute("recv", url, "-o", temp.toString())).isEqualTo(2);
        assertThat(stderr()).contains("is a folder");
    }

    @Test
    void recvToAUrlSaysItWritesToAFileOrStdoutBeforeConnecting() throws Exception {
        // Before, udp://127.0.0.1:5000 was read as a path: "-o udp:/127.0.0.1:5000: the folder .../udp: does not
        // exist (create it first)".
        String url = "srt://127.0.0.1:" + io.mcrsrt.streamer.engine.testing.Peers.freePort() + "?mode=caller";
        int code = Main.commandLine().execute("recv", url, "-o", "udp://127.0.0.1:5000");
        assertThat(code).isEqualTo(2);
        assertThat(stderr().strip()).isEqualTo("mcr-srt recv: -o udp://127.0.0.1:5000 is a URL; recv writes to a file"
                + " or to stdout (expected: a file name, or no -o and stdout piped on, e.g. mcr-srt recv SRT_URL |"
                + " ffplay -)");
    }

    @Test
    void recvWhoseOutputCannotBeWrittenNamesItAndExitsWith1() throws Exception {
        // /dev/full takes the open and fails every write as a full disk does. Before, the message was the system's
        // words alone: "mcr-srt recv: No space left on device", naming no output.
        Path full = Path.of("/dev/full");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isWritable(full), "no /dev/full");
        int port = io.mcrsrt.streamer.engine.testing.Peers.freePort();
        CompletableFuture<Integer> recv = CompletableFuture.supplyAsync(() -> Main.commandLine().execute("recv",
                "srt://127.0.0.1:" + port + "?mode=listener", "-o", full.toString()));
        try (SrtSocket caller = connectWhenUp("srt://127.0.0.1:" + port)) {
            byte[] payload = new byte[1316];
            payload[0] = 0x47;
            // recv writes each payload through at once; it closes the connection when a write fails
            try {
                for (int i = 0; i < 100 && !recv.isDone(); i++) {
                    caller.send(payload, 0, payload.length);
                }
            } catch (io.mcrsrt.srt.SrtException closedByRecv) {
                // the connection recv closed on failing
            }
            assertThat(recv.get(30, TimeUnit.SECONDS)).isEqualTo(1);
        }
        assertThat(stderr().strip()).isEqualTo("mcr-srt recv: writing to /dev/full failed: No space left on device");
    }

    @Test
    void recvWithAnUnknownKeyNamesIt() {
        assertThat(Main.commandLine().execute("recv", "srt://127.0.0.1:9000?latncy=200")).isEqualTo(2);
        assertThat(stderr()).contains("unknown SRT URL parameter \"latncy\"");
    }

    @Test
    void fetchWithABadUrlExitsWith2() {
        assertThat(Main.commandLine().execute("fetch", "srt://h:99999", "a", temp.resolve("a").toString()))
                .isEqualTo(2);
        assertThat(stderr()).contains("port \"99999\" is not valid");
    }

    @Test
    void fetchOfANameLongerThanTheProtocolAllowsIsAUsageError() {
        int code = Main.commandLine().execute("fetch", "srt://127.0.0.1:" + freeUdpPort(), "x".repeat(4097),
                temp.resolve("x").toString());
        assertThat(code).isEqualTo(2);
        assertThat(stderr().strip()).doesNotContain("\n").startsWith("mcr-srt fetch: ").contains("4097 bytes");
    }

    @Test
    void recvWritesEveryPayloadToTheOutputFileInOrder() throws Exception {
        int port = freeUdpPort();
        Path out = temp.resolve("received.ts");
        CompletableFuture<Integer> recv = CompletableFuture.supplyAsync(() -> Main.commandLine().execute("recv",
                "srt://127.0.0.1:" + port + "?mode=listener", "-o", out.toString()));
        SrtSocket caller = connectWhenUp("srt://127.0.0.1:" + port);
        try (caller) {
            for (int i = 0; i < 20; i++) {
                byte[] payload = new byte[1316];
                payload[0] = 0x47;
                payload[1] = (byte) i;
                caller.send(payload, 0, payload.length);
            }
            Thread.sleep(500);
        }
        assertThat(recv.get(30, TimeUnit.SECONDS)).isZero();
        byte[] written = Files.readAllBytes(out);
        assertThat(written).hasSize(20 * 1316);
        for (int i = 0; i < 20; i++) {
            assertThat(written[i * 1316 + 1]).isEqualTo((byte) i);
        }
    }

    /**
     * A sender that closes cleanly ends the connection at once, while recv still holds the last latency's worth of
     * payloads: libsrt reports the close before them, and recv's file lacked the last half second of a stream received
     * with latency 500.
     */
    @Test
    void recvWritesEverythingTheSenderSentBeforeItClosedAndSaysItClosed() throws Exception {
        int port = io.mcrsrt.streamer.engine.testing.Peers.freePort();
        Path out = temp.resolve("received.ts");
        CompletableFuture<Integer> recv = CompletableFuture.supplyAsync(() -> Main.commandLine().execute("recv",
                "srt://127.0.0.1:" + port + "?mode=listener&latency=500", "-o", out.toString()));
        ByteArrayOutputStream sent = new ByteArrayOutputStream();
        try (SrtSocket caller = connectWhenUp("srt://127.0.0.1:" + port)) {
            byte[] payload = new byte[1316];
            for (int i = 0; i < 400; i++) {
                for (int p = 0; p < payload.length; p += 188) {
                    payload[p] = 0x47;
                    payload[p + 1] = (byte) (i >> 8);
                    payload[p + 2] = (byte) i;
                    payload[p + 3] = (byte) (0x10 | p / 188);
                }
                caller.send(payload, 0, payload.length);
                sent.write(payload);
                Thread.sleep(2);
            }
            // Closed once recv has acknowledged everything, not after the latency as mcr-srt send does: recv still
            // holds the last 500 ms when the close reaches it.
            io.mcrsrt.streamer.engine.testing.Peers.awaitAcknowledged(caller);
        }
        assertThat(recv.get(30, TimeUnit.SECONDS)).as(stderr()).isZero();
        assertThat(stderr()).matches("mcr-srt recv: the sender 127\\.0\\.0\\.1:\\d+ closed the connection after"
                + " \\d+\\.\\d s and 400 payloads \\(526400 bytes\\)\\R");
        assertThat(Files.readAllBytes(out)).isEqualTo(sent.toByteArray());
    }

    /**
     * An SRT receive error that is not a lost connection (here libsrt's 5010: a live stream read with messageapi=0,
     * which takes srt_recv's buffer API, which live mode refuses) is a receiving failure: recv reported it as
     * "writing to stdout failed", sending the engineer to look at the output.
     */
    @Test
    void recvSaysAReceiveErrorIsOneAndNotAWriteError() throws Exception {
        int port = io.mcrsrt.streamer.engine.testing.Peers.freePort();
        Path out = temp.resolve("received.ts");
        CompletableFuture<Integer> recv = CompletableFuture.supplyAsync(() -> Main.commandLine().execute("recv",
                "srt://127.0.0.1:" + port + "?mode=listener&messageapi=0", "-o", out.toString()));
        try (SrtSocket caller = connectWhenUp("srt://127.0.0.1:" + port, "messageapi=0")) {
            assertThat(recv.get(30, TimeUnit.SECONDS)).as(stderr()).isEqualTo(1);
        }
        assertThat(stderr()).matches("mcr-srt recv: receiving from the sender 127\\.0\\.0\\.1:\\d+ failed after"
                + " \\d+\\.\\d s and 0 payloads: Operation not supported: Incorrect use of Buffer API .*\\(5010\\)\\R");
    }

    @Test
    void fetchGetsAFileFromServeFilesWithProgressOnStderr() throws Exception {
        Path served = Files.createDirectory(temp.resolve("served"));
        byte[] content = new byte[3_000_000];
        new java.util.Random(7).nextBytes(content);
        Files.write(served.resolve("promo.ts"), content);
        try (SrtFileServer server = SrtFileServer.start(served, 0)) {
            Path local = temp.resolve("promo-copy.ts");
            int code = Main.commandLine().execute("fetch", "srt://127.0.0.1:" + server.localAddress().getPort(),
                    "promo.ts", local.toString());
            assertThat(code).as(stderr()).isZero();
            assertThat(Files.readAllBytes(local)).isEqualTo(content);
            assertThat(stderr()).contains("promo.ts: 3.0 of 3.0 MB (100%)").contains("fetched promo.ts");
        }
    }

    @Test
    void serveFilesLogsOneLineAnEventInTheConsolesPatternNamingTheFile() throws Exception {
        // Before: java.util.logging's two lines, "Nov 23, 2026 9:52:37 AM io.mcrsrt.srt.SrtFileServer serve" and
        // "INFO: sent a.ts ...", unlike every other command's log lines.
        Path served = Files.createDirectory(temp.resolve("served"));
        Files.write(served.resolve("a.ts"), new byte[100_000]);
        try (java.io.RandomAccessFile big = new java.io.RandomAccessFile(served.resolve("big.ts").toFile(), "rw")) {
            big.setLength(4L << 30); // sparse: the transfer takes long enough to be cut off
        }
        int port = freeUdpPort();
        String line = "\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3} %s +\\[[^]]+\\] SrtFileServer - %s";
        try (CommandProcess server = CommandProcess.start(temp, "serve-files", served.toString(), "--port",
                Integer.toString(port), "--bind", "127.0.0.1")) {
            server.awaitOutput("(Ctrl-C stops)");
            io.mcrsrt.srt.Srt.fetch("srt://127.0.0.1:" + port, "a.ts", temp.resolve("a.ts"));
            server.awaitOutput("sent a.ts");
            Path partial = temp.resolve("big.ts");
            try (CommandProcess fetch = CommandProcess.start(temp, "fetch", "srt://127.0.0.1:" + port, "big.ts",
                    partial.toString())) {
                assertThat(io.mcrsrt.streamer.engine.testing.Await.until(
                        () -> partFiles(temp, "big.ts").stream().anyMatch(p -> p.toFile().length() > 0)
                                || !fetch.isAlive(), 60_000)).isTrue();
                fetch.signal("TERM");
                fetch.exitStatus();
            }
            server.awaitOutput("sending big.ts to 127.0.0.1:");
            server.signal("TERM");
            assertThat(server.exitStatus()).isZero();
            java.util.List<String> lines = server.stderr().lines().toList();
            assertThat(lines).anyMatch(l -> l.matches(String.format(line, "INFO",
                    "sent a\\.ts \\(100000 bytes\\) to 127\\.0\\.0\\.1:\\d+")));
            assertThat(lines).anyMatch(l -> l.matches(String.format(line, "WARN",
                    "sending big\\.ts to 127\\.0\\.0\\.1:\\d+ failed: .+")));
            assertThat(server.stderr()).doesNotContain("INFO:").doesNotContain("WARNING:")
                    .doesNotContain("io.mcrsrt.srt.SrtFileServer serve");
        }
    }

    /** A file of mode 0600 holding {@code passphrase} and a line end. */
    private Path passphraseFile(String passphrase) throws Exception {
        return SecretFiles.ownerOnly(temp.resolve("passphrase-" + passphrase.hashCode()), passphrase + "\n");
    }

    /**
     * {@code srt-live-transmit udp://... SRT_URL} calling recv's listener, which takes its passphrase from a file: the
     * caller with the same passphrase is received, one with another is refused and nothing is written.
     */
    @Test
    void recvWithAPassphraseFileReceivesFromSrtLiveTransmitWithTheSamePassphraseOnly() throws Exception {
        Path secret = passphraseFile("long-enough-secret");
        for (String callerPassphrase : new String[] {"long-enough-secret", "not-the-right-one"}) {
            boolean right = callerPassphrase.equals("long-enough-secret");
            int port = io.mcrsrt.streamer.engine.testing.Peers.freePort();
            int udp = freeUdpPort();
            Path out = temp.resolve("received-" + right + ".ts");
            Path log = temp.resolve("slt-" + right + ".log");
            try (CommandProcess recv = CommandProcess.start(temp, "recv", "srt://127.0.0.1:" + port
                    + "?mode=listener", "--passphrase-file", secret.toString(), "-o", out.toString());
                    io.mcrsrt.streamer.engine.testing.Peers.Process slt = io.mcrsrt.streamer.engine.testing.Peers
                            .transmit("udp://127.0.0.1:" + udp, "srt://127.0.0.1:" + port + "?passphrase="
                                    + callerPassphrase, log);
                    NullPacketFeed feed = new NullPacketFeed(udp)) {
                java.util.function.BooleanSupplier done = right ? () -> out.toFile().length() > 0
                        : () -> read(log).contains("Incorrect passphrase");
                io.mcrsrt.streamer.engine.testing.Await.until(() -> done.getAsBoolean() || !recv.isAlive(), 60_000);
                assertThat(done.getAsBoolean()).as("%s%s", read(log), recv.stderr()).isTrue();
                if (!right) {
                    assertThat(out.toFile().length()).isZero();
                }
                recv.signal("TERM");
                assertThat(recv.exitStatus()).as(recv.stderr()).isZero();
                assertThat(recv.stderr()).doesNotContain("warning").doesNotContain("long-enough-secret");
            }
        }
    }

    /**
     * Stopped while its caller is still in the handshake (a listener slow to admit it), recv stops as it does once
     * connected: exit status 0, as its help says. It closed the stream it had just opened and then read from it, which
     * threw and exited with 1 ("stream has already been operated upon or closed").
     */
    @Test
    void recvStoppedWhileConnectingExitsWith0() throws Exception {
        int port = io.mcrsrt.streamer.engine.testing.Peers.freePort();
        java.util.concurrent.CountDownLatch inHandshake = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch admit = new java.util.concurrent.CountDownLatch(1);
        try (SrtSocket listener = SrtSocket.create()) {
            listener.listenCallback(caller -> {
                inHandshake.countDown();
                try {
                    admit.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return io.mcrsrt.srt.SrtAdmission.accept();
            }).bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port)).listen(1);
            CompletableFuture<Void> served = CompletableFuture.runAsync(() -> {
                try (SrtSocket peer = listener.accept()) {
                    peer.peerAddress();
                } catch (Exception closed) {
                    // the listener closed at the end of the test
                }
            });
            try (CommandProcess recv = CommandProcess.start(temp, "recv", "srt://127.0.0.1:" + port)) {
                assertThat(inHandshake.await(60, TimeUnit.SECONDS)).as(recv.stderr()).isTrue();
                recv.signal("TERM");
                Thread.sleep(300); // the signal is handled while the caller still waits for the handshake
                admit.countDown();
                assertThat(recv.exitStatus()).as(recv.stderr()).isZero();
                assertThat(recv.stderr()).doesNotContain("failed");
            } finally {
                admit.countDown();
                listener.close();
                served.get(10, TimeUnit.SECONDS);
            }
        }
    }

    /**
     * A sender killed with SIGKILL and one stopped cleanly end recv's connection differently: libsrt reports both alike
     * (error 2001, state BROKEN), but the killed one's connection breaks only after SRT's peer idle timeout, with
     * nothing arriving meanwhile. recv said nothing in either case and exited with 0 after a kill as after a clean end,
     * so a script could not tell a link that broke from a sender that finished.
     */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void recvSaysHowTheConnectionEndedAndExitsWith1WhenTheSenderWasKilled(boolean killed) throws Exception {
        int port = io.mcrsrt.streamer.engine.testing.Peers.freePort();
        int udp = io.mcrsrt.streamer.engine.testing.Peers.freePort();
        Path out = temp.resolve("received.ts");
        try (CommandProcess recv = CommandProcess.start(temp, "recv", "srt://127.0.0.1:" + port + "?mode=listener",
                "-o", out.toString());
                io.mcrsrt.streamer.engine.testing.Peers.Process slt = io.mcrsrt.streamer.engine.testing.Peers
                        .transmit("udp://127.0.0.1:" + udp, "srt://127.0.0.1:" + port, temp.resolve("slt.log"))) {
            try (NullPacketFeed feed = new NullPacketFeed(udp)) {
                assertThat(io.mcrsrt.streamer.engine.testing.Await.until(
                        () -> out.toFile().length() > 100 * 1316 || !recv.isAlive(), 60_000))
                        .as("%s%s", read(temp.resolve("slt.log")), recv.stderr()).isTrue();
                if (killed) {
                    slt.kill();
                } else {
                    slt.close();
                }
                int status = recv.exitStatus();
                String said = recv.stderr();
                if (killed) {
                    assertThat(status).as(said).isEqualTo(1);
                    assertThat(said).matches("(?s)mcr-srt recv: the sender 127\\.0\\.0\\.1:\\d+ stopped answering:"
                            + " nothing came for the last \\d+\\.\\d s before the connection broke, after \\d+\\.\\d s"
                            + " and \\d+ payloads.*\\R");
                } else {
                    assertThat(status).as(said).isZero();
                    assertThat(said).matches("mcr-srt recv: the sender 127\\.0\\.0\\.1:\\d+ closed the connection"
                            + " after \\d+\\.\\d s and \\d+ payloads \\(\\d+ bytes\\)\\R");
                }
            }
        }
    }

    /**
     * recv told the two ends by the time since the last payload was handed on, more than a second meaning lost: a
     * sender silent for 2 s that then closed read as lost, and a killed one with a latency near the peer idle timeout
     * (its last payloads handed on the latency after they came, the connection ending the timeout after) as closed.
     * The time is now reckoned from the peer idle timeout less the latency, which is when a killed sender's end comes.
     */
    @ParameterizedTest(name = "killed {0}, latency {1} ms, silent {2} ms")
    @org.junit.jupiter.params.provider.CsvSource({"false, 120, 2000", "true, 4500, 0"})
    void recvTellsASenderSilentBeforeClosingFromOneKilledWithALatencyNearThePeerIdleTimeout(boolean killed,
            int latencyMs, int silentMs) throws Exception {
        int port = io.mcrsrt.streamer.engine.testing.Peers.freePort();
        int udp = io.mcrsrt.streamer.engine.testing.Peers.freePort();
        Path out = temp.resolve("received.ts");
        try (CommandProcess recv = CommandProcess.start(temp, "recv", "srt://127.0.0.1:" + port
                + "?mode=listener&latency=" + latencyMs, "-o", out.toString());
                io.mcrsrt.streamer.engine.testing.Peers.Process slt = io.mcrsrt.streamer.engine.testing.Peers
                        .transmit("udp://127.0.0.1:" + udp, "srt://127.0.0.1:" + port + "?latency=" + latencyMs,
                                temp.resolve("slt.log"))) {
            try (NullPacketFeed feed = new NullPacketFeed(udp)) {
                assertThat(io.mcrsrt.streamer.engine.testing.Await.until(
                        () -> out.toFile().length() > 100 * 1316 || !recv.isAlive(), 60_000))
                        .as("%s%s", read(temp.resolve("slt.log")), recv.stderr()).isTrue();
                if (silentMs > 0) {
                    feed.close();
                    // The sender stays connected, sending SRT keepalives only, then closes: the silence is made, not
                    // measured (the last payloads are handed on the latency after they came).
                    Thread.sleep(silentMs + latencyMs);
                    assertThat(recv.isAlive()).as(recv.stderr()).isTrue();
                }
                if (killed) {
                    slt.kill();
                } else {
                    slt.close();
                }
                int status = recv.exitStatus();
                String said = recv.stderr();
                if (killed) {
                    assertThat(said).matches("(?s)mcr-srt recv: the sender 127\\.0\\.0\\.1:\\d+ stopped answering:.*\\R");
                    assertThat(status).as(said).isEqualTo(1);
                } else {
                    assertThat(said).matches("mcr-srt recv: the sender 127\\.0\\.0\\.1:\\d+ closed the connection"
                            + " after .*\\R");
                    assertThat(status).as(said).isZero();
                }
            }
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            return "";
        }
    }

    /**
     * serve-files with --passphrase-file and fetch with --passphrase-env (SRT_PASSPHRASE): the file arrives; a fetch
     * without the passphrase fails; a passphrase in fetch's URL works with one warning line.
     */
    @Test
    void serveFilesAndFetchTakeThePassphraseFromAFileOrTheEnvironment() throws Exception {
        Path served = Files.createDirectory(temp.resolve("served"));
        byte[] content = new byte[500_000];
        new java.util.Random(3).nextBytes(content);
        Files.write(served.resolve("promo.ts"), content);
        Path secret = passphraseFile("long-enough-secret");
        int port = io.mcrsrt.streamer.engine.testing.Peers.freePort();
        try (CommandProcess server = CommandProcess.start(temp, "serve-files", served.toString(), "--port",
                Integer.toString(port), "--bind", "127.0.0.1", "--passphrase-file", secret.toString())) {
            server.awaitOutput("(Ctrl-C stops)");
            Path local = temp.resolve("promo-env.ts");
            try (CommandProcess fetch = CommandProcess.start(temp,
                    java.util.Map.of("SRT_PASSPHRASE", "long-enough-secret"), "fetch", "--passphrase-env",
                    "srt://127.0.0.1:" + port, "promo.ts", local.toString())) {
                assertThat(fetch.exitStatus()).as(fetch.stderr()).isZero();
                assertThat(fetch.stderr()).doesNotContain("warning");
            }
            assertThat(Files.readAllBytes(local)).isEqualTo(content);

            Path plain = temp.resolve("promo-plain.ts");
            int refused = Main.commandLine().execute("fetch", "srt://127.0.0.1:" + port, "promo.ts",
                    plain.toString());
            assertThat(refused).as(stderr()).isEqualTo(1);
            assertThat(Files.exists(plain)).isFalse();

            err.reset();
            Path inUrl = temp.resolve("promo-url.ts");
            int code = Main.commandLine().execute("fetch", "srt://127.0.0.1:" + port + "?passphrase=long-enough-secret",
                    "promo.ts", inUrl.toString());
            assertThat(code).as(stderr()).isZero();
            assertThat(stderr().lines().filter(l -> l.contains("warning")).toList()).containsExactly("mcr-srt fetch:"
                    + " warning: the passphrase given by passphrase= in the SRT URL can be read by every user of this"
                    + " machine in the process list (ps); give it with --passphrase-file FILE (chmod 600) or"
                    + " --passphrase-env instead");
            assertThat(server.stderr()).doesNotContain("long-enough-secret").doesNotContain("warning");
        }
    }

    /** serve-files --passphrase works with one warning line; with --passphrase-file too it is refused naming both. */
    @Test
    void serveFilesWarnsOfAPassphraseOnItsCommandLineAndRefusesTwo() throws Exception {
        Path served = Files.createDirectory(temp.resolve("served"));
        int port = io.mcrsrt.streamer.engine.testing.Peers.freePort();
        try (CommandProcess server = CommandProcess.start(temp, "serve-files", served.toString(), "--port",
                Integer.toString(port), "--bind", "127.0.0.1", "--passphrase", "long-enough-secret")) {
            server.awaitOutput("(Ctrl-C stops)");
            assertThat(server.stderr().lines().filter(l -> l.contains("warning")).toList()).containsExactly(
                    "mcr-srt serve-files: warning: the passphrase given by --passphrase can be read by every user of"
                            + " this machine in the process list (ps); give it with --passphrase-file FILE (chmod"
                            + " 600) or --passphrase-env instead");
        }
        Path secret = passphraseFile("long-enough-secret");
        int code = Main.commandLine().execute("serve-files", served.toString(), "--port", Integer.toString(port),
                "--passphrase", "long-enough-secret", "--passphrase-file", secret.toString());
        assertThat(code).isEqualTo(2);
        assertThat(stderr().strip()).isEqualTo("mcr-srt serve-files: the passphrase is given twice, by --passphrase"
                + " and by --passphrase-file " + secret + " (expected: one of them; --passphrase-file or"
                + " --passphrase-env keeps it out of the process list)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"::1", "[::1]"})
    void serveFilesBindsAnIpv6AddressWrittenWithOrWithoutBrackets(String bind) throws Exception {
        // Before, --bind [::1] was bracketed again, srt://[[::1]]:PORT, and refused as a malformed URL.
        Path served = Files.createDirectory(temp.resolve("served"));
        Files.write(served.resolve("a.ts"), new byte[10_000]);
        int port = freeUdpPort();
        try (CommandProcess server = CommandProcess.start(temp, "serve-files", served.toString(), "--port",
                Integer.toString(port), "--bind", bind)) {
            server.awaitOutput("(Ctrl-C stops)");
            assertThat(server.stderr()).contains("on srt://[::1]:" + port + " (Ctrl-C stops)");
            io.mcrsrt.srt.Srt.fetch("srt://[::1]:" + port, "a.ts", temp.resolve("a.ts"));
            assertThat(Files.size(temp.resolve("a.ts"))).isEqualTo(10_000);
            server.signal("TERM");
            assertThat(server.exitStatus()).isZero();
        }
    }

    @Test
    void fetchOfAnEscapingNameFailsWithTheServersReason() throws Exception {
        Path served = Files.createDirectory(temp.resolve("served"));
        try (SrtFileServer server = SrtFileServer.start(served, 0)) {
            int code = Main.commandLine().execute("fetch", "srt://127.0.0.1:" + server.localAddress().getPort(),
                    "../etc/passwd", temp.resolve("x").toString());
            assertThat(code).isEqualTo(1);
            assertThat(stderr()).contains("refused");
        }
    }

    @Test
    void serveFilesOfAMissingDirectoryOrAFileIsAUsageErrorSayingWhich() throws Exception {
        Path missing = temp.resolve("nope");
        int code = Main.commandLine().execute("serve-files", missing.toString(), "--port",
                String.valueOf(freeUdpPort()));
        assertThat(code).isEqualTo(2);
        assertThat(stderr().strip()).isEqualTo("mcr-srt serve-files: DIR " + missing + " does not exist (expected:"
                + " the folder whose files should be served)");
        err.reset();
        Path file = Files.writeString(temp.resolve("clip.ts"), "x");
        assertThat(Main.commandLine().execute("serve-files", file.toString(), "--port", String.valueOf(freeUdpPort())))
                .isEqualTo(2);
        assertThat(stderr()).contains("DIR " + file + " is a file (expected: the folder");
    }

    @Test
    void fetchIntoAFolderOrAMissingFolderFailsBeforeConnecting() {
        // No server listens: were fetch to connect first, it would wait for the connection timeout and blame that.
        String url = "srt://127.0.0.1:" + freeUdpPort();
        int code = Main.commandLine().execute("fetch", url, "promo.ts", temp.toString());
        assertThat(code).isEqualTo(2);
        assertThat(stderr().strip()).isEqualTo("mcr-srt fetch: LOCAL " + temp + " is a folder (expected: a file to"
                + " write)");
        err.reset();
        Path nested = temp.resolve("no/such/folder/promo.ts");
        assertThat(Main.commandLine().execute("fetch", url, "promo.ts", nested.toString())).isEqualTo(2);
        assertThat(stderr().strip()).isEqualTo("mcr-srt fetch: LOCAL " + nested + ": the folder " + nested.getParent()
                + " does not exist (create it first)");
    }

    @Test
    void helpListsTheSrtCommands() {
        java.io.StringWriter out = new java.io.StringWriter();
        Main.commandLine().setOut(new java.io.PrintWriter(out)).execute("--help");
        assertThat(out.toString()).contains("recv").contains("fetch").contains("serve-files");
    }

    /** Within {@code test.ports} when it is set, so that runs side by side keep to their own ports. */
    private static int freeUdpPort() {
        try {
            return io.mcrsrt.streamer.engine.testing.Peers.freePort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Connects to {@code url} once something listens there, trying for up to a minute. */
    static SrtSocket connectWhenUp(String url) throws Exception {
        return connectWhenUp(url, "");
    }

    /** As {@link #connectWhenUp(String)}, with {@code parameters} ({@code key=value&...}) added to the URL. */
    static SrtSocket connectWhenUp(String url, String parameters) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try {
                return SrtUrl.parse(url + "?conntimeo=1000" + (parameters.isEmpty() ? "" : "&" + parameters)).open();
            } catch (io.mcrsrt.srt.SrtException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
            }
        }
    }

    /** The temporary files a fetch to {@code dir/name} receives into until the file is whole. */
    static java.util.List<Path> partFiles(Path dir, String name) {
        try (var files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().startsWith("." + name + ".")
                    && p.getFileName().toString().endsWith(".part")).toList();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * A live source that keeps flowing until it is closed, as an encoder's does: datagrams of seven null packets,
     * one every 2 ms, to a UDP port on loopback.
     */
    private static final class NullPacketFeed implements AutoCloseable {
        private final AtomicBoolean feeding = new AtomicBoolean(true);
        private final CompletableFuture<Void> feeder;

        NullPacketFeed(int udpPort) {
            byte[] packets = new byte[1316];
            for (int i = 0; i < packets.length; i += 188) {
                packets[i] = 0x47;
                packets[i + 1] = 0x1f; // null packets
                packets[i + 2] = (byte) 0xff;
                packets[i + 3] = 0x10;
            }
            InetSocketAddress to = new InetSocketAddress(InetAddress.getLoopbackAddress(), udpPort);
            feeder = CompletableFuture.runAsync(() -> {
                try (DatagramSocket sender = new DatagramSocket()) {
                    while (feeding.get()) {
                        sender.send(new DatagramPacket(packets, packets.length, to));
                        Thread.sleep(2);
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
        }

        /** Stops the feed and waits for its last datagram; again, nothing more. */
        @Override
        public void close() throws Exception {
            feeding.set(false);
            feeder.get(10, TimeUnit.SECONDS);
        }
    }
}
