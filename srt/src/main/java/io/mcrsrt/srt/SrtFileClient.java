package io.mcrsrt.srt;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
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
        try (SrtSocket socket = open(SrtFileServer.fileMode(url))) {
            FileTransferProtocol.writeName(socket, remoteName);
            int status = FileTransferProtocol.readByte(socket);
            if (status != FileTransferProtocol.OK) {
                String message = FileTransferProtocol.readString(socket, FileTransferProtocol.MAX_MESSAGE_BYTES);
                throw new IOException("the server at " + url.remoteAddress() + " did not send \"" + remoteName + "\": "
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

    /**
     * Connects to the server; a caller dials without blocking and waits for libsrt to report the connection, then
     * switches blocking back on. Not libsrt 1.5.1's blocking connect: it finishes the handshake on the calling thread
     * and only then asks the port's receiving thread to deliver packets to the new socket, which that thread does
     * after the packet it is already waiting for. When that packet is the server's first reply (the status byte,
     * sent as soon as the name arrives), libsrt discards it as addressed to an unknown socket; the next one makes the
     * client report a loss, and the server's file congestion control, still without any measurement of the link,
     * leaves slow start at its initial estimate of 16 packets/s and stays near it (3 MB then took about 34 s on
     * loopback, in about one transfer of ten). Without blocking, the receiving thread completes the handshake itself
     * and registers the socket before it reads anything else. Listener and rendezvous URLs open as
     * {@link SrtUrl#open()} opens them.
     */
    static SrtSocket open(SrtUrl url) throws SrtException {
        if (url.mode() != SrtUrl.Mode.CALLER) {
            return url.open();
        }
        InetSocketAddress server = url.remoteAddress();
        SrtSocket socket = url.newCallerSocket();
        try {
            socket.blocking(false).connect(server);
            SrtSocketState state = awaitConnection(socket);
            if (state != SrtSocketState.CONNECTED) {
                // A failed non-blocking connect leaves no error code: use the one a blocking connect gives.
                int code = socket.rejectReason() == SrtRejectReason.TIMEOUT ? SrtException.NO_SERVER
                        : SrtException.CONNECTION_REJECTED;
                throw SrtException.connectFailed("connecting to " + server, socket.id(), code);
            }
            return socket.blocking(true);
        } catch (SrtException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** Waits until a non-blocking connect has succeeded or failed; libsrt fails it after CONNTIMEO (3 s default). */
    private static SrtSocketState awaitConnection(SrtSocket socket) throws SrtException {
        try (SrtEpoll epoll = SrtEpoll.create(1)) {
            epoll.add(socket, SrtEpoll.OUT | SrtEpoll.ERR);
            while (true) {
                epoll.await(1_000);
                SrtSocketState state = socket.state();
                if (state != SrtSocketState.CONNECTING && state != SrtSocketState.OPENED
                        && state != SrtSocketState.INIT) {
                    return state;
                }
            }
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
