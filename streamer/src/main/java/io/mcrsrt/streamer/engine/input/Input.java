package io.mcrsrt.streamer.engine.input;

import io.mcrsrt.streamer.stream.InputCounters;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A stream's source of 1316-byte messages (seven TS packets), driven by the stream's owner thread. Not thread-safe.
 */
public interface Input extends AutoCloseable {

    /** Receives each message with the time it is due, in {@link System#nanoTime()} terms (0: now, as it arrived). */
    @FunctionalInterface
    interface Sink {
        void accept(ByteBuffer message, long dueNanos);
    }

    /**
     * Waits at most {@code maxWaitNanos}, then hands every message that is due on to {@code sink}; a paced input (a
     * file) also those that fall due before its next call, {@code maxWaitNanos} on, each with its own due time.
     *
     * @return bytes handed on
     * @throws IOException if the input failed for good (a file became unreadable, a socket closed)
     */
    int pump(long maxWaitNanos, Sink sink) throws IOException;

    /** True once a non-looping input has played to its end. */
    boolean ended();

    /** Nanosecond time the last data arrived or was due; used to detect a silent network input. */
    long lastDataNanos();

    /** Whether silence on this input means the source was lost (network inputs) rather than a pause. */
    boolean canBeLost();

    /**
     * Whether the input plays from its start once the stream's first peer connects (a file, colour bars: as the
     * original's {@code srtsink} waited for a connection), rather than passing on what arrives whether anyone is
     * connected or not (a network input). Once started it plays on, peers or not.
     */
    boolean startsWithFirstPeer();

    /**
     * The highest rate the input is known to reach, in bits a second: a file's peak over a second of its clock; 0 when
     * unknown (a live input). It sizes the SRT buffers and is the least the SRT rate cap is set from, whatever the rate
     * measured while sending. It may rise while the input runs (a long file measured further).
     */
    long peakBitsPerSecond();

    /**
     * What a network input's packets said about the path before this service so far; null for an input this service
     * makes itself (a file, colour bars), which has no path to watch.
     */
    default InputCounters counters() {
        return null;
    }

    /**
     * What about the input will keep the stream from playing as its receivers expect although it plays (a file whose
     * PCR runs slower than its content), in words that say what to do; null when nothing is known to be wrong.
     */
    default String warning() {
        return null;
    }

    /**
     * Datagrams a network input received that were not transport stream (neither raw TS nor RTP-wrapped TS) and left
     * out, so far; 0 for other inputs.
     */
    default long ignoredDatagrams() {
        return 0;
    }

    /**
     * The last datagram {@link #ignoredDatagrams} counted, in words: its size and its sender; null when none has been,
     * and for other inputs.
     */
    default String lastIgnored() {
        return null;
    }

    /**
     * Times a network input's RTP datagrams came from another SSRC than the datagram before them, so far; 0 for other
     * inputs.
     */
    default long rtpSourceChanges() {
        return 0;
    }

    /** The last of {@link #rtpSourceChanges}, in words: both SSRCs and senders; null when none, and for other inputs. */
    default String lastRtpSourceChange() {
        return null;
    }

    /**
     * Bytes a network input left out of the datagrams whose TS packets it took, being in no whole packet (a trailer a
     * gateway appends after the packets, the tail of a packet before the first), so far; 0 for other inputs.
     */
    default long strayBytes() {
        return 0;
    }

    /**
     * What a network input did by itself since the last call to go on receiving (a multicast group joined again on an
     * interface that was removed and made again), in words for an event; null when nothing. Called on the owner
     * thread.
     */
    default String recovered() {
        return null;
    }

    /**
     * What became of a file input's file on disk since the last call (written over or replaced while it played: its
     * new content taken up at the loop point, waited for, or refused), in words for an event; null when nothing.
     * Called on the owner thread.
     */
    default String changed() {
        return null;
    }

    /**
     * Why a network input that has gone silent cannot receive, when it can tell (the interface its group was joined
     * on no longer exists, or is back but cannot be joined on yet), in words that say what it waits for; null when it
     * cannot tell or nothing is known to be wrong.
     */
    default String silenceReason() {
        return null;
    }

    @Override
    void close() throws IOException;
}
