package io.mcrsrt.srt;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

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

    private SrtFileClient() {}

    /**
     * Fetches {@code remoteName} from the server at {@code url} (a caller URL) into {@code localPath} (replaced if it
     * exists; deleted again if the transfer fails), and checks that the size received is the size announced.
     *
     * @param remoteName the file's path relative to the served directory: 1 to 4096 bytes in UTF-8
     * @return the number of bytes received
     * @throws IllegalArgumentException when {@code remoteName} is empty or longer than 4096 bytes (checked before
     *     connecting)
     * @throws IOException when the server refuses or lacks the file, the connection fails, or the size does not match
     */
    public static long fetch(SrtUrl url, String remoteName, Path localPath, Progress progress) throws IOException {
        FileTransferProtocol.checkName(remoteName);
        // A caller dials with SrtSocket.dial: libsrt's blocking connect could discard the server's first reply, and the
        // loss report that followed left the server's file congestion control at 16 packets/s for the whole transfer.
        try (SrtSocket socket = SrtFileServer.fileMode(url).open()) {
            FileTransferProtocol.writeName(socket, remoteName);
            int status = FileTransferProtocol.readByte(socket);
            if (status != FileTransferProtocol.OK) {
                String message = FileTransferProtocol.readString(socket, FileTransferProtocol.MAX_MESSAGE_BYTES);
                throw new IOException("the server at " + SocketAddresses.text(url.remoteAddress()) + " did not send \"" + remoteName + "\": "
                        + message);
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
        try (FileChannel out = FileChannel.open(localPath, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING); Arena arena = Arena.ofConfined()) {
            MemorySegment chunk = arena.allocate(CHUNK, 8);
            while (received < size) {
                int n = socket.receive(chunk.asSlice(0, Math.min(CHUNK, size - received)));
                if (n <= 0) {
                    break;
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
                        + onDisk + " on disk); fetch it again");
            }
            done = true;
            return received;
        } catch (SrtException e) {
            throw new IOException("transfer to " + localPath + " broke off after " + received + " of " + size
                    + " bytes (incomplete; nothing kept): " + e.getMessage(), e);
        } finally {
            if (!done) {
                Files.deleteIfExists(localPath);
            }
        }
    }
}
