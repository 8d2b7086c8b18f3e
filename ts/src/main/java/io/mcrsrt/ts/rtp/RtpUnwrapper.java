package io.mcrsrt.ts.rtp;

import io.mcrsrt.ts.TsPacket;

/**
 * Takes the transport stream out of RTP datagrams (RFC 2250) and keeps count of sequence gaps, lost datagrams,
 * duplicates and datagrams arriving out of order, as a receiver's monitor reports them.
 *
 * <p>Not thread-safe: one unwrapper per input, used by its receiving thread; counters may be read from others as
 * plain longs (a slightly stale value is fine for display).
 */
public final class RtpUnwrapper {
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
     * Checks one datagram and returns the offset of its payload (the first TS packet) from {@code offset}.
     *
     * @throws RtpException if the datagram is not RTP version 2, is too short for its header, has a padding count
     *     that does not fit, or its payload is not a whole number of packets
     */
    public int unwrap(byte[] b, int offset, int length) {
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
        boolean newSource = datagrams > 0 && source != ssrc;
        ssrc = source;
        track(seq, newSource);
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
    private void track(int seq, boolean newSource) {
        datagrams++;
        if (highest < 0 || newSource) {
            if (newSource) {
                restarts++;
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
                highest = seq;
                probation = -1;
            } else {
                probation = (seq + 1) & 0xFFFF;
            }
        } else {
            reordered++;
        }
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

    public int ssrc() {
        return ssrc;
    }

    public int timestamp() {
        return timestamp;
    }
}
