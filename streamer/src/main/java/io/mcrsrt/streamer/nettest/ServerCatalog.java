package io.mcrsrt.streamer.nettest;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The iperf3 servers the closest and regional modes choose from, read from a JSON file in the original format (a
 * list of {@link IperfServer}). A file replaced while the service runs ({@code mcr-srt servers fetch}) is read again
 * the next time the list is used. A file that cannot be read or parsed leaves the previous list in place and the
 * reason in {@link #problem()}, so the service keeps running. Thread-safe: the list is replaced whole.
 */
public final class ServerCatalog {

    private static final Logger log = LoggerFactory.getLogger(ServerCatalog.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The keys an entry may have, in the order of the documented example. */
    private static final String KEYS = "IP_HOST, OPTIONS, GB_S, COUNTRY, SITE, CONTINENT, PROVIDER";

    private final Path file;
    private volatile List<IperfServer> servers = List.of();
    private volatile List<IperfServer> reachable;
    private volatile String problem;
    /** The file's modification time when it was last read (whether it parsed or not), or null before. */
    private volatile FileTime readStamp;

    /**
     * @param file the JSON list, or null when none is configured (then only manual tests are possible)
     */
    public ServerCatalog(Path file) {
        this.file = file;
        if (file == null) {
            problem = "No iperf3 server list is configured: set NETWORK_TEST_SERVERS to a JSON file of servers, or"
                    + " test a host of your own in manual mode.";
        } else {
            reload();
        }
    }

    /** A catalog of the given servers, for tests and for embedding. */
    public static ServerCatalog of(List<IperfServer> servers) {
        ServerCatalog c = new ServerCatalog(null);
        c.servers = List.copyOf(servers);
        c.problem = null;
        return c;
    }

    /** Reads the file again; on failure keeps the previous list and records why. */
    public synchronized void reload() {
        if (file == null) {
            return;
        }
        readStamp = modified();
        try {
            servers = parse(Files.readString(file), file.toString());
            reachable = null;
            problem = null;
            log.info("Loaded {} iperf3 servers from {}", servers.size(), file);
        } catch (IOException | NetworkTestException e) {
            problem = (e instanceof NetworkTestException ? e.getMessage()
                    : "Cannot read the iperf3 server list " + file + ": "
                    + io.mcrsrt.streamer.stream.FailureText.describe(e) + ".")
                    + " The previous list stays in use.";
            log.warn(problem);
        }
    }

    /**
     * Parses a server list.
     *
     * @param source named in error messages
     * @throws NetworkTestException naming the file and the first bad entry
     */
    public static List<IperfServer> parse(String json, String source) throws NetworkTestException {
        List<IperfServer> list;
        try {
            list = JSON.readValue(json, new TypeReference<List<IperfServer>>() { });
        } catch (com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException e) {
            throw new NetworkTestException(entry(e) + " of the iperf3 server list " + source + " has the unknown key \""
                    + e.getPropertyName() + "\" (expected only " + KEYS + "): correct its spelling or remove it.", e);
        } catch (com.fasterxml.jackson.databind.exc.MismatchedInputException e) {
            String key = key(e);
            if (key == null) {
                throw notAList(source, e);
            }
            throw new NetworkTestException(entry(e) + " of the iperf3 server list " + source + " has " + key
                    + " that is not a text value: write it in double quotes, e.g. \"" + key + "\": \"...\".", e);
        } catch (IOException e) {
            throw notAList(source, e);
        }
        if (list == null) {
            throw new NetworkTestException("The iperf3 server list " + source + " is empty (null).");
        }
        List<IperfServer> ok = new ArrayList<>();
        java.util.Map<String, Integer> first = new java.util.HashMap<>();
        for (int i = 0; i < list.size(); i++) {
            IperfServer s = list.get(i);
            if (s == null || !s.isValid()) {
                throw new NetworkTestException("Entry " + (i + 1) + " of the iperf3 server list " + source
                        + " has IP_HOST '" + (s == null ? null : s.ipHost()) + "' (expected: 'iperf3 -c HOST' or"
                        + " 'iperf3 -c HOST -p PORT').");
            }
            // A server listed twice would be pinged and offered twice; harmless otherwise, so not worth the list.
            String key = s.host().toLowerCase(java.util.Locale.ROOT) + ":" + s.port();
            Integer earlier = first.putIfAbsent(key, i + 1);
            if (earlier != null) {
                log.warn("Entry {} of the iperf3 server list {} repeats entry {} ({}); it is left out. Remove one of"
                        + " them.", i + 1, source, earlier, key);
                continue;
            }
            ok.add(s);
        }
        return List.copyOf(ok);
    }

    /** "Entry 3", from where in the list Jackson stopped; entries are counted from 1 as an editor shows them. */
    private static String entry(com.fasterxml.jackson.databind.JsonMappingException e) {
        for (com.fasterxml.jackson.databind.JsonMappingException.Reference r : e.getPath()) {
            if (r.getIndex() >= 0) {
                return "Entry " + (r.getIndex() + 1);
            }
        }
        return "An entry";
    }

    /** The key of an entry whose value had the wrong type, or null when the fault is not inside an entry. */
    private static String key(com.fasterxml.jackson.databind.JsonMappingException e) {
        List<com.fasterxml.jackson.databind.JsonMappingException.Reference> path = e.getPath();
        return path.size() >= 2 ? path.getLast().getFieldName() : null;
    }

    private static NetworkTestException notAList(String source, IOException e) {
        return new NetworkTestException("The iperf3 server list " + source + " is not a JSON list of servers ("
                + (e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage()
                        : e.getMessage())
                + "). Expected: [{\"IP_HOST\": \"iperf3 -c host -p 5201\", \"COUNTRY\": ..., \"SITE\": ...,"
                + " \"CONTINENT\": ...}].", e);
    }

    /** Every server of the list, reachable or not. */
    public List<IperfServer> all() {
        reloadIfReplaced();
        return servers;
    }

    /**
     * Reads the file again if its modification time changed since it was last read: one {@code stat} per use, which
     * is once per network test or form, not per packet. A file that disappeared keeps the list in use.
     */
    private void reloadIfReplaced() {
        if (file == null) {
            return;
        }
        FileTime now = modified();
        if (now != null && !now.equals(readStamp)) {
            reload();
        }
    }

    private FileTime modified() {
        try {
            return Files.getLastModifiedTime(file);
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * The servers to test against: those the last background refresh found answering over UDP, or all of them when no
     * refresh has run.
     */
    public List<IperfServer> usable() {
        reloadIfReplaced();
        List<IperfServer> r = reachable;
        return r != null ? r : servers;
    }

    /** In the given continent (or country), compared without case; usable servers only. */
    public List<IperfServer> inRegion(String region) {
        String want = region == null ? "" : region.strip().toLowerCase(Locale.ROOT);
        return usable().stream()
                .filter(s -> want.equals(lower(s.continent())) || want.equals(lower(s.country())))
                .toList();
    }

    /** Regions (continents) present in the list, for the form. */
    public List<String> regions() {
        return all().stream().map(IperfServer::continent).filter(c -> c != null && !c.isBlank()).distinct()
                .sorted().toList();
    }

    /** Why the list is missing or stale, or null when it loaded. */
    public String problem() {
        reloadIfReplaced();
        return problem;
    }

    /** Replaces the set of servers known to answer; called by the background refresh. */
    void markReachable(List<IperfServer> answering) {
        reachable = List.copyOf(answering);
    }

    private static String lower(String s) {
        return s == null ? "" : s.strip().toLowerCase(Locale.ROOT);
    }
}
