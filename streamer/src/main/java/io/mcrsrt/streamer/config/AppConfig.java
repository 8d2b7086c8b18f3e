package io.mcrsrt.streamer.config;

import io.mcrsrt.srt.AddressText;
import io.mcrsrt.streamer.nettest.Mechanism;
import io.mcrsrt.streamer.nettest.NetworkTestSettings;
import io.mcrsrt.streamer.stream.EngineSettings;
import io.mcrsrt.streamer.system.LocalAddresses;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * The service's configuration, read once from the environment, validated, then immutable. Every variable has a
 * working default (see {@code docs/configuration.md}); a bad value stops the start with one message per variable.
 *
 * @param host                   address the web server binds ({@code HOST})
 * @param port                   web server port ({@code PORT})
 * @param mediaFolder            root of playable files ({@code MEDIA_FOLDER})
 * @param dataDir                stream definitions, secrets, caches ({@code DATA_DIR})
 * @param logDir                 rolling log files ({@code LOG_DIR})
 * @param maxStreams             most streams at once ({@code MAX_STREAMS})
 * @param listenerPortMin        lowest listener port ({@code LISTENER_PORT_MIN})
 * @param listenerPortMax        highest listener port ({@code LISTENER_PORT_MAX})
 * @param maxCallersPerListener  most callers per listener stream ({@code MAX_CALLERS_PER_LISTENER})
 * @param networkTest            {@code NETWORK_TEST_MECHANISM}, {@code NETWORK_TEST_SERVERS},
 *                               {@code NETWORK_TEST_REFRESH_MINUTES}
 * @param apiKey                 {@code API_KEY}, or null to use the generated one kept in the data directory
 * @param secretKey              {@code SECRET_KEY}, or null to use the generated one kept in the data directory
 * @param uiUsername             {@code UI_USERNAME}, or null when the UI needs no login
 * @param uiPasswordHash         {@code UI_PASSWORD_HASH} (from {@code mcr-srt hash-password}), or null
 * @param iptvChannelsFile       {@code IPTV_CHANNELS_FILE}
 * @param metricsToken           {@code METRICS_TOKEN}: bearer token {@code /metrics} requires, or null for none
 * @param srtListenAddress       {@code SRT_LISTEN_ADDRESS}: the address of this machine SRT listener streams bind, as
 *                               written ({@code 0.0.0.0}: every IPv4 address), or null for every address, IPv4
 *                               and IPv6
 * @param httpMaxConnections     most HTTP connections open at once ({@code HTTP_MAX_CONNECTIONS}); one more waits
 *                               until one closes
 */
