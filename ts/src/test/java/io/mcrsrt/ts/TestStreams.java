package io.mcrsrt.ts;

import io.mcrsrt.ts.psi.Crc32Mpeg;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/** Builds packets and PSI sections by hand, so each test states exactly the bytes it feeds. */
public final class TestStreams {
    private TestStreams() {}

    /** A packet with payload only, filled with 0xFF after the header. */
    public static byte[] packet(int pid, int cc, boolean pusi) {
        byte[] p = new byte[TsPacket.SIZE];
        Arrays.fill(p, (byte) 0xFF);
        p[0] = 0x47;
        p[1] = (byte) ((pusi ? 0x40 : 0) | (pid >> 8));
        p[2] = (byte) pid;
        p[3] = (byte) (0x10 | (cc & 0xF));
        return p;
    }

    /** A packet with an adaptation field carrying a PCR (27 MHz value), and payload. */
    public static byte[] pcrPacket(int pid, int cc, long pcr, boolean discontinuity) {
        byte[] p = packet(pid, cc, false);
        p[3] = (byte) (0x30 | (cc & 0xF));
        p[4] = 7;
        p[5] = (byte) (0x10 | (discontinuity ? 0x80 : 0));
        long base = pcr / 300;
        int ext = (int) (pcr % 300);
        p[6] = (byte) (base >> 25);
        p[7] = (byte) (base >> 17);
        p[8] = (byte) (base >> 9);
        p[9] = (byte) (base >> 1);
        p[10] = (byte) (((base & 1) << 7) | 0x7E | (ext >> 8));
        p[11] = (byte) ext;
        return p;
    }

    /** Appends CRC_32 to a section given without it and fixes its section_length. */
    public static byte[] section(byte[] withoutCrc) {
        byte[] s = Arrays.copyOf(withoutCrc, withoutCrc.length + 4);
        int sectionLength = s.length - 3;
        s[1] = (byte) ((s[1] & 0xF0) | (sectionLength >> 8));
        s[2] = (byte) sectionLength;
        int crc = Crc32Mpeg.compute(s, 0, s.length - 4);
        s[s.length - 4] = (byte) (crc >> 24);
        s[s.length - 3] = (byte) (crc >> 16);
        s[s.length - 2] = (byte) (crc >> 8);
        s[s.length - 1] = (byte) crc;
        return s;
    }

    /** A PAT with one program. */
    public static byte[] pat(int tsid, int version, int program, int pmtPid) {
        return section(new byte[] {0x00, (byte) 0xB0, 0, (byte) (tsid >> 8), (byte) tsid,
            (byte) (0xC1 | (version << 1)), 0, 0, (byte) (program >> 8), (byte) program,
            (byte) (0xE0 | (pmtPid >> 8)), (byte) pmtPid});
    }

    /**
     * One section of a PAT split over several; {@code programs} holds pairs of program_number and PMT PID (program 0
     * gives the network PID).
     */
    public static byte[] patSection(int tsid, int version, int sectionNumber, int lastSectionNumber, int... programs) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(new byte[] {0x00, (byte) 0xB0, 0, (byte) (tsid >> 8), (byte) tsid, (byte) (0xC1 | (version << 1)),
            (byte) sectionNumber, (byte) lastSectionNumber});
        for (int i = 0; i < programs.length; i += 2) {
            b.writeBytes(new byte[] {(byte) (programs[i] >> 8), (byte) programs[i],
                (byte) (0xE0 | (programs[i + 1] >> 8)), (byte) programs[i + 1]});
        }
        return section(b.toByteArray());
    }

    /** A PMT; {@code streams} holds pairs of stream_type and PID. */
    public static byte[] pmt(int program, int version, int pcrPid, int... streams) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(new byte[] {0x02, (byte) 0xB0, 0, (byte) (program >> 8), (byte) program,
            (byte) (0xC1 | (version << 1)), 0, 0, (byte) (0xE0 | (pcrPid >> 8)), (byte) pcrPid, (byte) 0xF0, 0});
        for (int i = 0; i < streams.length; i += 2) {
            b.writeBytes(new byte[] {(byte) streams[i], (byte) (0xE0 | (streams[i + 1] >> 8)), (byte) streams[i + 1],
                (byte) 0xF0, 0});
        }
        return section(b.toByteArray());
    }

    /** One packet carrying a whole section (pointer_field 0). */
    public static byte[] sectionPacket(int pid, int cc, byte[] section) {
        byte[] p = packet(pid, cc, true);
        p[4] = 0;
        System.arraycopy(section, 0, p, 5, section.length);
        return p;
    }

    /**
     * The packets carrying {@code section} from the start of the first (pointer_field 0) on, as many as it takes,
     * continuity counters from {@code firstCc}, the last filled with 0xFF.
     */
    public static byte[] sectionPackets(int pid, int firstCc, byte[] section) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int at = 0;
        for (int n = 0; at < section.length; n++) {
            byte[] p = packet(pid, firstCc + n, n == 0);
            int payload = n == 0 ? 5 : 4;
            if (n == 0) {
                p[4] = 0;
            }
            int take = Math.min(TsPacket.SIZE - payload, section.length - at);
            System.arraycopy(section, at, p, payload, take);
            at += take;
            b.writeBytes(p);
        }
        return b.toByteArray();
    }

    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            b.writeBytes(part);
        }
        return b.toByteArray();
    }
}
