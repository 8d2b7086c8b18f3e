package io.mcrsrt.srt;

/** {@code SRT_SOCKSTATUS}: where a socket is in its life. */
public enum SrtSocketState {
    INIT, OPENED, LISTENING, CONNECTING, CONNECTED, BROKEN, CLOSING, CLOSED, NONEXIST;

    /** The state for a libsrt {@code SRT_SOCKSTATUS} value (1 = INIT ... 9 = NONEXIST). */
    static SrtSocketState of(int status) {
        SrtSocketState[] all = values();
        return status >= 1 && status <= all.length ? all[status - 1] : NONEXIST;
    }
}
