package io.mcrsrt.ts.psi;

import io.mcrsrt.ts.TsException;
import java.util.Locale;

/** The common header of long-form PSI sections (ISO/IEC 13818-1 2.4.4.10) and the checks every table shares. */
final class Section {
    private Section() {}

    static int u8(byte[] b, int i) {
        return b[i] & 0xFF;
    }

    static int u16(byte[] b, int i) {
        return ((b[i] & 0xFF) << 8) | (b[i + 1] & 0xFF);
    }

    /**
     * Checks a long-form section: table_id, section_length against the bytes given, and CRC_32.
     *
     * @return the section's total length (3 + section_length)
     */
    static int checkLong(byte[] b, int offset, int length, int expectedTableId, String table) {
        if (length < 12) {
            throw new TsException(table + " section of " + length + " bytes (expected: >= 12)");
        }
        int tableId = u8(b, offset);
        if (expectedTableId >= 0 && tableId != expectedTableId) {
            throw new TsException(String.format(Locale.ROOT,
                    "%s table_id 0x%02X (expected: 0x%02X)", table, tableId, expectedTableId));
        }
        int sectionLength = u16(b, offset + 1) & 0x0FFF;
        if (sectionLength > 1021) {
            throw new TsException(table + " section_length " + sectionLength + " (expected: <= 1021)");
        }
        if (3 + sectionLength > length) {
            throw new TsException(table + " section_length " + sectionLength + " at byte 1 (expected: <= "
                    + (length - 3) + ", the bytes available)");
        }
        if (!Crc32Mpeg.verify(b, offset, 3 + sectionLength)) {
            throw new TsException(String.format(Locale.ROOT,
                    "%s CRC_32 0x%08X does not match the section (computed 0x%08X)", table,
                    Section.u16(b, offset + sectionLength - 1) << 16 | Section.u16(b, offset + sectionLength + 1),
                    Crc32Mpeg.compute(b, offset, sectionLength - 1)));
        }
        return 3 + sectionLength;
    }
}
