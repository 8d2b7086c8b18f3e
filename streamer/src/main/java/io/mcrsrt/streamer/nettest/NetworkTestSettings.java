package io.mcrsrt.streamer.nettest;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Configuration of the network test, validated once.
 *
 * @param mechanism the default mechanism ({@code NETWORK_TEST_MECHANISM}: ping_only, iperf or srt; default ping_only)
 * @param serversFile the iperf3 server list ({@code NETWORK_TEST_SERVERS}), or null for none: only manual tests
 * @param refreshInterval how often to re-check the servers over UDP ({@code NETWORK_TEST_REFRESH_MINUTES}), or null
 *     for never (the default: nothing is contacted unless configured)
 */
public record NetworkTestSettings(Mechanism mechanism, Path serversFile, Duration refreshInterval) {

    /**
     * @throws IllegalArgumentException naming the variable, the value and what is expected
     */
    public static NetworkTestSettings fromEnvironment(Map<String, String> env) {
        String m = env.getOrDefault("NETWORK_TEST_MECHANISM", "");
        Mechanism mechanism;
        try {
            mechanism = m.isBlank() ? Mechanism.PING_ONLY : Mechanism.of(m);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("NETWORK_TEST_MECHANISM='" + m + "' is not a mechanism (expected:"
                    + " ping_only, iperf or srt)");
        }
        String file = env.getOrDefault("NETWORK_TEST_SERVERS", "");
        String minutes = env.getOrDefault("NETWORK_TEST_REFRESH_MINUTES", "");
        Duration refresh = null;
        if (!minutes.isBlank()) {
            long v;
            try {
                v = Long.parseLong(minutes.strip());
            } catch (NumberFormatException e) {
                v = -1;
            }
            if (v < 0 || v > 10_080) {
                throw new IllegalArgumentException("NETWORK_TEST_REFRESH_MINUTES='" + minutes + "' is out of range"
                        + " (expected: 1 to 10080 minutes, or 0 to switch the refresh off)");
            }
            refresh = v == 0 ? null : Duration.ofMinutes(v);
        }
        return new NetworkTestSettings(mechanism, file.isBlank() ? null : Path.of(file.strip()), refresh);
    }
}
