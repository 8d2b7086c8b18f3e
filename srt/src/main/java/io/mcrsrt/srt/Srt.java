package io.mcrsrt.srt;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Entry point of the SRT library: loading libsrt, its clock, and the one-call conveniences (datagram streams, file
 * fetch). libsrt is loaded and started ({@code srt_startup}) on first use and stopped ({@code srt_cleanup}) by a
 * shutdown hook once the application's sockets are closed ({@link #cleanUpAtExit}). Its own logging is kept to
 * critical messages so it never floods stderr.
 */
public final class Srt {

    /** syslog level for libsrt's own log: LOG_CRIT. */
    private static final int DEFAULT_LOG_LEVEL = 2;

    private static volatile boolean loaded;
    /** How long the exit-time cleanup waits at least for the application to close its sockets. */
    private static final long CLEANUP_WAIT_MILLIS = 3000;
    /** How long it waits at most while they are still being closed (a service stopping many streams). */
    private static final long CLEANUP_WAIT_MAX_MILLIS = 10_000;
    private static final AtomicBoolean CLEANUP_HOOK_INSTALLED = new AtomicBoolean();

    private Srt() {}

    /**
     * Loads libsrt (gnutls build first, then openssl, then {@code SRT_LIBRARY}) and starts it, once per process.
     *
     * @throws UnsatisfiedLinkError with one sentence naming the Debian package to install when libsrt 1.5 is missing
     */
    public static void ensureLoaded() {
        if (!loaded) {
            start();
        }
    }

    private static synchronized void start() {
        if (loaded) {
            return;
        }
        NativeLibrary.lookup();
        if (LibSrt.startup() < 0) {
            throw new UnsatisfiedLinkError("libsrt failed to start (srt_startup): " + SrtException.text(
                    LibSrt.getlasterror(java.lang.foreign.MemorySegment.NULL)));
        }
        LibSrt.setloglevel(DEFAULT_LOG_LEVEL);
        loaded = true;
        cleanupOnExit();
    }

    /** Arranges for {@link #cleanUpAtExit} to run when the JVM exits; once per process, when libsrt starts. */
    private static void cleanupOnExit() {
        if (CLEANUP_HOOK_INSTALLED.compareAndSet(false, true)) {
            try {
                Runtime.getRuntime().addShutdownHook(new Thread(Srt::cleanUpAtExit, "srt-cleanup"));
            } catch (IllegalStateException exiting) {
                // started while the JVM is already exiting: nothing can be arranged any more
            }
        }
    }

