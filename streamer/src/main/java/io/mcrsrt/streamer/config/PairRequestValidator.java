package io.mcrsrt.streamer.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mcrsrt.streamer.stream.InputSpec;
import io.mcrsrt.streamer.stream.Mode;
import io.mcrsrt.streamer.stream.PairConfig;
import io.mcrsrt.streamer.stream.PrintableText;
import io.mcrsrt.streamer.stream.StreamConfig;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns an SMPTE 2022-7 pair request (the JSON body of {@code POST /api/pairs}, the UI form) into a {@link PairConfig},
 * or reports every problem at once by field. Shared fields follow {@link StreamRequestValidator} and carry its
 * messages; leg fields are reported as {@code legs[0].port}, {@code legs[1].target_address} and so on. Thread-safe and
 * immutable.
 */
public final class PairRequestValidator {

    /** Every top-level field a pair request may carry. */
    public static final List<String> FIELDS = List.of("input_type", "multicast_address", "multicast_port",
            "multicast_interface", "multicast_source", "ssrc", "latency", "overhead_bandwidth", "smoothing_latency_ms",
            "encryption", "passphrase", "qos", "legs");

    /** Every field a leg may carry. */
    public static final List<String> LEG_FIELDS = List.of("mode", "port", "target_address", "target_port",
            "interface");

    static final String INPUT_TYPE = "Missing or invalid input_type. A pair takes one of: multicast, colorbar_720p50, "
            + "colorbar_1080i25 (files are not offered for SMPTE 2022-7).";
    static final String SSRC = "SSRC must be 8 hex digits, e.g. " + PairConfig.DEFAULT_SSRC + ".";
    static final String LEGS = "A pair needs 'legs': a list of exactly two objects, each with 'mode' and either "
            + "'port' (listener) or 'target_address' and 'target_port' (caller).";
    static final String LEG_NOT_OBJECT = "Each leg must be a JSON object with 'mode' and either 'port' (listener) or "
            + "'target_address' and 'target_port' (caller).";
    static final String INTERFACE =
            "Leg interface must be an interface name or address (a string of at most 64 characters), or empty for "
            + "the system's choice.";
    static final String SAME_KEY = "Both legs use the same port: give each leg its own port (the pair's two paths "
            + "must be distinct).";
    static final String UNKNOWN = "Unknown field. Allowed fields: " + String.join(", ", FIELDS) + ".";
    static final String UNKNOWN_LEG = "Unknown leg field. Allowed leg fields: " + String.join(", ", LEG_FIELDS) + ".";

    private static final Set<String> SHARED = Set.of("input_type", "multicast_address", "multicast_port",
            "multicast_interface", "multicast_source", "latency", "overhead_bandwidth", "smoothing_latency_ms",
            "encryption", "passphrase", "qos");
    private static final Set<String> STREAM_LEG_FIELDS = Set.of("mode", "port", "target_address", "target_port");

    /** The outcome of validating a pair request: a config, or every error by field name. */
    public sealed interface Result {

        /** The request is valid. */
        record Valid(PairConfig config) implements Result {
        }

