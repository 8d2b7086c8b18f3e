package io.mcrsrt.streamer.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.mcrsrt.streamer.engine.LocalStreamEngine;
import io.mcrsrt.streamer.engine.testing.Peers;
import io.mcrsrt.streamer.stream.EngineSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The SMPTE 2022-7 pair routes against the real engine. Pairs here take a loopback multicast input nobody sends to:
 * the routes' answers do not need media, and no colour bars are rendered.
 */
class PairRoutesTest {
    private static final int RANGE = 6;

    @TempDir
    static Path root;
    static TestService svc;
    static int base;
    static int multicastPort;

    @BeforeAll
    static void start() throws Exception {
        base = Peers.freePorts(RANGE);
        multicastPort = Peers.freePort();
        Path media = Files.createDirectories(root.resolve("media"));
        Path data = Files.createDirectories(root.resolve("data"));
        svc = new TestService(root, LocalStreamEngine.open(new EngineSettings(media, data, 8, base, base + RANGE - 1,
                4)), base, base + RANGE - 1, null, null);
    }

    @AfterAll
    static void stop() {
        if (svc != null) {
            svc.close();
        }
    }

    @AfterEach
    void stopEverything() throws Exception {
        for (var p : svc.engine.pairs()) {
            svc.engine.stopPair(p.key());
        }
        for (var s : svc.engine.streams()) {
            svc.engine.stop(s.key());
        }
    }

