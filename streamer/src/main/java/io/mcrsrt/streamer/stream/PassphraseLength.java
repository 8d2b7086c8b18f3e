package io.mcrsrt.streamer.stream;

import java.nio.charset.StandardCharsets;

/**
 * libsrt's limit on an encryption passphrase, as every front end checks it before any socket is made: 10 to 79 bytes
 * of UTF-8, not characters. A letter such as "é" takes two bytes, so 45 of them (90 bytes) are too many.
 */
public final class PassphraseLength {
    public static final int MIN_BYTES = 10;
    public static final int MAX_BYTES = 79;

    private PassphraseLength() {
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
     * @return one sentence naming {@code given}, its length in bytes and the limit
     */
    public static String problem(String given, String passphrase) {
        if (fits(passphrase)) {
            return null;
        }
        int bytes = passphrase.getBytes(StandardCharsets.UTF_8).length;
        int characters = passphrase.codePointCount(0, passphrase.length());
        return given + " is " + bytes + " bytes long in UTF-8"
                + (characters == bytes ? "" : ", from " + characters + " characters")
                + " (expected: " + MIN_BYTES + " to " + MAX_BYTES + " bytes, as SRT counts them"
                + (characters == bytes ? "" : "; a letter such as é takes two") + ")";
    }
}
