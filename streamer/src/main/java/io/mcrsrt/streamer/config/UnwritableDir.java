package io.mcrsrt.streamer.config;

import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;

/**
 * What to do about a directory of the configuration that the service cannot write, for the start-up message: the fix
 * depends on why. A read-only mount is not fixed by ownership, nor a foreign owner by a remount.
 */
final class UnwritableDir {
    private UnwritableDir() {
    }

    /**
     * The sentence that says what to do about {@code failure}, met writing in the directory of {@code variable}
     * ({@code DATA_DIR}, say).
     */
    static String fix(String variable, Exception failure) {
        String reason = failure instanceof FileSystemException f && f.getReason() != null ? f.getReason()
                : String.valueOf(failure.getMessage());
        if (reason.contains("Read-only file system")) {
            return variable + " is on a read-only file system: remount it read-write, or point " + variable
                    + " at a directory on a writable one.";
        }
        if (failure instanceof AccessDeniedException || reason.contains("Permission denied")
                || reason.contains("Operation not permitted")) {
            return "The service user may not write there: give " + variable + " to that user (chown), or point "
                    + variable + " at a directory it owns.";
        }
        return "Point " + variable + " at a directory the service user may write.";
    }
}
