package io.mcrsrt.streamer.engine.output;

import io.mcrsrt.srt.AddressText;
import io.mcrsrt.srt.SrtException;
import io.mcrsrt.srt.SrtRejectReason;
import io.mcrsrt.srt.SrtSocket;
import io.mcrsrt.streamer.stream.FailureText;
import io.mcrsrt.streamer.stream.LinkStats;
import io.mcrsrt.streamer.stream.PeerView;
import io.mcrsrt.streamer.stream.StreamConfig;
import io.mcrsrt.streamer.stream.StreamStatus;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A caller output: keeps one link to the target listener up for as long as the stream exists. A connect thread
 * ({@code stream-<key>-connect}) dials with backoff (1 s doubling to 10 s) while the peer is absent or refuses, and
 * again after a break; while the interface or address it sends from is not there, it looks for it every second. The
 * owner thread sends and notices breaks.
 */
final class CallerOutput implements Output {
    private static final Logger LOG = LoggerFactory.getLogger(CallerOutput.class);
    static final long FIRST_BACKOFF_MILLIS = 1000;
    static final long MAX_BACKOFF_MILLIS = 10_000;

    /** What one connection attempt gave, handed from the connect thread to the owner. */
    private sealed interface Attempt {
    }

    private record Connected(SrtSocket socket) implements Attempt {
    }

    /**
     * @param waitsForInterface the interface or address to send from is not there: looked for again after the first
     *                          backoff, not a growing one, as nothing is sent meanwhile
     * @param unanswered        no listener answered at that address (no reply, no route, nothing to send from): the
     *                          target's next address, if it has one, is worth a try
     */
    private record Failed(StreamStatus status, String detail, boolean waitsForInterface, boolean unanswered)
            implements Attempt {
        Failed(StreamStatus status, String detail) {
            this(status, detail, false, false);
        }
    }

    private final StreamConfig config;
    private final EventSink events;
    private final Thread connectThread;
    private final LinkedBlockingQueue<Attempt> attempts = new LinkedBlockingQueue<>();
    /** Released by the owner when the link is gone and the connect thread should dial again. */
    private final Semaphore redial = new Semaphore(1);
    private volatile boolean closed;
    /** The socket being connected, so close() can abort a blocking connect. */
    private volatile SrtSocket dialling;
    /** The target address that connected last, tried first at the next dial; the connect thread's own. */
    private InetAddress lastConnected;
    private volatile long bitsPerSecond;
    /** The interface (name or address) to send from, or null for the system's choice. */
    private final String sendFrom;

    // Owned by the stream thread.
    private Peer peer;
    private StreamStatus status = StreamStatus.CONNECTING;
    private String detail;
    private boolean everConnected;
    /**
     * The failure the last {@code connect-failed} or {@code rejected} event told, since the last connection or break;
     * the same failure again is not told again, so that a long outage does not push the break out of the bounded list.
     */
    private Failed failureTold;

    private CallerOutput(StreamConfig config, long bitsPerSecond, EventSink events, String sendFrom) {
        this.config = config;
        this.sendFrom = sendFrom;
        this.events = events;
        this.bitsPerSecond = bitsPerSecond;
        this.connectThread = Thread.ofPlatform().name("stream-" + config.key() + "-connect").daemon(true)
                .unstarted(this::connectLoop);
    }

    /** @param sendFrom the interface (name or address) to send from, or null for the system's choice */
    static CallerOutput start(StreamConfig config, long bitsPerSecond, EventSink events, String sendFrom) {
        CallerOutput out = new CallerOutput(config, bitsPerSecond, events, sendFrom);
        out.connectThread.start();
        return out;
    }

    private void connectLoop() {
        try {
            dialUntilClosed();
        } catch (Throwable t) {
            // Without this an Error (libsrt missing, out of memory) would end the thread unseen, and the stream would
            // show "Connecting..." for ever: report it to the owner instead, as the stream's error.
            String why = "the connect thread stopped: " + FailureText.describeUnexpected(t);
            LOG.error("stream {}: {}", config.key(), why, t);
            attempts.add(new Failed(StreamStatus.ERROR, why));
        }
    }

