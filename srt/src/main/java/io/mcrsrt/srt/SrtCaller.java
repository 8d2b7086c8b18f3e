package io.mcrsrt.srt;

import java.net.InetSocketAddress;

/**
 * A caller knocking at a listener, as seen by a {@link SrtListenCallback} before the handshake completes.
 *
 * @param address the caller's address and port
 * @param streamId the stream id the caller sent ({@code SRTO_STREAMID}), empty when none
 * @param handshakeVersion the SRT handshake version (5 for SRT 1.3 and later, 4 for older callers)
 */
public record SrtCaller(InetSocketAddress address, String streamId, int handshakeVersion) {}
