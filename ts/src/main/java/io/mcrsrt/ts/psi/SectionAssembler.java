package io.mcrsrt.ts.psi;

import io.mcrsrt.ts.TsPacket;
import java.util.Objects;

/**
 * Reassembles PSI sections of one PID from packet payloads (ISO/IEC 13818-1 2.4.4.1): follows pointer_field, joins a
 * section split over packets, takes several sections from one packet, stops at stuffing (0xFF). A continuity break
 * drops the section under way. Sections are handed over in a buffer reused for the next one, so the listener must
 * parse or copy before returning.
 *
 * <p>Not thread-safe: one assembler belongs to the thread that reads the stream.
 */
public final class SectionAssembler {
    /** Receives each complete section. */
    @FunctionalInterface
    public interface Listener {
        /** {@code section[0..length)} is one complete section, CRC not yet checked. */
        void onSection(int pid, byte[] section, int length);
    }

    /** Longest section: 3 header bytes + a 12-bit section_length. */
    private static final int MAX_SECTION = 3 + 4095;

    /** The PID this assembler serves. */
    private final int pid;
    /** Receives complete sections. */
    private final Listener listener;
    /** The section under way. */
    private final byte[] section = new byte[MAX_SECTION];
    /** Bytes of the section under way so far; 0 when waiting for a start. */
    private int have;
    /** Total length of the section under way, or -1 while its header is incomplete. */
    private int need = -1;
    /** Continuity counter of the last packet with payload, or -1. */
    private int lastCc = -1;

    public SectionAssembler(int pid, Listener listener) {
        Objects.requireNonNull(listener, "listener must not be null (it is handed each section)");
        this.pid = pid;
        this.listener = listener;
    }

    /** Feeds one packet of this PID. */
    public void accept(TsPacket p) {
        Objects.requireNonNull(p, "p must not be null (a TS packet)");
        if (!p.hasPayload() || p.scramblingControl() != 0) {
            return;
        }
        int cc = p.continuityCounter();
        boolean continuous = lastCc < 0 || cc == ((lastCc + 1) & 0xF);
        boolean duplicate = lastCc >= 0 && cc == lastCc;
        lastCc = cc;
        if (duplicate) {
            return;
        }
        if (!continuous) {
            reset();
        }
        byte[] b = p.array();
        int i = p.offset() + p.payloadOffset();
        int end = p.offset() + TsPacket.SIZE;
        if (i >= end) {
            return;
        }
        if (p.payloadUnitStart()) {
            int pointer = b[i] & 0xFF;
            i++;
            if (have > 0) {
                append(b, i, Math.min(pointer, end - i));
            }
            reset();
            i += pointer;
            while (i < end && b[i] != (byte) 0xFF) {
                int taken = append(b, i, end - i);
                i += taken;
                if (have > 0) {
                    break;
                }
            }
        } else if (have > 0) {
            append(b, i, end - i);
        }
    }

    /** Appends up to {@code length} bytes to the section under way; returns how many were used. */
    private int append(byte[] b, int from, int length) {
        int used = 0;
        while (used < length) {
            if (need < 0) {
                int take = Math.min(3 - have, length - used);
                System.arraycopy(b, from + used, section, have, take);
                have += take;
                used += take;
                if (have < 3) {
                    return used;
                }
                need = 3 + (((section[1] & 0x0F) << 8) | (section[2] & 0xFF));
            }
            int take = Math.min(need - have, length - used);
            System.arraycopy(b, from + used, section, have, take);
            have += take;
            used += take;
            if (have == need) {
                listener.onSection(pid, section, need);
                reset();
                return used;
            }
        }
        return used;
    }

    private void reset() {
        have = 0;
        need = -1;
    }
}