    private void dialUntilClosed() {
        long backoff = FIRST_BACKOFF_MILLIS;
        while (!closed) {
            try {
                redial.acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            while (!closed) {
                Attempt a = dial();
                attempts.add(a);
                if (closed) {
                    // close() may have drained the queue already: nobody else would close this connection
                    drainAttempts();
                    return;
                }
                if (a instanceof Connected) {
                    backoff = FIRST_BACKOFF_MILLIS;
                    break;
                }
                if (a instanceof Failed f && f.waitsForInterface()) {
                    backoff = FIRST_BACKOFF_MILLIS;
                }
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                backoff = Math.min(MAX_BACKOFF_MILLIS, backoff * 2);
            }
        }
    }

    /**
     * One dial of the target: its name resolved again (a changed DNS record is followed), then each of its addresses
     * tried in turn, the one that connected last first, until one connects or answers with a refusal. A name with
     * an IPv4 and an IPv6 address (the resolver gives IPv4 first) reaches a listener on either; only a dial no
     * address answered moves on to the next, as a refusal (a wrong passphrase, a busy listener) comes from the
     * listener itself and would be the same at its other addresses.
     */
    private Attempt dial() {
        String target = StreamConfig.hostPort(config.targetAddress(), config.targetPort());
        List<InetAddress> addresses;
        try {
            addresses = inDialOrder(InetAddress.getAllByName(config.targetAddress()), lastConnected);
        } catch (UnknownHostException e) {
            return new Failed(StreamStatus.CONNECTION_FAILED, "cannot resolve " + config.targetAddress()
                    + "; check the target address");
        }
        if (addresses.size() == 1) {
            return dial(target, addresses.getFirst());
        }
        List<Failed> unanswered = new ArrayList<>();
        for (InetAddress address : addresses) {
            Attempt a = dial(StreamConfig.hostPort(AddressText.of(address), config.targetPort()), address);
            if (closed || !(a instanceof Failed f) || !f.unanswered()) {
                return a;
            }
            unanswered.add(f);
        }
        return new Failed(StreamStatus.CONNECTION_FAILED, target + ": none of its " + addresses.size()
                + " addresses answered: " + String.join("; ", unanswered.stream().map(Failed::detail).toList()),
                unanswered.stream().allMatch(Failed::waitsForInterface), true);
    }

    /**
     * {@code resolved} in the order a dial tries them: {@code first} (the address that connected last) ahead when it
     * is still among them, the others in the resolver's order.
     */
    static List<InetAddress> inDialOrder(InetAddress[] resolved, InetAddress first) {
        List<InetAddress> order = new ArrayList<>(List.of(resolved));
        if (first != null && order.remove(first)) {
            order.addFirst(first);
        }
        return order;
    }

    /** One connection attempt to {@code address}; {@code label} names it in what a failure says. */
    private Attempt dial(String label, InetAddress address) {
        InetSocketAddress remote = new InetSocketAddress(address, config.targetPort());
        InetAddress local;
        try {
            local = Outputs.sendFrom(sendFrom, remote.getAddress());
        } catch (IOException e) {
            return new Failed(StreamStatus.CONNECTION_FAILED, e.getMessage() + "; waiting for it: the caller dials"
                    + " from it once it is there, looking every " + FIRST_BACKOFF_MILLIS / 1000 + " s", true, true);
        }
        SrtSocket s = null;
        try {
            s = SrtSocket.create();
            dialling = s;
            if (closed) {
                // close() read dialling before this socket was set, so it could not end this dial: end it here
                dialling = null;
                s.close();
                return new Failed(StreamStatus.CONNECTION_FAILED, label + ": the stream is stopping");
            }
            SrtSettings.apply(s, config, bitsPerSecond);
            if (local != null) {
                s.bind(new InetSocketAddress(local, 0));
            }
            // Sends never wait for the listener: dial leaves the socket's blocking as it found it. Closing the
            // socket (close()) ends the dial at once.
            s.blocking(false);
            s.dial(remote);
            dialling = null;
            lastConnected = address;
            return new Connected(s);
        } catch (SrtException e) {
            dialling = null;
            if (s != null) {
                s.close();
            }
            return failed(label, e.rejectCode(), e.libsrtText(), remote, local);
        } catch (RuntimeException | Error e) {
            dialling = null;
            if (s != null) {
                s.close();
            }
            throw e;
        }
    }

    /**
     * A failed dial: a refused passphrase is an authentication error; a dial that got no answer while this machine
     * has no route to the target says so ({@link Outputs#unreachable}); otherwise the reason, with the listener's own
     * reject code when it set one (1403, 1404...), or {@code otherwise} when there is no reject code (-1).
     */
    private static Failed failed(String target, int rejectCode, String otherwise, InetSocketAddress remote,
            InetAddress local) {
        SrtRejectReason reason = rejectCode < 0 ? null : SrtRejectReason.of(rejectCode);
        if (reason == SrtRejectReason.WRONG_PASSPHRASE || reason == SrtRejectReason.MISSING_PASSPHRASE) {
            return new Failed(StreamStatus.AUTH_ERROR, target + ": " + reason.description());
        }
        boolean unanswered = reason == null || reason == SrtRejectReason.TIMEOUT;
        if (unanswered) {
            String unreachable = Outputs.unreachable(remote, local);
            if (unreachable != null) {
                return new Failed(StreamStatus.CONNECTION_FAILED, target + ": " + unreachable, false, true);
            }
        }
        return new Failed(StreamStatus.CONNECTION_FAILED, target + ": "
                + (reason != null ? SrtRejectReason.describe(rejectCode) : otherwise), false, unanswered);
    }

    @Override
    public void send(ByteBuffer message, long dueNanos) {
        if (peer == null) {
            return;
        }
        try {
            peer.send(message, Peer.sourceTime(dueNanos));
        } catch (SrtException e) {
            linkBroke(peer.departure(System.nanoTime(), "the listener"));
        }
    }

    private void linkBroke(String why) {
        events.event("broken", peer.address + " link broken (" + why + "); reconnecting");
        peer.socket.close();
        peer = null;
        status = StreamStatus.BROKEN;
        detail = why;
        failureTold = null;
        redial.release();
    }

    @Override
    public void tick(long nowNanos) {
        Attempt a;
        while ((a = attempts.poll()) != null) {
            switch (a) {
                case Connected c -> {
                    if (closed) {
                        c.socket().close();
                        continue;
                    }
                    peer = new Peer(c.socket(), config.effectiveStreamId(), config.overheadPercent());
                    status = StreamStatus.CONNECTED;
                    detail = null;
                    everConnected = true;
                    failureTold = null;
                    events.event("connected", "connected to " + peer.address);
                }
                case Failed f -> {
                    // after a break the status stays "Broken / Reconnecting" until the link is back, unless the
                    // peer now refuses our passphrase
                    if (!(everConnected && status == StreamStatus.BROKEN
                            && f.status() == StreamStatus.CONNECTION_FAILED)) {
                        status = f.status();
                    }
                    detail = f.detail();
                    // Compared with the failure last told, not with the status: after a break the status stays
                    // Broken, and every dial of an outage (one every 10 s or so) would be told as news.
                    if (!f.equals(failureTold)) {
                        failureTold = f;
                        events.event(f.status() == StreamStatus.AUTH_ERROR ? "rejected" : "connect-failed",
                                f.detail());
                    }
                }
            }
        }
        if (peer != null) {
            if (peer.gone()) {
                linkBroke(peer.departure(nowNanos, "the listener"));
                return;
            }
            String warning = peer.sample(nowNanos);
            if (warning != null) {
                events.event("warning", peer.address + ": " + warning);
            }
        }
    }

    @Override
    public StreamStatus status() {
        return status;
    }

    @Override
    public String statusDetail() {
        return detail;
    }

    @Override
    public boolean hasPeers() {
        return peer != null;
    }

    @Override
    public List<PeerView> peers() {
        return peer == null ? List.of() : List.of(peer.view());
    }

    @Override
    public LinkStats primaryStats() {
        return peer == null ? null : peer.stats();
    }

    @Override
    public void inputRate(long bitsPerSecond) {
        if (bitsPerSecond <= 0 || bitsPerSecond == this.bitsPerSecond) {
            return;
        }
        this.bitsPerSecond = bitsPerSecond;
        if (peer != null) {
            peer.inputBandwidth(SrtSettings.inputBandwidthBytes(bitsPerSecond, config.rtpEncapsulation()));
        }
    }

    @Override
    public void close() {
        closed = true;
        SrtSocket d = dialling;
        if (d != null) {
            d.close();
        }
        connectThread.interrupt();
        redial.release();
        HelperThreads.awaitEnd(connectThread, "connect thread", config.key());
        if (peer != null) {
            peer.socket.close();
            peer = null;
        }
        drainAttempts();
    }

    /** Closes every connection handed over but not taken on. */
    private void drainAttempts() {
        Attempt a;
        while ((a = attempts.poll()) != null) {
            if (a instanceof Connected c) {
                c.socket().close();
            }
        }
    }
}
