package io.mcrsrt.srt;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.IntFunction;
import java.util.function.ToIntFunction;

/**
 * A typed key for one libsrt socket option ({@code SRTO_*} of libsrt 1.5.1). The Java type decides how the value
 * crosses to C (int32, int64, bool, string, enum); {@link #restriction()} says when it may be set, and
 * {@link SrtSocket#set} checks that rule, the value's range and writability in Java before calling libsrt, so a wrong
 * call is an exception, never a crash. Instances are immutable constants.
 *
 * @param <T> the Java type of the value
 */
public final class SrtOption<T> {

    /** When an option may be set, as libsrt's documentation classifies it. */
    public enum Restriction {
        /** Only before the socket is bound (before bind, connect or rendezvous). */
        PRE_BIND,
        /** Only before the socket connects or listens. */
        PRE,
        /** At any time. */
        POST,
        /** Never: the value is reported by libsrt. */
        READ_ONLY
    }

    /** How the value is laid out in C. */
    enum Kind { INT, INT64, BOOL, STRING, LINGER }

    /** A range or set check; returns null when the value is acceptable, otherwise what is allowed. */
    @FunctionalInterface
    interface Check<T> {
        String problem(T value);
    }

    private static final Map<String, SrtOption<?>> BY_NAME = new LinkedHashMap<>();

    /** Maximum transfer unit of the UDP packets, in bytes (76..1500, default 1500). */
    public static final SrtOption<Integer> MSS = new SrtOption<>(
            "MSS", 0, Integer.class, Kind.INT, Restriction.PRE_BIND, true, true,
            i -> i, i -> i, range(76, 1500), "maximum transfer unit of the UDP packets, in bytes (76..1500, default 1500)");

    /** Sending blocks until the message is queued (default true). */
    public static final SrtOption<Boolean> SNDSYN = new SrtOption<>(
            "SNDSYN", 1, Boolean.class, Kind.BOOL, Restriction.POST, true, true,
            null, null, anything(), "sending blocks until the message is queued (default true)");

    /** Receiving blocks until a message is available (default true). */
    public static final SrtOption<Boolean> RCVSYN = new SrtOption<>(
            "RCVSYN", 2, Boolean.class, Kind.BOOL, Restriction.POST, true, true,
            null, null, anything(), "receiving blocks until a message is available (default true)");

    /** Initial sequence number (meaningful once connected). */
    public static final SrtOption<Integer> ISN = new SrtOption<>(
            "ISN", 3, Integer.class, Kind.INT, Restriction.READ_ONLY, true, false,
            i -> i, i -> i, anything(), "initial sequence number (meaningful once connected)");

    /** Flow control window, in packets (default 25600; set before RCVBUF, which it caps). */
    public static final SrtOption<Integer> FC = new SrtOption<>(
            "FC", 4, Integer.class, Kind.INT, Restriction.PRE, true, true,
            i -> i, i -> i, range(32, Integer.MAX_VALUE), "flow control window, in packets (default 25600; set before RCVBUF, which it caps)");

    /**
     * Send buffer, in bytes (at least 1472: libsrt keeps it in whole packets of MSS - 28 bytes, and a smaller value
     * holds none, a socket that could never send).
     */
    public static final SrtOption<Integer> SNDBUF = new SrtOption<>(
            "SNDBUF", 5, Integer.class, Kind.INT, Restriction.PRE_BIND, true, true,
            i -> i, i -> i, atLeast(1472, "one packet: libsrt keeps the send buffer in whole packets of MSS - 28"
                    + " bytes, 1472 with the default MSS of 1500, and a smaller value holds none, so nothing could"
                    + " ever be sent"),
            "send buffer, in bytes (at least 1472, one packet)");

    /** Receive buffer, in bytes (capped by FC; libsrt raises a value under 32 packets, 47104 bytes, to that). */
    public static final SrtOption<Integer> RCVBUF = new SrtOption<>(
            "RCVBUF", 6, Integer.class, Kind.INT, Restriction.PRE_BIND, true, true,
            i -> i, i -> i, range(1, Integer.MAX_VALUE),
            "receive buffer, in bytes (capped by FC; libsrt raises a value under 32 packets, 47104 bytes, to that)");

