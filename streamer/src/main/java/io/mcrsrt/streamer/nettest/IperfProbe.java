package io.mcrsrt.streamer.nettest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mcrsrt.streamer.stream.StreamConfig;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

/**
 * {@code iperf3} as the original tool ran it: UDP {@code -u -b RATE -t DUR -J --length 1200 --connect-timeout 5000} for
 * loss, jitter and bandwidth, or TCP for bandwidth only. Needs an {@code iperf3 -s} at the other end.
 */
public final class IperfProbe {

    private static final ObjectMapper JSON = new ObjectMapper();

    private IperfProbe() {
    }

    /**
     * Runs one test.
     *
     * @param bitsPerSecond UDP sending rate; ignored for TCP
     * @param seconds test duration, 1..60
     */
    public static IperfResult run(String host, int port, boolean udp, long bitsPerSecond, int seconds)
            throws NetworkTestException {
        String h = ExternalProgram.checkHost(host);
        if (port < 1 || port > 65535) {
            throw new NetworkTestException("iperf3 port " + port + " is not a port (expected: 1 to 65535; iperf3"
                    + " servers usually listen on 5201).");
        }
        if (seconds < 1 || seconds > 60) {
            throw new NetworkTestException("test duration " + seconds + " s is out of range (expected: 1 to 60 s).");
        }
        List<String> cmd = new ArrayList<>(List.of("iperf3", "-c", h, "-p", Integer.toString(port)));
        if (udp) {
            cmd.addAll(List.of("-u", "-b", Long.toString(bitsPerSecond)));
        }
        cmd.addAll(List.of("-t", Integer.toString(seconds), "-J"));
        if (udp) {
            cmd.addAll(List.of("--length", "1200"));
        }
        cmd.addAll(List.of("--connect-timeout", "5000"));
        ExternalProgram.Output out = ExternalProgram.run(cmd, Duration.ofSeconds(seconds + 20L));
        if (out.stdout().isBlank()) {
            throw new NetworkTestException("iperf3 to " + StreamConfig.hostPort(h, port) + " printed nothing: "
                    + out.stderr().strip());
        }
        return parse(out.stdout(), udp, StreamConfig.hostPort(h, port));
    }

    /**
     * Reads iperf3's JSON report ({@code -J}).
     *
     * @param server named in error messages
     */
    public static IperfResult parse(String json, boolean udp, String server) throws NetworkTestException {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (IOException e) {
            throw new NetworkTestException("iperf3 to " + server + " did not print a JSON report: " + e.getMessage(),
                    e);
        }
        if (root == null || !root.isObject()) {
            throw new NetworkTestException("iperf3 to " + server + " did not print a JSON report.");
        }
        if (root.hasNonNull("error")) {
            throw new NetworkTestException("iperf3 to " + server + " failed: " + root.get("error").asText()
                    + ". Check that an iperf3 server runs there (iperf3 -s -p PORT) and that the port is open.");
        }
        JsonNode end = root.path("end");
        if (udp) {
            JsonNode sum = end.path("sum");
            if (!sum.has("lost_percent") || !sum.has("bits_per_second")) {
                throw new NetworkTestException("iperf3 to " + server + " gave no UDP result (no end.sum.lost_percent)"
                        + "; the server may have refused UDP or the datagrams were blocked.");
            }
            JsonNode received = end.path("sum_received");
            double bps = received.has("bits_per_second") ? received.get("bits_per_second").asDouble()
                    : sum.get("bits_per_second").asDouble();
            return new IperfResult(true, bps / 1e6, OptionalDouble.of(sum.get("lost_percent").asDouble()),
                    OptionalDouble.of(sum.path("jitter_ms").asDouble()), sum.path("packets").asLong(),
                    sum.path("lost_packets").asLong());
        }
        JsonNode received = end.path("sum_received");
        if (!received.has("bits_per_second")) {
            throw new NetworkTestException("iperf3 to " + server + " gave no TCP result (no end.sum_received).");
        }
        return new IperfResult(false, received.get("bits_per_second").asDouble() / 1e6, OptionalDouble.empty(),
                OptionalDouble.empty(), 0, 0);
    }
}
