package io.mcrsrt.srt;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;

/**
 * The request/response of {@link SrtFileServer} and {@link SrtFileClient}, over one SRT connection in file mode
 * (TRANSTYPE file, MESSAGEAPI off, so a byte stream). All integers are big-endian.
 * <pre>
 * client -&gt; server   u16 name length (1..4096), name (UTF-8, relative to the served directory)
 * server -&gt; client   u8 status
 *                     status 0 (OK):   s64 size, then exactly size bytes of the file
 *                     otherwise:       u16 message length, message (UTF-8): 1 not found, 2 refused, 3 server error
 * client -&gt; server   u8 0x06 once every byte has arrived; the server closes after it
 * </pre>
 * The server waits for the 0x06 while the client keeps acknowledging packets, and gives up 30 s after the last
 * acknowledgement or when the connection breaks (see {@code SrtFileServer#awaitConfirmation}).
 */
final class FileTransferProtocol {

    static final int OK = 0;
    static final int NOT_FOUND = 1;
    static final int REFUSED = 2;
    static final int SERVER_ERROR = 3;
    static final int ACK = 0x06;
    static final int MAX_NAME_BYTES = 4096;
    /** The most a u16 length can announce. */
    static final int MAX_MESSAGE_BYTES = 65535;
    /** How long either side waits for the other's request or reply once connected. */
    static final Duration HEADER_TIMEOUT = Duration.ofSeconds(10);
    /**
     * The receive timeout (RCVTIMEO, ms) both sides set: how often a wait looks at the connection, its deadline and
     * the thread's interrupt status, since libsrt's blocking receive sees none of them.
     */
    static final int POLL_MS = 250;

    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfLong S64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private FileTransferProtocol() {}

    /** Sends a requested file name: 1 to {@link #MAX_NAME_BYTES} bytes of UTF-8, checked before anything is sent. */
    static void writeName(SrtSocket socket, String name) throws SrtException {
        writeString(socket, checkName(name));
    }

    /** Sends a status message; one longer than a u16 can announce is cut at that many bytes. */
    static void writeMessage(SrtSocket socket, String message) throws SrtException {
        byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
        writeString(socket, bytes.length <= MAX_MESSAGE_BYTES ? bytes : Arrays.copyOf(bytes, MAX_MESSAGE_BYTES));
    }

    /**
     * Returns the UTF-8 bytes of a file name after checking the protocol's range for them.
     *
     * @throws IllegalArgumentException naming the length when it is 0 or over {@link #MAX_NAME_BYTES}
     */
    static byte[] checkName(String name) {
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        if (bytes.length < 1 || bytes.length > MAX_NAME_BYTES) {
            throw new IllegalArgumentException("file name of " + bytes.length + " bytes (UTF-8) cannot be requested "
                    + "(expected: 1 to " + MAX_NAME_BYTES + " bytes, a path relative to the served directory)");
        }
        return bytes;
    }

    private static void writeString(SrtSocket socket, byte[] bytes) throws SrtException {
        // The length goes out as a u16: a longer text would announce a wrong length and derail the peer.
        if (bytes.length > MAX_MESSAGE_BYTES) {
            throw new IllegalArgumentException("file transfer: a text of " + bytes.length + " bytes does not fit its "
                    + "u16 length (expected: at most " + MAX_MESSAGE_BYTES + " bytes)");
        }
        try (Arena a = Arena.ofConfined()) {
            MemorySegment m = a.allocate(2 + bytes.length);
            m.set(U16, 0, (short) bytes.length);
            MemorySegment.copy(bytes, 0, m, ValueLayout.JAVA_BYTE, 2, bytes.length);
            writeFully(socket, m);
        }
    }

    static String readString(SrtSocket socket, int max) throws IOException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment len = a.allocate(2);
            readFully(socket, len);
            int n = Short.toUnsignedInt(len.get(U16, 0));
            if (n > max) {
                throw new IOException("file transfer: a name or message of " + n + " bytes is too long (expected: <= "
                        + max + ")");
            }
            MemorySegment text = a.allocate(Math.max(1, n));
            readFully(socket, text.asSlice(0, n));
            return new String(text.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
        }
    }

    static void writeByte(SrtSocket socket, int value) throws SrtException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment m = a.allocate(1);
            m.set(ValueLayout.JAVA_BYTE, 0, (byte) value);
            writeFully(socket, m);
        }
    }

    static int readByte(SrtSocket socket) throws IOException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment m = a.allocate(1);
            readFully(socket, m);
            return Byte.toUnsignedInt(m.get(ValueLayout.JAVA_BYTE, 0));
        }
    }

    static void writeLong(SrtSocket socket, long value) throws SrtException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment m = a.allocate(8);
            m.set(S64, 0, value);
            writeFully(socket, m);
        }
    }

    static long readLong(SrtSocket socket) throws IOException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment m = a.allocate(8);
            readFully(socket, m);
            return m.get(S64, 0);
        }
    }

    static void writeFully(SrtSocket socket, MemorySegment data) throws SrtException {
        long done = 0;
        while (done < data.byteSize()) {
            int n = socket.send(data.asSlice(done, Math.min(data.byteSize() - done, 1 << 20)));
            if (n <= 0) {
                throw new SrtException("file transfer: sending timed out", 6003, "timeout", -1);
            }
            done += n;
        }
    }

    /**
     * Reads exactly {@code into.byteSize()} bytes of a request or reply, for at most {@link #HEADER_TIMEOUT}.
     *
     * @throws InterruptedIOException when the thread is interrupted meanwhile (its interrupt status stays set)
     * @throws IOException when the peer closes the connection or sends nothing in time
     */
    static void readFully(SrtSocket socket, MemorySegment into) throws IOException {
        long deadline = System.nanoTime() + HEADER_TIMEOUT.toNanos();
        long done = 0;
        while (done < into.byteSize()) {
            int n = socket.receive(into.asSlice(done));
            if (n > 0) {
                done += n;
                continue;
            }
            // 0: RCVTIMEO expired, or the end of the byte stream once the peer has closed.
            String got = " (" + done + " of " + into.byteSize() + " bytes of a header received)";
            checkInterrupt("waiting for the peer" + got);
            if (socket.state() != SrtSocketState.CONNECTED) {
                throw new IOException("file transfer: the peer closed the connection" + got);
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IOException("file transfer: the peer sent nothing for " + HEADER_TIMEOUT.toSeconds() + " s"
                        + got);
            }
        }
    }

    /**
     * Ends a transfer whose thread has been interrupted; the interrupt status stays set, for the code that asked.
     *
     * @throws InterruptedIOException saying what was being done
     */
    static void checkInterrupt(String doing) throws InterruptedIOException {
        if (Thread.currentThread().isInterrupted()) {
            throw new InterruptedIOException("file transfer interrupted " + doing);
        }
    }
}