    /** Seconds close() waits for unsent data (0 = off; default 0 in live, 180 in file mode). */
    public static final SrtOption<Integer> LINGER = new SrtOption<>(
            "LINGER", 7, Integer.class, Kind.LINGER, Restriction.POST, true, true,
            i -> i, i -> i, range(0, Integer.MAX_VALUE), "seconds close() waits for unsent data (0 = off; default 0 in live, 180 in file mode)");

    /** UDP socket send buffer, in bytes. */
    public static final SrtOption<Integer> UDP_SNDBUF = new SrtOption<>(
            "UDP_SNDBUF", 8, Integer.class, Kind.INT, Restriction.PRE_BIND, true, true,
            i -> i, i -> i, range(1, Integer.MAX_VALUE), "UDP socket send buffer, in bytes");

    /** UDP socket receive buffer, in bytes. */
    public static final SrtOption<Integer> UDP_RCVBUF = new SrtOption<>(
            "UDP_RCVBUF", 9, Integer.class, Kind.INT, Restriction.PRE_BIND, true, true,
            i -> i, i -> i, range(1, Integer.MAX_VALUE), "UDP socket receive buffer, in bytes");

    /** Rendezvous connection mode. */
    public static final SrtOption<Boolean> RENDEZVOUS = new SrtOption<>(
            "RENDEZVOUS", 12, Boolean.class, Kind.BOOL, Restriction.PRE, true, true,
            null, null, anything(), "rendezvous connection mode");

    /** Blocking send timeout, in ms (-1 = forever). */
    public static final SrtOption<Integer> SNDTIMEO = new SrtOption<>(
            "SNDTIMEO", 13, Integer.class, Kind.INT, Restriction.POST, true, true,
            i -> i, i -> i, range(-1, Integer.MAX_VALUE), "blocking send timeout, in ms (-1 = forever)");

    /** Blocking receive timeout, in ms (-1 = forever). */
    public static final SrtOption<Integer> RCVTIMEO = new SrtOption<>(
            "RCVTIMEO", 14, Integer.class, Kind.INT, Restriction.POST, true, true,
            i -> i, i -> i, range(-1, Integer.MAX_VALUE), "blocking receive timeout, in ms (-1 = forever)");

    /** Allow several sockets to share one UDP port (default true). */
    public static final SrtOption<Boolean> REUSEADDR = new SrtOption<>(
            "REUSEADDR", 15, Boolean.class, Kind.BOOL, Restriction.PRE_BIND, true, true,
            null, null, anything(), "allow several sockets to share one UDP port (default true)");

    /** Maximum send bandwidth, in bytes/s (-1 = unlimited, 0 = INPUTBW-relative with OHEADBW). */
    public static final SrtOption<Long> MAXBW = new SrtOption<>(
            "MAXBW", 16, Long.class, Kind.INT64, Restriction.POST, true, true,
            null, null, rangeLong(-1, Long.MAX_VALUE), "maximum send bandwidth, in bytes/s (-1 = unlimited, 0 = INPUTBW-relative with OHEADBW)");

    /** Socket state. */
    public static final SrtOption<SrtSocketState> STATE = new SrtOption<>(
            "STATE", 17, SrtSocketState.class, Kind.INT, Restriction.READ_ONLY, true, false,
            SrtSocketState::of, null, anything(), "socket state");

    /** Pending epoll events (SrtEpoll.IN/OUT/ERR bits). */
    public static final SrtOption<Integer> EVENT = new SrtOption<>(
            "EVENT", 18, Integer.class, Kind.INT, Restriction.READ_ONLY, true, false,
            i -> i, i -> i, anything(), "pending epoll events (SrtEpoll.IN/OUT/ERR bits)");

