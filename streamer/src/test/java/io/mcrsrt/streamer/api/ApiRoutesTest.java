package io.mcrsrt.streamer.api;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class ApiRoutesTest {
    @TempDir
    static Path root;
    static TestService svc;

    @BeforeAll
    static void startService() throws IOException {
        svc = TestService.withFakeEngine(root);
        Files.write(svc.config.mediaFolder().resolve("clip.ts"), new byte[188 * 10]);
        Files.createDirectories(svc.config.mediaFolder().resolve("sub"));
        Files.write(svc.config.mediaFolder().resolve("sub/nested.ts"), new byte[188]);
        Files.writeString(svc.config.iptvChannelsFile(),
                "[{\"name\":\"News\",\"address\":\"239.1.1.1\",\"port\":5000}]");
    }

    @AfterAll
    static void stopService() {
        svc.close();
    }

    @AfterEach
    void stopAllStreamsAndPairs() throws Exception {
        for (var v : svc.engine.streams()) {
            svc.engine.stop(v.key());
        }
        for (var p : svc.engine.pairs()) {
            svc.engine.stopPair(p.key());
        }
    }

    private static Map<String, Object> colourBars(int port) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("input_type", "colorbar_720p50");
        m.put("port", port);
        return m;
    }

    @Test
    void startListStatsAndStopAStream() {
        TestService.Reply created = svc.postJson("/api/streams", colourBars(10001));
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().get("stream_key").isInt()).isTrue();
        assertThat(created.json().get("stream_key").asInt()).isEqualTo(10001);
        assertThat(created.json().get("status").asText()).isEqualTo("starting");
        assertThat(created.json().get("message").asText()).contains("10001");

        JsonNode list = svc.get("/api/streams").json();
        JsonNode summary = list.get("data").get("10001");
        assertThat(summary.get("key").asInt()).isEqualTo(10001);
        assertThat(summary.get("mode").asText()).isEqualTo("listener");
        assertThat(summary.get("connection_status").asText()).isEqualTo("Connected");
        assertThat(summary.get("input_type").asText()).as("the original's, with the format in source_detail")
                .isEqualTo("colorbar");
        assertThat(summary.get("source_detail").asText()).isEqualTo("Colorbars 720p50");
        assertThat(summary.get("config").get("input_type").asText()).isEqualTo("colorbar");
        assertThat(summary.get("config").get("colorbar_resolution").asText()).isEqualTo("720p50");
        assertThat(summary.get("latency").asInt()).isEqualTo(300);
        assertThat(summary.get("overhead_bandwidth").asInt()).isEqualTo(2);
        assertThat(summary.get("passphrase_set").asBoolean()).isFalse();
        assertThat(summary.get("start_time").asText()).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC");
        assertThat(summary.get("uptime").asText()).matches("(\\d+[dhm] )*\\d+s");
        assertThat(summary.get("client_ip").asText()).as("the address only, as the original").isEqualTo("127.0.0.1");
        assertThat(summary.get("port").asInt()).isEqualTo(10001);

        for (String path : new String[] {"/api/stats/10001", "/api/streams/10001"}) {
            TestService.Reply stats = svc.get(path);
            assertThat(stats.status()).isEqualTo(200);
            JsonNode s = stats.json();
            assertThat(s.get("rtt_ms").asDouble()).isEqualTo(FakeEngine.RTT_MS);
            assertThat(s.get("bitrate_mbps").asDouble()).isEqualTo(8.0);
            assertThat(s.get("packet_loss_percent").asDouble()).isEqualTo(0.5);
            assertThat(s.get("negotiated_latency_ms").asInt()).isEqualTo(300);
            assertThat(s.get("packets_retransmitted_total").asLong()).isEqualTo(7);
            assertThat(s.get("timestamp_api").isNumber()).isTrue();
            assertThat(s.get("connected_client").asText()).isEqualTo("127.0.0.1");
            assertThat(stats.body()).as("epoch seconds, as the original's time.time()")
                    .containsPattern("\"last_updated\":\\d{10}\\.\\d{3}[,}]");
            assertThat(stats.body()).as("epoch seconds in plain digits, as time.time() wrote them")
                    .containsPattern("\"timestamp_api\":\\d{10}\\.\\d{3}[,}]");
            assertThat(s.get("peers").get(0).get("address").asText()).isEqualTo("127.0.0.1:40000");
            assertThat(s.get("peers").get(0).get("stats").get("rtt_ms").asDouble()).isEqualTo(FakeEngine.RTT_MS);
            assertThat(s.get("peers").get(0).get("packets_not_delivered").asLong()).isEqualTo(12);
        }

        TestService.Reply history = svc.get("/api/streams/10001/history");
        assertThat(history.status()).isEqualTo(200);
        assertThat(history.json().get("key").asInt()).isEqualTo(10001);
        assertThat(history.json().get("samples")).hasSize(3);
        assertThat(history.json().get("samples").get(0).get("timestamp_millis").asLong()).isPositive();
        // kept a second apart by the monotonic clock (FakeEngine): the oldest two seconds older than the newest
        long oldestAge = history.json().get("samples").get(0).get("age_millis").asLong();
        long newestAge = history.json().get("samples").get(2).get("age_millis").asLong();
        assertThat(oldestAge - newestAge).isBetween(1_999L, 2_001L);

        TestService.Reply stopped = svc.delete("/api/streams/10001");
        assertThat(stopped.status()).isEqualTo(200);
        assertThat(stopped.json().get("message").asText()).isEqualTo("Stream 10001 stop initiated.");
        assertThat(stopped.json().get("status").asText()).isEqualTo("stopping");
        assertThat(svc.get("/api/streams").json().get("data")).isEmpty();
    }

    @Test
    void aCallersSummaryPortIsTheTargetPortItIsKeyedBy() {
        Map<String, Object> caller = colourBars(0);
        caller.remove("port");
        caller.put("mode", "caller");
        caller.put("target_address", "127.0.0.1");
        caller.put("target_port", 9000);
        assertThat(svc.postJson("/api/streams", caller).status()).isEqualTo(201);
        JsonNode summary = svc.get("/api/streams").json().get("data").get("9000");
        assertThat(summary.get("port").asInt()).isEqualTo(9000);
        assertThat(summary.get("target").asText()).isEqualTo("127.0.0.1:9000");
        assertThat(svc.get("/api/debug/9000").json().get("target").asText()).isEqualTo("127.0.0.1");
    }

    @Test
    void aNetworkInputsOwnFaultsAreInItsSummaryAndStatsAndNullForGeneratedInputs() {
        Map<String, Object> multicast = new LinkedHashMap<>();
        multicast.put("input_type", "multicast");
        multicast.put("multicast_address", "239.1.1.1");
        multicast.put("multicast_port", 5000);
        multicast.put("port", 10002);
        assertThat(svc.postJson("/api/streams", multicast).status()).isEqualTo(201);
        assertThat(svc.postJson("/api/streams", colourBars(10001)).status()).isEqualTo(201);

        JsonNode data = svc.get("/api/streams").json().get("data");
        assertThat(data.get("10002").get("input_continuity_errors").asLong()).isEqualTo(3);
        assertThat(data.get("10002").get("input_rtp_lost").asLong()).isEqualTo(2);
        assertThat(data.get("10001").get("input_continuity_errors").isNull()).as("colour bars: nothing upstream")
                .isTrue();
        assertThat(data.get("10001").get("input_rtp_lost").isNull()).isTrue();
        JsonNode stats = svc.get("/api/stats/10002").json();
        assertThat(stats.get("input_continuity_errors").asLong()).isEqualTo(3);
        assertThat(stats.get("input_rtp_lost").asLong()).isEqualTo(2);

        multicast.remove("port");
        multicast.put("legs", List.of(Map.of("mode", "listener", "port", 10005),
                Map.of("mode", "listener", "port", 10006)));
        assertThat(svc.postJson("/api/pairs", multicast).status()).isEqualTo(201);
        Map<String, Object> barsPair = colourBars(10007);
        barsPair.remove("port");
        barsPair.put("legs", List.of(Map.of("mode", "listener", "port", 10007),
                Map.of("mode", "listener", "port", 10008)));
        assertThat(svc.postJson("/api/pairs", barsPair).status()).isEqualTo(201);
        JsonNode pairs = svc.get("/api/pairs").json().get("data");
        assertThat(pairs.get("10005").get("input_continuity_errors").asLong()).isEqualTo(3);
        assertThat(pairs.get("10005").get("input_rtp_lost").asLong()).isEqualTo(2);
        assertThat(pairs.get("10007").get("input_continuity_errors").isNull()).isTrue();
        assertThat(pairs.get("10007").get("input_rtp_lost").isNull()).isTrue();
        assertThat(svc.get("/api/pairs/10005").json().get("input_rtp_lost").asLong()).isEqualTo(2);
    }

    @Test
    void passphraseIsNeverReturnedAndMaskedInDebug() {
        Map<String, Object> body = colourBars(10002);
        body.put("encryption", "aes-128");
        body.put("passphrase", "SuperSecret123");
        assertThat(svc.postJson("/api/streams", body).status()).isEqualTo(201);
        for (String path : new String[] {"/api/streams", "/api/stats/10002", "/api/debug/10002",
                "/api/streams/10002/history"}) {
            assertThat(svc.get(path).body()).doesNotContain("SuperSecret123");
        }
        JsonNode debug = svc.get("/api/debug/10002").json();
        assertThat(debug.get("cfg").get("passphrase").asText()).isEqualTo("********");
        assertThat(debug.get("cfg").get("passphrase_set").asBoolean()).isTrue();
        assertThat(debug.get("key").asInt()).isEqualTo(10002);
        assertThat(debug.get("hist").get(0).get("kind").asText()).isEqualTo("connected");
        assertThat(svc.get("/api/streams").json().get("data").get("10002").get("passphrase_set").asBoolean()).isTrue();
    }

    @Test
    void aKeyInUseIsAConflictNotAReplacement() {
        assertThat(svc.postJson("/api/streams", colourBars(10003)).status()).isEqualTo(201);
        TestService.Reply again = svc.postJson("/api/streams", colourBars(10003));
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().get("error").asText())
                .isEqualTo("Stream 10003 is already running. Stop it first or choose another port.");
        Map<String, Object> caller = colourBars(0);
        caller.remove("port");
        caller.put("mode", "caller");
        caller.put("target_address", "192.0.2.9");
        caller.put("target_port", 10003);
        TestService.Reply callerToo = svc.postJson("/api/streams", caller);
        assertThat(callerToo.status()).isEqualTo(409);
        assertThat(callerToo.json().get("error").asText()).as("a caller cannot choose another port: it is told why")
                .isEqualTo("Stream 10003 is already running. Stop it first or choose another port. A caller's key is"
                        + " the port it calls, so one caller to port 10003 (on any host) and a listener on port 10003"
                        + " cannot run at once.");
    }

    @Test
    void engineStartFailureIsABadRequestWithItsMessage() {
        FakeEngine engine = (FakeEngine) svc.engine;
        engine.failStartWith = "Port 10004 is in use by another program.";
        try {
            TestService.Reply r = svc.postJson("/api/streams", colourBars(10004));
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.json().get("error").asText()).isEqualTo("Port 10004 is in use by another program.");
        } finally {
            engine.failStartWith = null;
        }
    }

    @Test
    void validationErrorsComeAllAtOnceByField() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("input_type", "file");
        body.put("file_path", "../etc/passwd.ts");
        body.put("port", 20000);
        body.put("latency", true);
        body.put("colour", "red");
        TestService.Reply r = svc.postJson("/api/streams", body);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("error").asText()).isEqualTo("Validation failed");
        JsonNode d = r.json().get("details");
        assertThat(d.get("port").asText()).isEqualTo("Listener requires a 'port' between 10001 and 10010 (got 20000).");
        assertThat(d.get("latency").asText()).isEqualTo("SRT Latency must be an integer between 20 and 8000 (got true).");
        assertThat(d.get("file_path").asText()).contains("without '..'");
        assertThat(d.get("colour").asText()).startsWith("Unknown field.");
        assertThat(d.fieldNames()).toIterable().as("in the order the fields are checked, every time")
                .containsExactly("colour", "port", "file_path", "latency");
    }

    @Test
    void postWithoutJsonContentTypeIs415() {
        TestService.Reply r = svc.send(svc.request("/api/streams").header("X-API-Key", TestService.API_KEY)
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("{}")).build());
        assertThat(r.status()).isEqualTo(415);
        assertThat(r.json().get("error").asText()).isEqualTo("Request must be JSON");
        assertThat(r.json().get("details").get("Content-Type").asText()).startsWith("'text/plain' is not JSON")
                .contains("Content-Type: application/json");
    }

    @ParameterizedTest(name = "Content-Type {0}")
    @ValueSource(strings = {"application/jsonfoo", "application/json-patch", "text/json", "application/x-json"})
    void aContentTypeThatOnlyStartsLikeJsonIs415(String type) {
        TestService.Reply r = svc.send(svc.request("/api/streams").header("X-API-Key", TestService.API_KEY)
                .header("Content-Type", type)
                .POST(HttpRequest.BodyPublishers.ofString("{\"input_type\":\"colorbar_720p50\",\"port\":10001}"))
                .build());
        assertThat(r.status()).as(r.body()).isEqualTo(415);
        assertThat(svc.engine.streams()).isEmpty();
    }

    @ParameterizedTest(name = "Content-Type {0}")
    @ValueSource(strings = {"application/json", "application/json; charset=utf-8", "Application/JSON",
        "application/vnd.mcr+json"})
    void jsonContentTypesAreReadAsFlaskReadsThem(String type) {
        TestService.Reply r = svc.send(svc.request("/api/streams").header("X-API-Key", TestService.API_KEY)
                .header("Content-Type", type).POST(HttpRequest.BodyPublishers.ofString("{}")).build());
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(r.json().get("error").asText()).isEqualTo("No JSON data provided");
    }

    @ParameterizedTest(name = "route {0}")
    @ValueSource(strings = {"/api/streams", "/api/pairs", "/api/network-test"})
    void aFieldGivenTwiceIsRefusedNamingItAndStartsNothing(String route) {
        String body = route.equals("/api/pairs")
                ? "{\"input_type\":\"colorbar_720p50\",\"port\":1,\"legs\":[{\"port\":10001},{\"port\":10002}],\"port\":2}"
                : route.equals("/api/network-test")
                ? "{\"mode\":\"manual\",\"manual_host\":\"127.0.0.1\",\"port\":1,\"port\":2}"
                : "{\"input_type\":\"colorbar_720p50\",\"port\":10001,\"port\":10002}";
        TestService.Reply r = svc.postJson(route, body);
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(r.json().get("details").get("body").asText())
                .isEqualTo("The body gives field 'port' more than once. Send each field once.");
        assertThat(svc.engine.streams()).isEmpty();
        assertThat(svc.engine.pairs()).isEmpty();
    }

    @Test
    void aRouteAskedWithAMethodItDoesNotTakeIs405() {
        for (String[] call : new String[][] {{"PUT", "/api/streams"}, {"DELETE", "/api/streams"},
            {"POST", "/api/streams/10001"}, {"POST", "/api/system/status"}}) {
            TestService.Reply r = sendWithKey(call[0], call[1], TestService.API_KEY);
            assertThat(r.status()).as(call[0] + " " + call[1]).isEqualTo(405);
            assertThat(r.json().get("error").asText()).as(call[0] + " " + call[1]).startsWith("Method not allowed");
        }
        // Without the key too: as a 401 on a route and a 404 off all routes do, it tells only that the path exists.
        assertThat(sendWithKey("PUT", "/api/streams", null).status()).isEqualTo(405);
        assertThat(sendWithKey("GET", "/api/streams", null).status()).as("no way in without the key").isEqualTo(401);
    }

    @ParameterizedTest(name = "body [{0}]")
    @ValueSource(strings = {"", "{}", "null", "{\"input_type\":", "not json", "[]", "\"\"", "0", "false"})
    void emptyOrUnparseableBodyIsNoJsonDataProvided(String body) {
        // as the original's `if not request.get_json()`: every JSON value Python reads as false carries no data
        for (String route : List.of("/api/streams", "/api/pairs")) {
            TestService.Reply r = svc.postJson(route, body);
            assertThat(r.status()).as(route).isEqualTo(400);
            assertThat(r.json().get("error").asText()).as(route).isEqualTo("No JSON data provided");
            assertThat(r.json().get("details").get("body").asText()).as("what to send instead")
                    .contains("Send a JSON object");
        }
    }

    @ParameterizedTest(name = "body [{0}]")
    @ValueSource(strings = {"[{}]", "42", "true", "\"text\""})
    void jsonThatCarriesSomethingButIsNoObjectFailsValidationNamingTheBody(String body) {
        TestService.Reply r = svc.postJson("/api/streams", body);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("error").asText()).isEqualTo("Validation failed");
        assertThat(r.json().get("details").get("body").asText())
                .isEqualTo("The request body must be a JSON object of stream fields.");
    }

    @ParameterizedTest(name = "route {0}")
    @ValueSource(strings = {"/api/streams", "/api/pairs", "/api/network-test"})
    void anEmptyBodySaysWhatToSend(String route) {
        // every network test field has a default, so {} is a test with the defaults there
        String[] bodies = route.equals("/api/network-test") ? new String[] {"", "null"} : new String[] {"", "{}", "null"};
        for (String body : bodies) {
            TestService.Reply r = svc.postJson(route, body);
            assertThat(r.status()).as(route + " " + body).isEqualTo(400);
            assertThat(r.json().get("error").asText()).isEqualTo("No JSON data provided");
            assertThat(r.json().get("details").get("body").asText()).as(route + " " + body).contains("Send a");
        }
    }

    @ParameterizedTest(name = "route {0}")
    @ValueSource(strings = {"/api/streams", "/api/pairs", "/api/network-test"})
    void aBodyWithMoreAfterItsJsonValueIsRefusedAndStartsNothing(String route) {
        String first = route.equals("/api/pairs")
                ? "{\"input_type\":\"colorbar_720p50\",\"legs\":[{\"port\":10001},{\"port\":10002}]}"
                : route.equals("/api/network-test") ? "{\"mode\":\"manual\",\"manual_host\":\"127.0.0.1\"}"
                : "{\"input_type\":\"colorbar_720p50\",\"port\":10001}";
        TestService.Reply r = svc.postJson(route, first + " {\"port\":10003}");
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(r.json().get("error").asText()).isEqualTo("No JSON data provided");
        assertThat(r.json().get("details").get("body").asText()).contains("line 1, column");
        assertThat(svc.engine.streams()).isEmpty();
        assertThat(svc.engine.pairs()).isEmpty();
    }

    @ParameterizedTest(name = "request line {0}")
    @ValueSource(strings = {"GET /api/stats/%zz", "GET /api/stats/10001%00", "DELETE /api/streams/%"})
    void aPathTheWebServerCannotReadIsAnsweredWithJson(String requestLine) throws IOException {
        String answer = raw(requestLine + " HTTP/1.1\r\nHost: 127.0.0.1\r\nX-API-Key: " + TestService.API_KEY
                + "\r\nConnection: close\r\n\r\n");
        assertThat(answer).startsWith("HTTP/1.1 400 ");
        assertThat(answer).containsIgnoringCase("Content-Type: application/json");
        assertThat(answer).containsIgnoringCase("X-Content-Type-Options: nosniff");
        String body = answer.substring(answer.indexOf("\r\n\r\n") + 4);
        assertThat(TestService.JSON.readTree(body).get("error").asText()).startsWith("Bad request: the web server "
                + "could not read the request line or a header");
    }

    @Test
    void headersTooLargeAreAnsweredWithJson() throws IOException {
        String answer = raw("GET /api/streams HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + "a".repeat(20_000)
                + "\r\nConnection: close\r\n\r\n");
        assertThat(answer).startsWith("HTTP/1.1 431 ");
        String body = answer.substring(answer.indexOf("\r\n\r\n") + 4);
        assertThat(TestService.JSON.readTree(body).get("error").asText()).startsWith("The request headers are too "
                + "large");
    }

    /** Sends bytes as they are (an HTTP client would refuse to send a malformed path) and reads the whole answer. */
    private static String raw(String request) throws IOException {
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", svc.server.port())) {
            s.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            return new String(s.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    @Test
    void bodyOver64KiBIsRefusedWith413() {
        String big = "{\"stream_id\":\"" + "x".repeat(70_000) + "\"}";
        TestService.Reply r = svc.postJson("/api/streams", big);
        assertThat(r.status()).isEqualTo(413);
        assertThat(r.json().get("error").asText()).contains("64 KiB");
    }

    @ParameterizedTest(name = "key {0}")
    @ValueSource(strings = {"abc", "0", "65536", "-1", "1e3", "99999999999"})
    void invalidKeysAre400WithTheOriginalMessages(String key) {
        assertThat(svc.get("/api/stats/" + key).json().get("error").asText()).isEqualTo("Invalid key format: " + key);
        assertThat(svc.get("/api/stats/" + key).status()).isEqualTo(400);
        assertThat(svc.get("/api/streams/" + key).status()).isEqualTo(400);
        assertThat(svc.get("/api/debug/" + key).json().get("error").asText()).isEqualTo("Invalid key format: " + key);
        assertThat(svc.get("/api/streams/" + key + "/history").status()).isEqualTo(400);
        TestService.Reply del = svc.delete("/api/streams/" + key);
        assertThat(del.status()).isEqualTo(400);
        assertThat(del.json().get("error").asText()).isEqualTo("Invalid stream key format or value");
        assertThat(del.json().get("details").get("key").asText()).startsWith("'" + key + "' is not a key")
                .contains("1 to 65535");
    }

    @Test
    void aKeyWithLeadingZerosIsReadAsTheOriginalReadsIt() {
        assertThat(svc.postJson("/api/streams", colourBars(10001)).status()).isEqualTo(201);
        for (String key : new String[] {"010001", "0010001"}) {
            TestService.Reply r = svc.get("/api/stats/" + key);
            assertThat(r.status()).as(r.body()).isEqualTo(200);
        }
        assertThat(svc.delete("/api/streams/010001").status()).isEqualTo(200);
    }

    @Test
    void unknownStreamsAre404WithTheOriginalMessages() {
        assertThat(svc.get("/api/stats/10009").status()).isEqualTo(404);
        assertThat(svc.get("/api/stats/10009").json().get("error").asText()).isEqualTo("Stream 10009 not found");
        assertThat(svc.get("/api/streams/10009").json().get("error").asText()).isEqualTo("Stream 10009 not found");
        assertThat(svc.get("/api/debug/10009").json().get("error").asText()).isEqualTo("Stream 10009 not found");
        assertThat(svc.get("/api/streams/10009/history").status()).isEqualTo(404);
        TestService.Reply del = svc.delete("/api/streams/10009");
        assertThat(del.status()).isEqualTo(404);
        assertThat(del.json().get("error").asText()).isEqualTo("Stream 10009 not found or already stopped.");
    }

    @Test
    void systemStatusHasTheOriginalFields() {
        JsonNode s = svc.get("/api/system/status").json();
        for (String f : new String[] {"cpu_usage", "memory_total", "memory_used", "memory_percent", "disk_total",
                "disk_used", "disk_percent", "external_ip", "utc_time", "current_user", "uptime", "network",
                "location_error"}) {
            assertThat(s.has(f)).as(f).isTrue();
        }
        assertThat(s.get("memory_total").asText()).matches("\\d+\\.\\d (B|KB|MB|GB|TB)");
        assertThat(s.get("network").get("bytes_recv").asLong()).isPositive();
        assertThat(s.get("srt_listen_addresses").isArray()).as("where callers reach the listeners").isTrue();
        assertThat(s.get("srt_listen_addresses")).isNotEmpty()
                .allSatisfy(a -> assertThat(a.get("address").asText()).isNotEmpty());
    }

    @Test
    void mediaRoutesListFilesAndConfineNames() {
        JsonNode media = svc.get("/api/media").json();
        assertThat(media).hasSize(2);
        assertThat(media.get(1).get("name").asText()).isEqualTo("sub/nested.ts");
        assertThat(media.get(0).get("name").asText()).isEqualTo("clip.ts");
        assertThat(media.get(0).get("size").asLong()).isEqualTo(1880);
        assertThat(media.get(0).has("duration_seconds")).isTrue();
        JsonNode compat = svc.get("/media").json();
        assertThat(compat.get(0).get("name").asText()).isEqualTo("clip.ts");
        assertThat(compat.get(0).has("duration_seconds")).isFalse();

        TestService.Reply info = svc.get("/api/media/clip.ts/info");
        assertThat(info.status()).isEqualTo(200);
        assertThat(info.json().has("media")).isTrue();
        // the file as the client named it, not where the service keeps it (mediainfo writes the full path)
        assertThat(info.json().get("media").get("@ref").asText()).isEqualTo("clip.ts");
        TestService.Reply compatInfo = svc.get("/media_info/clip.ts");
        assertThat(compatInfo.status()).isEqualTo(200);
        assertThat(compatInfo.json().get("media").get("@ref").asText()).isEqualTo("clip.ts");
        TestService.Reply nested = svc.get("/api/media/sub%2Fnested.ts/info");
        assertThat(nested.status()).as("the UI encodes sub-folders").isEqualTo(200);
        assertThat(nested.json().get("media").get("@ref").asText()).isEqualTo("sub/nested.ts");
        TestService.Reply missing = svc.get("/api/media/missing.ts/info");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().get("error").asText()).isEqualTo("File 'missing.ts' was not found in the media folder.");
        assertThat(svc.get("/api/media/..%2F..%2Fetc%2Fpasswd/info").status()).isEqualTo(404);
        assertThat(svc.get("/media_info/..%2Fdata%2Fapi_key").status()).isEqualTo(404);
    }

    @Test
    void aLinkToAFileOutsideTheMediaFolderIsNotListed() throws IOException {
        Path outside = Files.write(root.resolve("outside.ts"), new byte[188 * 3]);
        Path link = Files.createSymbolicLink(svc.config.mediaFolder().resolve("link.ts"), outside);
        try {
            assertThat(svc.get("/api/media").body()).doesNotContain("link.ts");
            assertThat(svc.get("/media").body()).doesNotContain("link.ts");
            assertThat(svc.get("/api/media/link.ts/info").status()).isEqualTo(404);
        } finally {
            Files.delete(link);
        }
    }

    @Test
    void iptvChannelsAndInterfacesAreListed() throws java.net.SocketException {
        JsonNode channels = svc.get("/api/iptv-channels").json();
        assertThat(channels.get(0).get("address").asText()).isEqualTo("239.1.1.1");
        JsonNode ifaces = svc.get("/api/network/interfaces").json();
        assertThat(ifaces).anySatisfy(i -> {
            assertThat(i.get("name").asText()).isEqualTo("lo");
            assertThat(i.get("addresses").toString()).contains("127.0.0.1");
            assertThat(i.has("up")).isTrue();
            assertThat(i.has("multicast")).isTrue();
        });
        for (JsonNode i : ifaces) {
            for (JsonNode a : i.get("addresses")) {
                assertThat(a.asText()).as("IPv6 in the short form of ip addr and RFC 5952")
                        .doesNotContain("0:0:0:0").doesNotContain("%");
            }
        }
        boolean loopbackV6 = java.util.Collections.list(java.net.NetworkInterface.getByName("lo").getInetAddresses())
                .stream().anyMatch(a -> a instanceof java.net.Inet6Address);
        if (loopbackV6) {
            assertThat(ifaces).anySatisfy(i -> assertThat(i.get("addresses").toString()).contains("\"::1\""));
        }
    }

    @Test
    void healthIsPlainOkWithoutAuth() {
        TestService.Reply r = svc.send(svc.request("/health").GET().build());
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("OK");
    }

    @Test
    void everyResponseCarriesTheSecurityHeaders() {
        for (String path : new String[] {"/health", "/api/streams", "/nope", "/webjars/bootstrap/5.3.8/css/bootstrap.min.css"}) {
            TestService.Reply r = svc.send(svc.request(path).GET().build());
            assertThat(r.headers().firstValue("Content-Security-Policy")).as(path)
                    .hasValue("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                            + "connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'");
            assertThat(r.headers().firstValue("X-Content-Type-Options")).as(path).hasValue("nosniff");
            assertThat(r.headers().firstValue("X-Frame-Options")).as(path).hasValue("DENY");
            assertThat(r.headers().firstValue("Referrer-Policy")).as(path).hasValue("same-origin");
        }
    }

    /**
     * A page left open across an upgrade could not tell that the service now ran another build. Every answer names
     * the build that answers (a page, the health check, an API answer, a refusal, a static file), every page the build
     * that served it, and the UI's own files are asked for again at each load, so that a reload runs the new scripts.
     */
    @Test
    void everyAnswerAndEveryPageNameTheBuild() {
        String build = BuildId.current().value();
        assertThat(build).matches("[0-9a-f]{12}");
        for (String path : new String[] {"/", "/health", "/api/streams", "/nope", "/static/js/ui.js"}) {
            TestService.Reply r = svc.send(svc.request(path).GET().build());
            assertThat(r.headers().allValues(BuildId.HEADER)).as(path).containsExactly(build);
        }
        TestService.Reply page = svc.send(svc.request("/smpte2022_7").GET().build());
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("<body data-build=\"" + build + "\">");
        assertThat(svc.get("/api/openapi.json").json().at("/paths/~1health/get/responses/200/headers")
                .has(BuildId.HEADER)).as("the OpenAPI document names the header").isTrue();
        TestService.Reply script = svc.send(svc.request("/static/js/build.js").GET().build());
        assertThat(script.status()).isEqualTo(200);
        assertThat(script.headers().allValues("Cache-Control")).containsExactly("no-cache");
    }

    @Test
    void aBuildIdIsAShortWordAndSaysSoWhenNot() {
        assertThat(new BuildId("2026.11.25-a1b2").value()).isEqualTo("2026.11.25-a1b2");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new BuildId("new build"))
                .hasMessage("A build id is 1 to 64 letters, digits, '.', '_' or '-' (got 'new build').");
        assertThat(BuildId.current()).isSameAs(BuildId.current());
    }

    @Test
    void webjarsAreServed() {
        TestService.Reply css = svc.send(svc.request("/webjars/bootstrap/5.3.8/css/bootstrap.min.css").GET().build());
        assertThat(css.status()).isEqualTo(200);
        assertThat(css.body()).contains("Bootstrap");
        TestService.Reply chart = svc.send(svc.request("/webjars/chart.js/4.5.1/dist/chart.umd.min.js").GET().build());
        assertThat(chart.status()).isEqualTo(200);
    }

    @Test
    void unknownApiRoutesAnswerJson404() {
        TestService.Reply r = svc.get("/api/nothing-here");
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.json().get("error").asText()).contains("no such route");
    }

    @Test
    void theStatsAndDebugSchemasNameEveryFieldTheAnswersCarryAndNoOther() {
        assertThat(svc.postJson("/api/streams", colourBars(10001)).status()).isEqualTo(201);
        JsonNode doc = svc.get("/api/openapi.json").json();
        Set<String> statsSchema = fieldNames(doc.get("components").get("schemas").get("Stats").get("properties"));
        assertThat(fieldNames(svc.get("/api/stats/10001").json())).isEqualTo(statsSchema);
        Set<String> debugSchema = fieldNames(doc.get("paths").get("/api/debug/{key}").get("get").get("responses")
                .get("200").get("content").get("application/json").get("schema").get("properties"));
        assertThat(fieldNames(svc.get("/api/debug/10001").json())).isEqualTo(debugSchema);
        Set<String> stopSchema = fieldNames(doc.get("paths").get("/api/streams/{key}").get("delete").get("responses")
                .get("200").get("content").get("application/json").get("schema").get("properties"));
        assertThat(stopSchema).containsAll(fieldNames(svc.delete("/api/streams/10001").json()));
    }

    private static Set<String> fieldNames(JsonNode object) {
        Set<String> names = new java.util.TreeSet<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void openApiDocumentsEveryRouteAndNothingElse() throws IOException {
        JsonNode doc = svc.get("/api/openapi.json").json();
        assertThat(doc.get("openapi").asText()).startsWith("3.1");
        Set<String> documented = new HashSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = doc.get("paths").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            for (String method : new String[] {"get", "post", "delete", "put", "patch"}) {
                if (e.getValue().has(method)) {
                    documented.add(method.toUpperCase(java.util.Locale.ROOT) + " " + e.getKey());
                }
            }
        }
        Set<String> registered = new HashSet<>();
        for (ApiRoutes.Route r : svc.server.routes()) {
            registered.add(r.method() + " " + r.path().replace('<', '{').replace('>', '}'));
        }
        assertThat(documented).containsExactlyInAnyOrderElementsOf(registered);
    }

    @Test
    void everyApiRouteRefusesAMissingOrWrongKey() {
        int checked = 0;
        for (ApiRoutes.Route route : svc.server.routes()) {
            if (ApiRoutes.PUBLIC_ROUTES.contains(route.path())) {
                continue;
            }
            String path = route.path().replace("{key}", "10001").replace("{leg}", "1").replace("<file>", "clip.ts");
            // Javalin ignores a trailing slash when matching, so each spelling reaches the same handler.
            for (String spelling : new String[] {path, path + "/"}) {
                for (String key : new String[] {null, "wrong-key", TestService.API_KEY + "x", ""}) {
                    TestService.Reply r = sendWithKey(route.method(), spelling, key);
                    assertThat(r.status()).as(route.method() + " " + spelling + " with key " + key).isEqualTo(401);
                    assertThat(r.json().get("error").asText()).as(route.toString())
                            .startsWith("Authentication required");
                    checked++;
                }
            }
            // Spellings Javalin does not match must not reach a handler either.
            String innerDoubleSlash = path.replaceFirst("^(/[^/]+)/", "$1//");
            String pathParameter = path.replaceFirst("^(/[^/]+)", "$1;x=1");
            for (String spelling : new String[] {"/" + path, innerDoubleSlash, path + "//", path + ";x=1",
                    pathParameter}) {
                TestService.Reply r = sendWithKey(route.method(), spelling, null);
                assertThat(r.status()).as(route.method() + " " + spelling + " without key").isIn(400, 401, 404);
            }
        }
        assertThat(checked).as("protected routes checked").isGreaterThan(100);
        assertThat(svc.send(svc.request("/media/").header("X-API-Key", TestService.API_KEY).GET().build()).status())
                .as("the key still opens the trailing-slash spelling").isEqualTo(200);
    }

    @Test
    void onlyPagesLoginHealthMetricsAndAssetsArePublic() {
        assertThat(ApiRoutes.PUBLIC_ROUTES).allSatisfy(p -> assertThat(p).doesNotStartWith("/api").doesNotStartWith(
                "/media"));
        assertThat(ApiRoutes.isPublic(null, "GET", "/static/js/api.js")).isTrue();
        assertThat(ApiRoutes.isPublic(null, "GET", "/webjars/bootstrap/5.3.8/css/bootstrap.min.css")).isTrue();
        assertThat(ApiRoutes.isPublic(null, "HEAD", "/health/")).isTrue();
        assertThat(ApiRoutes.isPublic(null, "HEAD", "/stream/10001")).isTrue();
        assertThat(ApiRoutes.isPublic(null, "HEAD", "/media/")).isFalse();
        assertThat(ApiRoutes.isPublic(null, "HEAD", "/api/streams")).isFalse();
        assertThat(ApiRoutes.isPublic(null, "GET", "/api/streams")).isFalse();
        assertThat(ApiRoutes.isPublic("/media", "GET", "/media/")).isFalse();
        assertThat(ApiRoutes.isPublic("/api/pairs", "GET", "/api/pairs")).isFalse();
        assertThat(ApiRoutes.isPublic("/stream/{key}", "GET", "/stream/1")).isTrue();
        TestService.Reply head = svc.send(svc.request("/media/").method("HEAD", HttpRequest.BodyPublishers.noBody())
                .build());
        assertThat(head.status()).isEqualTo(401);
    }

    private static TestService.Reply sendWithKey(String method, String path, String key) {
        HttpRequest.Builder b = svc.request(path).method(method, HttpRequest.BodyPublishers.ofString("{}"));
        if (key != null) {
            b.header("X-API-Key", key);
        }
        return svc.send(b.header("Content-Type", "application/json").build());
    }
}
