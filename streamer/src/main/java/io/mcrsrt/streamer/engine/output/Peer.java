package io.mcrsrt.streamer.engine.output;

import io.mcrsrt.srt.AddressText;
import io.mcrsrt.srt.Srt;
import io.mcrsrt.srt.SrtException;
import io.mcrsrt.srt.SrtSocket;
import io.mcrsrt.srt.SrtStats;
import io.mcrsrt.streamer.stream.LinkStats;
import io.mcrsrt.streamer.stream.PeerView;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * One connected SRT socket of a stream, owned by the stream's thread: sends with source times, samples statistics.
 */
final class Peer {
    /** libsrt's clock minus System.nanoTime() in microseconds, measured once: maps due times to source times. */
    private static final long CLOCK_OFFSET_MICROS = Srt.now() - System.nanoTime() / 1000;

    final SrtSocket socket;
    final String address;
    final String streamId;
    final long connectedAtMillis = System.currentTimeMillis();
    final long connectedNanos = System.nanoTime();
    /** Whether its arrival was an event; false while a listener folds it as one of many short visits (CallerChurn). */
    boolean arrivalTold = true;
    /** libsrt refuses source times before the connection started. */
    private final long startMicros = Srt.now();
    private LinkStats stats;
    private long lastStatsNanos = System.nanoTime();
    /**
     * When the far end was last known alive: a sample saw its acknowledgements come in, or saw nothing sent that it
     * would have acknowledged. Tells a peer that closed the connection from one that went silent ({@link #departure}).
     */
    private long heardNanos = System.nanoTime();
    long droppedSends;

    /** Whether this connection's retransmissions fit the stream's overhead; null where none applies. */
    private final RepairBudget repairs;

    Peer(SrtSocket socket, String streamId) {
        this(socket, streamId, 0);
    }

    /**
     * @param overheadPercent the stream's OHEADBW, against which retransmissions are weighed ({@link #sample}); 0 for
     *                        none
     */
    Peer(SrtSocket socket, String streamId, int overheadPercent) {
        this.socket = socket;
        this.address = addressOf(socket);
        this.streamId = streamId;
        this.repairs = overheadPercent > 0 ? new RepairBudget(overheadPercent) : null;
    }

    /** The peer's {@code host:port}. */
    static String addressOf(SrtSocket socket) {
        return text(socket.peerAddress());
    }

    /** An address as the stream's events write it: {@code 192.0.2.1:5000}, {@code [2001:db8::1]:5000}. */
    static String text(InetSocketAddress a) {
        if (a == null) {
            return "unknown";
        }
        return AddressText.of(a);
    }

    /** libsrt source time for a due time in nanoTime terms (0: now). */
    static long sourceTime(long dueNanos) {
        return dueNanos == 0 ? 0 : dueNanos / 1000 + CLOCK_OFFSET_MICROS;
    }

    /**
     * Sends one message; the buffer's position is left unchanged.
     *
     * @throws SrtException when the connection is gone
     */
    void send(ByteBuffer message, long srcTime) throws SrtException {
        int pos = message.position();
        int n = socket.send(message, srcTime != 0 && srcTime <= startMicros ? 0 : srcTime);
        message.position(pos);
        if (n == 0) {
            droppedSends++;
        }
    }

    /**
     * Samples statistics if a second has passed since the last sample.
     *
     * @return a warning for the stream's events when retransmissions have outgrown the overhead ({@link RepairBudget}),
     *         else null
     */
    String sample(long nowNanos) {
        if (nowNanos - lastStatsNanos < 1_000_000_000L) {
            return null;
        }
        lastStatsNanos = nowNanos;
        try {
            SrtStats s = socket.stats(true);
            if (s.pktRecvACK() > 0 || s.pktSent() == 0) {
                heardNanos = nowNanos;
            }
            stats = SrtSettings.toLinkStats(s, System.currentTimeMillis());
            return repairs == null ? null : repairs.sample(s.pktSent(), s.pktRetrans(), nowNanos);
        } catch (SrtException e) {
            // the socket broke: the next send reports it
            return null;
        }
    }

    /**
     * Sets INPUTBW, from {@link SrtSettings#inputBandwidthBytes}. A peer that is gone (its socket broken or closed, at
     * any moment: the caller may leave between two calls) is left alone: {@link #gone()} reports it, and the owner
     * drops this peer only.
     */
    void inputBandwidth(long bytesPerSecond) {
        try {
            socket.set(io.mcrsrt.srt.SrtOption.INPUTBW, bytesPerSecond);
        } catch (SrtException | IllegalStateException ignored) {
            // libsrt refuses options on a closing socket (SrtException); SrtSocket refuses them on a broken or closed
            // one before asking libsrt (IllegalStateException). Either way the peer is gone, not the stream.
        }
    }

    /**
     * Why this peer's link ended, seen from here once it has: libsrt reports an orderly close and a silent peer alike
     * (connection broken), but an orderly close follows acknowledgements that were still coming in, while a peer that
     * crashed or lost its path was silent for the peer idle timeout (5 s) first.
     *
     * @param who how to name the far end in the text ("it", "the listener")
     */
    String departure(long nowNanos, String who) {
        long silentNanos = nowNanos - heardNanos;
        if (silentNanos < SILENCE_NANOS) {
            return who + " closed the connection";
        }
        return "nothing heard from " + who + " for about " + (long) Math.ceil(silentNanos / 1e9)
                + " s: it stopped without closing the connection, or the path went down";
    }

    /** Silence longer than this before a break means the peer did not close the connection (samples are 1 s apart). */
    private static final long SILENCE_NANOS = 2_500_000_000L;

    /** True once the link is broken or closed. */
    boolean gone() {
        return socket.state().compareTo(io.mcrsrt.srt.SrtSocketState.BROKEN) >= 0;
    }

    LinkStats stats() {
        return stats;
    }

    PeerView view() {
        return new PeerView(address, streamId, connectedAtMillis, stats);
    }
}
