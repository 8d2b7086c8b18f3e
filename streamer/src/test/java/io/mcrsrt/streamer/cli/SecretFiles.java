package io.mcrsrt.streamer.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** Passphrase files as {@code --passphrase-file} wants them: made readable by their owner only. */
public final class SecretFiles {
    private SecretFiles() {
    }

    /** Creates {@code file} with mode 0600, then writes {@code text} into it in UTF-8. */
    public static Path ownerOnly(Path file, String text) throws IOException {
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        return Files.writeString(file, text, StandardCharsets.UTF_8);
    }
}
