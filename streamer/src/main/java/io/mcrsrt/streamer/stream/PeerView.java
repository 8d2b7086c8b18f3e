package io.mcrsrt.streamer.stream;

/**
 * One SRT connection of a stream: a caller connected to a listener stream, or the caller stream's own link.
 *
 * @param address     remote address as {@code host:port}
 * @param streamId    the stream id the peer sent, or null
 * @param connectedAt epoch milliseconds when the handshake completed
 * @param stats       the latest statistics sample, or null before the first one
 */
public record PeerView(String address, String streamId, long connectedAt, LinkStats stats) {
}
