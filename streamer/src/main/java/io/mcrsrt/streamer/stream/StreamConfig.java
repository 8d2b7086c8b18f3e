package io.mcrsrt.streamer.stream;

import java.util.Objects;

/**
 * One stream's definition, validated and immutable. Built by the shared validator from the API, the UI or the command
 * line; the engine trusts it. The stream's key is its listener port, or its caller target port: one namespace.
 *
 * @param mode               listener or caller
 * @param input              where the transport stream comes from
 * @param port               listener: the local port to bind; null for a caller
 * @param targetAddress      caller: host name or address of the remote listener; null for a listener
 * @param targetPort         caller: remote port; null for a listener
 * @param latencyMs          SRT latency in milliseconds, 20..8000
 * @param overheadPercent    SRT overhead bandwidth in percent, 1..99 (libsrt's OHEADBW)
 * @param encryption         payload encryption
 * @param passphrase         10..79 characters when encrypted, null otherwise; never returned by the API
 * @param qos                mark packets with DSCP (IPTOS) for QoS
 * @param smoothingLatencyMs pacer smoothing latency in milliseconds
 * @param rtpEncapsulation   wrap each 7-packet message in RTP (RFC 2250, payload type 33)
 * @param streamId           SRT stream id; null for the default {@code mcr_stream_<key>}
 */
public record StreamConfig(
        Mode mode,
        InputSpec input,
        Integer port,
        String targetAddress,
        Integer targetPort,
        int latencyMs,
        int overheadPercent,
        Encryption encryption,
        String passphrase,
        boolean qos,
        int smoothingLatencyMs,
        boolean rtpEncapsulation,
        String streamId) {

    public StreamConfig {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(encryption, "encryption");
        if (mode == Mode.LISTENER && port == null) {
            throw new IllegalArgumentException("a listener needs a port");
        }
        if (mode == Mode.CALLER && (targetAddress == null || targetPort == null)) {
            throw new IllegalArgumentException("a caller needs a target address and port");
        }
    }

    /** The stream's key: the listener port, or the caller's target port. */
    public int key() {
        return mode == Mode.LISTENER ? port : targetPort;
    }

    /**
     * {@code host:port} as written in a URI: an IPv6 address in brackets ({@code [fd00::2]:9000}), so that the port
     * cannot be read as the address's last group. A host already in brackets, as an engineer may type it, is kept as
     * it is; an empty host gives {@code :port}. The one place that brackets an address for display or a URL.
     */
    public static String hostPort(String host, int port) {
        boolean bare = host.indexOf(':') >= 0 && !host.startsWith("[");
        return (bare ? "[" + host + "]" : host) + ":" + port;
    }

    /** The SRT stream id to send: the configured one, or {@code mcr_stream_<key>}. */
    public String effectiveStreamId() {
        return streamId == null || streamId.isEmpty() ? "mcr_stream_" + key() : streamId;
    }

    /** Whether a passphrase is configured; the only thing about it the API reveals. */
    public boolean passphraseSet() {
        return passphrase != null && !passphrase.isEmpty();
    }

    /** Masks the passphrase so a record printed in a log or exception never reveals it. */
    @Override
    public String toString() {
        return "StreamConfig[mode=" + mode.wireName() + ", input=" + input.describe() + ", port=" + port
                // an IPv6 target in brackets: fd00::2:9000 reads as an address without a port
                + ", target=" + (targetAddress == null ? "null" : hostPort(targetAddress, targetPort))
                + ", latencyMs=" + latencyMs
                + ", overheadPercent=" + overheadPercent + ", encryption=" + encryption.wireName()
                + ", passphrase=" + (passphraseSet() ? "***" : "none") + ", qos=" + qos
                + ", smoothingLatencyMs=" + smoothingLatencyMs + ", rtp=" + rtpEncapsulation
                + ", streamId=" + effectiveStreamId() + "]";
    }
}
