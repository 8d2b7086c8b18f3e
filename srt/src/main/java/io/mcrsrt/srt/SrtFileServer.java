package io.mcrsrt.srt;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Serves the files of one directory over SRT file mode, as SRTfu's fetch server: each caller asks for one file by
 * name and receives it (protocol in {@code FileTransferProtocol}, and in the library guide). Names are confined to the
 * directory: absolute names, {@code ..} and links leading outside are refused.
 *
 * <p>One platform thread accepts ({@code srt-file-server-PORT}) and one serves each caller
 * ({@code srt-file-server-PORT-N}). {@link #close()} stops accepting, cuts the transfers in progress (their clients
 * report them incomplete) and waits up to 5 s for the threads; it is idempotent.
 */
public final class SrtFileServer implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(SrtFileServer.class.getName());
    /** How long the client may go without acknowledging anything before the server gives up on its confirmation. */
    static final Duration ACK_TIMEOUT = Duration.ofSeconds(30);
    /** How often the wait for the confirmation looks at the send buffer; the byte itself wakes it at once. */
    private static final int ACK_POLL_MS = 1_000;
    private static final int CHUNK = 1 << 20;

    private final Path root;
    private final SrtSocket listener;
    private final Duration ackTimeout;
    private final Consumer<Outcome> outcomes;
    /** Runs on the accepting thread between an accept and the caller's registration; a test holds it there. */
    private final Runnable afterAccept;
    private final Thread acceptor;
    private final Set<SrtSocket> clients = ConcurrentHashMap.newKeySet();
    private final Set<Thread> workers = ConcurrentHashMap.newKeySet();
    private final AtomicInteger counter = new AtomicInteger();
    private volatile boolean closed;

    /**
     * How one transfer of a file ended on the server side: {@code confirmed} once the client has said that every byte
     * arrived, otherwise {@code problem} says why not.
     */
    record Outcome(String name, long size, boolean confirmed, String problem) {}

    private SrtFileServer(Path root, SrtSocket listener, int port, Duration ackTimeout, Consumer<Outcome> outcomes,
            Runnable afterAccept) {
        this.root = root;
        this.listener = listener;
        this.ackTimeout = ackTimeout;
        this.outcomes = outcomes;
        this.afterAccept = afterAccept;
        this.acceptor = Thread.ofPlatform().name("srt-file-server-" + port).daemon(true).unstarted(this::acceptLoop);
    }

    /**
     * Starts serving {@code directory} at a listener URL such as {@code srt://:9000} (other URL keys, e.g.
     * {@code passphrase}, apply to every connection; transtype and messageapi are forced to file mode).
     */
    public static SrtFileServer start(Path directory, SrtUrl url) throws IOException {
        Objects.requireNonNull(directory, "directory must not be null (the folder whose files are served)");
        Objects.requireNonNull(url, "url must not be null (a listener URL, e.g. SrtUrl.parse(\"srt://:9000\"))");
        return start(directory, url, url.bindAddress());
    }

    /** Starts serving {@code directory} on {@code port} of every address, IPv4 and IPv6 (0 picks a free port). */
    public static SrtFileServer start(Path directory, int port) throws IOException {
        Objects.requireNonNull(directory, "directory must not be null (the folder whose files are served)");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is not valid (expected: 0 to 65535, 0 for any)");
        }
        return start(directory, SrtUrl.parse("srt://:" + Math.max(port, 1)),
                new InetSocketAddress(SocketAddresses.everyAddress(), port));
    }

    private static SrtFileServer start(Path directory, SrtUrl url, InetSocketAddress bind) throws IOException {
        return start(directory, url, bind, ACK_TIMEOUT, outcome -> { }, () -> { });
    }

    /**
     * Starts a server that tells {@code outcomes} how each file transfer ended (on the transfer's thread) and gives up
     * on a client that acknowledges nothing for {@code ackTimeout}.
     */
    static SrtFileServer start(Path directory, SrtUrl url, Duration ackTimeout, Consumer<Outcome> outcomes)
            throws IOException {
        return start(directory, url, url.bindAddress(), ackTimeout, outcomes, () -> { });
    }

    /** As {@link #start(Path, SrtUrl, Duration, Consumer)}, running {@code afterAccept} after each accept. */
    static SrtFileServer start(Path directory, SrtUrl url, Duration ackTimeout, Consumer<Outcome> outcomes,
            Runnable afterAccept) throws IOException {
        return start(directory, url, url.bindAddress(), ackTimeout, outcomes, afterAccept);
    }

    private static SrtFileServer start(Path directory, SrtUrl url, InetSocketAddress bind, Duration ackTimeout,
            Consumer<Outcome> outcomes, Runnable afterAccept) throws IOException {
        if (url.mode() != SrtUrl.Mode.LISTENER) {
            throw new IllegalArgumentException("a file server listens: " + url + " is in " + url.mode()
                    + " mode (expected: srt://:PORT or mode=listener)");
        }
        if (!Files.isDirectory(directory)) {
            throw new IOException(directory + " is not a directory: give the folder whose files should be served");
        }
        Path root = directory.toRealPath();
        SrtUrl served = fileMode(url);
        SrtSocket listener = served.newSocket();
        try {
            served.bindListener(listener, bind).listen(16);
            SrtFileServer server = new SrtFileServer(root, listener, listener.localAddress().getPort(), ackTimeout,
                    outcomes, afterAccept);
            server.acceptor.start();
            return server;
        } catch (SrtException | RuntimeException e) {
            listener.close();
            throw e;
        }
    }

    static SrtUrl fileMode(SrtUrl url) {
        return url.with("transtype", "file").with("messageapi", "false");
    }

    /** Where the server listens. */
    public InetSocketAddress localAddress() throws SrtException {
        return listener.localAddress();
    }

    /** The directory served. */
    public Path directory() {
        return root;
    }

    private void acceptLoop() {
        while (!closed) {
            SrtSocket client;
            try {
                client = listener.accept();
            } catch (SrtException e) {
                if (!closed) {
                    LOG.log(System.Logger.Level.WARNING, "file server stopped accepting: " + e.getMessage());
                }
                return;
            }
            if (client == null) {
                continue;
            }
            afterAccept.run();
            clients.add(client);
            if (closed) {
                // close() may have cut the registered clients before this one was added: it is not served. Checked
                // after the add, and close() sets the flag before it goes through the clients, so either this check
                // or close() sees the caller.
                clients.remove(client);
                abort(client);
                return;
            }
            Thread worker = Thread.ofPlatform().name(Thread.currentThread().getName() + "-" + counter.incrementAndGet())
                    .daemon(true).unstarted(() -> serve(client));
            workers.add(worker);
            worker.start();
        }
    }

    private void serve(SrtSocket client) {
        String name = null;
        long size = -1;
        try {
            client.set(SrtOption.RCVTIMEO, FileTransferProtocol.POLL_MS);
            // A send blocked on a client that reads nothing holds libsrt's sending lock, and abort() needs that lock
            // to switch LINGER off: with a bounded send it gets it within ACK_POLL_MS.
            client.set(SrtOption.SNDTIMEO, ACK_POLL_MS);
            name = FileTransferProtocol.readString(client, FileTransferProtocol.MAX_NAME_BYTES);
            Path file;
            try {
                file = resolve(name);
            } catch (IllegalArgumentException refused) {
                LOG.log(System.Logger.Level.INFO, "refused a request from " + peer(client) + ": "
                        + refused.getMessage());
                FileTransferProtocol.writeByte(client, FileTransferProtocol.REFUSED);
                FileTransferProtocol.writeMessage(client, refused.getMessage());
                return;
            }
            if (file == null) {
                LOG.log(System.Logger.Level.INFO, "no file " + name + " for " + peer(client));
                FileTransferProtocol.writeByte(client, FileTransferProtocol.NOT_FOUND);
                FileTransferProtocol.writeMessage(client, "no file \"" + name + "\" in the served directory");
                return;
            }
            size = Files.size(file);
            FileTransferProtocol.writeByte(client, FileTransferProtocol.OK);
            FileTransferProtocol.writeLong(client, size);
            sendContent(client, file, size);
            awaitConfirmation(client);
            LOG.log(System.Logger.Level.INFO, "sent " + name + " (" + size + " bytes) to " + peer(client));
            outcomes.accept(new Outcome(name, size, true, null));
        } catch (IOException | RuntimeException e) {
            // The transfer is over and the client will call it incomplete: closing must not linger (180 s in file
            // mode) waiting for a client that may have stopped reading to take what is left in the send buffer.
            dropLinger(client);
            client.close();
            if (!closed) {
                // named, so that an operator knows which file a client did not get
                LOG.log(System.Logger.Level.WARNING, (name == null ? "a request from " + peer(client)
                        + " failed before it named a file: " : "sending " + name + " to " + peer(client) + " failed: ")
                        + e.getMessage());
            }
            if (name != null) {
                outcomes.accept(new Outcome(name, size, false, e.getMessage()));
            }
        } finally {
            client.close(); // after a refusal or a confirmed transfer: lingers until the last bytes are delivered
            clients.remove(client);
            workers.remove(Thread.currentThread());
        }
    }

    /** The client as HOST:PORT ({@link AddressText#of(InetSocketAddress)}), or "null" when it has no peer address. */
    private static String peer(SrtSocket client) {
        java.net.InetSocketAddress a = client.peerAddress();
        return a == null ? "null" : AddressText.of(a);
    }

    /**
     * Waits for the client's confirmation byte after the file's last byte has been handed to libsrt. That is not when
     * the client has it: libsrt's send buffer takes up to SNDBUF (about 12 MB by default) at once, and delivering
     * that can take far longer than any fixed wait, on a slow link, or when libsrt 1.5.1's file congestion control
     * meets a loss before it has measured the link and falls back to 16 packets a second. So the wait runs while the
     * client keeps acknowledging packets (the send buffer shrinks) and ends {@link #ackTimeout} after the last
     * progress, or at once when the connection breaks: the client closed it, or vanished and libsrt's peer idle
     * timeout (PEERIDLETIMEO, 5 s by default) broke it.
     */
    private void awaitConfirmation(SrtSocket client) throws IOException {
        client.set(SrtOption.RCVTIMEO, (int) Math.min(ACK_POLL_MS, Math.max(1, ackTimeout.toMillis())));
        int unacknowledged = client.get(SrtOption.SNDDATA);
        long lastProgress = System.nanoTime();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment confirmation = arena.allocate(1);
            while (client.receive(confirmation) == 0) {
                // 0 is RCVTIMEO expiring, or libsrt's end of stream once the client has closed.
                if (client.state() != SrtSocketState.CONNECTED) {
                    throw new IOException("the client closed the connection without confirming receipt ("
                            + unacknowledged + " packets of the file unacknowledged)");
                }
                int left = client.get(SrtOption.SNDDATA);
                if (left < unacknowledged) {
                    unacknowledged = left;
                    lastProgress = System.nanoTime();
                } else if (System.nanoTime() - lastProgress >= ackTimeout.toNanos()) {
                    throw new IOException("the client acknowledged nothing for " + ackTimeout.toSeconds() + " s and "
                            + "did not confirm receipt (" + left + " packets of the file unacknowledged)");
                }
            }
        }
    }

    /**
     * Sends the first {@code size} bytes of {@code file}, a chunk at a time through one native buffer. Not from a
     * memory-mapped file: if the file shrank meanwhile (log rotation, a re-upload), libsrt would touch pages past its
     * end and the JVM would die of SIGBUS. A file that shrinks ends the transfer with an IOException instead; the
     * caller then closes the connection and the client reports the transfer incomplete. The sending ends too when
     * the server closes, or when the client takes nothing for {@link #ackTimeout}.
     */
    private void sendContent(SrtSocket client, Path file, long size) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ); Arena arena = Arena.ofConfined()) {
            MemorySegment chunk = arena.allocate(CHUNK, 8);
            ByteBuffer view = chunk.asByteBuffer();
            long sent = 0;
            while (sent < size) {
                int length = (int) Math.min(CHUNK, size - sent);
                view.clear().limit(length);
                while (view.hasRemaining()) {
                    if (channel.read(view, sent + view.position()) < 0) {
                        throw new IOException(file + " shrank to " + channel.size() + " bytes while " + size
                                + " were being sent: transfer cut off after " + (sent + view.position())
                                + " bytes (the client is told it is incomplete)");
                    }
                }
                long lastProgress = System.nanoTime();
                for (int done = 0; done < length; ) {
                    int n = client.send(chunk.asSlice(done, length - done));
                    if (n > 0) {
                        done += n;
                        lastProgress = System.nanoTime();
                    } else if (closed) {
                        // 0 is SNDTIMEO expiring: the client is not taking data as fast as the file is read.
                        throw new IOException("sending " + file + " cut off after " + (sent + done) + " of " + size
                                + " bytes: the server is closing");
                    } else if (System.nanoTime() - lastProgress >= ackTimeout.toNanos()) {
                        throw new IOException("sending " + file + " stopped after " + (sent + done) + " of " + size
                                + " bytes: the client took nothing for " + ackTimeout.toSeconds() + " s");
                    }
                }
                sent += length;
            }
        }
    }

    /**
     * The served file for a requested name, or null when there is no such regular file.
     *
     * @throws IllegalArgumentException when the name tries to leave the served directory
     */
    Path resolve(String name) throws IOException {
        if (name.isEmpty() || name.indexOf('\0') >= 0 || name.startsWith("/") || name.startsWith("\\")) {
            throw new IllegalArgumentException("name \"" + name + "\" refused (expected: a file name relative to "
                    + "the served directory)");
        }
        for (String part : name.split("[/\\\\]")) {
            if (part.equals("..")) {
                throw new IllegalArgumentException("name \"" + name + "\" refused: \"..\" may not leave the served "
                        + "directory");
            }
        }
        Path candidate = root.resolve(name).normalize();
        if (!candidate.startsWith(root) || !Files.isRegularFile(candidate)) {
            return null;
        }
        Path real = candidate.toRealPath();
        if (!real.startsWith(root)) {
            throw new IllegalArgumentException("name \"" + name + "\" refused: it links outside the served directory");
        }
        return Files.isRegularFile(real, LinkOption.NOFOLLOW_LINKS) ? real : null;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        listener.close();
        clients.forEach(SrtFileServer::abort);
        join(acceptor);
        workers.forEach(SrtFileServer::join);
    }

    /**
     * Closes a connection in progress at once. A plain close would not: in file mode libsrt lingers (SRTO_LINGER,
     * 180 s) until the rest of the file in its send buffer has been delivered, so stopping the server took as long
     * as the transfers still had to run. Setting LINGER waits for a send in progress to return, at most SNDTIMEO
     * ({@link #ACK_POLL_MS}).
     */
    private static void abort(SrtSocket client) {
        dropLinger(client);
        client.close();
    }

    private static void dropLinger(SrtSocket client) {
        try {
            client.set(SrtOption.LINGER, 0);
        } catch (SrtException | IllegalStateException alreadyClosed) {
            // The transfer has just ended and its socket is closed or broken: nothing lingers.
        }
    }

    private static void join(Thread t) {
        try {
            if (!t.join(java.time.Duration.ofSeconds(5))) {
                LOG.log(System.Logger.Level.WARNING, "thread " + t.getName() + " did not stop within 5 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
