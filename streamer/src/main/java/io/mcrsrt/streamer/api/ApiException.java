package io.mcrsrt.streamer.api;

import java.util.Collections;
import java.util.LinkedHashMap;
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

    /** @param details message by field, or null; answered in its own order (the fields' order in the request) */
    public ApiException(int status, String error, Map<String, String> details) {
        super(error, null, false, false);
        this.status = status;
        // in the given order: Map.copyOf's order changes from one start of the service to the next
        this.details = details == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(details));
    }

    public int status() {
        return status;
    }

    /** Message by field in the order given, or null. */
    public Map<String, String> details() {
        return details;
    }
}
