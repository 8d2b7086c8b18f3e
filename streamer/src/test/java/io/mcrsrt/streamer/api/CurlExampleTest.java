package io.mcrsrt.streamer.api;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's curl example (start a file stream, list it, stop it), run with the real curl binary. */
class CurlExampleTest {
    @TempDir
    Path root;

    private record Result(int status, JsonNode body) {
    }

    private static Result curl(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "-w", "\n%{http_code}"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            int nl = out.lastIndexOf('\n');
            return new Result(Integer.parseInt(out.substring(nl + 1).strip()),
                    TestService.JSON.readTree(out.substring(0, nl)));
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void readmeCurlExampleStartsListsAndStopsAStream() throws Exception {
        try (TestService svc = TestService.withFakeEngine(root)) {
            Files.write(svc.config.mediaFolder().resolve("test.ts"), new byte[188 * 7]);
            String base = "http://127.0.0.1:" + svc.server.port();
            String key = "X-API-Key: " + TestService.API_KEY;

            Result start = curl("-X", "POST", base + "/api/streams", "-H", "Content-Type: application/json", "-H", key,
                    "-d", "{\"input_type\": \"file\", \"file_path\": \"test.ts\", \"port\": 10001, \"latency\": 300, "
                            + "\"overhead_bandwidth\": 2, \"encryption\": \"none\"}");
            assertThat(start.status()).isEqualTo(201);
            assertThat(start.body().get("stream_key").asInt()).isEqualTo(10001);
            assertThat(start.body().get("status").asText()).isEqualTo("starting");

            Result list = curl("-H", key, base + "/api/streams");
            assertThat(list.status()).isEqualTo(200);
            assertThat(list.body().get("data").get("10001").get("source_detail").asText()).isEqualTo("test.ts");

            Result stop = curl("-X", "DELETE", "-H", key, base + "/api/streams/10001");
            assertThat(stop.status()).isEqualTo(200);
            assertThat(stop.body().get("message").asText()).isEqualTo("Stream 10001 stop initiated.");

            assertThat(curl("-H", key, base + "/api/streams").body().get("data")).isEmpty();
            assertThat(curl(base + "/api/streams").status()).isEqualTo(401);
        }
    }
}
