package io.mcrsrt.streamer.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.staticfiles.Location;
import io.mcrsrt.streamer.nettest.Mechanism;
import io.mcrsrt.streamer.nettest.NetworkTestRequest;
import io.mcrsrt.streamer.security.WebSecurity;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Serves the network test page with its two routes as the web contract defines them (POST /api/network-test, GET
 * /api/network-test/servers), with the session and CSRF cookies and the security headers, so the page can be tested
 * before the service carries those routes. A request is checked as the service checks it ({@link NetworkTestRequest}),
 * with its messages; one that passes is answered in the network test's result format, like a 2 % loss, 24 ms path,
 * naming the server and the mechanism as the service does (a manual host as HOST:PORT, whatever the mechanism).
 */
final class NetworkTestRouteDouble implements AutoCloseable {
    private final ObjectMapper json = new ObjectMapper();
    private final String csrf = UUID.randomUUID().toString();
    private final Javalin app;
    volatile JsonNode lastRequest;

    NetworkTestRouteDouble() {
        app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.staticFiles.add(sf -> {
                sf.hostedPath = "/static";
                sf.directory = "/web";
                sf.location = Location.CLASSPATH;
            });
            config.staticFiles.enableWebjars();
            config.routes.before(WebSecurity::applySecurityHeaders);
            config.routes.get("/network_test", this::page);
            config.routes.get("/api/network-test/servers", ctx -> ctx.json(List.of(
                    Map.of("IP_HOST", "iperf3 -c iperf.example.net", "CONTINENT", "Europe"),
                    Map.of("IP_HOST", "iperf3 -c iperf.example.org -p 5202", "CONTINENT", "North America"))));
            config.routes.post("/api/network-test", this::networkTest);
        });
    }

    /** Starts on a free loopback port; returns the base URL. */
    String start() {
        app.start("127.0.0.1", 0);
        return "http://127.0.0.1:" + app.port();
    }

    private void page(Context ctx) {
        ctx.res().addHeader("Set-Cookie", "mcr_session=s; Path=/; HttpOnly; SameSite=Strict");
        ctx.res().addHeader("Set-Cookie", "mcr_csrf=" + csrf + "; Path=/; SameSite=Strict");
        ctx.contentType("text/html; charset=utf-8").result(io.mcrsrt.streamer.api.PageTemplates.render(
                "network_test.html"));
    }

    private void networkTest(Context ctx) throws IOException {
        if (!csrf.equals(ctx.header("X-CSRF-Token"))) {
            ctx.status(403).json(Map.of("error", "Missing or invalid CSRF token"));
            return;
        }
        JsonNode body = json.readTree(ctx.body());
        lastRequest = body;
        // the service's own checks and messages, as its route makes them
        Map<String, String> errors = new java.util.LinkedHashMap<>();
        NetworkTestRequest request = NetworkTestRequest.fromJson(body, errors).withDefaults(Mechanism.IPERF);
        request.validate().forEach(errors::putIfAbsent);
        if (!errors.isEmpty()) {
            ctx.status(400).json(Map.of("error", "Invalid network test request.", "details", errors));
            return;
        }
        Map<String, Object> result = new java.util.LinkedHashMap<>();
        result.put("server", "manual".equals(request.mode())
                ? io.mcrsrt.streamer.stream.StreamConfig.hostPort(request.manualHost(), request.manualPort())
                : "iperf.example.org:5202");
        result.put("server_location", "Loopback");
        result.put("rtt_ms", 24.0);
        result.put("loss_percent", 2.0);
        result.put("jitter_ms", 0.4);
        result.put("bandwidth_mbps", 95.0);
        result.put("bandwidth_type", "udp");
        result.put("latency_recommendation", 96);
        result.put("overhead_recommendation", 25);
        result.put("rtt_multiplier", 4);
        result.put("test_time", "2026-01-01 12:00:00 UTC");
        result.put("error", null);
        result.put("explanation", "2 % loss: 4 x 24 ms RTT = 96 ms latency, 25 % overhead.");
        result.put("warnings", List.of("Loss measured over 5 s only."));
        result.put("mechanism", Mechanism.of(request.mechanism()).wireName());
        result.put("loss_measured", true);
        result.put("retransmit_percent", null);
        ctx.json(result);
    }

    @Override
    public void close() {
        app.stop();
    }
}
