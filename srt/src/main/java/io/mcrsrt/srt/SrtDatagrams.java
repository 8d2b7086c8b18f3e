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
 */
final class SrtDatagrams implements Iterator<byte[]>, AutoCloseable {

    private static final System.Logger LOG = System.getLogger(SrtDatagrams.class.getName());
    private static final long RECONNECT_PAUSE_MS = 1000;

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

    private SrtSocket connect() throws SrtException {
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
    }
}
