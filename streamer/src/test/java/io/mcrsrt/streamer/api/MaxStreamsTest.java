package io.mcrsrt.streamer.api;

import io.mcrsrt.streamer.engine.LocalStreamEngine;
import io.mcrsrt.streamer.engine.testing.Peers;
import io.mcrsrt.streamer.stream.EngineSettings;
import io.mcrsrt.streamer.stream.StreamStatus;
import io.mcrsrt.streamer.stream.StreamView;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * MAX_STREAMS through the API against the real engine, which holds the one check. Streams here take a loopback
 * multicast input nobody sends to: the refusals do not need media.
 */
class MaxStreamsTest {
    private static final String REFUSED_AT_TWO = "The maximum of 2 streams is reached (MAX_STREAMS=2). Stop a stream"
            + " first, or raise MAX_STREAMS and restart the service.";

    @TempDir
    Path root;

    private static String stream(int port, int multicastPort) {
        return "{\"input_type\":\"multicast\",\"multicast_address\":\"239.255.77.1\",\"multicast_port\":"
                + multicastPort + ",\"multicast_interface\":\"lo\",\"port\":" + port + "}";
    }

    /** A caller to a port nobody listens on: it keeps calling, and holds no port a restart would find still bound. */
    private static String caller(int targetPort, int multicastPort) {
        return "{\"input_type\":\"multicast\",\"multicast_address\":\"239.255.77.1\",\"multicast_port\":"
                + multicastPort + ",\"multicast_interface\":\"lo\",\"mode\":\"caller\",\"target_address\":"
                + "\"127.0.0.1\",\"target_port\":" + targetPort + "}";
    }

    private LocalStreamEngine engine(int maxStreams, int ports, int range) throws Exception {
        return LocalStreamEngine.open(new EngineSettings(Files.createDirectories(root.resolve("media")),
                Files.createDirectories(root.resolve("data")), maxStreams, ports, ports + range - 1, 4));
    }

    @Test
    void oneStreamOverMaxStreamsIsRefusedNamingTheLimit() throws Exception {
        int ports = Peers.freePorts(3);
        int multicast = Peers.freePort();
        try (TestService svc = new TestService(root, engine(2, ports, 3), ports, ports + 2, null, null, 2)) {
            assertThat(svc.postJson("/api/streams", stream(ports, multicast)).status()).isEqualTo(201);
            assertThat(svc.postJson("/api/streams", stream(ports + 1, multicast)).status()).isEqualTo(201);
            TestService.Reply third = svc.postJson("/api/streams", stream(ports + 2, multicast));
            assertThat(third.status()).isEqualTo(409);
            assertThat(third.json().get("error").asText()).isEqualTo(REFUSED_AT_TWO);
            assertThat(svc.engine.streams()).hasSize(2);
            svc.delete("/api/streams/" + ports);
            assertThat(svc.postJson("/api/streams", stream(ports + 2, multicast)).status()).isEqualTo(201);
        }
    }

    @Test
    void aSavedStreamOverALoweredLimitIsRefusedInTheSameWordsAndKeepsItsPlace() throws Exception {
        int ports = Peers.freePorts(3);
        int multicast = Peers.freePort();
        try (TestService svc = new TestService(root, engine(2, ports, 3), ports, ports + 2, null, null, 2)) {
            assertThat(svc.postJson("/api/streams", caller(ports, multicast)).status()).isEqualTo(201);
            assertThat(svc.postJson("/api/streams", caller(ports + 1, multicast)).status()).isEqualTo(201);
        }
        try (TestService svc = new TestService(root, engine(1, ports, 3), ports, ports + 2, null, null, 1)) {
            StreamView refused = svc.engine.streams().stream().filter(v -> v.status() == StreamStatus.START_ERROR)
                    .findFirst().orElseThrow();
            assertThat(refused.statusDetail()).startsWith("The maximum of 1 streams is reached (MAX_STREAMS=1). Stop"
                    + " a stream first, or raise MAX_STREAMS and restart the service. (saved in ");
            TestService.Reply third = svc.postJson("/api/streams", caller(ports + 2, multicast));
            assertThat(third.status()).isEqualTo(409);
            assertThat(third.json().get("error").asText()).isEqualTo("The maximum of 1 streams is reached"
                    + " (MAX_STREAMS=1): 2 listed, 1 of them not running (Start Error, Ended...) but listed until"
                    + " stopped. Stop a"
                    + " stream first, or raise MAX_STREAMS and restart the service.");
        }
    }
}
