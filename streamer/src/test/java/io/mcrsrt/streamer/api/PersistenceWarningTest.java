package io.mcrsrt.streamer.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.mcrsrt.streamer.engine.LocalStreamEngine;
import io.mcrsrt.streamer.engine.store.StreamStore;
import io.mcrsrt.streamer.engine.testing.Peers;
import io.mcrsrt.streamer.engine.testing.TestMedia;
import io.mcrsrt.streamer.stream.EngineSettings;
import io.mcrsrt.streamer.stream.StreamConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A save that fails (here: DATA_DIR lies under a regular file, so neither mkdir nor rename can work, even for root)
 * leaves the stream running, and the API answer says so in an additional {@code warning} field; the system status
 * shows the failure and, once a save works again, when it cleared.
 */
class PersistenceWarningTest {
    @TempDir
    Path root;

    @Test
    void aChangeThatIsNotSavedIsReportedToTheCallerAndInTheSystemStatus() throws Exception {
        Path media = Files.createDirectories(root.resolve("media"));
        Files.copy(TestMedia.shortClip(), media.resolve("clip.ts"));
        Path blocker = root.resolve("blocker");
        Files.writeString(blocker, "a regular file where DATA_DIR's parent should be");
        Path data = blocker.resolve("data");
        int first = Peers.freePort();
        int second = Peers.freePort();
        LocalStreamEngine engine = LocalStreamEngine.open(new EngineSettings(media, data, 8, 10001, 10010, 4));
        try (TestService svc = new TestService(root, engine, 10001, 10010, null, null)) {
            TestService.Reply started = svc.postJson("/api/streams", caller(first));
            assertThat(started.status()).as(started.body()).isEqualTo(201);
            JsonNode answer = started.json();
            assertThat(answer.path("stream_key").asInt()).isEqualTo(first);
            assertThat(answer.path("status").asText()).isEqualTo("starting");
            assertThat(answer.path("warning").asText())
                    .startsWith("Started but not saved to " + data.resolve("streams.json") + ": ")
                    .contains("Not a directory")
                    .endsWith("it will not come back after a restart. Free space in DATA_DIR or make it writable.");
            assertThat(svc.get("/api/streams").body()).contains("\"" + first + "\"");

            JsonNode failing = svc.get("/api/system/status").json().path("persistence");
            assertThat(failing.path("ok").asBoolean()).isFalse();
            assertThat(failing.path("file").asText()).isEqualTo(data.resolve("streams.json").toString());
            assertThat(failing.path("last_error").asText()).contains("Not a directory");
            assertThat(failing.path("failed_at").isTextual()).isTrue();
            assertThat(failing.path("cleared_at").isNull()).isTrue();

            Files.delete(blocker);
            Files.createDirectories(data);
            TestService.Reply again = svc.postJson("/api/streams", caller(second));
            assertThat(again.status()).as(again.body()).isEqualTo(201);
            assertThat(again.json().has("warning")).as(again.body()).isFalse();
            assertThat(new StreamStore(data).load().streams()).extracting(StreamConfig::key)
                    .containsExactlyInAnyOrder(first, second);
            JsonNode cleared = svc.get("/api/system/status").json().path("persistence");
            assertThat(cleared.path("ok").asBoolean()).isTrue();
            assertThat(cleared.path("last_error").isNull()).isTrue();
            assertThat(cleared.path("failed_at").isTextual()).isTrue();
            assertThat(cleared.path("cleared_at").isTextual()).isTrue();

            TestService.Reply stopped = svc.delete("/api/streams/" + first);
            assertThat(stopped.status()).isEqualTo(200);
            assertThat(stopped.json().has("warning")).as(stopped.body()).isFalse();

            // Saving fails again, with the second stream on disk.
            try (var files = Files.walk(blocker)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
            Files.writeString(blocker, "a regular file again");
            int third = Peers.freePort();
            TestService.Reply thirdStarted = svc.postJson("/api/streams", caller(third));
            assertThat(thirdStarted.json().path("warning").asText()).as(thirdStarted.body())
                    .contains("it will not come back after a restart");
            TestService.Reply thirdStopped = svc.delete("/api/streams/" + third);
            assertThat(thirdStopped.json().has("warning")).as("never saved, so nothing comes back: "
                    + thirdStopped.body()).isFalse();
            TestService.Reply secondStopped = svc.delete("/api/streams/" + second);
            assertThat(secondStopped.json().path("warning").asText()).as(secondStopped.body())
                    .startsWith("Stopped but not saved to ")
                    .endsWith("it will come back after a restart. Free space in DATA_DIR or make it writable.");
        }
    }

    private static String caller(int port) {
        return "{\"input_type\":\"file\",\"file_path\":\"clip.ts\",\"mode\":\"caller\","
                + "\"target_address\":\"127.0.0.1\",\"target_port\":" + port + ",\"latency\":120}";
    }
}
