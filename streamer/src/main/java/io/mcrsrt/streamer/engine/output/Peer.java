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
    /** Sends libsrt refused (its send buffer full), so far. */
    private long refused;
    /**
     * Packets libsrt handed over but gave up as too late, unacknowledged, at the last sample (the sample's
     * {@code packets_dropped_total}, {@link SrtSettings#sendDroppedPackets}).
     */
    private long dropped;
    /** Packets handed to libsrt since the last sample. */
    private long handedSinceSample;
    /** {@link #notDelivered()} at the last sample. */
    private long notDeliveredAtSample;
    /** When the receiver's buffer was first seen full with nothing acknowledged, in a row of such samples; 0 if not. */
    private long stalledSinceNanos;
    /** {@link #notDelivered()} when {@link #stalledSinceNanos} began. */
    private long notDeliveredAtStall;

    /**
     * Data packets the far end sent into this connection, so far. An output only sends: a far end that sends too is a
     * second sender where a receiver was meant (two encoders pointed at each other), told once ({@link #sample}).
     */
    private long sentToUs;

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
            refused++;
        } else {
            handedSinceSample++;
        }
    }

    /**
     * Samples statistics if a second has passed since the last sample.
     *
     * @return a warning for the stream's events when retransmissions have outgrown the overhead ({@link RepairBudget}),
     *         or, once per connection, when the far end sends a stream of its own into this one; else null
     */
    String sample(long nowNanos) {
        if (nowNanos - lastStatsNanos < 1_000_000_000L) {
            return null;
        }
        long sinceNanos = lastStatsNanos;
        lastStatsNanos = nowNanos;
        try {
            SrtStats s = socket.stats(true);
            if (s.pktRecvACK() > 0 || s.pktSent() == 0) {
                heardNanos = nowNanos;
            }
            stats = SrtSettings.toLinkStats(s, System.currentTimeMillis());
            takes(s, sinceNanos);
            String repairWarning = repairs == null ? null : repairs.sample(s.pktSent(), s.pktRetrans(), nowNanos);
            String senderWarning = alsoSends(s.pktRecv());
            return repairWarning == null ? senderWarning
                    : senderWarning == null ? repairWarning : repairWarning + "; " + senderWarning;
        } catch (SrtException e) {
            // the socket broke: the next send reports it
            return null;
        }
    }

    /**
     * Adds the data packets the last sample saw arrive; the first time any did, the warning that says so. libsrt keeps
     * them in this socket's receive buffer, which nothing reads; they cost nothing else, and the connection stays.
     */
    private String alsoSends(long received) {
        boolean first = sentToUs == 0 && received > 0;
        sentToUs += received;
        if (!first) {
            return null;
        }
        return "it sends a stream into this output (" + received + " packets so far), which only sends: both ends are"
                + " senders; set the far end to receive. Its packets are not read";
    }

    /**
     * Counts what the receiver did not take: the sends refused and the packets libsrt dropped as too late. A receiver
     * that acknowledged none of the packets handed over in the second sampled took nothing; its buffer full as well (a
     * flow window of at most {@link #FULL_FLOW_WINDOW} packets) means its program stopped reading; a path gone down
     * leaves the last window as it was.
     */
    private void takes(SrtStats s, long sinceNanos) {
        boolean tookNothing = handedSinceSample > 0 && s.pktRecvACK() == 0;
        dropped = stats.packetsDroppedTotal();
        handedSinceSample = 0;
        if (tookNothing && s.pktFlowWindow() <= FULL_FLOW_WINDOW) {
            if (stalledSinceNanos == 0) {
                stalledSinceNanos = sinceNanos;
                notDeliveredAtStall = notDeliveredAtSample;
            }
        } else {
            stalledSinceNanos = 0;
        }
        notDeliveredAtSample = notDelivered();
    }

    /**
     * Packets not delivered: sends libsrt refused, and the packets it handed over but gave up as too late,
     * unacknowledged: a receiver that stopped reading, one that reads slower than the stream (its buffer full, it takes
     * what it can each second and the rest is dropped), or a path that stalled. Packets the receiver's own libsrt gives
     * up on are not told to the sender, and not counted.
     */
    private long notDelivered() {
        return refused + dropped;
    }

    /** A receiver whose free buffer is this many packets or fewer is full: its program is not reading. */
    static final int FULL_FLOW_WINDOW = 16;
    /** How long a receiver may take nothing, its buffer full, before its place is freed. */
    static final long STOPPED_READING_NANOS = 5_000_000_000L;

    /**
     * Why this peer is to be dropped, once its receiver has taken nothing for {@link #STOPPED_READING_NANOS} with its
     * buffer full (a program that never reads, a decoder that hung): libsrt keeps such a connection up for as long as
     * the receiver's libsrt answers, so without this it kept its place on the listener forever. Null while it takes.
     */
    String stoppedReading(long nowNanos) {
        if (stalledSinceNanos == 0 || nowNanos - stalledSinceNanos < STOPPED_READING_NANOS) {
            return null;
        }
        return "receiver stopped reading: " + (notDelivered() - notDeliveredAtStall) + " packets not delivered in "
                + Math.round((nowNanos - stalledSinceNanos) / 1e9) + " s (its receive buffer stayed full and it"
                + " acknowledged nothing)" + (sentToUs > 0 ? "; it sent a stream of its own (" + sentToUs
                + " packets): it is a sender, not a receiver" : "") + "; its place is freed";
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
        // srt-live-transmit blocked on a full pipe: its receive buffer filled, and a few seconds later its libsrt fell
        // silent too, before stoppedReading was due; the silence alone would blame a crash or the path
        String stopped = stalledSinceNanos == 0 ? "" : who + " stopped reading ("
                + (notDelivered() - notDeliveredAtStall) + " packets not delivered in " + Math.round((lastStatsNanos - stalledSinceNanos) / 1e9)
                + " s, its receive buffer full), then ";
        long silentNanos = nowNanos - heardNanos;
        if (silentNanos < SILENCE_NANOS) {
            return stopped + who + " closed the connection";
        }
        return stopped + "nothing heard from " + who + " for about " + (long) Math.ceil(silentNanos / 1e9)
                + " s" + (stopped.isEmpty() ? ": it stopped without closing the connection, or the path went down" : "");
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
        return new PeerView(address, streamId, connectedAtMillis, stats, notDelivered());
    }
}
