package io.mcrsrt.ts.psi;

import java.util.Objects;

/** CRC-32/MPEG-2 (ISO/IEC 13818-1 Annex A): polynomial 0x04C11DB7, initial value 0xFFFFFFFF, no reflection. */
public final class Crc32Mpeg {
    private static final int[] TABLE = new int[256];

    static {
        for (int i = 0; i < 256; i++) {
            int c = i << 24;
            for (int k = 0; k < 8; k++) {
                c = (c & 0x80000000) != 0 ? (c << 1) ^ 0x04C11DB7 : c << 1;
            }
            TABLE[i] = c;
        }
    }

    private Crc32Mpeg() {}

    public static int compute(byte[] b, int offset, int length) {
        Objects.requireNonNull(b, "b must not be null");
        int crc = 0xFFFFFFFF;
        for (int i = offset, end = offset + length; i < end; i++) {
            crc = (crc << 8) ^ TABLE[((crc >>> 24) ^ b[i]) & 0xFF];
        }
        return crc;
    }

    /** The CRC before any byte: {@link #update} from it, byte by byte, gives what {@link #compute} gives. */
    public static final int INITIAL = 0xFFFFFFFF;

    /** {@code crc} carried over one more byte: for a section that arrives a packet at a time. */
    public static int update(int crc, byte b) {
        return (crc << 8) ^ TABLE[((crc >>> 24) ^ b) & 0xFF];
    }

    /** True if a section ending with its CRC_32 field checks out (the CRC over everything including it is 0). */
    public static boolean verify(byte[] b, int offset, int length) {
        Objects.requireNonNull(b, "b must not be null");
        return compute(b, offset, length) == 0;
    }
}