    /** Packets in the send buffer. */
    public static final SrtOption<Integer> SNDDATA = new SrtOption<>(
            "SNDDATA", 19, Integer.class, Kind.INT, Restriction.READ_ONLY, true, false,
            i -> i, i -> i, anything(), "packets in the send buffer");

    /** Packets ready in the receive buffer. */
    public static final SrtOption<Integer> RCVDATA = new SrtOption<>(
            "RCVDATA", 20, Integer.class, Kind.INT, Restriction.READ_ONLY, true, false,
            i -> i, i -> i, anything(), "packets ready in the receive buffer");

    /** This side only sends (for peers older than SRT 1.3). */
    public static final SrtOption<Boolean> SENDER = new SrtOption<>(
            "SENDER", 21, Boolean.class, Kind.BOOL, Restriction.PRE, true, true,
            null, null, anything(), "this side only sends (for peers older than SRT 1.3)");

    /** Timestamp-based packet delivery (default true in live mode). */
    public static final SrtOption<Boolean> TSBPDMODE = new SrtOption<>(
            "TSBPDMODE", 22, Boolean.class, Kind.BOOL, Restriction.PRE, true, true,
            null, null, anything(), "timestamp-based packet delivery (default true in live mode)");

    /** Latency in ms, for both directions (sets RCVLATENCY and PEERLATENCY; default 120). */
    public static final SrtOption<Integer> LATENCY = new SrtOption<>(
            "LATENCY", 23, Integer.class, Kind.INT, Restriction.PRE, true, true,
            i -> i, i -> i, range(0, Integer.MAX_VALUE), "latency in ms, for both directions (sets RCVLATENCY and PEERLATENCY; default 120)");

    /** Estimated input rate, in bytes/s (0 = measure it). */
    public static final SrtOption<Long> INPUTBW = new SrtOption<>(
            "INPUTBW", 24, Long.class, Kind.INT64, Restriction.POST, true, true,
            null, null, rangeLong(0, Long.MAX_VALUE), "estimated input rate, in bytes/s (0 = measure it)");

    /** Overhead over the input rate, in percent (5..100; used when MAXBW = 0). */
    public static final SrtOption<Integer> OHEADBW = new SrtOption<>(
            "OHEADBW", 25, Integer.class, Kind.INT, Restriction.POST, true, true,
            i -> i, i -> i, range(5, 100), "overhead over the input rate, in percent (5..100; used when MAXBW = 0)");

    /** Encryption passphrase (10..79 bytes, or empty for none; cannot be read back). */
    public static final SrtOption<String> PASSPHRASE = new SrtOption<>(
            "PASSPHRASE", 26, String.class, Kind.STRING, Restriction.PRE, false, true,
            null, null, passphrase(), "encryption passphrase (10..79 bytes, or empty for none; cannot be read back)");

    /** Encryption key length in bytes (0 = default, 16 = AES-128, 24 = AES-192, 32 = AES-256). */
    public static final SrtOption<Integer> PBKEYLEN = new SrtOption<>(
            "PBKEYLEN", 27, Integer.class, Kind.INT, Restriction.PRE, true, true,
            i -> i, i -> i, oneOf(0, 16, 24, 32), "encryption key length in bytes (0 = default, 16 = AES-128, 24 = AES-192, 32 = AES-256)");

    /** Encryption key exchange state. */
    public static final SrtOption<SrtKmState> KMSTATE = new SrtOption<>(
            "KMSTATE", 28, SrtKmState.class, Kind.INT, Restriction.READ_ONLY, true, false,
            SrtKmState::of, null, anything(), "encryption key exchange state");

    /** IP time to live, in hops (1..255). */
    public static final SrtOption<Integer> IPTTL = new SrtOption<>(
            "IPTTL", 29, Integer.class, Kind.INT, Restriction.PRE_BIND, true, true,
            i -> i, i -> i, range(1, 255), "IP time to live, in hops (1..255)");

