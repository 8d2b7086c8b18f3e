package io.mcrsrt.streamer.api;

import java.util.Map;

/**
 * A request the API refuses, with the status and the JSON body {@code {"error": ..., "details": {...}}} to answer
 * with. Thrown by handlers and mapped in one place ({@link ApiRoutes}).
 */
public final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final transient Map<String, String> details;

    public ApiException(int status, String error) {
        this(status, error, null);
    }

    /** @param details message by field, or null */
    public ApiException(int status, String error, Map<String, String> details) {
        super(error, null, false, false);
        this.status = status;
        this.details = details == null ? null : Map.copyOf(details);
    }

    public int status() {
        return status;
    }

    /** Message by field, or null. */
    public Map<String, String> details() {
        return details;
    }
}
