package io.mcrsrt.streamer.config;

import java.util.Arrays;
import java.util.Optional;

/** How the network test measures a path ({@code NETWORK_TEST_MECHANISM}). */
public enum NetworkTestMechanism {
    /** ICMP ping only; loss and bandwidth are not measured. */
    PING_ONLY("ping_only"),
    /** ping plus an iperf3 UDP run against a public or manual iperf3 server. */
    IPERF("iperf"),
    /** ping plus a probe over SRT itself. */
    SRT("srt");

    private final String wireName;

    NetworkTestMechanism(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<NetworkTestMechanism> fromWireName(String name) {
        return Arrays.stream(values()).filter(m -> m.wireName.equalsIgnoreCase(name)).findFirst();
    }
}
