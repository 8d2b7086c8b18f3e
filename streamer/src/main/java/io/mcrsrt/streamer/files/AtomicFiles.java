package io.mcrsrt.streamer.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Replaces a file in one step, so that a reader (or a restart after a crash) sees the old content or the new, never
 * half of either: the bytes go to {@code NAME.tmp} beside it, created with the given mode (before any content is in
 * it, and set again so the umask cannot widen or narrow it), are forced to disk, and the temporary file is renamed
 * over the target; then the directory is synced so the rename survives a power cut.
 */
public final class AtomicFiles {

    private AtomicFiles() {
    }

    /**
     * @param mode POSIX permissions, e.g. {@code rw-------}
     * @throws IOException if the directory is missing or not writable, or the disk is full; the target is then left as
     *                     it was and the temporary file removed
     * @throws UnsupportedOperationException on a file system without POSIX permissions
     */
    public static void write(Path file, byte[] bytes, String mode) throws IOException {
        var permissions = PosixFilePermissions.fromString(mode);
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(permissions));
        try {
            Files.setPosixFilePermissions(tmp, permissions);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ByteBuffer buf = ByteBuffer.wrap(bytes);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
        syncDirectory(file.toAbsolutePath().getParent());
    }

    private static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException ignored) {
            // Some file systems cannot open a directory for syncing; the rename is still atomic there.
        }
    }
}
