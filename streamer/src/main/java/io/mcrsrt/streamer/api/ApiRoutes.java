package io.mcrsrt.streamer.api;

import com.fasterxml.jackson.core.JacksonException;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HttpResponseException;
import io.javalin.http.sse.SseClient;
import io.javalin.router.Endpoint;
import io.mcrsrt.streamer.nettest.NetworkTestRoutes;
import io.mcrsrt.streamer.security.WebSecurity;
import io.mcrsrt.streamer.stream.StreamException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every route of the service, registered here in one place, with the security filter and the one mapper from refusals
 * ({@link ApiException}, {@link StreamException}, Javalin's own) to JSON errors. Feature route groups plug in through
 * {@link #GROUPS}.
 */
public final class ApiRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(ApiRoutes.class);

    /** Largest request body accepted (64 KiB). */
    public static final long MAX_BODY_BYTES = 64 * 1024;
    /**
     * A refused body up to this size is read and thrown away before the 413 goes out: closing a connection with
     * unread data resets it, and the client may then lose the answer that says what was wrong.
     */
    static final long MAX_DRAINED_BYTES = 1024 * 1024;

    /** Route groups owned by other features, registered after the core routes. Add one line per feature. */
    static final List<RouteGroup> GROUPS = List.of(new NetworkTestRoutes(), new PairRoutes());

    /**
     * The routes anyone may call: the pages (they ask for a login themselves when one is configured), the login,
     * {@code /health}, and {@code /metrics} (guarded by its own {@code METRICS_TOKEN}). Every other route, including
     * every route a {@link RouteGroup} adds, needs the API key or a UI session.
     */
    static final Set<String> PUBLIC_ROUTES = Set.of("/", "/caller", "/stream/{key}", "/network_test", "/files",
            "/smpte2022_7", "/pair/{key}", "/login", "/logout", "/health", "/metrics");

    /** A registered route: method and path as Javalin spells it. */
    public record Route(String method, String path) {
    }

    private final ServiceContext ctx;
    private final EventsHub events;
    private final List<Route> routes = new ArrayList<>();
    /** The event-stream routes, as registered: Javalin gives them their own Cache-Control. */
    private final Set<String> eventStreamRoutes = new HashSet<>();
    private final List<AutoCloseable> resources = new ArrayList<>();

    private final List<RouteGroup> groups;
    /** Sent on every answer, and put in every page, so that a page open across an upgrade can tell. */
    private final BuildId build;

    ApiRoutes(ServiceContext ctx, EventsHub events, List<RouteGroup> groups, BuildId build) {
        this.ctx = ctx;
        this.events = events;
        this.groups = List.copyOf(groups);
        this.build = build;
    }

    /** Closes what route groups registered with {@link Router#onClose}, last first, logging what fails. */
    void closeResources() {
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
            } catch (Exception e) {
                LOG.warn("Closing {} failed: {}", resources.get(i), e.toString());
            }
        }
        resources.clear();
    }

    /** The routes registered so far, in order. */
    List<Route> routes() {
        return List.copyOf(routes);
    }

    void register(RoutesConfig config) {
        Router r = recording(config);
        StreamHandlers streams = new StreamHandlers(ctx);
        SystemHandlers system = new SystemHandlers(ctx);
        PageHandlers pages = new PageHandlers(ctx, build);

        config.before(this::limits);
        config.beforeMatched(this::authorise);

        r.get("/health", pages::health);
        r.get("/metrics", this::metrics);
        r.get("/api/openapi.json", this::openApi);

        r.get("/api/streams", streams::list);
        r.post("/api/streams", streams::start);
        r.get("/api/streams/{key}", streams::stats);
        r.delete("/api/streams/{key}", streams::stop);
        r.get("/api/stats/{key}", streams::stats);
        r.get("/api/debug/{key}", streams::debug);
        r.get("/api/streams/{key}/history", streams::history);
        r.get("/api/streams/{key}/scte35", streams::scte35);
        r.sse("/api/streams/{key}/events", events::stream);
        // Refused before the event stream's 200 and text/event-stream headers go out, as plain JSON.
        config.beforeMatched("/api/streams/{key}/events", c -> StreamHandlers.parseKey(c.pathParam("key"),
                "Invalid key format: " + c.pathParam("key")));
        r.sse("/api/events", events::streams);

        r.get("/api/system/status", system::status);
        r.get("/api/network/interfaces", system::interfaces);
        r.get("/api/iptv-channels", system::iptvChannels);
        r.get("/api/media", system::media);
        r.get("/api/media/<file>/info", system::mediaInfo);
        r.get("/media", system::mediaCompat);
        r.get("/media_info/<file>", system::mediaInfo);

        r.get("/", pages.page("dashboard.html"));
        r.get("/caller", pages.page("caller.html"));
        r.get("/stream/{key}", pages.page("stream.html"));
        r.get("/network_test", pages.page("network_test.html"));
        r.get("/files", pages.page("media.html"));
        r.get("/smpte2022_7", pages.page("smpte2022_7.html"));
        r.get("/pair/{key}", pages.page("pair.html"));
        r.get("/login", pages::loginPage);
        r.post("/login", pages::login);
        r.get("/logout", pages::logoutPage);
        r.post("/logout", pages::logout);

        for (RouteGroup group : groups) {
            group.register(r, ctx);
        }

        config.exception(ApiException.class, (e, c) -> error(c, e.status(), e.getMessage(), e.details()));
        config.exception(StreamException.class, (e, c) -> error(c, status(e.reason()), e.getMessage(), null));
        config.exception(HttpResponseException.class, (e, c) -> error(c, e.getStatus(), httpMessage(e), null));
        config.exception(JacksonException.class, (e, c) -> error(c, 400, "No JSON data provided",
                Map.of("body", "The body is not the JSON this route expects"
                        + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column "
                        + e.getLocation().getColumnNr() + ")") + ". See /api/openapi.json.")));
        config.exception(Exception.class, (e, c) -> {
            String request = describe(c);
            if (request == null) {
                // the request had ended (an event stream whose client left, the server stopping): nothing failed
                LOG.debug("A request ended before its answer was written: {}", e.toString());
                return;
            }
            LOG.error("Unexpected failure on {}", request, e);
            try {
                error(c, 500, "Internal error: " + e.getClass().getSimpleName()
                        + ". The service log has the details.", null);
            } catch (RuntimeException gone) {
                // the request ended (a closed event stream): nothing left to answer
            }
        });
    }

    private Router recording(RoutesConfig config) {
        return new Router() {
            @Override
            public void get(String path, Handler handler) {
                routes.add(new Route("GET", path));
                config.get(path, handler);
            }

            @Override
            public void post(String path, Handler handler) {
                routes.add(new Route("POST", path));
                config.post(path, handler);
            }

            @Override
            public void delete(String path, Handler handler) {
                routes.add(new Route("DELETE", path));
                config.delete(path, handler);
            }

            @Override
            public void sse(String path, Consumer<SseClient> client) {
                routes.add(new Route("GET", path));
                eventStreamRoutes.add(path);
                config.beforeMatched(path, ApiRoutes::requireEventStreamAccept);
                config.sse(path, client);
            }

            @Override
            public void onClose(AutoCloseable resource) {
                resources.add(resource);
            }
        };
    }

    /** Security headers, the build id and the body size limit, on every request, matched or not. */
    private void limits(Context c) {
        WebSecurity.applySecurityHeaders(c);
        c.header(BuildId.HEADER, build.value());
        if (c.contentLength() > MAX_BODY_BYTES) {
            if (c.contentLength() <= MAX_DRAINED_BYTES) {
                drain(c);
            }
            throw tooLarge();
        }
    }

    /**
     * API key or session (plus CSRF on state changes) for every route that is not {@link #PUBLIC_ROUTES public}.
     * Decided by the route Javalin matched, not by how the path was spelled: {@code /media/} or
     * {@code /api/streams/} reach the same handler as {@code /media} and {@code /api/streams}, so they get the same
     * check. A route group's routes are protected without having to say so.
     */
    private void authorise(Context c) {
        Endpoint matched = c.endpoints().matchedHttpEndpoint();
        if (isPublic(matched == null ? null : matched.path, c.method().name(), c.path())) {
            return;
        }
        switch (ctx.security().check(c)) {
            case ALLOWED -> {
            }
            case UNAUTHENTICATED -> throw new ApiException(401, "Authentication required: send the API key in "
                    + "header X-API-Key (see API_KEY or DATA_DIR/api_key), or sign in to the web UI.");
            case CSRF_FAILED -> throw new ApiException(403, "Missing or invalid CSRF token");
        }
        if (matched == null || !eventStreamRoutes.contains(matched.path)) {
            c.header("Cache-Control", "no-store");
        }
    }

    /**
     * Refuses an event-stream request that does not accept {@code text/event-stream}: Javalin would answer it with an
     * empty 200, which looks like a stream that ended at once.
     */
    private static void requireEventStreamAccept(Context c) {
        String accept = c.header("Accept");
        if (accept == null || !accept.contains("text/event-stream")) {
            throw new ApiException(406, "This route is a server-sent event stream: send the header Accept:"
                    + " text/event-stream (curl -N -H 'Accept: text/event-stream' ...; a browser's EventSource sends"
                    + " it)", Map.of("Accept", accept == null ? "(none)" : accept));
        }
    }

    /**
     * Whether a request needs no key or session.
     *
     * @param route the matched route as registered ({@code /stream/{key}}), or null when no handler of ours will run:
     *              a static file or webjar, or a HEAD request that Javalin answers for a GET route without running it
     * @param method the request method
     * @param path   the request path as sent
     */
    static boolean isPublic(String route, String method, String path) {
        if (route != null) {
            return PUBLIC_ROUTES.contains(route);
        }
        if (path.startsWith("/static/") || path.startsWith("/webjars/")) {
            return true;
        }
        // A HEAD answer has no body; still refuse it on protected routes, so that it does not tell who may look.
        return method.equals("HEAD") && PUBLIC_ROUTES.stream().anyMatch(r -> sameShape(r, path));
    }

    /** Whether a path has the segments of a route, one segment per path parameter, ignoring trailing slashes. */
    private static boolean sameShape(String route, String path) {
        String p = path.replaceAll("/+$", "");
        String r = route.equals("/") ? "" : route;
        String[] rs = r.split("/", -1);
        String[] ps = p.split("/", -1);
        if (rs.length != ps.length) {
            return false;
        }
        for (int i = 0; i < rs.length; i++) {
            boolean param = rs[i].startsWith("{") || rs[i].startsWith("<");
            if (param ? ps[i].isEmpty() : !rs[i].equals(ps[i])) {
                return false;
            }
        }
        return true;
    }

    private void metrics(Context c) {
        String token = ctx.config().metricsToken();
        if (token != null) {
            String auth = c.header("Authorization");
            String key = c.header(WebSecurity.API_KEY_HEADER);
            boolean ok = (auth != null && MessageDigest.isEqual(("Bearer " + token).getBytes(StandardCharsets.UTF_8),
                    auth.getBytes(StandardCharsets.UTF_8))) || (key != null && ctx.security().apiKeyMatches(key));
            if (!ok) {
                throw new ApiException(401, "Metrics need header 'Authorization: Bearer <METRICS_TOKEN>'.");
            }
        }
        c.contentType("text/plain; version=0.0.4; charset=utf-8").result(ctx.metrics().scrape());
    }

    private void openApi(Context c) {
        c.contentType("application/json").result(OpenApiDocument.json());
    }

    /** "GET /api/streams", or null when the request has ended and its context can no longer say. */
    private static String describe(Context c) {
        try {
            return c.method() + " " + c.path();
        } catch (RuntimeException gone) {
            return null;
        }
    }

    /**
     * Reads and discards the request body; the caller checked that its declared length is at most
     * {@link #MAX_DRAINED_BYTES}, and the server delivers no more than that. A failing read just ends it.
     */
    private static void drain(Context c) {
        try {
            c.req().getInputStream().transferTo(OutputStream.nullOutputStream());
        } catch (IOException gone) {
            // the client went away; there is no one to answer
        }
    }

    static ApiException tooLarge() {
        return new ApiException(413, "Request body is larger than 64 KiB (" + MAX_BODY_BYTES
                + " bytes). A stream request is a small JSON object: check what is being sent.");
    }

    private static String httpMessage(HttpResponseException e) {
        return switch (e.getStatus()) {
            case 404 -> "Not found: no such route. See /api/openapi.json for the routes.";
            case 405 -> "Method not allowed on this route. See /api/openapi.json for the routes.";
            case 413 -> tooLarge().getMessage();
            default -> e.getMessage();
        };
    }

    private static int status(StreamException.Reason reason) {
        return switch (reason) {
            case NOT_FOUND -> 404;
            case CONFLICT, LIMIT -> 409;
            case START_FAILED, INVALID, ADDRESS_MISSING -> 400;
        };
    }

    private static void error(Context c, int status, String message, Map<String, String> details) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", message);
        if (details != null) {
            body.put("details", details);
        }
        c.status(status).json(body);
    }
}
