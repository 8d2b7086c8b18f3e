package io.mcrsrt.streamer.engine.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mcrsrt.streamer.files.AtomicFiles;
import io.mcrsrt.streamer.stream.ColorBarFormat;
import io.mcrsrt.streamer.stream.Encryption;
import io.mcrsrt.streamer.stream.InputSpec;
import io.mcrsrt.streamer.stream.Mode;
import io.mcrsrt.streamer.stream.PairConfig;
import io.mcrsrt.streamer.stream.StreamConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running streams' definitions in {@code DATA_DIR/streams.json}. Every save writes a temporary file, forces it to
 * disk and renames it over the old one, so a crash leaves either the old or the new list, never half of one. The file
 * is created with mode 0600 because it holds passphrases.
 *
 * <p>Not thread-safe: the engine serialises calls.
 */
public final class StreamStore {
    /** The limits the API puts on a stream ({@code StreamRequestValidator}); a saved entry outside them was edited. */
    private static final int LATENCY_MIN_MS = 20;
    private static final int LATENCY_MAX_MS = 8000;
    private static final int OVERHEAD_MIN_PERCENT = 1;
    private static final int OVERHEAD_MAX_PERCENT = 99;
    private static final int SMOOTHING_MAX_MS = 5000;
    private static final Logger LOG = LoggerFactory.getLogger(StreamStore.class);
    private static final int FORMAT_VERSION = 1;
    /** The keys this version writes and reads; any other is named in the log ({@link #unknownKeys}). */
    private static final Set<String> FILE_KEYS = Set.of("version", "streams", "pairs");
    private static final Set<String> STREAM_KEYS = Set.of("mode", "input", "port", "target_address", "target_port",
            "latency", "overhead_bandwidth", "encryption", "passphrase", "qos", "smoothing_latency_ms",
            "rtp_encapsulation", "stream_id");
    private static final Set<String> INPUT_KEYS = Set.of("input_type", "file_path", "loop", "multicast_address",
            "multicast_port", "multicast_interface", "source_ip", "format");
    private static final Set<String> PAIR_KEYS = Set.of("input", "latency", "overhead_bandwidth", "encryption",
            "passphrase", "qos", "smoothing_latency_ms", "stream_id", "ssrc", "leg1", "leg2");
    private static final Set<String> LEG_KEYS = Set.of("mode", "port", "target_address", "target_port", "interface");

    private final Path file;
    private final ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public StreamStore(Path dataDir) {
        this.file = dataDir.resolve("streams.json");
    }

    /** The file the definitions live in. */
    public Path file() {
        return file;
    }

    /**
     * What was saved: single streams and dual-path pairs.
     *
     * @param setAside      how many entries could not be read and were left out (kept in a
     *                      {@code streams.json.bad-<time>} copy); the next save writes the file without them
     * @param unknownFields how many keys of the file this version does not know (a typo in a hand edit, or a newer
     *                      version's): ignored, and kept in that copy only, as the next save writes the known ones
     */
    public record Saved(List<StreamConfig> streams, List<PairConfig> pairs, int setAside, int unknownFields) {
        public Saved {
            streams = List.copyOf(streams);
            pairs = List.copyOf(pairs);
        }

        public Saved(List<StreamConfig> streams, List<PairConfig> pairs) {
            this(streams, pairs, 0, 0);
        }

        /** Whether the file differs from what the next save writes, so that it should be saved at once. */
        public boolean differsFromFile() {
            return setAside > 0 || unknownFields > 0;
        }
    }