    /**
     * Shuts libsrt down at exit, once the application has closed its sockets. Two things hang an exiting process
     * otherwise: libsrt's own cleanup, which runs at process exit whatever Java does, destroys a listener's condition
     * variable with a thread still accepting on it and never returns; and a libsrt thread that called into Java (a
     * listen callback) and ends while the JVM is exiting blocks for ever in its detach.
     *
     * <p>So this waits for the application's own shutdown to close the sockets that matter
     * ({@link SrtSocket#openAtExit}): at least {@link #CLEANUP_WAIT_MILLIS}, and up to
     * {@link #CLEANUP_WAIT_MAX_MILLIS} while it is still closing some (a service stopping many streams). Listeners
     * still open then are closed here, which wakes the threads accepting on them. Then, if no socket at all is left,
     * {@code srt_cleanup} ends libsrt's threads before the JVM goes; with sockets left (another thread may be closing
     * one, and srt_cleanup under a close deadlocks inside libsrt) libsrt is left to its own cleanup at exit.
     */
    private static void cleanUpAtExit() {
        try {
            long start = System.nanoTime();
            long lastClosed = start;
            int left = SrtSocket.openAtExit();
            while (left > 0) {
                long now = System.nanoTime();
                boolean grace = now - start < CLEANUP_WAIT_MILLIS * 1_000_000L;
                boolean closing = now - lastClosed < 1_000_000_000L
                        && now - start < CLEANUP_WAIT_MAX_MILLIS * 1_000_000L;
                if (!grace && !closing) {
                    break;
                }
                Thread.sleep(10);
                int open = SrtSocket.openAtExit();
                if (open < left) {
                    lastClosed = System.nanoTime();
                }
                left = open;
            }
            SrtSocket.closeListenersLeftOpen();
            if (SrtSocket.openCount() == 0) {
                LibSrt.cleanup();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The address a listener given none binds: {@code ::} where this machine can open IPv6 sockets (bound with
     * IPV6ONLY off, as this library binds it, it takes IPv4 callers too), else {@code 0.0.0.0}. Found out once, by
     * binding a UDP socket; libsrt is not loaded for it.
     */
    public static java.net.InetAddress everyAddress() {
        return SocketAddresses.everyAddress();
    }

    /** The loaded libsrt version, e.g. "1.5.1". */
    public static String version() {
        ensureLoaded();
        return NativeLibrary.versionText(LibSrt.getversion());
    }

    /** Which library file was loaded, e.g. "libsrt-gnutls.so.1.5". */
    public static String libraryName() {
        ensureLoaded();
        return NativeLibrary.loadedFrom();
    }

    /**
     * libsrt's clock ({@code srt_time_now}) in microseconds: the clock of {@link SrtSocket#send(java.lang.foreign.MemorySegment,
     * long) source times}. It is the monotonic clock, like {@link System#nanoTime()}, so
     * {@code Srt.now() - System.nanoTime() / 1000} is a constant offset a sender can compute once.
     */
    public static long now() {
        ensureLoaded();
        return LibSrt.timeNow();
    }

    /**
     * Sets libsrt's own log level (syslog numbering: 2 critical, 3 error, 4 warning, 5 notice, 7 debug). libsrt
     * writes its log to stderr.
     */
    public static void libraryLogLevel(int syslogLevel) {
        if (syslogLevel < 0 || syslogLevel > 7) {
            throw new IllegalArgumentException("log level " + syslogLevel
                    + " is not a syslog level (expected: 2 critical, 3 error, 4 warning, 5 notice, 6 info, 7 debug)");
        }
        ensureLoaded();
        LibSrt.setloglevel(syslogLevel);
    }

    /**
     * Whether this libsrt was built with socket groups (bonding, {@code ENABLE_BONDING}). The Debian 12 packages of
     * libsrt 1.5.1 are not.
     */
    public static boolean bondingSupported() {
        ensureLoaded();
        int group = LibSrt.createGroup(SrtGroup.Type.BROADCAST.code());
        if (group < 0) {
            return false;
        }
        LibSrt.close(group);
        return true;
    }

    /**
     * Live payloads from an SRT URL, one array per message (1316 bytes for MPEG-TS), like SRTfu's datagramer.
     * A caller connects now, and a failure to connect is thrown here. A listener binds its port now (a port in use is
     * thrown here) and waits for one caller when the stream is first read, so that closing the stream from another
     * thread ends that wait too; a failed accept is then thrown by the stream as an
     * {@link java.io.UncheckedIOException}. Closing the stream closes the socket. When the peer goes away the stream
     * ends: after the last message it sent when it closed the connection (the messages still held for the latency
     * come each when it is due, up to the latency after the close; libsrt 1.5.1 alone reports the close before them),
     * at once when it was lost. Interrupting the reading thread does not end a read (libsrt's calls do not see Java interrupts; only a
     * reconnecting stream's pause between two attempts ends, as if the stream were closed, the interrupt kept): close
     * the stream to stop it.
     *
     * @throws IllegalArgumentException when the URL is malformed, naming the bad part
     */
    public static Stream<byte[]> datagrams(String url) throws SrtException {
        return SrtDatagrams.open(SrtUrl.parse(url), false, peer -> { });
    }

    /**
     * As {@link #datagrams(String)}; with {@code reconnect} the stream survives the peer going away and reconnects: a
     * listener accepts the next caller; a caller waits a second after a failed attempt and dials at most once a second.
     * Closing the stream from another thread also ends a redial in progress, or the pause between two, at once.
     */
    public static Stream<byte[]> datagrams(String url, boolean reconnect) throws SrtException {
        return SrtDatagrams.open(SrtUrl.parse(url), reconnect, peer -> { });
    }

    /**
     * As {@link #datagrams(String, boolean)}, handing {@code onConnect} the peer's address each time a connection is
     * made: a caller's when it connects (before this returns), a listener's caller when it is accepted (on the thread
     * reading the stream). A listener's stream closed while it still waits for its first caller ends without a call:
     * that is how a reader tells "no caller came" from "the caller came and left". {@code onConnect} should return at
     * once; what it throws reaches whoever opened or was reading the stream.
     */
    public static Stream<byte[]> datagrams(String url, boolean reconnect,
            Consumer<? super InetSocketAddress> onConnect) throws SrtException {
        return SrtDatagrams.open(SrtUrl.parse(url), reconnect, Objects.requireNonNull(onConnect,
                "onConnect must not be null (peer -> { } ignores the peer; or call datagrams(url, reconnect))"));
    }

    /**
     * Fetches {@code remoteName} from an {@link SrtFileServer} at {@code url} into {@code localPath}, checking the size
     * at the end, like SRTfu's fetch. See {@link SrtFileClient#fetch}: a local path in a folder that does not exist
     * fails with a {@link java.nio.file.NoSuchFileException} naming the folder, before connecting.
     *
     * @return the number of bytes received
     */
    public static long fetch(String url, String remoteName, Path localPath) throws IOException {
        return SrtFileClient.fetch(SrtUrl.parse(url), remoteName, localPath, SrtFileClient.Progress.NONE);
    }
}
