package io.mcrsrt.streamer.api;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class MaxStreamsTest {
    @TempDir
    Path root;

    @Test
    void oneStreamOverMaxStreamsIsRefusedNamingTheLimit() throws Exception {
        try (TestService svc = new TestService(root, new FakeEngine(), 10001, 10010, null, null, 2)) {
            assertThat(svc.postJson("/api/streams", "{\"input_type\":\"colorbar_720p50\",\"port\":10001}").status())
                    .isEqualTo(201);
            assertThat(svc.postJson("/api/streams", "{\"input_type\":\"colorbar_720p50\",\"port\":10002}").status())
                    .isEqualTo(201);
            TestService.Reply third = svc.postJson("/api/streams", "{\"input_type\":\"colorbar_720p50\",\"port\":10003}");
            assertThat(third.status()).isEqualTo(409);
            assertThat(third.json().get("error").asText()).isEqualTo("The maximum of 2 streams is reached "
                    + "(MAX_STREAMS=2). Stop a stream first, or raise MAX_STREAMS and restart the service.");
            assertThat(svc.engine.streams()).hasSize(2);
            svc.delete("/api/streams/10001");
            assertThat(svc.postJson("/api/streams", "{\"input_type\":\"colorbar_720p50\",\"port\":10003}").status())
                    .isEqualTo(201);
        }
    }

    @Test
    void aStreamThatEndedKeepsItsPlaceAndTheRefusalSaysSo() throws Exception {
        FakeEngine engine = new FakeEngine();
        try (TestService svc = new TestService(root, engine, 10001, 10010, null, null, 2)) {
            svc.postJson("/api/streams", "{\"input_type\":\"colorbar_720p50\",\"port\":10001}");
            svc.postJson("/api/streams", "{\"input_type\":\"colorbar_720p50\",\"port\":10002}");
            engine.end(10002);
            TestService.Reply third = svc.postJson("/api/streams", "{\"input_type\":\"colorbar_720p50\",\"port\":10003}");
            assertThat(third.status()).isEqualTo(409);
            assertThat(third.json().get("error").asText()).isEqualTo("The maximum of 2 streams is reached "
                    + "(MAX_STREAMS=2), 1 of them not running (Start Error, Ended...) but listed until stopped. Stop a"
                    + " stream first, or raise MAX_STREAMS and restart the service.");
        }
    }
}
