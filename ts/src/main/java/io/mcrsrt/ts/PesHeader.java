package io.mcrsrt.ts;

import io.mcrsrt.ts.pcr.Pcr;
import java.util.Objects;

/**
 * The timestamps of a PES packet header (ISO/IEC 13818-1 2.4.3.6, 2.4.3.7), read in place from the payload of the TS
 * packet where the PES starts. A timestamp is trusted only where PES_header_data_length holds it, the bytes are there
 * and its three marker bits are set, so a corrupt or truncated header is neither read nor rewritten.
 */
public final class PesHeader {

    private PesHeader() {
    }

    /**
     * PTS_DTS_flags of the PES header at {@code b[i]} (the packet_start_code_prefix), the packet ending at {@code end}:
     * 2 for a PTS (at {@code i + 9}), 3 for a PTS and a DTS (at {@code i + 14}), 0 when there is no PES header with
     * timestamps there.
     */
    public static int timestampFlags(byte[] b, int i, int end) {
        Objects.requireNonNull(b, "b must not be null");
        if (end - i < 14 || b[i] != 0 || b[i + 1] != 0 || b[i + 2] != 1 || !hasOptionalHeader(b[i + 3] & 0xFF)) {
            return 0;
        }
        int flags = (b[i + 7] >> 6) & 0x3;
        int headerLength = b[i + 8] & 0xFF;
        if (flags < 2 || headerLength < 5 || !timestampField(b, i + 9)) {
            return 0;
        }
        if (flags == 3 && (headerLength < 10 || end - i < 19 || !timestampField(b, i + 14))) {
            return 2;
        }
        return flags;
    }

    /** The decode time of the PES header at {@code b[i]} on the 90 kHz clock: its DTS, or its PTS without one; -1. */
    public static long decodeTime(byte[] b, int i, int end) {
        Objects.requireNonNull(b, "b must not be null");
        int flags = timestampFlags(b, i, end);
        if (flags == 3) {
            return Pcr.readTimestamp(b, i + 14);
        }
        return flags == 2 ? Pcr.readTimestamp(b, i + 9) : -1;
    }

    /** True if the 5 bytes at {@code i} have the three marker bits of a PTS or DTS set. */
    private static boolean timestampField(byte[] b, int i) {
        return (b[i] & 1) == 1 && (b[i + 2] & 1) == 1 && (b[i + 4] & 1) == 1;
    }

    /** PES stream_ids with the optional PES header that holds the timestamps (ISO/IEC 13818-1 Table 2-22). */
    private static boolean hasOptionalHeader(int streamId) {
        return streamId != 0xBC && streamId != 0xBE && streamId != 0xBF && streamId != 0xF0 && streamId != 0xF1
                && streamId != 0xFF && streamId != 0xF2 && streamId != 0xF8;
    }
}
