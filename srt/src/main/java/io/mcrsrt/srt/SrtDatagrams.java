package io.mcrsrt.srt;

import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * The iterator behind {@link Srt#datagrams}: one live payload per element, read on the consuming thread. A caller
 * connects when the stream is opened; a listener binds then and accepts its caller on the consuming thread, at the
 * first {@link #hasNext()}. Closing the stream closes the sockets, which also wakes a consumer blocked in a receive
 * or an accept.
 *
 * <p>The connection's socket receives without blocking, the consumer waiting in an {@link SrtEpoll} between two
 * messages: libsrt 1.5.1's blocking receive, waiting when the peer closes, takes the first message it still holds
 * and then reports the broken connection, and that message is lost. Without blocking, every message the peer sent
 * before closing is read (see {@link SrtSocket#receive(MemorySegment)}): the stream ends after the last.
 */
final class SrtDatagrams implements Iterator<byte[]>, AutoCloseable {

    private static final System.Logger LOG = System.getLogger(SrtDatagrams.class.getName());
    private static final long RECONNECT_PAUSE_MS = 1000;
    /** How often a broken connection is read again for the messages it still holds. */
    private static final long HELD_POLL_MS = 2;
    /** The longest wait in the epoll set before looking whether the stream was closed. */
    private static final long AWAIT_SLICE_MS = 250;

    private final SrtUrl url;
    private final boolean reconnect;
    /** Told of each connection made, with the peer's address. */
    private final Consumer<? super InetSocketAddress> onConnect;
    private final byte[] buffer;
    /** Kept open across callers when reconnecting as a listener. */
    private volatile SrtSocket listener;
    private volatile SrtSocket socket;
    /** A caller socket while it dials, so that close() can end the dial instead of waiting out CONNTIMEO. */
    private volatile SrtSocket dialling;
    /** Where the consumer waits for the connection's socket to have a message; made with the first connection. */
    private volatile SrtEpoll readable;
    private volatile boolean closed;
    /** Released by {@link #close()}: ends the pause between two attempts to reconnect at once. */
    private final java.util.concurrent.CountDownLatch closing = new java.util.concurrent.CountDownLatch(1);
    /** When the last dial (or rendezvous) began, by System.nanoTime(); 0 before the first. One thread at a time. */
    private long lastDialStarted;
    /** The connection has ended and the stream does not reconnect: nothing more will come. */
    private boolean ended;
    private byte[] next;

    private SrtDatagrams(SrtUrl url, boolean reconnect, Consumer<? super InetSocketAddress> onConnect) {
        this.url = url;
        this.reconnect = reconnect;
        this.onConnect = onConnect;
        boolean file = url.parameter("transtype").map("file"::equalsIgnoreCase).orElse(false);
        this.buffer = new byte[file ? 65536 : 1500];
    }

    static Stream<byte[]> open(SrtUrl url, boolean reconnect, Consumer<? super InetSocketAddress> onConnect)
            throws SrtException {
        SrtDatagrams datagrams = new SrtDatagrams(url, reconnect, onConnect);
        if (url.mode() == SrtUrl.Mode.LISTENER) {
            // Bound now, so that a port in use fails here; the wait for a caller is left to the consumer, where
            // closing the stream can end it. Accepting here would return nothing closable until a caller came.
            datagrams.listener = url.listen(1);
        } else {
            datagrams.socket = datagrams.connect();
            try {
                onConnect.accept(datagrams.socket.peerAddress());
            } catch (RuntimeException e) {
                datagrams.socket.close();
                throw e;
            }
        }
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(datagrams,
                Spliterator.ORDERED | Spliterator.NONNULL), false).onClose(datagrams::close);
    }

    /** The next connection's socket ({@link #dial}), non-blocking and watched in {@link #readable}. */
    private SrtSocket connect() throws SrtException {
        SrtSocket s = dial();
        try {
            watch(s);
        } catch (SrtException e) {
            s.close();
            throw e;
        }
        return s;
    }

    private SrtSocket dial() throws SrtException {
        if (url.mode() == SrtUrl.Mode.LISTENER) {
            if (listener == null) {
                listener = url.listen(1);
            }
            if (!reconnect) {
                try (SrtSocket l = listener) {
                    return l.accept();
                }
            }
            return listener.accept();
        }
        lastDialStarted = System.nanoTime();
        if (url.mode() != SrtUrl.Mode.CALLER) {
            return url.open();
        }
        try {
            return url.dialCaller(s -> {
                // Published before closed is read, and close() sets closed before reading it: one of the two sees
                // the other.
                dialling = s;
                if (closed) {
                    s.close(); // the dial then fails at once with the closed error
                }
            });
        } finally {
            dialling = null;
        }
    }

    @Override
    public boolean hasNext() {
        while (next == null && !closed && !ended) {
            SrtSocket s = socket;
            try {
                if (s == null) {
                    s = connectOrEnd();
                    if (s == null) {
                        return false;
                    }
                }
                int n = s.receive(buffer, 0, buffer.length);
                if (n > 0) {
                    next = java.util.Arrays.copyOf(buffer, n);
                } else if (!awaitReadable(s)) {
                    return false;
                }
            } catch (SrtException e) {
                if (closed) {
                    return false;
                }
                if (!e.isConnectionGone() && !reconnect) {
                    throw new UncheckedIOException(e);
                }
                s.close();
                socket = null;
                if (!reconnect) {
                    ended = true;
                    return false;
                }
                LOG.log(System.Logger.Level.INFO, "SRT connection to " + url + " ended (" + e.getMessage()
                        + "); reconnecting");
            }
        }
        return next != null;
    }

    /**
     * Waits until {@code s} may have a message; false when the stream was closed meanwhile (or the thread interrupted
     * while the socket waited for a held message to fall due).
     */
    private boolean awaitReadable(SrtSocket s) throws SrtException {
        if (s.state() == SrtSocketState.BROKEN) {
            // The peer closed and a held message is not due yet: epoll reports a broken socket ready at once.
            try {
                Thread.sleep(HELD_POLL_MS);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                return false;
            }
            return !closed;
        }
        readable.await(AWAIT_SLICE_MS);
        return !closed;
    }

    /**
     * Makes {@code s} non-blocking and waited for in {@link #readable}; a connection that already ended is left as it
     * is, its first receive then reporting the end.
     */
    private void watch(SrtSocket s) throws SrtException {
        try {
            s.blocking(false);
        } catch (IllegalStateException alreadyEnded) {
            return; // libsrt takes no options on a broken or closed socket
        }
        SrtEpoll e = readable;
        if (e == null) {
            e = SrtEpoll.create(1);
            readable = e;
            if (closed) {
                e.close();
            }
        }
        e.add(s, SrtEpoll.IN | SrtEpoll.ERR);
    }

    /**
     * The next connection: a listener's first caller, or a new one after the last went away when reconnecting. Null
     * when the stream was closed meanwhile.
     *
     * @throws UncheckedIOException when the stream does not reconnect and accepting failed
     */
    private SrtSocket connectOrEnd() {
        while (!closed) {
            try {
                // At most one dial a second: a listener that drops every caller at once would otherwise be called
                // hundreds of times a second, each logged. A connection that lasted longer is redialled at once.
                if (url.mode() != SrtUrl.Mode.LISTENER && lastDialStarted != 0) {
                    long sinceLast = (System.nanoTime() - lastDialStarted) / 1_000_000;
                    if (sinceLast < RECONNECT_PAUSE_MS && !pause(RECONNECT_PAUSE_MS - sinceLast)) {
                        return null;
                    }
                }
                SrtSocket s = connect();
                socket = s;
                if (closed) {
                    s.close();
                    return null;
                }
                onConnect.accept(s.peerAddress());
                return s;
            } catch (SrtException e) {
                if (closed) {
                    return null;
                }
                if (!reconnect) {
                    ended = true;
                    throw new UncheckedIOException(e);
                }
                LOG.log(System.Logger.Level.INFO, "reconnecting to " + url + " failed: " + e.getMessage());
                if (!pause(RECONNECT_PAUSE_MS)) {
                    return null;
                }
            }
        }
        return null;
    }

    /** Waits {@code millis} before reconnecting; false when the stream was closed (or the thread interrupted). */
    private boolean pause(long millis) {
        try {
            return !closing.await(millis, java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public byte[] next() {
        if (!hasNext()) {
            throw new NoSuchElementException("the SRT connection to " + url + " has ended");
        }
        byte[] result = next;
        next = null;
        return result;
    }

    @Override
    public void close() {
        closed = true;
        closing.countDown();
        SrtSocket d = dialling;
        if (d != null) {
            d.close();
        }
        SrtSocket s = socket;
        if (s != null) {
            s.close();
        }
        SrtSocket l = listener;
        if (l != null) {
            l.close();
        }
        SrtEpoll e = readable;
        if (e != null) {
            e.close();
        }
    }
}
