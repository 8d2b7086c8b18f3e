package io.mcrsrt.streamer.nettest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mcrsrt.streamer.impair.Impairment;
import io.mcrsrt.streamer.impair.LinkEmulator;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class NetworkTesterTest {

    private static IperfServerProcess iperf;

    @BeforeAll
    static void startIperf() throws Exception {
        iperf = new IperfServerProcess();
    }

    @AfterAll
    static void stopIperf() {
        if (iperf != null) {
            iperf.close();
        }
    }

    private static IperfServer server(String host, int port, String site, String country, String continent) {
        return new IperfServer("iperf3 -c " + host + " -p " + port, "-R", "10", country, site, continent, "test");
    }

    private static NetworkTestRequest manual(String host, int port, String protocol, String mechanism) {
        return new NetworkTestRequest("manual", null, host, port, protocol, 3, "5M", mechanism);
    }

    @Test
    void manualPingOfLoopbackRecommendsThreeTimesTheTwentyMillisecondFloor() {
        NetworkTester t = new NetworkTester(new ServerCatalog(null), Mechanism.PING_ONLY);
        NetworkTestResult r = t.run(new NetworkTestRequest("manual", null, "127.0.0.1", null, null, null, null, null));
        assertThat(r.error()).isNull();
        assertThat(r.mechanism()).isEqualTo("ping_only");
        assertThat(r.server()).isEqualTo("127.0.0.1:5201");
        assertThat(r.serverLocation()).isEqualTo("manual");
        assertThat(r.rttMs()).isLessThan(20);
        assertThat(r.lossPercent()).isZero();
        assertThat(r.latencyRecommendation()).isEqualTo(60);
        assertThat(r.overheadRecommendation()).isEqualTo(33);
        assertThat(r.rttMultiplier()).isEqualTo(3);
        assertThat(r.explanation()).contains("the floor").contains("needs 10 Mbit/s x 1.33 = 13.3 Mbit/s");
        assertThat(r.testTime()).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC");
    }

    @Test
    void manualIperfUdpMeasuresLossJitterAndBandwidth() {
        NetworkTester t = new NetworkTester(new ServerCatalog(null), Mechanism.PING_ONLY);
        NetworkTestResult r = t.run(manual("127.0.0.1", iperf.port(), "udp", "iperf"));
        assertThat(r.error()).isNull();
        assertThat(r.bandwidthType()).isEqualTo("udp");
        assertThat(r.bandwidthMbps()).isBetween(3.0, 6.0);
        assertThat(r.lossMeasured()).isTrue();
        // The multiplier follows the loss iperf3 measured, which a busy machine can push above 1 % even on loopback.
        Recommendation expected = Recommender.recommend(r.rttMs(), OptionalDouble.of(r.lossPercent()), 5);
        assertThat(r.rttMultiplier()).isEqualTo(expected.rttMultiplier());
        assertThat(r.latencyRecommendation()).isEqualTo(expected.latencyMs());
    }

    @Test
    void manualIperfTcpGivesBandwidthAndSaysLossCameFromPingOnly() {
        NetworkTester t = new NetworkTester(new ServerCatalog(null), Mechanism.IPERF);
        NetworkTestResult r = t.run(manual("127.0.0.1", iperf.port(), "tcp", null));
        assertThat(r.error()).isNull();
        assertThat(r.mechanism()).isEqualTo("iperf");
        assertThat(r.bandwidthType()).isEqualTo("tcp");
        assertThat(r.bandwidthMbps()).isPositive();
        assertThat(r.warnings()).anySatisfy(w -> assertThat(w).contains("4 pings only"));
    }

    @Test
    void iperfWithoutServerStillRecommendsFromPingAndSaysWhy() throws Exception {
        int closed = IperfServerProcess.freeTcpAndUdpPort();
        NetworkTester t = new NetworkTester(new ServerCatalog(null), Mechanism.IPERF);
        NetworkTestResult r = t.run(manual("127.0.0.1", closed, "udp", null));
        assertThat(r.error()).isNull();
        assertThat(r.bandwidthMbps()).isNull();
        assertThat(r.warnings()).anySatisfy(w -> assertThat(w).contains("iperf3 gave no result")
                .contains("unable to connect to server"));
    }

    @Test
    void aReturnPathThatLosesMoreDecidesTheRecommendation() throws Exception {
        ThreadNiceness.runBoosted("nettest-return-loss", () -> {
            try (ProbeResponder responder = ProbeResponder.start(
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), null);
                    LinkEmulator emulator = LinkEmulator.start(
                            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                            new InetSocketAddress(InetAddress.getLoopbackAddress(), responder.port()),
                            Impairment.delay(5), Impairment.delay(5).withLoss(6), 11)) {
                NetworkTester t = new NetworkTester(new ServerCatalog(null), Mechanism.SRT);
                // 5 s of return messages (250 a second): 1250 draws of a 6 % loss spread with a standard deviation
                // of 0.67 points, so the bounds sit 3.7 and 4.5 deviations out (3 s, 0.87 points, once read 8.46).
                NetworkTestResult r = t.run(new NetworkTestRequest(
                        "manual", null, "127.0.0.1", emulator.listenPort(), null, 5, "5M", null));
                assertThat(r.error()).isNull();
                assertThat(r.returnLossPercent()).isBetween(3.5, 9.0);
                assertThat(r.lossPercent()).as("the worse direction").isEqualTo(r.returnLossPercent());
                assertThat(r.rttMultiplier()).as("the <= 7 % row, or the next").isGreaterThanOrEqualTo(5);
                assertThat(r.warnings()).anySatisfy(w -> assertThat(w).contains("return path lost more"));
            }
            return null;
        });
    }

    @Test
    void aPathSlowerThanTheStreamIsReportedAsTooSlowNotOnlyAsLoss() throws Exception {
        // A 3 Mbit/s bottleneck with a 200 ms queue under a 5 Mbit/s probe: its queue overflows.
        Impairment bottleneck = Impairment.NONE.withRate(3);
        ThreadNiceness.runBoosted("nettest-bottleneck", () -> {
            try (ProbeResponder responder = ProbeResponder.start(
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), null);
                    LinkEmulator emulator = LinkEmulator.start(
                            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                            new InetSocketAddress(InetAddress.getLoopbackAddress(), responder.port()),
                            bottleneck, bottleneck, 13)) {
                NetworkTester t = new NetworkTester(new ServerCatalog(null), Mechanism.SRT);
                NetworkTestResult r = t.run(manual("127.0.0.1", emulator.listenPort(), null, null));
                assertThat(r.error()).isNull();
                assertThat(emulator.toTargetCounters().droppedQueue()).isPositive();
                assertThat(r.warnings()).anySatisfy(w -> assertThat(w)
                        .containsPattern("Only [1-3](\\.\\d+)? of the 5 Mbit/s test stream reached the listener")
                        .contains("lower bitrate"));
            }
            return null;
        });
    }

    @Test
    void aPathWithoutRoomForTheOverheadIsWarnedOf() throws Exception {
        // 6 Mbit/s carries the 5 Mbit/s probe without loss, but not the 6.65 Mbit/s the stream needs with 33 %.
        Impairment bottleneck = Impairment.NONE.withRate(6);
        ThreadNiceness.runBoosted("nettest-no-room", () -> {
            try (ProbeResponder responder = ProbeResponder.start(
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), null);
                    LinkEmulator emulator = LinkEmulator.start(
                            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                            new InetSocketAddress(InetAddress.getLoopbackAddress(), responder.port()),
                            bottleneck, bottleneck, 17)) {
                NetworkTester t = new NetworkTester(new ServerCatalog(null), Mechanism.SRT);
                NetworkTestResult r = t.run(manual("127.0.0.1", emulator.listenPort(), null, null));
                assertThat(r.error()).isNull();
                assertThat(r.lossPercent()).isZero();
                assertThat(r.overheadRecommendation()).isEqualTo(33);
                // libsrt's packet-pair estimate of the 6 Mbit/s bottleneck; on a loaded machine the relay's late
                // wake-ups spread the pairs and it reads low (4.43 once with the whole suite running on 2 cores).
                assertThat(r.bandwidthMbps()).isBetween(4.0, 6.6);
                assertThat(r.warnings()).anySatisfy(w -> assertThat(w)
                        .contains("below the 6.65 Mbit/s the stream needs with 33 % overhead"));
            }
            return null;
        });
    }

    @Test
    void theRecommendationRestsOnTheLossAsTheResultShowsIt() {
        // 68 lost of 6,773 sent is 1.004 %: the result shows 1 %, so the table's "<= 1 %" row applies.
        Recommendation r = NetworkTester.recommendAsShown(44.83, 1.004, 10);
        assertThat(r.rttMultiplier()).isEqualTo(3);
        assertThat(r.explanation()).contains("(loss 1 % <= 1 %)");
        assertThat(NetworkTester.recommendAsShown(100, 1.006, 10).rttMultiplier()).isEqualTo(4);
    }

    @Test
    void manualSrtProbeAgainstAResponder() throws Exception {
        try (ProbeResponder responder = ProbeResponder.start(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), null)) {
            NetworkTester t = new NetworkTester(new ServerCatalog(null), Mechanism.SRT);
            NetworkTestResult r = t.run(manual("127.0.0.1", responder.port(), null, null));
            assertThat(r.error()).isNull();
            assertThat(r.mechanism()).isEqualTo("srt");
            assertThat(r.bandwidthType()).isEqualTo("srt");
            assertThat(r.lossPercent()).isZero();
            assertThat(r.retransmitPercent()).isZero();
            assertThat(r.latencyRecommendation()).isEqualTo(60);
            assertThat(r.warnings()).isEmpty();
        }
    }

    @Test
    void srtProbeWithoutListenerFailsWithAHint() throws Exception {
        int closed = IperfServerProcess.freeTcpAndUdpPort();
        NetworkTester t = new NetworkTester(new ServerCatalog(null), Mechanism.SRT);
        NetworkTestResult r = t.run(manual("127.0.0.1", closed, null, null));
        assertThat(r.error()).contains("SRT connection to 127.0.0.1:" + closed + " failed")
                .contains("--serve-probe");
        assertThat(r.rttMs()).isNull();
        assertThat(r.latencyRecommendation()).isNull();
    }

    @Test
    void formWithBadFieldsIsRejectedListingEveryProblem() {
        NetworkTester t = new NetworkTester(new ServerCatalog(null), Mechanism.PING_ONLY);
        assertThatThrownBy(() -> t.run(NetworkTestRequest.fromForm(Map.of("mode", "nearest", "duration", "2",
                "bitrate", "7M", "manual_protocol", "sctp", "manual_port", "x", "mechanism", "carrier-pigeon"))))
                .isInstanceOfSatisfying(InvalidNetworkTestException.class, e -> assertThat(e.details())
                        .containsExactly("Mode must be 'closest', 'regional' or 'manual'.",
                                "Port must be an integer between 1 and 65535.",
                                "Protocol must be 'udp' or 'tcp'.",
                                "Duration must be an integer between 3 and 10 seconds (got 2).",
                                "Bitrate must be one of 5M, 10M, 20M, 50M.",
                                "Mechanism must be one of ping_only, iperf, srt (got 'carrier-pigeon')."));
    }

    @Test
    void manualModeNeedsAHostAndSrtNeedsManualMode() {
        NetworkTester t = new NetworkTester(new ServerCatalog(null), Mechanism.SRT);
        assertThatThrownBy(() -> t.run(NetworkTestRequest.fromForm(Map.of("mode", "manual"))))
                .isInstanceOfSatisfying(InvalidNetworkTestException.class, e -> assertThat(e.details())
                        .containsExactly("Manual mode requires a 'manual_host'.", "The srt mechanism needs the SRT"
                                + " listener's port in 'manual_port' (an SRT listener has no standard port; 5201 is"
                                + " iperf3's)."));
        assertThatThrownBy(() -> t.run(NetworkTestRequest.fromForm(Map.of("mode", "closest"))))
                .isInstanceOfSatisfying(InvalidNetworkTestException.class, e -> assertThat(e.details())
                        .containsExactly("The srt mechanism needs an SRT listener: use manual mode with its host"
                                + " and port."));
    }

    @Test
    void closestPicksAnAnsweringServerFromTheList() {
        ServerCatalog c = ServerCatalog.of(List.of(server("127.0.0.2", 5201, "Lab B", "NL", "Europe"),
                server("127.0.0.1", iperf.port(), "Lab A", "DE", "Europe")));
        NetworkTester t = new NetworkTester(c, Mechanism.PING_ONLY);
        NetworkTestResult r = t.run(NetworkTestRequest.fromForm(Map.of("mode", "closest")));
        assertThat(r.error()).isNull();
        assertThat(r.server()).isIn("127.0.0.2:5201", "127.0.0.1:" + iperf.port());
        assertThat(r.serverLocation()).isIn("Lab B, NL", "Lab A, DE");
    }

    @Test
    void regionalTestsOnlyServersOfThatRegion() {
        ServerCatalog c = ServerCatalog.of(List.of(server("127.0.0.1", 5201, "Lab A", "DE", "Europe"),
                server("127.0.0.2", 5202, "Lab C", "JP", "Asia")));
        NetworkTester t = new NetworkTester(c, Mechanism.PING_ONLY);
        NetworkTestResult r = t.run(NetworkTestRequest.fromForm(Map.of("mode", "regional", "region", "asia")));
        assertThat(r.server()).isEqualTo("127.0.0.2:5202");
        assertThat(r.serverLocation()).isEqualTo("Lab C, JP");
        NetworkTestResult none = t.run(NetworkTestRequest.fromForm(Map.of("mode", "regional", "region", "Africa")));
        assertThat(none.error()).isEqualTo("No iperf3 server in region 'Africa' answers; choose another region or a"
                + " manual host.");
    }

    @Test
    void closestWithoutAServerListSaysHowToConfigureOne() {
        NetworkTester t = new NetworkTester(new ServerCatalog(null), Mechanism.IPERF);
        NetworkTestResult r = t.run(NetworkTestRequest.fromForm(Map.of()));
        assertThat(r.error()).contains("NETWORK_TEST_SERVERS").contains("manual mode");
    }

    @Test
    void resultSerialisesWithTheOriginalFieldNames() throws Exception {
        NetworkTester t = new NetworkTester(new ServerCatalog(null), Mechanism.PING_ONLY);
        NetworkTestResult r = t.run(manual("127.0.0.1", 5201, null, null));
        JsonNode json = new ObjectMapper().valueToTree(r);
        assertThat(json.fieldNames()).toIterable().contains("server", "server_location", "rtt_ms", "loss_percent",
                "jitter_ms", "bandwidth_mbps", "bandwidth_type", "latency_recommendation", "overhead_recommendation",
                "rtt_multiplier", "test_time", "error", "explanation", "warnings", "mechanism");
        assertThat(json.get("latency_recommendation").asInt()).isEqualTo(60);
    }
}
