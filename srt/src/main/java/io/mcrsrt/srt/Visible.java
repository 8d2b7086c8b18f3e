package io.mcrsrt.srt;

/**
 * Text as an error message may quote it: what a user typed or a peer sent, with every control character (NUL, a tab,
 * a line break, ESC, DEL, C1) written as a backslash, {@code u} and its four hex digits, so that the message shows it
 * rather than ending a line or a terminal acting on it.
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
            if (Character.isISOControl(c)) {
                if (b == null) {
                    b = new StringBuilder(text.length() + 8).append(text, 0, i);
                }
                b.append(String.format("\\u%04X", (int) c));
            } else if (b != null) {
                b.append(c);
            }
        }
        return b == null ? text : b.toString();
    }
}
