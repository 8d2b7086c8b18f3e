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
 * @param onDisk         what the file holds, as {@link #stream(int)} and {@link #pair(int)} name it: what the last
 *                       successful save wrote, or what was restored from it
 */
public record Persistence(String file, String failure, long failedAtMillis, long clearedAtMillis,
        java.util.Set<String> onDisk) {

    /** An engine that saves nothing (the {@code send} command, benchmarks, test doubles). */
    public static final Persistence NONE = new Persistence(null, null, 0, 0, java.util.Set.of());

    public Persistence {
        onDisk = java.util.Set.copyOf(onDisk);
    }

    /** How {@link #onDisk} names a stream. */
    public static String stream(int key) {
        return "stream " + key;
    }

    /** How {@link #onDisk} names an SMPTE 2022-7 pair. */
    public static String pair(int key) {
        return "pair " + key;
    }

    /** True while changes are not reaching the disk. */
    public boolean failing() {
        return failure != null;
    }

    /**
     * The warning an API answer carries for a start made while saving fails, or null.
     *
     * @param what the stream or pair started, as {@link #stream(int)} or {@link #pair(int)} name it
     */
    public String startWarning(String what) {
        if (!failing()) {
            return null;
        }
        return "Started but not saved to " + file + ": " + failure + "; "
                + (onDisk.contains(what) ? "after a restart its earlier saved definition comes back instead"
                        : "it will not come back after a restart")
                + ". Free space in DATA_DIR or make it writable.";
    }

    /**
     * The warning an API answer carries for a stop made while saving fails, or null: none when the file never held
     * what was stopped, since then it has nothing to bring back.
     *
     * @param what the stream or pair stopped, as {@link #stream(int)} or {@link #pair(int)} name it
     */
    public String stopWarning(String what) {
        if (!failing() || !onDisk.contains(what)) {
            return null;
        }
        return "Stopped but not saved to " + file + ": " + failure + "; it will come back after a restart."
                + " Free space in DATA_DIR or make it writable.";
    }
}
