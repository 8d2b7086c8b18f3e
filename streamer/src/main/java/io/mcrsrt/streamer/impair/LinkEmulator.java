package io.mcrsrt.streamer.impair;

import io.mcrsrt.srt.AddressText;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.DelayQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import io.mcrsrt.streamer.system.StoppingThreads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bidirectional UDP relay that emulates a WAN path: random and burst loss, delay, jitter, reordering and a rate
 * limit, separately for each direction. Clients (SRT callers, say) send to {@link #listenPort()}; the emulator
 * relays each client's datagrams to the target from a socket of that client's own, as a NAT does, and the target's
 * answers on it go back to that client: several callers (a listener's, or network tests side by side) share the
 * emulated path without taking each other's answers. A client silent for {@link #IDLE_CLIENT_NANOS} in both
 * directions is forgotten and its socket closed. Every client's traffic shares one path per direction: the losses,
 * delay, reordering and the bottleneck apply to all of it together, as on a real WAN link.
 *
 * <p>Two platform threads: {@code impair-PORT-receive} reads every socket and decides each datagram's fate (it owns
 * the random generators, the burst state, the bottleneck clocks and the clients' sockets), {@code impair-PORT-send}
 * sends datagrams from one delay queue when they are due. A datagram due at once with nothing queued is sent by the
 * receive thread itself.
 * Counters are atomic, written by those two threads and read from anywhere. {@link #close()}
 * is idempotent and waits a bounded time for both threads.
 */
public final class LinkEmulator implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LinkEmulator.class);
    private static final int SOCKET_BUFFER_BYTES = 8 << 20;
    private static final long STOP_WAIT_MILLIS = 2000;
    /** Pooled buffer size: every SRT or TS-over-UDP datagram fits; larger ones get a buffer of their own. */
    private static final int POOLED_SIZE = 2048;
    /** Up to 8 MB of pooled buffers: one second of a 64 Mbit/s path's delay queue. */
    private static final int FREE_BUFFERS = 4096;

    /** A client silent this long in both directions is forgotten, its socket toward the target closed. */
    static final long IDLE_CLIENT_NANOS = 60_000_000_000L;
    /** Clients relayed at once at most: each holds a socket; datagrams from further ones are dropped and counted. */
    static final int MAX_CLIENTS = 256;

    private final InetSocketAddress target;
    private final DatagramChannel front;
    private final Selector selector;
    /** The clients heard from and their sockets toward the target; the receive thread's alone. */
    private final Map<InetSocketAddress, Client> clients = new HashMap<>();
    private long lastIdleCheck = System.nanoTime();
    /** Whether the cap on clients has been logged since a client was last forgotten. */
    private boolean capWarned;
    private final Direction toTarget;
    private final Direction toClient;
    private final DelayQueue<Scheduled> queue = new DelayQueue<>();
    /**
     * Buffers of sent datagrams, reused: without them a few Mbit/s of relayed traffic fills the young generation in
     * seconds, and a collection paused on a busy machine stalls the emulated path for every stream through it.
     */
    private final ArrayBlockingQueue<byte[]> free = new ArrayBlockingQueue<>(FREE_BUFFERS);
    /** Datagrams queued or being sent by the send thread; only the receive thread raises it. */
    private final AtomicInteger pending = new AtomicInteger();
    private final Thread receiver;
    private final Thread sender;
    private final int listenPort;
    /** Whether clients of both families reach {@link #listenPort}: a wildcard bind on a dual-stack socket. */
    private final boolean dualStack;
    private static final int UDP_HEADER_BYTES = 8;
    private static final int IPV4_HEADER_BYTES = 20;
    private static final int IPV6_HEADER_BYTES = 40;
    private volatile boolean running = true;
    /** The client last heard from; written only by the receive thread. */
    private volatile InetSocketAddress client;
    /** How many clients are relayed now; written only by the receive thread. */
    private volatile int clientCount;
    private long sequence;

    private LinkEmulator(InetSocketAddress listen, InetSocketAddress target, Impairment toTargetImpairment,
            Impairment toClientImpairment, long seed) throws IOException {
        this.target = target;
        DatagramChannel f = null;
        Selector s = null;
        try {
            // an IPv4 address, 0.0.0.0 included, takes IPv4 clients only, as srt-live-transmit's and send's do;
            // the IPv6 wildcard :: takes both families (a dual-stack socket)
            f = listen.getAddress() instanceof java.net.Inet4Address
                    ? DatagramChannel.open(java.net.StandardProtocolFamily.INET)
                    : DatagramChannel.open();
            f.setOption(StandardSocketOptions.SO_RCVBUF, SOCKET_BUFFER_BYTES);
            f.setOption(StandardSocketOptions.SO_SNDBUF, SOCKET_BUFFER_BYTES);
            f.bind(listen);
            f.configureBlocking(false);
            s = Selector.open();
            f.register(s, SelectionKey.OP_READ);
        } catch (IOException | RuntimeException e) {
            closeQuietly(s);
            closeQuietly(f);
            throw e;
        }
        this.front = f;
        this.selector = s;
        InetSocketAddress bound = (InetSocketAddress) f.getLocalAddress();
        this.listenPort = bound.getPort();
        this.dualStack = bound.getAddress() instanceof java.net.Inet6Address && bound.getAddress().isAnyLocalAddress();
        this.toTarget = new Direction(toTargetImpairment, new SplittableRandom(seed));
        this.toClient = new Direction(toClientImpairment, new SplittableRandom(seed * 31 + 7));
        this.receiver = Thread.ofPlatform().name("impair-" + listenPort + "-receive").daemon().unstarted(this::receive);
        this.sender = Thread.ofPlatform().name("impair-" + listenPort + "-send").daemon().unstarted(this::send);
    }

    /**
     * Starts relaying.
     *
     * @param listen where clients send to; port 0 picks a free port (see {@link #listenPort()}); 0.0.0.0 takes IPv4
     *     clients only, :: both families where the machine has IPv6
     * @param target where datagrams are relayed to
     * @param toTarget what happens to datagrams from the client to the target
     * @param toClient what happens to datagrams from the target back to the client
     */
    public static LinkEmulator start(InetSocketAddress listen, InetSocketAddress target, Impairment toTarget,
            Impairment toClient) throws IOException {
        return start(listen, target, toTarget, toClient, System.nanoTime());
    }

    /** As {@link #start(InetSocketAddress, InetSocketAddress, Impairment, Impairment)}, with a fixed random seed. */
    public static LinkEmulator start(InetSocketAddress listen, InetSocketAddress target, Impairment toTarget,
            Impairment toClient, long seed) throws IOException {
        if (target.isUnresolved()) {
            throw new IOException("target host " + target.getHostString() + " cannot be resolved; give an IP address"
                    + " or a name this machine can resolve");
        }
        LinkEmulator e = new LinkEmulator(listen, target, toTarget, toClient, seed);
        e.receiver.start();
        e.sender.start();
        log.info("Link emulator on UDP port {} relaying to {}: to target {}, to client {}", e.listenPort,
                AddressText.of(target),
                toTarget, toClient);
        return e;
    }

    /** The UDP port clients send to. */
    public int listenPort() {
        return listenPort;
    }

    /** Whether IPv4 and IPv6 clients both reach {@link #listenPort()}: a wildcard bind on a dual-stack socket. */
    public boolean dualStack() {
        return dualStack;
    }

    public InetSocketAddress target() {
        return target;
    }

    /** The client last heard from, or null before its first datagram. */
    public InetSocketAddress client() {
        return client;
    }

    /** How many clients the emulator relays now (each from a socket of its own toward the target). */
    public int clientCount() {
        return clientCount;
    }

    /** What was done to datagrams from the client to the target. */
    public DirectionCounters toTargetCounters() {
        return toTarget.snapshot();
    }

    /** What was done to datagrams from the target to the client. */
    public DirectionCounters toClientCounters() {
        return toClient.snapshot();
    }

    @Override
    public void close() {
        if (!running) {
            return;
        }
        running = false;
        selector.wakeup();
        sender.interrupt();
        join(receiver);
        join(sender);
        closeQuietly(selector);
        closeQuietly(front);
        for (Client c : clients.values()) {
            closeQuietly(c.toTarget);
        }
        // What was still waiting out its delay never arrives: counted, so that received = forwarded + dropped.
        for (Scheduled s : queue) {
            s.direction.droppedOther.incrementAndGet();
        }
        queue.clear();
        log.info("Link emulator on UDP port {} stopped; to target: {}; to client: {}", listenPort, toTargetCounters(),
                toClientCounters());
    }

    private void receive() {
        ByteBuffer buf = ByteBuffer.allocateDirect(65536);
        try {
            while (running) {
                selector.select(200);
                for (SelectionKey key : selector.selectedKeys()) {
                    drain((DatagramChannel) key.channel(), (Client) key.attachment(), buf);
                }
                selector.selectedKeys().clear();
                forgetIdleClients();
            }
        } catch (IOException | RuntimeException e) {
            if (running) {
                log.error("Link emulator on UDP port {} stopped receiving: {}", listenPort, e.toString());
            }
        }
    }

    /**
     * Reads what waits on one socket: the front socket's datagrams come from clients ({@code from} null), a client's
     * own socket's from the target.
     */
    private void drain(DatagramChannel channel, Client from, ByteBuffer buf) {
        while (running) {
            buf.clear();
            SocketAddress origin;
            try {
                origin = channel.receive(buf);
            } catch (IOException e) {
                // An ICMP "port unreachable" surfaces here, on the socket that sent the refused datagram: a client's
                // socket for a datagram on its way to the target, the front socket for one on its way back to a
                // client. The relay carries on.
                (from != null ? toTarget : toClient).droppedOther.incrementAndGet();
                return;
            }
            if (origin == null) {
                return;
            }
            buf.flip();
            long now = System.nanoTime();
            if (from == null) {
                Client c = clientFor((InetSocketAddress) origin, now);
                if (c == null) {
                    toTarget.received.incrementAndGet();
                    toTarget.droppedOther.incrementAndGet();
                } else {
                    c.lastHeard = now;
                    admit(toTarget, buf, c.toTarget, null);
                }
            } else {
                from.lastHeard = now;
                admit(toClient, buf, front, from.address);
            }
        }
    }

    /** The client {@code address} is, its socket toward the target opened at its first datagram; null over the cap. */
    private Client clientFor(InetSocketAddress address, long now) {
        Client c = clients.get(address);
        if (c != null) {
            return c;
        }
        if (clients.size() >= MAX_CLIENTS) {
            if (!capWarned) {
                capWarned = true;
                log.warn("Link emulator on UDP port {}: {} clients already; datagrams from {} and further clients are"
                        + " dropped until one has been silent for {} s", listenPort, MAX_CLIENTS,
                        AddressText.of(address),
                        IDLE_CLIENT_NANOS / 1_000_000_000L);
            }
            return null;
        }
        DatagramChannel b = null;
        try {
            b = DatagramChannel.open();
            b.setOption(StandardSocketOptions.SO_RCVBUF, SOCKET_BUFFER_BYTES);
            b.setOption(StandardSocketOptions.SO_SNDBUF, SOCKET_BUFFER_BYTES);
            b.bind(new InetSocketAddress(target.getAddress().isLoopbackAddress() ? target.getAddress() : null, 0));
            b.connect(target);
            b.configureBlocking(false);
            c = new Client(address, b, now);
            b.register(selector, SelectionKey.OP_READ, c);
        } catch (IOException e) {
            closeQuietly(b);
            log.warn("Link emulator on UDP port {}: cannot open a socket toward {} for client {}: {}", listenPort,
                    AddressText.of(target), AddressText.of(address), e.toString());
            return null;
        }
        clients.put(address, c);
        client = address;
        clientCount = clients.size();
        log.info("Link emulator on UDP port {}: new client {} ({} in all)", listenPort, AddressText.of(address),
                clients.size());
        return c;
    }

    /** Closes the sockets of clients silent in both directions for {@link #IDLE_CLIENT_NANOS}; about once a second. */
    private void forgetIdleClients() {
        long now = System.nanoTime();
        if (now - lastIdleCheck < 1_000_000_000L) {
            return;
        }
        lastIdleCheck = now;
        clients.values().removeIf(c -> {
            if (now - c.lastHeard < IDLE_CLIENT_NANOS) {
                return false;
            }
            closeQuietly(c.toTarget);
            log.info("Link emulator on UDP port {}: client {} silent for {} s, forgotten", listenPort,
                    AddressText.of(c.address),
                    IDLE_CLIENT_NANOS / 1_000_000_000L);
            capWarned = false;
            return true;
        });
        clientCount = clients.size();
    }

    /** Bytes a datagram of {@code payload} bytes takes on a link to {@code to}: a link's rate counts the UDP and IP headers too. */
    static int wireBytes(int payload, java.net.InetAddress to) {
        return payload + UDP_HEADER_BYTES + (to instanceof java.net.Inet6Address ? IPV6_HEADER_BYTES : IPV4_HEADER_BYTES);
    }

    /**
     * Decides one datagram's fate; runs on the receive thread, which owns the direction's state. It leaves on {@code
     * out}, to {@code dest} (null: the socket is connected to where it goes).
     */
    private void admit(Direction d, ByteBuffer datagram, DatagramChannel out, InetSocketAddress dest) {
        d.received.incrementAndGet();
        Impairment imp = d.impairment;
        if (d.burstRemaining > 0) {
            d.burstRemaining--;
            d.lostBurst.incrementAndGet();
            return;
        }
        if (d.lossProbability > 0 && d.random.nextDouble() < d.lossProbability) {
            if (imp.burstLength() == 1) {
                d.lostRandom.incrementAndGet();
            } else {
                d.lostBurst.incrementAndGet();
                d.burstRemaining = imp.burstLength() - 1;
            }
            return;
        }
        long now = System.nanoTime();
        long base = now;
        if (imp.rateMbps() > 0) {
            long start = Math.max(now, d.linkFreeAt);
            int onWire = wireBytes(datagram.remaining(), (dest != null ? dest : target).getAddress());
            long finish = start + (long) (onWire * 8 * 1000 / imp.rateMbps());
            if (finish - now > d.queueNanos) {
                d.droppedQueue.incrementAndGet();
                return;
            }
            d.linkFreeAt = finish;
            base = finish;
        }
        long due = base + d.delayNanos;
        if (d.jitterNanos > 0) {
            due = Math.max(base, due + d.random.nextLong(-d.jitterNanos, d.jitterNanos + 1));
        }
        if (d.reorderProbability > 0 && d.random.nextDouble() < d.reorderProbability) {
            due = Math.max(due, d.lastDue) + d.reorderHoldNanos;
            d.reordered.incrementAndGet();
        } else {
            due = Math.max(due, d.lastDue);
            d.lastDue = due;
        }
        if (due <= now && pending.get() == 0) {
            // Nothing is waiting, so sending right here keeps the order and spares the send thread a wake-up.
            forward(d, datagram, out, dest);
            return;
        }
        int length = datagram.remaining();
        byte[] copy = length <= POOLED_SIZE ? takeBuffer() : new byte[length];
        datagram.get(copy, 0, length);
        pending.incrementAndGet();
        queue.add(new Scheduled(copy, length, due, sequence++, d, out, dest));
    }

    private void send() {
        while (running) {
            Scheduled s;
            try {
                s = queue.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            long late = System.nanoTime() - s.due;
            if (late > s.direction.maxLateNanos.get()) {
                s.direction.maxLateNanos.set(late);
            }
            forward(s.direction, ByteBuffer.wrap(s.data, 0, s.length), s.out, s.dest);
            if (s.data.length == POOLED_SIZE) {
                free.offer(s.data);
            }
            pending.decrementAndGet();
        }
    }

    /**
     * Sends one datagram on; the channels are safe to use from both threads. A client's socket closed as idle while
     * its datagram waited out its delay drops it, counted.
     */
    private void forward(Direction d, ByteBuffer datagram, DatagramChannel out, InetSocketAddress dest) {
        try {
            int n = dest == null ? out.write(datagram) : out.send(datagram, dest);
            if (n == 0) {
                d.droppedOther.incrementAndGet();
            } else {
                d.forwarded.incrementAndGet();
                d.bytesForwarded.addAndGet(n);
            }
        } catch (IOException e) {
            if (running) {
                d.droppedOther.incrementAndGet();
            }
        }
    }

    private void join(Thread t) {
        StoppingThreads.join(t, STOP_WAIT_MILLIS, log);
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            log.debug("close failed", e);
        }
    }

    /** One direction's impairment state (receive thread only) and its counters. */
    private static final class Direction {
        final Impairment impairment;
        final SplittableRandom random;
        final double lossProbability;
        final double reorderProbability;
        final long delayNanos;
        final long jitterNanos;
        final long queueNanos;
        final long reorderHoldNanos = (long) (Impairment.REORDER_HOLD_MS * 1e6);
        int burstRemaining;
        /** When the bottleneck finishes sending what is already queued. */
        long linkFreeAt = Long.MIN_VALUE / 2;
        /** Due time of the latest in-order datagram: later ones never leave before it. */
        long lastDue = Long.MIN_VALUE / 2;
        final AtomicLong received = new AtomicLong();
        final AtomicLong forwarded = new AtomicLong();
        final AtomicLong lostRandom = new AtomicLong();
        final AtomicLong lostBurst = new AtomicLong();
        final AtomicLong droppedQueue = new AtomicLong();
        final AtomicLong reordered = new AtomicLong();
        final AtomicLong droppedOther = new AtomicLong();
        final AtomicLong bytesForwarded = new AtomicLong();
        /** How much later than due the send thread sent a datagram, at worst: the emulation's own error. */
        final AtomicLong maxLateNanos = new AtomicLong();

        Direction(Impairment impairment, SplittableRandom random) {
            this.impairment = impairment;
            this.random = random;
            this.lossProbability = impairment.lossEventProbability();
            this.reorderProbability = impairment.reorderPercent() / 100;
            this.delayNanos = (long) (impairment.delayMs() * 1e6);
            this.jitterNanos = (long) (impairment.jitterMs() * 1e6);
            this.queueNanos = (long) (impairment.queueMs() * 1e6);
        }

        DirectionCounters snapshot() {
            return new DirectionCounters(received.get(), forwarded.get(), lostRandom.get(), lostBurst.get(),
                    droppedQueue.get(), reordered.get(), droppedOther.get(), bytesForwarded.get(),
                    maxLateNanos.get() / 1e6);
        }
    }

    private byte[] takeBuffer() {
        byte[] b = free.poll();
        return b != null ? b : new byte[POOLED_SIZE];
    }

    /** One client: its address, its own socket toward the target, when it or the target was last heard on it. */
    private static final class Client {
        final InetSocketAddress address;
        final DatagramChannel toTarget;
        long lastHeard;

        Client(InetSocketAddress address, DatagramChannel toTarget, long now) {
            this.address = address;
            this.toTarget = toTarget;
            this.lastHeard = now;
        }
    }

    private record Scheduled(byte[] data, int length, long due, long seq, Direction direction, DatagramChannel out,
            InetSocketAddress dest) implements Delayed {
        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(due - System.nanoTime(), TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed o) {
            Scheduled other = (Scheduled) o;
            int c = Long.compare(due, other.due);
            return c != 0 ? c : Long.compare(seq, other.seq);
        }
    }
}
