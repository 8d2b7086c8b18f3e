package io.mcrsrt.streamer.engine.testing;

import io.mcrsrt.ts.TestStreams;
import io.mcrsrt.ts.pcr.Pcr;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
        b.writeBytes(TestStreams.sectionPacket(0, second, TestStreams.pat(1, 0, 1, 0x1000)));
        b.writeBytes(TestStreams.sectionPacket(0x1000, second,
                TestStreams.pmt(1, 0, 0x100, 0x1B, 0x100, 0x86, CUE_PID)));
        for (int i = 0; i < 100; i++) {
            if (i == 50) {
                b.writeBytes(TestStreams.sectionPacket(CUE_PID, second, cue));
                b.writeBytes(TestStreams.sectionPacket(UNANNOUNCED_PID, second, cue));
            }
            b.writeBytes(TestStreams.pcrPacket(0x100, second * 100 + i, (second * 100L + i) * Pcr.HZ / 100, false));
        }
        return b.toByteArray();
    }
}
