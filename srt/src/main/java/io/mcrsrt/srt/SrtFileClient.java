package io.mcrsrt.srt;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Objects;

/** The client side of {@link SrtFileServer}: fetches one file. */
public final class SrtFileClient {

    /** Told how far a transfer has got, on the fetching thread, after each chunk and once at the end. */
    @FunctionalInterface
    public interface Progress {
        /** Reports nothing. */
        Progress NONE = (received, total) -> { };

        void update(long received, long total);
    }

    private static final int CHUNK = 1 << 20;
    /** Tells the temporary files of fetches in one process apart. */
    private static final java.util.concurrent.atomic.AtomicLong PART_NUMBER = new java.util.concurrent.atomic.AtomicLong();

    private SrtFileClient() {}

    /**
     * Fetches {@code remoteName} from the server at {@code url} (a caller URL) into {@code localPath}, and checks that
     * the size received is the size announced. The file is received beside {@code localPath} under a temporary name
     * ({@code .NAME.PID-N.part}) and renamed over it once complete, so {@code localPath} is replaced only by a whole
     * file: a transfer that fails or is cancelled leaves it as it was (or absent), and deletes the temporary file.
     *
     * <p>Interrupting the fetching thread ends the transfer within a quarter of a second, or once the connect has
     * ended if it is still connecting (at most CONNTIMEO, 3 s by default): the temporary file is deleted, an
     * {@link InterruptedIOException} thrown, and the thread's interrupt status left set. The server must answer the
     * request within 10 s.
     *
     * @param remoteName the file's path relative to the served directory: 1 to 4096 bytes in UTF-8
     * @return the number of bytes received
     * @throws IllegalArgumentException when {@code url} is not a caller URL (the server listens: a listener URL would
     *     wait for ever for a server to call), or {@code remoteName} is empty or longer than 4096 bytes (checked
     *     before connecting)
     * @throws java.nio.file.NoSuchFileException when the folder of {@code localPath} does not exist (checked before
     *     connecting, naming the folder)
     * @throws java.nio.file.FileSystemException when that folder is not a folder, or {@code localPath} is one
     *     (checked before connecting)
     * @throws IOException when the server refuses or lacks the file, does not answer, the connection fails, or the
     *     size does not match
     * @throws InterruptedIOException when the thread was interrupted
     */
    public static long fetch(SrtUrl url, String remoteName, Path localPath, Progress progress) throws IOException {
        Objects.requireNonNull(url, "url must not be null (the server's caller URL, e.g."
                + " SrtUrl.parse(\"srt://192.0.2.10:9000\"))");
        Objects.requireNonNull(remoteName, "remoteName must not be null (the file's path in the served directory)");
        Objects.requireNonNull(localPath, "localPath must not be null (where the file is written)");
        Objects.requireNonNull(progress, "progress must not be null (Progress.NONE reports nothing)");
        checkCaller(url);
        FileTransferProtocol.checkName(remoteName);
        checkDestination(remoteName, localPath);
        // A caller dials with SrtSocket.dial: libsrt's blocking connect could discard the server's first reply, and the
        // loss report that followed left the server's file congestion control at 16 packets/s for the whole transfer.
        try (SrtSocket socket = SrtFileServer.fileMode(url).open()) {
            socket.set(SrtOption.RCVTIMEO, FileTransferProtocol.POLL_MS);
            FileTransferProtocol.checkInterrupt("before \"" + remoteName + "\" was requested");
            FileTransferProtocol.writeName(socket, remoteName);
            int status;
            try {
                status = FileTransferProtocol.readByte(socket);
            } catch (InterruptedIOException e) {
                throw e;
            } catch (IOException e) {
                throw new IOException("no answer from " + AddressText.of(url.remoteAddress()) + " to the request "
                        + "for \"" + remoteName + "\" (" + e.getMessage() + "): is an SRT file server (mcr-srt "
                        + "serve-files) listening there?", e);
            }
            if (status != FileTransferProtocol.OK) {
                String message = FileTransferProtocol.readString(socket, FileTransferProtocol.MAX_MESSAGE_BYTES);
                throw new IOException("the server at " + AddressText.of(url.remoteAddress()) + " did not send \""
                        + remoteName + "\": " + message);
            }
            long size = FileTransferProtocol.readLong(socket);
            if (size < 0) {
                throw new IOException("the server announced a negative size " + size + " for \"" + remoteName + "\"");
            }
            long received = receive(socket, localPath, size, progress);
            FileTransferProtocol.writeByte(socket, FileTransferProtocol.ACK);
            return received;
        }
    }

