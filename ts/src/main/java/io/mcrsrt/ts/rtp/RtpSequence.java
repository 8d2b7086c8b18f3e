package io.mcrsrt.ts.rtp;

/**
 * The sequence-number accounting of an RTP receiver, as RFC 3550 A.1 does it: a step forward of less than
 * {@link #MAX_DROPOUT} is in order (the datagrams skipped are lost), less than {@link #MAX_MISORDER} back is a late
 * datagram that takes its loss back (lost is expected less received, 6.4.1), and anything further either way is a
 * sender that restarted its numbering once the next datagram follows on from it, so one restart is not counted as
 * thousands of losses or as every later datagram arriving late. A copy of one of the newest 64 datagrams is a
 * duplicate. A new SSRC starts afresh.
 *
 * <p>Not thread-safe: one per input, fed by its receiving thread; the counters may be read from other threads (a
 * slightly stale value is fine for display). Allocates nothing.
 */
public final class RtpSequence {
    /** Largest forward step still taken as loss rather than a restart of the numbering (RFC 3550 A.1). */
    public static final int MAX_DROPOUT = 3000;
    /** Largest step back still taken as a late datagram rather than a restart (RFC 3550 A.1). */
    public static final int MAX_MISORDER = 100;

    /** How a datagram stands to the ones before it. */
    public enum Outcome {
        /** The first datagram, or the first after {@link #restart()}. */
        FIRST,
        /** The next in sequence. */
        NEXT,
        /** In order after datagrams that are missing (counted lost). */
        AFTER_GAP,
        /** A copy of a datagram that had arrived: its payload is had already. */
        DUPLICATE,
        /** Older than the newest and not had yet: late, or overtaken. */
        LATE,
        /** A jump too large for loss or lateness, not confirmed yet: the next datagram tells. */
        JUMP,
        /** The datagram after a {@link #JUMP} followed on from it: the sender restarted its numbering. */
        RESTART,
        /** Another SSRC: another source (an encoder restarted, a backup took over), counted afresh. */
        NEW_SOURCE
    }

    /** Sequence number of the newest datagram, or -1 before the first. */
    private int highest = -1;
    /** SSRC of the newest datagram. */
    private int ssrc;
    /** Bit k set: sequence number {@code highest - k} has arrived (k < 64); tells a copy from a late datagram. */
    private long arrived;
    /** After a {@link Outcome#JUMP}: the sequence number that confirms a restart, or -1. */
    private int probation = -1;
    private volatile long gaps;
    private volatile long lost;
    private volatile long duplicates;
    private volatile long late;
    private volatile long restarts;
    private volatile long ssrcChanges;

    /** Takes one datagram's SSRC and sequence number (0-65535) into account. */
    public Outcome accept(int source, int seq) {
        if (highest < 0) {
            start(source, seq);
            return Outcome.FIRST;
        }
        if (source != ssrc) {
            restarts++;
            ssrcChanges++;
            start(source, seq);
            return Outcome.NEW_SOURCE;
        }
        int ahead = (seq - highest) & 0xFFFF;
        int back = 0x10000 - ahead;
        if (ahead == 0 || back < MAX_MISORDER && back < Long.SIZE && (arrived & 1L << back) != 0) {
            duplicates++;
            return Outcome.DUPLICATE;
        }
        if (ahead < MAX_DROPOUT) {
            if (ahead > 1) {
                gaps++;
                lost += ahead - 1;
            }
            arrived = ahead < Long.SIZE ? arrived << ahead | 1 : 1;
            highest = seq;
            probation = -1;
            return ahead == 1 ? Outcome.NEXT : Outcome.AFTER_GAP;
        }
        if (back < MAX_MISORDER) {
            late++;
            if (back < Long.SIZE) {
                arrived |= 1L << back;
            }
            if (lost > 0) {
                lost--; // counted lost when the ones after it came
            }
            return Outcome.LATE;
        }
        if (seq == probation) {
            restarts++;
            start(source, seq);
            return Outcome.RESTART;
        }
        probation = (seq + 1) & 0xFFFF;
        return Outcome.JUMP;
    }

    /** Forgets the numbering: the next datagram is taken as a {@link Outcome#FIRST} (its source went away meanwhile). */
    public void restart() {
        highest = -1;
        probation = -1;
    }

    private void start(int source, int seq) {
        highest = seq;
        ssrc = source;
        arrived = 1;
        probation = -1;
    }

    /** Sequence number of the newest datagram, or -1 before the first. */
    public int highest() {
        return highest;
    }

    /** SSRC of the newest datagram (0 before the first). */
    public int ssrc() {
        return ssrc;
    }

    /** Times the numbering jumped forward by more than one. */
    public long gaps() {
        return gaps;
    }

    /** Datagrams missing in those jumps that have not arrived late since. */
    public long lost() {
        return lost;
    }

    /** Copies of a datagram that had arrived. */
    public long duplicates() {
        return duplicates;
    }

    /** Datagrams older than the newest that had not arrived (late or overtaken). */
    public long late() {
        return late;
    }

    /** Times the numbering started afresh, SSRC changes included. */
    public long restarts() {
        return restarts;
    }

    /** Of those, the times the SSRC changed. */
    public long ssrcChanges() {
        return ssrcChanges;
    }
}
