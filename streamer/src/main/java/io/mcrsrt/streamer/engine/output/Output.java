package io.mcrsrt.streamer.engine.output;

import io.mcrsrt.streamer.stream.LinkStats;
import io.mcrsrt.streamer.stream.PeerView;
import io.mcrsrt.streamer.stream.StreamStatus;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * A stream's SRT side: a listener serving several callers, or a caller keeping one link up. Driven by the stream's
 * owner thread, which calls {@link #send} for every message and {@link #tick} between batches; helper threads (accept,
 * connect) hand their results to the owner through queues. Not thread-safe otherwise.
 */
public interface Output extends AutoCloseable {

    /**
     * Sends one message to every connected peer.
     *
     * @param dueNanos when the message is due in {@link System#nanoTime()} terms, 0 for now; stamped as the SRT source
     *                 time so the receiver delivers it at exactly that time plus the latency
     */
    void send(ByteBuffer message, long dueNanos);

    /** Takes new connections, notices broken ones, samples statistics once a second. */
    void tick(long nowNanos);

    /** What the output is doing: waiting, connecting, connected, ... */
    StreamStatus status();

    /** Detail for the status (e.g. the reason of the last failure), or null. */
    String statusDetail();

    /** Current connections. */
    List<PeerView> peers();

    /** Whether any peer is connected now. */
    default boolean hasPeers() {
        return !peers().isEmpty();
    }

    /** Latest statistics of the primary connection, or null. */
    LinkStats primaryStats();

    /** Sets the rate libsrt's INPUTBW is set from, on every connection now and later ({@code InputRateCap}). */
    void inputRate(long bitsPerSecond);

    @Override
    void close();
}
