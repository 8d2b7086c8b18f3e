package io.mcrsrt.streamer.stream;

import java.util.Locale;

/**
 * Text from outside (a caller's SRT stream id, a refusal reason) made safe for one log line and one line of the UI:
 * line breaks and tabs become {@code \n}, {@code \r}, {@code \t}, other control characters {@code ?}. The log patterns
 * do the same to every message ({@code logback.xml}), so a remote caller cannot forge log lines.
 */
public final class PrintableText {
    private PrintableText() {
    }

    /** The text with its control characters escaped; null stays null. */
    public static String escape(String s) {
        return write(s, false);
    }

    /**
     * The text as an error message quotes what a user typed: every control character written out rather than hidden
     * ({@code ?} would not say which): NUL, tab, CR and LF as {@code \0}, {@code \t}, {@code \r}, {@code \n}, the
     * others as a backslash, {@code u} and four hex digits, as the SRT library's messages write them; null stays null.
     */
    public static String visible(String s) {
        return write(s, true);
    }

    /** Line breaks and tabs written out; the other control characters too when {@code spellOut}, else {@code ?}. */
    private static String write(String s, boolean spellOut) {
        if (s == null || s.chars().noneMatch(PrintableText::isControl)) {
            return s;
        }
        StringBuilder b = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '\0' -> b.append(spellOut ? "\\0" : "?");
                default -> b.append(!isControl(ch) ? String.valueOf(ch)
                        : spellOut ? String.format(Locale.ROOT, "\\u%04X", (int) ch) : "?");
            }
        }
        return b.toString();
    }

    /**
     * Where the first control character of {@code s} is, as a {@code char} index, or -1 when it has none: the
     * characters {@link #escape} does not let through, the Unicode line and paragraph separators included.
     */
    public static int firstControl(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (isControl(s.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    private static boolean isControl(int ch) {
        return Character.isISOControl(ch) || ch == '\u2028' || ch == '\u2029';
    }
}