        /**
         * The request is not valid.
         *
         * @param errors message by field name, in the order the fields are checked
         */
        record Invalid(Map<String, String> errors) implements Result {
            public Invalid {
                errors = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(errors));
            }
        }
    }

    private final StreamRequestValidator streams;

    public PairRequestValidator(StreamRequestValidator streams) {
        this.streams = streams;
    }

    /** Validates a parsed JSON body. */
    public Result validate(JsonNode body) {
        Map<String, String> errors = new LinkedHashMap<>();
        if (body == null || !body.isObject()) {
            errors.put("body", "The request body must be a JSON object of pair fields.");
            return new Result.Invalid(errors);
        }
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                errors.put(name, UNKNOWN);
            }
        }
        JsonNode type = body.get("input_type");
        if (type != null && type.isTextual()
                && type.asText().strip().toLowerCase(Locale.ROOT).equals("file")) {
            errors.put("input_type", INPUT_TYPE);
        }

        String ssrc = PairConfig.DEFAULT_SSRC;
        JsonNode s = body.get("ssrc");
        if (s != null && !s.isNull() && !(s.isTextual() && s.asText().isBlank())) {
            if (s.isTextual() && s.asText().strip().matches("[0-9A-Fa-f]{8}")) {
                ssrc = s.asText().strip().toUpperCase(Locale.ROOT);
            } else {
                errors.put("ssrc", SSRC);
            }
        }

        JsonNode legs = body.get("legs");
        if (legs == null || !legs.isArray() || legs.size() != 2) {
            errors.put("legs", LEGS);
        }

        ObjectNode shared = JsonNodeFactory.instance.objectNode();
        for (String name : SHARED) {
            if (body.has(name)) {
                shared.set(name, body.get(name));
            }
        }
        StreamConfig[] configs = new StreamConfig[2];
        String[] interfaces = new String[2];
        if (errors.containsKey("legs")) {
            // still report the shared fields' problems, checked once with a placeholder leg
            ObjectNode probe = shared.deepCopy();
            probe.put("mode", "caller").put("target_address", "127.0.0.1").put("target_port", 1);
            collect(streams.validate(probe), -1, errors);
        } else {
            for (int i = 0; i < 2; i++) {
                JsonNode leg = legs.get(i);
                String prefix = "legs[" + i + "].";
                if (!leg.isObject()) {
                    errors.put("legs[" + i + "]", LEG_NOT_OBJECT);
                    continue;
                }
                ObjectNode request = shared.deepCopy();
                for (Iterator<String> names = leg.fieldNames(); names.hasNext(); ) {
                    String name = names.next();
                    if (!LEG_FIELDS.contains(name)) {
                        errors.put(prefix + name, UNKNOWN_LEG);
                    } else if (STREAM_LEG_FIELDS.contains(name)) {
                        request.set(name, leg.get(name));
                    }
                }
                if (!leg.hasNonNull("mode")) {
                    request.put("mode", Mode.LISTENER.wireName());
                }
                JsonNode iface = leg.get("interface");
                if (iface != null && !iface.isNull()) {
                    if (!iface.isTextual() || iface.asText().strip().length() > 64
                            || PrintableText.firstControl(iface.asText().strip()) >= 0) {
                        errors.put(prefix + "interface", INTERFACE);
                    } else if (!iface.asText().isBlank()) {
                        interfaces[i] = iface.asText().strip();
                    }
                }
                configs[i] = collect(streams.validate(request), i, errors);
            }
        }
        if (configs[0] != null && configs[1] != null && configs[0].key() == configs[1].key()) {
            String field = configs[1].mode() == Mode.LISTENER ? "port" : "target_port";
            errors.put("legs[1]." + field, SAME_KEY);
        }
        if (!errors.isEmpty()) {
            return new Result.Invalid(errors);
        }
        StreamConfig first = configs[0];
        InputSpec input = first.input();
        return new Result.Valid(new PairConfig(input, ssrc, first.latencyMs(), first.overheadPercent(),
                first.encryption(), first.passphrase(), first.qos(), first.smoothingLatencyMs(),
                leg(configs[0], interfaces[0]), leg(configs[1], interfaces[1])));
    }

    private static PairConfig.Leg leg(StreamConfig c, String iface) {
        return new PairConfig.Leg(c.mode(), c.port(), c.targetAddress(), c.targetPort(), iface);
    }

    /** Files the stream validator's errors under leg or shared field names; returns the config when valid. */
    private static StreamConfig collect(ValidationResult result, int leg, Map<String, String> errors) {
        return switch (result) {
            case ValidationResult.Valid valid -> valid.config();
            case ValidationResult.Invalid invalid -> {
                invalid.errors().forEach((field, message) -> {
                    if (field.equals("file_path") || field.equals("loop")) {
                        return;
                    }
                    if (STREAM_LEG_FIELDS.contains(field)) {
                        if (leg >= 0) {
                            errors.put("legs[" + leg + "]." + field, message);
                        }
                    } else if (field.equals("input_type")) {
                        errors.putIfAbsent(field, INPUT_TYPE);
                    } else {
                        errors.putIfAbsent(field, message);
                    }
                });
                yield null;
            }
        };
    }
}
