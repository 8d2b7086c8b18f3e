package io.mcrsrt.ts;

/**
 * A transport stream could not be read or did not follow ISO/IEC 13818-1 (or a standard carried in it). The message
 * names the bad value, what was expected and, where it helps, what to do about it.
 */
public class TsException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TsException(String message) {
        super(message);
    }

    public TsException(String message, Throwable cause) {
        super(message, cause);
    }
}
