package io.mcrsrt.streamer.stream;

import java.util.Objects;

/**
 * An SMPTE 2022-7 dual-path stream: one input, RTP-wrapped once (payload type 33, one SSRC), sent as identical
 * packets over two SRT legs, each with its own mode, port, target and interface. Its key is the smaller of
 * the two legs' keys; both keys are taken in the stream key namespace.
 *
 * @param input              a multicast or colour-bars input (files are not offered by the original tool)
 * @param ssrc               RTP SSRC as 8 hex digits, e.g. {@code ABBACAFE}
 * @param latencyMs          SRT latency of both legs
 * @param overheadPercent    SRT overhead of both legs
 * @param encryption         encryption of both legs
 * @param passphrase         passphrase of both legs, or null
 * @param qos                DSCP marking on both legs
 * @param smoothingLatencyMs pacer smoothing latency
 * @param leg1               first path
 * @param leg2               second path
 */
public record PairConfig(InputSpec input, String ssrc, int latencyMs, int overheadPercent, Encryption encryption,
        String passphrase, boolean qos, int smoothingLatencyMs, Leg leg1, Leg leg2) {

    /** The SSRC the original tool uses by default. */
    public static final String DEFAULT_SSRC = "ABBACAFE";

    /**
     * One path of the pair.
     *
     * @param mode          listener or caller
     * @param port          listener: local port; null for a caller
     * @param targetAddress caller: remote host; null for a listener
     * @param targetPort    caller: remote port; null for a listener
     * @param interfaceName the interface (name or address) a caller sends from, or a listener listens on; null or empty
     *                      for the system's choice
     */
    public record Leg(Mode mode, Integer port, String targetAddress, Integer targetPort, String interfaceName) {
        public Leg {
            Objects.requireNonNull(mode, "mode");
            if (mode == Mode.LISTENER && port == null) {
                throw new IllegalArgumentException("a listener leg needs a port");
            }
            if (mode == Mode.CALLER && (targetAddress == null || targetPort == null)) {
                throw new IllegalArgumentException("a caller leg needs a target address and port");
            }
        }

        /** The leg's key: its listener port or its caller target port. */
        public int key() {
            return mode == Mode.LISTENER ? port : targetPort;
        }
    }

    public PairConfig {
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(ssrc, "ssrc");
        Objects.requireNonNull(encryption, "encryption");
        Objects.requireNonNull(leg1, "leg1");
        Objects.requireNonNull(leg2, "leg2");
        if (!ssrc.matches("[0-9A-Fa-f]{8}")) {
            throw new IllegalArgumentException("SSRC " + ssrc + " (expected: 8 hex digits, e.g. ABBACAFE)");
        }
        if (leg1.key() == leg2.key()) {
            throw new IllegalArgumentException("both legs use key " + leg1.key() + " (expected: two different ports)");
        }
    }

    /** The pair's key: the smaller of the two legs' keys. */
    public int key() {
        return Math.min(leg1.key(), leg2.key());
    }

    /** The SSRC as a number. */
    public int ssrcValue() {
        return (int) Long.parseLong(ssrc, 16);
    }

    /** The stream definition of one leg (RTP on, the pair's SRT settings). */
    public StreamConfig legConfig(Leg leg) {
        return new StreamConfig(leg.mode(), input, leg.port(), leg.targetAddress(), leg.targetPort(), latencyMs,
                overheadPercent, encryption, passphrase, qos, smoothingLatencyMs, true, null);
    }

    /** Masks the passphrase. */
    @Override
    public String toString() {
        return "PairConfig[input=" + input.describe() + ", ssrc=" + ssrc + ", leg1=" + leg1 + ", leg2=" + leg2
                + ", latencyMs=" + latencyMs + ", encryption=" + encryption.wireName() + ", passphrase="
                + (passphrase == null ? "none" : "***") + "]";
    }
}
