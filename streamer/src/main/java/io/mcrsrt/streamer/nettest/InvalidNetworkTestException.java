package io.mcrsrt.streamer.nettest;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A network test request with bad fields: {@link #fieldErrors()} gives every problem by field name (the original
 * form's names), for a 400 answer.
 */
public final class InvalidNetworkTestException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;
    private final transient Map<String, String> fieldErrors;

    public InvalidNetworkTestException(Map<String, String> fieldErrors) {
        super("Invalid network test request: " + String.join(" ", fieldErrors.values()));
        this.fieldErrors = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(fieldErrors));
    }

    /** Message by field, in the order the form shows them. */
    public Map<String, String> fieldErrors() {
        return fieldErrors;
    }

    /** The messages alone. */
    public List<String> details() {
        return List.copyOf(fieldErrors.values());
    }
}
