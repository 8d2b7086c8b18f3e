package io.mcrsrt.streamer.api;

import io.javalin.http.Handler;
import io.javalin.http.sse.SseClient;

import java.util.function.Consumer;

/**
 * Where a {@link RouteGroup} registers its routes. Every route registered here is listed by {@link ApiRoutes} and must
 * be described in {@code /api/openapi.json} (a test checks both ways).
 */
public interface Router {
    void get(String path, Handler handler);

    void post(String path, Handler handler);

    void delete(String path, Handler handler);

    /** A server-sent events route (GET). */
    void sse(String path, Consumer<SseClient> client);

    /**
     * Closes a resource of the route group (a catalog, a thread) when the server stops, after the web server, in
     * reverse order of registration.
     */
    void onClose(AutoCloseable resource);
}
