package io.mcrsrt.streamer.config;

import io.mcrsrt.streamer.stream.StreamConfig;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** The outcome of validating a stream request: a config, or every error by field name. */
public sealed interface ValidationResult {

    /** The request is valid. */
    record Valid(StreamConfig config) implements ValidationResult {
    }

    /**
     * The request is not valid.
     *
     * @param errors message by field name, in the order the fields are checked
     */
    record Invalid(Map<String, String> errors) implements ValidationResult {
        public Invalid {
            errors = Collections.unmodifiableMap(new LinkedHashMap<>(errors));
        }
    }
}
