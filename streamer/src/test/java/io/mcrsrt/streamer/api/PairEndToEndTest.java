package io.mcrsrt.streamer.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.mcrsrt.streamer.engine.LocalStreamEngine;
import io.mcrsrt.streamer.engine.testing.Peers;
import io.mcrsrt.streamer.stream.EngineSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A colour-bars SMPTE 2022-7 pair started through the API, each of its two listener legs received by its own
 * {@code srt-live-transmit} caller; both legs' statistics must show traffic in {@code GET /api/pairs/{key}}, and
 * each leg's history in {@code GET /api/pairs/{key}/legs/{leg}/history}.
 */
class PairEndToEndTest {
    @TempDir
    Path root;

    @Test
    void bothListenerLegsOfAColourBarsPairCarryTrafficToTheirCallers() throws Exception {
        int base = Peers.freePorts(2);
        Path media = Files.createDirectories(root.resolve("media"));
        Path data = Files.createDirectories(root.resolve("data"));
        List<Process> receivers = new ArrayList<>();
        try (TestService svc = new TestService(root, LocalStreamEngine.open(new EngineSettings(media, data, 4, base,
                base + 1, 4)), base, base + 1, null, null)) {
            String body = "{\"input_type\":\"colorbar_720p50\",\"latency\":120,\"legs\":["
                    + "{\"mode\":\"listener\",\"port\":" + base + "},"
                    + "{\"mode\":\"listener\",\"port\":" + (base + 1) + "}]}";
            TestService.Reply created = svc.postJson("/api/pairs", body);
            assertThat(created.status()).as(created.body()).isEqualTo(201);
            assertThat(created.json().get("pair_id").asInt()).isEqualTo(base);
            try {
                for (int port : new int[] {base, base + 1}) {
                    receivers.add(new ProcessBuilder("srt-live-transmit", "-q",
                            "srt://127.0.0.1:" + port + "?mode=caller&latency=120",
                            "udp://127.0.0.1:" + Peers.freePort())
                            .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start());
                }
                JsonNode pair = null;
                // colour bars are rendered by ffmpeg on first use: allow for a slow, loaded machine
                for (int i = 0; i < 360 && !bothLegsCarry(pair); i++) {
                    Thread.sleep(500);
                    pair = svc.get("/api/pairs/" + base).json();
                }
                assertThat(bothLegsCarry(pair)).as("both legs sending to their callers: %s", pair).isTrue();
                for (JsonNode leg : pair.get("legs")) {
                    assertThat(leg.get("peers_connected").asInt()).isEqualTo(1);
                    assertThat(leg.get("peers").get(0).get("address").asText()).startsWith("127.0.0.1:");
                    assertThat(leg.get("connection_status").asText()).isEqualTo("Connected");
                }
                assertThat(svc.get("/api/pairs").json().get("data").has(String.valueOf(base))).isTrue();
                for (int leg = 1; leg <= 2; leg++) {
                    JsonNode history = svc.get("/api/pairs/" + base + "/legs/" + leg + "/history").json();
                    assertThat(history.get("key").asInt()).isEqualTo(base + leg - 1);
                    JsonNode samples = history.get("samples");
                    assertThat(samples.size()).as("leg %d's history", leg).isPositive();
                    assertThat(samples.get(samples.size() - 1).get("bitrate_mbps").asDouble()).isPositive();
                    for (int i = 1; i < samples.size(); i++) {
                        assertThat(samples.get(i).get("timestamp_millis").asLong())
                                .isGreaterThan(samples.get(i - 1).get("timestamp_millis").asLong());
                        assertThat(samples.get(i).get("age_millis").asLong()).as("kept after the one before")
                                .isLessThan(samples.get(i - 1).get("age_millis").asLong());
                    }
                }
                String metrics = svc.send(svc.request("/metrics").GET().build()).body();
                assertThat(metrics).contains("mcr_srt_pairs 1.0");
                for (int leg = 1; leg <= 2; leg++) {
                    String labels = "{leg=\"" + leg + "\",mode=\"listener\",pair=\"" + base + "\"}";
                    assertThat(metrics).as("leg %d in /metrics", leg)
                            .contains("mcr_srt_pair_leg_connected" + labels + " 1.0")
                            .contains("mcr_srt_pair_leg_peers" + labels + " 1.0");
                    java.util.regex.Matcher bitrate = java.util.regex.Pattern.compile(
                            "mcr_srt_pair_leg_send_bytes_per_second" + java.util.regex.Pattern.quote(labels)
                                    + " (\\S+)").matcher(metrics);
                    assertThat(bitrate.find()).as("leg %d bitrate in /metrics", leg).isTrue();
                    assertThat(Double.parseDouble(bitrate.group(1))).isPositive();
                }
            } finally {
                TestService.Reply stopped = svc.delete("/api/pairs/" + base);
                assertThat(stopped.status()).isEqualTo(200);
                assertThat(svc.get("/api/pairs").json().get("data")).isEmpty();
            }
        } finally {
            for (Process p : receivers) {
                p.destroy();
                if (!p.waitFor(5, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            }
        }
    }

    private static boolean bothLegsCarry(JsonNode pair) {
        if (pair == null || pair.get("legs") == null || pair.get("legs").size() != 2) {
            return false;
        }
        for (JsonNode leg : pair.get("legs")) {
            if (leg.get("packets_sent_total").asLong() <= 0 || leg.get("bytes_sent_total").asLong() <= 0
                    || leg.get("bitrate_mbps").asDouble() <= 0) {
                return false;
            }
        }
        return true;
    }

}
