package io.mcrsrt.streamer.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.mcrsrt.streamer.reliability.RepoFiles;
import io.mcrsrt.streamer.stream.PeerView;
import io.mcrsrt.streamer.stream.StreamView;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** Server-sent events and Prometheus metrics, against the in-memory engine. */
class EventsAndMetricsTest {
    private static final Pattern SAMPLE = Pattern.compile(
            "^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{((?:[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\]|\\\\.)*\",?)*)\\})? "
                    + "(-?[0-9.eE+-]+|NaN|\\+Inf|-Inf)( -?[0-9]+)?$");

    @TempDir
    Path root;

    @Test
    void streamEventsDeliverStatsEverySecondAndEndWhenTheStreamStops() throws Exception {
        try (TestService svc = TestService.withFakeEngine(root)) {
            svc.postJson("/api/streams", "{\"input_type\":\"colorbar_720p50\",\"port\":10001}");
            try (SseClientReader sse = new SseClientReader(svc.http, svc.request("/api/streams/10001/events")
                    .header("X-API-Key", TestService.API_KEY).header("Accept", "text/event-stream").timeout(java.time.Duration.ofMinutes(1)).GET().build())) {
                assertThat(sse.status).isEqualTo(200);
                assertThat(sse.contentType).startsWith("text/event-stream");
                List<SseClientReader.Event> stats = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    SseClientReader.Event e = sse.next("stats", 5000);
                    assertThat(e).as("stats event %d", i).isNotNull();
                    stats.add(e);
                }
                JsonNode data = TestService.JSON.readTree(stats.getLast().data());
                assertThat(data.get("rtt_ms").asDouble()).isEqualTo(FakeEngine.RTT_MS);
                assertThat(data.get("connection_status").asText()).isEqualTo("Connected");
                long spanMillis = (stats.getLast().receivedNanos() - stats.get(1).receivedNanos()) / 1_000_000;
                assertThat(spanMillis).as("two ticks apart, one a second").isBetween(1000L, 4000L);

                svc.delete("/api/streams/10001");
                SseClientReader.Event end = sse.next("end", 5000);
                assertThat(end).isNotNull();
                assertThat(TestService.JSON.readTree(end.data()).get("key").asInt()).isEqualTo(10001);
                assertThat(TestService.JSON.readTree(end.data()).get("message").asText())
                        .isEqualTo("Stream 10001 was stopped");
            }
        }
    }

    @Test
    void anInvalidKeyIsAPlainJson400BeforeAnyEventStream() throws Exception {
        try (TestService svc = TestService.withFakeEngine(root)) {
            for (String key : new String[] {"abc", "0", "65536", "1e3"}) {
                TestService.Reply r = svc.send(svc.request("/api/streams/" + key + "/events")
                        .header("X-API-Key", TestService.API_KEY).header("Accept", "text/event-stream").GET().build());
                assertThat(r.status()).as(key).isEqualTo(400);
                assertThat(r.headers().firstValue("Content-Type").orElse("")).as(key).startsWith("application/json");
                assertThat(r.json().get("error").asText()).isEqualTo("Invalid key format: " + key);
            }
            TestService.Reply noKey = svc.send(svc.request("/api/streams/abc/events").GET().build());
            assertThat(noKey.status()).as("authentication comes first").isEqualTo(401);
        }
    }

    @Test
    void globalEventsStartWithTheStreamListAndSystemStatus() throws Exception {
        try (TestService svc = TestService.withFakeEngine(root)) {
            try (SseClientReader sse = new SseClientReader(svc.http, svc.request("/api/events")
                    .header("X-API-Key", TestService.API_KEY).header("Accept", "text/event-stream").timeout(java.time.Duration.ofMinutes(1)).GET().build())) {
                SseClientReader.Event first = sse.next("streams", 5000);
                assertThat(TestService.JSON.readTree(first.data()).get("data")).isEmpty();
                SseClientReader.Event system = sse.next("system", 5000);
                assertThat(TestService.JSON.readTree(system.data()).has("cpu_usage")).isTrue();
                assertThat(TestService.JSON.readTree(system.data()).fieldNames()).toIterable().as("the same JSON as"
                        + " GET /api/system/status").containsExactlyElementsOf(() -> svc.get("/api/system/status")
                                .json().fieldNames());

                svc.postJson("/api/streams", "{\"input_type\":\"colorbar_720p50\",\"port\":10002}");
                SseClientReader.Event changed = sse.next("streams", 5000);
                assertThat(changed).as("a streams event after the change").isNotNull();
                JsonNode stream = TestService.JSON.readTree(changed.data()).get("data").get("10002");
                assertThat(stream).isNotNull();
                assertThat(stream.get("peers")).as("each connected caller, so pages need no request per stream")
                        .hasSize(1);
                assertThat(stream.get("peers").get(0).get("address").asText()).isEqualTo("127.0.0.1:40000");
                assertThat(stream.get("peers").get(0).get("stream_id").asText()).isEqualTo("mcr_stream_10002");
                assertThat(svc.get("/api/streams").json().get("data").get("10002").has("peers"))
                        .as("GET /api/streams keeps the original's fields").isFalse();
            }
        }
    }

    @Test
    void anEventStreamAskedForWithoutItsAcceptHeaderSaysWhatToSendAndAStreamCarriesOneCacheControl() throws Exception {
        // Before: an empty 200 text/plain without the header, and two Cache-Control headers (no-store, no-cache) with it.
        try (TestService svc = TestService.withFakeEngine(root)) {
            for (String path : List.of("/api/events", "/api/streams/10007/events")) {
                TestService.Reply plain = svc.send(svc.request(path).header("X-API-Key", TestService.API_KEY)
                        .GET().build());
                assertThat(plain.status()).as(path).isEqualTo(406);
                assertThat(plain.json().get("error").asText()).as(path).startsWith("This route is a server-sent event"
                        + " stream: send the header Accept: text/event-stream");
            }
            java.net.http.HttpResponse<java.io.InputStream> stream = svc.http.send(svc.request("/api/events")
                    .header("X-API-Key", TestService.API_KEY).header("Accept", "text/event-stream").GET().build(),
                    java.net.http.HttpResponse.BodyHandlers.ofInputStream());
            try (java.io.InputStream body = stream.body()) {
                assertThat(stream.statusCode()).isEqualTo(200);
                assertThat(stream.headers().allValues("Cache-Control")).containsExactly("no-cache");
            }
            TestService.Reply api = svc.send(svc.request("/api/streams").header("X-API-Key", TestService.API_KEY)
                    .GET().build());
            assertThat(api.headers().allValues("Cache-Control")).containsExactly("no-store");
        }
    }

    @Test
    void eventsForAnUnknownStreamEndAtOnce() throws Exception {
        try (TestService svc = TestService.withFakeEngine(root);
             SseClientReader sse = new SseClientReader(svc.http, svc.request("/api/streams/10007/events")
                     .header("X-API-Key", TestService.API_KEY).header("Accept", "text/event-stream").GET().build())) {
            SseClientReader.Event end = sse.next("end", 5000);
            assertThat(TestService.JSON.readTree(end.data()).get("message").asText()).isEqualTo("Stream 10007 not found");
        }
    }

    @Test
    void metricsParseAsPrometheusTextAndCarryTheStreamsRtt() throws Exception {
        try (TestService svc = TestService.withFakeEngine(root)) {
            svc.postJson("/api/streams", "{\"input_type\":\"colorbar_1080i25\",\"port\":10003}");
            TestService.Reply r = svc.send(svc.request("/metrics").GET().build());
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
            Double rtt = null;
            int samples = 0;
            for (String line : r.body().split("\n")) {
                if (line.isEmpty() || line.startsWith("# HELP ") || line.startsWith("# TYPE ")) {
                    continue;
                }
                Matcher m = SAMPLE.matcher(line);
                assertThat(m.matches()).as("Prometheus sample line: %s", line).isTrue();
                samples++;
                if (m.group(1).equals("mcr_srt_stream_rtt_seconds")) {
                    assertThat(m.group(3)).contains("key=\"10003\"").contains("mode=\"listener\"")
                            .contains("input_type=\"colorbar_1080i25\"");
                    rtt = Double.parseDouble(m.group(4));
                }
            }
            assertThat(samples).isGreaterThan(20);
            assertThat(rtt).as("the API's rtt_ms in seconds").isEqualTo(FakeEngine.RTT_MS / 1000);
            assertThat(r.body()).as("times in seconds, rates in bytes per second, ratios: Prometheus's base units")
                    .containsPattern("mcr_srt_stream_packet_loss_ratio\\{[^}]*key=\"10003\"[^}]*} 0\\.005\n")
                    .containsPattern("mcr_srt_connection_packet_loss_ratio\\{[^}]*key=\"10003\"[^}]*} 0\\.005\n")
                    .containsPattern("mcr_srt_stream_send_bytes_per_second\\{[^}]*key=\"10003\"[^}]*} 1000000\\.0\n")
                    .containsPattern("mcr_srt_stream_input_bytes_per_second\\{[^}]*key=\"10003\"[^}]*} 1000000\\.0\n")
                    .containsPattern("mcr_srt_connection_send_bytes_per_second\\{[^}]*key=\"10003\"[^}]*} 1000000\\.0\n")
                    .containsPattern("mcr_srt_stream_send_buffer_seconds\\{[^}]*key=\"10003\"[^}]*} 0\\.12\n")
                    .containsPattern("mcr_srt_stream_negotiated_latency_seconds\\{[^}]*key=\"10003\"[^}]*} 0\\.3\n")
                    .containsPattern("mcr_srt_connection_rtt_seconds\\{[^}]*peer=\"127\\.0\\.0\\.1:40000\"[^}]*}"
                            + " 0\\.0125\n")
                    .doesNotContainPattern("(?m)^mcr_srt_\\w+_(ms|mbps|percent)[{ ]");
            assertThat(r.body()).contains("mcr_srt_connection_rtt_seconds{").contains("peer=\"127.0.0.1:40000\"")
                    .contains("jvm_memory_used_bytes").contains("process_cpu_usage").contains("mcr_srt_streams 1.0");
            assertThat(r.body()).as("what the caller was not given, as the engine counts it").containsPattern(
                    "mcr_srt_connection_packets_not_delivered\\{[^}]*peer=\"127\\.0\\.0\\.1:40000\"[^}]*} 12\\.0");
            assertThat(r.body()).as("connections lost since the start, as the engine counts them")
                    .containsPattern("mcr_srt_stream_reconnects\\{[^}]*key=\"10003\"[^}]*} 2\\.0")
                    .containsPattern("mcr_srt_stream_input_lost\\{[^}]*key=\"10003\"[^}]*} 0\\.0")
                    .as("colour bars have no path before the service to count faults on")
                    .doesNotContainPattern("mcr_srt_stream_input_continuity_errors\\{[^}]*key=\"10003\"")
                    .doesNotContainPattern("mcr_srt_stream_input_rtp_lost\\{[^}]*key=\"10003\"");

            svc.delete("/api/streams/10003");
            String after = svc.send(svc.request("/metrics").GET().build()).body();
            assertThat(after).doesNotContain("key=\"10003\"");
        }
    }

    @Test
    void aCallerReplacedByAnotherAtTheSameCountIsAChangeOfTheStreamList() throws Exception {
        try (TestService svc = TestService.withFakeEngine(root)) {
            svc.postJson("/api/streams", "{\"input_type\":\"colorbar_720p50\",\"port\":10003}");
            StreamView v = svc.engine.stream(10003).orElseThrow();
            PeerView first = v.peers().getFirst();
            StreamView replaced = new StreamView(v.config(), v.status(), v.statusDetail(), v.startedAt(),
                    v.startedNanos(),
                    List.of(new PeerView("127.0.0.2:40001", first.streamId(), first.connectedAt() + 1000,
                            first.stats())), v.stats(), v.events(), v.inputBitrateMbps(), v.srtUri(), v.linkBreaks(),
                    v.inputCounters());
            assertThat(EventsHub.streamsSignature(List.of(replaced)))
                    .as("the same key, status and number of peers, another peer")
                    .isNotEqualTo(EventsHub.streamsSignature(List.of(v)));
            assertThat(EventsHub.streamsSignature(List.of(v))).isEqualTo(EventsHub.streamsSignature(
                    List.of(svc.engine.stream(10003).orElseThrow())));
        }
    }

    @Test
    void aCueSentIsAChangeOfTheStreamList() throws Exception {
        try (TestService svc = TestService.withFakeEngine(root)) {
            svc.postJson("/api/streams", "{\"input_type\":\"colorbar_720p50\",\"port\":10003}");
            StreamView v = svc.engine.stream(10003).orElseThrow();
            StreamView cued = new StreamView(v.config(), v.status(), v.statusDetail(), v.startedAt(), v.startedNanos(),
                    v.peers(), v.stats(), v.events(), v.inputBitrateMbps(), v.srtUri(), v.linkBreaks(),
                    v.inputCounters(), new io.mcrsrt.streamer.stream.Scte35Cues(1, 0, List.of()));
            assertThat(EventsHub.streamsSignature(List.of(cued)))
                    .as("the same key, status and peers, one more SCTE-35 cue: the list's scte35_cues moved")
                    .isNotEqualTo(EventsHub.streamsSignature(List.of(v)));
        }
    }

    @Test
    void everyMetricTheGrafanaDashboardPlotsIsOneTheServiceExports() throws Exception {
        Path dashboard = RepoFiles.root().resolve("deploy/grafana/mcr-srt-streamer.json");
        Set<String> plotted = new TreeSet<>();
        for (JsonNode panel : TestService.JSON.readTree(dashboard.toFile()).get("panels")) {
            for (JsonNode target : panel.get("targets")) {
                Matcher names = Pattern.compile("\\b((?:mcr_srt|process|jvm|system)_[a-z_]+)")
                        .matcher(target.get("expr").asText());
                while (names.find()) {
                    plotted.add(names.group(1));
                }
            }
        }
        assertThat(plotted).hasSizeGreaterThan(10);
        try (TestService svc = TestService.withFakeEngine(root)) {
            svc.postJson("/api/streams", "{\"input_type\":\"colorbar_1080i25\",\"port\":10003}");
            svc.postJson("/api/streams", "{\"input_type\":\"multicast\",\"multicast_address\":\"239.1.1.1\","
                    + "\"multicast_port\":5000,\"port\":10004}");
            assertThat(svc.postJson("/api/pairs", "{\"input_type\":\"multicast\",\"multicast_address\":"
                    + "\"239.1.1.2\",\"multicast_port\":5000,\"legs\":[{\"mode\":\"listener\",\"port\":10005},"
                    + "{\"mode\":\"listener\",\"port\":10006}]}").status()).isEqualTo(201);
            String scrape = svc.send(svc.request("/metrics").GET().build()).body();
            Set<String> exported = new TreeSet<>();
            for (String line : scrape.split("\n")) {
                if (!line.isEmpty() && !line.startsWith("#")) {
                    exported.add(line.split("[{ ]", 2)[0]);
                }
            }
            assertThat(exported).as("what a scrape carries").containsAll(plotted);
        }
    }

    @Test
    void withAMetricsTokenMetricsNeedTheBearerToken() throws Exception {
        try (TestService svc = new TestService(root, new FakeEngine(), 10001, 10010, null, null, 64, "scrape-token")) {
            TestService.Reply none = svc.send(svc.request("/metrics").GET().build());
            assertThat(none.status()).isEqualTo(401);
            assertThat(none.json().get("error").asText()).contains("Bearer");
            assertThat(svc.send(svc.request("/metrics").header("Authorization", "Bearer wrong").GET().build()).status())
                    .isEqualTo(401);
            TestService.Reply ok = svc.send(svc.request("/metrics").header("Authorization", "Bearer scrape-token")
                    .GET().build());
            assertThat(ok.status()).isEqualTo(200);
            assertThat(ok.body()).contains("mcr_srt_streams");
        }
    }

    @Test
    void aBrowserThatGoesAwayFreesItsEventSender() throws Exception {
        try (TestService svc = TestService.withFakeEngine(root)) {
            SseClientReader sse = new SseClientReader(svc.http, svc.request("/api/events")
                    .header("X-API-Key", TestService.API_KEY).header("Accept", "text/event-stream").GET().build());
            assertThat(sse.next("streams", 5000)).isNotNull();
            assertThat(svc.send(svc.request("/metrics").GET().build()).body()).contains("mcr_srt_sse_clients 1.0");
            sse.close();
            String metrics = "";
            for (int i = 0; i < 100 && !metrics.contains("mcr_srt_sse_clients 0.0"); i++) {
                Thread.sleep(100);
                metrics = svc.send(svc.request("/metrics").GET().build()).body();
            }
            assertThat(metrics).as("the sender stopped after the browser left").contains("mcr_srt_sse_clients 0.0");
        }
    }
}
