package io.mcrsrt.streamer.stream;

/**
 * What a stream is doing, in the words the API and the UI show (the original tool's words, which users' scripts match).
 * {@link #ERROR} is shown as {@code "Error: <detail>"}.
 */
public enum StreamStatus {
    STARTING("Starting"),
    WAITING("Waiting for connection"),
    CONNECTING("Connecting..."),
    CONNECTED("Connected"),
    REJECTED("Rejected Connection"),
    START_ERROR("Start Error"),
    AUTH_ERROR("Auth Error"),
    CONNECTION_FAILED("Connection Failed"),
    BROKEN("Broken / Reconnecting"),
    BIND_ERROR("Bind Error"),
    INPUT_LOST("Input lost"),
    ENDED("Ended"),
    ERROR("Error"),
    STOPPED("Stopped");

    private final String text;

    StreamStatus(String text) {
        this.text = text;
    }

    /** The status word as shown, without detail. */
    public String text() {
        return text;
    }

    /** The status as shown, with detail for {@link #ERROR}: {@code "Error: input file is truncated"}. */
    /**
     * Whether a stream in this status has stopped sending for good until it is stopped and started again, or retried
     * after a restore: it failed to start, ended, or failed.
     */
    public boolean notRunning() {
        return this == START_ERROR || this == BIND_ERROR || this == ENDED || this == ERROR || this == STOPPED;
    }

    public String display(String detail) {
        return this == ERROR && detail != null && !detail.isEmpty() ? text + ": " + detail : text;
    }
}
