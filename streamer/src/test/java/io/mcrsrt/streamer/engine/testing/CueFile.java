package io.mcrsrt.streamer.engine.testing;

import io.mcrsrt.ts.TsPacket;
import io.mcrsrt.ts.pcr.Pcr;
import io.mcrsrt.ts.psi.Crc32Mpeg;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;

/**
 * A transport stream with SCTE-35 cues, built packet by packet (ffmpeg copies SCTE-35 data streams but cannot make
 * them): one second of PCRs (10 ms apart) on PID 0x100, a PMT that announces PID 0x1F0 as SCTE-35 (stream type 0x86),
 * and half-way through the cue on 0x1F0 and the same cue on 0x1F1, a PID no PMT announces.
 */
public final class CueFile {
    /** ANSI/SCTE 35 example 14.2: splice_insert, event 0x4800008F, out, at PTS 21514.559089 s, break 60.293567 s. */
    public static final String SPLICE_INSERT = "/DAvAAAAAAAA///wFAVIAACPf+/+c2nALv4AUsz1AAAAAAAKAAhDVUVJAAABNWLbowo=";
    /** The PID the PMT announces as SCTE-35, and one it does not. */
    public static final int CUE_PID = 0x1F0;
    public static final int UNANNOUNCED_PID = 0x1F1;

    private CueFile() {
    }

    /** Writes the stream to {@code file}, {@code cue} (a splice_info_section in base64) as the cue. */
    public static Path write(Path file, String cue) throws IOException {
        return write(file, cue, 1);
    }

    /**
     * Writes {@code seconds} of the stream, one after the other as one: its clock and continuity counters run on, so
     * that a receiver takes each second's cue as a new one (the same packet again, its continuity counter unchanged,
     * is a duplicate that a receiver drops).
     */
    public static Path write(Path file, String cue, int seconds) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int second = 0; second < seconds; second++) {
            b.writeBytes(bytes(Base64.getDecoder().decode(cue), second));
        }
        Files.write(file, b.toByteArray());
        return file;
    }

    static byte[] bytes(byte[] cue, int second) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(sectionPacket(0, second, section(new byte[] {0x00, (byte) 0xB0, 0, 0, 1, (byte) 0xC1, 0, 0, 0, 1,
            (byte) 0xF0, 0x00})));
        b.writeBytes(sectionPacket(0x1000, second, section(new byte[] {0x02, (byte) 0xB0, 0, 0, 1, (byte) 0xC1, 0, 0,
            (byte) 0xE1, 0x00, (byte) 0xF0, 0, 0x1B, (byte) 0xE1, 0x00, (byte) 0xF0, 0, (byte) 0x86, (byte) 0xE1,
            (byte) 0xF0, (byte) 0xF0, 0})));
        for (int i = 0; i < 100; i++) {
            if (i == 50) {
                b.writeBytes(sectionPacket(CUE_PID, second, cue));
                b.writeBytes(sectionPacket(UNANNOUNCED_PID, second, cue));
            }
            b.writeBytes(pcrPacket(0x100, second * 100 + i, (second * 100L + i) * Pcr.HZ / 100));
        }
        return b.toByteArray();
    }

    private static byte[] packet(int pid, int cc, boolean pusi) {
        byte[] p = new byte[TsPacket.SIZE];
        Arrays.fill(p, (byte) 0xFF);
        p[0] = 0x47;
        p[1] = (byte) ((pusi ? 0x40 : 0) | (pid >> 8));
        p[2] = (byte) pid;
        p[3] = (byte) (0x10 | (cc & 0xF));
        return p;
    }

    private static byte[] pcrPacket(int pid, int cc, long pcr) {
        byte[] p = packet(pid, cc, false);
        p[3] = (byte) (0x30 | (cc & 0xF));
        p[4] = 7;
        p[5] = 0x10;
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

    /** Appends CRC_32 to a section given without it and sets its section_length. */
    private static byte[] section(byte[] withoutCrc) {
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

    private static byte[] sectionPacket(int pid, int cc, byte[] section) {
        byte[] p = packet(pid, cc, true);
        p[4] = 0;
        System.arraycopy(section, 0, p, 5, section.length);
        return p;
    }
}