    /** IP type of service (0..255). */
    public static final SrtOption<Integer> IPTOS = new SrtOption<>(
            "IPTOS", 30, Integer.class, Kind.INT, Restriction.PRE_BIND, true, true,
            i -> i, i -> i, range(0, 255), "IP type of service (0..255)");

    /** Drop packets too late to play (default true in live mode). */
    public static final SrtOption<Boolean> TLPKTDROP = new SrtOption<>(
            "TLPKTDROP", 31, Boolean.class, Kind.BOOL, Restriction.PRE, true, true,
            null, null, anything(), "drop packets too late to play (default true in live mode)");

    /** Extra delay before the sender drops late packets, in ms (-1 = never). */
    public static final SrtOption<Integer> SNDDROPDELAY = new SrtOption<>(
            "SNDDROPDELAY", 32, Integer.class, Kind.INT, Restriction.POST, true, true,
            i -> i, i -> i, range(-1, Integer.MAX_VALUE), "extra delay before the sender drops late packets, in ms (-1 = never)");

    /** Periodic NAK reports (default true in live mode). */
    public static final SrtOption<Boolean> NAKREPORT = new SrtOption<>(
            "NAKREPORT", 33, Boolean.class, Kind.BOOL, Restriction.PRE, true, true,
            null, null, anything(), "periodic NAK reports (default true in live mode)");

    /** Local SRT version (0x010501 for 1.5.1). */
    public static final SrtOption<Integer> VERSION = new SrtOption<>(
            "VERSION", 34, Integer.class, Kind.INT, Restriction.READ_ONLY, true, false,
            i -> i, i -> i, anything(), "local SRT version (0x010501 for 1.5.1)");

    /** Peer's SRT version, once connected. */
    public static final SrtOption<Integer> PEERVERSION = new SrtOption<>(
            "PEERVERSION", 35, Integer.class, Kind.INT, Restriction.READ_ONLY, true, false,
            i -> i, i -> i, anything(), "peer's SRT version, once connected");

    /** Connect timeout, in ms (default 3000; rendezvous x10). */
    public static final SrtOption<Integer> CONNTIMEO = new SrtOption<>(
            "CONNTIMEO", 36, Integer.class, Kind.INT, Restriction.PRE, true, true,
            i -> i, i -> i, range(0, Integer.MAX_VALUE), "connect timeout, in ms (default 3000; rendezvous x10)");

    /** Clock drift tracking (default true). */
    public static final SrtOption<Boolean> DRIFTTRACER = new SrtOption<>(
            "DRIFTTRACER", 37, Boolean.class, Kind.BOOL, Restriction.POST, true, true,
            null, null, anything(), "clock drift tracking (default true)");

    /** Minimum input rate estimate, in bytes/s. */
    public static final SrtOption<Long> MININPUTBW = new SrtOption<>(
            "MININPUTBW", 38, Long.class, Kind.INT64, Restriction.POST, true, true,
            null, null, rangeLong(0, Long.MAX_VALUE), "minimum input rate estimate, in bytes/s");

    /** Encryption state of the sending direction. */
    public static final SrtOption<SrtKmState> SNDKMSTATE = new SrtOption<>(
            "SNDKMSTATE", 40, SrtKmState.class, Kind.INT, Restriction.READ_ONLY, true, false,
            SrtKmState::of, null, anything(), "encryption state of the sending direction");

    /** Encryption state of the receiving direction. */
    public static final SrtOption<SrtKmState> RCVKMSTATE = new SrtOption<>(
            "RCVKMSTATE", 41, SrtKmState.class, Kind.INT, Restriction.READ_ONLY, true, false,
            SrtKmState::of, null, anything(), "encryption state of the receiving direction");

    /** Packets to wait for a reordered packet before reporting loss (0 = off). */
    public static final SrtOption<Integer> LOSSMAXTTL = new SrtOption<>(
            "LOSSMAXTTL", 42, Integer.class, Kind.INT, Restriction.POST, true, true,
            i -> i, i -> i, range(0, Integer.MAX_VALUE), "packets to wait for a reordered packet before reporting loss (0 = off)");