    /**
     * Reads the saved definitions, entry by entry. A missing file is an empty list. An entry that cannot be read as a
     * stream definition is logged (which entry and why) and left out; the others are returned. The whole file, bad
     * entries included, is then copied to {@code streams.json.bad-<time>} so the next save, which writes the good
     * entries only, loses nothing. A key this version does not know (a mistyped {@code "latnecy"}) is named in the log
     * with the keys allowed there and ignored, its entry restored without it; the whole file is copied aside the same
     * way, as the next save leaves the key out. A file that cannot be read as JSON at all is logged, moved aside to
     * that name and treated as empty. Either way the service still starts.
     */
    public Saved load() {
        if (!Files.exists(file)) {
            return new Saved(List.of(), List.of());
        }
        JsonNode root;
        try {
            root = mapper.readTree(file.toFile());
            if (root == null || !root.isObject() || !root.path("streams").isArray()) {
                throw new IOException("expected a JSON object with a \"streams\" array");
            }
        } catch (IOException | RuntimeException e) {
            Path aside = asideName();
            LOG.error("Saved streams in {} cannot be read ({}); no stream is restored. The file is moved to {}: "
                    + "fix or delete it, then start the streams again.", file, e.getMessage(), aside);
            try {
                Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException moveFailure) {
                LOG.error("Could not move {} aside: {}", file, moveFailure.getMessage());
            }
            return new Saved(List.of(), List.of());
        }
        List<String> bad = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        unknownKeys(root, "", FILE_KEYS, unknown);
        List<StreamConfig> configs = readEach(root.get("streams"), "streams", StreamStore::fromJson,
                StreamStore::unknownStreamKeys, bad, unknown);
        JsonNode pairList = root.path("pairs");
        if (!pairList.isMissingNode() && !pairList.isArray()) {
            // read as no pairs, it would be written as none at the next save: kept in the copy aside instead
            bad.add("pairs: " + pairList.getNodeType().toString().toLowerCase(Locale.ROOT)
                    + " where a list of pairs belongs");
        }
        List<PairConfig> pairs = readEach(pairList.isArray() ? pairList : mapper.createArrayNode(), "pairs",
                StreamStore::pairFromJson, StreamStore::unknownPairKeys, bad, unknown);
        if (!bad.isEmpty() || !unknown.isEmpty()) {
            Path aside = asideName();
            try {
                Files.copy(file, aside, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException copyFailure) {
                LOG.error("Could not copy {} to {}: {}", file, aside, copyFailure.getMessage());
            }
            for (String b : bad) {
                LOG.error("Saved stream entry {} in {} cannot be read and is not restored; the whole file, this entry "
                        + "included, is kept in {}: fix the entry there and start the stream again.", b, file, aside);
            }
            for (String u : unknown) {
                LOG.warn("Saved streams in {}: {}; it is ignored, and left out when the file is next saved; the whole"
                        + " file as it was is kept in {}. If it is a typo, stop the stream and start it again with the"
                        + " intended value.", file, u, aside);
            }
        }
        return new Saved(configs, pairs, bad.size(), unknown.size());
    }

    /** Finds the keys of a saved entry that this version does not know, described in {@code unknown}. */
    @FunctionalInterface
    private interface KeyCheck {
        void check(JsonNode node, String where, List<String> unknown);
    }

    private static void unknownStreamKeys(JsonNode n, String where, List<String> unknown) {
        unknownKeys(n, where, STREAM_KEYS, unknown);
        unknownKeys(n.path("input"), where + ".input", INPUT_KEYS, unknown);
    }

    private static void unknownPairKeys(JsonNode n, String where, List<String> unknown) {
        unknownKeys(n, where, PAIR_KEYS, unknown);
        unknownKeys(n.path("input"), where + ".input", INPUT_KEYS, unknown);
        unknownKeys(n.path("leg1"), where + ".leg1", LEG_KEYS, unknown);
        unknownKeys(n.path("leg2"), where + ".leg2", LEG_KEYS, unknown);
    }

    /**
     * Describes in {@code unknown} each key of the object {@code n} not in {@code known}: where it is, the key, its
     * value and the keys allowed there, e.g. {@code streams[0] (port 10001) has key "latnecy" (2000), which is not
     * one of ...}. Only a number, boolean or null is shown: text could be a passphrase under a mistyped key.
     */
    private static void unknownKeys(JsonNode n, String where, Set<String> known, List<String> unknown) {
        if (!n.isObject()) {
            return;
        }
        for (Iterator<String> names = n.fieldNames(); names.hasNext(); ) {
            String key = names.next();
            if (!known.contains(key)) {
                JsonNode value = n.get(key);
                unknown.add((where.isEmpty() ? "the file" : where) + " has key \"" + key + "\" ("
                        + (value.isValueNode() && !value.isTextual() ? value.toString() : value.getNodeType()
                                .toString().toLowerCase(Locale.ROOT) + ", not shown")
                        + "), which is not one of " + known.stream().sorted().toList());
            }
        }
    }

    /** Reads one saved entry. */
    @FunctionalInterface
    private interface EntryReader<T> {
        T read(JsonNode node) throws IOException;
    }

    /**
     * The entries of {@code array} that {@code reader} can read; each one it cannot is described in {@code bad}
     * ({@code name[index] (port P): why}), and each unknown key of one it can, in {@code unknown}.
     */
    private static <T> List<T> readEach(JsonNode array, String name, EntryReader<T> reader, KeyCheck keys,
            List<String> bad, List<String> unknown) {
        List<T> read = new ArrayList<>();
        int i = 0;
        for (JsonNode node : array) {
            String where = name + "[" + i + "]" + (describeEntry(node).isEmpty() ? "" : " " + describeEntry(node));
            try {
                read.add(reader.read(node));
                keys.check(node, where, unknown);
            } catch (IOException | RuntimeException e) {
                bad.add(where + ": " + e.getMessage());
            }
            i++;
        }
        return read;
    }

    /** A short name for a saved entry in a log line: its port or target, if it has one. */
    private static String describeEntry(JsonNode node) {
        for (String field : List.of("port", "target_port")) {
            if (node.path(field).isNumber()) {
                return "(" + field + " " + node.get(field).asInt() + ")";
            }
        }
        if (node.path("leg1").path("port").isNumber()) {
            return "(leg1 port " + node.get("leg1").get("port").asInt() + ")";
        }
        return "";
    }

    private Path asideName() {
        return file.resolveSibling("streams.json.bad-"
                + DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT).withZone(ZoneOffset.UTC)
                        .format(Instant.now()));
    }

