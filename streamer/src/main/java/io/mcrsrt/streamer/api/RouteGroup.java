package io.mcrsrt.streamer.api;

/**
 * A set of routes owned by one feature, registered in {@link ApiRoutes}. Handlers throw {@link ApiException} (or
 * {@link io.mcrsrt.streamer.stream.StreamException}) for refusals and leave status mapping to the one mapper there.
 * Routes under {@code /api/} are behind the API key or UI session (and CSRF for state changes) automatically.
 */
@FunctionalInterface
public interface RouteGroup {
    void register(Router router, ServiceContext context);
}
