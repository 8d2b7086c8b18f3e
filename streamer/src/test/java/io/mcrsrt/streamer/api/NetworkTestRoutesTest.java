package io.mcrsrt.streamer.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NetworkTestRoutesTest {

    @TempDir
    static Path root;
    static TestService svc;

    @BeforeAll
    static void startService() throws Exception {
        svc = TestService.withFakeEngine(root);
    }

    @AfterAll
    static void stopService() {
        svc.close();
    }

    @Test
    void jsonRequestForAManualPingTestReturnsTheRecommendation() {
        TestService.Reply r = svc.postJson("/api/network-test",
                Map.of("mode", "manual", "manual_host", "127.0.0.1", "duration", 3));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        JsonNode j = r.json();
        assertThat(j.get("mechanism").asText()).isEqualTo("ping_only");
        assertThat(j.get("server").asText()).isEqualTo("127.0.0.1:5201");
        assertThat(j.get("latency_recommendation").asInt()).isEqualTo(60);
        assertThat(j.get("overhead_recommendation").asInt()).isEqualTo(33);
        assertThat(j.get("rtt_multiplier").asInt()).isEqualTo(3);
        assertThat(j.get("explanation").asText()).contains("x 3 (loss 0 % <= 1 %) = 60 ms");
    }

    /** An IPv6 host, bare or in brackets as a URL writes it, is pinged over IPv6 and named with brackets. */
    @ParameterizedTest
    @ValueSource(strings = {"::1", "[::1]"})
    void aManualPingTestOfAnIpv6HostMeasuresIt(String host) {
        TestService.Reply r = svc.postJson("/api/network-test",
                Map.of("mode", "manual", "manual_host", host, "duration", 3));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        JsonNode j = r.json();
        assertThat(j.get("server").asText()).isEqualTo("[::1]:5201");
        assertThat(j.get("latency_recommendation").asInt()).as(r.body()).isEqualTo(60);
        assertThat(j.get("explanation").asText()).contains("x 3 (loss 0 % <= 1 %) = 60 ms");
    }

    @Test
    void theOriginalFormFieldsAreAccepted() {
        TestService.Reply r = svc.send(svc.request("/api/network-test").header("X-API-Key", TestService.API_KEY)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "mode=manual&manual_host=127.0.0.1&manual_port=5201&manual_protocol=udp&duration=5"
                                + "&bitrate=20M&mechanism=ping_only"))
                .build());
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().get("explanation").asText()).contains("needs 20 Mbit/s x 1.33 = 26.6 Mbit/s");
    }

    @Test
    void badFieldsAreRefusedWithEveryProblemByField() {
        TestService.Reply r = svc.postJson("/api/network-test",
                Map.of("mode", "manual", "duration", 30, "bitrate", "7M"));
        assertThat(r.status()).isEqualTo(400);
        JsonNode details = r.json().get("details");
        assertThat(details.get("manual_host").asText()).isEqualTo("Manual mode requires a 'manual_host'.");
        assertThat(details.get("duration").asText())
                .isEqualTo("Duration must be an integer between 3 and 10 seconds (got 30).");
        assertThat(details.get("bitrate").asText()).isEqualTo("Bitrate must be one of 5M, 10M, 20M, 50M.");
    }

    /**
     * 5201 is iperf3's port: an SRT probe sent there without a port of its own would only time out after its
     * duration, so the srt mechanism asks for the listener's port; the others keep the original's default.
     */
    @Test
    void theSrtMechanismAsksForTheListenersPortInsteadOfTakingIperfsDefault() {
        TestService.Reply r = svc.postJson("/api/network-test",
                Map.of("mode", "manual", "manual_host", "127.0.0.1", "mechanism", "srt"));
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(r.json().get("details").get("manual_port").asText()).isEqualTo("The srt mechanism needs the SRT"
                + " listener's port in 'manual_port' (an SRT listener has no standard port; 5201 is iperf3's).");
        assertThat(r.json().get("details").size()).as(r.body()).isEqualTo(1);
    }

    /** The original form sends what was typed: a number the service cannot read is named, as one out of range is. */
    @Test
    void formNumbersThatAreNoNumbersOrOutOfRangeAreNamed() {
        TestService.Reply r = svc.send(svc.request("/api/network-test").header("X-API-Key", TestService.API_KEY)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("mode=manual&manual_host=127.0.0.1&manual_port=5%2C201"
                        + "&duration=30&mechanism=ping_only"))
                .build());
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        JsonNode details = r.json().get("details");
        assertThat(details.get("manual_port").asText()).isEqualTo("Port must be an integer between 1 and 65535 (got "
                + "'5,201').");
        assertThat(details.get("duration").asText())
                .isEqualTo("Duration must be an integer between 3 and 10 seconds (got 30).");
        r = svc.send(svc.request("/api/network-test").header("X-API-Key", TestService.API_KEY)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("duration=five&manual_port=5%2C201&mode=manual"))
                .build());
        assertThat(r.json().get("details").fieldNames()).toIterable().as("the same order every time")
                .containsExactly("manual_port", "duration", "manual_host");
        r = svc.send(svc.request("/api/network-test").header("X-API-Key", TestService.API_KEY)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("mode=manual&manual_host=127.0.0.1&manual_port=-1"
                        + "&duration=five&mechanism=ping_only"))
                .build());
        details = r.json().get("details");
        assertThat(details.get("manual_port").asText()).isEqualTo("Port must be an integer between 1 and 65535 (got "
                + "-1).");
        assertThat(details.get("duration").asText())
                .isEqualTo("Duration must be an integer between 3 and 10 seconds (got 'five').");
    }

    @ParameterizedTest(name = "mechanism {0}")
    @ValueSource(strings = {"ping_only", "iperf", "srt"})
    void aManualHostThatIsNoHostIsRefusedByField(String mechanism) {
        TestService.Reply r = svc.postJson("/api/network-test",
                Map.of("mode", "manual", "manual_host", "-f", "mechanism", mechanism, "duration", 30));
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        JsonNode details = r.json().get("details");
        assertThat(details.get("manual_host").asText()).isEqualTo("'-f' is not a host name or IP address: it starts"
                + " with '-' (expected a host name or IP address such as srt.example.net, 192.0.2.10 or ::1).");
        assertThat(details.get("duration").asText()).as("every problem at once").startsWith("Duration must be");
    }

    @Test
    void jsonFieldsOfTheWrongTypeAndUnknownFieldsAreRefusedByFieldAllAtOnce() {
        TestService.Reply r = svc.postJson("/api/network-test", "{\"mode\":\"manual\",\"manual_host\":[\"127.0.0.1\"],"
                + "\"duration\":3.5,\"manual_port\":\"x\",\"bitrate\":7,\"manual_protocol\":\"sctp\",\"qos\":true}");
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(r.json().get("error").asText()).isEqualTo("Invalid network test request.");
        JsonNode details = r.json().get("details");
        assertThat(details.get("manual_host").asText()).startsWith("Manual host must be a string");
        assertThat(details.get("duration").asText())
                .isEqualTo("Duration must be an integer between 3 and 10 seconds (got 3.5).");
        assertThat(details.get("manual_port").asText()).isEqualTo("Port must be an integer between 1 and 65535 (got 'x').");
        assertThat(details.get("bitrate").asText()).isEqualTo("Bitrate must be one of 5M, 10M, 20M, 50M.");
        assertThat(details.get("manual_protocol").asText()).isEqualTo("Protocol must be 'udp' or 'tcp'.");
        assertThat(details.get("qos").asText()).startsWith("Unknown field. Allowed fields: mode, region,");
    }

    @Test
    void wholeNumbersMayComeAsStringsOfDigitsAsTheFormSentThem() {
        TestService.Reply r = svc.postJson("/api/network-test",
                Map.of("mode", "manual", "manual_host", "127.0.0.1", "duration", "3", "manual_port", "5201"));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().get("server").asText()).isEqualTo("127.0.0.1:5201");
    }

    @Test
    void jsonSentAsAFormIsRefusedSayingWhichHeaderIsMissing() {
        // curl -d '{...}' without -H 'Content-Type: application/json' sends the JSON as one form field name
        TestService.Reply r = svc.send(svc.request("/api/network-test").header("X-API-Key", TestService.API_KEY)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("{\"mode\":\"manual\",\"manual_host\":\"127.0.0.1\"}"))
                .build());
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(r.json().get("details").get("body").asText()).contains("Content-Type: application/json");
    }

    @Test
    void anUnreadableMultipartFormIs400NotAnInternalError() {
        TestService.Reply r = svc.send(svc.request("/api/network-test").header("X-API-Key", TestService.API_KEY)
                .header("Content-Type", "multipart/form-data; boundary=x")
                .POST(HttpRequest.BodyPublishers.ofString("mode=manual")).build());
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(r.json().get("details").get("body").asText()).startsWith("The form could not be read");
        // the server drops the connection after such a body: a client told so does not send its next request on it
        assertThat(r.headers().firstValue("Connection")).hasValue("close");
    }

    @Test
    void aBodyThatIsNeitherJsonNorAFormIs415() {
        TestService.Reply r = svc.send(svc.request("/api/network-test").header("X-API-Key", TestService.API_KEY)
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("mode=manual"))
                .build());
        assertThat(r.status()).as(r.body()).isEqualTo(415);
        assertThat(r.json().get("error").asText()).startsWith("Request must be JSON");
    }

    @ParameterizedTest(name = "body [{0}]")
    @ValueSource(strings = {"", "null", "[]", "\"manual\"", "7", "{\"mode\":", "not json"})
    void emptyOrUnparseableBodyIsNoJsonDataProvided(String body) {
        TestService.Reply r = svc.postJson("/api/network-test", body);
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(r.json().get("error").asText()).isEqualTo("No JSON data provided");
    }

    @Test
    void closestWithoutAServerListAnswersWithTheReason() {
        TestService.Reply r = svc.postJson("/api/network-test", Map.of("mode", "closest"));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("error").asText()).contains("NETWORK_TEST_SERVERS");
    }

    @Test
    void serverListIsEmptyWhenNoneIsConfigured() {
        TestService.Reply r = svc.get("/api/network-test/servers");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().isArray()).isTrue();
        assertThat(r.json()).isEmpty();
    }
}
