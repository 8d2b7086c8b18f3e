package io.mcrsrt.ts.psi;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Program association table (ISO/IEC 13818-1 2.4.4.3), table_id 0x00 on PID 0.
 *
 * @param transportStreamId transport_stream_id (16 bits)
 * @param version version_number (5 bits)
 * @param currentNext current_next_indicator
 * @param programs the programs and their PMT PIDs, without the network PID entry (program 0)
 * @param networkPid network_PID from program 0, or -1
 */
public record Pat(int transportStreamId, int version, boolean currentNext, List<Program> programs, int networkPid) {
    public static final int PID = 0x0000;
    public static final int TABLE_ID = 0x00;

    /**
     * @param programNumber program_number (16 bits)
     * @param pmtPid program_map_PID (13 bits)
     */
    public record Program(int programNumber, int pmtPid) {}

    public Pat {
        programs = List.copyOf(programs);
    }

    /** Parses one complete section, CRC included. */
    public static Pat parse(byte[] b, int offset, int length) {
        Objects.requireNonNull(b, "b must not be null");
        int total = Section.checkLong(b, offset, length, TABLE_ID, "PAT");
        int tsid = Section.u16(b, offset + 3);
        int version = (b[offset + 5] >> 1) & 0x1F;
        boolean cni = (b[offset + 5] & 1) != 0;
        List<Program> programs = new ArrayList<>();
        int network = -1;
        for (int i = offset + 8; i + 4 <= offset + total - 4; i += 4) {
            int number = Section.u16(b, i);
            int pid = Section.u16(b, i + 2) & 0x1FFF;
            if (number == 0) {
                network = pid;
            } else {
                programs.add(new Program(number, pid));
            }
        }
        return new Pat(tsid, version, cni, programs, network);
    }
}
