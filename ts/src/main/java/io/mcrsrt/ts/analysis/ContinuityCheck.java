package io.mcrsrt.ts.analysis;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * The continuity counter check of TR 101 290 1.4 (Continuity_count_error), per PID, as ISO/IEC 13818-1 2.4.3.3 states
 * the counter's rules: it steps by one on each packet with payload; a packet without payload keeps it; one repetition
 * (a duplicate packet) is allowed; a packet whose adaptation field sets discontinuity_indicator starts it afresh. The
 * null PID is not checked. Packets a decoder discards (adaptation_field_control '00') are the caller's to leave out.
 *
 * <p>For a reader that only counts ({@link #accept(ByteBuffer, int)}), and for {@link TsAnalyzer}, which also says
 * what went wrong ({@link #check}). Not thread-safe: one owner feeds it.
 */
public final class ContinuityCheck {
    private static final int PIDS = 8192;
    private static final int NULL_PID = 0x1FFF;

    /** What a packet's counter says about the packets before it on its PID. */
    public enum Outcome {
        /** The first packet seen on the PID, or one with discontinuity_indicator set: nothing to compare. */
        STARTS,
        /** As expected. */
        IN_ORDER,
        /** A packet with payload whose counter is not the last plus one: packets lost or out of order. */
        GAP,
        /** A packet with payload repeating the last counter for the second time or more. */
        REPEATED,
        /** A packet without payload whose counter is not the last one. */
        CHANGED_WITHOUT_PAYLOAD
    }

    private final byte[] last = new byte[PIDS];
    private final byte[] repeats = new byte[PIDS];
    private long errors;
    private int previous = -1;

    public ContinuityCheck() {
        Arrays.fill(last, (byte) -1);
    }

    /**
     * Checks one packet.
     *
     * @param pid           its PID (0-8191)
     * @param counter       its continuity_counter (0-15)
     * @param hasPayload    whether adaptation_field_control says it carries payload
     * @param discontinuity whether its adaptation field sets discontinuity_indicator
     */
    public Outcome check(int pid, int counter, boolean hasPayload, boolean discontinuity) {
        int before = last[pid];
        previous = before;
        last[pid] = (byte) counter;
        Outcome o;
        if (before < 0 || discontinuity) {
            repeats[pid] = 0;
            o = Outcome.STARTS;
        } else if (!hasPayload) {
            o = counter == before ? Outcome.IN_ORDER : Outcome.CHANGED_WITHOUT_PAYLOAD;
        } else if (counter == before) {
            o = ++repeats[pid] > 1 ? Outcome.REPEATED : Outcome.IN_ORDER;
        } else {
            repeats[pid] = 0;
            o = counter == ((before + 1) & 0xF) ? Outcome.IN_ORDER : Outcome.GAP;
        }
        if (o != Outcome.STARTS && o != Outcome.IN_ORDER) {
            errors++;
        }
        return o;
    }

    /**
     * Checks the 188-byte packet at {@code offset} of {@code b} (its sync byte first; absolute indexes, the buffer's
     * position is left alone). The null PID and packets a decoder discards (adaptation_field_control '00') are skipped.
     */
    public void accept(ByteBuffer b, int offset) {
        Objects.requireNonNull(b, "b must not be null");
        int pid = ((b.get(offset + 1) & 0x1F) << 8) | (b.get(offset + 2) & 0xFF);
        int afc = (b.get(offset + 3) >> 4) & 0x3;
        if (pid == NULL_PID || afc == 0) {
            return;
        }
        boolean discontinuity = (afc & 0x2) != 0 && (b.get(offset + 4) & 0xFF) > 0 && (b.get(offset + 5) & 0x80) != 0;
        check(pid, b.get(offset + 3) & 0xF, (afc & 0x1) != 0, discontinuity);
    }

    /** The counter the PID had before the packet last checked: what a message about it compares with; -1 if none. */
    public int previous() {
        return previous;
    }

    /** Continuity errors seen so far: every outcome but {@link Outcome#STARTS} and {@link Outcome#IN_ORDER}. */
    public long errors() {
        return errors;
    }
}
