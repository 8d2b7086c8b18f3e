package io.mcrsrt.streamer.nettest;

import java.util.List;

/** A network test request with bad fields; {@link #details()} lists every problem, for a 400 answer. */
public final class InvalidNetworkTestException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;
    private final transient List<String> details;

    public InvalidNetworkTestException(List<String> details) {
        super("Invalid network test request: " + String.join(" ", details));
        this.details = List.copyOf(details);
    }

    public List<String> details() {
        return details;
    }
}
