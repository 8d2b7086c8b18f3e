package io.mcrsrt.ts.pacing;

import io.mcrsrt.ts.TsPacket;
import io.mcrsrt.ts.psi.Crc32Mpeg;
import io.mcrsrt.ts.psi.Pat;
import io.mcrsrt.ts.psi.Pmt;
import io.mcrsrt.ts.psi.Sdt;
import java.util.Arrays;

/**
 * Renumbers the PAT, the PMTs and the SDT of a file's new content as the looper sends them, where a decoder would
 * otherwise keep the old ones: a receiver that caches a table by its version_number ignores a new table under the
 * version it has, and two files multiplexed alike (ffmpeg writes version 0) give both contents' tables the same one.
 * Per PID, a number is added to the version_number of every PAT (PID 0), PMT, or SDT of the actual transport stream
 * (PID 0x0011, table_id 0x42; EN 300 468 5.2.3) section, the CRC_32 written again to match; sections are followed
 * across packets, so a table of several packets is renumbered too. Other tables on PID 0x0011 (the SDT of another
 * transport stream, 0x46; the BAT) go out as they are. A section whose CRC_32 did not hold keeps the same error.
 *
 * <p>Not thread-safe: it belongs to the looper's thread.
 */
final class TableVersions {
    /** Added to version_number on each PID, modulo 32; 0 where tables go out as they are. */
    private final int[] shift = new int[TsPacket.MAX_PID + 1];
    /** Per PID: the byte of the section under way that comes next, or -1 between sections. */
    private final int[] at = new int[TsPacket.MAX_PID + 1];
    private final int[] length = new int[TsPacket.MAX_PID + 1];
    private final int[] tableId = new int[TsPacket.MAX_PID + 1];
    private final boolean[] renumbered = new boolean[TsPacket.MAX_PID + 1];
    /** Per PID: the CRC of the section's bytes as sent, and as they came. */
    private final int[] crcOut = new int[TsPacket.MAX_PID + 1];
    private final int[] crcIn = new int[TsPacket.MAX_PID + 1];

    TableVersions() {
        Arrays.fill(at, -1);
    }

    /**
     * Takes up new content: {@code first} (per PID, its first PAT, PMT or SDT actual section, or null) against
     * {@code lastSent}
     * (per PID, the packets of the table last sent there, or null), every PID's number is chosen afresh: a table that
     * differs from the one last sent but has its version goes out as the next version; one that does not differ keeps
     * the version it went out with; any other as it is. Sections under way are forgotten.
     */
    void takeUp(byte[][] first, byte[][] lastSent) {
        Arrays.fill(at, -1);
        for (int pid = 0; pid <= TsPacket.MAX_PID; pid++) {
            byte[] table = first[pid];
            byte[] last = lastSent[pid] == null ? null : section(lastSent[pid]);
            shift[pid] = table == null || last == null ? 0 : shiftFor(last, table);
        }
    }

    /** What to add to {@code table}'s version_number, against the section {@code last} sent on its PID. */
    static int shiftFor(byte[] last, byte[] table) {
        int lastVersion = version(last);
        int version = version(table);
        boolean same = last.length == table.length;
        for (int i = 0; same && i < table.length - 4; i++) {
            int mask = i == 5 ? 0xC1 : 0xFF;
            same = (last[i] & mask) == (table[i] & mask);
        }
        if (same) {
            return (lastVersion - version) & 0x1F;
        }
        return version == lastVersion ? 1 : 0;
    }

    /** What is added to version_number on {@code pid}, 0 to 31. */
    int shift(int pid) {
        return shift[pid];
    }

    private static int version(byte[] section) {
        return (section[5] >> 1) & 0x1F;
    }

