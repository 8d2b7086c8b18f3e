package io.mcrsrt.streamer.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.mcrsrt.streamer.engine.LocalStreamEngine;
import io.mcrsrt.streamer.engine.testing.Await;
import io.mcrsrt.streamer.engine.testing.CueFile;
import io.mcrsrt.streamer.engine.testing.Peers;
import io.mcrsrt.streamer.stream.EngineSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SCTE-35 cues of a stream over the API and the metrics: a looped file with cues started through the API, a real
 * {@code srt-live-transmit} caller connected to it.
 */
class Scte35RoutesTest {
    @TempDir
    Path root;

    @Test
    void aStreamsCuesAreCountedInItsStatsAndMetricsToldInItsEventsAndGivenDecodedByTheirRoute() throws Exception {
        Path media = Files.createDirectories(root.resolve("media"));
        CueFile.write(media.resolve("cues.ts"), CueFile.SPLICE_INSERT);
        int key = Peers.freePort();
        Path data = Files.createDirectories(root.resolve("data"));
        try (TestService svc = new TestService(root, LocalStreamEngine.open(new EngineSettings(media, data, 4, key,
                key, 4)), key, key, null, null)) {
            TestService.Reply created = svc.postJson("/api/streams", "{\"input_type\":\"file\",\"file_path\":"
                    + "\"cues.ts\",\"port\":" + key + ",\"latency\":120}");
            assertThat(created.status()).as(created.body()).isEqualTo(201);
            JsonNode none = svc.get("/api/streams/" + key + "/scte35").json();
            assertThat(none.get("count").asLong()).isZero();
            assertThat(none.get("cues")).isEmpty();
            try (Peers.Process rx = Peers.receiveToFile("srt://127.0.0.1:" + key + "?mode=caller&latency=120",
                    root.resolve("received.ts"), root.resolve("rx.log"))) {
                assertThat(Await.until(() -> svc.get("/api/stats/" + key).json().get("scte35_cues").asLong() >= 2,
                        30_000)).as("two passes' cues counted").isTrue();
                JsonNode cues = svc.get("/api/streams/" + key + "/scte35").json();
                assertThat(cues.get("key").asInt()).isEqualTo(key);
                assertThat(cues.get("count").asLong()).isGreaterThanOrEqualTo(2);
                assertThat(cues.get("errors").asLong()).isZero();
                JsonNode first = cues.get("cues").get(0);
                assertThat(first.get("pid").asInt()).isEqualTo(CueFile.CUE_PID);
                assertThat(first.get("command").asText()).isEqualTo("Splice Insert");
                assertThat(first.get("event_id").asLong()).isEqualTo(0x4800008FL);
                assertThat(first.get("pts_s").asDouble()).isEqualTo(0x07369C02EL / 90_000.0);
                assertThat(first.get("duration_s").asDouble()).isEqualTo(0x00052CCF5L / 90_000.0);
                assertThat(first.get("timestamp_millis").asLong()).isPositive();
                assertThat(first.get("summary").asText()).startsWith("Splice Insert event 1207959695 out of network");
                // the whole cue as mcr-srt scte35 --json gives it
                assertThat(first.at("/cue/info_section/table_id").asText()).isEqualTo("0xfc");
                assertThat(first.at("/cue/command/splice_event_id").asLong()).isEqualTo(0x4800008FL);

                JsonNode summary = svc.get("/api/streams").json().at("/data/" + key);
                assertThat(summary.get("scte35_cues").asLong()).isGreaterThanOrEqualTo(2);
                assertThat(svc.get("/api/debug/" + key).json().get("hist")).anySatisfy(e -> {
                    assertThat(e.get("kind").asText()).isEqualTo("scte35");
                    assertThat(e.get("detail").asText()).isEqualTo("PID 0x01F0: " + first.get("summary").asText());
                });
                String metrics = svc.send(svc.request("/metrics").GET().build()).body();
                assertThat(metrics).contains("# TYPE mcr_srt_stream_scte35_cues gauge")
                        .containsPattern("mcr_srt_stream_scte35_cues\\{[^}]*key=\"" + key + "\"[^}]*\\} [1-9]");
            }
            assertThat(svc.get("/api/streams/" + key + "/scte35").json().get("count").asLong()).isPositive();
            assertThat(svc.delete("/api/streams/" + key).status()).isEqualTo(200);
            assertThat(svc.get("/api/streams/" + key + "/scte35").status()).isEqualTo(404);
        }
    }
}