    /** Replaces the saved definitions with these streams and no pairs, atomically. */
    public void save(Collection<StreamConfig> configs) throws IOException {
        save(configs, List.of());
    }

    /** Replaces the saved definitions with these, atomically. */
    public void save(Collection<StreamConfig> configs, Collection<PairConfig> pairConfigs) throws IOException {
        ObjectNode root = mapper.createObjectNode();
        root.put("version", FORMAT_VERSION);
        ArrayNode streams = root.putArray("streams");
        for (StreamConfig c : configs) {
            streams.add(toJson(c));
        }
        ArrayNode pairs = root.putArray("pairs");
        for (PairConfig p : pairConfigs) {
            pairs.add(pairToJson(p));
        }
        byte[] bytes = mapper.writeValueAsBytes(root);
        Files.createDirectories(file.getParent());
        AtomicFiles.write(file, bytes, "rw-------");
    }

    ObjectNode toJson(StreamConfig c) {
        ObjectNode n = mapper.createObjectNode();
        n.put("mode", c.mode().wireName());
        ObjectNode in = n.putObject("input");
        in.put("input_type", c.input().inputType());
        switch (c.input()) {
            case InputSpec.File f -> {
                in.put("file_path", f.relativePath());
                in.put("loop", f.loop());
            }
            case InputSpec.Multicast m -> {
                in.put("multicast_address", m.address());
                in.put("multicast_port", m.port());
                in.put("multicast_interface", m.interfaceName());
                in.put("source_ip", m.sourceAddress());
            }
            case InputSpec.ColorBars b -> in.put("format", b.format().label());
        }
        if (c.port() != null) {
            n.put("port", c.port());
        }
        if (c.targetAddress() != null) {
            n.put("target_address", c.targetAddress());
        }
        if (c.targetPort() != null) {
            n.put("target_port", c.targetPort());
        }
        n.put("latency", c.latencyMs());
        n.put("overhead_bandwidth", c.overheadPercent());
        n.put("encryption", c.encryption().wireName());
        if (c.passphrase() != null) {
            n.put("passphrase", c.passphrase());
        }
        n.put("qos", c.qos());
        n.put("smoothing_latency_ms", c.smoothingLatencyMs());
        n.put("rtp_encapsulation", c.rtpEncapsulation());
        if (c.streamId() != null) {
            n.put("stream_id", c.streamId());
        }
        return n;
    }

    ObjectNode pairToJson(PairConfig p) {
        ObjectNode n = toJson(p.legConfig(p.leg1()));
        n.remove(List.of("mode", "port", "target_address", "target_port", "rtp_encapsulation"));
        n.put("ssrc", p.ssrc());
        n.set("leg1", legToJson(p.leg1()));
        n.set("leg2", legToJson(p.leg2()));
        return n;
    }

    private ObjectNode legToJson(PairConfig.Leg leg) {
        ObjectNode n = mapper.createObjectNode();
        n.put("mode", leg.mode().wireName());
        if (leg.port() != null) {
            n.put("port", leg.port());
        }
        if (leg.targetAddress() != null) {
            n.put("target_address", leg.targetAddress());
        }
        if (leg.targetPort() != null) {
            n.put("target_port", leg.targetPort());
        }
        n.put("interface", leg.interfaceName());
        return n;
    }

