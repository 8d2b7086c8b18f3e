package io.mcrsrt.streamer.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mcrsrt.streamer.config.AppConfig;
import io.mcrsrt.streamer.nettest.NetworkTestSettings;
import io.mcrsrt.streamer.config.Secrets;
import io.mcrsrt.streamer.stream.StreamEngine;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** A running service on a free loopback port with temporary folders, and a small HTTP client for it. */
final class TestService implements AutoCloseable {
    static final String API_KEY = "test-api-key-0123456789";
    static final ObjectMapper JSON = new ObjectMapper();

    final Path root;
    final AppConfig config;
    final StreamEngine engine;
    final ApiServer server;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    record Reply(int status, String body, java.net.http.HttpHeaders headers) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }
    }

    TestService(Path root, StreamEngine engine, int portMin, int portMax, String user, String hash) throws IOException {
        this(root, engine, portMin, portMax, user, hash, 64);
    }

    TestService(Path root, StreamEngine engine, int portMin, int portMax, String user, String hash, int maxStreams)
            throws IOException {
        this(root, engine, portMin, portMax, user, hash, maxStreams, null);
    }

    TestService(Path root, StreamEngine engine, int portMin, int portMax, String user, String hash, int maxStreams,
            String metricsToken) throws IOException {
        this(root, engine, portMin, portMax, user, hash, maxStreams, metricsToken,
                AppConfig.DEFAULT_HTTP_MAX_CONNECTIONS);
    }

    TestService(Path root, StreamEngine engine, int portMin, int portMax, String user, String hash, int maxStreams,
            String metricsToken, int httpMaxConnections) throws IOException {
        this(root, engine, portMin, portMax, user, hash, maxStreams, metricsToken, httpMaxConnections,
                ConnectionCap.IDLE_TIMEOUT_MILLIS);
    }

    /** With an idle connection staying open this long below the cap, instead of 30 s. */
    TestService(Path root, StreamEngine engine, int portMin, int portMax, String user, String hash, int maxStreams,
            String metricsToken, int httpMaxConnections, long idleTimeoutMillis) throws IOException {
        this(root, engine, portMin, portMax, user, hash, maxStreams, metricsToken, httpMaxConnections,
                idleTimeoutMillis, RequestReadDeadline.DEADLINE_MILLIS);
    }

    /** With a client given this long to send one request, instead of 10 s. */
    TestService(Path root, StreamEngine engine, int portMin, int portMax, String user, String hash, int maxStreams,
            String metricsToken, int httpMaxConnections, long idleTimeoutMillis, long requestReadDeadlineMillis)
            throws IOException {
        this.root = root;
        Path media = Files.createDirectories(root.resolve("media"));
        Path data = Files.createDirectories(root.resolve("data"));
        this.config = new AppConfig("127.0.0.1", 0, media, data, root.resolve("logs"), maxStreams, portMin, portMax, 8,
                NetworkTestSettings.defaults(), API_KEY, "test-secret-key-0123456789", user, hash,
                data.resolve("iptv_channels.json"), metricsToken, null, httpMaxConnections);
        this.engine = engine;
        this.server = ApiServer.start(config, Secrets.load(config), engine, ApiRoutes.GROUPS, idleTimeoutMillis,
                requestReadDeadlineMillis);
    }

    static TestService withFakeEngine(Path root) throws IOException {
        return new TestService(root, new FakeEngine(), 10001, 10010, null, null);
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30));
    }

    Reply send(HttpRequest request) {
        try {
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Reply(r.statusCode(), r.body(), r.headers());
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    Reply get(String path) {
        return send(request(path).header("X-API-Key", API_KEY).GET().build());
    }

    Reply delete(String path) {
        return send(request(path).header("X-API-Key", API_KEY).DELETE().build());
    }

    Reply postJson(String path, String body) {
        return send(request(path).header("X-API-Key", API_KEY).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    Reply postJson(String path, Map<String, ?> body) {
        try {
            return postJson(path, JSON.writeValueAsString(body));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() {
        server.close();
        engine.close();
    }
}