    /** The section the packets of a table hold, from the one the first packet's pointer_field points at; or null. */
    static byte[] section(byte[] packets) {
        TsPacket p = new TsPacket();
        byte[] out = null;
        int have = 0;
        for (int k = 0; k * TsPacket.SIZE < packets.length; k++) {
            p.wrap(packets, k * TsPacket.SIZE);
            int i = k * TsPacket.SIZE + p.payloadOffset();
            int end = (k + 1) * TsPacket.SIZE;
            if (!p.hasPayload() || i >= end) {
                return null;
            }
            if (k == 0) {
                if (!p.payloadUnitStart()) {
                    return null;
                }
                i += 1 + (packets[i] & 0xFF);
                if (i + 3 > end) {
                    return null;
                }
                out = new byte[3 + (((packets[i + 1] & 0x0F) << 8) | (packets[i + 2] & 0xFF))];
            }
            int n = Math.min(end - i, out.length - have);
            System.arraycopy(packets, i, out, have, n);
            have += n;
            if (have == out.length) {
                return out.length >= 12 ? out : null;
            }
        }
        return null;
    }

    /**
     * Renumbers what the packet at {@code view} (of {@code pid}: PID 0, a PMT PID or PID 0x0011) carries of its
     * sections.
     */
    void rewrite(byte[] b, TsPacket view, int pid) {
        if (shift[pid] == 0 || !view.hasPayload()) {
            return;
        }
        int offset = view.offset();
        int i = offset + view.payloadOffset();
        int end = offset + TsPacket.SIZE;
        if (i >= end) {
            return;
        }
        if (view.payloadUnitStart()) {
            int start = Math.min(end, i + 1 + (b[i] & 0xFF));
            i++;
            // the end of the section under way, before the one the pointer_field points at
            while (i < start && at[pid] >= 0) {
                step(b, i++, pid);
            }
            i = start;
            at[pid] = -1;
        } else if (at[pid] < 0) {
            return;
        }
        for (; i < end; i++) {
            if (at[pid] < 0) {
                if ((b[i] & 0xFF) == 0xFF) {
                    return; // stuffing to the end of the packet
                }
                at[pid] = 0;
            }
            step(b, i, pid);
        }
    }

    /** The table a PID's sections are renumbered in: the PAT on PID 0, the SDT actual on 0x0011, else the PMT. */
    static int renumberedTableId(int pid) {
        return switch (pid) {
            case Pat.PID -> Pat.TABLE_ID;
            case Sdt.PID -> Sdt.TABLE_ID_ACTUAL;
            default -> Pmt.TABLE_ID;
        };
    }

    private void step(byte[] b, int i, int pid) {
        int n = at[pid];
        if (n == 0) {
            tableId[pid] = b[i] & 0xFF;
            crcOut[pid] = Crc32Mpeg.INITIAL;
            crcIn[pid] = Crc32Mpeg.INITIAL;
        } else if (n == 1) {
            length[pid] = (b[i] & 0x0F) << 8;
            renumbered[pid] = (b[i] & 0x80) != 0 && tableId[pid] == renumberedTableId(pid);
        } else if (n == 2) {
            length[pid] = 3 + (length[pid] | (b[i] & 0xFF));
            renumbered[pid] &= length[pid] >= 12;
        }
        int crcAt = length[pid] - 4;
        if (n < 3 || n < crcAt) {
            crcIn[pid] = Crc32Mpeg.update(crcIn[pid], b[i]);
            if (n == 5 && renumbered[pid]) {
                int version = ((b[i] >> 1) + shift[pid]) & 0x1F;
                b[i] = (byte) ((b[i] & 0xC1) | version << 1);
            }
            crcOut[pid] = Crc32Mpeg.update(crcOut[pid], b[i]);
        } else if (renumbered[pid]) {
            // as it came, the CRC_32 was right or wrong by as much: so it stays
            int bitsRight = 8 * (length[pid] - 1 - n);
            b[i] = (byte) (b[i] ^ (crcIn[pid] >>> bitsRight) ^ (crcOut[pid] >>> bitsRight));
        }
        at[pid] = n + 1 == length[pid] && n >= 2 ? -1 : n + 1;
    }
}
