package io.mcrsrt.ts.rtp;

import io.mcrsrt.ts.TsPacket;
import java.util.ArrayList;
import java.util.List;

/**
 * Takes the transport stream out of RTP datagrams (RFC 2250) and keeps count of sequence gaps, lost datagrams,
 * duplicates and datagrams arriving out of order, as a receiver's monitor reports them. Where the sender restarted its
 * numbering or changed SSRC is kept for the first {@link #RESTARTS_KEPT} times, so a report can say when it happened.
 *
 * <p>Not thread-safe: one unwrapper per input, used by its receiving thread; counters may be read from others as
 * plain longs (a slightly stale value is fine for display). {@link #report()} belongs to the receiving thread, or to
 * any thread once it has stopped.
 */
public final class RtpUnwrapper {
    /** How many restarts are kept with their place in the stream; later ones are only counted. */
    public static final int RESTARTS_KEPT = 10;

    /** Largest forward step still taken as loss rather than a restart of the numbering (RFC 3550 A.1). */
    private static final int MAX_DROPOUT = 3000;
    /** Largest step back still taken as a late datagram rather than a restart (RFC 3550 A.1). */
    private static final int MAX_MISORDER = 100;

    /** Sequence number of the newest datagram, or -1 before the first. */
    private int highest = -1;
    /** After a jump too large for loss or reordering: the sequence number that confirms a restart, or -1. */
    private int probation = -1;
    /** Times the sender restarted its numbering or changed SSRC. */
    private volatile long restarts;
    /** Of those, the times the SSRC changed. */
    private volatile long ssrcChanges;
    /** The first {@link #RESTARTS_KEPT} restarts. */
    private final List<Restart> firstRestarts = new ArrayList<>();
    /** The jump under probation, counted as a restart if the next datagram confirms it; or null. */
    private Restart pending;
    /** Transport stream packets carried by the datagrams accepted so far. */
    private long packets;
    /** Arrival time of the first datagram, or -1. */
    private long firstArrival = -1;
    /** Datagrams accepted. */
    private volatile long datagrams;
    /** Times the sequence jumped forward by more than one. */
    private volatile long gaps;
    /** Datagrams missing in those jumps. */
    private volatile long lost;
    /** Datagrams with the same sequence number as the newest. */
    private volatile long duplicates;
    /** Datagrams older than the newest (late or reordered). */
    private volatile long reordered;
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
     * The counters and the first restarts, at the moment of the call.
     *
     * @param datagrams datagrams accepted
     * @param gaps times the sequence jumped forward by more than one
     * @param lost datagrams missing in those jumps
     * @param duplicates datagrams with the sequence number of the newest
     * @param reordered datagrams older than the newest
     * @param restarts times the numbering started afresh, SSRC changes included
     * @param ssrcChanges of those, the times the SSRC changed
     * @param firstRestarts the first {@link #RESTARTS_KEPT} restarts, in order
     */
    public record Report(long datagrams, long gaps, long lost, long duplicates, long reordered, long restarts,
            long ssrcChanges, List<Restart> firstRestarts) {
        public Report {
            firstRestarts = List.copyOf(firstRestarts);
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
     * System#nanoTime()}, or -1 when not known): restarts are then reported with their time.
     */
    public int unwrap(byte[] b, int offset, int length, long arrivalNanos) {
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
        track(seq, source, arrivalNanos < 0 || firstArrival < 0 ? -1 : arrivalNanos - firstArrival);
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
     * Sequence accounting as RFC 3550 A.1 does it: a step forward of less than {@link #MAX_DROPOUT} is in order (the
     * datagrams skipped are lost), up to {@link #MAX_MISORDER} back is late or reordered, and anything further either
     * way is a sender that restarted its numbering once the next datagram follows on from it, so one restart is not
     * counted as thousands of losses or as every later datagram arriving out of order. A new SSRC starts afresh.
     */
    private void track(int seq, int source, long at) {
        long datagram = datagrams++;
        boolean newSource = datagram > 0 && source != ssrc;
        if (highest < 0 || newSource) {
            if (newSource) {
                restarts++;
                ssrcChanges++;
                keep(new Restart(true, datagram, packets, at, highest, seq, ssrc, source));
            }
            highest = seq;
            probation = -1;
            return;
        }
        int ahead = (seq - highest) & 0xFFFF;
        if (ahead == 0) {
            duplicates++;
        } else if (ahead < MAX_DROPOUT) {
            if (ahead > 1) {
                gaps++;
                lost += ahead - 1;
            }
            highest = seq;
            probation = -1;
        } else if (ahead <= 0x10000 - MAX_MISORDER) {
            if (seq == probation) {
                restarts++;
                keep(pending);
                highest = seq;
                probation = -1;
            } else {
                probation = (seq + 1) & 0xFFFF;
                pending = new Restart(false, datagram, packets, at, highest, seq, ssrc, source);
            }
        } else {
            reordered++;
        }
    }

    private void keep(Restart r) {
        if (firstRestarts.size() < RESTARTS_KEPT) {
            firstRestarts.add(r);
        }
    }

    /** The counters and the first restarts; on the receiving thread, or once it has stopped. */
    public Report report() {
        return new Report(datagrams, gaps, lost, duplicates, reordered, restarts, ssrcChanges, firstRestarts);
    }

    public long datagrams() {
        return datagrams;
    }

    public long gaps() {
        return gaps;
    }

    public long lost() {
        return lost;
    }

    public long duplicates() {
        return duplicates;
    }

    public long reordered() {
        return reordered;
    }

    /** Times the sequence numbering started afresh: a jump confirmed by the next datagram, or a new SSRC. */
    public long restarts() {
        return restarts;
    }

    /** Of the {@link #restarts()}, the times the SSRC changed. */
    public long ssrcChanges() {
        return ssrcChanges;
    }

    public int ssrc() {
        return ssrc;
    }

    public int timestamp() {
        return timestamp;
    }
}
