package io.mcrsrt.srt;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A libsrt epoll set: waits on many non-blocking SRT sockets from one thread. {@link #await(long)} fills a
 * preallocated event array read with {@link #socketId(int)} and {@link #events(int)}, so waiting allocates nothing.
 *
 * <p>Thread safety: add, update and remove may be called from any thread; one thread at a time may wait and read the
 * events. {@link #close()} is idempotent.
 */
public final class SrtEpoll implements AutoCloseable {

    /** Ready to receive, or a caller waiting to be accepted. */
    public static final int IN = 0x1;
    /** Ready to send, or a non-blocking connect completed. */
    public static final int OUT = 0x4;
    /** Broken, or a non-blocking connect failed (check ERR before OUT: a failed connect reports both). */
    public static final int ERR = 0x8;
    /** Edge-triggered: report each readiness once. */
    public static final int ET = 1 << 31;

    /** The flags {@link #add} and {@link #update} take. */
    private static final int EVENTS = IN | OUT | ERR | ET;

    private static final int ENABLE_EMPTY = 1;
    /** Epoll sets of this process not released yet. */
    private static final AtomicInteger OPEN = new AtomicInteger();

    private final int eid;
    private final int capacity;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Arena arena = Arena.ofAuto();
    private final MemorySegment eventArray;
    private final MemorySegment flags = arena.allocate(JAVA_INT);
    /** How many entries the last wait filled; written and read by the one waiting thread. */
    private int ready;

    private SrtEpoll(int eid, int capacity) {
        this.eid = eid;
        this.capacity = capacity;
        this.eventArray = arena.allocate(8L * capacity, 4);
        OPEN.incrementAndGet();
    }

    /**
     * A new epoll set reporting up to {@code capacity} ready sockets per wait. Waiting on an empty set returns 0 after
     * the timeout instead of failing.
     */
    public static SrtEpoll create(int capacity) throws SrtException {
        if (capacity < 1) {
            throw new IllegalArgumentException("epoll capacity " + capacity + " is too small (expected: >= 1)");
        }
        Srt.ensureLoaded();
        int eid = LibSrt.epollCreate();
        if (eid < 0) {
            throw SrtException.last("creating an SRT epoll set");
        }
        if (LibSrt.epollSet(eid, ENABLE_EMPTY) < 0) {
            SrtException e = SrtException.last("allowing an empty SRT epoll set");
            LibSrt.epollRelease(eid);
            throw e;
        }
        return new SrtEpoll(eid, capacity);
    }

    /**
     * Watches {@code socket} for {@code events} (a combination of IN, OUT, ERR, ET).
     *
     * @throws IllegalArgumentException when {@code events} holds any other bit, naming it
     */
    public SrtEpoll add(SrtSocket socket, int events) throws SrtException {
        Objects.requireNonNull(socket, "socket must not be null");
        if ((events & ~EVENTS) != 0) {
            throw badEvents(events, "adding " + socket + " to epoll");
        }
        synchronized (flags) {
            flags.set(JAVA_INT, 0, events);
            if (LibSrt.epollAddUsock(eid, socket.id(), flags) < 0) {
                throw SrtException.last("adding " + socket + " to epoll");
            }
        }
        return this;
    }

    /**
     * Changes the events watched on {@code socket} (a combination of IN, OUT, ERR, ET).
     *
     * @throws IllegalArgumentException when {@code events} holds any other bit, naming it
     */
    public SrtEpoll update(SrtSocket socket, int events) throws SrtException {
        Objects.requireNonNull(socket, "socket must not be null");
        if ((events & ~EVENTS) != 0) {
            throw badEvents(events, "updating " + socket + " in epoll");
        }
        synchronized (flags) {
            flags.set(JAVA_INT, 0, events);
            if (LibSrt.epollUpdateUsock(eid, socket.id(), flags) < 0) {
                throw SrtException.last("updating " + socket + " in epoll");
            }
        }
        return this;
    }

    /**
     * Refused here because libsrt 1.5.1 takes any bits without a word and never reports those it does not know: a
     * wrong constant (a Linux epoll flag, a shifted value) left the socket unwatched for what was meant.
     */
    private static IllegalArgumentException badEvents(int events, String action) {
        return new IllegalArgumentException(action + ": events 0x" + Integer.toHexString(events) + " hold bits 0x"
                + Integer.toHexString(events & ~EVENTS) + " that are no SRT epoll event (expected: a combination of"
                + " SrtEpoll.IN 0x1, OUT 0x4, ERR 0x8 and ET 0x80000000)");
    }

    /** Stops watching {@code socket}; a socket that is already closed is ignored. */
    public SrtEpoll remove(SrtSocket socket) {
        Objects.requireNonNull(socket, "socket must not be null");
        LibSrt.epollRemoveUsock(eid, socket.id());
        return this;
    }

    /**
     * Waits up to {@code timeoutMillis} (-1 forever, 0 poll) for ready sockets. {@link #close()} from another thread
     * ends the wait with an {@link SrtException} saying the set is closed.
     *
     * @return how many entries {@link #socketId(int)}/{@link #events(int)} hold (0 on timeout), at most the capacity
     */
    public int await(long timeoutMillis) throws SrtException {
        ready = 0;
        int n = LibSrt.epollUwait(eid, eventArray, capacity, timeoutMillis);
        if (n < 0) {
            // Read closed after the error: a close() on another thread is what ends a wait with "invalid epoll ID".
            SrtException e = SrtException.last("waiting on epoll");
            if (closed.get()) {
                throw new SrtException("waiting on epoll: the epoll set is closed (close() was called; create a new "
                        + "one to wait again)", e.code(), e.libsrtText(), -1);
            }
            throw e;
        }
        ready = Math.min(n, capacity);
        return ready;
    }

    /**
     * The socket id of ready entry {@code i} of the last wait; compare with {@link SrtSocket#id()}.
     *
     * @throws IndexOutOfBoundsException unless {@code 0 <= i <} what the last {@link #await} returned
     */
    public int socketId(int i) {
        return eventArray.getAtIndex(JAVA_INT, 2L * checkEntry(i));
    }

    /**
     * The events of ready entry {@code i} of the last wait.
     *
     * @throws IndexOutOfBoundsException unless {@code 0 <= i <} what the last {@link #await} returned
     */
    public int events(int i) {
        return eventArray.getAtIndex(JAVA_INT, 2L * checkEntry(i) + 1);
    }

    /** An entry past the last wait's count would be one left from an earlier wait, a socket that is not ready. */
    private int checkEntry(int i) {
        if (i < 0 || i >= ready) {
            throw new IndexOutOfBoundsException("epoll entry " + i + " does not exist " + (ready == 0
                    ? "(the last await() returned no ready socket)"
                    : "(expected: 0 to " + (ready - 1) + ", the " + ready + " ready socket" + (ready == 1 ? "" : "s")
                            + " the last await() returned)"));
        }
        return i;
    }

    /** Releases the epoll set. Idempotent. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            LibSrt.epollRelease(eid);
            OPEN.decrementAndGet();
        }
    }

    /** How many epoll sets this process has created and not released. */
    static int openCount() {
        return OPEN.get();
    }
}
