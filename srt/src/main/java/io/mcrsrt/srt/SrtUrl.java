package io.mcrsrt.srt;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An SRT address as srt-live-transmit and ffmpeg write it: {@code srt://host:port?key=value&...}. An empty host
 * ({@code srt://:9000}) means a listener on all addresses; IPv6 literals go in brackets ({@code srt://[::1]:9000}).
 * Query keys are those of srt-live-transmit ({@code latency} in milliseconds, {@code mode}, {@code passphrase},
 * {@code streamid} ...) plus ffmpeg's spellings where they mean the same ({@code pkt_size}, {@code smoother},
 * {@code srt_streamid} ...). Values may be percent-encoded. Immutable.
 *
 * <p>The passphrase never appears in clear in what this class prints: {@link #toString()} and every exception message
 * show it as {@code <hidden>}, so a URL may be logged. {@link #toStringWithPassphrase()} is the exact canonical form,
 * which parses back to an equal URL, for handing the URL on to another program.
 */
public final class SrtUrl {

    /** How the connection is made. */
    public enum Mode {
        /** Connect to a listener at host:port. */
        CALLER,
        /** Wait at port (on host, or all addresses when empty) for callers. */
        LISTENER,
        /** Both sides connect to each other from the same port. */
        RENDEZVOUS
    }

    private static final String SCHEME = "srt://";

    /** What is printed instead of a passphrase. */
    private static final String HIDDEN = "<hidden>";
    /** What parse, takeOut and queryKeys say when given no URL. */
    private static final String URL_NOT_NULL = "url must not be null (an SRT URL, e.g. \"srt://192.0.2.10:9000\" or"
            + " \"srt://:9000\")";

    /** A passphrase value in raw URL text, from the key to the next {@code &} (also when mistyped with a colon). */
    /** An IPv6 address as brackets hold it: hex groups, an IPv4 tail, and a zone ({@code %eth0}) for link-local. */
    private static final Pattern IPV6_LITERAL = Pattern.compile("[0-9A-Fa-f.]*:[0-9A-Fa-f:.]*(%[\\w.-]*)?");
    private static final Pattern PASSPHRASE_IN_TEXT = Pattern.compile("(?i)(passphrase\\s*[=:])[^&]*");

    /** Keys that configure the connection rather than a socket option. */
    private static final List<String> CONNECTION_KEYS = List.of("mode", "adapter", "port");

    /** Socket options by URL key, in the order they must be applied: TRANSTYPE first, FC before RCVBUF. */
    private static final Map<String, SrtOption<?>> OPTION_KEYS = new LinkedHashMap<>();

    /** Other spellings (ffmpeg's) of the same keys. */
    private static final Map<String, String> ALIASES = Map.of(
            "pkt_size", "payloadsize",
            "payload_size", "payloadsize",
            "enforced_encryption", "enforcedencryption",
            "srt_streamid", "streamid",
            "smoother", "congestion",
            "ffs", "fc",
            "send_buffer_size", "udp_sndbuf",
            "recv_buffer_size", "udp_rcvbuf");

    static {
        OPTION_KEYS.put("transtype", SrtOption.TRANSTYPE);
        OPTION_KEYS.put("congestion", SrtOption.CONGESTION);
        OPTION_KEYS.put("messageapi", SrtOption.MESSAGEAPI);
        OPTION_KEYS.put("payloadsize", SrtOption.PAYLOADSIZE);
        OPTION_KEYS.put("mss", SrtOption.MSS);
        OPTION_KEYS.put("fc", SrtOption.FC);
        OPTION_KEYS.put("rcvbuf", SrtOption.RCVBUF);
        OPTION_KEYS.put("sndbuf", SrtOption.SNDBUF);
        OPTION_KEYS.put("udp_rcvbuf", SrtOption.UDP_RCVBUF);
        OPTION_KEYS.put("udp_sndbuf", SrtOption.UDP_SNDBUF);
        OPTION_KEYS.put("ipttl", SrtOption.IPTTL);
        OPTION_KEYS.put("iptos", SrtOption.IPTOS);
        OPTION_KEYS.put("ipv6only", SrtOption.IPV6ONLY);
        OPTION_KEYS.put("bindtodevice", SrtOption.BINDTODEVICE);
        OPTION_KEYS.put("latency", SrtOption.LATENCY);
        OPTION_KEYS.put("rcvlatency", SrtOption.RCVLATENCY);
        OPTION_KEYS.put("peerlatency", SrtOption.PEERLATENCY);
        OPTION_KEYS.put("tsbpdmode", SrtOption.TSBPDMODE);
        OPTION_KEYS.put("tlpktdrop", SrtOption.TLPKTDROP);
        OPTION_KEYS.put("snddropdelay", SrtOption.SNDDROPDELAY);
        OPTION_KEYS.put("nakreport", SrtOption.NAKREPORT);
        OPTION_KEYS.put("pbkeylen", SrtOption.PBKEYLEN);
        OPTION_KEYS.put("passphrase", SrtOption.PASSPHRASE);
        OPTION_KEYS.put("enforcedencryption", SrtOption.ENFORCEDENCRYPTION);
        OPTION_KEYS.put("kmrefreshrate", SrtOption.KMREFRESHRATE);
        OPTION_KEYS.put("kmpreannounce", SrtOption.KMPREANNOUNCE);
        OPTION_KEYS.put("streamid", SrtOption.STREAMID);
        OPTION_KEYS.put("maxbw", SrtOption.MAXBW);
        OPTION_KEYS.put("inputbw", SrtOption.INPUTBW);
        OPTION_KEYS.put("mininputbw", SrtOption.MININPUTBW);
        OPTION_KEYS.put("oheadbw", SrtOption.OHEADBW);
        OPTION_KEYS.put("conntimeo", SrtOption.CONNTIMEO);
        OPTION_KEYS.put("peeridletimeo", SrtOption.PEERIDLETIMEO);
        OPTION_KEYS.put("lossmaxttl", SrtOption.LOSSMAXTTL);
        OPTION_KEYS.put("minversion", SrtOption.MINVERSION);
        OPTION_KEYS.put("drifttracer", SrtOption.DRIFTTRACER);
        OPTION_KEYS.put("linger", SrtOption.LINGER);
        OPTION_KEYS.put("packetfilter", SrtOption.PACKETFILTER);
        OPTION_KEYS.put("retransmitalgo", SrtOption.RETRANSMITALGO);
        OPTION_KEYS.put("sender", SrtOption.SENDER);
        OPTION_KEYS.put("groupconnect", SrtOption.GROUPCONNECT);
        OPTION_KEYS.put("groupminstabletimeo", SrtOption.GROUPMINSTABLETIMEO);
    }

    private final String host;
    private final int port;
    private final Map<String, String> parameters;

    private SrtUrl(String host, int port, Map<String, String> parameters) {
        this.host = host;
        this.port = port;
        this.parameters = Collections.unmodifiableMap(parameters);
    }

    /**
     * Parses and validates an SRT URL.
     *
     * @throws IllegalArgumentException naming the bad part (key, value) and what is allowed
     */
    public static SrtUrl parse(String url) {
        Objects.requireNonNull(url, URL_NOT_NULL);
        // The URL as error messages may quote it.
        String shown = redact(url);
        if (!url.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            throw new IllegalArgumentException("\"" + shown + "\" is not an SRT URL (expected: srt://host:port?key=value,"
                    + " for example srt://192.0.2.10:9000?latency=200)");
        }
        String rest = url.substring(SCHEME.length());
        int q = rest.indexOf('?');
        String authority = q < 0 ? rest : rest.substring(0, q);
        if (authority.endsWith("/")) {
            authority = authority.substring(0, authority.length() - 1);
        }
        int at = authority.lastIndexOf('@');
        if (at >= 0) {
            // What stands before the @ may be a password: the message leaves it out.
            throw new IllegalArgumentException("\"" + redact(SCHEME + "<hidden>@" + authority.substring(at + 1)
                    + (q < 0 ? "" : rest.substring(q))) + "\": an SRT URL has no user name or password before the"
                    + " host (expected: srt://host:port; to encrypt, add ?passphrase=...)");
        }
        String host;
        String portText;
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            if (close < 0 || !authority.startsWith(":", close + 1)) {
                throw new IllegalArgumentException("\"" + shown + "\": an IPv6 address must be written [address]:port,"
                        + " for example srt://[::1]:9000");
            }
            // a zone may be written as RFC 6874 has it in a URL, %25eth0
            host = AddressText.zoneDecoded(authority.substring(1, close));
            if (!IPV6_LITERAL.matcher(host).matches()) {
                throw new IllegalArgumentException("\"" + shown + "\": '" + host + "' in brackets is not an IPv6"
                        + " address (expected: srt://[2001:db8::1]:9000, or fe80::1%eth0 with its interface; a host"
                        + " name or an IPv4 address goes without brackets)");
            }
            portText = authority.substring(close + 2);
            String zoneProblem = AddressText.zoneProblem(host);
            if (zoneProblem != null) {
                throw new IllegalArgumentException("\"" + shown + "\": " + zoneProblem);
            }
        } else {
            int colon = authority.lastIndexOf(':');
            if (colon > 0 && authority.indexOf(':') != colon) {
                throw new IllegalArgumentException("\"" + shown + "\": an IPv6 address must be written in brackets,"
                        // a bracket typed on one side only is not doubled: srt://::1]:9000 becomes srt://[::1]:9000
                        + " as " + redact(SCHEME + "[" + authority.substring(0, colon).replace("[", "").replace("]", "")
                        + "]"
                        + authority.substring(colon) + (q < 0 ? "" : rest.substring(q))));
            }
            if (colon < 0 || authority.indexOf(':') != colon) {
                throw new IllegalArgumentException("\"" + shown + "\" has no port (expected: srt://host:port, or "
                        + "srt://:port for a listener on all addresses)");
            }
            host = authority.substring(0, colon);
            portText = authority.substring(colon + 1);
        }
        int port = parsePort(shown, portText);
        Map<String, String> parameters = new LinkedHashMap<>();
        if (q >= 0) {
            for (String pair : pairs(rest.substring(q + 1))) {
                String key = canonicalKey(keyOf(pair));
                String value = decode(valueOf(pair), key);
                validate(key, value);
                if (parameters.containsKey(key)) {
                    // two values for one setting: whichever won, the other was a mistake nobody was told about
                    throw givenTwice(key, shown);
                }
                parameters.put(key, value);
            }
        }
        String modeValue = parameters.get("mode");
        if (modeValue != null && parseMode(modeValue) == Mode.CALLER && host.isEmpty()) {
            throw new IllegalArgumentException("\"" + shown + "\": a caller needs a host to call (expected: "
                    + "srt://host:" + port + "?mode=caller)");
        }
        return new SrtUrl(host, port, parameters);
    }

    /**
     * A URL's text with one query parameter taken out: what {@link #takeOut} returns.
     *
     * @param rest  the URL as written without that parameter, the others as written and in their order
     * @param value the parameter's value, percent-decoded and not checked; null when the URL does not have it
     */
    public record TakenOut(String rest, String value) {
        public TakenOut {
            Objects.requireNonNull(rest, "rest must not be null (the URL as written without the parameter taken out)");
        }
    }

    /**
     * Takes query parameter {@code key} out of a URL that is not parsed yet, for a program that gives that key a range
     * or meaning of its own where {@link #parse} would check it against libsrt's. The query is split, keys matched (in
     * any case, and under ffmpeg's spellings) and the value decoded as {@code parse} does; nothing else is checked:
     * parse {@link TakenOut#rest()} for that.
     *
     * @throws IllegalArgumentException when the key is given twice, or its value has a broken %-escape, in the words
     *                                  {@code parse} uses
     */
    public static TakenOut takeOut(String url, String key) {
        Objects.requireNonNull(url, URL_NOT_NULL);
        Objects.requireNonNull(key, "key must not be null (a query key, e.g. \"latency\")");
        String wanted = ALIASES.getOrDefault(key.toLowerCase(Locale.ROOT), key.toLowerCase(Locale.ROOT));
        int q = url.indexOf('?');
        if (q < 0) {
            return new TakenOut(url, null);
        }
        List<String> kept = new ArrayList<>();
        String value = null;
        for (String pair : pairs(url.substring(q + 1))) {
            String k = keyOf(pair);
            if (!ALIASES.getOrDefault(k, k).equals(wanted)) {
                kept.add(pair);
            } else if (value != null) {
                throw givenTwice(wanted, redact(url));
            } else {
                value = decode(valueOf(pair), wanted);
            }
        }
        return new TakenOut(url.substring(0, q) + (kept.isEmpty() ? "" : "?" + String.join("&", kept)), value);
    }

    /**
     * The query keys of a URL that is not parsed yet, in order, each as {@link #parse} reads it: in lower case, under
     * the canonical name of ffmpeg's spellings ({@code srt_streamid} is {@code streamid}). Nothing is checked, so a
     * program that takes only some keys can refuse the others in its own words before {@code parse} refuses the ones
     * libsrt does not know.
     */
    public static List<String> queryKeys(String url) {
        Objects.requireNonNull(url, URL_NOT_NULL);
        int q = url.indexOf('?');
        List<String> keys = new ArrayList<>();
        for (String pair : q < 0 ? List.<String>of() : pairs(url.substring(q + 1))) {
            String k = keyOf(pair);
            keys.add(ALIASES.getOrDefault(k, k));
        }
        return keys;
    }

    /** A query's {@code key=value} pairs as written, empty ones left out. */
    private static List<String> pairs(String query) {
        List<String> pairs = new ArrayList<>();
        for (String pair : query.split("&")) {
            if (!pair.isEmpty()) {
                pairs.add(pair);
            }
        }
        return pairs;
    }

    /** A pair's key in lower case, not yet canonical. */
    private static String keyOf(String pair) {
        int eq = pair.indexOf('=');
        return (eq < 0 ? pair : pair.substring(0, eq)).toLowerCase(Locale.ROOT);
    }

    /** A pair's value as written, not yet decoded; empty when it has none. */
    private static String valueOf(String pair) {
        int eq = pair.indexOf('=');
        return eq < 0 ? "" : pair.substring(eq + 1);
    }

    private static IllegalArgumentException givenTwice(String key, String shownUrl) {
        return new IllegalArgumentException("SRT URL parameter " + key + " is given twice in \"" + shownUrl
                + "\" (expected: each parameter once; remove one)");
    }

    /** The host as written (name or address, IPv6 without brackets); empty for "all addresses". */
    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    /** The mode: as given by {@code mode=}, otherwise listener when the host is empty and caller when it is not. */
    public Mode mode() {
        String m = parameters.get("mode");
        return m != null ? parseMode(m) : host.isEmpty() ? Mode.LISTENER : Mode.CALLER;
    }

    /** The query parameters under their canonical keys, in the order given. */
    public Map<String, String> parameters() {
        return parameters;
    }

    /** One query parameter, by canonical key. */
    public Optional<String> parameter(String key) {
        Objects.requireNonNull(key, "key must not be null (a canonical query key, e.g. \"latency\")");
        return Optional.ofNullable(parameters.get(key));
    }

    /** This URL with {@code key} set to {@code value} (validated like a parsed one). */
    public SrtUrl with(String key, String value) {
        Objects.requireNonNull(key, "key must not be null (a query key, e.g. \"latency\")");
        Objects.requireNonNull(value, "value must not be null (a URL parameter has no unset value: use a URL without"
                + " the key)");
        String canonical = canonicalKey(key.toLowerCase(Locale.ROOT));
        validate(canonical, value);
        Map<String, String> copy = new LinkedHashMap<>(parameters);
        copy.put(canonical, value);
        return new SrtUrl(host, port, copy);
    }

    /** The address a caller connects to, or a rendezvous peer is at. */
    public InetSocketAddress remoteAddress() {
        return new InetSocketAddress(host, port);
    }

    /**
     * The local address to bind: for a listener host:port (or {@code adapter} when given; every address when the host
     * is empty: {@code ::}, which a listener binds with IPV6ONLY off unless the URL sets {@code ipv6only}, so that it
     * takes IPv4 and IPv6 callers; {@code 0.0.0.0} on a machine without IPv6); for rendezvous {@code adapter} (or all
     * addresses) and {@code port} (or the remote port).
     */
    public InetSocketAddress bindAddress() {
        String adapter = parameters.get("adapter");
        if (mode() == Mode.LISTENER) {
            String bindHost = adapter != null ? adapter : host;
            return bindHost.isEmpty() ? new InetSocketAddress(SocketAddresses.everyAddress(), port)
                    : new InetSocketAddress(bindHost, port);
        }
        int localPort = parameters.containsKey("port") ? Integer.parseInt(parameters.get("port")) : 0;
        if (mode() == Mode.RENDEZVOUS && localPort == 0) {
            localPort = port;
        }
        if (adapter != null) {
            return new InetSocketAddress(adapter, localPort);
        }
        boolean v6 = host.contains(":");
        return new InetSocketAddress(v6 ? "::" : "0.0.0.0", localPort);
    }

    /**
     * Applies this URL's options to a fresh socket, in the order libsrt needs: TRANSTYPE first (it resets the others to
     * its defaults), FC before RCVBUF (RCVBUF is capped at FC).
     */
    public SrtSocket configure(SrtSocket socket) throws SrtException {
        Objects.requireNonNull(socket, "socket must not be null (a new one from SrtSocket.create())");
        for (Map.Entry<String, SrtOption<?>> e : OPTION_KEYS.entrySet()) {
            String value = parameters.get(e.getKey());
            if (value != null) {
                setParsed(socket, e.getValue(), e.getKey(), value);
            }
        }
        return socket;
    }

    /** A configured, unconnected socket (for callers that add options of their own before connecting). */
    public SrtSocket newSocket() throws SrtException {
        SrtSocket socket = SrtSocket.create();
        try {
            return configure(socket);
        } catch (SrtException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /**
     * A configured caller socket, not yet connected: bound first to {@code adapter} and {@code port} when the URL
     * names either, so that the caller leaves from that address; otherwise libsrt picks them when it connects.
     */
    SrtSocket newCallerSocket() throws SrtException {
        SrtSocket socket = newSocket();
        try {
            if (parameters.containsKey("adapter") || parameters.containsKey("port")) {
                socket.bind(bindAddress());
            }
            return socket;
        } catch (SrtException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /**
     * A connected caller, dialled with {@link SrtSocket#dial}: a host name is resolved now and each of its addresses
     * dialled in turn, with a socket of its own, until one connects (a name with an IPv4 and an IPv6 address reaches
     * a listener on either, IPv4 first as the JDK orders them). Only an address that did not answer
     * ({@link SrtException#NO_SERVER}) moves on to the next; a refusal is the listener's answer and is thrown at once.
     * When none answers, the last address's failure is thrown with the others' {@linkplain Throwable#getSuppressed()
     * suppressed}.
     *
     * @param dialling told each socket before it dials, so that another thread can close it to end the dial
     */
    SrtSocket dialCaller(Consumer<SrtSocket> dialling) throws SrtException {
        List<InetSocketAddress> targets = remoteAddresses();
        List<SrtException> unanswered = new ArrayList<>();
        for (InetSocketAddress target : targets) {
            SrtSocket socket = newCallerSocket();
            try {
                dialling.accept(socket);
                return socket.dial(target);
            } catch (SrtException e) {
                socket.close();
                if (e.code() != SrtException.NO_SERVER || unanswered.size() == targets.size() - 1) {
                    unanswered.forEach(e::addSuppressed);
                    throw e;
                }
                unanswered.add(e);
            } catch (RuntimeException e) {
                socket.close();
                throw e;
            }
        }
        throw new AssertionError("a host has at least one address");
    }

    /**
     * Every address of the host, in the order a caller tries them (the JDK's: IPv4 first); the host itself when it is
     * an address, or when it does not resolve (the dial then says so).
     */
    List<InetSocketAddress> remoteAddresses() {
        InetAddress[] all;
        try {
            all = InetAddress.getAllByName(host); // an address is taken as it is, without a lookup
        } catch (UnknownHostException e) {
            return List.of(remoteAddress()); // unresolved: the dial says that the name does not resolve
        }
        return Arrays.stream(all).map(a -> new InetSocketAddress(a, port)).toList();
    }

    /**
     * A listener bound and listening at {@link #bindAddress()}, configured from this URL.
     *
     * @throws IllegalArgumentException when the URL is not in listener mode ({@code srt://host:port} without
     *     {@code mode=} is a caller), naming the URL and the listener URL meant
     */
    public SrtSocket listen(int backlog) throws SrtException {
        if (mode() != Mode.LISTENER) {
            // A caller's bind address is the wildcard on a port libsrt picks: it would listen where nobody calls.
            throw new IllegalArgumentException("cannot listen on " + this + ": it is a " + mode().name()
                    .toLowerCase(Locale.ROOT) + " URL" + (parameters.containsKey("mode") ? ""
                    : " (a host and no mode= make a caller)") + "; to listen on "
                    + (host.contains(":") ? "[" + host + "]" : host) + ":" + port + " write "
                    + with("mode", "listener") + " (or srt://:" + port + " to listen on every address)");
        }
        SrtSocket socket = newSocket();
        try {
            return bindListener(socket, bindAddress()).listen(backlog);
        } catch (SrtException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /**
     * Binds a listening socket configured from this URL at {@code at}: as {@link SrtSocket#bindListener} (IPv4
     * callers too on the IPv6 wildcard), unless the URL sets {@code ipv6only}, which then stands.
     */
    SrtSocket bindListener(SrtSocket socket, InetSocketAddress at) throws SrtException {
        return parameters.containsKey("ipv6only") ? socket.bind(at) : socket.bindListener(at);
    }

    /**
     * A connected socket, whatever the mode: a caller connects (with {@link SrtSocket#dial}, so that nothing the peer
     * sends first is lost); a rendezvous peer meets its peer; a listener waits for one caller, accepts it and closes
     * the listening socket. That wait has no end but a caller: to be able to give up, {@link #listen(int) listen}
     * and {@link SrtSocket#accept() accept} instead, and close the listening socket from another thread, which ends
     * the accept with an {@link SrtException}.
     */
    public SrtSocket open() throws SrtException {
        return switch (mode()) {
            case LISTENER -> {
                try (SrtSocket listener = listen(1)) {
                    yield listener.accept();
                }
            }
            case CALLER -> dialCaller(socket -> { });
            case RENDEZVOUS -> {
                SrtSocket socket = newSocket();
                try {
                    yield socket.rendezvous(bindAddress(), remoteAddress());
                } catch (SrtException | RuntimeException e) {
                    socket.close();
                    throw e;
                }
            }
        };
    }

    /** Every query key this class accepts, canonical ones first, then aliases. */
    public static List<String> knownKeys() {
        List<String> keys = new ArrayList<>(CONNECTION_KEYS);
        keys.addAll(OPTION_KEYS.keySet());
        keys.addAll(ALIASES.keySet().stream().sorted().toList());
        return keys;
    }

    /** The canonical form with the passphrase shown as {@code <hidden>}: safe for logs and messages. */
    @Override
    public String toString() {
        return print(true);
    }

    /**
     * The canonical form with the passphrase in clear, which parses back to an equal URL: for handing the URL on to
     * another program, never for logs or messages.
     */
    public String toStringWithPassphrase() {
        return print(false);
    }

    private String print(boolean hidePassphrase) {
        StringBuilder b = new StringBuilder(SCHEME);
        b.append(host.contains(":") ? "[" + host + "]" : host).append(':').append(port);
        char sep = '?';
        for (Map.Entry<String, String> e : parameters.entrySet()) {
            b.append(sep).append(e.getKey()).append('=');
            b.append(hidePassphrase && e.getKey().equals("passphrase") ? HIDDEN : encode(e.getValue()));
            sep = '&';
        }
        return b.toString();
    }

    /**
     * {@code text} (a URL as given, or part of one) as a message quotes it: any passphrase value replaced by
     * {@code <hidden>}, control characters written out ({@link Visible}).
     */
    static String redact(String text) {
        return Visible.of(PASSPHRASE_IN_TEXT.matcher(text).replaceAll("$1" + Matcher.quoteReplacement(HIDDEN)));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SrtUrl u && u.host.equals(host) && u.port == port && u.parameters.equals(parameters);
    }

    @Override
    public int hashCode() {
        return Objects.hash(host, port, parameters);
    }

    private static String canonicalKey(String key) {
        String k = ALIASES.getOrDefault(key, key);
        if (!CONNECTION_KEYS.contains(k) && !OPTION_KEYS.containsKey(k)) {
            throw new IllegalArgumentException("unknown SRT URL parameter \"" + redact(key) + "\" (expected one of: "
                    + String.join(", ", knownKeys()) + ")");
        }
        return k;
    }

    private static void validate(String key, String value) {
        switch (key) {
            case "mode" -> parseMode(value);
            case "port" -> parsePort("port=" + value, value);
            case "adapter" -> {
                if (value.isEmpty()) {
                    throw bad(key, value, "a local IP address or host name");
                }
            }
            default -> convert(OPTION_KEYS.get(key), key, value);
        }
    }

    private static Mode parseMode(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "caller", "client" -> Mode.CALLER;
            case "listener", "server" -> Mode.LISTENER;
            case "rendezvous" -> Mode.RENDEZVOUS;
            default -> throw bad("mode", value, "caller, listener or rendezvous");
        };
    }

    private static int parsePort(String url, String text) {
        try {
            int port = Integer.parseInt(text);
            if (port >= 1 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException("\"" + url + "\": port \"" + redact(text) + "\" is not valid (expected: 1 to "
                + "65535)");
    }

    /** Converts a URL value to the option's Java type and checks its range. */
    @SuppressWarnings("unchecked")
    private static <T> T convert(SrtOption<T> option, String key, String value) {
        Object converted;
        Class<T> type = option.type();
        if (type == Integer.class) {
            converted = parseLong(key, value, "a whole number", Integer.MIN_VALUE, Integer.MAX_VALUE).intValue();
        } else if (type == Long.class) {
            converted = parseLong(key, value, "a whole number", Long.MIN_VALUE, Long.MAX_VALUE);
        } else if (type == Boolean.class) {
            converted = switch (value.toLowerCase(Locale.ROOT)) {
                case "1", "true", "yes", "on" -> true;
                case "0", "false", "no", "off" -> false;
                default -> throw bad(key, value, "true or false (1 or 0, yes or no, on or off)");
            };
        } else if (type == SrtTransType.class) {
            converted = switch (value.toLowerCase(Locale.ROOT)) {
                case "live" -> SrtTransType.LIVE;
                case "file" -> SrtTransType.FILE;
                default -> throw bad(key, value, "live or file");
            };
        } else {
            converted = value;
        }
        T typed = (T) converted;
        try {
            option.validate(typed);
        } catch (IllegalArgumentException e) {
            String msg = e.getMessage();
            int at = msg.indexOf("(expected: ");
            throw bad(key, option == SrtOption.PASSPHRASE ? "<hidden>" : value,
                    at < 0 ? option.description() : msg.substring(at + 11, msg.length() - 1));
        }
        return typed;
    }

    private static Long parseLong(String key, String value, String what, long min, long max) {
        try {
            // 0x... as libsrt's own tools read whole numbers (minversion=0x010300); a leading 0 stays decimal.
            boolean hex = value.matches("0[xX][0-9a-fA-F]{1,16}");
            long v = hex ? Long.parseLong(value.substring(2), 16) : Long.parseLong(value);
            if (v >= min && v <= max) {
                return v;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        // A number too large for the option's type is a whole number too: name the range it must fit.
        boolean number = value.matches("[+-]?[0-9]+");
        throw bad(key, value, number ? what + " from " + min + " to " + max : what);
    }

    private static <T> void setParsed(SrtSocket socket, SrtOption<T> option, String key, String value)
            throws SrtException {
        socket.set(option, convert(option, key, value));
    }

    private static IllegalArgumentException bad(String key, String value, String allowed) {
        return new IllegalArgumentException("SRT URL parameter " + key + "=" + Visible.of(value)
                + " is not valid (expected: " + allowed + ")");
    }

    /** Decodes %-escapes; {@code key} is canonical, and a passphrase is never quoted in the error. */
    private static String decode(String value, String key) {
        if (value.indexOf('%') < 0) {
            return value;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '%') {
                if (i + 2 >= value.length() || Character.digit(value.charAt(i + 1), 16) < 0
                        || Character.digit(value.charAt(i + 2), 16) < 0) {
                    throw new IllegalArgumentException("SRT URL parameter " + key + " has a broken %-escape in \""
                            + (key.equals("passphrase") ? HIDDEN : Visible.of(value))
                            + "\" (expected: % followed by two hex digits, e.g. %26 for &)");
                }
                out.write(Integer.parseInt(value, i + 1, i + 3, 16));
                i += 2;
            } else {
                // A whole code point: a character outside the BMP (an emoji) is two chars, a surrogate pair, which
                // one at a time would each encode as '?'.
                int codePoint = value.codePointAt(i);
                byte[] bytes = Character.toString(codePoint).getBytes(StandardCharsets.UTF_8);
                out.write(bytes, 0, bytes.length);
                i += Character.charCount(codePoint) - 1;
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static String encode(String value) {
        StringBuilder b = new StringBuilder();
        for (byte raw : value.getBytes(StandardCharsets.UTF_8)) {
            int c = raw & 0xff;
            if (c > 0x20 && c < 0x7f && c != '%' && c != '&' && c != '?') {
                b.append((char) c);
            } else {
                b.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return b.toString();
    }
}
