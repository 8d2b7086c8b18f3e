package io.mcrsrt.streamer.stream;

import java.util.Arrays;
import java.util.Optional;

/** Which side of the SRT handshake a stream's output takes. */
public enum Mode {
    /** Binds a port and sends to every caller that connects. */
    LISTENER("listener"),
    /** Connects to a remote listener and reconnects whenever the link breaks. */
    CALLER("caller");

    private final String wireName;

    Mode(String wireName) {
        this.wireName = wireName;
    }

    /** The name used in the API, the UI and saved stream definitions: {@code listener} or {@code caller}. */
    public String wireName() {
        return wireName;
    }

    /** The mode with this wire name, ignoring case; empty for anything else. */
    public static Optional<Mode> fromWireName(String name) {
        return Arrays.stream(values()).filter(m -> m.wireName.equalsIgnoreCase(name)).findFirst();
    }
}
