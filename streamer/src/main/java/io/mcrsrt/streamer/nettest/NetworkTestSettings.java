package io.mcrsrt.streamer.nettest;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Configuration of the network test, read and validated with the rest of the service's configuration
 * ({@link io.mcrsrt.streamer.config.AppConfig}).
 *
 * @param mechanism the default mechanism ({@code NETWORK_TEST_MECHANISM}: ping_only, iperf or srt; default ping_only)
 * @param serversFile the iperf3 server list ({@code NETWORK_TEST_SERVERS}), or null for none: only manual tests
 * @param refreshInterval how often to re-check the servers over UDP ({@code NETWORK_TEST_REFRESH_MINUTES}), or null
 *     for never (the default: nothing is contacted unless configured)
 */
public record NetworkTestSettings(Mechanism mechanism, Path serversFile, Duration refreshInterval) {

    /** Ping only, no server list, no refresh: what an unconfigured service does. */
    public static NetworkTestSettings defaults() {
        return new NetworkTestSettings(Mechanism.PING_ONLY, null, null);
    }

    public NetworkTestSettings {
        java.util.Objects.requireNonNull(mechanism, "mechanism");
    }

    @Override
    public String toString() {
        return mechanism.wireName() + ", servers " + (serversFile == null ? "none" : serversFile) + ", refresh "
                + (refreshInterval == null ? "off" : refreshInterval.toMinutes() + " min");
    }
}
