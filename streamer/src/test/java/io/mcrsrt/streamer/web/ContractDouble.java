package io.mcrsrt.streamer.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.sse.SseClient;
import io.javalin.http.staticfiles.Location;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * An HTTP server that speaks the web contract between the service and the UI (pages, static files, WebJars, security
 * headers, session and CSRF cookies, the JSON routes and the server-sent events) with streams held in memory, so the
 * pages can be tested in a real browser independently of the stream engine. Stream status changes are driven by the
 * test through {@link #setStatus}. The real service is exercised by the end-to-end test.
 */
final class ContractDouble implements AutoCloseable {

    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";
    static final String USER = "operator";
    static final String PASSWORD = "correct horse battery";
    private static final Map<String, String> PAGES = Map.of(
            "/", "dashboard.html", "/caller", "caller.html", "/network_test", "network_test.html",
            "/files", "media.html", "/smpte2022_7", "smpte2022_7.html", "/login", "login.html");

    private final ObjectMapper json = new ObjectMapper();
    private final Map<Integer, Map<String, Object>> streams = new ConcurrentHashMap<>();
    private final Map<Integer, List<Map<String, Object>>> history = new ConcurrentHashMap<>();
    private final List<SseClient> eventClients = new CopyOnWriteArrayList<>();
    private final Map<SseClient, Integer> statsClients = new ConcurrentHashMap<>();
    private final Set<String> sessions = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().name("ui-test-sse").daemon(true).unstarted(r));
    private final boolean loginRequired;
    private final Javalin app;

    ContractDouble(boolean loginRequired) {
        this.loginRequired = loginRequired;
        this.app = Javalin.create(config -> {
            config.staticFiles.add(sf -> {
                sf.hostedPath = "/static";
                sf.directory = "/web";
                sf.location = Location.CLASSPATH;
            });
            config.staticFiles.enableWebjars();
            config.routes.before(this::securityHeaders);
            PAGES.forEach((path, file) -> config.routes.get(path, ctx -> page(ctx, file)));
            config.routes.get("/stream/{key}", ctx -> page(ctx, "stream.html"));
            config.routes.get("/pair/{key}", ctx -> page(ctx, "pair.html"));
            config.routes.post("/login", this::login);
            config.routes.get("/logout", ctx -> {
                if (validSession(ctx.cookie("mcr_session"))) {
                    sessions.remove(ctx.cookie("mcr_session"));
                }
                ctx.redirect("/login?logged_out=1");
            });
            config.routes.before("/api/*", this::authorise);
            config.routes.get("/api/streams", ctx -> ctx.json(streamsPayload()));
            config.routes.post("/api/streams", this::startStream);
            config.routes.delete("/api/streams/{key}", this::stopStream);
            config.routes.get("/api/stats/{key}", ctx -> ctx.json(stats(stream(ctx))));
            config.routes.get("/api/debug/{key}", ctx -> ctx.json(map("key", stream(ctx).get("key"),
                    "hist", List.of(map("timestamp_millis", System.currentTimeMillis(), "kind", "started",
                            "detail", "Stream started")))));
            config.routes.get("/api/streams/{key}/history", ctx -> ctx.json(map("key", stream(ctx).get("key"),
                    "samples", history.getOrDefault(Integer.parseInt(ctx.pathParam("key")), List.of()))));
            config.routes.get("/api/system/status", ctx -> ctx.json(system()));
            config.routes.get("/api/media", ctx -> ctx.json(List.of(
                    map("name", "news.ts", "size", 15_000_000, "duration_seconds", 60),
                    map("name", "promo/trailer.ts", "size", 4_200_000, "duration_seconds", 12.5))));
            config.routes.get("/api/media/{file}/info", ctx -> ctx.json(map("media", map("track", List.of(
                    map("@type", "General", "Format", "MPEG-TS", "Duration", "60.000"),
                    map("@type", "Video", "Format", "AVC", "Width", "1280", "Height", "720", "FrameRate", "50.000"),
                    map("@type", "Audio", "Format", "AAC", "Channels", "2", "SamplingRate", "48000"))))));
            config.routes.get("/api/iptv-channels", ctx -> ctx.json(List.of(
                    map("name", "News HD", "address", "239.1.1.1", "port", 5000))));
            config.routes.get("/api/network/interfaces", ctx -> ctx.json(List.of(
                    map("name", "lo", "addresses", List.of("127.0.0.1"), "up", true, "multicast", false))));
            config.routes.get("/api/network-test/servers", ctx -> ctx.json(List.of(
                    map("IP_HOST", "iperf3 -c iperf.example", "CONTINENT", "Europe"))));
            config.routes.post("/api/network-test", this::networkTest);
            config.routes.sse("/api/events", client -> {
                client.keepAlive();
                eventClients.add(client);
                client.onClose(() -> eventClients.remove(client));
                send(client, "streams", streamsPayload());
                send(client, "system", system());
            });
            config.routes.sse("/api/streams/{key}/events", client -> {
                client.keepAlive();
                statsClients.put(client, Integer.parseInt(client.ctx().pathParam("key")));
                client.onClose(() -> statsClients.remove(client));
            });
            config.routes.exception(NotFound.class, (e, ctx) -> ctx.status(404).json(map("error", e.getMessage())));
        });
    }

    /** Starts on a free loopback port; returns the base URL. */
    String start() {
        app.start("127.0.0.1", 0);
        ticker.scheduleAtFixedRate(this::tick, 1, 1, TimeUnit.SECONDS);
        return "http://127.0.0.1:" + app.port();
    }

    /** Changes a stream's status as the engine would, e.g. to {@code Connected} when a caller arrives. */
    void setStatus(int key, String status) {
        Map<String, Object> s = streams.get(key);
        if (s != null) {
            s.put("connection_status", status);
            s.put("client_ip", "Connected".equals(status) ? "127.0.0.1:40312" : null);
            broadcast("streams", streamsPayload());
        }
    }

    boolean has(int key) {
        return streams.containsKey(key);
    }

    @Override
    public void close() {
        ticker.shutdownNow();
        eventClients.forEach(SseClient::close);
        statsClients.keySet().forEach(SseClient::close);
        app.stop();
    }

    private void securityHeaders(Context ctx) {
        ctx.header("Content-Security-Policy", CSP);
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("Referrer-Policy", "same-origin");
    }

    private void page(Context ctx, String file) throws IOException {
        boolean loggedIn = validSession(ctx.cookie("mcr_session"));
        if (!file.equals("login.html")) {
            if (loginRequired && !loggedIn) {
                ctx.redirect("/login?next=" + ctx.path());
                return;
            }
            if (!loggedIn) {
                issueSession(ctx);
            }
        }
        try (InputStream in = getClass().getResourceAsStream("/web/pages/" + file)) {
            ctx.contentType("text/html; charset=utf-8").result(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    private boolean validSession(String session) {
        return session != null && sessions.contains(session);
    }

    private void issueSession(Context ctx) {
        String session = UUID.randomUUID().toString();
        sessions.add(session);
        ctx.res().addHeader("Set-Cookie", "mcr_session=" + session + "; Path=/; HttpOnly; SameSite=Strict");
        ctx.res().addHeader("Set-Cookie", "mcr_csrf=" + csrfFor(session) + "; Path=/; SameSite=Strict");
    }

    private static String csrfFor(String session) {
        return UUID.nameUUIDFromBytes(session.getBytes(StandardCharsets.UTF_8)).toString();
    }

    private void login(Context ctx) {
        String next = ctx.formParam("next");
        if (next == null || !next.startsWith("/") || next.startsWith("//")) {
            next = "/";
        }
        if (USER.equals(ctx.formParam("username")) && PASSWORD.equals(ctx.formParam("password"))) {
            issueSession(ctx);
            ctx.redirect(next);
        } else {
            ctx.redirect("/login?error=1&next=" + java.net.URLEncoder.encode(next, StandardCharsets.UTF_8));
        }
    }

    private void authorise(Context ctx) {
        String session = ctx.cookie("mcr_session");
        if (!validSession(session)) {
            ctx.status(401).json(map("error", "Log in or send an X-API-Key header."));
            ctx.skipRemainingHandlers();
            return;
        }
        boolean change = !ctx.method().name().equals("GET");
        if (change && !csrfFor(session).equals(ctx.header("X-CSRF-Token"))) {
            ctx.status(403).json(map("error", "Missing or invalid CSRF token"));
            ctx.skipRemainingHandlers();
        }
    }

    private void startStream(Context ctx) throws IOException {
        JsonNode body = json.readTree(ctx.body());
        Map<String, String> details = new LinkedHashMap<>();
        String mode = body.path("mode").asText("listener");
        int latency = body.path("latency").asInt(300);
        if (latency < 20 || latency > 8000) {
            details.put("latency", "SRT Latency must be an integer between 20 and 8000.");
        }
        String encryption = body.path("encryption").asText("none");
        if (!encryption.equals("none")) {
            int length = body.path("passphrase").asText("").length();
            if (length < 10 || length > 79) {
                details.put("passphrase", "Passphrase must be a string between 10 and 79 characters.");
            }
        }
        int key;
        if (mode.equals("listener")) {
            key = body.path("port").asInt(0);
            if (key < 10001 || key > 10010) {
                details.put("port", "Listener requires a 'port' between 10001 and 10010.");
            }
        } else {
            key = body.path("target_port").asInt(0);
            if (key < 1 || key > 65535) {
                details.put("target_port", "Caller requires a 'target_port' between 1 and 65535.");
            }
            if (body.path("target_address").asText("").isBlank()) {
                details.put("target_address",
                        "Caller requires a 'target_address': a host name or IP address of at most 255 characters.");
            }
        }
        if (!details.isEmpty()) {
            ctx.status(400).json(map("error", "Validation failed", "details", details));
            return;
        }
        Map<String, Object> s = new ConcurrentHashMap<>();
        s.put("key", key);
        s.put("mode", mode);
        s.put("connection_status", mode.equals("listener") ? "Waiting for connection" : "Connecting...");
        s.put("input_type", body.path("input_type").asText());
        s.put("source_detail", "Colour bars 720p50");
        s.put("latency", latency);
        s.put("overhead_bandwidth", body.path("overhead_bandwidth").asInt(2));
        s.put("encryption", encryption);
        s.put("passphrase_set", !encryption.equals("none"));
        s.put("uptime", "0s");
        if (mode.equals("listener")) {
            s.put("port", key);
        } else {
            s.put("target", body.path("target_address").asText() + ":" + key);
        }
        s.put("config", map("mode", mode, "input_type", body.path("input_type").asText(), "latency", latency));
        streams.put(key, s);
        List<Map<String, Object>> samples = new ArrayList<>();
        long now = System.currentTimeMillis();
        for (int i = 30; i > 0; i--) {
            samples.add(sample(now - i * 1000L, 30 - i));
        }
        history.put(key, new CopyOnWriteArrayList<>(samples));
        broadcast("streams", streamsPayload());
        ctx.status(201).json(map("message", "Stream started on key " + key, "stream_key", key,
                "status", "starting"));
    }

    private void stopStream(Context ctx) {
        int key = Integer.parseInt(ctx.pathParam("key"));
        if (streams.remove(key) == null) {
            ctx.status(404).json(map("error", "Stream " + key + " not found or already stopped."));
            return;
        }
        statsClients.forEach((client, k) -> {
            if (k == key) {
                send(client, "end", map("key", key));
            }
        });
        broadcast("streams", streamsPayload());
        ctx.json(map("message", "Stream " + key + " stop initiated.", "status", "stopping"));
    }

    private void networkTest(Context ctx) throws IOException {
        JsonNode body = json.readTree(ctx.body());
        if (body.path("mode").asText().equals("manual") && body.path("manual_host").asText().isBlank()) {
            ctx.status(400).json(map("error", "Validation failed",
                    "details", map("manual_host", "Manual mode requires a host name or IP address.")));
            return;
        }
        ctx.json(map("server", "127.0.0.1", "server_location", "Loopback", "rtt_ms", 24.0, "loss_percent", 2.0,
                "jitter_ms", 0.4, "bandwidth_mbps", 95.0, "bandwidth_type", "UDP", "latency_recommendation", 96,
                "overhead_recommendation", 25, "rtt_multiplier", 4, "test_time", "2026-01-01 12:00:00 UTC",
                "recommendation", map("latency_ms", 96, "overhead_percent", 25, "rtt_multiplier", 4,
                        "loss_used_percent", 2.0, "loss_measured", true,
                        "explanation", "2 % loss: 4 x 24 ms RTT = 96 ms latency, 25 % overhead.",
                        "warnings", List.of())));
    }

    private Map<String, Object> stream(Context ctx) {
        String raw = ctx.pathParam("key");
        Map<String, Object> s = raw.matches("\\d{1,5}") ? streams.get(Integer.parseInt(raw)) : null;
        if (s == null) {
            throw new NotFound("Stream " + raw + " not found");
        }
        return s;
    }

    private Map<String, Object> streamsPayload() {
        Map<String, Object> data = new LinkedHashMap<>();
        streams.keySet().stream().sorted().forEach(k -> data.put(String.valueOf(k), streams.get(k)));
        return map("data", data);
    }

    private Map<String, Object> stats(Map<String, Object> s) {
        int key = (Integer) s.get("key");
        List<Map<String, Object>> h = history.getOrDefault(key, List.of());
        Map<String, Object> stats = new LinkedHashMap<>(h.isEmpty() ? sample(System.currentTimeMillis(), 0)
                : h.getLast());
        stats.put("connection_status", s.get("connection_status"));
        stats.put("connected_client", s.get("client_ip"));
        stats.put("uptime", s.get("uptime"));
        stats.put("config", s.get("config"));
        return stats;
    }

    private static Map<String, Object> sample(long at, int n) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("timestamp_millis", at);
        m.put("bitrate_mbps", 4.6 + (n % 5) * 0.05);
        m.put("rtt_ms", 0.3 + (n % 3) * 0.1);
        m.put("loss_rate", 0.0);
        m.put("packet_loss_percent", n % 7 == 0 ? 0.1 : 0.0);
        m.put("packets_sent_total", 430L * n);
        m.put("packets_lost_total", n / 7);
        m.put("packets_retransmitted_total", n / 3);
        m.put("bytes_sent_total", 430L * 1316 * n);
        m.put("estimated_bandwidth_mbps", 950.0);
        m.put("send_buffer_level_ms", 12);
        m.put("negotiated_latency_ms", 300);
        return m;
    }

    private static Map<String, Object> system() {
        return map("cpu_usage", 12.5, "memory_total", "15.5 GB", "memory_used", "3.1 GB", "memory_percent", 20,
                "disk_total", "100 GB", "disk_used", "40 GB", "disk_percent", 40, "external_ip", "127.0.0.1",
                "utc_time", "2026-01-01 12:00:00 UTC", "current_user", "mcr", "uptime", "1h 0s",
                "network", map("bytes_sent", 1000, "bytes_recv", 2000, "packets_sent", 10, "packets_recv", 20));
    }

    private void tick() {
        try {
            long now = System.currentTimeMillis();
            for (var e : history.entrySet()) {
                if (streams.containsKey(e.getKey())) {
                    List<Map<String, Object>> h = e.getValue();
                    h.add(sample(now, h.size()));
                }
            }
            statsClients.forEach((client, key) -> {
                Map<String, Object> s = streams.get(key);
                if (s != null) {
                    send(client, "stats", stats(s));
                }
            });
            broadcast("streams", streamsPayload());
            broadcast("system", system());
        } catch (RuntimeException e) {
            // The next tick tries again; a test double must not die on one failed send.
        }
    }

    private void broadcast(String event, Object data) {
        eventClients.forEach(c -> send(c, event, data));
    }

    private void send(SseClient client, String event, Object data) {
        try {
            if (!client.terminated()) {
                client.sendEvent(event, json.writeValueAsString(data));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final class NotFound extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NotFound(String message) {
            super(message);
        }
    }

    private static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }
}
