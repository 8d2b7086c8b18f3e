package io.mcrsrt.srt;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * A caller knocking at a listener, as seen by a {@link SrtListenCallback} before the handshake completes.
 *
 * @param address the caller's address and port
 * @param streamId the stream id the caller sent ({@code SRTO_STREAMID}), empty when none
 * @param handshakeVersion the SRT handshake version (5 for SRT 1.3 and later, 4 for older callers)
 * @param socketId the socket libsrt made on the listener's side for this caller, or -1 when not known
 */
public record SrtCaller(InetSocketAddress address, String streamId, int handshakeVersion, int socketId) {

    public SrtCaller {
        Objects.requireNonNull(address, "address must not be null (the caller's address and port)");
        Objects.requireNonNull(streamId, "streamId must not be null (empty when the caller sent none)");
    }

    /** A caller whose listener-side socket is not known ({@link #socketId()} -1). */
    public SrtCaller(InetSocketAddress address, String streamId, int handshakeVersion) {
        this(address, streamId, handshakeVersion, -1);
    }

    /**
     * Where the socket libsrt made for this caller is now: {@link SrtSocketState#INIT} while libsrt finishes the
     * listener's side of the handshake, {@link SrtSocketState#CONNECTED} once it has (waiting to be accepted, or
     * accepted); {@link SrtSocketState#BROKEN} or later once the caller gave the
     * connection up or it was closed, whether or not it was ever accepted (a caller whose key did not match closes it
     * at once); {@link SrtSocketState#NONEXIST} when libsrt has forgotten it, or {@link #socketId()} is -1. What a
     * listener that counts callers admitted in the handshake needs, to give back the place of one that will never
     * reach its accept.
     *
     * <p>Not to be called from inside {@link SrtListenCallback#admit}: libsrt holds its own locks there.
     */
    public SrtSocketState state() {
        return socketId < 0 ? SrtSocketState.NONEXIST : SrtSocketState.of(LibSrt.getsockstate(socketId));
    }
}
