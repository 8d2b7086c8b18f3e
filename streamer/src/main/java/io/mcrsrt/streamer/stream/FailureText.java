package io.mcrsrt.streamer.stream;

/**
 * A {@link Throwable} described in one line for a broadcast engineer: a stream's status detail, an event, a command's
 * error. The message says what went wrong; the kind (the class's simple name, never its package) is put in front where
 * the message alone would mislead or is missing. Nothing of the reason is dropped: a throwable without a message names
 * its cause, and one made from its cause alone ({@code new X(cause)}, whose message is the cause's {@code toString()})
 * is described by that cause.
 *
 * <pre>
 * describe(new IOException("No space left on device"))           No space left on device
 * describe(new OutOfMemoryError("Direct buffer memory"))          OutOfMemoryError: Direct buffer memory
 * describe(new NullPointerException())                            NullPointerException
 * describe(new RuntimeException(null, new IOException("gone")))   RuntimeException, caused by IOException: gone
 * describeUnexpected(new IllegalStateException("closed"))         IllegalStateException: closed
 * describe(new NoSuchFileException("/data/servers.json"))         /data/servers.json: no such file or directory
 * </pre>
 */
public final class FailureText {
    /** Causes followed at most: a cause chain can be made to loop. */
    private static final int MAX_CAUSES = 8;

    private FailureText() {
    }

    /**
     * A failure the code expects and handles: its message, with its kind in front only for an {@link Error}, whose
     * message alone ("Direct buffer memory") does not say what happened.
     */
    public static String describe(Throwable t) {
        return text(t, false, 0);
    }

    /**
     * A failure nothing was written to handle (it escaped a thread's loop): always with its kind in front, since the
     * message of a programming error ("Index 3 out of bounds for length 3") means little without it.
     */
    public static String describeUnexpected(Throwable t) {
        return text(t, true, 0);
    }

    private static String text(Throwable t, boolean withKind, int depth) {
        String message = t.getMessage();
        Throwable cause = t.getCause();
        boolean kindFirst = withKind || t instanceof Error;
        if (cause != null && depth < MAX_CAUSES) {
            if (message == null) {
                return kind(t) + ", caused by " + text(cause, true, depth + 1);
            }
            if (message.equals(cause.toString())) {
                String because = text(cause, withKind, depth + 1);
                return kindFirst ? kind(t) + ": " + because : because;
            }
        }
        if (message == null) {
            return kind(t);
        }
        // The JDK's file exceptions carry only the path when the operating system gave no reason ("/data/x.json"):
        // said alone, the path does not say what is wrong with it.
        if (t instanceof java.nio.file.FileSystemException f && f.getReason() == null && f.getOtherFile() == null) {
            if (t instanceof java.nio.file.NoSuchFileException) {
                return message + ": no such file or directory";
            }
            if (t instanceof java.nio.file.AccessDeniedException) {
                return message + ": permission denied";
            }
        }
        return kindFirst ? kind(t) + ": " + message : message;
    }

    private static String kind(Throwable t) {
        String simple = t.getClass().getSimpleName();
        return simple.isEmpty() ? t.getClass().getName() : simple;
    }
}
