package io.mcrsrt.streamer.stream;

/**
 * Whether the engine's last save of the stream definitions reached the disk. Every save writes the whole list, so when
 * the last one succeeded every change before it is saved too.
 *
 * @param file           where the definitions are saved, or null when this engine saves nothing
 * @param failure        the last save's failure (the operating system's reason), or null when it succeeded
 * @param failedAtMillis epoch milliseconds of the first save of the current run of failures (or of the last run, once
 *                       cleared); 0 if no save has ever failed
 * @param clearedAtMillis epoch milliseconds of the first successful save after the last failure; 0 if none yet
 */
public record Persistence(String file, String failure, long failedAtMillis, long clearedAtMillis) {

    /** An engine that saves nothing (the {@code send} command, benchmarks, test doubles). */
    public static final Persistence NONE = new Persistence(null, null, 0, 0);

    /** True while changes are not reaching the disk. */
    public boolean failing() {
        return failure != null;
    }

    /**
     * The warning an API answer carries for a change made while saving fails, or null.
     *
     * @param done what was done, e.g. {@code "Started"} or {@code "Stopped"}
     */
    public String warning(String done) {
        if (!failing()) {
            return null;
        }
        return done + " but not saved to " + file + ": " + failure + "; "
                + (done.startsWith("Stopped") ? "it will come back after a restart"
                        : "it will not come back after a restart")
                + ". Free space in DATA_DIR or make it writable.";
    }
}
