package io.mcrsrt.srt;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntSupplier;

/**
 * One SRT socket: a caller, a listener, a socket accepted by a listener, or a rendezvous peer.
 *
 * <p>Thread safety: one thread may send while another receives; several threads may send (or receive) at once, each
 * message whole, one call at a time per direction (each direction owns one preallocated {@code SRT_MSGCTRL} and native
 * buffer, which is what keeps the message path free of allocation, and a lock per direction guards them); options,
 * statistics and addresses may be read from any thread; {@link #close()} may be called from any thread, is idempotent,
 * and wakes a thread blocked sending, receiving or accepting on this socket. It does not wake a blocking
 * {@link #connect} or {@link #rendezvous}: libsrt holds the socket's control lock for the whole of a blocking connect (up to
 * CONNTIMEO), and close() waits for that lock, so it returns only once the connect has ended. To dial in a way that can
 * be cancelled, switch blocking off ({@link #blocking(boolean) blocking(false)}), connect, and wait for the result in
 * an {@link SrtEpoll}; close() then ends the attempt at once. {@link #dial} dials without blocking and waits for the
 * result itself, and close() ends it the same way (prefer it to a blocking connect: see there why). Blocking calls
 * ({@link #accept()}, {@link #connect}, blocking send/receive) belong on platform threads: a libsrt call pins a virtual
 * thread's carrier.
 */
