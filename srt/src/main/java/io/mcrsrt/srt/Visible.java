package io.mcrsrt.srt;

import java.util.Locale;

/**
 * Text as an error message may quote it: what a user typed or a peer sent, with every control character written out,
 * so that the message shows it rather than hiding it (NUL), ending a line (a line break) or having a terminal act on
 * it (ESC): NUL, tab, CR and LF as {@code \0}, {@code \t}, {@code \r}, {@code \n}; the others (C0, DEL, C1, and the
 * Unicode line and paragraph separators) as a backslash, {@code u} and four hex digits.
 */
final class Visible {
    private Visible() {}

    /** {@code text} with its control characters written out; null as {@code null}. */
    static String of(String text) {
        if (text == null) {
            return "null";
        }
        StringBuilder b = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean control = Character.isISOControl(c) || c == '\u2028' || c == '\u2029';
            if (control && b == null) {
                b = new StringBuilder(text.length() + 8).append(text, 0, i);
            }
            if (b == null) {
                continue;
            }
            if (!control) {
                b.append(c);
                continue;
            }
            switch (c) {
                case '\0' -> b.append("\\0");
                case '\t' -> b.append("\\t");
                case '\r' -> b.append("\\r");
                case '\n' -> b.append("\\n");
                default -> b.append(String.format(Locale.ROOT, "\\u%04X", (int) c));
            }
        }
        return b == null ? text : b.toString();
    }
}
