package io.mcrsrt.streamer.stream;

import java.util.Arrays;
import java.util.Optional;

/** SRT payload encryption of a stream, with the key length libsrt's {@code SRTO_PBKEYLEN} takes. */
public enum Encryption {
    NONE("none", 0),
    AES_128("aes-128", 16),
    AES_256("aes-256", 32);

    private final String wireName;
    private final int keyLengthBytes;

    Encryption(String wireName, int keyLengthBytes) {
        this.wireName = wireName;
        this.keyLengthBytes = keyLengthBytes;
    }

    /** {@code none}, {@code aes-128} or {@code aes-256}, as in the API. */
    public String wireName() {
        return wireName;
    }

    /** The value for {@code SRTO_PBKEYLEN}: 0 when not encrypted, else 16 or 32. */
    public int keyLengthBytes() {
        return keyLengthBytes;
    }

    /** The encryption with this wire name, ignoring case; empty for anything else. */
    public static Optional<Encryption> fromWireName(String name) {
        return Arrays.stream(values()).filter(e -> e.wireName.equalsIgnoreCase(name)).findFirst();
    }
}