    static PairConfig pairFromJson(JsonNode n) throws IOException {
        PairConfig.Leg[] legs = new PairConfig.Leg[2];
        for (int i = 0; i < 2; i++) {
            JsonNode l = n.path("leg" + (i + 1));
            Mode mode = Mode.fromWireName(text(l, "mode")).orElseThrow(() -> bad("leg.mode", l.path("mode")));
            try {
                legs[i] = new PairConfig.Leg(mode, number(l, "leg" + (i + 1) + ".port", null, 1, 65535),
                        optText(l, "target_address"), number(l, "leg" + (i + 1) + ".target_port", null, 1, 65535),
                        optText(l, "interface"));
            } catch (IllegalArgumentException e) {
                throw new IOException("a dual-path leg is incomplete: " + e.getMessage(), e);
            }
        }
        ObjectNode single = n.deepCopy();
        single.put("mode", legs[0].mode().wireName());
        if (legs[0].port() != null) {
            single.put("port", legs[0].port());
        }
        single.put("target_address", legs[0].targetAddress());
        if (legs[0].targetPort() != null) {
            single.put("target_port", legs[0].targetPort());
        }
        StreamConfig c = fromJson(single);
        try {
            return new PairConfig(c.input(), n.path("ssrc").asText(PairConfig.DEFAULT_SSRC), c.latencyMs(),
                    c.overheadPercent(), c.encryption(), c.passphrase(), c.qos(), c.smoothingLatencyMs(), legs[0],
                    legs[1]);
        } catch (IllegalArgumentException e) {
            throw new IOException("a dual-path definition is invalid: " + e.getMessage(), e);
        }
    }

    static StreamConfig fromJson(JsonNode n) throws IOException {
        Mode mode = Mode.fromWireName(text(n, "mode")).orElseThrow(() -> bad("mode", n.path("mode")));
        JsonNode in = n.path("input");
        String type = text(in, "input_type");
        InputSpec input = switch (type) {
            case "file" -> new InputSpec.File(text(in, "file_path"), in.path("loop").asBoolean(true));
            case "multicast" -> new InputSpec.Multicast(text(in, "multicast_address"),
                    number(in, "input.multicast_port", 0, 1, 65535), optText(in, "multicast_interface"),
                    optText(in, "source_ip"));
            default -> new InputSpec.ColorBars(ColorBarFormat.fromInputType(type)
                    .orElseThrow(() -> bad("input.input_type", in.path("input_type"))));
        };
        Encryption enc = Encryption.fromWireName(n.path("encryption").asText("none"))
                .orElseThrow(() -> bad("encryption", n.path("encryption")));
        try {
            return new StreamConfig(mode, input,
                    number(n, "port", null, 1, 65535),
                    optText(n, "target_address"),
                    number(n, "target_port", null, 1, 65535),
                    number(n, "latency", 300, LATENCY_MIN_MS, LATENCY_MAX_MS),
                    number(n, "overhead_bandwidth", 2, OVERHEAD_MIN_PERCENT, OVERHEAD_MAX_PERCENT),
                    enc,
                    optText(n, "passphrase"),
                    n.path("qos").asBoolean(false),
                    number(n, "smoothing_latency_ms", 30, 0, SMOOTHING_MAX_MS),
                    n.path("rtp_encapsulation").asBoolean(false),
                    optText(n, "stream_id"));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IOException("a stream definition is incomplete: " + e.getMessage(), e);
        }
    }

    /**
     * A whole number of a saved entry: {@code fallback} when absent, else an integral JSON number within
     * {@code min..max}. Jackson's {@code asInt} would read "abc" as the default and 5 ms as 5 ms, restoring a stream
     * other than the one in the file without a word.
     *
     * @param path the field as the error names it ({@code "leg1.port"})
     */
    private static Integer number(JsonNode n, String path, Integer fallback, int min, int max) throws IOException {
        JsonNode v = n.get(path.substring(path.lastIndexOf('.') + 1));
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt() || v.asInt() < min || v.asInt() > max) {
            throw new IOException("field \"" + path + "\" is " + v + " (expected: a whole number from " + min + " to "
                    + max + ")");
        }
        return v.asInt();
    }

    private static String text(JsonNode n, String field) throws IOException {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual()) {
            throw new IOException("field \"" + field + "\" missing or not text");
        }
        return v.asText();
    }

    private static String optText(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static IOException bad(String field, JsonNode value) {
        return new IOException("field \"" + field + "\" has unknown value " + value);
    }
}
