package io.mcrsrt.ts.pacing;

import io.mcrsrt.ts.TsPacket;
import io.mcrsrt.ts.pcr.Pcr;
import io.mcrsrt.ts.psi.Crc32Mpeg;

/**
 * Adds a pass's shift to the pts_adjustment (ANSI/SCTE 35 9.6: it is added to every pts_time) of each
 * splice_info_section of one SCTE-35 PID, as its packets go out one at a time: a section within one packet, several in
 * one packet, and a section split over several packets alike.
 *
 * <p>The CRC_32 of a section split over packets comes packets after its pts_adjustment, which has gone out by then, so
 * the CRC is carried along instead of checked first: the CRC of the bytes as read and of the bytes as written, and the
 * CRC_32 field is written XORed with the difference of the two. CRC-32 is linear in its message, so the field written
 * checks for the section as written exactly when the field read checked for the section as read: a section that came
 * broken goes out as broken as it came, never made valid.
 *
 * <p>A section whose pts_adjustment itself is split between two packets (one that starts in the last eight bytes of a
 * packet) is left as it is: the first bytes of the sum go out before the last bytes of the value come. A continuity
 * break, or a scrambled packet, drops the section under way (left as it is from there on); a packet repeated with the
 * same continuity counter is written as it was the first time.
 *
 * <p>Not thread-safe: it belongs to the looper's thread.
 */
final class SpliceInfoShifter {
    private static final int TABLE_ID = 0xFC;
    /** Shortest splice_info_section: its fixed fields, a splice_null and the CRC_32. */
    private static final int SHORTEST = 17;
    /** Where pts_adjustment starts in the section: its 33 bits end in byte 8. */
    private static final int ADJUSTMENT = 4;

    /** The section under way, and as it stood before the last packet, for a repeat of it. */
    private final State now = new State();
    private final State beforeLast = new State();
    /** Continuity counter of the last packet, or -1. */
    private int lastCc = -1;

    /** Mutable state of the section under way. */
    private static final class State {
        /** Bytes of the section under way so far; -1 while there is none (until the next payload_unit_start). */
        int at = -1;
        /** Its table_id, and the low 4 bits of byte 1 until section_length is whole. */
        int tableId;
        int lengthHigh;
        /** Its length, header and CRC_32 included; -1 until its first 3 bytes are in. */
        int length = -1;
        /** Whether it is a cue being rewritten. */
        boolean rewriting;
        /** CRC of its bytes as read and as written so far, the CRC_32 field left out. */
        int crcRead;
        int crcWritten;
        /** pts_adjustment with the shift added, while its bytes go out. */
        long shifted;

        void set(State o) {
            at = o.at;
            tableId = o.tableId;
            lengthHigh = o.lengthHigh;
            length = o.length;
            rewriting = o.rewriting;
            crcRead = o.crcRead;
            crcWritten = o.crcWritten;
            shifted = o.shifted;
        }
    }

    /** Forgets the section under way: the next packet of the PID is the first of a pass. */
    void reset() {
        now.at = -1;
        lastCc = -1;
    }

    /**
     * Rewrites in {@code b} the packet of this PID that starts at {@code offset}.
     *
     * @param payload where its payload starts, from {@code offset} (188 when it has none)
     * @param shift90 the pass's shift, 90 kHz
     */
    void accept(byte[] b, int offset, int payload, boolean payloadUnitStart, boolean scrambled, int cc,
            long shift90) {
        int i = offset + payload;
        int end = offset + TsPacket.SIZE;
        if (i >= end) {
            return; // no payload: the continuity counter does not move
        }
        if (scrambled) {
            reset();
            return;
        }
        if (lastCc >= 0 && cc == lastCc) {
            now.set(beforeLast); // a repeat: as the first one went out
        } else if (lastCc >= 0 && cc != ((lastCc + 1) & 0xF)) {
            now.at = -1;
        }
        beforeLast.set(now);
        lastCc = cc;
        if (!payloadUnitStart) {
            if (now.at >= 0) {
                take(b, i, end, shift90);
            }
            return;
        }
        int start = i + 1 + (b[i] & 0xFF);
        if (now.at >= 0) {
            take(b, i + 1, Math.min(start, end), shift90);
        }
        now.at = -1;
        for (i = start; i < end && b[i] != (byte) 0xFF; ) {
            now.at = 0;
            now.length = -1;
            now.rewriting = false;
            now.crcRead = Crc32Mpeg.INITIAL;
            now.crcWritten = Crc32Mpeg.INITIAL;
            i = take(b, i, end, shift90);
            if (now.at >= 0) {
                return; // runs on into the next packet
            }
        }
    }

    /**
     * Takes the bytes {@code [from, to)} of the section under way, rewriting them; returns where it ended, or
     * {@code to} if it runs on (then {@link State#at} stays at or above 0).
     */
    private int take(byte[] b, int from, int to, long shift90) {
        State s = now;
        for (int i = from; i < to; i++) {
            int at = s.at;
            byte read = b[i];
            if (at == 0) {
                s.tableId = read & 0xFF;
            } else if (at == 1) {
                s.lengthHigh = read & 0x0F;
            } else if (at == 2) {
                s.length = 3 + ((s.lengthHigh << 8) | (read & 0xFF));
                s.rewriting = s.tableId == TABLE_ID && s.length >= SHORTEST;
            } else if (at == ADJUSTMENT && s.rewriting) {
                if (i + 5 > to) {
                    s.rewriting = false; // split between packets: see the class
                } else {
                    long adjustment = ((long) (b[i] & 0x01) << 32) | ((long) (b[i + 1] & 0xFF) << 24)
                            | ((b[i + 2] & 0xFF) << 16) | ((b[i + 3] & 0xFF) << 8) | (b[i + 4] & 0xFF);
                    s.shifted = Pcr.addPts(adjustment, shift90);
                }
            }
            if (s.rewriting) {
                if (at >= ADJUSTMENT && at < ADJUSTMENT + 5) {
                    byte written = (byte) (s.shifted >> (8 * (ADJUSTMENT + 4 - at)));
                    b[i] = at == ADJUSTMENT ? (byte) ((read & 0xFE) | (written & 0x01)) : written;
                }
                int crcAt = at - (s.length - 4);
                if (crcAt < 0) {
                    s.crcRead = Crc32Mpeg.update(s.crcRead, read);
                    s.crcWritten = Crc32Mpeg.update(s.crcWritten, b[i]);
                } else {
                    b[i] = (byte) (read ^ ((s.crcRead ^ s.crcWritten) >>> (24 - 8 * crcAt)));
                }
            } else if (at < 2) {
                // before section_length is whole: the CRC of a cue starts here
                s.crcRead = Crc32Mpeg.update(s.crcRead, read);
                s.crcWritten = Crc32Mpeg.update(s.crcWritten, read);
            }
            s.at = at + 1;
            if (s.at == s.length) {
                s.at = -1;
                return i + 1;
            }
        }
        return to;
    }
}