public record AppConfig(
        String host,
        int port,
        Path mediaFolder,
        Path dataDir,
        Path logDir,
        int maxStreams,
        int listenerPortMin,
        int listenerPortMax,
        int maxCallersPerListener,
        NetworkTestSettings networkTest,
        String apiKey,
        String secretKey,
        String uiUsername,
        String uiPasswordHash,
        Path iptvChannelsFile,
        String metricsToken,
        String srtListenAddress,
        int httpMaxConnections) {
    /**
     * Default of {@code MAX_CALLERS_PER_LISTENER}, and of {@code send --max-callers}: the same listener serves as many
     * callers from the command line as from the service.
     */
    public static final int DEFAULT_MAX_CALLERS_PER_LISTENER = 8;
    /** Highest {@code MAX_CALLERS_PER_LISTENER}, and {@code send --max-callers}, taken. */
    public static final int MAX_CALLERS_PER_LISTENER_LIMIT = 1000;
    /**
     * Default of {@code HTTP_MAX_CONNECTIONS}: twice the live event connections the service takes (256, one a UI tab),
     * so that tabs at that limit still leave as many connections for requests.
     */
    public static final int DEFAULT_HTTP_MAX_CONNECTIONS = 512;
    /** Fewest {@code HTTP_MAX_CONNECTIONS} taken: a browser alone opens six connections to one site. */
    public static final int MIN_HTTP_MAX_CONNECTIONS = 16;
    /**
     * Most {@code HTTP_MAX_CONNECTIONS} taken: each connection is a file descriptor, which the SRT streams need too;
     * half the 65536 the systemd unit allows.
     */
    public static final int MAX_HTTP_MAX_CONNECTIONS = 32_768;

    public AppConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(mediaFolder, "mediaFolder");
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(logDir, "logDir");
        Objects.requireNonNull(networkTest, "networkTest");
        Objects.requireNonNull(iptvChannelsFile, "iptvChannelsFile");
    }

    /**
     * A {@code LOG_LEVEL} value as logback's level name (any case in, upper case out); null for anything else, which
     * logback would quietly read as DEBUG.
     */
    public static String logLevel(String value) {
        String upper = value.toUpperCase(java.util.Locale.ROOT);
        return List.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR").contains(upper) ? upper : null;
    }

    /** Reads the process environment. */
    public static AppConfig fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    /**
     * Reads and validates the given variables; unset or blank ones take their defaults.
     *
     * @throws ConfigException naming every bad variable, its value and what is allowed
     */
    public static AppConfig fromEnvironment(Map<String, String> env) {
        Reader r = new Reader(env);
        String host = r.parse("HOST", "127.0.0.1", Reader::host, "an address of this machine to listen on: "
                + "127.0.0.1 (this machine only), 0.0.0.0 or :: (every interface), the address of one interface, or a "
                + "host name such as localhost");
        // Read by logback.xml itself; checked here so that a typo stops the start instead of logging everything.
        r.parse("LOG_LEVEL", "INFO", AppConfig::logLevel, "one of TRACE, DEBUG, INFO, WARN, ERROR");
        int port = r.integer("PORT", 5000, 1, 65535);
        Path media = r.path("MEDIA_FOLDER", "./media");
        Path data = r.path("DATA_DIR", "./data");
        Path logs = r.path("LOG_DIR", "./logs");
        int maxStreams = r.integer("MAX_STREAMS", 64, 1, 10_000);
        int min = r.integer("LISTENER_PORT_MIN", 10001, 1, 65535);
        int max = r.integer("LISTENER_PORT_MAX", 10010, 1, 65535);
        if (min > max) {
            r.error("LISTENER_PORT_MIN", String.valueOf(min), "a port not above LISTENER_PORT_MAX (" + max + ")");
        }
        int callers = r.integer("MAX_CALLERS_PER_LISTENER", DEFAULT_MAX_CALLERS_PER_LISTENER, 1,
                MAX_CALLERS_PER_LISTENER_LIMIT);
        int httpConnections = r.integer("HTTP_MAX_CONNECTIONS", DEFAULT_HTTP_MAX_CONNECTIONS,
                MIN_HTTP_MAX_CONNECTIONS, MAX_HTTP_MAX_CONNECTIONS);
        Mechanism mechanism = r.parse("NETWORK_TEST_MECHANISM", "ping_only", Reader::mechanism,
                "one of ping_only, iperf, srt");
        String servers = r.optional("NETWORK_TEST_SERVERS");
        int refreshMinutes = r.integer("NETWORK_TEST_REFRESH_MINUTES", 0, 0, 10_080);
        NetworkTestSettings networkTest = new NetworkTestSettings(mechanism,
                servers == null ? null : r.path("NETWORK_TEST_SERVERS", servers),
                refreshMinutes == 0 ? null : Duration.ofMinutes(refreshMinutes));
        String apiKey = r.secret("API_KEY");
        String secretKey = r.secret("SECRET_KEY");
        String user = r.optional("UI_USERNAME");
        String hash = r.optional("UI_PASSWORD_HASH");
        if ((user == null) != (hash == null)) {
            r.errors.add("UI_USERNAME and UI_PASSWORD_HASH must be set together (the UI login needs both), or both "
                    + "left unset for no login. Make the hash with: mcr-srt hash-password");
        } else if (hash != null && !PasswordHash.isWellFormed(hash)) {
            r.error("UI_PASSWORD_HASH", "(hidden)", "a hash printed by `mcr-srt hash-password`");
        }
        Path iptv = r.path("IPTV_CHANNELS_FILE", data.resolve("iptv_channels.json").toString());
        String metricsToken = r.metricsToken();
        String srtListenValue = r.optional("SRT_LISTEN_ADDRESS");
        String srtListen = srtListenValue == null ? null : Reader.listenAddress(srtListenValue);
        if (srtListenValue != null && srtListen == null) {
            r.error("SRT_LISTEN_ADDRESS", srtListenValue, "an address of this machine, written as an address"
                    + " (192.0.2.10, ::1), that SRT listener streams bind; unset (the default) for every address,"
                    + " IPv4 and IPv6");
        }
        if (!r.errors.isEmpty()) {
            throw new ConfigException("Invalid configuration:\n  " + String.join("\n  ", r.errors));
        }
        return new AppConfig(host, port, media, data, logs, maxStreams, min, max, callers, networkTest, apiKey,
                secretKey, user, hash, iptv, metricsToken, srtListen, httpConnections);
    }

    /** Whether the UI asks for a user name and password. */
    public boolean loginRequired() {
        return uiUsername != null;
    }

    /** What the stream engine needs of this configuration. */
    public EngineSettings engineSettings() {
        return new EngineSettings(mediaFolder, dataDir, maxStreams, listenerPortMin, listenerPortMax,
                maxCallersPerListener, srtListenAddress);
    }

    /**
     * Looks {@code HOST} up, when it is a name, and checks that it names an address of this machine. Kept out of
     * {@link #fromEnvironment} so that reading the configuration never waits on a resolver; the service calls it once
     * before it binds. Without it a typo in the name reached the web server, which reported it as "Port already in
     * use" and sent the engineer looking for another process.
     *
     * @throws ConfigException naming HOST, its value and what to use instead
     */
    public void checkHostIsLocal() {
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        } catch (java.net.UnknownHostException e) {
            throw new ConfigException("Invalid configuration:\n  HOST=" + host + " is not allowed: the name does not"
                    + " resolve to an address. Check the spelling, or use an address such as 127.0.0.1.", e);
        }
        for (InetAddress a : addresses) {
            if (LocalAddresses.isLocal(a)) {
                return;
            }
        }
        throw new ConfigException("Invalid configuration:\n  HOST=" + host + " is not allowed: it resolves to "
                + java.util.Arrays.stream(addresses).map(InetAddress::getHostAddress).toList()
                + ", which no interface of this machine has. Use an address of this machine, or 0.0.0.0 for every"
                + " interface.");
    }

    /**
     * Creates the media, data and log directories if missing; the data directory gets mode 0700 because it holds
     * secrets.
     *
     * @throws ConfigException if a directory cannot be created
     */
    public void createDirectories() {
        create("MEDIA_FOLDER", mediaFolder);
        create("LOG_DIR", logDir);
        create("DATA_DIR", dataDir);
        FilePermissions.ownerOnly(dataDir, true);
    }

    private static void create(String variable, Path dir) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            // createDirectories would say only the path (FileAlreadyExistsException), which reads as no reason at all
            throw new ConfigException(variable + "=" + dir + " is a file, not a directory. Point " + variable
                    + " at a directory, or move the file away.");
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new ConfigException(variable + "=" + dir + " cannot be created ("
                    + io.mcrsrt.streamer.stream.FailureText.describe(e)
                    + "). " + UnwritableDir.fix(variable, e), e);
        }
    }

    /** Masks the secrets. */
    @Override
    public String toString() {
        return "AppConfig[host=" + host + ", port=" + port + ", mediaFolder=" + mediaFolder + ", dataDir=" + dataDir
                + ", logDir=" + logDir + ", maxStreams=" + maxStreams + ", listenerPorts=" + listenerPortMin + "-"
                + listenerPortMax + ", maxCallersPerListener=" + maxCallersPerListener + ", networkTest="
                + networkTest + ", apiKey=" + (apiKey == null ? "generated" : "***")
                + ", secretKey=" + (secretKey == null ? "generated" : "***") + ", uiLogin=" + loginRequired()
                + ", iptvChannelsFile=" + iptvChannelsFile + ", metricsToken=" + (metricsToken == null ? "none" : "***")
                + ", srtListenAddress=" + (srtListenAddress == null ? "every address" : srtListenAddress)
                + ", httpMaxConnections=" + httpMaxConnections + "]";
    }

    private static final class Reader {
        /** Fewest characters of API_KEY, SECRET_KEY and METRICS_TOKEN when set. */
        private static final int MIN_SECRET_LENGTH = 16;

        private final Map<String, String> env;
        private final List<String> errors = new ArrayList<>();

        Reader(Map<String, String> env) {
            this.env = env;
        }

        String optional(String name) {
            String v = env.get(name);
            return v == null || v.isBlank() ? null : v.strip();
        }

        String string(String name, String fallback) {
            String v = optional(name);
            return v == null ? fallback : v;
        }

        Path path(String name, String fallback) {
            String v = string(name, fallback);
            try {
                return Path.of(v).toAbsolutePath().normalize();
            } catch (RuntimeException e) {
                error(name, v, "a file system path");
                return Path.of(fallback).toAbsolutePath().normalize();
            }
        }

        int integer(String name, int fallback, int min, int max) {
            String v = optional(name);
            if (v == null) {
                return fallback;
            }
            try {
                int n = Integer.parseInt(v);
                if (n >= min && n <= max) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            error(name, v, "a whole number from " + min + " to " + max + " (default " + fallback + ")");
            return fallback;
        }

        <T> T parse(String name, String fallback, Function<String, T> parser, String allowed) {
            String v = string(name, fallback);
            T t = parser.apply(v);
            if (t == null) {
                error(name, v, allowed + " (default " + fallback + ")");
                return parser.apply(fallback);
            }
            return t;
        }

        /** An address of this machine written as one (brackets around IPv6 allowed), without brackets; else null. */
        static String listenAddress(String value) {
            return localLiteral(AddressText.unbracketed(value));
        }

        /**
         * {@code literal} when it is an address of this machine as engineers type one ({@link AddressText#typed}), an
         * IPv6 one with or without its zone ({@code fe80::1%eth0}); else null. Not the JDK's shorter forms: 127.1 or
         * 2130706433 would be bound as 127.0.0.1 and shown as typed.
         */
        private static String localLiteral(String literal) {
            int percent = literal.indexOf('%');
            if (AddressText.typed(percent > 0 ? literal.substring(0, percent) : literal) == null) {
                return null;
            }
            InetAddress address = AddressText.literal(literal);
            return address != null && LocalAddresses.isLocal(address) ? literal : null;
        }

        /**
         * An address to bind: a wildcard, loopback or interface address literal (IPv6 with or without brackets,
         * returned without), or a host name, left to the resolver; null for anything else, or for an address literal
         * that no interface of this machine has. No name is looked up here.
         */
        static String host(String value) {
            String literal = AddressText.unbracketed(value);
            if (literal.matches("[0-9.]+") || literal.contains(":")) {
                return localLiteral(literal);
            }
            boolean name = literal.length() <= 253
                    && literal.matches("[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");
            return name ? literal : null;
        }

        static Mechanism mechanism(String value) {
            try {
                return Mechanism.of(value);
            } catch (IllegalArgumentException e) {
                return null;
            }
        }

        /** A key the service generates when it is unset; at least {@link #MIN_SECRET_LENGTH} characters when set. */
        String secret(String name) {
            String v = optional(name);
            if (v != null && v.length() < MIN_SECRET_LENGTH) {
                error(name, hidden(v), "at least " + MIN_SECRET_LENGTH + " characters; or leave it unset and one is"
                        + " generated in DATA_DIR");
            }
            return v;
        }

        /**
         * {@code METRICS_TOKEN}: as long as the other secrets when set. Nothing is generated when it is unset:
         * {@code /metrics} is then open, so the message says that rather than promise a generated token.
         */
        String metricsToken() {
            String v = optional("METRICS_TOKEN");
            if (v != null && v.length() < MIN_SECRET_LENGTH) {
                error("METRICS_TOKEN", hidden(v), "at least " + MIN_SECRET_LENGTH + " characters, as API_KEY; or"
                        + " leave it unset for an open /metrics");
            }
            return v;
        }

        /** How a secret is shown in a message: its length only. */
        private static String hidden(String secret) {
            return "(" + secret.length() + (secret.length() == 1 ? " character" : " characters") + ", hidden)";
        }

        void error(String name, String value, String allowed) {
            errors.add(name + "=" + value + " is not allowed: expected " + allowed + ".");
        }
    }
}
