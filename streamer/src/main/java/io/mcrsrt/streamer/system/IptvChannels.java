package io.mcrsrt.streamer.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The IPTV channel list ({@code IPTV_CHANNELS_FILE}): {@code [{"name","address","port",("protocol"),("source_ip")}]}. */
public final class IptvChannels {
    private final Path file;
    private final ObjectMapper mapper = new ObjectMapper();

    public IptvChannels(Path file) {
        this.file = file;
    }

    /**
     * The channels as stored; an empty list when the file does not exist.
     *
     * @throws IOException if the file cannot be read or is not a JSON array
     */
    public JsonNode read() throws IOException {
        if (!Files.exists(file)) {
            return JsonNodeFactory.instance.arrayNode();
        }
        JsonNode node = mapper.readTree(file.toFile());
        if (node == null || !node.isArray()) {
            throw new IOException(file + " is not a JSON array of channels");
        }
        return node;
    }
}
