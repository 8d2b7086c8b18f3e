package io.mcrsrt.ts.rtp;

import io.mcrsrt.ts.TsPacket;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Takes the transport stream out of RTP datagrams (RFC 2250) and keeps count of sequence gaps, lost datagrams,
 * duplicates and datagrams arriving out of order, as a receiver's monitor reports them. Where the sender restarted its
 * numbering or changed SSRC is kept for the first {@link #RESTARTS_KEPT} times, so a report can say when it happened.
 * With arrival times, jumps of the 90 kHz RTP timestamp within one numbering and SSRC (a sender restarting its clock, a
 * splice) are counted and the first {@link #RESTARTS_KEPT} kept the same way; see {@link #TIMESTAMP_JUMP_NANOS}.
 *
 * <p>Not thread-safe: one unwrapper per input, used by its receiving thread; counters may be read from others as
 * plain longs (a slightly stale value is fine for display). {@link #report()} belongs to the receiving thread, or to
 * any thread once it has stopped.
 */
public final class RtpUnwrapper {
    /** How many restarts are kept with their place in the stream; later ones are only counted. */
    public static final int RESTARTS_KEPT = 10;

    /**
     * How far the RTP timestamp may move away from the arrival times before it is a jump: it may run at most this much
     * ahead of the time that passed between two datagrams, and go back by at most this much. Well above what a sender
     * does in normal running: network and receiver jitter of tens of milliseconds, and senders that take the timestamp
     * from the PTS of the PES they are muxing (ffmpeg's rtp_mpegts), which steps back by the B-frame reordering delay
     * and swings with the audio/video interleave of the multiplex, a few hundred milliseconds. A timestamp that moves
     * forward by less than the time that passed is not a jump: that is also what a network or receiver stall looks
     * like, the datagrams held back arriving late, then in a burst.
     */
    public static final long TIMESTAMP_JUMP_NANOS = 1_000_000_000L;

    /** The sequence-number accounting: losses, copies, late datagrams, restarts. */
    private final RtpSequence sequence = new RtpSequence();
    /** Whether the last datagram unwrapped was a copy of one that had arrived. */
    private boolean lastDuplicate;
    /** The first {@link #RESTARTS_KEPT} restarts. */
    private final List<Restart> firstRestarts = new ArrayList<>();
    /** The jump under probation, counted as a restart if the next datagram confirms it; or null. */
    private Restart pending;
    /** Times the timestamp jumped (see {@link #TIMESTAMP_JUMP_NANOS}). */
    private volatile long timestampJumps;
    /** The first {@link #RESTARTS_KEPT} timestamp jumps. */
    private final List<TimestampJump> firstTimestampJumps = new ArrayList<>();
    /**
     * The timestamp a jump is measured from: the last one that differed from its predecessor, of a datagram that
     * followed on in sequence. A sender that gives every datagram of a frame the frame's timestamp then moves on from the
     * first datagram of the frame, as the arrival time it is compared with does.
     */
    private int clockTimestamp;
    /** Arrival time, from the first datagram, of the first datagram carrying {@link #clockTimestamp}; -1 for none. */
    private long clockArrival = -1;
    /** Transport stream packets carried by the datagrams accepted so far. */
    private long packets;
    /** Arrival time of the first datagram, or -1. */
    private long firstArrival = -1;
    /** Datagrams accepted. */
    private volatile long datagrams;
    /** SSRC of the last datagram. */
    private volatile int ssrc;
    /** RTP timestamp of the last datagram. */
    private volatile int timestamp;
    /** Payload bytes of the last datagram, padding removed. */
    private int lastPayloadLength;

    /**
     * Where the sender restarted: a jump in sequence numbers confirmed by the datagram after it, or a new SSRC.
     *
     * @param newSsrc the SSRC changed (the numbering starts afresh with it); false for a jump in the numbering alone
     * @param datagram number of the first datagram of the new numbering, counting from 0
     * @param packet number of its first transport stream packet among those carried in RTP, counting from 0
     * @param atNanos its arrival time from the first datagram's, or -1 without arrival times
     * @param fromSequence sequence number of the newest datagram before it
     * @param toSequence its sequence number
     * @param fromSsrc SSRC before it
     * @param toSsrc its SSRC
     */
    public record Restart(boolean newSsrc, long datagram, long packet, long atNanos, int fromSequence, int toSequence,
            int fromSsrc, int toSsrc) {}

    /**
     * Where the RTP timestamp jumped while the numbering went on by one and the SSRC stayed: it ran more than {@link
     * #TIMESTAMP_JUMP_NANOS} ahead of the time that passed, or went back by more than that.
     *
     * @param datagram number of the datagram with the new timestamp, counting from 0
     * @param packet number of its first transport stream packet among those carried in RTP, counting from 0
     * @param atNanos its arrival time from the first datagram's
     * @param sequence its sequence number
     * @param ssrc its SSRC
     * @param fromTimestamp the timestamp it is measured from (see {@link RtpUnwrapper}), 32 bits unsigned as an int
     * @param toTimestamp its timestamp
     * @param stepNanos the step from one to the other at 90 kHz, negative backwards (modulo 2^32 ticks, so a wrap of
     *     the 32-bit timestamp is a small step)
     * @param elapsedNanos the time that passed between the arrival of the two
     */
    public record TimestampJump(long datagram, long packet, long atNanos, int sequence, int ssrc, int fromTimestamp,
            int toTimestamp, long stepNanos, long elapsedNanos) {}

    /**
     * The counters and the first restarts, at the moment of the call.
     *
     * @param datagrams datagrams accepted
     * @param gaps times the sequence jumped forward by more than one
     * @param lost datagrams missing in those jumps that never arrived: one that arrives late takes its loss back (RFC
     *     3550 6.4.1's expected less received)
     * @param duplicates copies of a datagram that had arrived (its sequence number among the newest 64)
     * @param reordered datagrams older than the newest that had not arrived yet (late or reordered)
     * @param restarts times the numbering started afresh, SSRC changes included
     * @param ssrcChanges of those, the times the SSRC changed
     * @param firstRestarts the first {@link #RESTARTS_KEPT} restarts, in order
     * @param timestampJumps times the timestamp jumped within one numbering and SSRC
     * @param firstTimestampJumps the first {@link #RESTARTS_KEPT} of those, in order
     */
    public record Report(long datagrams, long gaps, long lost, long duplicates, long reordered, long restarts,
            long ssrcChanges, List<Restart> firstRestarts, long timestampJumps, List<TimestampJump> firstTimestampJumps) {
        public Report {
            firstRestarts = List.copyOf(firstRestarts);
            firstTimestampJumps = List.copyOf(firstTimestampJumps);
        }
    }

    /**
     * Checks one datagram and returns the offset of its payload (the first TS packet) from {@code offset}.
     *
     * @throws RtpException if the datagram is not RTP version 2, is too short for its header, has a padding count
     *     that does not fit, or its payload is not a whole number of packets
     */
    public int unwrap(byte[] b, int offset, int length) {
        return unwrap(b, offset, length, -1);
    }

    /**
     * As {@link #unwrap(byte[], int, int)}, for a datagram that arrived at {@code arrivalNanos} ({@link
     * System#nanoTime()}, or -1 when not known): restarts are then reported with their time, and timestamp jumps
     * detected.
     */
    public int unwrap(byte[] b, int offset, int length, long arrivalNanos) {
        Objects.requireNonNull(b, "b must not be null");
        int header = Rtp.headerLength(b, offset, length);
        if (header < 0) {
            throw new RtpException(length < Rtp.HEADER_SIZE
                    ? "RTP datagram of " + length + " bytes (expected: >= 12)"
                    : "RTP version " + ((b[offset] >> 6) & 0x3) + " in byte 0 (expected: 2), or a header longer than the "
                            + length + "-byte datagram");
        }
        int payload = Rtp.payloadLength(b, offset, length, header);
        if (payload < 0) {
            throw new RtpException("RTP padding count " + (b[offset + length - 1] & 0xFF) + " in the last byte of a "
                    + length + "-byte datagram with a " + header + "-byte header (expected: 1.." + (length - header)
                    + ")");
        }
        if (payload % TsPacket.SIZE != 0) {
            throw new RtpException("RTP payload of " + payload + " bytes (expected: a whole number of 188-byte "
                    + "transport stream packets, RFC 2250)");
        }
        int seq = ((b[offset + 2] & 0xFF) << 8) | (b[offset + 3] & 0xFF);
        timestamp = ((b[offset + 4] & 0xFF) << 24) | ((b[offset + 5] & 0xFF) << 16) | ((b[offset + 6] & 0xFF) << 8)
                | (b[offset + 7] & 0xFF);
        int source = ((b[offset + 8] & 0xFF) << 24) | ((b[offset + 9] & 0xFF) << 16) | ((b[offset + 10] & 0xFF) << 8)
                | (b[offset + 11] & 0xFF);
        if (arrivalNanos >= 0 && firstArrival < 0) {
            firstArrival = arrivalNanos;
        }
        long at = arrivalNanos < 0 || firstArrival < 0 ? -1 : arrivalNanos - firstArrival;
        clock(track(seq, source, at), seq, source, timestamp, at);
        ssrc = source;
        packets += payload / TsPacket.SIZE;
        lastPayloadLength = payload;
        return header;
    }

    /** Payload bytes of the last datagram unwrapped (padding removed). */
    public int lastPayloadLength() {
        return lastPayloadLength;
    }

    /**
     * Whether the last datagram unwrapped was a copy of one that had arrived (a network or a sender sending it twice):
     * a receiver leaves its payload out, as it already has it.
     */
    public boolean lastWasDuplicate() {
        return lastDuplicate;
    }

    /**
     * Counts the datagram's sequence number ({@link RtpSequence}) and keeps where the sender restarted its numbering
     * or changed SSRC, for the first {@link #RESTARTS_KEPT} times.
     *
     * @return how the datagram stands to the ones before, for the timestamp check
     */
    private Step track(int seq, int source, long at) {
        long datagram = datagrams++;
        int before = sequence.highest();
        int beforeSsrc = sequence.ssrc();
        RtpSequence.Outcome outcome = sequence.accept(source, seq);
        lastDuplicate = outcome == RtpSequence.Outcome.DUPLICATE;
        return switch (outcome) {
            case NEXT -> Step.NEXT;
            case FIRST, AFTER_GAP -> Step.AFRESH;
            case NEW_SOURCE -> {
                keep(new Restart(true, datagram, packets, at, before, seq, beforeSsrc, source));
                yield Step.AFRESH;
            }
            case RESTART -> {
                keep(pending);
                yield Step.AFRESH;
            }
            case JUMP -> {
                pending = new Restart(false, datagram, packets, at, before, seq, beforeSsrc, source);
                yield Step.ASIDE;
            }
            case DUPLICATE, LATE -> Step.ASIDE;
        };
    }

    /** How a datagram stands to the newest before it. */
    private enum Step {
        /** The next in sequence: its timestamp is checked. */
        NEXT,
        /** The first, the first of a new numbering or SSRC, or after lost datagrams: its timestamp is the new reference. */
        AFRESH,
        /** A duplicate, a late datagram, or an unconfirmed jump in numbering: its timestamp is not looked at. */
        ASIDE
    }

    /**
     * The timestamp check of RFC 2250's 90 kHz clock against the arrival times. Only a datagram next in sequence is
     * checked: after lost datagrams the timestamp rightly moves on by the time they covered, which arrival times cannot
     * tell when a receiver fell behind and the kernel dropped them, so a jump hidden by a loss is not reported.
     */
    private void clock(Step step, int seq, int source, int ts, long at) {
        if (at < 0 || step == Step.ASIDE) {
            return;
        }
        if (step == Step.AFRESH || clockArrival < 0) {
            clockTimestamp = ts;
            clockArrival = at;
            return;
        }
        if (ts == clockTimestamp) {
            return;
        }
        // The signed 32-bit difference: a wrap of the timestamp (every 13.25 h at 90 kHz) is a small step forward.
        long stepNanos = (ts - clockTimestamp) * 1_000_000_000L / Rtp.CLOCK_HZ;
        long elapsed = at - clockArrival;
        if (stepNanos - elapsed > TIMESTAMP_JUMP_NANOS || stepNanos < -TIMESTAMP_JUMP_NANOS) {
            timestampJumps++;
            if (firstTimestampJumps.size() < RESTARTS_KEPT) {
                firstTimestampJumps.add(new TimestampJump(datagrams - 1, packets, at, seq, source, clockTimestamp, ts,
                        stepNanos, elapsed));
            }
        }
        clockTimestamp = ts;
        clockArrival = at;
    }

    private void keep(Restart r) {
        if (firstRestarts.size() < RESTARTS_KEPT) {
            firstRestarts.add(r);
        }
    }

    /** The counters and the first restarts; on the receiving thread, or once it has stopped. */
    public Report report() {
        return new Report(datagrams, gaps(), lost(), duplicates(), reordered(), restarts(), ssrcChanges(),
                firstRestarts, timestampJumps, firstTimestampJumps);
    }

    public long datagrams() {
        return datagrams;
    }

    public long gaps() {
        return sequence.gaps();
    }

    public long lost() {
        return sequence.lost();
    }

    public long duplicates() {
        return sequence.duplicates();
    }

    public long reordered() {
        return sequence.late();
    }

    /** Times the sequence numbering started afresh: a jump confirmed by the next datagram, or a new SSRC. */
    public long restarts() {
        return sequence.restarts();
    }

    /** Of the {@link #restarts()}, the times the SSRC changed. */
    public long ssrcChanges() {
        return sequence.ssrcChanges();
    }

    /** Times the timestamp jumped within one numbering and SSRC (see {@link #TIMESTAMP_JUMP_NANOS}). */
    public long timestampJumps() {
        return timestampJumps;
    }

    public int ssrc() {
        return ssrc;
    }

    public int timestamp() {
        return timestamp;
    }
}
