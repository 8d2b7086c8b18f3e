package io.mcrsrt.streamer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcrsrt.srt.SrtFileServer;
import io.mcrsrt.srt.SrtSocket;
import io.mcrsrt.srt.SrtUrl;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
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

    private static int freeUdpPort() {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            return s.getLocalPort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Connects to {@code url} once something listens there, trying for up to a minute. */
    static SrtSocket connectWhenUp(String url) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try {
                return SrtUrl.parse(url + "?conntimeo=1000").open();
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
}
