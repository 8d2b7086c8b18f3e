package io.mcrsrt.streamer.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mcrsrt.srt.AddressText;
import io.mcrsrt.streamer.stream.ColorBarFormat;
import io.mcrsrt.streamer.stream.Encryption;
import io.mcrsrt.streamer.stream.InputSpec;
import io.mcrsrt.streamer.stream.Mode;
import io.mcrsrt.streamer.stream.PassphraseRule;
import io.mcrsrt.streamer.stream.PrintableText;
import io.mcrsrt.streamer.stream.StreamConfig;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns a stream request (the JSON body of {@code POST /api/streams}, the UI form, the command line's options) into a
 * {@link StreamConfig}, or reports every problem at once by field, in the original tool's words where it had them.
 *
 * <p>Types are strict: numbers must be JSON integers ({@code "300"} and {@code 300.5} are refused, as the original
 * accepted integers only), flags must be JSON {@code true}/{@code false}. A JSON {@code null} counts as absent. Unknown
 * fields are refused. Fields that do not apply to the chosen mode (e.g. {@code target_address} for a listener) are
 * ignored. Thread-safe and immutable.
 */
public final class StreamRequestValidator {

    /** Every field a request may carry. */
    public static final List<String> FIELDS = List.of("mode", "input_type", "rtp_encapsulation", "port",
            "target_address", "target_port", "file_path", "loop", "multicast_address", "multicast_port",
            "multicast_interface", "multicast_source", "latency", "overhead_bandwidth", "encryption", "passphrase", "qos",
            "smoothing_latency_ms", "stream_id");

    static final String MODE = "Mode must be 'listener' or 'caller'.";
    static final String INPUT_TYPE =
            "Missing or invalid input_type. Allowed: multicast, file, colorbar_720p50, colorbar_1080i25";
    static final String TARGET_PORT = "Caller requires a 'target_port' between 1 and 65535.";
    static final String TARGET_ADDRESS =
            "Caller requires a 'target_address': a host name or IP address of at most 255 characters.";
    static final String ONLY_TS = "Only .ts files are supported.";
    static final String FILE_PATH_MISSING = "File input requires a 'file_path': a .ts file in the media folder.";
    static final String FILE_PATH_ESCAPES =
            "File path must be relative to the media folder, without '..' or a leading '/'.";
    /** SRT latency a stream may have, in ms, whichever front end sets it. */
    public static final int LATENCY_MIN_MS = 20;
    public static final int LATENCY_MAX_MS = 8000;
    /** Overhead bandwidth a stream may have, in percent. */
    public static final int OVERHEAD_MIN_PERCENT = 1;
    public static final int OVERHEAD_MAX_PERCENT = 99;
    static final String LATENCY = "SRT Latency must be an integer between 20 and 8000.";
    static final String OVERHEAD = "Overhead bandwidth must be an integer between 1 and 99.";
    static final String ENCRYPTION = "Invalid encryption type. Allowed: none, aes-128, aes-256.";
    static final String PASSPHRASE = "Passphrase must be a string between 10 and 79 characters.";
    static final String PASSPHRASE_UNENCRYPTED =
            "A passphrase needs encryption 'aes-128' or 'aes-256'; remove it or choose an encryption.";
    static final String RTP = "RTP encapsulation only supported for Multicast or Colorbar inputs via API.";
    static final String MULTICAST_ADDRESS =
            "Multicast input requires a 'multicast_address': an IPv4 or IPv6 address such as 239.1.1.1.";
    static final String MULTICAST_PORT = "Multicast input requires a 'multicast_port' between 1 and 65535.";
    static final String MULTICAST_INTERFACE =
            "Multicast interface must be an interface name or address (a string of at most 64 characters).";
    static final String MULTICAST_SOURCE =
            "Multicast source must be the unicast IPv4 or IPv6 address of the sender (source-specific multicast).";
    static final String SMOOTHING = "Smoothing latency must be an integer between 0 and 5000 (milliseconds).";
    static final String STREAM_ID =
            "Stream ID must be a string of at most 512 bytes in UTF-8 (libsrt's limit; 'é' counts as two).";
    static final String LOOP_TYPE = "Loop must be true or false.";
    static final String LOOP_FILE_ONLY = "Loop applies to file inputs only.";
    static final String UNKNOWN = "Unknown field. Allowed fields: " + String.join(", ", FIELDS) + ".";
    static final String NOT_OBJECT = "The request body must be a JSON object of stream fields.";

    private static final Set<String> FIELD_SET = Set.copyOf(FIELDS);
    private static final Pattern HOST_NAME =
            Pattern.compile("^(?=.{1,255}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\\.?$");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Path mediaFolder;
    private final int listenerPortMin;
    private final int listenerPortMax;

    public StreamRequestValidator(Path mediaFolder, int listenerPortMin, int listenerPortMax) {
        this.mediaFolder = mediaFolder.toAbsolutePath().normalize();
        this.listenerPortMin = listenerPortMin;
        this.listenerPortMax = listenerPortMax;
    }

    /** A validator for the service's configured media folder and listener range. */
    public static StreamRequestValidator of(AppConfig config) {
        return new StreamRequestValidator(config.mediaFolder(), config.listenerPortMin(), config.listenerPortMax());
    }

    /** The message for a listener port outside the configured range. */
    public String portMessage() {
        return "Listener requires a 'port' between " + listenerPortMin + " and " + listenerPortMax + ".";
    }

    /** Validates a map of field values, as the command line builds it. */
    public ValidationResult validate(Map<String, ?> fields) {
        JsonNode tree = MAPPER.valueToTree(fields);
        return validate(tree);
    }

    /** Validates a parsed JSON body. */
    public ValidationResult validate(JsonNode body) {
        Map<String, String> errors = new LinkedHashMap<>();
        if (body == null || !body.isObject()) {
            errors.put("body", NOT_OBJECT);
            return new ValidationResult.Invalid(errors);
        }
        Fields f = new Fields(body, errors);
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELD_SET.contains(name)) {
                errors.put(name, UNKNOWN);
            }
        }

        Mode mode = Mode.LISTENER;
        if (f.present("mode")) {
            JsonNode m = body.get("mode");
            mode = m.isTextual() ? Mode.fromWireName(m.asText().strip()).orElse(null) : null;
            if (mode == null) {
                errors.put("mode", MODE);
            }
        }

        String inputType = f.present("input_type") && body.get("input_type").isTextual()
                ? body.get("input_type").asText().strip().toLowerCase(java.util.Locale.ROOT) : null;
        InputKind kind = InputKind.of(inputType);
        if (kind == null) {
            errors.put("input_type", INPUT_TYPE);
        }

        Boolean rtp = f.bool("rtp_encapsulation", false, "RTP encapsulation must be true or false.");
        if (Boolean.TRUE.equals(rtp) && kind == InputKind.FILE) {
            errors.put("rtp_encapsulation", RTP);
        }

        Integer port = null;
        String targetAddress = null;
        Integer targetPort = null;
        if (mode == Mode.LISTENER || mode == null) {
            port = f.integer("port", null, listenerPortMin, listenerPortMax, portMessage(), true);
        }
        if (mode == Mode.CALLER) {
            targetAddress = unbracketed(f.text("target_address", 255, TARGET_ADDRESS, true));
            String zoneProblem = targetAddress == null ? null : AddressText.zoneProblem(targetAddress);
            if (zoneProblem != null) {
                // a link-local address without its interface, or with one this machine does not have
                errors.put("target_address", "Target address '" + targetAddress + "': " + zoneProblem + ".");
                targetAddress = null;
            } else if (targetAddress != null && !isHostOrAddress(withoutZone(targetAddress))) {
                errors.put("target_address", notAHost(targetAddress));
                targetAddress = null;
            }
            targetPort = f.integer("target_port", null, 1, 65535, TARGET_PORT, true);
        }

        InputSpec input = null;
        if (kind == InputKind.FILE) {
            String path = filePath(body, errors);
            Boolean loop = f.bool("loop", true, LOOP_TYPE);
            if (path != null && loop != null) {
                input = new InputSpec.File(path, loop);
            }
        } else {
            if (f.present("loop")) {
                errors.put("loop", LOOP_FILE_ONLY);
            }
        }
        if (kind == InputKind.MULTICAST) {
            // room for the brackets of [IPv6], as a udp:// URL writes it
            String address = unbracketed(f.text("multicast_address", 47, MULTICAST_ADDRESS, true));
            if (address != null && !isIpLiteral(address)) {
                errors.put("multicast_address", notAMulticastAddress(address));
                address = null;
            }
            Integer mport = f.integer("multicast_port", null, 1, 65535, MULTICAST_PORT, true);
            String iface = f.text("multicast_interface", 64, MULTICAST_INTERFACE, false);
            if (iface != null && PrintableText.firstControl(iface) >= 0) {
                errors.put("multicast_interface", MULTICAST_INTERFACE);
                iface = null;
            }
            if (iface != null && (iface.isEmpty() || iface.equalsIgnoreCase("auto"))) {
                iface = null;
            }
            String source = unbracketed(f.text("multicast_source", 47, MULTICAST_SOURCE, false));
            if (source != null && source.isEmpty()) {
                source = null;
            }
            if (source != null && !isIpLiteral(source)) {
                errors.put("multicast_source", "Multicast source '" + source + "' is not an IP address"
                        + addressHint(source) + ": give the unicast IPv4 or IPv6 address of the sender alone"
                        + " (source-specific multicast), e.g. 192.0.2.5 or 2001:db8::5.");
                source = null;
            } else if (source != null && isMulticast(source)) {
                errors.put("multicast_source", MULTICAST_SOURCE);
                source = null;
            }
            String mismatch = source == null || address == null ? null
                    : new InputSpec.Multicast(address, 1, null, source).sourceFamilyMismatch();
            if (mismatch != null) {
                // the kernel refuses such a join, and would be asked again every 5 s
                errors.put("multicast_source", mismatch);
                source = null;
            }
            if (address != null && mport != null) {
                input = new InputSpec.Multicast(address, mport, iface, source);
            }
        }
        if (kind != null && kind.colorBars != null) {
            input = new InputSpec.ColorBars(kind.colorBars);
        }

        Integer latency = f.integer("latency", 300, LATENCY_MIN_MS, LATENCY_MAX_MS, LATENCY, false);
        Integer overhead = f.integer("overhead_bandwidth", 2, OVERHEAD_MIN_PERCENT, OVERHEAD_MAX_PERCENT, OVERHEAD,
                false);
        Encryption encryption = Encryption.NONE;
        if (f.present("encryption")) {
            JsonNode e = body.get("encryption");
            encryption = e.isTextual() ? Encryption.fromWireName(e.asText().strip()).orElse(null) : null;
            if (encryption == null) {
                errors.put("encryption", ENCRYPTION);
            }
        }
        String passphrase = null;
        if (encryption != null && encryption != Encryption.NONE) {
            JsonNode p = f.present("passphrase") ? body.get("passphrase") : null;
            // libsrt counts the passphrase in bytes: "é" is two of them.
            if (p == null || !p.isTextual()) {
                errors.put("passphrase", PASSPHRASE);
            } else if (!PassphraseRule.fits(p.asText())) {
                errors.put("passphrase", PASSPHRASE + " libsrt counts bytes in UTF-8 ('é' counts as two): this one"
                        + " has " + utf8Length(p.asText()) + ".");
            } else if (PassphraseRule.controlCharacter(p.asText()) != null) {
                errors.put("passphrase", "Passphrase must not contain control characters: it has "
                        + PassphraseRule.controlCharacter(p.asText()) + ". Use printable text only (a passphrase read"
                        + " from a file keeps the file's line end).");
            } else {
                passphrase = p.asText();
            }
        } else if (encryption == Encryption.NONE && f.present("passphrase")
                && !(body.get("passphrase").isTextual() && body.get("passphrase").asText().isEmpty())) {
            errors.put("passphrase", PASSPHRASE_UNENCRYPTED);
        }
        Boolean qos = f.bool("qos", false, "QoS must be true or false.");
        Integer smoothing = f.integer("smoothing_latency_ms", 30, 0, 5000, SMOOTHING, false);
        String streamId = f.text("stream_id", Integer.MAX_VALUE, STREAM_ID, false);
        if (streamId != null && utf8Length(streamId) > 512) {
            // libsrt's limit is 512 bytes, not characters: say how far over it this one is
            errors.put("stream_id", STREAM_ID + " This one has " + utf8Length(streamId) + " bytes.");
            streamId = null;
        }
        if (streamId != null && PrintableText.firstControl(streamId) >= 0) {
            // the stream id is written to the log and shown to callers' operators: no line breaks in it
            int at = PrintableText.firstControl(streamId);
            errors.put("stream_id", "Stream ID must not contain control characters: it has U+"
                    + String.format(Locale.ROOT, "%04X", (int) streamId.charAt(at)) + " at position " + (at + 1)
                    + ". Use printable text only.");
            streamId = null;
        }
        if (streamId != null && streamId.isEmpty()) {
            streamId = null;
        }

        if (!errors.isEmpty()) {
            return new ValidationResult.Invalid(errors);
        }
        return new ValidationResult.Valid(new StreamConfig(mode, input, port, targetAddress, targetPort, latency,
                overhead, encryption, passphrase, qos, smoothing, rtp, streamId));
    }

    private String filePath(JsonNode body, Map<String, String> errors) {
        JsonNode node = body.get("file_path");
        if (node == null || node.isNull() || !node.isTextual() || node.asText().isBlank()) {
            errors.put("file_path", FILE_PATH_MISSING);
            return null;
        }
        String text = node.asText();
        if (text.startsWith("/") || text.startsWith("\\") || text.contains("\0")
                || List.of(text.split("[/\\\\]")).contains("..")) {
            errors.put("file_path", FILE_PATH_ESCAPES);
            return null;
        }
        if (!text.toLowerCase(java.util.Locale.ROOT).endsWith(".ts")) {
            errors.put("file_path", ONLY_TS);
            return null;
        }
        Path resolved;
        try {
            resolved = mediaFolder.resolve(text).normalize();
        } catch (InvalidPathException e) {
            errors.put("file_path", FILE_PATH_ESCAPES);
            return null;
        }
        if (!resolved.startsWith(mediaFolder) || resolved.equals(mediaFolder)) {
            errors.put("file_path", FILE_PATH_ESCAPES);
            return null;
        }
        if (!Files.isRegularFile(resolved)) {
            errors.put("file_path", "File '" + text + "' was not found in the media folder. Upload it there or pick "
                    + "one from the media list.");
            return null;
        }
        return mediaFolder.relativize(resolved).toString();
    }

    /**
     * A field's message (one sentence ending in a full stop) naming the value that was refused: "Port must be ...
     * 65535 (got '10,001')." The value is quoted as sent, a text in single quotes and anything else as JSON, cut at 40
     * characters, with no control characters, which would break the line of a log that records the message.
     */
    public static String naming(String message, JsonNode value) {
        String text = value.isTextual() ? "'" + value.asText() + "'" : value.toString();
        if (text.length() > 40) {
            text = text.substring(0, 39) + "…";
        }
        text = text.replaceAll("[\\p{Cntrl}\\u2028\\u2029]", "?");
        return message.substring(0, message.length() - 1) + " (got " + text + ").";
    }

    /** The length of a text in UTF-8 bytes, which is how libsrt measures passphrases and stream ids. */
    static int utf8Length(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    }

    /**
     * Whether {@code s} is an IP address as engineers type one ({@link AddressText#typed}: no brackets, no zone), other
     * than an IPv4-mapped IPv6 one ({@code ::ffff:192.0.2.5}), which sockets would be given in the wrong family and
     * {@link #addressHint} asks to be written as IPv4. Nothing is looked up.
     */
    static boolean isIpLiteral(String s) {
        return AddressText.typed(s) != null && AddressText.mappedIpv4(s) == null;
    }

    /** Whether {@code literal}, an address {@link #isIpLiteral} took, is a multicast group. */
    private static boolean isMulticast(String literal) {
        return AddressText.typed(literal).isMulticastAddress();
    }

    /**
     * An IPv6 address as a URL writes it ({@code [::1]}) without its brackets, as the address itself ({@code ::1}), a
     * zone as a URL writes it ({@code %25eth0}) as an address takes it ({@code %eth0}); anything else as given.
     */
    private static String unbracketed(String s) {
        if (s == null) {
            return null;
        }
        String inner = AddressText.unbracketed(s);
        if (inner.equals(s)) {
            return s;
        }
        inner = AddressText.zoneDecoded(inner);
        return inner.indexOf(':') >= 0 && isIpLiteral(withoutZone(inner)) ? inner : s;
    }

    /**
     * An IPv6 address without its zone ({@code fe80::1} of {@code fe80::1%eth0}), which {@link AddressText#zoneProblem}
     * checks; anything else as given.
     */
    private static String withoutZone(String s) {
        int percent = s.indexOf('%');
        return percent > 0 && s.indexOf(':') >= 0 ? s.substring(0, percent) : s;
    }

    /**
     * What is wrong with a target address that is neither a host name nor an IP address, naming it: most often a URL
     * or an address with its port, pasted from the far end's settings.
     */
    static String notAHost(String targetAddress) {
        return "Target address '" + targetAddress + "' is not a host name or IP address" + addressHint(targetAddress)
                + ": give the address alone, e.g. 192.0.2.10, 2001:db8::1 or encoder.example.net, without srt:// or a"
                + " port (the port goes in target_port).";
    }

    /**
     * What is wrong with a multicast address that is not an IP address, naming it: most often one copied with its
     * port or its interface, from a udp:// URL or {@code ip maddr}.
     */
    static String notAMulticastAddress(String address) {
        return "Multicast address '" + address + "' is not an IP address" + addressHint(address) + ": give the group"
                + " (or an address of this machine, for unicast) alone, e.g. 239.1.1.1 or ff15::1234, with or without"
                + " brackets; the port goes in multicast_port and the interface in multicast_interface.";
    }

    /**
     * Why a text that looks like an address is not taken as one, or empty: an IPv6 zone ({@code fe80::1%eth0}) names
     * an interface, which has a field of its own, and an IPv4-mapped IPv6 address ({@code ::ffff:192.0.2.5}) is an
     * IPv4 address that sockets would be given in the wrong family.
     */
    static String addressHint(String s) {
        int zone = s.indexOf('%');
        if (zone > 0 && isIpLiteral(s.substring(0, zone))) {
            return " (it has the zone '" + s.substring(zone) + "', an interface)";
        }
        String ipv4 = AddressText.mappedIpv4(s);
        return ipv4 == null ? "" : " (it is the IPv4 address " + ipv4 + " written as IPv6; write " + ipv4 + ")";
    }

    private static boolean isHostOrAddress(String s) {
        return isIpLiteral(s) || (HOST_NAME.matcher(s).matches() && !s.matches("^[0-9.]+$"));
    }

    private enum InputKind {
        FILE(null), MULTICAST(null), BARS_720(ColorBarFormat.HD_720P50), BARS_1080(ColorBarFormat.HD_1080I25);

        final ColorBarFormat colorBars;

        InputKind(ColorBarFormat colorBars) {
            this.colorBars = colorBars;
        }

        static InputKind of(String inputType) {
            if (inputType == null) {
                return null;
            }
            return switch (inputType) {
                case "file" -> FILE;
                case "multicast" -> MULTICAST;
                default -> ColorBarFormat.fromInputType(inputType)
                        .map(c -> c == ColorBarFormat.HD_720P50 ? BARS_720 : BARS_1080).orElse(null);
            };
        }
    }

    /** Typed reads of optional and required fields that record one error per field. */
    private record Fields(JsonNode body, Map<String, String> errors) {
        boolean present(String name) {
            JsonNode n = body.get(name);
            return n != null && !n.isNull();
        }

        Integer integer(String name, Integer fallback, int min, int max, String message, boolean required) {
            if (!present(name)) {
                if (required) {
                    errors.put(name, message);
                }
                return fallback;
            }
            JsonNode n = body.get(name);
            if (!n.isIntegralNumber() || !n.canConvertToInt() || n.intValue() < min || n.intValue() > max) {
                // what was sent, named: the range alone would not show that a thousands separator, a string of
                // digits or a fraction is what is wrong
                errors.put(name, naming(message, n));
                return null;
            }
            return n.intValue();
        }

        Boolean bool(String name, boolean fallback, String message) {
            if (!present(name)) {
                return fallback;
            }
            JsonNode n = body.get(name);
            if (!n.isBoolean()) {
                errors.put(name, message);
                return null;
            }
            return n.booleanValue();
        }

        String text(String name, int maxLength, String message, boolean required) {
            if (!present(name)) {
                if (required) {
                    errors.put(name, message);
                }
                return null;
            }
            JsonNode n = body.get(name);
            String v = n.isTextual() ? n.asText().strip() : null;
            if (v == null || v.length() > maxLength || (required && v.isEmpty())) {
                errors.put(name, message);
                return null;
            }
            return v;
        }
    }
}
