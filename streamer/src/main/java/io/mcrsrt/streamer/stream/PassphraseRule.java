package io.mcrsrt.streamer.stream;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * What an encryption passphrase may be, as every front end checks it before any socket is made: 10 to 79 bytes of
 * UTF-8 (libsrt's limit), not characters: a letter such as "é" takes two bytes, so 45 of them (90 bytes) are too many;
 * and no control characters. libsrt would take a line end or a NUL as part of the key, but no peer can be given one
 * (srt-live-transmit, ffmpeg and GStreamer take the passphrase as text), so the link could never be set up, and the
 * usual source of one is a file read with its line end.
 */
public final class PassphraseRule {
    public static final int MIN_BYTES = 10;
    public static final int MAX_BYTES = 79;

    private PassphraseRule() {
    }

    /** Whether libsrt takes {@code passphrase}. */
    public static boolean fits(String passphrase) {
        int bytes = passphrase.getBytes(StandardCharsets.UTF_8).length;
        return bytes >= MIN_BYTES && bytes <= MAX_BYTES;
    }

    /**
     * Why {@code passphrase} cannot be used, or null when it can.
     *
     * @param given how the command line gave it, for the message: {@code --passphrase}
     * @return one sentence naming {@code given} and its length in bytes and the limit, or the control character in it
     */
    public static String problem(String given, String passphrase) {
        if (fits(passphrase)) {
            String control = controlCharacter(passphrase);
            return control == null ? null : given + " has " + control + " (expected: printable characters only; a"
                    + " passphrase read from a file or a variable may have kept its line end)";
        }
        int bytes = passphrase.getBytes(StandardCharsets.UTF_8).length;
        int characters = passphrase.codePointCount(0, passphrase.length());
        return given + " is " + bytes + " bytes long in UTF-8"
                + (characters == bytes ? "" : ", from " + characters + " characters")
                + " (expected: " + MIN_BYTES + " to " + MAX_BYTES + " bytes, as SRT counts them"
                + (characters == bytes ? "" : "; a letter such as é takes two") + ")";
    }

    /**
     * The first control character of {@code passphrase} ({@link PrintableText#firstControl}, as for the other text
     * fields) and where it is ("U+000A (a line break) at position 19", positions counted in characters from 1), or
     * null when it has none.
     */
    public static String controlCharacter(String passphrase) {
        int at = PrintableText.firstControl(passphrase);
        if (at < 0) {
            return null;
        }
        char c = passphrase.charAt(at);
        String name = switch (c) {
            case '\n' -> " (a line break)";
            case '\r' -> " (a carriage return)";
            case '\t' -> " (a tab)";
            default -> "";
        };
        return String.format(Locale.ROOT, "U+%04X", (int) c) + name
                + " at position " + (passphrase.codePointCount(0, at) + 1);
    }
}
