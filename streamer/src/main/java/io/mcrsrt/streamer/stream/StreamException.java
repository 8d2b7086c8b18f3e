package io.mcrsrt.streamer.stream;

/** A request to the engine that could not be carried out; {@link #reason()} tells a front end how to report it. */
public final class StreamException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Why a request failed, so the API can map it to a status code in one place. */
    public enum Reason {
        /** No stream with that key (404). */
        NOT_FOUND,
        /** A stream with that key is already running (409). */
        CONFLICT,
        /** {@code MAX_STREAMS} reached, or the port is outside the allowed listener range (400 / 409). */
        LIMIT,
        /** The stream could not start: bad input file, port in use, ... (400); may succeed later unchanged. */
        START_FAILED,
        /** The definition itself cannot run, whatever the state of the machine: it must be changed (400). */
        INVALID,
        /**
         * An interface or address the stream binds is not on this machine now (a NIC that flaps, a machine still
         * booting): the engine of the service lists the stream and starts it once that appears, as it does a restored
         * one, so only an engine that saves nothing answers a start with it (400).
         */
        ADDRESS_MISSING
    }

    private final Reason reason;

    public StreamException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public StreamException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
