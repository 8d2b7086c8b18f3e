package io.mcrsrt.streamer.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** Restricts files holding secrets to their owner. */
final class FilePermissions {
    private FilePermissions() {
    }

    /** Sets mode 0700 on a directory or 0600 on a file; a file system without POSIX permissions is left as it is. */
    static void ownerOnly(Path path, boolean directory) {
        try {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(directory ? "rwx------" : "rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: nothing to restrict
        } catch (IOException e) {
            throw new ConfigException("Cannot restrict " + path + " to its owner ("
                    + io.mcrsrt.streamer.stream.FailureText.describe(e) + "). " + UnwritableDir.fix("DATA_DIR", e), e);
        }
    }
}
