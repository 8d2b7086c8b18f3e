package io.mcrsrt.streamer.api;

import io.mcrsrt.streamer.config.Secrets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/** A feature's route group plugs in with one line and gets security, error mapping and a close hook. */
class RouteGroupTest {
    @TempDir
    Path root;

    @Test
    void aRouteGroupIsBehindTheApiKeyMapsRefusalsAndIsClosedWithTheServer() throws Exception {
        AtomicBoolean closed = new AtomicBoolean();
        RouteGroup group = (router, ctx) -> {
            router.get("/api/example", c -> c.json(List.of(ctx.config().networkTest().mechanism().wireName())));
            router.post("/api/example", c -> {
                throw new ApiException(400, "Validation failed", java.util.Map.of("host", "Host is required."));
            });
            router.post("/api/example/typed", c -> c.json(c.bodyAsClass(java.util.Map.class)));
            router.onClose(() -> closed.set(true));
        };
        try (TestService base = TestService.withFakeEngine(root)) {
            ApiServer server = ApiServer.start(base.config, Secrets.load(base.config), base.engine, List.of(group));
            try {
                HttpClient http = HttpClient.newHttpClient();
                String url = "http://127.0.0.1:" + server.port() + "/api/example";
                HttpResponse<String> noKey = http.send(HttpRequest.newBuilder(URI.create(url)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(noKey.statusCode()).isEqualTo(401);
                HttpResponse<String> ok = http.send(HttpRequest.newBuilder(URI.create(url))
                        .header("X-API-Key", TestService.API_KEY).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(ok.statusCode()).isEqualTo(200);
                assertThat(ok.body()).isEqualTo("[\"ping_only\"]");
                HttpResponse<String> refused = http.send(HttpRequest.newBuilder(URI.create(url))
                        .header("X-API-Key", TestService.API_KEY).POST(HttpRequest.BodyPublishers.noBody()).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(refused.statusCode()).isEqualTo(400);
                assertThat(refused.body()).isEqualTo("{\"error\":\"Validation failed\",\"details\":{\"host\":\"Host is required.\"}}");
                HttpResponse<String> badJson = http.send(HttpRequest.newBuilder(URI.create(url + "/typed"))
                        .header("X-API-Key", TestService.API_KEY).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"a\":")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(badJson.statusCode()).as(badJson.body()).isEqualTo(400);
                assertThat(badJson.body()).contains("No JSON data provided");
                assertThat(server.routes()).contains(new ApiRoutes.Route("GET", "/api/example"),
                        new ApiRoutes.Route("POST", "/api/example"));
            } finally {
                server.close();
            }
            assertThat(closed).isTrue();
        }
    }
}
