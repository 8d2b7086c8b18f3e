package io.mcrsrt.streamer.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JavalinJackson;
import io.mcrsrt.streamer.config.AppConfig;
import io.mcrsrt.streamer.config.Secrets;
import io.mcrsrt.streamer.config.StreamRequestValidator;
import io.mcrsrt.streamer.metrics.StreamMetrics;
import io.mcrsrt.streamer.security.LoggedOutSessions;
import io.mcrsrt.streamer.security.WebSecurity;
import io.mcrsrt.streamer.stream.StreamConfig;
import io.mcrsrt.streamer.stream.StreamEngine;
import io.mcrsrt.streamer.system.IptvChannels;
import io.mcrsrt.streamer.system.ListenerReach;
import io.mcrsrt.streamer.system.MediaLibrary;
import io.mcrsrt.streamer.system.SystemStatus;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * The web server: REST API, server-sent events, UI pages and static assets, {@code /metrics}, on Javalin (Jetty) with
 * virtual threads for requests, at most {@code HTTP_MAX_CONNECTIONS} connections open at once ({@link ConnectionCap}).
 * It never touches a socket of a stream: it asks the {@link StreamEngine}. Closing it stops the web server and its
 * event threads, not the engine (the caller closes that afterwards): new requests are refused (503, or the connection
 * is refused), those under way are answered in full for up to {@link #STOP_GRACE_MILLIS}, the live event streams end.
 */
public final class ApiServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);
    /** How long {@link #close()} lets requests under way finish (a stream's stop, a save) before cutting them off. */
    static final long STOP_GRACE_MILLIS = 5_000;

    private final Javalin app;
    private final EventsHub events;
    private final StreamMetrics metrics;
    private final ApiRoutes apiRoutes;
    private final String url;

    private ApiServer(Javalin app, EventsHub events, StreamMetrics metrics, ApiRoutes apiRoutes, String url) {
        this.app = app;
        this.events = events;
        this.metrics = metrics;
        this.apiRoutes = apiRoutes;
        this.url = url;
    }

    /**
     * Starts the server on {@code config.host()}:{@code config.port()} (port 0 picks a free one).
     *
     * @throws io.javalin.util.JavalinBindException if the port is taken
     */
    public static ApiServer start(AppConfig config, Secrets secrets, StreamEngine engine) {
        return start(config, secrets, engine, BuildId.current());
    }

    /**
     * As {@link #start(AppConfig, Secrets, StreamEngine)}, saying it is this build instead of
     * {@link BuildId#current()}: a test's service that is "upgraded" while its pages stay open.
     */
    public static ApiServer start(AppConfig config, Secrets secrets, StreamEngine engine, BuildId build) {
        return start(config, secrets, engine, ApiRoutes.GROUPS, ConnectionCap.IDLE_TIMEOUT_MILLIS,
                RequestReadDeadline.DEADLINE_MILLIS, build);
    }

    /** As {@link #start(AppConfig, Secrets, StreamEngine)}, with these feature route groups instead of the built-in. */
    static ApiServer start(AppConfig config, Secrets secrets, StreamEngine engine, List<RouteGroup> groups) {
        return start(config, secrets, engine, groups, ConnectionCap.IDLE_TIMEOUT_MILLIS,
                RequestReadDeadline.DEADLINE_MILLIS);
    }

    /**
     * As {@link #start(AppConfig, Secrets, StreamEngine, List)}, an idle connection staying open this long below the
     * cap instead of {@link ConnectionCap#IDLE_TIMEOUT_MILLIS}, and a client given this long to send a request instead
     * of {@link RequestReadDeadline#DEADLINE_MILLIS}.
     */
    static ApiServer start(AppConfig config, Secrets secrets, StreamEngine engine, List<RouteGroup> groups,
            long idleTimeoutMillis, long requestReadDeadlineMillis) {
        return start(config, secrets, engine, groups, idleTimeoutMillis, requestReadDeadlineMillis,
                BuildId.current());
    }

    private static ApiServer start(AppConfig config, Secrets secrets, StreamEngine engine, List<RouteGroup> groups,
            long idleTimeoutMillis, long requestReadDeadlineMillis, BuildId build) {
        ObjectMapper json = JsonViews.mapper();
        StreamMetrics metrics = new StreamMetrics(engine);
        IptvChannels channels = new IptvChannels(config.iptvChannelsFile());
        channels.checkAtStart();
        ServiceContext ctx = new ServiceContext(config, engine, StreamRequestValidator.of(config),
                new WebSecurity(secrets, config.uiUsername(), config.uiPasswordHash(),
                        LoggedOutSessions.in(config.dataDir().resolve("logged_out_sessions"))),
                new MediaLibrary(config.mediaFolder()), channels,
                new SystemStatus(config.mediaFolder(), new ListenerReach(config.srtListenAddress())), metrics, json);
        EventsHub events = new EventsHub(ctx);
        ApiRoutes apiRoutes = new ApiRoutes(ctx, events, groups, build);
        Javalin app = Javalin.create(c -> {
            c.startup.showJavalinBanner = false;
            c.startup.showOldJavalinVersionWarning = false;
            c.concurrency.useVirtualThreads = true;
            c.http.maxRequestSize = ApiRoutes.MAX_BODY_BYTES;
            // A route asked with a method it does not take says so (405), rather than that there is no such route.
            c.http.prefer405over404 = true;
            c.jetty.host = config.host();
            c.jetty.port = config.port();
            c.jetty.modifyServer(server -> {
                server.setErrorHandler(new JsonErrorHandler());
                // A stop lets requests under way finish, refusing new ones with 503, instead of cutting a DELETE off
                // half way with a 500; a request still running after the grace period is cut off as before.
                server.insertHandler(new GracefulHandler());
                server.setStopTimeout(STOP_GRACE_MILLIS);
                // Each connection is a file descriptor, which the SRT streams need too.
                server.addBean(new ConnectionCap(config.httpMaxConnections(), idleTimeoutMillis, server,
                        metrics.registry()));
                // The idle timeout closes only connections that send nothing; one sending a byte at a time is not.
                server.addBean(new RequestReadDeadline(requestReadDeadlineMillis, server));
            });
            c.jsonMapper(new JavalinJackson(json, true));
            c.staticFiles.enableWebjars();
            if (ApiServer.class.getResource("/web") != null) {
                c.staticFiles.add(s -> {
                    s.hostedPath = "/static";
                    s.directory = "/web";
                    s.location = Location.CLASSPATH;
                    // no-cache: the browser asks again (a 304 when unchanged) rather than keeping the scripts for
                    // a time guessed from their age, so that a page reloaded after an upgrade runs the new ones
                    s.headers = java.util.Map.of(
                            "Cache-Control", "no-cache",
                            "Content-Security-Policy", WebSecurity.CONTENT_SECURITY_POLICY,
                            "X-Content-Type-Options", "nosniff",
                            "X-Frame-Options", "DENY",
                            "Referrer-Policy", "same-origin");
                });
            }
            apiRoutes.register(c.routes);
        });
        try {
            app.start();
        } catch (RuntimeException e) {
            events.close();
            apiRoutes.closeResources();
            metrics.close();
            throw e;
        }
        ApiServer server = new ApiServer(app, events, metrics, apiRoutes, "http://"
                + StreamConfig.hostPort(config.host(), app.port()) + "/");
        LOG.info("Web UI and API on {}", server.url());
        return server;
    }

    /** The port the server listens on. */
    public int port() {
        return app.port();
    }

    /** Where the web UI is: {@code http://HOST:PORT/}, an IPv6 HOST in brackets ({@code http://[::1]:5000/}). */
    public String url() {
        return url;
    }

    /** Every route registered, method and path. */
    public List<ApiRoutes.Route> routes() {
        return apiRoutes.routes();
    }

    @Override
    public void close() {
        events.close();
        app.stop();
        apiRoutes.closeResources();
        metrics.close();
    }
}