    /** Receiver latency, in ms (after connecting: the negotiated latency). */
    public static final SrtOption<Integer> RCVLATENCY = new SrtOption<>(
            "RCVLATENCY", 43, Integer.class, Kind.INT, Restriction.PRE, true, true,
            i -> i, i -> i, range(0, Integer.MAX_VALUE), "receiver latency, in ms (after connecting: the negotiated latency)");

    /** Minimum latency asked of the peer, in ms (after connecting: the negotiated latency). */
    public static final SrtOption<Integer> PEERLATENCY = new SrtOption<>(
            "PEERLATENCY", 44, Integer.class, Kind.INT, Restriction.PRE, true, true,
            i -> i, i -> i, range(0, Integer.MAX_VALUE), "minimum latency asked of the peer, in ms (after connecting: the negotiated latency)");

    /**
     * Minimum SRT version the peer must have, as 0xMMmmpp (0x010300 for 1.3.0; 0 or libsrt's default 0x010000 take
     * any peer). libsrt keeps any int and compares it with the peer's version, so a value above 0xFFFFFF (or -1, read
     * as one) would refuse every peer; it is refused here.
     */
    public static final SrtOption<Integer> MINVERSION = new SrtOption<>(
            "MINVERSION", 45, Integer.class, Kind.INT, Restriction.PRE, true, true,
            i -> i, i -> i, version(), "minimum SRT version the peer must have, as 0xMMmmpp (e.g. 0x010300 for 1.3.0)");

    /**
     * Stream id sent to the listener (up to 512 bytes, no NUL character: libsrt hands a listener's callback and its
     * accepted socket the stream id as a C string, cut at the first NUL).
     */
    public static final SrtOption<String> STREAMID = new SrtOption<>(
            "STREAMID", 46, String.class, Kind.STRING, Restriction.PRE, true, true,
            null, null, streamId(), "stream id sent to the listener (up to 512 bytes, no NUL character)");

    /** Congestion control: live or file. */
    public static final SrtOption<String> CONGESTION = new SrtOption<>(
            "CONGESTION", 47, String.class, Kind.STRING, Restriction.PRE, true, true,
            null, null, oneOfText("live", "file"), "congestion control: live or file");

    /** Message boundaries kept (true in live mode; false for file streaming). */
    public static final SrtOption<Boolean> MESSAGEAPI = new SrtOption<>(
            "MESSAGEAPI", 48, Boolean.class, Kind.BOOL, Restriction.PRE, true, true,
            null, null, anything(), "message boundaries kept (true in live mode; false for file streaming)");

    /** Maximum payload per packet, in bytes (1316 in live mode; 0 = unlimited in file mode). */
    public static final SrtOption<Integer> PAYLOADSIZE = new SrtOption<>(
            "PAYLOADSIZE", 49, Integer.class, Kind.INT, Restriction.PRE, true, true,
            i -> i, i -> i, range(0, 1456), "maximum payload per packet, in bytes (1316 in live mode; 0 = unlimited in file mode)");

    /** Transmission type; resets the other options to its defaults, so set it first (before bind, as libsrt requires). */
    public static final SrtOption<SrtTransType> TRANSTYPE = new SrtOption<>(
            "TRANSTYPE", 50, SrtTransType.class, Kind.INT, Restriction.PRE_BIND, false, true,
            i -> SrtTransType.values()[i], SrtTransType::ordinal, anything(), "transmission type; resets the other options to its defaults, so set it first");

    /** Packets sent before the encryption key changes (0 = default 2^24). */
    public static final SrtOption<Integer> KMREFRESHRATE = new SrtOption<>(
            "KMREFRESHRATE", 51, Integer.class, Kind.INT, Restriction.PRE, true, true,
            i -> i, i -> i, range(0, Integer.MAX_VALUE), "packets sent before the encryption key changes (0 = default 2^24)");

