package io.mcrsrt.streamer.engine.output;

import java.io.IOException;

/**
 * A listener port is still held by a socket of this process that was closed moments ago with other SRT settings
 * (libsrt frees it within a few seconds): waiting a little binds it, unlike a port another program holds.
 */
public final class PortHeldException extends IOException {

    private static final long serialVersionUID = 1L;

    PortHeldException(int port, Throwable cause) {
        super("listener port " + port + " is still held by the socket that used it before, with other SRT settings;"
                + " libsrt releases it within a few seconds", cause);
    }
}