    private static long receive(SrtSocket socket, Path localPath, long size, Progress progress) throws IOException {
        boolean done = false;
        long received = 0;
        Path part = partFile(localPath);
        try (FileChannel out = FileChannel.open(part, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                Arena arena = Arena.ofConfined()) {
            MemorySegment chunk = arena.allocate(CHUNK, 8);
            while (received < size) {
                interrupted(localPath, received, size);
                int n = socket.receive(chunk.asSlice(0, Math.min(CHUNK, size - received)));
                if (n <= 0) {
                    // 0: RCVTIMEO expired, or the end of the byte stream once the server has closed.
                    if (socket.state() != SrtSocketState.CONNECTED) {
                        break;
                    }
                    continue;
                }
                ByteBuffer view = chunk.asSlice(0, n).asByteBuffer();
                while (view.hasRemaining()) {
                    out.write(view);
                }
                received += n;
                progress.update(received, size);
            }
            long onDisk = out.size();
            if (received != size || onDisk != size) {
                throw new IOException("transfer incomplete: received " + received + " of " + size + " bytes ("
                        + onDisk + " on disk; nothing kept, " + localPath + " is as it was); fetch it again");
            }
            out.force(false);
            out.close();
            Files.move(part, localPath, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            done = true;
            return received;
        } catch (ClosedByInterruptException e) {
            // The file channel is interruptible: an interrupt while it writes (or sizes) closes it and lands here.
            throw interruption(localPath, received, size);
        } catch (SrtException e) {
            throw new IOException("transfer to " + localPath + " broke off after " + received + " of " + size
                    + " bytes (incomplete; nothing kept, " + localPath + " is as it was): " + e.getMessage(), e);
        } finally {
            if (!done) {
                Files.deleteIfExists(part);
            }
        }
    }

    /**
     * A file server only listens, so the client must call it. Opened as given, a listener URL waited for ever for a
     * server to call it (an accept that neither an interrupt nor a timeout ends), and a rendezvous one until its
     * connect timed out.
     */
    private static void checkCaller(SrtUrl url) {
        if (url.mode() != SrtUrl.Mode.CALLER) {
            String host = url.host().isEmpty() ? "SERVER" : url.host().contains(":") ? "[" + url.host() + "]"
                    : url.host();
            throw new IllegalArgumentException("cannot fetch from " + url + ": it is a " + url.mode().name()
                    .toLowerCase(java.util.Locale.ROOT) + " URL, and a file server only listens, so the client calls"
                    + " it: write srt://" + host + ":" + url.port() + " with the server's address (and no mode=)");
        }
    }

    /**
     * Fails before anything is asked of the server when the file could not be written: its folder missing or not a
     * folder, or the path itself a folder. Found out only when the file arrived, the transfer was lost.
     */
    private static void checkDestination(String remoteName, Path localPath) throws IOException {
        if (localPath.getFileName() == null) {
            throw new IllegalArgumentException("local path " + localPath + " names no file");
        }
        Path folder = localPath.toAbsolutePath().getParent();
        if (!Files.isDirectory(folder)) {
            String what = "the folder to fetch \"" + remoteName + "\" into";
            if (Files.exists(folder)) {
                throw new FileSystemException(folder.toString(), null, "is not a folder, so it cannot be " + what);
            }
            throw new NoSuchFileException(folder.toString(), null, what + " does not exist (create it first, or fetch"
                    + " into a folder that exists)");
        }
        if (Files.isDirectory(localPath)) {
            throw new FileSystemException(localPath.toString(), null, "is a folder: give the path of the file to write"
                    + " \"" + remoteName + "\" to, e.g. " + localPath + java.io.File.separator
                    + remoteName.substring(remoteName.lastIndexOf('/') + 1));
        }
    }

    /** Where {@code localPath} is received before it is complete: a hidden name beside it, unique to this fetch. */
    private static Path partFile(Path localPath) {
        Path name = localPath.getFileName();
        if (name == null) {
            throw new IllegalArgumentException("local path " + localPath + " names no file");
        }
        return localPath.resolveSibling("." + name + "." + ProcessHandle.current().pid() + "-" + PART_NUMBER
                .incrementAndGet() + ".part");
    }

    private static void interrupted(Path localPath, long received, long size) throws InterruptedIOException {
        if (Thread.currentThread().isInterrupted()) {
            throw interruption(localPath, received, size);
        }
    }

    private static InterruptedIOException interruption(Path localPath, long received, long size) {
        InterruptedIOException e = new InterruptedIOException("transfer to " + localPath + " interrupted after "
                + received + " of " + size + " bytes (incomplete; nothing kept, " + localPath + " is as it was)");
        e.bytesTransferred = (int) Math.min(received, Integer.MAX_VALUE);
        return e;
    }
}