    private static Map<String, Object> leg(int port) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mode", "listener");
        m.put("port", port);
        return m;
    }

    private static Map<String, Object> pair(Object... legs) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("input_type", "multicast");
        m.put("multicast_address", "239.255.77.1");
        m.put("multicast_port", multicastPort);
        m.put("multicast_interface", "lo");
        m.put("legs", List.of(legs));
        return m;
    }

    @Test
    void startListDetailAndStopAPairKeyedByItsSmallerPort() {
        Map<String, Object> body = pair(leg(base + 3), leg(base + 1));
        body.put("encryption", "aes-128");
        body.put("passphrase", "SuperSecret123");
        body.put("latency", 200);
        TestService.Reply created = svc.postJson("/api/pairs", body);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.json().get("pair_id").asInt()).isEqualTo(base + 1);
        assertThat(created.json().get("status").asText()).isEqualTo("starting");
        assertThat(created.json().get("message").asText()).isEqualTo("Pair " + (base + 1) + " is starting.");

        JsonNode summary = svc.get("/api/pairs").json().get("data").get(String.valueOf(base + 1));
        assertThat(summary.get("pair_id").asInt()).isEqualTo(base + 1);
        assertThat(summary.get("ssrc").asText()).isEqualTo("ABBACAFE");
        assertThat(summary.get("latency").asInt()).isEqualTo(200);
        assertThat(summary.get("input_type").asText()).isEqualTo("multicast");
        assertThat(summary.get("scte35_cues").asLong()).as("no cue sent yet").isZero();
        assertThat(summary.get("passphrase_set").asBoolean()).isTrue();
        assertThat(summary.get("legs")).hasSize(2);
        assertThat(summary.get("legs").get(0).get("port").asInt()).isEqualTo(base + 3);
        assertThat(summary.get("legs").get(1).get("port").asInt()).isEqualTo(base + 1);

        TestService.Reply detail = svc.get("/api/pairs/" + (base + 1));
        assertThat(detail.status()).isEqualTo(200);
        JsonNode leg = detail.json().get("legs").get(0);
        assertThat(leg.get("mode").asText()).isEqualTo("listener");
        assertThat(leg.get("connection_status").asText()).isNotBlank();
        assertThat(leg.has("bitrate_mbps")).isTrue();
        assertThat(leg.has("rtt_ms")).isTrue();
        assertThat(leg.has("packet_loss_percent")).isTrue();
        assertThat(leg.get("peers").isArray()).isTrue();
        assertThat(leg.get("srt_uri").asText()).startsWith("srt://");
        assertThat(detail.json().get("timestamp_api").isNumber()).isTrue();
        assertThat(detail.body()).containsPattern("\"timestamp_api\":\\d{10}\\.\\d{3}[,}]");
        for (String path : List.of("/api/pairs", "/api/pairs/" + (base + 1))) {
            assertThat(svc.get(path).body()).doesNotContain("SuperSecret123");
        }

        String hint = " Port " + (base + 3) + " is a leg of pair " + (base + 1) + ": see GET /api/pairs/" + (base + 1)
                + ", stop it with DELETE /api/pairs/" + (base + 1) + ".";
        TestService.Reply legStop = svc.delete("/api/streams/" + (base + 3));
        assertThat(legStop.status()).isEqualTo(404);
        assertThat(legStop.json().get("error").asText())
                .isEqualTo("Stream " + (base + 3) + " not found or already stopped." + hint);
        assertThat(svc.get("/api/stats/" + (base + 3)).json().get("error").asText())
                .isEqualTo("Stream " + (base + 3) + " not found." + hint);
        assertThat(svc.get("/api/pairs").json().get("data")).as("the pair is untouched").hasSize(1);
        String pairHint = " Port " + (base + 3) + " is a leg of pair " + (base + 1) + ", which is keyed by its smaller"
                + " leg port: see GET /api/pairs/" + (base + 1) + ", stop it with DELETE /api/pairs/" + (base + 1) + ".";
        TestService.Reply legAsPair = svc.delete("/api/pairs/" + (base + 3));
        assertThat(legAsPair.status()).isEqualTo(404);
        assertThat(legAsPair.json().get("error").asText())
                .isEqualTo("Pair " + (base + 3) + " not found or already stopped." + pairHint);
        assertThat(svc.get("/api/pairs/" + (base + 3)).json().get("error").asText())
                .isEqualTo("Pair " + (base + 3) + " not found." + pairHint);
        assertThat(svc.get("/api/pairs").json().get("data")).as("still untouched").hasSize(1);

        TestService.Reply stopped = svc.delete("/api/pairs/" + (base + 1));
        assertThat(stopped.status()).isEqualTo(200);
        assertThat(stopped.json().get("message").asText()).isEqualTo("Pair " + (base + 1) + " stop initiated.");
        assertThat(svc.get("/api/pairs").json().get("data")).isEmpty();
        assertThat(svc.delete("/api/pairs/" + (base + 1)).status()).isEqualTo(404);
    }

    @Test
    void eachLegsHistoryIsAnsweredAsAStreamsWithThePairAndTheLegsKey() {
        assertThat(svc.postJson("/api/pairs", pair(leg(base + 3), leg(base + 1))).status()).isEqualTo(201);
        for (int leg = 1; leg <= 2; leg++) {
            TestService.Reply history = svc.get("/api/pairs/" + (base + 1) + "/legs/" + leg + "/history");
            assertThat(history.status()).as(history.body()).isEqualTo(200);
            assertThat(history.json().get("pair_id").asInt()).isEqualTo(base + 1);
            assertThat(history.json().get("leg").asInt()).isEqualTo(leg);
            assertThat(history.json().get("key").asInt()).as("legs in the pair's order")
                    .isEqualTo(leg == 1 ? base + 3 : base + 1);
            assertThat(history.json().get("samples").isArray()).as("no caller yet, no samples").isTrue();
        }

        for (String leg : List.of("0", "3", "x", "01")) {
            TestService.Reply bad = svc.get("/api/pairs/" + (base + 1) + "/legs/" + leg + "/history");
            assertThat(bad.status()).as(leg).isEqualTo(400);
            assertThat(bad.json().get("error").asText())
                    .isEqualTo("Invalid leg: " + leg + " (a pair has legs 1 and 2)");
        }
        TestService.Reply badKey = svc.get("/api/pairs/abc/legs/1/history");
        assertThat(badKey.status()).isEqualTo(400);
        assertThat(badKey.json().get("error").asText()).isEqualTo("Invalid key format: abc");
        TestService.Reply byLegPort = svc.get("/api/pairs/" + (base + 3) + "/legs/1/history");
        assertThat(byLegPort.status()).isEqualTo(404);
        assertThat(byLegPort.json().get("error").asText()).startsWith("Pair " + (base + 3) + " not found. Port "
                + (base + 3) + " is a leg of pair " + (base + 1));
        TestService.Reply missing = svc.get("/api/pairs/" + base + "/legs/1/history");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().get("error").asText()).isEqualTo("Pair " + base + " not found");
    }

    @Test
    void aPairsCuesAreAnsweredAsAStreamsUnderItsPairId() {
        assertThat(svc.postJson("/api/pairs", pair(leg(base + 3), leg(base + 1))).status()).isEqualTo(201);
        TestService.Reply cues = svc.get("/api/pairs/" + (base + 1) + "/scte35");
        assertThat(cues.status()).as(cues.body()).isEqualTo(200);
        assertThat(cues.json().get("key").asInt()).isEqualTo(base + 1);
        assertThat(cues.json().get("count").asLong()).as("no cue sent yet").isZero();
        assertThat(cues.json().get("errors").asLong()).isZero();
        assertThat(cues.json().get("cues").isArray()).isTrue();
        assertThat(cues.json().get("cues")).isEmpty();

        TestService.Reply badKey = svc.get("/api/pairs/abc/scte35");
        assertThat(badKey.status()).isEqualTo(400);
        assertThat(badKey.json().get("error").asText()).isEqualTo("Invalid key format: abc");
        TestService.Reply byLegPort = svc.get("/api/pairs/" + (base + 3) + "/scte35");
        assertThat(byLegPort.status()).isEqualTo(404);
        assertThat(byLegPort.json().get("error").asText()).startsWith("Pair " + (base + 3) + " not found. Port "
                + (base + 3) + " is a leg of pair " + (base + 1));
        TestService.Reply missing = svc.get("/api/pairs/" + base + "/scte35");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().get("error").asText()).isEqualTo("Pair " + base + " not found");
    }

    @Test
    void aStartThatLosesTheRaceForAKeyGetsTheDocumentedConflictMessage() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("input_type", "multicast");
        body.put("multicast_address", "239.255.77.1");
        body.put("multicast_port", multicastPort);
        body.put("multicast_interface", "lo");
        body.put("port", base + 2);
        assertThat(svc.postJson("/api/streams", body).status()).isEqualTo(201);
        // Two requests for one key at once both pass the route's check; the engine refuses the second.
        var config = svc.engine.stream(base + 2).orElseThrow().config();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> svc.engine.start(config))
                .hasMessage(StreamHandlers.conflict(base + 2, false).getMessage());
    }

    @Test
    void anInvalidPairReportsEveryErrorByField() {
        Map<String, Object> first = leg(base - 1);
        Map<String, Object> second = new LinkedHashMap<>();
        second.put("mode", "caller");
        second.put("target_port", 0);
        second.put("colour", "red");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("input_type", "file");
        body.put("ssrc", "XYZ");
        body.put("latency", 5);
        body.put("overhead_bandwidth", 100);
        body.put("smoothing_latency_ms", 5001);
        body.put("encryption", "aes-256");
        body.put("qos", "yes");
        body.put("legs", List.of(first, second));
        TestService.Reply r = svc.postJson("/api/pairs", body);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("error").asText()).isEqualTo("Validation failed");
        JsonNode d = r.json().get("details");
        assertThat(d.get("input_type").asText()).contains("colorbar_720p50").contains("files are not offered");
        assertThat(d.get("ssrc").asText()).isEqualTo("SSRC must be 8 hex digits, e.g. ABBACAFE.");
        assertThat(d.get("latency").asText()).isEqualTo("SRT Latency must be an integer between 20 and 8000 (got 5).");
        assertThat(d.get("overhead_bandwidth").asText()).contains("between 1 and 99");
        assertThat(d.get("smoothing_latency_ms").asText()).contains("between 0 and 5000");
        assertThat(d.get("passphrase").asText()).contains("between 10 and 79");
        assertThat(d.get("qos").asText()).contains("true or false");
        assertThat(d.get("legs[0].port").asText())
                .isEqualTo("Listener requires a 'port' between " + base + " and " + (base + RANGE - 1) + " (got "
                        + (base - 1) + ").");
        assertThat(d.get("legs[1].target_address").asText()).contains("target_address");
        assertThat(d.get("legs[1].target_port").asText()).contains("between 1 and 65535");
        assertThat(d.get("legs[1].colour").asText()).startsWith("Unknown leg field");
        assertThat(svc.engine.pairs()).isEmpty();
    }

    @Test
    void aPairNeedsExactlyTwoLegsOnDifferentPorts() {
        TestService.Reply one = svc.postJson("/api/pairs", pair(leg(base)));
        assertThat(one.status()).isEqualTo(400);
        assertThat(one.json().get("details").get("legs").asText()).contains("exactly two");

        Map<String, Object> noLegs = pair();
        noLegs.remove("legs");
        noLegs.put("multicast_port", 0);
        TestService.Reply missing = svc.postJson("/api/pairs", noLegs);
        assertThat(missing.json().get("details").get("legs").asText()).contains("exactly two");
        assertThat(missing.json().get("details").get("multicast_port").asText()).contains("between 1 and 65535");

        TestService.Reply same = svc.postJson("/api/pairs", pair(leg(base), leg(base)));
        assertThat(same.status()).isEqualTo(400);
        assertThat(same.json().get("details").get("legs[1].port").asText()).contains("same port");

        TestService.Reply notObject = svc.postJson("/api/pairs", pair(leg(base), 7));
        assertThat(notObject.json().get("details").get("legs[1]").asText()).contains("JSON object");

        Map<String, Object> unknown = pair(leg(base), leg(base + 1));
        unknown.put("rtp_encapsulation", true);
        TestService.Reply extra = svc.postJson("/api/pairs", unknown);
        assertThat(extra.json().get("details").get("rtp_encapsulation").asText()).startsWith("Unknown field");
    }

    @Test
    void controlCharactersInInterfacesAndMultiByteLimitsAreRefused() {
        Map<String, Object> forged = leg(base);
        forged.put("interface", "lo\nINFO forged line");
        Map<String, Object> body = pair(forged, leg(base + 1));
        body.put("multicast_interface", "l\to");
        body.put("encryption", "aes-128");
        body.put("passphrase", "é".repeat(40));
        TestService.Reply r = svc.postJson("/api/pairs", body);
        assertThat(r.status()).isEqualTo(400);
        JsonNode d = r.json().get("details");
        assertThat(d.get("legs[0].interface").asText()).startsWith("Leg interface must be an interface name");
        assertThat(d.get("multicast_interface").asText()).startsWith("Multicast interface must be an interface name");
        assertThat(d.get("passphrase").asText()).isEqualTo("Passphrase must be a string between 10 and 79 characters."
                + " libsrt counts bytes in UTF-8 ('é' counts as two): this one has 80.");
        assertThat(svc.engine.pairs()).isEmpty();
    }

    @Test
    void aLowercaseSsrcAndACallerLegAreAccepted() {
        Map<String, Object> caller = new LinkedHashMap<>();
        caller.put("mode", "caller");
        caller.put("target_address", "127.0.0.1");
        caller.put("target_port", base + 5);
        caller.put("interface", "lo");
        Map<String, Object> body = pair(leg(base + 2), caller);
        body.put("ssrc", "deadbeef");
        TestService.Reply created = svc.postJson("/api/pairs", body);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        JsonNode detail = svc.get("/api/pairs/" + (base + 2)).json();
        assertThat(detail.get("ssrc").asText()).isEqualTo("DEADBEEF");
        JsonNode leg = detail.get("legs").get(1);
        assertThat(leg.get("mode").asText()).isEqualTo("caller");
        assertThat(leg.get("target").asText()).isEqualTo("127.0.0.1:" + (base + 5));
        assertThat(leg.get("interface").asText()).isEqualTo("lo");
    }

    @Test
    void aLegPortUsedByAStreamOrAnotherPairIsAConflictNamingIt() {
        Map<String, Object> stream = new LinkedHashMap<>();
        stream.put("input_type", "multicast");
        stream.put("multicast_address", "239.255.77.1");
        stream.put("multicast_port", multicastPort);
        stream.put("port", base + 4);
        assertThat(svc.postJson("/api/streams", stream).status()).isEqualTo(201);
        TestService.Reply onStream = svc.postJson("/api/pairs", pair(leg(base), leg(base + 4)));
        assertThat(onStream.status()).isEqualTo(409);
        assertThat(onStream.json().get("error").asText()).startsWith("Port " + (base + 4) + " is already used by stream "
                + (base + 4));
        assertThat(onStream.json().get("details").get("legs[1].port").asText()).as("the leg's field, for a form")
                .isEqualTo(onStream.json().get("error").asText());

        assertThat(svc.postJson("/api/pairs", pair(leg(base), leg(base + 1))).status()).isEqualTo(201);
        TestService.Reply onPair = svc.postJson("/api/pairs", pair(leg(base + 1), leg(base + 2)));
        assertThat(onPair.status()).isEqualTo(409);
        assertThat(onPair.json().get("error").asText()).startsWith("Port " + (base + 1) + " is already used by pair "
                + base);
        assertThat(onPair.json().get("details").get("legs[0].port").asText()).contains("for this leg");
        TestService.Reply streamOnLeg = svc.postJson("/api/streams", Map.of("input_type", "multicast",
                "multicast_address", "239.255.77.1", "multicast_port", multicastPort, "port", base + 1));
        assertThat(streamOnLeg.status()).isEqualTo(409);
        assertThat(streamOnLeg.json().get("error").asText()).isEqualTo("Port " + (base + 1) + " is already used by "
                + "pair " + base + ". Stop it first or choose another port.");
    }

    @Test
    void aPairCountsAsOneStreamTowardMaxStreams(@TempDir Path own) throws Exception {
        int ports = Peers.freePorts(4);
        Path media = Files.createDirectories(own.resolve("media"));
        Path data = Files.createDirectories(own.resolve("data"));
        try (TestService one = new TestService(own, LocalStreamEngine.open(new EngineSettings(media, data, 2, ports,
                ports + 3, 4)), ports, ports + 3, null, null, 2)) {
            assertThat(one.postJson("/api/pairs", pair(leg(ports), leg(ports + 1))).status()).isEqualTo(201);
            Map<String, Object> stream = new LinkedHashMap<>();
            stream.put("input_type", "multicast");
            stream.put("multicast_address", "239.255.77.1");
            stream.put("multicast_port", multicastPort);
            stream.put("port", ports + 2);
            assertThat(one.postJson("/api/streams", stream).status()).isEqualTo(201);
            stream.put("port", ports + 3);
            TestService.Reply third = one.postJson("/api/streams", stream);
            assertThat(third.status()).isEqualTo(409);
            assertThat(third.json().get("error").asText()).isEqualTo("The maximum of 2 streams is reached "
                    + "(MAX_STREAMS=2). Stop a stream first, or raise MAX_STREAMS and restart the service.");
            one.delete("/api/streams/" + (ports + 2));
            stream.put("port", ports + 3);
            assertThat(one.postJson("/api/streams", stream).status()).isEqualTo(201);
            Map<String, Object> caller = new LinkedHashMap<>();
            caller.put("mode", "caller");
            caller.put("target_address", "127.0.0.1");
            caller.put("target_port", Peers.freePort());
            TestService.Reply pair = one.postJson("/api/pairs", pair(leg(ports + 2), caller));
            assertThat(pair.status()).as("its ports are free, but there is no room").isEqualTo(409);
            assertThat(pair.json().get("error").asText()).isEqualTo("The maximum of 2 streams is reached "
                    + "(MAX_STREAMS=2). Stop a stream first, or raise MAX_STREAMS and restart the service.");
        }
    }

    @Test
    void unknownBadAndNonJsonRequestsAreRefusedWithTheirReason() {
        TestService.Reply missing = svc.get("/api/pairs/" + base);
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().get("error").asText()).isEqualTo("Pair " + base + " not found");
        TestService.Reply bad = svc.get("/api/pairs/abc");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("error").asText()).isEqualTo("Invalid key format: abc");
        assertThat(svc.delete("/api/pairs/0").status()).isEqualTo(400);
        TestService.Reply stopMissing = svc.delete("/api/pairs/" + base);
        assertThat(stopMissing.status()).isEqualTo(404);
        assertThat(stopMissing.json().get("error").asText()).isEqualTo("Pair " + base + " not found or already stopped.");
        TestService.Reply empty = svc.postJson("/api/pairs", "{}");
        assertThat(empty.status()).isEqualTo(400);
        assertThat(empty.json().get("error").asText()).isEqualTo("No JSON data provided");
        TestService.Reply broken = svc.postJson("/api/pairs", "{\"legs\":");
        assertThat(broken.status()).isEqualTo(400);
        assertThat(broken.json().get("details").get("body").asText()).contains("not valid JSON");
        TestService.Reply form = svc.send(svc.request("/api/pairs").header("X-API-Key", TestService.API_KEY)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("ssrc=ABBACAFE")).build());
        assertThat(form.status()).isEqualTo(415);
        TestService.Reply array = svc.postJson("/api/pairs", "[1]");
        assertThat(array.status()).isEqualTo(400);
        assertThat(array.json().get("details").get("body").asText()).contains("JSON object");
    }
}
