package io.mcrsrt.streamer.nettest;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.mcrsrt.streamer.config.StreamRequestValidator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A network test as asked for over the API, in the original form's field names. Absent fields take the original's
 * defaults ({@link #withDefaults}); {@link #validate()} lists every problem at once.
 *
 * @param mode closest | regional | manual
 * @param region a continent (or country) of the server list, for regional mode
 * @param manualHost the host to test, for manual mode
 * @param manualPort its port: the iperf3 server's (5201) or the SRT listener's
 * @param manualProtocol udp | tcp, for iperf3
 * @param duration seconds, 3..10
 * @param bitrate 5M | 10M | 20M | 50M
 * @param mechanism ping_only | iperf | srt, or null for the configured default
 */
public record NetworkTestRequest(
        @JsonProperty("mode") String mode,
        @JsonProperty("region") String region,
        @JsonProperty("manual_host") String manualHost,
        @JsonProperty("manual_port") Integer manualPort,
        @JsonProperty("manual_protocol") String manualProtocol,
        @JsonProperty("duration") Integer duration,
        @JsonProperty("bitrate") String bitrate,
        @JsonProperty("mechanism") String mechanism) {

    public static final List<String> BITRATES = List.of("5M", "10M", "20M", "50M");

    /** Every field a request may carry, in the form's order. */
    public static final List<String> FIELDS = List.of("mode", "region", "manual_host", "manual_port",
            "manual_protocol", "duration", "bitrate", "mechanism");

    static final String MODE = "Mode must be 'closest', 'regional' or 'manual'.";
    static final String PORT = "Port must be an integer between 1 and 65535.";
    static final String SRT_PORT = "The srt mechanism needs the SRT listener's port in 'manual_port' (an SRT listener"
            + " has no standard port; 5201 is iperf3's).";
    static final String PROTOCOL = "Protocol must be 'udp' or 'tcp'.";
    static final String DURATION = "Duration must be an integer between 3 and 10 seconds.";
    static final String BITRATE = "Bitrate must be one of 5M, 10M, 20M, 50M.";
    static final String UNKNOWN = "Unknown field. Allowed fields: " + String.join(", ", FIELDS) + ".";

    /** From the original's form fields; numbers that do not parse are kept as invalid so validation refuses them. */
    public static NetworkTestRequest fromForm(Map<String, String> form) {
        return fromForm(form, new LinkedHashMap<>());
    }

    /**
     * {@link #fromForm(Map)}, putting in {@code errors} each number that does not parse with what was sent
     * ({@code "Port must be ... (got '5,201')."}), as the form sends what was typed; {@link #validate()} would refuse
     * it without being able to name it.
     */
    public static NetworkTestRequest fromForm(Map<String, String> form, Map<String, String> errors) {
        Integer port = formInteger(form, "manual_port", PORT, errors);
        Integer duration = formInteger(form, "duration", DURATION, errors);
        return new NetworkTestRequest(form.get("mode"), form.get("region"), form.get("manual_host"), port,
                form.get("manual_protocol"), duration, form.get("bitrate"), form.get("mechanism"));
    }

    /**
     * A form field's whole number; null when it is absent or blank. One that does not parse is put in {@code errors}
     * naming what was sent and read as {@link #UNREADABLE}, which {@link #validate()} refuses too, so that a caller
     * that does not look at {@code errors} cannot run a test with a default in its place.
     */
    private static Integer formInteger(Map<String, String> form, String name, String message,
            Map<String, String> errors) {
        String text = form.get(name);
        if (blank(text)) {
            return null;
        }
        try {
            return Integer.valueOf(text.strip());
        } catch (NumberFormatException e) {
            errors.put(name, StreamRequestValidator.naming(message, TextNode.valueOf(text)));
            return UNREADABLE;
        }
    }

    /**
     * From a JSON object, field by field: a field of the wrong JSON type ({@code "duration": 3.5}, {@code "mode": 5})
     * or an unknown field is put in {@code errors} under its own name and left absent from the request, so that
     * {@link #validate()} still reports the other fields' problems and a script sees them all at once. Whole numbers
     * may come as JSON integers or, as the original form sent them, as strings of digits. A JSON {@code null} counts
     * as absent.
     */
    public static NetworkTestRequest fromJson(JsonNode body, Map<String, String> errors) {
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                errors.put(name, UNKNOWN);
            }
        }
        return new NetworkTestRequest(
                text(body, "mode", MODE, errors),
                text(body, "region", "Region must be a string: a CONTINENT or COUNTRY of the server list.", errors),
                text(body, "manual_host", "Manual host must be a string: a host name or IP address.", errors),
                integer(body, "manual_port", PORT, errors),
                text(body, "manual_protocol", PROTOCOL, errors),
                integer(body, "duration", DURATION, errors),
                text(body, "bitrate", BITRATE, errors),
                text(body, "mechanism", "Mechanism must be one of ping_only, iperf, srt.", errors));
    }

    private static String text(JsonNode body, String name, String message, Map<String, String> errors) {
        JsonNode n = body.get(name);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual()) {
            errors.put(name, message);
            return null;
        }
        return n.asText();
    }

    private static Integer integer(JsonNode body, String name, String message, Map<String, String> errors) {
        JsonNode n = body.get(name);
        if (n == null || n.isNull()) {
            return null;
        }
        if (n.isIntegralNumber() && n.canConvertToInt()) {
            return n.intValue();
        }
        if (n.isTextual() && n.asText().strip().matches("\\d{1,9}")) {
            return Integer.valueOf(n.asText().strip());
        }
        // named, as the web form sends what was typed ("5,201") and the range alone would not show what is wrong
        errors.put(name, StreamRequestValidator.naming(message, n));
        return null;
    }

    /**
     * The original's defaults for absent fields: closest, port 5201, udp, 5 s, 10M. The srt mechanism takes no
     * default port: 5201 is iperf3's, an SRT listener has none, and a probe sent there would only time out;
     * {@link #validate()} asks for it.
     */
    public NetworkTestRequest withDefaults(Mechanism defaultMechanism) {
        String wireMechanism = blank(mechanism) ? defaultMechanism.wireName()
                : mechanism.strip().toLowerCase(Locale.ROOT);
        boolean srt = Mechanism.SRT.wireName().equals(wireMechanism);
        return new NetworkTestRequest(
                blank(mode) ? "closest" : mode.strip().toLowerCase(Locale.ROOT),
                blank(region) ? null : region.strip(),
                blank(manualHost) ? null : manualHost.strip(),
                manualPort == null && !srt ? Integer.valueOf(IperfServer.DEFAULT_PORT) : manualPort,
                blank(manualProtocol) ? "udp" : manualProtocol.strip().toLowerCase(Locale.ROOT),
                duration == null ? 5 : duration,
                blank(bitrate) ? "10M" : bitrate.strip().toUpperCase(Locale.ROOT),
                wireMechanism);
    }

    /** Every problem with the request by field name, in the original's style of message; empty when it can run. */
    public Map<String, String> validate() {
        Map<String, String> errors = new LinkedHashMap<>();
        if (!List.of("closest", "regional", "manual").contains(mode)) {
            errors.put("mode", MODE);
        }
        if ("regional".equals(mode) && blank(region)) {
            errors.put("region", "Regional mode requires a 'region'.");
        }
        if ("manual".equals(mode)) {
            String hostProblem = blank(manualHost) ? "Manual mode requires a 'manual_host'."
                    : ExternalProgram.hostProblem(manualHost);
            if (hostProblem != null) {
                errors.put("manual_host", hostProblem);
            }
        }
        if (manualPort == null && Mechanism.SRT.wireName().equals(mechanism)) {
            if ("manual".equals(mode)) { // else the mechanism's message asks for manual mode, host and port
                errors.put("manual_port", SRT_PORT);
            }
        } else if (manualPort == null || manualPort < 1 || manualPort > 65535) {
            errors.put("manual_port", named(PORT, manualPort));
        }
        if (!"udp".equals(manualProtocol) && !"tcp".equals(manualProtocol)) {
            errors.put("manual_protocol", PROTOCOL);
        }
        if (duration == null || duration < 3 || duration > 10) {
            errors.put("duration", named(DURATION, duration));
        }
        if (!BITRATES.contains(bitrate)) {
            errors.put("bitrate", BITRATE);
        }
        try {
            Mechanism m = Mechanism.of(mechanism);
            if (m == Mechanism.SRT && !"manual".equals(mode)) {
                errors.put("mechanism", "The srt mechanism needs an SRT listener: use manual mode with its host and"
                        + " port.");
            }
        } catch (IllegalArgumentException e) {
            errors.put("mechanism", e.getMessage());
        }
        return errors;
    }

    /** "10M" as bits per second. */
    public long bitsPerSecond() {
        return Bitrate.parse(bitrate);
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    /**
     * A form's number that does not parse: out of every range, so that validation refuses it, and not a number anybody
     * types (a typed -1 is named as such).
     */
    private static final int UNREADABLE = Integer.MIN_VALUE;

    /** {@code message} naming a number that was given and is out of range; as it is for one absent or unreadable. */
    private static String named(String message, Integer value) {
        return value == null || value == UNREADABLE ? message
                : StreamRequestValidator.naming(message, IntNode.valueOf(value));
    }
}
