package io.mcrsrt.streamer.config;

import io.mcrsrt.streamer.stream.FailureText;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * One service per {@code DATA_DIR}: an exclusive lock on {@code DATA_DIR/serve.lock}, held until {@link #close()} or
 * the process ends. Two services on one {@code DATA_DIR} would each restore the saved streams, and each would then write
 * {@code streams.json} with its own streams only: a stream stopped in one, or started in the other, silently leaves the
 * file the next restart reads. The lock is the operating system's ({@code fcntl}), so a killed service leaves none
 * behind; the file itself stays and only says which process holds it.
 */
public final class DataDirLock implements AutoCloseable {
    /** The lock file's name in {@code DATA_DIR}. */
    public static final String FILE_NAME = "serve.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private DataDirLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the lock of {@code dataDir} for this process and writes its pid and {@code holder} (the web address, say)
     * into the lock file, for the message another service gets. Call after {@link AppConfig#createDirectories()}.
     *
     * @param holder what names this service to an operator, e.g. {@code 127.0.0.1:5000}
     * @throws ConfigException if another process holds it, naming that process and the fix, or if the lock file cannot
     *                         be created (a read-only {@code DATA_DIR})
     */
    public static DataDirLock acquire(Path dataDir, String holder) {
        Path file = dataDir.resolve(FILE_NAME);
        FileChannel channel;
        try {
            channel = FileChannel.open(file, Set.of(StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE), PosixFilePermissions.asFileAttribute(
                            PosixFilePermissions.fromString("rw-------")));
        } catch (IOException | UnsupportedOperationException e) {
            throw new ConfigException("DATA_DIR=" + dataDir + " cannot be used: " + file + " cannot be created ("
                    + FailureText.describe(e) + "). " + UnwritableDir.fix("DATA_DIR", e), e);
        }
        try {
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException sameProcess) {
                lock = null;
            }
            if (lock == null) {
                throw new ConfigException("DATA_DIR=" + dataDir + " is in use by another mcr-srt serve ("
                        + otherHolder(file) + "); two services on one DATA_DIR would overwrite each other's saved"
                        + " streams. Stop the other one (systemctl stop mcr-srt-streamer, if it is the installed"
                        + " service), or give this one a DATA_DIR of its own.");
            }
            channel.truncate(0);
            ByteBuffer text = ByteBuffer.wrap(("pid " + ProcessHandle.current().pid() + ", " + holder + "\n")
                    .getBytes(StandardCharsets.UTF_8));
            while (text.hasRemaining()) {
                channel.write(text);
            }
            return new DataDirLock(channel, lock);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new ConfigException("DATA_DIR=" + dataDir + " cannot be used: " + file + " cannot be locked ("
                    + FailureText.describe(e) + "). Point DATA_DIR at a local directory the service user may write.",
                    e);
        } catch (RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    /** What the lock file says about the process holding it, or that it says nothing. */
    private static String otherHolder(Path file) {
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8).strip();
            return text.isEmpty() ? "it has not said which" : text;
        } catch (IOException e) {
            return "it has not said which";
        }
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // the lock goes with the channel either way
        }
    }

    /** Releases the lock; the file stays. */
    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException ignored) {
            // closing the channel releases it too
        } finally {
            closeQuietly(channel);
        }
    }
}
