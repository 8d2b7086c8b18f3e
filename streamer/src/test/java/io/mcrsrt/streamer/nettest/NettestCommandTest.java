package io.mcrsrt.streamer.nettest;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mcrsrt.streamer.cli.SecretFiles;
import io.mcrsrt.streamer.engine.testing.Await;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class NettestCommandTest {

    @Test
    void pingTestPrintsMeasurementRecommendationAndExplanation() {
        CommandRun r = CommandRun.of("nettest", "127.0.0.1");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("Network test of 127.0.0.1 by ping at ")
                .contains("Recommended: latency 60 ms, overhead 33 % (RTT x 3)")
                .contains("(counted as 20 ms, the floor) x 3");
    }

    @Test
    void srtTestAgainstAResponderPrintsJsonWithTheApiFieldNames() throws Exception {
        try (ProbeResponder responder = ProbeResponder.start(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), null)) {
            CommandRun r = CommandRun.of("nettest", "127.0.0.1", "--mechanism", "srt", "--port",
                    Integer.toString(responder.port()), "--duration", "2", "--bitrate", "8M", "--json");
            assertThat(r.code()).as(r.err()).isZero();
            JsonNode json = new ObjectMapper().readTree(r.out());
            assertThat(json.get("mechanism").asText()).isEqualTo("srt");
            assertThat(json.get("latency_recommendation").asInt()).isEqualTo(60);
            assertThat(json.get("explanation").asText()).contains("needs 8 Mbit/s x 1.33 = 10.64 Mbit/s");
            assertThat(json.get("error").isNull()).isTrue();
        }
    }

    /**
     * The srt mechanism takes the listener's passphrase from a file only its owner reads: the right one measures, a
     * wrong one fails; --passphrase still works with one warning line, and with a file as well it is refused.
     */
    @Test
    void srtTestTakesThePassphraseFromAFileAndWarnsOfOneOnTheCommandLine(@org.junit.jupiter.api.io.TempDir
            java.nio.file.Path dir) throws Exception {
        java.nio.file.Path right = SecretFiles.ownerOnly(dir.resolve("right"), "long-enough-secret\n");
        java.nio.file.Path wrong = SecretFiles.ownerOnly(dir.resolve("wrong"), "not-the-right-one\n");
        try (ProbeResponder responder = ProbeResponder.start(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), "long-enough-secret")) {
            String port = Integer.toString(responder.port());
            CommandRun ok = CommandRun.of("nettest", "127.0.0.1", "--mechanism", "srt", "--port", port, "--duration",
                    "1", "--passphrase-file", right.toString());
            assertThat(ok.code()).as(ok.out() + ok.err()).isZero();
            assertThat(ok.err()).isEmpty();
            CommandRun refused = CommandRun.of("nettest", "127.0.0.1", "--mechanism", "srt", "--port", port,
                    "--duration", "1", "--passphrase-file", wrong.toString());
            assertThat(refused.code()).as(refused.out() + refused.err()).isEqualTo(1);
            CommandRun visible = CommandRun.of("nettest", "127.0.0.1", "--mechanism", "srt", "--port", port,
                    "--duration", "1", "--passphrase", "long-enough-secret");
            assertThat(visible.code()).as(visible.out() + visible.err()).isZero();
            assertThat(visible.err().strip()).isEqualTo("mcr-srt nettest: warning: the passphrase given by --passphrase"
                    + " can be read by every user of this machine in the process list (ps); give it with"
                    + " --passphrase-file FILE (chmod 600) or --passphrase-env instead");
        }
        CommandRun two = CommandRun.of("nettest", "--serve-probe", "9000", "--passphrase", "long-enough-secret",
                "--passphrase-file", right.toString());
        assertThat(two.code()).isEqualTo(2);
        assertThat(two.err()).contains("the passphrase is given twice, by --passphrase and by --passphrase-file "
                + right);
    }

    @Test
    void srtWithoutPortIsRefused() {
        CommandRun r = CommandRun.of("nettest", "127.0.0.1", "--mechanism", "srt");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("The srt mechanism needs --port");
    }

    @Test
    void unknownMechanismIsRefusedNamingTheChoices() {
        CommandRun r = CommandRun.of("nettest", "127.0.0.1", "--mechanism", "smoke");
        assertThat(r.code()).isEqualTo(2);
        // the help's words: before, "Mechanism must be one of ping_only, iperf, srt" while the help said "ping"
        assertThat(r.err()).startsWith("mcr-srt nettest: --mechanism 'smoke' is not a mechanism (expected: ping, iperf"
                + " or srt; ping_only and iperf3 are accepted too).");
        java.io.StringWriter help = new java.io.StringWriter();
        io.mcrsrt.streamer.cli.Main.commandLine().setOut(new java.io.PrintWriter(help)).execute("nettest", "--help");
        assertThat(help.toString().replaceAll("\\s+", " "))
                .contains("ping, iperf or srt; also written ping_only and iperf3");
        for (String spelling : new String[] {"ping", "ping_only", "PING", "iperf", "iperf3", "srt"}) {
            assertThat(Mechanism.of(spelling)).as(spelling).isNotNull();
        }
    }

    @Test
    void anIpv6TargetIsWrittenInBracketsWhereAPortIsShown() throws Exception {
        int closed = IperfServerProcess.freeTcpAndUdpPort();
        CommandRun srt = CommandRun.of("nettest", "::1", "--mechanism", "srt", "--port", Integer.toString(closed),
                "--duration", "1");
        assertThat(srt.out()).as(srt.err()).contains("Network test of [::1]:" + closed + " by srt")
                .contains("SRT connection to [::1]:" + closed + " failed").doesNotContain("0:0:0:0");
        CommandRun ping = CommandRun.of("nettest", "::1");
        assertThat(ping.code()).as(ping.err()).isZero();
        assertThat(ping.out()).contains("Network test of ::1 by ping at ");
    }

    @Test
    void theProbeResponderLogsAnIpv6ProbeAsItsAddressIsWritten() throws Exception {
        var log = new ListAppender<ILoggingEvent>();
        var logger = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(ProbeResponder.class);
        log.start();
        logger.addAppender(log);
        try (ProbeResponder responder = ProbeResponder.start(new InetSocketAddress(InetAddress.ofLiteral("::1"), 0),
                null)) {
            CommandRun r = CommandRun.of("nettest", "[::1]", "--mechanism", "srt", "--port",
                    Integer.toString(responder.port()), "--duration", "1", "--bitrate", "2M");
            assertThat(r.code()).as(r.err()).isZero();
            // the probe's thread logs once it has read the end of the probe, a moment after the command returned
            assertThat(Await.until(() -> List.copyOf(log.list).stream()
                    .anyMatch(e -> e.getFormattedMessage().startsWith("Probe from ")), 10_000)).isTrue();
            // it wrote the JDK's /[0:0:0:0:0:0:0:1]:PORT
            assertThat(List.copyOf(log.list).stream().map(ILoggingEvent::getFormattedMessage)
                    .filter(m -> m.startsWith("Probe from ")).toList())
                    .singleElement().asString().matches("Probe from \\[::1\\]:\\d+ finished after \\d+ bytes");
        } finally {
            logger.detachAppender(log);
        }
    }

    @Test
    void failedTestExitsWithOneAndSaysWhy() throws Exception {
        int closed = IperfServerProcess.freeTcpAndUdpPort();
        CommandRun r = CommandRun.of("nettest", "127.0.0.1", "--mechanism", "srt", "--port", Integer.toString(closed),
                "--duration", "1");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).contains("Failed: SRT connection to 127.0.0.1:" + closed + " failed");
    }

    @Test
    void iperfWithoutServerExitsWithThreeNamingTheServerAndTheFix() throws Exception {
        int closed = IperfServerProcess.freeTcpAndUdpPort();
        CommandRun r = CommandRun.of("nettest", "127.0.0.1", "--mechanism", "iperf", "--port",
                Integer.toString(closed), "--duration", "1");
        assertThat(r.code()).as(r.out() + r.err()).isEqualTo(3);
        assertThat(r.err()).contains("no iperf3 result from 127.0.0.1:" + closed)
                .contains("iperf3 -s -p " + closed).contains("--mechanism srt");
    }

    @Test
    void aHostNameThatDoesNotResolveIsSaidToBeSoByEveryMechanism() {
        // iperf said first that the host "does not answer ping", the name lookup's failure further on
        for (String[] mechanism : new String[][] {{"--mechanism", "ping"}, {"--mechanism", "iperf"},
                {"--mechanism", "srt", "--port", "9000"}}) {
            java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("nettest", "no-such-host.invalid",
                    "--duration", "1"));
            args.addAll(java.util.List.of(mechanism));
            CommandRun r = CommandRun.of(args.toArray(String[]::new));
            assertThat(r.code()).as(r.out()).isEqualTo(1);
            assertThat(r.out()).as(mechanism[1]).contains("Failed: Host name \"no-such-host.invalid\" could not be"
                    + " resolved: check the spelling, or use an IP address.").doesNotContain("answer ping")
                    .doesNotContain("java.lang.");
        }
    }

    @Test
    void aHostThatIsNoHostNameIsAUsageError() {
        CommandRun r = CommandRun.of("nettest", "foo bar");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("'foo bar' is not a host name or IP address");
    }

    @Test
    void aDurationOutOfRangeIsAUsageErrorNotAWarning() {
        CommandRun r = CommandRun.of("nettest", "127.0.0.1", "--mechanism", "iperf", "--duration", "0");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--duration 0 is out of range (expected: 1 to 60 seconds)");
        assertThat(r.out()).doesNotContain("Recommended");
    }

    @Test
    void anSrtBitrateTheProbeCannotSendIsAUsageError() {
        CommandRun r = CommandRun.of("nettest", "127.0.0.1", "--mechanism", "srt", "--port", "9000", "--bitrate",
                "5G");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--bitrate 5G is out of range for the srt mechanism");
    }

    @Test
    void aShortPassphraseIsAUsageErrorWithoutAStackTrace() {
        CommandRun r = CommandRun.of("nettest", "--serve-probe", "9000", "--passphrase", "short");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--passphrase is 5 bytes long in UTF-8 (expected: 10 to 79 bytes")
                .doesNotContain("\tat ");
    }

    @Test
    void aPassphraseOfFewCharactersButTooManyBytesIsAUsageErrorSayingBytes() {
        // 45 x é: 45 characters, 90 bytes, which libsrt refuses; before, the probe died with an exception
        for (String[] args : new String[][] {{"nettest", "--serve-probe", "9000", "--passphrase", "é".repeat(45)},
                {"nettest", "127.0.0.1", "--mechanism", "srt", "--port", "9000", "--passphrase", "é".repeat(45)}}) {
            CommandRun r = CommandRun.of(args);
            assertThat(r.code()).as(r.err()).isEqualTo(2);
            assertThat(r.err()).contains("--passphrase is 90 bytes long in UTF-8, from 45 characters (expected: 10 to"
                    + " 79 bytes").doesNotContain("IllegalArgumentException").doesNotContain("\tat ");
        }
    }

    @Test
    void aProbePortInUseIsReportedInOneLine() throws Exception {
        try (java.net.DatagramSocket taken = new java.net.DatagramSocket(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            CommandRun r = CommandRun.of("nettest", "--serve-probe", Integer.toString(taken.getLocalPort()), "--bind",
                    "127.0.0.1");
            assertThat(r.code()).isEqualTo(1);
            assertThat(r.err()).contains("mcr-srt nettest: cannot answer probes on 127.0.0.1:" + taken.getLocalPort())
                    .contains("Choose another --serve-probe port")
                    .doesNotContain("\tat ");
        }
    }

    /** Refused before any socket is made: the address is only compared with this machine's own. */
    @Test
    void aProbeBindAddressThisMachineDoesNotHaveIsAUsageErrorNamingIt() {
        CommandRun r = CommandRun.of("nettest", "--serve-probe", "9000", "--bind", "192.0.2.77");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--bind 192.0.2.77 is not an address of this machine")
                .doesNotContain("Choose another --serve-probe port").doesNotContain("\tat ");
    }

    @Test
    void stoppingTheCommandStopsIperf3Too() throws Exception {
        try (IperfServerProcess server = new IperfServerProcess()) {
            String javaBin = ProcessHandle.current().info().command().orElseThrow();
            Process jvm = new ProcessBuilder(javaBin, "--enable-native-access=ALL-UNNAMED", "-cp",
                    System.getProperty("java.class.path"), io.mcrsrt.streamer.cli.Main.class.getName(), "nettest",
                    "127.0.0.1", "--mechanism", "iperf", "--tcp", "--port", Integer.toString(server.port()),
                    "--duration", "30").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            java.util.concurrent.atomic.AtomicReference<ProcessHandle> iperf =
                    new java.util.concurrent.atomic.AtomicReference<>();
            try {
                assertThat(Await.until(() -> {
                    jvm.descendants().filter(h -> h.info().command().orElse("").endsWith("iperf3")).findFirst()
                            .ifPresent(iperf::set);
                    return iperf.get() != null;
                }, 30_000)).as("iperf3 started by the command").isTrue();
                jvm.destroy(); // SIGTERM, as systemctl stop or kill sends it
                assertThat(jvm.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
                assertThat(Await.until(() -> !iperf.get().isAlive(), 10_000))
                        .as("iperf3 still running after the command stopped").isTrue();
            } finally {
                jvm.descendants().forEach(ProcessHandle::destroyForcibly);
                jvm.destroyForcibly();
                if (iperf.get() != null) {
                    iperf.get().destroyForcibly();
                }
            }
        }
    }
}