public final class SrtSocket implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(SrtSocket.class.getName());

    /** Bytes of {@code SRT_MSGCTRL}; srctime is the int64 at offset 16. */
    private static final long MSGCTRL_SIZE = 48;
    private static final long SRCTIME_OFFSET = 16;
    private static final long PKTSEQ_OFFSET = 24;
    private static final long MSGNO_OFFSET = 28;
    private static final int EASYNCSND = 6001;
    private static final int EASYNCRCV = 6002;
    private static final int ETIMEOUT = 6003;
    /** {@code SRT_EINVALMSGAPI}; in live mode: a message longer than the payload size, a buffer shorter than it. */
    private static final int MESSAGE_API = 5009;
    /** {@code SRT_EUNBOUNDSOCK}. */
    private static final int UNBOUND = 5005;
    /** libsrt's key refresh period for SRTO_KMREFRESHRATE 0, in packets ({@code HAICRYPT_DEF_KM_REFRESH_RATE}). */
    private static final int DEFAULT_KM_REFRESH = 1 << 24;
    /** libsrt's pre-announce period for SRTO_KMPREANNOUNCE 0, in packets ({@code HAICRYPT_DEF_KM_PRE_ANNOUNCE}). */
    private static final int DEFAULT_KM_PREANNOUNCE = 0x1000;
    /** How often {@link #drain} looks at the send buffer. */
    private static final int DRAIN_POLL_MS = 5;
    /** Beyond the latency, for the peer's clock drift and the acknowledgement's way back. */
    private static final long DRAIN_MARGIN_NANOS = 20_000_000L;
    /** How often a blocking receive tries again for the messages held after the peer closed. */
    private static final int TAIL_POLL_MS = 2;
    /** Beyond the latency, for the peer's clock drift: how long a receive waits at most for a held message. */
    private static final long TAIL_MARGIN_NANOS = 200_000_000L;
    /**
     * The longest wait of a blocking receive in its epoll set before it tries again, as libsrt's own blocking receive
     * looks at the connection every second: a socket libsrt has let go of is no longer in the set.
     */
    private static final long RECEIVE_WAIT_SLICE_MS = 1000;
    /** Room for the largest live payload; grown once if a message-mode caller sends or receives more. */
    private static final int INITIAL_SCRATCH = 1500;

    /** Listen callbacks by listener socket id; the single upcall stub dispatches through it. */
    private static final Map<Integer, SrtListenCallback> CALLBACKS = new ConcurrentHashMap<>();
    /** Ids of this process's sockets not closed yet: what the exit-time cleanup waits for ({@link #openAtExit}). */
    private static final Set<Integer> OPEN = ConcurrentHashMap.newKeySet();
    /** Whether a listen callback was ever installed in this process. */
    private static final AtomicBoolean CALLBACKS_USED = new AtomicBoolean();
    private static MemorySegment listenStub;

    private final int id;
    private final AtomicBoolean closed = new AtomicBoolean();
    // Auto arena: a thread blocked in libsrt keeps its buffers alive even if close() races with it.
    private final Arena arena = Arena.ofAuto();
    private final MemorySegment sendCtrl = arena.allocate(MSGCTRL_SIZE, 8);
    private final MemorySegment recvCtrl = arena.allocate(MSGCTRL_SIZE, 8);
    private final MemorySegment optionBuffer = arena.allocate(1024, 8);
    private final MemorySegment optionLength = arena.allocate(JAVA_INT);
    private final MemorySegment addressBuffer = arena.allocate(SocketAddresses.STORAGE_SIZE, 8);
    private final MemorySegment addressLength = arena.allocate(JAVA_INT);
    private final MemorySegment statsBuffer = arena.allocate(SrtStats.BUFFER_SIZE, 8);
    /** libsrt's 32-bit packet totals as of the last {@link #stats} read, and unwrapped; under {@link #statsBuffer}. */
    private final PacketTotals packetTotals = new PacketTotals();
    /**
     * Held for each send: a send uses {@link #sendCtrl} and {@link #sendScratch} from before the call until libsrt's
     * error is read, and two threads doing that at once sent each other's bytes.
     */
    private final ReentrantLock sending = new ReentrantLock();
    /** The latest source time a message was sent with (libsrt's clock, us), or 0: for {@link #drain(Duration)}. */
    private volatile long latestSourceTime;
    /**
     * Until when (nanoTime) receives wait for the messages held after the connection broke; 0 before it broke. Guarded
     * by {@link #receiving}.
     */
    private long heldUntil;
    /** Held for each receive, for {@link #recvCtrl} and {@link #recvScratch}: receivers took each other's messages. */
    private final ReentrantLock receiving = new ReentrantLock();
    /**
     * Whether libsrt's own RCVSYN has been switched off for {@link #receiveReady} (see {@link #receiveWaiting}): from
     * then on {@link #receiveBlocking} and {@link #receiveTimeoutMs} hold what the application set. Written under the
     * {@link #receiving} lock.
     */
    private volatile boolean receivesThroughEpoll;
    /** RCVSYN as the application set it (libsrt's, read once, until it is set here). */
    private volatile boolean receiveBlocking;
    /** RCVTIMEO as the application set it, in ms; -1: none. */
    private volatile int receiveTimeoutMs;
    /**
     * The epoll set a blocking receive waits in, made at the first one and released by {@link #close()}, which ends
     * the wait. Written under the {@link #receiving} lock.
     */
    private volatile SrtEpoll receiveReady;
    /** Guarded by {@link #sending}. */
    private MemorySegment sendScratch = arena.allocate(INITIAL_SCRATCH, 8);
    /** Guarded by {@link #receiving}. */
    private MemorySegment recvScratch = arena.allocate(INITIAL_SCRATCH, 8);
    /** The address dialled, or the caller's for an accepted socket: named in messages whether or not it answered. */
    private volatile InetSocketAddress remote;
    /** The peer of the established connection; null until libsrt has reported the socket connected. */
    private volatile InetSocketAddress peer;
    /** The epoll set {@link #dial} waits in, while it waits: {@link #close()} closes it, which ends the wait. */
    private volatile SrtEpoll connectWait;
    /** Timer slack for the libsrt threads this socket's bind or connect starts; null leaves them as they are. */
    private volatile Duration workerTimerSlack;

    private SrtSocket(int id, InetSocketAddress peer) {
        this.id = id;
        this.remote = peer;
        this.peer = peer;
        OPEN.add(id);
        LibSrt.msgctrlInit(sendCtrl);
        LibSrt.msgctrlInit(recvCtrl);
        // An accepted socket inherits them from its listener.
        receiveBlocking = readOption(SrtOption.RCVSYN, true);
        receiveTimeoutMs = readOption(SrtOption.RCVTIMEO, -1);
    }

    private <T> T readOption(SrtOption<T> option, T otherwise) {
        try {
            return get(option);
        } catch (SrtException gone) {
            return otherwise; // closed meanwhile: nothing will be received on it
        }
    }

    /** A new, unbound socket with libsrt's live-mode defaults. */
    public static SrtSocket create() throws SrtException {
        Srt.ensureLoaded();
        int id = LibSrt.createSocket();
        if (id < 0) {
            throw SrtException.last("creating an SRT socket");
        }
        return new SrtSocket(id, null);
    }

    /** libsrt's socket id ({@code SRTSOCKET}), as used by {@link SrtEpoll}. */
    public int id() {
        return id;
    }

    /**
     * Sets an option, after checking in Java that the value is in range and that the socket's state still allows it
     * ({@link SrtOption#restriction()}).
     *
     * @throws NullPointerException when {@code value} is null: no value stands for "unset" in libsrt; set the
     *     option's default to undo a setting
     * @throws IllegalArgumentException when the value is out of range, or the option is read-only
     * @throws IllegalStateException when it is too late to set this option on this socket, or the socket is closed
     * @throws SrtException when libsrt refuses the value
     */
    public <T> SrtSocket set(SrtOption<T> option, T value) throws SrtException {
        Objects.requireNonNull(option, "option must not be null (an SrtOption constant, e.g. SrtOption.LATENCY)");
        // No null stands for "unset": libsrt has no such state; give the default value to undo a setting.
        Objects.requireNonNull(value, () -> "value must not be null (" + option + " takes a "
                + option.type().getSimpleName() + "; to undo a setting, set the option's default)");
        if (!option.writable()) {
            throw new IllegalArgumentException(option + " is read-only: libsrt reports it, it cannot be set");
        }
        option.validate(value);
        checkRestriction(option);
        if (option == SrtOption.KMPREANNOUNCE) {
            checkPreAnnounce((Integer) value);
        }
        if (option == SrtOption.RCVSYN && receivesThroughEpoll) {
            receiveBlocking = (Boolean) value; // libsrt's stays off: see receiveWaiting
            return this;
        }
        synchronized (optionBuffer) {
            optionBuffer.fill((byte) 0);
            int len = option.encode(value, optionBuffer);
            if (LibSrt.setsockflag(id, option.id(), optionBuffer, len) < 0) {
                throw SrtException.last("setting " + option + (option == SrtOption.PASSPHRASE ? "" : " to " + value)
                        + (option == SrtOption.PACKETFILTER ? " (expected: " + SrtOption.PACKETFILTER_SYNTAX + ")" : ""));
            }
        }
        if (option == SrtOption.RCVSYN) {
            receiveBlocking = (Boolean) value;
        } else if (option == SrtOption.RCVTIMEO) {
            receiveTimeoutMs = (Integer) value;
        }
        return this;
    }

    /**
     * libsrt 1.5.1 refuses a pre-announce period longer than half the key refresh period (0 standing for its defaults,
     * 4096 and 2^24 packets) with a bare "Bad parameters"; this names the limit and the option it comes from.
     */
    private void checkPreAnnounce(int packets) throws SrtException {
        int refresh = get(SrtOption.KMREFRESHRATE);
        long limit = ((refresh == 0 ? DEFAULT_KM_REFRESH : refresh) - 1L) / 2;
        int effective = packets == 0 ? DEFAULT_KM_PREANNOUNCE : packets;
        if (effective > limit) {
            throw new IllegalArgumentException(SrtOption.KMPREANNOUNCE + " = " + packets
                    + (packets == 0 ? " (libsrt's default of " + DEFAULT_KM_PREANNOUNCE + " packets)" : "")
                    + " is not allowed (expected: at most " + limit + ", (SRTO_KMREFRESHRATE - 1) / 2 with "
                    + "SRTO_KMREFRESHRATE = " + refresh + (refresh == 0 ? ", libsrt's default of " + DEFAULT_KM_REFRESH
                    + " packets" : "") + "); set a smaller " + SrtOption.KMPREANNOUNCE + ", or a larger "
                    + SrtOption.KMREFRESHRATE + " first");
        }
    }

    /**
     * Reads an option.
     *
     * @throws IllegalArgumentException when libsrt does not let this option be read back (e.g. PASSPHRASE)
     * @throws SrtException when libsrt fails to report it (e.g. the socket is closed)
     */
    public <T> T get(SrtOption<T> option) throws SrtException {
        Objects.requireNonNull(option, "option must not be null (an SrtOption constant, e.g. SrtOption.LATENCY)");
        if (!option.readable()) {
            throw new IllegalArgumentException(option + " is write-only in libsrt 1.5: it cannot be read back");
        }
        if (option == SrtOption.RCVSYN && receivesThroughEpoll) {
            return option.type().cast(receiveBlocking);
        }
        synchronized (optionBuffer) {
            optionBuffer.fill((byte) 0);
            optionLength.set(JAVA_INT, 0, (int) optionBuffer.byteSize());
            if (LibSrt.getsockflag(id, option.id(), optionBuffer, optionLength) < 0) {
                throw SrtException.last("reading " + option);
            }
            return option.decode(optionBuffer, optionLength.get(JAVA_INT, 0));
        }
    }

    /** Switches blocking off (or on) for both sending and receiving (SNDSYN and RCVSYN). */
    public SrtSocket blocking(boolean blocking) throws SrtException {
        set(SrtOption.SNDSYN, blocking);
        return set(SrtOption.RCVSYN, blocking);
    }

    /**
     * Lets libsrt's sending and receiving threads for this socket's local port wake up to {@code slack} late from a
     * timed wait (Linux timer slack; the default is 50 us). Set it before {@link #bind}, {@link #connect} or
     * {@link #rendezvous}: libsrt starts those two threads on the first of these calls for a local port, and they
     * inherit the timer slack of the thread that makes it. Sockets that share a port (accepted ones, or a caller bound
     * to a port already in use) share the threads that exist.
     *
     * <p>Why: in live mode with MAXBW 0, libsrt's sending thread paces every packet at INPUTBW x (1 + OHEADBW) and
     * sleeps between packets; each of those wake-ups costs tens of microseconds of CPU. With a few milliseconds of
     * slack the thread wakes far less often (at 8 Mbit/s: ~1 100 a second with none, ~660 with 2 ms, ~240 with 10 ms)
     * and libsrt's pacing credit sends the packets that became due meanwhile at once, at the same average rate.
     * Messages keep their source times, so the receiver's output timing does not change; a retransmission may leave up
     * to {@code slack} later. No effect where the system has no timer slack.
     *
     * @param slack between 1 us and 50 ms
     * @throws IllegalStateException when the socket is already bound, connected or closed
     */
    public SrtSocket workerTimerSlack(Duration slack) {
        Objects.requireNonNull(slack, "slack must not be null (a Duration between 1 us and 50 ms; leave it unset to"
                + " keep the system's)");
        if (slack.compareTo(Duration.ofNanos(1_000)) < 0 || slack.compareTo(Duration.ofMillis(50)) > 0) {
            throw new IllegalArgumentException("worker timer slack " + slack.toNanos() / 1000.0
                    + " us is out of range (expected: 1 us to 50 ms)");
        }
        SrtSocketState state = state();
        if (state != SrtSocketState.INIT) {
            // Asked for later, it would be kept and never used: the threads it is meant for run already.
            throw new IllegalStateException("the worker timer slack must be set before bind, connect or rendezvous,"
                    + " which start libsrt's threads for the port, but this socket is already " + state
                    + ": set it earlier, on a new socket");
        }
        workerTimerSlack = slack;
        return this;
    }

    /** The timer slack asked for with {@link #workerTimerSlack(Duration)}, if any. */
    public Optional<Duration> workerTimerSlack() {
        return Optional.ofNullable(workerTimerSlack);
    }

    /** Binds to a local address; port 0 picks a free one (see {@link #localAddress()}). */
    public SrtSocket bind(InetSocketAddress local) throws SrtException {
        Objects.requireNonNull(local, "local must not be null (new InetSocketAddress(port) binds every address; port 0"
                + " picks a free one)");
        checkOpen("binding to " + AddressText.of(local));
        synchronized (addressBuffer) {
            int len = SocketAddresses.write(local, addressBuffer);
            if (ThreadTimerSlack.during(workerTimerSlack, () -> LibSrt.bind(id, addressBuffer, len)) < 0) {
                throw SrtException.last("binding to " + AddressText.of(local)
                        + " (is the port already used by another listener, or the address not on this machine?)");
            }
        }
        return this;
    }

    /**
     * Binds a socket that is to listen: as {@link #bind}, but on the IPv6 wildcard ({@code ::}, {@link
     * Srt#everyAddress()} on a machine with IPv6) with IPV6ONLY off first, so that the one socket takes IPv4 callers
     * too (reported as IPv4 addresses), whatever the system's default.
     */
    public SrtSocket bindListener(InetSocketAddress local) throws SrtException {
        Objects.requireNonNull(local, "local must not be null (new InetSocketAddress(Srt.everyAddress(), port) listens"
                + " on every address)");
        if (local.getAddress() instanceof Inet6Address && local.getAddress().isAnyLocalAddress()) {
            set(SrtOption.IPV6ONLY, 0);
        }
        return bind(local);
    }

    /** Starts listening; the socket must be bound. */
    public SrtSocket listen(int backlog) throws SrtException {
        if (backlog < 1) {
            throw new IllegalArgumentException("backlog " + backlog + " is too small (expected: >= 1)");
        }
        checkOpen("listening on " + this);
        if (LibSrt.listen(id, backlog) < 0) {
            // Read the error before describeLocal(): its srt_getsockname would replace it with its own.
            int code = LibSrt.getlasterror(MemorySegment.NULL);
            throw new SrtException("listening on " + describeLocal() + ": " + SrtException.text(code)
                    + (code == UNBOUND ? " (bind the socket before listen)" : ""), code, SrtException.text(code), -1);
        }
        return this;
    }

    /**
     * Waits for the next caller (blocking unless RCVSYN is off) and returns its connected socket, which knows the
     * caller's address ({@link #peerAddress()}). Options set on the listener are inherited.
     *
     * @return the accepted socket, or null when the listener is non-blocking and no caller is waiting
     */
    public SrtSocket accept() throws SrtException {
        checkOpen("accepting a caller on " + this);
        try (Arena call = Arena.ofConfined()) {
            MemorySegment addr = call.allocate(SocketAddresses.STORAGE_SIZE, 8);
            MemorySegment len = call.allocate(JAVA_INT);
            len.set(JAVA_INT, 0, SocketAddresses.STORAGE_SIZE);
            int accepted = LibSrt.accept(id, addr, len);
            if (accepted < 0) {
                int code = LibSrt.getlasterror(MemorySegment.NULL);
                if (code == EASYNCRCV) {
                    return null;
                }
                throw new SrtException("accepting a caller on " + describeLocal() + ": " + SrtException.text(code),
                        code, SrtException.text(code), -1);
            }
            return new SrtSocket(accepted, SocketAddresses.read(addr));
        }
    }

    /**
     * Connects as a caller. Blocking by default: returns once connected, or throws with the reject reason (wrong
     * passphrase, timeout, rejected by the listener...); meanwhile {@link #close()} from another thread waits for it
     * (see the class description). With RCVSYN off (libsrt decides on RCVSYN, not SNDSYN; {@link #blocking(boolean)
     * blocking(false)} switches both off) it returns at once; watch for OUT (connected) or ERR (failed) in an
     * {@link SrtEpoll}.
     */
    public SrtSocket connect(InetSocketAddress remote) throws SrtException {
        Objects.requireNonNull(remote, "remote must not be null (the listener's address and port)");
        checkOpen("connecting to " + AddressText.of(remote));
        int rc;
        // Its own sockaddr, not the shared addressBuffer: a blocking connect lasts up to CONNTIMEO, and holding that
        // buffer's lock so long would stall localAddress() and peerAddress() on every other thread.
        try (Arena call = Arena.ofConfined()) {
            MemorySegment address = call.allocate(SocketAddresses.STORAGE_SIZE, 8);
            int len = SocketAddresses.write(remote, address);
            rc = ThreadTimerSlack.during(workerTimerSlack, () -> LibSrt.connect(id, address, len));
        }
        if (rc < 0) {
            throw SrtException.connectFailed("connecting to " + AddressText.of(remote), this);
        }
        connected(remote);
        return this;
    }

    /**
     * Connects as a caller and returns once connected, or throws like a blocking {@link #connect} (reject reason,
     * error code 1001 when nobody answered within CONNTIMEO, 1002 when the listener refused); the socket's blocking
     * settings (SNDSYN, RCVSYN) are as before. {@link #close()} from another thread ends the wait at once with error
     * code 5004 ({@link SrtException#INVALID_SOCKET}) and a message saying the socket was closed. Prefer it to a
     * blocking connect whenever the peer may send first.
     *
     * <p>A connection the listener accepted counts as made even when the listener closed it again before this returns
     * (a blocking connect returns too): the socket is then BROKEN (or already CLOSED by libsrt), and its first send or
     * receive reports the connection gone ({@link SrtException#isConnectionGone()}). Its blocking settings stay off
     * then, as libsrt refuses every option on a broken connection; no call on it can block anyway. A refused or
     * unanswered connect is told apart by what libsrt reports, not by timing: it has a reject reason and never learnt
     * the peer's SRT version.
     *
     * <p>Not libsrt 1.5.1's blocking connect: that finishes the handshake on the calling thread and only then asks the
     * port's receiving thread to deliver packets to the new socket, which that thread does after the packet it is
     * already waiting for, and it discards what arrives before as addressed to an unknown socket. A listener that
     * sends as soon as it accepts loses its first packets there: a live stream's first packets are reported lost and
     * retransmitted (on loopback in most connections), and a file server's first reply left its file congestion
     * control at 16 packets/s for the whole transfer. Here the connect runs with blocking off and this thread waits
     * in an {@link SrtEpoll}: the receiving thread completes the handshake itself and registers the socket before it
     * reads anything else.
     */
    public SrtSocket dial(InetSocketAddress remote) throws SrtException {
        Objects.requireNonNull(remote, "remote must not be null (the listener's address and port)");
        try {
            boolean sendBlocking = get(SrtOption.SNDSYN);
            boolean receiveBlocking = get(SrtOption.RCVSYN);
            blocking(false).connect(remote);
            if (!awaitConnection()) {
                if (closed.get()) {
                    throw closedWhileDialling(remote);
                }
                // A failed non-blocking connect leaves no error code: use the one a blocking connect gives.
                int code = rejectReason() == SrtRejectReason.TIMEOUT ? SrtException.NO_SERVER
                        : SrtException.CONNECTION_REJECTED;
                throw SrtException.connectFailed("connecting to " + AddressText.of(remote), this, code);
            }
            // Established, though it may have broken already: then, as after a blocking connect, the next send or
            // receive reports the connection gone.
            this.remote = remote;
            peer = remote;
            restoreBlocking(SrtOption.SNDSYN, sendBlocking);
            restoreBlocking(SrtOption.RCVSYN, receiveBlocking);
            return this;
        } catch (SrtException | IllegalStateException e) {
            // Closed on another thread at any step: libsrt's "invalid socket", a refused option or an ended wait
            // (which libsrt reports like a rejection) all mean the same thing, and say it badly.
            if (closed.get()) {
                throw closedWhileDialling(remote);
            }
            throw e;
        }
    }

    /**
     * Sets a blocking option back after {@link #dial}. libsrt refuses every option on a connection that has broken (or
     * that its garbage collector has closed since), which the peer may do right after accepting; nothing is lost then,
     * as every send or receive on it fails whatever the blocking mode.
     */
    private void restoreBlocking(SrtOption<Boolean> option, boolean value) throws SrtException {
        synchronized (optionBuffer) {
            optionBuffer.fill((byte) 0);
            int len = option.encode(value, optionBuffer);
            if (LibSrt.setsockflag(id, option.id(), optionBuffer, len) < 0) {
                SrtException e = SrtException.last("setting " + option + " to " + value);
                if (closed.get() || state() == SrtSocketState.CONNECTED) {
                    throw e; // dial reports the first as closed while dialling
                }
            }
        }
        if (option == SrtOption.RCVSYN) {
            receiveBlocking = value; // what receive goes by, libsrt's or not (see receiveWaiting)
        }
    }

    /**
     * Throws when {@link #close()} has been called: libsrt's answers then guess at other causes ("Bad parameters" for
     * a bind, a connect failed "for an unknown reason"), and a listen callback was installed without an error.
     */
    private void checkOpen(String action) throws SrtException {
        if (closed.get()) {
            throw new SrtException(action + ": the socket was closed by this application (close() was called); use a"
                    + " new socket", SrtException.INVALID_SOCKET, SrtException.text(SrtException.INVALID_SOCKET), -1);
        }
    }

    private SrtException closedWhileDialling(InetSocketAddress remote) {
        String text = SrtException.text(SrtException.INVALID_SOCKET);
        return new SrtException("connecting to " + AddressText.of(remote) + ": the socket was closed while connecting"
                + " (close() on another thread ends the attempt); dial again on a new socket", SrtException.INVALID_SOCKET,
                text, -1);
    }

    /**
     * Waits until a non-blocking connect has succeeded or failed; libsrt fails it after CONNTIMEO (3 s default).
     *
     * @return true when the connection was established, even if it broke right after (a listener that accepts and
     *     closes at once); false when it failed or this socket was closed
     */
    private boolean awaitConnection() throws SrtException {
        try (SrtEpoll epoll = SrtEpoll.create(1)) {
            // Published before closed is read, and close() sets closed before reading it: one of the two sees the
            // other. libsrt's own close does not end the wait: it takes the socket out of the set without an event
            // the wait would see, so the wait went on until its timeout.
            connectWait = epoll;
            if (closed.get()) {
                return false;
            }
            epoll.add(this, SrtEpoll.OUT | SrtEpoll.ERR);
            while (true) {
                int events = epoll.await(1_000) > 0 ? epoll.events(0) : 0;
                SrtSocketState state = state();
                // OUT alone: libsrt reports a connection established once it is CONNECTED; a failed connect sets
                // IN|OUT|ERR at once, as does a connection lost later.
                if (state == SrtSocketState.CONNECTED || (events & (SrtEpoll.OUT | SrtEpoll.ERR)) == SrtEpoll.OUT) {
                    return true;
                }
                if (state != SrtSocketState.CONNECTING && state != SrtSocketState.OPENED
                        && state != SrtSocketState.INIT) {
                    return establishedBeforeEnding(state);
                }
            }
        } finally {
            connectWait = null;
        }
    }

    /**
     * Whether a connect that is no longer in progress, and not CONNECTED, had been established: the listener may
     * accept and close at once, before this thread looks. libsrt 1.5.1 tells the two apart: a connect that fails is
     * given a reject reason (TIMEOUT at the least) and never learns the peer's SRT version, which the listener's
     * accepting handshake carries; and libsrt closes by itself (its garbage collector) only sockets whose established
     * connection broke, never one whose connect failed, which stays BROKEN until the application closes it.
     */
    private boolean establishedBeforeEnding(SrtSocketState state) {
        if (closed.get()) {
            return false;
        }
        if (state == SrtSocketState.BROKEN) {
            if (LibSrt.getrejectreason(id) != SrtRejectReason.UNKNOWN.code()) {
                return false;
            }
            try {
                return get(SrtOption.PEERVERSION) != 0;
            } catch (SrtException gone) {
                state = state(); // closed by libsrt meanwhile
            }
        }
        return !closed.get() && (state == SrtSocketState.CLOSED || state == SrtSocketState.NONEXIST);
    }

    /** Connects in rendezvous mode: both sides bind {@code local} and connect to each other at the same time. */
    public SrtSocket rendezvous(InetSocketAddress local, InetSocketAddress remote) throws SrtException {
        Objects.requireNonNull(local, "local must not be null (new InetSocketAddress(port) for every address)");
        Objects.requireNonNull(remote, "remote must not be null (the peer's address and port)");
        checkOpen("rendezvous from " + AddressText.of(local) + " with " + AddressText.of(remote));
        try (Arena call = Arena.ofConfined()) {
            MemorySegment l = call.allocate(SocketAddresses.STORAGE_SIZE, 8);
            MemorySegment r = call.allocate(SocketAddresses.STORAGE_SIZE, 8);
            int llen = SocketAddresses.write(local, l);
            int rlen = SocketAddresses.write(remote, r);
            if (ThreadTimerSlack.during(workerTimerSlack, () -> LibSrt.rendezvous(id, l, llen, r, rlen)) < 0) {
                throw SrtException.connectFailed("rendezvous from " + AddressText.of(local) + " with "
                        + AddressText.of(remote), this);
            }
        }
        connected(remote);
        return this;
    }

    /** After a connect call succeeded: blocking, the connection is up; non-blocking, it may still fail. */
    private void connected(InetSocketAddress dialled) {
        remote = dialled;
        if (state() == SrtSocketState.CONNECTED) {
            peer = dialled;
        }
    }

    /**
     * Lets {@code callback} accept or reject each caller during the handshake, before {@link #accept()} sees it.
     * Set it before {@link #listen(int)}; replaced by a later call, removed by {@link #close()} (not by null, which is
     * refused: install {@code caller -> SrtAdmission.accept()} to admit every caller again).
     */
    public SrtSocket listenCallback(SrtListenCallback callback) throws SrtException {
        Objects.requireNonNull(callback, "callback must not be null (one that admits every caller: caller ->"
                + " SrtAdmission.accept())");
        checkOpen("installing the listen callback on " + this);
        MemorySegment stub = listenStub();
        CALLBACKS_USED.set(true);
        CALLBACKS.put(id, callback);
        if (LibSrt.listenCallback(id, stub, MemorySegment.ofAddress(id)) < 0) {
            CALLBACKS.remove(id);
            throw SrtException.last("installing the listen callback");
        }
        return this;
    }

    /** Sends a message (the whole segment) stamped with the current time. */
    public int send(MemorySegment message) throws SrtException {
        return send(message, 0);
    }

    /**
     * Sends a message (the whole segment) without copying it. The segment must be native ({@code Arena.allocate}, or
     * a direct buffer's); a read-only one is fine, libsrt only reads it.
     *
     * @param sourceTime when the message was due to leave, in microseconds on libsrt's clock ({@link Srt#now()});
     *     0 stamps it now. The receiver delivers it at sourceTime + latency.
     * @return bytes queued, or 0 when the socket is non-blocking and its send buffer is full (or SNDTIMEO expired)
     * @throws IllegalArgumentException when the segment is on the Java heap, or larger than 2 GiB - 1 byte
     */
    public int send(MemorySegment message, long sourceTime) throws SrtException {
        Objects.requireNonNull(message, "message must not be null");
        int length = checkNative(message, "send", "message");
        sending.lock();
        try {
            prepareSend(sourceTime);
            int n = LibSrt.sendmsg2(id, message, length, sendCtrl);
            return n >= 0 ? n : sendFailed(length);
        } finally {
            sending.unlock();
        }
    }

    /** Sends {@code length} bytes of {@code message} from {@code offset}, stamped now. */
    public int send(byte[] message, int offset, int length) throws SrtException {
        return send(message, offset, length, 0);
    }

    /**
     * Sends bytes of an array, copied into this socket's preallocated native buffer; see {@link #send(MemorySegment, long)}.
     *
     * @throws IndexOutOfBoundsException when {@code offset} and {@code length} do not lie within {@code message}
     */
    public int send(byte[] message, int offset, int length, long sourceTime) throws SrtException {
        Objects.requireNonNull(message, "message must not be null");
        Objects.checkFromIndexSize(offset, length, message.length);
        sending.lock();
        try {
            MemorySegment scratch = sendScratch(length);
            MemorySegment.copy(message, offset, scratch, JAVA_BYTE, 0, length);
            prepareSend(sourceTime);
            int n = LibSrt.sendmsg2(id, scratch, length, sendCtrl);
            return n >= 0 ? n : sendFailed(length);
        } finally {
            sending.unlock();
        }
    }

    /** Sends the buffer's remaining bytes as one message, stamped now. */
    public int send(ByteBuffer message) throws SrtException {
        return send(message, 0);
    }

    /**
     * Sends the buffer's remaining bytes as one message and advances its position. A direct buffer is sent in place;
     * a heap buffer is copied into the preallocated native buffer. See {@link #send(MemorySegment, long)}.
     */
    public int send(ByteBuffer message, long sourceTime) throws SrtException {
        Objects.requireNonNull(message, "message must not be null");
        int length = message.remaining();
        int n;
        sending.lock();
        try {
            if (message.isDirect()) {
                prepareSend(sourceTime);
                n = LibSrt.sendmsg2(id, MemorySegment.ofBuffer(message), length, sendCtrl);
            } else {
                MemorySegment scratch = sendScratch(length);
                MemorySegment.copy(MemorySegment.ofBuffer(message), 0, scratch, 0, length);
                prepareSend(sourceTime);
                n = LibSrt.sendmsg2(id, scratch, length, sendCtrl);
            }
            if (n < 0) {
                return sendFailed(length);
            }
        } finally {
            sending.unlock();
        }
        message.position(message.position() + n);
        return n;
    }

    /**
     * Receives one message into {@code buffer} without copying. libsrt writes into the segment, so it must be native
     * ({@code Arena.allocate}, or a direct buffer's) and writable; the checks are made before the message is taken
     * from libsrt, so a refused buffer loses nothing. Room beyond 2 GiB - 1 byte is not used.
     *
     * <p>When the peer closes, the messages this socket received in order and still holds for the latency are
     * delivered all the same, each when it is due (source time + latency), before receive reports the end: a blocking
     * receive waits for the next, a non-blocking one returns 0 until it is due (an {@link SrtEpoll} reports the socket
     * ready, ERR included, all the while: wait a few milliseconds between two tries). That lasts at most the latency
     * and a margin; a peer that was lost (killed, or the network failed) ends the connection only after the peer idle
     * timeout, when nothing is held any more, and receive reports it at once. libsrt 1.5.1 alone fails the receive
     * with "connection broken" at the peer's close and hands out only messages already due.
     *
     * <p>A blocking receive (RCVSYN, the default) does not use libsrt 1.5.1's blocking receive, which, waiting when the
     * peer closes, takes the first held message and reports the end instead, and at RCVTIMEO hands a held message out
     * before it is due. From the first blocking receive on a connected socket, libsrt's own RCVSYN is off and a
     * blocking receive waits in an epoll set of this socket's own (for a message due or the connection's end, for
     * RCVTIMEO at most), then receives without blocking; {@link #get get(RCVSYN)} still reads as set. libsrt wakes
     * that wait through its process-wide epoll event, one waiter at a time, the others looking again every 10 ms:
     * with several sockets receiving at once in one process, a message can come a few milliseconds after it is due.
     *
     * @return the message length, or 0 when the socket is non-blocking and nothing is ready (or RCVTIMEO expired)
     * @throws IllegalArgumentException when the segment is read-only or on the Java heap
     * @throws SrtException when the connection is lost or closed ({@link SrtException#isConnectionGone()}), and no
     *     message received before that is still to be delivered
     */
    public int receive(MemorySegment buffer) throws SrtException {
        Objects.requireNonNull(buffer, "buffer must not be null");
        if (buffer.isReadOnly()) {
            throw new IllegalArgumentException("receive needs a writable segment, but this one is read-only (" + buffer
                    + "): libsrt writes the message into it; pass a segment from Arena.allocate");
        }
        if (!buffer.isNative()) {
            checkNative(buffer, "receive", "buffer"); // throws, naming the problem
        }
        // Room beyond what one call takes is left unused; no slice, so the receive path allocates nothing.
        int length = (int) Math.min(buffer.byteSize(), Integer.MAX_VALUE);
        receiving.lock();
        try {
            return receiveLocked(buffer, length);
        } finally {
            receiving.unlock();
        }
    }

    /**
     * Receives one message into {@code buffer[offset..offset+length)}; see {@link #receive(MemorySegment)}.
     *
     * @throws IndexOutOfBoundsException when {@code offset} and {@code length} do not lie within {@code buffer}
     *     (checked before the message is taken from libsrt)
     */
    public int receive(byte[] buffer, int offset, int length) throws SrtException {
        Objects.requireNonNull(buffer, "buffer must not be null");
        Objects.checkFromIndexSize(offset, length, buffer.length);
        receiving.lock();
        try {
            MemorySegment scratch = recvScratch(length);
            int n = receiveLocked(scratch, length);
            MemorySegment.copy(scratch, JAVA_BYTE, 0, buffer, offset, n);
            return n;
        } finally {
            receiving.unlock();
        }
    }

    /**
     * Receives one message into the buffer's remaining space and advances its position; see
     * {@link #receive(MemorySegment)}. A direct buffer is filled in place; a heap buffer through the preallocated
     * native buffer.
     *
     * @throws ReadOnlyBufferException when the buffer is read-only (checked before the message is taken from libsrt)
     */
    public int receive(ByteBuffer buffer) throws SrtException {
        Objects.requireNonNull(buffer, "buffer must not be null");
        if (buffer.isReadOnly()) {
            throw new ReadOnlyBufferException();
        }
        int length = buffer.remaining();
        int n;
        receiving.lock();
        try {
            if (buffer.isDirect()) {
                n = receiveLocked(MemorySegment.ofBuffer(buffer), length);
            } else {
                MemorySegment scratch = recvScratch(length);
                n = receiveLocked(scratch, length);
                if (n > 0) {
                    MemorySegment.copy(scratch, 0, MemorySegment.ofBuffer(buffer), 0, n);
                }
            }
        } finally {
            receiving.unlock();
        }
        buffer.position(buffer.position() + n);
        return n;
    }

    /**
     * One message into {@code into}, {@code length} bytes of room, under the {@link #receiving} lock: see
     * {@link #receive(MemorySegment)}.
     */
    private int receiveLocked(MemorySegment into, int length) throws SrtException {
        if (receiveBlocking && !receivesThroughEpoll) {
            receiveThroughEpoll();
        }
        if (!receivesThroughEpoll || !receiveBlocking) {
            int n = LibSrt.recvmsg2(id, into, length, recvCtrl);
            return n >= 0 ? n : receiveFailed(length, () -> LibSrt.recvmsg2(id, into, length, recvCtrl));
        }
        int timeoutMs = receiveTimeoutMs;
        long deadline = timeoutMs < 0 ? 0 : System.nanoTime() + timeoutMs * 1_000_000L;
        while (true) {
            long waitMs = RECEIVE_WAIT_SLICE_MS;
            if (timeoutMs >= 0) {
                waitMs = Math.min(waitMs, Math.max(0, (deadline - System.nanoTime() + 999_999L) / 1_000_000L));
            }
            // Waited for first: a receive that finds nothing costs libsrt an exception and a wake-up of its delivery
            // thread, and took a third more CPU per message than the wait at 20 000 messages/s.
            receiveWaiting(waitMs);
            int n = LibSrt.recvmsg2(id, into, length, recvCtrl);
            if (n >= 0) {
                return n;
            }
            if (LibSrt.getlasterror(MemorySegment.NULL) != EASYNCRCV || closed.get()) {
                return receiveFailed(length, () -> LibSrt.recvmsg2(id, into, length, recvCtrl));
            }
            if (timeoutMs >= 0 && deadline - System.nanoTime() <= 0) {
                return 0; // RCVTIMEO expired, as libsrt's blocking receive reports it
            }
        }
    }

    /**
     * Switches libsrt's own RCVSYN off for good and makes the epoll set {@link #receiveWaiting} waits in, once the
     * socket is connected; left as it is before (libsrt's receive then fails at once: not connected) and when libsrt
     * refuses (the socket closed or broke: then no receive waits either).
     *
     * <p>Why: libsrt 1.5.1's blocking receive, waiting when the peer closes, lost a message. Its wait ends when the
     * connection breaks ({@code stillConnected()} false in {@code CUDT::receiveMessage}); it then reads the first
     * message it holds, due or not ({@code readMessage} does not look at the time), and since the connection is
     * broken returns "connection broken" instead of that message, which is gone from its buffer. A receive that does
     * not block goes another way in libsrt at a broken connection: it reads a message only once it is due, and
     * returns it. So a blocking receive here receives without blocking and waits between two tries in an epoll set
     * of this socket's own, for IN (a message due) or ERR (the connection broke), for RCVTIMEO at most.
     */
    private void receiveThroughEpoll() {
        if (closed.get() || state() != SrtSocketState.CONNECTED) {
            return;
        }
        SrtEpoll ready;
        try {
            ready = SrtEpoll.create(1);
        } catch (SrtException failed) {
            return;
        }
        try {
            ready.add(this, SrtEpoll.IN | SrtEpoll.ERR);
        } catch (SrtException gone) {
            ready.close();
            return;
        }
        synchronized (optionBuffer) {
            optionBuffer.fill((byte) 0);
            int len = SrtOption.RCVSYN.encode(false, optionBuffer);
            if (LibSrt.setsockflag(id, SrtOption.RCVSYN.id(), optionBuffer, len) < 0) {
                ready.close();
                return;
            }
        }
        receiveReady = ready;
        receivesThroughEpoll = true;
        if (closed.get()) {
            ready.close(); // close() may have looked before receiveReady was set
        }
    }

    /**
     * Waits up to {@code timeoutMs} for the socket to have a message due or to break. {@link #close()} releases the
     * epoll set, which ends the wait; the receive that follows reports the close.
     */
    private void receiveWaiting(long timeoutMs) throws SrtException {
        try {
            receiveReady.await(timeoutMs);
        } catch (SrtException e) {
            if (!closed.get()) {
                throw e;
            }
        }
    }

    /**
     * When the last message received was due for delivery, in microseconds on libsrt's clock ({@link Srt#now()}):
     * what libsrt 1.5.1 reports in {@code SRT_MSGCTRL.srctime} on receive, which is the sender's source time plus the
     * negotiated receive latency ({@link SrtStats#negotiatedReceiveLatencyMs()}, or the
     * {@link SrtOption#RCVLATENCY} option read after connecting) on the time base the receiver estimated at
     * the handshake, not the sender's source time itself. Read it on the receiving thread (with several receiving
     * threads, another's receive may have replaced it).
     */
    public long lastDeliveryTime() {
        return recvCtrl.get(JAVA_LONG, SRCTIME_OFFSET);
    }

    /** How many sockets this process has open (created or accepted, not yet closed). */
    static int openCount() {
        return OPEN.size();
    }

    /**
     * How many sockets the exit-time cleanup waits for: every open socket once a listen callback was installed (its
     * libsrt thread must end before the JVM does), else the listening ones (a thread may be accepting on them).
     */
    static int openAtExit() {
        if (!CALLBACKS_USED.get()) {
            return listening().size();
        }
        return OPEN.size();
    }

    /**
     * Closes, in libsrt, every listening socket still open: at exit, after the application had its time to close
     * them. It wakes a thread still accepting on one, which libsrt's own cleanup at process exit would otherwise wait
     * for in vain (it destroys the listener's condition variable with that thread still waiting on it). The Java
     * objects are left as they are; closing them later only repeats the close.
     */
    static void closeListenersLeftOpen() {
        for (int id : listening()) {
            LibSrt.close(id);
            OPEN.remove(id);
        }
    }

    private static List<Integer> listening() {
        return OPEN.stream().filter(id -> SrtSocketState.of(LibSrt.getsockstate(id)) == SrtSocketState.LISTENING)
                .toList();
    }

    /**
     * The socket's state. After {@link #close()} it is {@link SrtSocketState#CLOSED} until libsrt's garbage-collector
     * thread removes the socket, then {@link SrtSocketState#NONEXIST}.
     */
    public SrtSocketState state() {
        return SrtSocketState.of(LibSrt.getsockstate(id));
    }

    /** True once {@link #close()} has been called. */
    public boolean isClosed() {
        return closed.get();
    }

    /** The local address and port libsrt bound (useful after binding port 0). */
    public InetSocketAddress localAddress() throws SrtException {
        synchronized (addressBuffer) {
            addressLength.set(JAVA_INT, 0, SocketAddresses.STORAGE_SIZE);
            if (LibSrt.getsockname(id, addressBuffer, addressLength) < 0) {
                throw SrtException.last("reading the local address");
            }
            return SocketAddresses.read(addressBuffer);
        }
    }

    /**
     * The peer's address: the caller's for an accepted socket, the remote for a caller or rendezvous peer, once the
     * connection is established (and still after it broke, for reports). Null before that: on a listener, while a
     * non-blocking connect is in progress, and when it failed.
     */
    public InetSocketAddress peerAddress() {
        InetSocketAddress known = peer;
        if (known != null) {
            return known;
        }
        // Not srt_getpeername: libsrt 1.5.1 fills in the peer only for accepted sockets; for a caller it succeeds
        // with a zero-length address. The address dialled is the peer once libsrt reports the socket connected.
        InetSocketAddress dialled = remote;
        if (dialled == null || state() != SrtSocketState.CONNECTED) {
            return null;
        }
        peer = dialled;
        return dialled;
    }

    /**
     * Why the last connection attempt on this socket failed. A wrong passphrase is {@link
     * SrtRejectReason#WRONG_PASSPHRASE} also when the listener does not enforce encryption, where libsrt 1.5.1 itself
     * reports {@link SrtRejectReason#MISSING_PASSPHRASE}.
     */
    public SrtRejectReason rejectReason() {
        return SrtRejectReason.of(rejectCode());
    }

    /**
     * The reject code of the last connection attempt ({@code srt_getrejectreason}), with one correction: libsrt 1.5.1
     * reports a wrong passphrase to a listener without enforced encryption (this library's streamer, many gateways)
     * as {@code SRT_REJ_UNSECURE} (11, "only one side is encrypted") on the caller's side, though both sides have a
     * passphrase. The caller's key state tells the two apart: {@code BADSECRET} when the listener could not use its
     * key, {@code NOSECRET} or {@code UNSECURED} when one side really has none. The former is returned as
     * {@code SRT_REJ_BADSECRET} (10), as a listener with enforced encryption reports it. {@link
     * SrtRejectReason#describe(int)} says what a code means.
     */
    public int rejectCode() {
        int code = LibSrt.getrejectreason(id);
        if (code == SrtRejectReason.MISSING_PASSPHRASE.code() && keyStateIs(SrtKmState.BADSECRET)) {
            return SrtRejectReason.WRONG_PASSPHRASE.code();
        }
        return code;
    }

    /** Whether the key exchange state (SRTO_KMSTATE) is {@code state}; false when it cannot be read. */
    private boolean keyStateIs(SrtKmState state) {
        try {
            return get(SrtOption.KMSTATE) == state;
        } catch (SrtException closed) {
            return false;
        }
    }

    /** A statistics sample; the interval counters keep running. */
    public SrtStats stats() throws SrtException {
        return stats(false);
    }

    /**
     * A statistics sample, read into this socket's preallocated buffer: the only allocation is the record. Its packet
     * totals keep counting past 2^32, where libsrt's own return to 0 (or turn negative at 2^31), as long as this
     * socket's statistics are read at least once in every 2^32 packets: a read a day is plenty up to 49 700 packets a
     * second (about 520 Mbit/s of 1316-byte packets). See {@link SrtStats}.
     *
     * @param clearInterval start a new interval: the non-Total counters of the next sample count from now
     */
    public SrtStats stats(boolean clearInterval) throws SrtException {
        synchronized (statsBuffer) {
            if (LibSrt.bistats(id, statsBuffer, clearInterval ? 1 : 0, 1) < 0) {
                throw SrtException.last("reading statistics");
            }
            return SrtStats.read(statsBuffer, packetTotals);
        }
    }

    /**
     * Waits until the peer has taken everything this socket sent, so that {@link #close()} cuts none of it: until the
     * peer has acknowledged every packet (SNDDATA is 0) and then, where the peer delivers on time (live mode), the
     * negotiated latency ({@link SrtStats#negotiatedLatencyMs()}) has passed as well, counted from the latest source
     * time a message was sent with where that lies ahead. Call it before closing a sender whose last messages
     * matter.
     *
     * <p>Why: in live mode the peer holds each message for the latency before handing it to its application, and when
     * this side closes, libsrt 1.5.1 on the peer reports the connection broken at once: a receiver that stops at
     * that error drops whatever it still holds, acknowledged or not (this library's {@link #receive} delivers it; not
     * every receiver does). Twenty messages sent and closed at once, with LATENCY 120 on loopback, reached such a
     * receiving application none of them, also with LINGER on (it waits for the acknowledgements only); closed 150 ms
     * later, all twenty.
     *
     * @param timeout how long to wait at most
     * @return true once everything sent has been delivered; false when {@code timeout} ran out first, or the connection
     *     is no longer up (broken, or closed on another thread): then what is left may never be delivered
     * @throws InterruptedException when the waiting thread is interrupted (its interrupt status is cleared)
     */
    public boolean drain(Duration timeout) throws InterruptedException {
        Objects.requireNonNull(timeout, "timeout must not be null (how long to wait at most)");
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (get(SrtOption.SNDDATA) > 0) {
                if (state() != SrtSocketState.CONNECTED || System.nanoTime() - deadline >= 0) {
                    return false;
                }
                Thread.sleep(DRAIN_POLL_MS);
            }
            // Acknowledged means held by the peer, not yet delivered: a message is delivered at its source time +
            // latency, so up to the latency from now, or from the latest source time where one lies ahead (a paced
            // sender hands messages on before they are due, stamped with their due times).
            long latencyNanos = stats().negotiatedLatencyMs() * 1_000_000L;
            long aheadNanos = Math.max(0, latestSourceTime - Srt.now()) * 1_000L;
            long delivered = System.nanoTime() + aheadNanos + latencyNanos + DRAIN_MARGIN_NANOS;
            if (latencyNanos > 0) {
                if (delivered - deadline > 0) {
                    Thread.sleep(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
                    return false;
                }
                Thread.sleep(Duration.ofNanos(delivered - System.nanoTime()));
            }
            return state() == SrtSocketState.CONNECTED;
        } catch (SrtException gone) {
            return false; // closed or broken: libsrt no longer reports the send buffer or the latency
        }
    }

    /**
     * Closes the socket and wakes a thread blocked sending, receiving or accepting on it. Idempotent. A blocking
     * connect on another thread is not woken: this call waits until it has ended (see the class description).
     *
     * <p>With {@link SrtOption#LINGER} on (file mode's default: 180 s) and data left in the send buffer, libsrt first
     * waits, in this call, until that data is delivered or the linger time is up, and only then wakes a blocked
     * sender: against a peer that reads nothing, both wait the whole linger time. The linger cannot be switched off
     * while another thread is blocked sending (libsrt takes the sending lock to set any option). To be able to cut
     * a file-mode transfer at once, set LINGER to 0 before sending, or set SNDTIMEO so that a blocked send returns
     * 0 now and then and the sending thread can set LINGER to 0 itself before closing.
     *
     * <p>In live mode the peer drops what it still holds for the latency once this side closes, LINGER or not: to
     * have a sender's last messages delivered, {@link #drain(Duration)} before closing.
     */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            CALLBACKS.remove(id);
            SrtEpoll dialWait = connectWait;
            if (dialWait != null) {
                dialWait.close(); // ends a dial's wait at once
            }
            LibSrt.close(id);
            SrtEpoll receiveWait = receiveReady;
            if (receiveWait != null) {
                receiveWait.close(); // ends a blocking receive's wait
            }
            OPEN.remove(id);
        }
    }

    /**
     * {@code SrtSocket[ID]}, or {@code SrtSocket[ID peer 192.0.2.10:9000]}: the address as {@link AddressText}
     * writes it.
     */
    @Override
    public String toString() {
        InetSocketAddress shown = remote;
        return "SrtSocket[" + id + (shown == null ? "" : " peer " + AddressText.of(shown)) + "]";
    }

    /**
     * libsrt writes the message number and sequence it assigned back into the control block; left there, the next
     * send would ask for the same message number again (a group feature) and the receiver stalls on duplicates.
     */
    private void prepareSend(long sourceTime) {
        if (sourceTime > latestSourceTime) {
            latestSourceTime = sourceTime; // written under the sending lock only
        }
        sendCtrl.set(JAVA_LONG, SRCTIME_OFFSET, sourceTime);
        sendCtrl.set(JAVA_INT, PKTSEQ_OFFSET, -1);
        sendCtrl.set(JAVA_INT, MSGNO_OFFSET, -1);
    }

    /** {@code length}: the message's, for naming it when libsrt refuses it as too long. */
    private int sendFailed(int length) throws SrtException {
        int code = LibSrt.getlasterror(MemorySegment.NULL);
        if (code == EASYNCSND || code == ETIMEOUT) {
            return 0;
        }
        String explanation = null;
        int payload = code == MESSAGE_API ? payloadSize() : 0;
        if (payload > 0 && length > payload) {
            explanation = "a message of " + length + " bytes is longer than this socket's payload size, " + payload
                    + " bytes (SRTO_PAYLOADSIZE: 1316 by default in live mode, at most 1456, set before connecting;"
                    + " a live message travels in one packet): send at most " + payload + " bytes at a time";
        }
        throw failure("sending", code, explanation);
    }

    /**
     * A receive that failed: 0 for nothing ready (non-blocking, or RCVTIMEO expired), a message that {@code again}
     * received when the failure was the peer's close with messages still held (see {@link #receiveHeld}), or thrown.
     * {@code length}: the buffer's, for naming it when libsrt refuses it as too short.
     */
    private int receiveFailed(int length, IntSupplier again) throws SrtException {
        int code = LibSrt.getlasterror(MemorySegment.NULL);
        if (code == EASYNCRCV || code == ETIMEOUT) {
            return 0;
        }
        if (code == SrtException.CONNECTION_LOST) {
            int n = receiveHeld(again);
            if (n >= 0) {
                return n;
            }
        }
        String explanation = null;
        int payload = code == MESSAGE_API ? payloadSize() : 0;
        if (payload > 0 && length < payload) {
            explanation = "a buffer of " + length + " bytes is shorter than this socket's payload size, " + payload
                    + " bytes (SRTO_PAYLOADSIZE: 1316 by default in live mode): libsrt receives a live message only"
                    + " into a buffer that holds the largest one, whatever the length of the next; receive into "
                    + payload + " bytes or more (1500 bytes hold any live message)";
        }
        throw failure("receiving", code, explanation);
    }

    /**
     * After a receive failed with "connection broken": the next of the messages this socket still holds, received by
     * {@code again} once it is due (blocking), or 0 while one is held that is not due yet (non-blocking); -1 when none
     * is left, or the socket was closed here.
     *
     * <p>Why: when the peer closes, libsrt 1.5.1 marks the connection broken at once, and from then on a receive
     * returns a held message only if it is already due (its source time + latency, in live mode) and otherwise fails
     * with "connection broken" (2001) at once, without waiting: the last latency's worth of messages (500 ms of stream
     * with latency 500) is still there. The socket keeps them until they are read (libsrt's cleanup waits for them, up
     * to a minute). SRTO_RCVDATA counts the held messages that can be read in order; each becomes due within the
     * latency, so they are waited for while there are any, for at most the latency and a margin for clock drift from
     * the first such failure. A peer that was lost (killed, or the network failed) breaks the connection only after
     * the peer idle timeout, when everything it sent is long due and read: nothing is held and this returns at once.
     */
    private int receiveHeld(IntSupplier again) {
        try {
            if (closed.get() || get(SrtOption.RCVDATA) == 0) {
                return -1;
            }
            if (heldUntil == 0) {
                heldUntil = System.nanoTime() + get(SrtOption.RCVLATENCY) * 1_000_000L + TAIL_MARGIN_NANOS;
                heldUntil |= 1; // never 0
            }
            if (!get(SrtOption.RCVSYN)) {
                return System.nanoTime() - heldUntil < 0 ? 0 : -1;
            }
            while (System.nanoTime() - heldUntil < 0) {
                Thread.sleep(TAIL_POLL_MS);
                int n = again.getAsInt();
                if (n >= 0) {
                    return n;
                }
                if (closed.get() || LibSrt.getlasterror(MemorySegment.NULL) != SrtException.CONNECTION_LOST
                        || get(SrtOption.RCVDATA) == 0) {
                    return -1;
                }
            }
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt(); // kept for the caller; what is held is given up
        } catch (SrtException gone) {
            // libsrt has let the socket go
        }
        return -1;
    }

    /** The payload size, for a message: 0 when it cannot be read (a closed socket). */
    private int payloadSize() {
        try {
            return get(SrtOption.PAYLOADSIZE);
        } catch (SrtException e) {
            return 0;
        }
    }

    /**
     * A failed send or receive: libsrt's text, after {@code explanation} when there is one. libsrt reports a send or
     * receive ended by this side's close() as a broken connection (or an invalid socket), like the peer's leaving.
     */
    private SrtException failure(String action, int code, String explanation) {
        String text = SrtException.text(code);
        if (closed.get()) {
            explanation = "the socket was closed by this application (close() was called)";
        }
        return new SrtException(action + " on " + this + ": " + (explanation == null ? text
                : explanation + " [" + text + "]"), code, text, -1);
    }

    /**
     * The length to hand libsrt for {@code segment}, after checking what the linker and the int length would otherwise
     * turn into a generic error or a silently shortened message.
     */
    private static int checkNative(MemorySegment segment, String action, String what) {
        if (!segment.isNative()) {
            throw new IllegalArgumentException(action + " needs a native segment (Arena.allocate) or a direct buffer, "
                    + "but this " + what + " is on the Java heap (" + segment + "): use a byte[] or heap ByteBuffer "
                    + "overload, which copies, or allocate the " + what + " natively");
        }
        if (segment.byteSize() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(action + ": a " + what + " of " + segment.byteSize() + " bytes is "
                    + "larger than libsrt takes in one call (at most " + Integer.MAX_VALUE + " bytes): send it in "
                    + "slices");
        }
        return (int) segment.byteSize();
    }

    private MemorySegment sendScratch(int length) {
        if (sendScratch.byteSize() < length) {
            sendScratch = arena.allocate(length, 8);
        }
        return sendScratch;
    }

    private MemorySegment recvScratch(int length) {
        if (recvScratch.byteSize() < length) {
            recvScratch = arena.allocate(length, 8);
        }
        return recvScratch;
    }

    private void checkRestriction(SrtOption<?> option) {
        SrtSocketState state = state();
        if (closed.get() || state.compareTo(SrtSocketState.BROKEN) >= 0) {
            throw new IllegalStateException("cannot set " + option + ": the socket is " + state
                    + "; set options on a new socket");
        }
        switch (option.restriction()) {
            case PRE_BIND -> {
                if (state != SrtSocketState.INIT) {
                    throw new IllegalStateException(option + " must be set before the socket is bound (before bind, "
                            + "connect or rendezvous), but this socket is already " + state
                            + ": set it earlier, on a new socket");
                }
            }
            case PRE -> {
                if (state != SrtSocketState.INIT && state != SrtSocketState.OPENED) {
                    throw new IllegalStateException(option + " must be set before connecting or listening, but this "
                            + "socket is already " + state + ": set it before connect(), or on the listener before "
                            + "listen() (accepted sockets inherit it)");
                }
            }
            default -> { }
        }
    }

    private String describeLocal() {
        try {
            return AddressText.of(localAddress());
        } catch (SrtException e) {
            return toString();
        }
    }

    private static synchronized MemorySegment listenStub() {
        if (listenStub == null) {
            try {
                var handle = MethodHandles.lookup().findStatic(SrtSocket.class, "onCaller", MethodType.methodType(
                        int.class, MemorySegment.class, int.class, int.class, MemorySegment.class, MemorySegment.class));
                // Global: libsrt may call back until the listener is closed; the stub must outlive every listener.
                listenStub = NativeLibrary.linker().upcallStub(handle,
                        FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS), Arena.global());
            } catch (ReflectiveOperationException e) {
                throw new AssertionError(e);
            }
        }
        return listenStub;
    }

    /** Runs on libsrt's receiving thread: nothing may escape, or the JVM dies. Returns 0 to accept, -1 to reject. */
    @SuppressWarnings("unused")
    private static int onCaller(MemorySegment opaque, int newSocket, int hsVersion, MemorySegment peerAddress,
            MemorySegment streamId) {
        try {
            SrtListenCallback callback = CALLBACKS.get((int) opaque.address());
            // libsrt always gives the caller's address: without one there would be no caller to admit
            if (callback == null || peerAddress.equals(MemorySegment.NULL)) {
                return -1;
            }
            InetSocketAddress address = SocketAddresses.read(peerAddress.reinterpret(SocketAddresses.STORAGE_SIZE));
            String sid = streamId.equals(MemorySegment.NULL) ? "" : streamId.reinterpret(513).getString(0);
            SrtAdmission admission = callback.admit(new SrtCaller(address, sid, hsVersion, newSocket));
            if (admission != null && admission.accepted()) {
                return 0;
            }
            LibSrt.setrejectreason(newSocket, admission == null ? SrtAdmission.FORBIDDEN : admission.rejectCode());
            return -1;
        } catch (Throwable t) {
            try {
                LibSrt.setrejectreason(newSocket, SrtAdmission.UNAVAILABLE);
                LOG.log(System.Logger.Level.WARNING, "listen callback failed; caller rejected", t);
            } catch (Throwable ignored) {
                // Nothing may leave an upcall.
            }
            return -1;
        }
    }
}