    /**
     * Packets before and after a key change during which both keys are valid (0 = default 4096): at most
     * (KMREFRESHRATE - 1) / 2, which {@link SrtSocket#set} checks against the socket's KMREFRESHRATE, so set that first.
     */
    public static final SrtOption<Integer> KMPREANNOUNCE = new SrtOption<>(
            "KMPREANNOUNCE", 52, Integer.class, Kind.INT, Restriction.PRE, true, true,
            i -> i, i -> i, range(0, Integer.MAX_VALUE), "packets before and after a key change during which both keys are"
                    + " valid (0 = default 4096; at most (KMREFRESHRATE - 1) / 2)");

    /** Reject a peer whose encryption does not match (default true). */
    public static final SrtOption<Boolean> ENFORCEDENCRYPTION = new SrtOption<>(
            "ENFORCEDENCRYPTION", 53, Boolean.class, Kind.BOOL, Restriction.PRE, true, true,
            null, null, anything(), "reject a peer whose encryption does not match (default true)");

    /** IPV6_V6ONLY of an IPv6 socket (-1 = system default, 0 = dual stack, 1 = IPv6 only). */
    public static final SrtOption<Integer> IPV6ONLY = new SrtOption<>(
            "IPV6ONLY", 54, Integer.class, Kind.INT, Restriction.PRE_BIND, true, true,
            i -> i, i -> i, range(-1, 1), "IPV6_V6ONLY of an IPv6 socket (-1 = system default, 0 = dual stack, 1 = IPv6 only)");

    /** Silence from the peer after which the connection breaks, in ms (default 5000). */
    public static final SrtOption<Integer> PEERIDLETIMEO = new SrtOption<>(
            "PEERIDLETIMEO", 55, Integer.class, Kind.INT, Restriction.PRE, true, true,
            i -> i, i -> i, range(0, Integer.MAX_VALUE), "silence from the peer after which the connection breaks, in ms (default 5000)");

    /** Network interface the socket is bound to (needs CAP_NET_RAW). */
    public static final SrtOption<String> BINDTODEVICE = new SrtOption<>(
            "BINDTODEVICE", 56, String.class, Kind.STRING, Restriction.PRE_BIND, true, true,
            null, null, maxBytes(15), "network interface the socket is bound to (needs CAP_NET_RAW)");

    /** Accept group (bonding) connections on a listener (libsrt with bonding only). */
    public static final SrtOption<Integer> GROUPCONNECT = new SrtOption<>(
            "GROUPCONNECT", 57, Integer.class, Kind.INT, Restriction.PRE, false, true,
            i -> i, i -> i, anything(), "accept group (bonding) connections on a listener (libsrt with bonding only)");

    /** Minimum link stability timeout of a backup group, in ms (libsrt with bonding only). */
    public static final SrtOption<Integer> GROUPMINSTABLETIMEO = new SrtOption<>(
            "GROUPMINSTABLETIMEO", 58, Integer.class, Kind.INT, Restriction.PRE, false, true,
            i -> i, i -> i, anything(), "minimum link stability timeout of a backup group, in ms (libsrt with bonding only)");

    /** Group type of an accepted group connection (libsrt with bonding only). */
    public static final SrtOption<Integer> GROUPTYPE = new SrtOption<>(
            "GROUPTYPE", 59, Integer.class, Kind.INT, Restriction.READ_ONLY, true, false,
            i -> i, i -> i, anything(), "group type of an accepted group connection (libsrt with bonding only)");

    /**
     * Packet filter configuration, e.g. fec,cols:10,rows:5; at most 64 bytes. libsrt 1.5.1 keeps at most 64 bytes
     * ({@code MAX_PFILTER_LENGTH}) and silently ignores a longer value, so a longer one is refused here. The rest of
     * the syntax is libsrt's to judge ({@link SrtSocket#set} adds {@link #PACKETFILTER_SYNTAX} to its refusal).
     */
    public static final SrtOption<String> PACKETFILTER = new SrtOption<>(
            "PACKETFILTER", 60, String.class, Kind.STRING, Restriction.PRE, true, true,
            null, null, maxBytes(64), "packet filter configuration, e.g. fec,cols:10,rows:5 (at most 64 bytes)");

