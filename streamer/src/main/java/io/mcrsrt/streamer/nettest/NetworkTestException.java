package io.mcrsrt.streamer.nettest;

/** A network test that could not be carried out; the message says why and what to do, for the engineer. */
public final class NetworkTestException extends Exception {

    private static final long serialVersionUID = 1L;

    public NetworkTestException(String message) {
        super(message);
    }

    public NetworkTestException(String message, Throwable cause) {
        super(message, cause);
    }
}
