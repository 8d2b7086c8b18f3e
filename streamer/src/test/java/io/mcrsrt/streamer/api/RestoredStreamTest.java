package io.mcrsrt.streamer.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.mcrsrt.streamer.engine.LocalStreamEngine;
import io.mcrsrt.streamer.engine.store.StreamStore;
import io.mcrsrt.streamer.engine.testing.Peers;
import io.mcrsrt.streamer.engine.testing.TestMedia;
import io.mcrsrt.streamer.stream.EngineSettings;
import io.mcrsrt.streamer.stream.Encryption;
import io.mcrsrt.streamer.stream.InputSpec;
import io.mcrsrt.streamer.stream.Mode;
import io.mcrsrt.streamer.stream.StreamConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A saved stream that cannot start after a restart is listed by the API with the reason, and DELETE forgets it. */
class RestoredStreamTest {
    @TempDir
    Path root;

    @Test
    void aSavedStreamWhoseFileIsGoneIsListedWithTheReasonAndDeleteForgetsIt() throws Exception {
        Path media = Files.createDirectories(root.resolve("media"));
        Path data = root.resolve("engine-data");
        Files.copy(TestMedia.shortClip(), media.resolve("news.ts"));
        int key = Peers.freePort();
        EngineSettings settings = new EngineSettings(media, data, 8, 10001, 10010, 4);
        try (LocalStreamEngine engine = LocalStreamEngine.open(settings)) {
            engine.start(new StreamConfig(Mode.CALLER, new InputSpec.File("news.ts", true), null, "127.0.0.1", key,
                    200, 10, Encryption.NONE, null, false, 30, false, null));
        }
        Files.delete(media.resolve("news.ts"));

        try (TestService svc = new TestService(root, LocalStreamEngine.open(settings), 10001, 10010, null, null)) {
            JsonNode listed = svc.get("/api/streams").json().path("data").path(String.valueOf(key));
            assertThat(listed.path("connection_status").asText()).isEqualTo("Start Error");
            assertThat(listed.path("status_detail").asText()).contains("File news.ts not found in the media folder")
                    .contains("it starts by itself within 5 s once this is fixed");

            TestService.Reply deleted = svc.delete("/api/streams/" + key);
            assertThat(deleted.status()).as(deleted.body()).isEqualTo(200);
            assertThat(svc.get("/api/streams").json().path("data").has(String.valueOf(key))).isFalse();
            assertThat(new StreamStore(data).load().streams()).isEmpty();
        }
    }
}