    /** What libsrt 1.5.1 takes as a packet filter, for messages: its one built-in filter and that filter's keys. */
    static final String PACKETFILTER_SYNTAX = "fec,cols:N[,rows:M][,layout:even|staircase][,arq:always|onreq|never]"
            + " with N at least 1 (libsrt's only filter is fec; both peers must agree, e.g. fec,cols:10,rows:5)";

    /** Retransmission algorithm (0 = default, 1 = reduced). */
    public static final SrtOption<Integer> RETRANSMITALGO = new SrtOption<>(
            "RETRANSMITALGO", 61, Integer.class, Kind.INT, Restriction.PRE, true, true,
            i -> i, i -> i, range(0, 1), "retransmission algorithm (0 = default, 1 = reduced)");

    private static final List<SrtOption<?>> ALL = List.copyOf(BY_NAME.values());

    private final String name;
    private final int id;
    private final Class<T> type;
    private final Kind kind;
    private final Restriction restriction;
    private final boolean readable;
    private final boolean writable;
    private final IntFunction<T> fromInt;
    private final ToIntFunction<T> toInt;
    private final Check<T> check;
    private final String description;

    private SrtOption(String name, int id, Class<T> type, Kind kind, Restriction restriction, boolean readable,
            boolean writable, IntFunction<T> fromInt, ToIntFunction<T> toInt, Check<? super T> check,
            String description) {
        this.name = name;
        this.id = id;
        this.type = type;
        this.kind = kind;
        this.restriction = restriction;
        this.readable = readable;
        this.writable = writable;
        this.fromInt = fromInt;
        this.toInt = toInt;
        this.check = check::problem;
        this.description = description;
        BY_NAME.put(name, this);
    }

    /** Every option of libsrt 1.5.1, in {@code SRT_SOCKOPT} order. */
    public static List<SrtOption<?>> values() {
        return ALL;
    }

    /** The option named {@code name} (e.g. {@code "LATENCY"} or {@code "SRTO_LATENCY"}, any case). */
    public static Optional<SrtOption<?>> byName(String name) {
        Objects.requireNonNull(name, "name must not be null (an option name, e.g. \"LATENCY\" or \"SRTO_LATENCY\")");
        String key = name.toUpperCase(Locale.ROOT);
        return Optional.ofNullable(BY_NAME.get(key.startsWith("SRTO_") ? key.substring(5) : key));
    }

    /** The name without the {@code SRTO_} prefix. */
    public String name() {
        return name;
    }

    /** The {@code SRT_SOCKOPT} value. */
    public int id() {
        return id;
    }

    /** The Java type of the value. */
    public Class<T> type() {
        return type;
    }

    /** When the option may be set. */
    public Restriction restriction() {
        return restriction;
    }

    /** Whether libsrt 1.5.1 lets the value be read back. */
    public boolean readable() {
        return readable;
    }

    /** Whether the value can be set. */
    public boolean writable() {
        return writable;
    }

    /** What the option does and its unit, in a phrase. */
    public String description() {
        return description;
    }

    @Override
    public String toString() {
        return "SRTO_" + name;
    }

    /** Throws with what is allowed when {@code value} is outside this option's range. */
    void validate(T value) {
        if (value == null) {
            throw new IllegalArgumentException("SRTO_" + name + " cannot be set to null");
        }
        String problem = check.problem(value);
        if (problem != null) {
            throw new IllegalArgumentException("SRTO_" + name + " = " + printable(value) + " is not allowed (expected: "
                    + problem + ")");
        }
    }

    private String printable(T value) {
        return this == PASSPHRASE ? "<" + ((String) value).getBytes(StandardCharsets.UTF_8).length + " bytes>"
                : Visible.of(String.valueOf(value));
    }

