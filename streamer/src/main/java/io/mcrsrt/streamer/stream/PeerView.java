package io.mcrsrt.streamer.stream;

/**
 * One SRT connection of a stream: a caller connected to a listener stream, or the caller stream's own link.
 *
 * @param address     remote address as {@code host:port}
 * @param streamId    the stream id the peer sent, or null
 * @param connectedAt epoch milliseconds when the handshake completed
 * @param stats       the latest statistics sample, or null before the first one
 * @param packetsNotDelivered packets the peer did not take since it connected: sends libsrt refused, its send buffer
 *                    full, and packets handed over that libsrt gave up unacknowledged as too late
 */
public record PeerView(String address, String streamId, long connectedAt, LinkStats stats, long packetsNotDelivered) {
    /** A peer with nothing counted as not delivered. */
    public PeerView(String address, String streamId, long connectedAt, LinkStats stats) {
        this(address, streamId, connectedAt, stats, 0);
    }
}
