package io.mcrsrt.srt;

/** {@code SRT_SOCKSTATUS}: where a socket is in its life. */
public enum SrtSocketState {
    INIT, OPENED, LISTENING, CONNECTING, CONNECTED, BROKEN, CLOSING, CLOSED, NONEXIST;

    /** values() copies the array on every call; senders ask for the state on every tick. */
    private static final SrtSocketState[] ALL = values();

    /** The state for a libsrt {@code SRT_SOCKSTATUS} value (1 = INIT ... 9 = NONEXIST). */
    static SrtSocketState of(int status) {
        return status >= 1 && status <= ALL.length ? ALL[status - 1] : NONEXIST;
    }
}
