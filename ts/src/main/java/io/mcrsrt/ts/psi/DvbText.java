package io.mcrsrt.ts.psi;

import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.text.Normalizer;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Text fields of DVB SI, such as service and provider names (ETSI EN 300 468 Annex A). A first byte below 0x20 selects
 * the character table (Table A.3): 0x01..0x0B ISO/IEC 8859-5..15 (0x08 reserved), 0x10 followed by two bytes giving the
 * ISO/IEC 8859 part, 0x11 the Basic Multilingual Plane of ISO/IEC 10646 in two bytes a character, 0x12 KS X 1001-2004
 * (Korean, EUC-KR), 0x13 GB-2312-1980 (Simplified Chinese, EUC-CN), 0x14 Big5 (Traditional Chinese), 0x15 UTF-8.
 * Without a selector the default table 00 applies (Figure A.1, a Latin alphabet based on ISO/IEC 6937, decoded here
 * with its accents composed). Text in a table this runtime cannot decode, compressed text (0x1F, ETSI TS 101 162), or
 * text behind a reserved selector comes back as its bytes in hex with a note instead of as wrong characters. The
 * control codes of A.2 (0x80..0x9F, U+E080..U+E09F in the two-byte and UTF-8 tables) are left out, except CR/LF, which
 * becomes a space, so a name stays on one line; other control characters show as U+FFFD.
 */
final class DvbText {
    /** Control code CR/LF, as an offset in the control range (0x8A, U+E08A). */
    private static final int CR_LF = 0x0A;
    /** What a byte that is no character shows as: an unassigned byte of table 00, a control character. */
    private static final char UNASSIGNED = '\uFFFD';
    /**
     * Table 00 (EN 300 468 Figure A.1) from 0xA0 to 0xFF, eight bytes a line: ISO/IEC 6937 with the euro sign at 0xA4.
     * The non-spacing diacritical marks 0xC1..0xCF are their Unicode combining characters.
     */
    private static final String TABLE_00 = ""
            + "\u00A0\u00A1\u00A2\u00A3\u20AC\u00A5\uFFFD\u00A7" // NBSP ¡ ¢ £ € ¥ - §
            + "\u00A4\u2018\u201C\u00AB\u2190\u2191\u2192\u2193" // ¤ ‘ “ « ← ↑ → ↓
            + "\u00B0\u00B1\u00B2\u00B3\u00D7\u00B5\u00B6\u00B7" // ° ± ² ³ × µ ¶ ·
            + "\u00F7\u2019\u201D\u00BB\u00BC\u00BD\u00BE\u00BF" // ÷ ’ ” » ¼ ½ ¾ ¿
            + "\uFFFD\u0300\u0301\u0302\u0303\u0304\u0306\u0307" // - grave acute circumflex tilde macron breve dot
            + "\u0308\uFFFD\u030A\u0327\uFFFD\u030B\u0328\u030C" // diaeresis - ring cedilla - double-acute ogonek caron
            + "\u2015\u00B9\u00AE\u00A9\u2122\u266A\u00AC\u00A6" // ― ¹ ® © ™ ♪ ¬ ¦
            + "\uFFFD\uFFFD\uFFFD\uFFFD\u215B\u215C\u215D\u215E" // - - - - ⅛ ⅜ ⅝ ⅞
            + "\u2126\u00C6\u0110\u00AA\u0126\uFFFD\u0132\u013F" // Ω Æ Đ ª Ħ - Ĳ Ŀ
            + "\u0141\u00D8\u0152\u00BA\u00DE\u0166\u014A\u0149" // Ł Ø Œ º Þ Ŧ Ŋ ŉ
            + "\u0138\u00E6\u0111\u00F0\u0127\u0131\u0133\u0140" // ĸ æ đ ð ħ ı ĳ ŀ
            + "\u0142\u00F8\u0153\u00DF\u00FE\u0167\u014B\u00AD"; // ł ø œ ß þ ŧ ŋ SHY
    /** First and last byte of the non-spacing diacritical marks of table 00. */
    private static final int DIACRITIC_FIRST = 0xC1;
    private static final int DIACRITIC_LAST = 0xCF;
    /** The spacing form of each mark from 0xC1 to 0xCF, shown for a mark without a letter after it. */
    private static final String SPACING_MARKS = "`\u00B4^~\u00AF\u02D8\u02D9\u00A8\uFFFD\u02DA\u00B8\uFFFD\u02DD\u02DB\u02C7";

    private DvbText() {}

