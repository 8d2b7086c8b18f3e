package io.mcrsrt.ts.psi;

import io.mcrsrt.ts.TsException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Program map table (ISO/IEC 13818-1 2.4.4.8), table_id 0x02.
 *
 * @param programNumber program_number (16 bits)
 * @param version version_number (5 bits)
 * @param currentNext current_next_indicator
 * @param pcrPid PCR_PID (13 bits); 0x1FFF when the program has no PCR
 * @param descriptors the program_info descriptors
 * @param streams the elementary streams
 */
public record Pmt(int programNumber, int version, boolean currentNext, int pcrPid, List<Descriptor> descriptors,
        List<Stream> streams) {
    public static final int TABLE_ID = 0x02;

    /**
     * @param streamType stream_type (8 bits), see {@link StreamType}
     * @param pid elementary_PID (13 bits)
     * @param descriptors the ES_info descriptors
     */
    public record Stream(int streamType, int pid, List<Descriptor> descriptors) {
        public Stream {
            descriptors = List.copyOf(descriptors);
        }

        public String typeName() {
            return StreamType.describe(streamType);
        }

        /** True for stream_type 0x86, or a private stream registered as "CUEI". */
        public boolean isScte35() {
            return streamType == StreamType.SCTE35 || (streamType == StreamType.PRIVATE_SECTIONS
                    && descriptors.stream().anyMatch(d -> "CUEI".equals(d.formatIdentifier())));
        }
    }

    public Pmt {
        descriptors = List.copyOf(descriptors);
        streams = List.copyOf(streams);
    }

    /** Parses one complete section, CRC included. */
    public static Pmt parse(byte[] b, int offset, int length) {
        Objects.requireNonNull(b, "b must not be null");
        int total = Section.checkLong(b, offset, length, TABLE_ID, "PMT");
        int end = offset + total - 4;
        int program = Section.u16(b, offset + 3);
        int version = (b[offset + 5] >> 1) & 0x1F;
        boolean cni = (b[offset + 5] & 1) != 0;
        int pcrPid = Section.u16(b, offset + 8) & 0x1FFF;
        int infoLength = Section.u16(b, offset + 10) & 0x0FFF;
        if (offset + 12 + infoLength > end) {
            throw new TsException("PMT program_info_length " + infoLength + " at byte 10 (expected: <= "
                    + (end - offset - 12) + ")");
        }
        List<Descriptor> descriptors = Descriptor.parseLoop(b, offset + 12, infoLength, "PMT program_info");
        List<Stream> streams = new ArrayList<>();
        int i = offset + 12 + infoLength;
        while (i < end) {
            if (end - i < 5) {
                throw new TsException("PMT stream entry at byte " + (i - offset) + " needs 5 bytes, " + (end - i) + " left");
            }
            int type = b[i] & 0xFF;
            int pid = Section.u16(b, i + 1) & 0x1FFF;
            int esInfo = Section.u16(b, i + 3) & 0x0FFF;
            if (i + 5 + esInfo > end) {
                throw new TsException("PMT ES_info_length " + esInfo + " at byte " + (i + 3 - offset) + " (expected: <= "
                        + (end - i - 5) + ")");
            }
            streams.add(new Stream(type, pid, Descriptor.parseLoop(b, i + 5, esInfo, "PMT ES_info")));
            i += 5 + esInfo;
        }
        return new Pmt(program, version, cni, pcrPid, descriptors, streams);
    }
}
