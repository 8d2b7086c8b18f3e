package io.mcrsrt.ts.psi;

import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.HexFormat;

/**
 * Text fields of DVB SI, such as service and provider names (ETSI EN 300 468 Annex A). A first byte below 0x20 selects
 * the character table (Table A.3): 0x01..0x0B ISO/IEC 8859-5..15 (0x08 reserved), 0x10 followed by two bytes giving the
 * ISO/IEC 8859 part, 0x11 the Basic Multilingual Plane of ISO/IEC 10646 in two bytes a character, 0x15 UTF-8. Without
 * a selector the default table 00 applies (Figure A.1). Text in a table this runtime cannot decode, or behind a
 * reserved selector, comes back as its bytes in hex with a note instead of as wrong characters. The control codes of
 * A.2 (0x80..0x9F, U+E080..U+E09F in the two-byte and UTF-8 tables) are left out, except CR/LF, which becomes a space,
 * so a name stays on one line.
 */
final class DvbText {
    /** Control code CR/LF, as an offset in the control range (0x8A, U+E08A). */
    private static final int CR_LF = 0x0A;

    private DvbText() {}

    /** Decodes {@code length} bytes from {@code offset}, character table selector included. */
    static String decode(byte[] b, int offset, int length) {
        if (length <= 0) {
            return "";
        }
        int first = b[offset] & 0xFF;
        if (first >= 0x20) {
            // Table 00 is a Latin alphabet based on ISO/IEC 6937, which Java has no charset for. ISO 8859-1 is the same
            // for letters, digits and ASCII punctuation, the bulk of real names; it differs on accents (6937 sends a
            // non-spacing accent before its letter, so "é" shows as an accent sign and "e") and on a few symbols
            // (0xA4 is the euro sign in table 00).
            return withoutControls(new String(b, offset, length, StandardCharsets.ISO_8859_1), 0x80);
        }
        if (first >= 0x01 && first <= 0x0B && first != 0x08) {
            return iso8859(b, offset, length, 1, first + 4);
        }
        if (first == 0x10) {
            if (length < 3) {
                return notDecoded(b, offset, length, "selector 0x10 without the two bytes naming the ISO/IEC 8859 part");
            }
            int part = ((b[offset + 1] & 0xFF) << 8) | (b[offset + 2] & 0xFF);
            if (part < 0x01 || part > 0x0F || part == 0x0C) {
                return notDecoded(b, offset, length, String.format("selector 0x10 0x%04X names no ISO/IEC 8859 part "
                        + "(expected: 0x0001..0x000F, not 0x000C)", part));
            }
            return iso8859(b, offset, length, 3, part);
        }
        if (first == 0x11) {
            // Two bytes a character; an odd last byte cannot be a character and is left out.
            int even = (length - 1) & ~1;
            return withoutControls(new String(b, offset + 1, even, StandardCharsets.UTF_16BE), 0xE080);
        }
        if (first == 0x15) {
            return withoutControls(new String(b, offset + 1, length - 1, StandardCharsets.UTF_8), 0xE080);
        }
        String table = switch (first) {
            case 0x12 -> "character table 0x12 (KS X 1001-2014, Korean) is not decoded";
            case 0x13 -> "character table 0x13 (GB-2312-1980, Simplified Chinese) is not decoded";
            case 0x14 -> "character table 0x14 (Big5 subset of ISO/IEC 10646, Traditional Chinese) is not decoded";
            case 0x1F -> "character table 0x1F (given by an encoding_type_id) is not decoded";
            default -> String.format("character table selector 0x%02X is reserved in EN 300 468 Annex A", first);
        };
        return notDecoded(b, offset, length, table);
    }

    /** The text after a {@code skip}-byte selector in ISO/IEC 8859-{@code part}, or hex when Java lacks that part. */
    private static String iso8859(byte[] b, int offset, int length, int skip, int part) {
        Charset charset;
        try {
            // ISO 8859-11 is "x-iso-8859-11" in the JDK; 8859-10 and 8859-14 are not there at all.
            String name = "ISO-8859-" + part;
            charset = Charset.isSupported(name) ? Charset.forName(name) : Charset.forName("x-iso-8859-" + part);
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
            return notDecoded(b, offset, length, "ISO/IEC 8859-" + part + " is not available in this Java runtime");
        }
        return withoutControls(new String(b, offset + skip, length - skip, charset), 0x80);
    }

    /** Leaves out the 32 control codes from {@code base}, CR/LF turned into a space. */
    private static String withoutControls(String s, int base) {
        StringBuilder out = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean control = c >= base && c < base + 0x20;
            if (control && out == null) {
                out = new StringBuilder(s.length()).append(s, 0, i);
            }
            if (!control) {
                if (out != null) {
                    out.append(c);
                }
            } else if (c == base + CR_LF) {
                out.append(' ');
            }
        }
        return out == null ? s : out.toString();
    }

    private static String notDecoded(byte[] b, int offset, int length, String why) {
        return "[not decoded: " + why + "; bytes " + HexFormat.ofDelimiter(" ").withUpperCase()
                .formatHex(b, offset, offset + length) + "]";
    }
}
