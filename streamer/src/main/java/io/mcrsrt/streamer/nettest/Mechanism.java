package io.mcrsrt.streamer.nettest;

import java.util.Locale;

/** How a network test measures the path ({@code NETWORK_TEST_MECHANISM}, or per test). */
public enum Mechanism {
    /** ICMP ping only: RTT, jitter and loss from four pings. */
    PING_ONLY("ping_only"),
    /** iperf3 to an iperf3 server: UDP for loss, jitter and bandwidth, TCP for bandwidth only; RTT from ping. */
    IPERF("iperf"),
    /** A short SRT connection to an SRT listener: RTT, loss, retransmissions and bandwidth from libsrt. */
    SRT("srt");

    private final String wireName;

    Mechanism(String wireName) {
        this.wireName = wireName;
    }

    /** The name used in the API, the environment and the command line. */
    public String wireName() {
        return wireName;
    }

    /**
     * @throws IllegalArgumentException naming the value and the accepted ones
     */
    public static Mechanism of(String name) {
        String n = name == null ? "" : name.strip().toLowerCase(Locale.ROOT);
        return switch (n) {
            case "ping_only", "ping" -> PING_ONLY;
            case "iperf", "iperf3" -> IPERF;
            case "srt" -> SRT;
            default -> throw new IllegalArgumentException("Mechanism must be one of ping_only, iperf, srt (got '"
                    + name + "').");
        };
    }
}
