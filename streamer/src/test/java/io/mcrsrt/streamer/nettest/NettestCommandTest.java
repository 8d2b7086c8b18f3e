package io.mcrsrt.streamer.nettest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class NettestCommandTest {

    @Test
    void pingTestPrintsMeasurementRecommendationAndExplanation() {
        CommandRun r = CommandRun.of("nettest", "127.0.0.1");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("Network test of 127.0.0.1:5201 by ping_only")
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
        assertThat(r.err()).contains("Mechanism must be one of ping_only, iperf, srt (got 'smoke')");
    }

    @Test
    void failedTestExitsWithOneAndSaysWhy() throws Exception {
        int closed = IperfServerProcess.freeTcpAndUdpPort();
        CommandRun r = CommandRun.of("nettest", "127.0.0.1", "--mechanism", "srt", "--port", Integer.toString(closed),
                "--duration", "1");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).contains("Failed: SRT connection to 127.0.0.1:" + closed + " failed");
    }
}