    /** Writes {@code value} into {@code buf} as libsrt expects it; returns the optlen to pass. */
    int encode(T value, MemorySegment buf) {
        switch (kind) {
            case INT -> {
                buf.set(JAVA_INT, 0, toInt.applyAsInt(value));
                return 4;
            }
            case INT64 -> {
                buf.set(JAVA_LONG, 0, (Long) value);
                return 8;
            }
            case BOOL -> {
                buf.set(JAVA_INT, 0, ((Boolean) value) ? 1 : 0);
                return 4;
            }
            case LINGER -> {
                int seconds = (Integer) value;
                buf.set(JAVA_INT, 0, seconds > 0 ? 1 : 0);
                buf.set(JAVA_INT, 4, seconds);
                return 8;
            }
            case STRING -> {
                byte[] bytes = ((String) value).getBytes(StandardCharsets.UTF_8);
                MemorySegment.copy(bytes, 0, buf, JAVA_BYTE, 0, bytes.length);
                return bytes.length;
            }
            default -> throw new AssertionError(kind);
        }
    }

    /** Reads the value libsrt wrote into {@code buf} (zeroed beforehand) with length {@code len}. */
    T decode(MemorySegment buf, int len) {
        return switch (kind) {
            case INT -> fromInt.apply(buf.get(JAVA_INT, 0));
            case INT64 -> type.cast(buf.get(JAVA_LONG, 0));
            case BOOL -> type.cast(buf.get(JAVA_BYTE, 0) != 0);
            case LINGER -> type.cast(buf.get(JAVA_INT, 0) == 0 ? 0 : buf.get(JAVA_INT, 4));
            case STRING -> type.cast(new String(buf.asSlice(0, len).toArray(JAVA_BYTE), StandardCharsets.UTF_8));
        };
    }

    private static <T> Check<T> anything() {
        return v -> null;
    }

    private static Check<Integer> range(int min, int max) {
        return v -> v >= min && v <= max ? null
                : max == Integer.MAX_VALUE ? ">= " + min : "between " + min + " and " + max;
    }

    /** At least {@code min}; {@code why} says what the minimum stands for. */
    private static Check<Integer> atLeast(int min, String why) {
        return v -> v >= min ? null : ">= " + min + ", " + why;
    }

    /** An SRT version as libsrt writes it, 0xMMmmpp: major, minor and patch a byte each. */
    private static Check<Integer> version() {
        return v -> v >= 0 && v <= 0xFFFFFF ? null
                : "a version from 0 to 0xFFFFFF (16777215), written 0xMMmmpp: 0x010300 for 1.3.0";
    }

    private static Check<Long> rangeLong(long min, long max) {
        return v -> v >= min && v <= max ? null : ">= " + min;
    }

    private static Check<Integer> oneOf(int... allowed) {
        return v -> Arrays.stream(allowed).anyMatch(a -> a == v) ? null : "one of " + Arrays.toString(allowed);
    }

    private static Check<String> oneOfText(String... allowed) {
        return v -> Arrays.asList(allowed).contains(v) ? null : "one of " + String.join(", ", allowed);
    }

    private static Check<String> maxBytes(int max) {
        return v -> v.getBytes(StandardCharsets.UTF_8).length <= max ? null : "at most " + max + " bytes";
    }

    private static Check<String> streamId() {
        Check<String> length = maxBytes(512);
        return v -> {
            int nul = v.indexOf('\0');
            if (nul >= 0) {
                return "no NUL character, found at index " + nul + ": the listener would receive the stream id cut"
                        + " there";
            }
            return length.problem(v);
        };
    }

    private static Check<String> passphrase() {
        return v -> {
            int n = v.getBytes(StandardCharsets.UTF_8).length;
            return n == 0 || (n >= 10 && n <= 79) ? null : "10 to 79 bytes in UTF-8, or empty for no encryption";
        };
    }

    static Map<String, SrtOption<?>> byNameMap() {
        return Collections.unmodifiableMap(BY_NAME);
    }
}
