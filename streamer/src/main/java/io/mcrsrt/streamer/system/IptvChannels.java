package io.mcrsrt.streamer.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import io.mcrsrt.srt.AddressText;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The IPTV channel list ({@code IPTV_CHANNELS_FILE}): {@code [{"name","address","port",("protocol"),("source_ip")}]}.
 * The file is edited by hand, so one bad entry must not cost the others: an entry that the multicast form cannot use
 * (no name, an address that is not an IP address, a port outside 1..65535) and the second of two entries for the same
 * source, group and port are left out, each with a warning naming the file, the entry and the fix. An unknown key is
 * named too, and the entry kept.
 */
public final class IptvChannels {
    private static final Logger LOG = LoggerFactory.getLogger(IptvChannels.class);
    private static final Set<String> KEYS = Set.of("name", "address", "port", "protocol", "source_ip");

    private final Path file;
    private final ObjectMapper mapper = new ObjectMapper();
    /** The modification time and size the warnings were last logged for: once per version of the file. */
    private String warnedFor;

    public IptvChannels(Path file) {
        this.file = file;
    }

    /**
     * Reads the list once when the service starts, so that its problems are in the start-up log rather than waiting
     * for the first time the multicast form asks for it. Never throws: the service starts either way.
     */
    public void checkAtStart() {
        if (!Files.exists(file)) {
            return;
        }
        try {
            int n = read().size();
            LOG.info("IPTV channel list {}: {} offered", file, n == 1 ? "1 channel" : n + " channels");
        } catch (IOException | RuntimeException e) {
            LOG.warn("IPTV channel list {} cannot be used: {} (the multicast form offers no channels until it is"
                    + " fixed)", file, e.getMessage());
        }
    }

    /**
     * The usable channels in the order of the file; an empty list when the file does not exist.
     *
     * @throws IOException if the file cannot be read or is not a JSON array
     */
    public JsonNode read() throws IOException {
        if (!Files.exists(file)) {
            return JsonNodeFactory.instance.arrayNode();
        }
        if (Files.isDirectory(file)) {
            throw new IOException(file + " is a directory (expected: a JSON file; remove the directory or point"
                    + " IPTV_CHANNELS_FILE at the file)");
        }
        String version = stamp();
        JsonNode node = mapper.readTree(file.toFile());
        if (node == null || node.isMissingNode() || !node.isArray()) {
            throw new IOException(file + " is not a JSON array of channels (expected: [{\"name\": \"News\","
                    + " \"address\": \"239.1.1.1\", \"port\": 5000}])");
        }
        List<String> problems = new ArrayList<>();
        ArrayNode usable = JsonNodeFactory.instance.arrayNode();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode c = node.get(i);
            String entry = "entry " + (i + 1);
            String problem = problem(c);
            if (problem != null) {
                problems.add(entry + " is left out: " + problem);
                continue;
            }
            for (Iterator<String> keys = c.fieldNames(); keys.hasNext(); ) {
                String key = keys.next();
                if (!KEYS.contains(key)) {
                    problems.add(entry + " (" + c.get("name").asText() + ") has the unknown key \"" + key
                            + "\", which is ignored (expected only name, address, port, protocol, source_ip)");
                }
            }
            String source = c.path("source_ip").asText("");
            String key = source + "@" + c.get("address").asText() + ":" + c.get("port").asText();
            if (!seen.add(key)) {
                problems.add(entry + " (" + c.get("name").asText() + ") is left out: an earlier entry has the same"
                        + " address and port " + key.substring(source.isEmpty() ? 1 : 0) + "; remove one of them");
                continue;
            }
            usable.add(c);
        }
        warnOnce(version, problems);
        return usable;
    }

    /** Why the multicast form cannot use {@code c}, or null. */
    private static String problem(JsonNode c) {
        if (!c.isObject()) {
            return "it is " + c + ", not an object such as {\"name\": \"News\", \"address\": \"239.1.1.1\","
                    + " \"port\": 5000}";
        }
        JsonNode name = c.get("name");
        if (name == null || !name.isTextual() || name.asText().isBlank()) {
            return "\"name\" is " + name + " (expected: the channel's name in double quotes)";
        }
        String what = "\"" + name.asText() + "\" ";
        if (!isAddress(c.get("address"))) {
            return what + "has \"address\" " + c.get("address") + " (expected: an IP address such as \"239.1.1.1\")";
        }
        JsonNode port = c.get("port");
        // "5000" in quotes is taken as well: the form fills its port field with the text either way
        boolean whole = port != null && (port.isIntegralNumber() && port.canConvertToInt()
                || port.isTextual() && port.asText().matches("[0-9]{1,5}"));
        if (!whole || port.asInt() < 1 || port.asInt() > 65535) {
            return what + "has \"port\" " + port + " (expected: a whole number from 1 to 65535)";
        }
        JsonNode source = c.get("source_ip");
        if (source != null && !source.isNull() && !(source.isTextual() && source.asText().isEmpty())
                && !isAddress(source)) {
            return what + "has \"source_ip\" " + source + " (expected: the sender's IP address, or leave it out)";
        }
        return null;
    }

    private static boolean isAddress(JsonNode value) {
        return value != null && value.isTextual() && AddressText.literal(value.asText()) != null;
    }

    private String stamp() {
        try {
            FileTime modified = Files.getLastModifiedTime(file);
            return modified + "/" + Files.size(file);
        } catch (IOException e) {
            return null;
        }
    }

    /** The form asks for the list each time it opens; the same file's problems are logged once, not every time. */
    private synchronized void warnOnce(String version, List<String> problems) {
        if (version != null && version.equals(warnedFor)) {
            return;
        }
        warnedFor = version;
        for (String p : problems) {
            LOG.warn("IPTV channel list {}: {}", file, p);
        }
    }
}