    /** Decodes {@code length} bytes from {@code offset}, character table selector included. */
    static String decode(byte[] b, int offset, int length) {
        if (length <= 0) {
            return "";
        }
        int first = b[offset] & 0xFF;
        if (first >= 0x20) {
            return table00(b, offset, length);
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
                return notDecoded(b, offset, length, String.format(Locale.ROOT,
                        "selector 0x10 0x%04X names no ISO/IEC 8859 part "
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
        if (first == 0x12) {
            return multiByte(b, offset, length, "EUC-KR", "KS X 1001-2004, Korean");
        }
        if (first == 0x13) {
            return multiByte(b, offset, length, "GB2312", "GB-2312-1980, Simplified Chinese");
        }
        if (first == 0x14) {
            return multiByte(b, offset, length, "Big5", "Big5, Traditional Chinese");
        }
        if (first == 0x1F) {
            return notDecoded(b, offset, length, length < 2
                    ? "selector 0x1F without the encoding_type_id byte after it"
                    : String.format(Locale.ROOT,
                            "character table 0x1F: text compressed with encoding_type_id 0x%02X (ETSI TS 101 "
                            + "162), which is not decoded", b[offset + 1] & 0xFF));
        }
        return notDecoded(b, offset, length,
                String.format(Locale.ROOT, "character table selector 0x%02X is reserved in EN 300 468 Annex A", first));
    }

    /**
     * Table 00 (Figure A.1): ASCII in 0x20..0x7E, the control codes in 0x80..0x9F, graphic characters in 0xA0..0xFF. The
     * non-spacing diacritical marks 0xC1..0xCF come before their letter, as in ISO/IEC 6937, and are composed with it
     * into the precomposed character where Unicode has one ("e" with 0xC2 is "é"); where it has none the letter is
     * followed by the combining mark, which still displays as one accented letter. A mark followed by a space, by
     * anything that is not a letter, or by nothing stands alone and shows as its spacing form ("´"), as ISO/IEC 6937
     * writes a spacing accent as the mark and a space. Bytes the table leaves unassigned show as U+FFFD.
     */
    private static String table00(byte[] b, int offset, int length) {
        StringBuilder out = new StringBuilder(length);
        int end = offset + length;
        for (int i = offset; i < end; i++) {
            int c = b[i] & 0xFF;
            if (c >= 0x80 && c < 0xA0) {
                if (c == 0x80 + CR_LF) {
                    out.append(' ');
                }
                continue;
            }
            if (c < DIACRITIC_FIRST || c > DIACRITIC_LAST || TABLE_00.charAt(c - 0xA0) == UNASSIGNED) {
                out.append(table00Char(c));
                continue;
            }
            char mark = TABLE_00.charAt(c - 0xA0);
            char next = i + 1 < end ? table00Char(b[i + 1] & 0xFF) : UNASSIGNED;
            if (Character.isLetter(next)) {
                out.append(Normalizer.normalize(String.valueOf(next) + mark, Normalizer.Form.NFC));
                i++;
            } else {
                out.append(SPACING_MARKS.charAt(c - DIACRITIC_FIRST));
                if (next == ' ') {
                    i++;
                }
            }
        }
        return out.toString();
    }

    /** One byte of table 00 outside the control range, a diacritical mark as its combining character. */
    private static char table00Char(int c) {
        if (c >= 0x20 && c < 0x7F) {
            return (char) c;
        }
        return c >= 0xA0 ? TABLE_00.charAt(c - 0xA0) : UNASSIGNED;
    }

    /**
     * Text after a selector of a multi-byte table, in the Java charset that encodes it. A byte 0x80..0x9F is a control
     * code as in the single-byte tables: none of these encodings uses such a byte inside a character (their bytes are
     * ASCII, or 0xA1..0xFE, and Big5 second bytes 0x40..0x7E), so it is taken out before decoding.
     */
    private static String multiByte(byte[] b, int offset, int length, String charsetName, String what) {
        Charset charset;
        try {
            charset = Charset.forName(charsetName);
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
            return notDecoded(b, offset, length, "character table 0x"
                    + String.format(Locale.ROOT, "%02X", b[offset] & 0xFF) + " ("
                    + what + ") needs charset " + charsetName + ", which this Java runtime lacks (module jdk.charsets)");
        }
        byte[] text = new byte[length - 1];
        int n = 0;
        for (int i = offset + 1; i < offset + length; i++) {
            int c = b[i] & 0xFF;
            if (c < 0x80 || c >= 0xA0) {
                text[n++] = b[i];
            } else if (c == 0x80 + CR_LF) {
                text[n++] = ' ';
            }
        }
        return printable(new String(text, 0, n, charset));
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

    /** Leaves out the 32 control codes from {@code base}, CR/LF turned into a space; see {@link #printable}. */
    private static String withoutControls(String s, int base) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < base || c >= base + 0x20) {
                out.append(c);
            } else if (c == base + CR_LF) {
                out.append(' ');
            }
        }
        return printable(out.toString());
    }

    /**
     * Replaces control characters (C0, DEL, C1), which no table of Annex A has as text, with U+FFFD, so a name printed
     * in a report cannot send a terminal an escape sequence or break the line.
     */
    private static String printable(String s) {
        StringBuilder out = null;
        for (int i = 0; i < s.length(); i++) {
            if (Character.getType(s.charAt(i)) == Character.CONTROL) {
                if (out == null) {
                    out = new StringBuilder(s);
                }
                out.setCharAt(i, UNASSIGNED);
            }
        }
        return out == null ? s : out.toString();
    }

    private static String notDecoded(byte[] b, int offset, int length, String why) {
        return "[not decoded: " + why + "; bytes " + HexFormat.ofDelimiter(" ").withUpperCase()
                .formatHex(b, offset, offset + length) + "]";
    }
}
