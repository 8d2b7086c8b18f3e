package io.mcrsrt.streamer.engine.output;

import io.mcrsrt.srt.AddressText;
import io.mcrsrt.srt.SrtAdmission;
import io.mcrsrt.srt.SrtCaller;
import io.mcrsrt.srt.SrtException;
import io.mcrsrt.srt.SrtKmState;
import io.mcrsrt.srt.SrtOption;
import io.mcrsrt.srt.SrtSocket;
import io.mcrsrt.srt.SrtSocketState;
import io.mcrsrt.streamer.stream.Encryption;
import io.mcrsrt.streamer.stream.FailureText;
import io.mcrsrt.streamer.stream.LinkStats;
import io.mcrsrt.streamer.stream.PeerView;
import io.mcrsrt.streamer.stream.StreamConfig;
import io.mcrsrt.streamer.stream.StreamStatus;
import io.mcrsrt.streamer.system.LocalAddresses;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A listener output: binds the stream's port on all addresses, accepts up to {@code maxCallers} callers at once and
 * sends every message to each. An accept thread ({@code stream-<key>-accept}) hands new callers to the owner thread.
 *
 * <p>Every listener turns off libsrt's enforced encryption so that a caller whose passphrase does not match reaches
 * {@code accept} instead of vanishing inside the handshake: its key exchange state then says why ({@code BADSECRET},
 * {@code NOSECRET}, or, for a listener without encryption, any state but {@code UNSECURED}: the caller sent a
 * passphrase). The accept thread closes such a caller at once, before anything is sent to it, and gives its place
 * back ({@link CallerPlaces#keyWrong}); the owner records the rejection with that reason. A caller beyond the cap is
 * refused earlier, in the handshake, by a listen callback ({@link #screen}), so that it learns why (reject code 1402).
 *
 * <p>A receiver that connects and leaves over and over gets a summary event every 10 s rather than two events per
 * visit ({@link CallerChurn}); every departure is counted all the same ({@link EventSink#departureFolded}).
 *
 * <p>A caller that stops reading (its receive buffer full, nothing acknowledged) is dropped after
 * {@link Peer#STOPPED_READING_NANOS}, so that it does not keep its place for good; the others are not touched.
 *
 * <p>A listener bound to one address ({@code SRT_LISTEN_ADDRESS}, a pair leg's interface) stays bound when the machine
 * loses that address (an interface taken down for good, a new address from DHCP), but no caller can reach it: it looks
 * every {@link #ADDRESS_CHECK_NANOS} whether the address is still the machine's, and says so in its status detail and
 * its events ({@code listener-address-lost}, {@code listener-address-back}); callers reach it again once the address
 * is back.
 */
final class ListenerOutput implements Output {
    private static final Logger LOG = LoggerFactory.getLogger(ListenerOutput.class);
    private static final long REJECTED_STATUS_NANOS = 10_000_000_000L;
    /** At most one {@code rejected} event in this time; the refusals between are counted into the next. */
    static final long REJECTED_EVENT_NANOS = 10_000_000_000L;
    /**
     * Room in libsrt's queue of callers not yet accepted beyond {@code maxCallers}. The cap is kept in the handshake
     * ({@link #screen}); the queue also holds callers that gave up before the accept thread took them (a wrong key,
     * whose place the owner gives back), and a flood of those while the accept thread waits on libsrt (closing a
     * socket took up to 15 ms here) filled a queue of 5, refusing a right caller with "the listener's backlog is
     * full".
     */
    static final int ACCEPT_QUEUE_SPARE = 64;
    /** How often a listener bound to one address looks whether the machine still has it. */
    static final long ADDRESS_CHECK_NANOS = 2_000_000_000L;

    private final StreamConfig config;
    private final int maxCallers;
    private final EventSink events;
    private final SrtSocket listener;
    /** The one address the listener is bound to; null when it listens on every address. */
    private final InetAddress bound;
    private final Thread acceptThread;
    private final ConcurrentLinkedQueue<SrtSocket> accepted = new ConcurrentLinkedQueue<>();
    private final List<Peer> peers = new ArrayList<>();
    /** The callers {@link #peers} holds and those admitted in the handshake, for the check on libsrt's thread. */
    private final CallerPlaces places;
    /**
     * Callers refused before the owner saw them, for the owner to record: in the handshake for the cap (libsrt's
     * thread), or for their key as they were accepted (the accept thread).
     */
    private final ConcurrentLinkedQueue<String> refusals = new ConcurrentLinkedQueue<>();
    /** Which arrivals and departures are told one by one, and the summaries of those that are not. */
    private final CallerChurn churn = new CallerChurn();
    private volatile boolean closed;
    /** Why the accept thread ended before the output was closed, or null while it runs. */
    private volatile String acceptFailure;
    private long bitsPerSecond;
    private long lastRejectNanos;
    private String lastRejectDetail;
    /** When the last {@code rejected} event was recorded, 0 before the first. */
    private long rejectToldNanos;
    /** Refusals since the last {@code rejected} event that no event has told yet. */
    private long rejectsUntold;
    private long addressCheckedNanos;
    /** Why no caller can reach the listener, while the machine does not have {@link #bound}; null otherwise. */
    private String addressLost;

    private ListenerOutput(StreamConfig config, int maxCallers, long bitsPerSecond, EventSink events,
            SrtSocket listener, InetAddress bound) {
        this.config = config;
        this.maxCallers = maxCallers;
        this.places = new CallerPlaces(maxCallers);
        this.events = events;
        this.listener = listener;
        this.bound = bound == null || bound.isAnyLocalAddress() || bound.isLoopbackAddress() ? null : bound;
        this.bitsPerSecond = bitsPerSecond;
        this.acceptThread = Thread.ofPlatform().name("stream-" + config.key() + "-accept").daemon(true)
                .unstarted(this::acceptLoop);
    }

    static ListenerOutput open(StreamConfig config, int maxCallers, long bitsPerSecond, EventSink events,
            InetAddress local) throws IOException {
        SrtSocket s = SrtSocket.create();
        try {
            SrtSettings.apply(s, config, bitsPerSecond);
            s.set(SrtOption.ENFORCEDENCRYPTION, false);
            try {
                s.bindListener(ListenerAddress.of(local, config.port()));
            } catch (SrtException e) {
                if (e.code() == SrtException.BIND_CONFLICT) {
                    // a stream stopped moments ago and started again with other settings (latency, QoS): the
                    // closed socket still holds the port, this process's own and not another program's
                    throw new PortHeldException(config.port(), e);
                }
                throw new IOException("cannot bind listener port " + config.port() + " (" + e.libsrtText()
                        + "); another program may be using it: stop it or pick another port", e);
            }
            ListenerOutput out = new ListenerOutput(config, maxCallers, bitsPerSecond, events, s, local);
            s.listenCallback(out::screen);
            s.listen(maxCallers + ACCEPT_QUEUE_SPARE);
            out.acceptThread.start();
            return out;
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    private void acceptLoop() {
        try {
            acceptUntilClosed();
        } catch (Throwable t) {
            // Without this an Error would end the thread unseen: the stream would look ready but accept nobody.
            acceptFailure = "accepting callers stopped: " + FailureText.describeUnexpected(t);
            LOG.error("stream {}: {}", config.key(), acceptFailure, t);
        }
    }

    private void acceptUntilClosed() {
        while (!closed) {
            try {
                SrtSocket s = listener.accept();
                if (s != null && !refusedForKey(s)) {
                    accepted.add(s);
                    if (closed) {
                        // close() may have drained the queue already: nobody else would close this caller
                        closeAccepted();
                    }
                }
            } catch (SrtException e) {
                if (!closed) {
                    LOG.warn("stream {}: accepting a caller failed: {}", config.key(), e.getMessage());
                    try {
                        Thread.sleep(100);
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
        }
    }

    /**
     * Closes a caller just accepted whose key does not match, gives its place back and hands the reason to the owner;
     * runs on the accept thread. A caller whose key is right, or whose key state cannot be read (its socket is gone:
     * the owner tells that departure), goes on to the owner.
     *
     * @return true when the caller was refused
     */
    private boolean refusedForKey(SrtSocket s) {
        String address = Peer.addressOf(s);
        String refusal;
        try {
            refusal = keyRefusal(s, config.encryption());
        } catch (SrtException e) {
            refusal = null;
        }
        if (refusal == null) {
            places.keyChecked(address);
            return false;
        }
        // the place first: closing the socket is a call into libsrt, and a handshake may be waiting for the place
        places.keyWrong(address);
        s.close();
        refusals.add(address + " rejected: " + refusal);
        return true;
    }

    /** Why a caller's key does not match the stream's, from its key exchange state; null when it matches. */
    private static String keyRefusal(SrtSocket s, Encryption encryption) throws SrtException {
        SrtKmState km = s.get(SrtOption.KMSTATE);
        if (encryption == Encryption.NONE) {
            return km == SrtKmState.UNSECURED ? null : "it sent a passphrase, but this stream is not encrypted: remove"
                    + " the passphrase there, or encrypt this stream with it";
        }
        return km == SrtKmState.BADSECRET ? "wrong passphrase"
                : km == SrtKmState.NOSECRET || km == SrtKmState.UNSECURED ? "no passphrase (this stream is encrypted)"
                : null;
    }

    @Override
    public void send(ByteBuffer message, long dueNanos) {
        if (peers.isEmpty()) {
            return;
        }
        long srcTime = Peer.sourceTime(dueNanos);
        for (Iterator<Peer> it = peers.iterator(); it.hasNext(); ) {
            Peer p = it.next();
            try {
                p.send(message, srcTime);
            } catch (SrtException e) {
                it.remove();
                places.served(peers.size());
                drop(p);
            }
        }
    }

    private void drop(Peer p) {
        p.socket.close();
        long now = System.nanoTime();
        departed(p.address, p.arrivalTold, p.address + " disconnected: " + p.departure(now, "it"), now);
    }

    /**
     * Records a caller's departure: a {@code disconnected} event, or, for a visit {@link #churn} folds, a count only.
     *
     * @param arrivalTold whether its arrival was an event
     */
    private void departed(String address, boolean arrivalTold, String detail, long nowNanos) {
        if (churn.leaves(CallerChurn.host(address), !arrivalTold, nowNanos)) {
            events.event("disconnected", detail);
        } else {
            events.departureFolded();
        }
    }

    @Override
    public void tick(long nowNanos) {
        if (bound != null && nowNanos - addressCheckedNanos >= ADDRESS_CHECK_NANOS) {
            addressCheckedNanos = nowNanos;
            watchAddress();
        }
        places.forgetFailed();
        // Callers accepted before those refused since the last tick: they were admitted first (a refusal for the cap
        // comes from callers admitted and not yet taken on), so events keep the order they came.
        SrtSocket s;
        while ((s = accepted.poll()) != null) {
            admit(s, nowNanos);
        }
        String refused;
        while ((refused = refusals.poll()) != null) {
            rejected(refused, nowNanos);
        }
        if (rejectsUntold > 0 && nowNanos - rejectToldNanos >= REJECTED_EVENT_NANOS) {
            tellRejected(lastRejectDetail, rejectsUntold - 1, nowNanos);
        }
        for (Iterator<Peer> it = peers.iterator(); it.hasNext(); ) {
            Peer p = it.next();
            if (p.gone()) {
                it.remove();
                places.served(peers.size());
                p.socket.close();
                departed(p.address, p.arrivalTold, p.address + " disconnected: " + p.departure(nowNanos, "it"),
                        nowNanos);
            } else {
                String warning = p.sample(nowNanos);
                if (warning != null) {
                    events.event("warning", p.address + ": " + warning);
                }
                String stopped = p.stoppedReading(nowNanos);
                if (stopped != null) {
                    // its place is wanted more than a connection that delivers nothing; the others are not touched
                    it.remove();
                    places.served(peers.size());
                    p.socket.close();
                    if (!p.arrivalTold) {
                        // one of many short visits, but its reason is worth an event of its own
                        p.arrivalTold = true;
                        churn.stayed(CallerChurn.host(p.address));
                    }
                    departed(p.address, true, p.address + " dropped: " + stopped, nowNanos);
                    continue;
                }
                if (!p.arrivalTold && nowNanos - p.connectedNanos >= CallerChurn.WINDOW_NANOS) {
                    // folded as one more short visit, but it stayed: it is told, late, and so will its departure be
                    p.arrivalTold = true;
                    churn.stayed(CallerChurn.host(p.address));
                    events.event("connected", p.address + " connected" + streamIdText(p) + " "
                            + Math.round((nowNanos - p.connectedNanos) / 1e9) + " s ago, and stays");
                }
            }
        }
        for (String summary : churn.due(nowNanos)) {
            events.event("repeated-connections", summary);
        }
    }

    private static String streamIdText(Peer p) {
        return p.streamId == null ? "" : " (stream id " + p.streamId + ")";
    }

    /** Tells when the machine loses the address the listener is bound to, and when it has it again. */
    private void watchAddress() {
        boolean local = LocalAddresses.isLocal(bound);
        String address = AddressText.of(bound);
        if (!local && addressLost == null) {
            addressLost = address + ", the address this listener is bound to, is no longer an address of this machine:"
                    + " no caller can reach it until the address is back on an interface. If the machine has another"
                    + " address now (a new one from DHCP), bind the listener there (SRT_LISTEN_ADDRESS, or the pair"
                    + " leg's interface) and start it again";
            events.event("listener-address-lost", addressLost);
        } else if (local && addressLost != null) {
            addressLost = null;
            events.event("listener-address-back", address + " is an address of this machine again: callers can"
                    + " reach the listener");
        }
    }

    /**
     * Refuses, in the handshake, a caller beyond {@link #maxCallers}, so that it learns why (reject code 1402,
     * overloaded) rather than being accepted and closed; callers admitted here and not yet taken on count
     * ({@link CallerPlaces}). Runs on libsrt's receiving thread. When every place is taken while callers whose key the
     * accept thread has not yet checked hold some, it waits for that check, {@link CallerPlaces#KEY_CHECK_WAIT_NANOS}
     * at most, against the rule that a listen callback does not block: libsrt settles a caller's key only after this
     * callback has admitted it, and without the wait a right caller arriving just after a wrong one was refused for a
     * place the wrong one was about to give back. The accept thread takes none of the locks libsrt holds while it
     * calls this (its receive queue's listener lock), so the wait ends as soon as the check is done; a thread closing
     * the listener meanwhile can hold the accept thread up, and the bound covers that.
     */
    private SrtAdmission screen(SrtCaller caller) {
        if (closed) {
            return SrtAdmission.reject(SrtAdmission.UNAVAILABLE);
        }
        if (!places.reserve(Peer.text(caller.address()), System.nanoTime(),
                () -> caller.state().compareTo(SrtSocketState.BROKEN) >= 0, CallerPlaces.KEY_CHECK_WAIT_NANOS)) {
            refusals.add(Peer.text(caller.address()) + " rejected: the listener already serves "
                    + maxCallers + " callers (the maximum)");
            return SrtAdmission.reject(SrtAdmission.OVERLOADED);
        }
        return SrtAdmission.accept();
    }

    /**
     * A caller refused: shown in the status at once, recorded as an event at most once every
     * {@link #REJECTED_EVENT_NANOS}. A receiver that calls again as soon as it is refused (srt-live-transmit does, a
     * hundred times a second) would otherwise push every other event out of the stream's bounded list within seconds,
     * and write a log line for each attempt.
     */
    private void rejected(String detail, long nowNanos) {
        lastRejectNanos = nowNanos;
        lastRejectDetail = detail;
        if (rejectToldNanos != 0 && nowNanos - rejectToldNanos < REJECTED_EVENT_NANOS) {
            rejectsUntold++;
            return;
        }
        tellRejected(detail, rejectsUntold, nowNanos);
    }

    /** Records one {@code rejected} event: this refusal, and how many others came since the last event. */
    private void tellRejected(String detail, long others, long nowNanos) {
        events.event("rejected", others == 0 ? detail : detail + " (and " + others + " more refused since the last"
                + " report)");
        rejectsUntold = 0;
        rejectToldNanos = nowNanos;
    }

    /**
     * Takes an accepted caller on, or closes it with a recorded reason: a refusal ({@link #rejected}), or, for a caller
     * that closed the connection itself before it was taken on, a {@code disconnected} event.
     */
    private void admit(SrtSocket s, long nowNanos) {
        String address = Peer.addressOf(s);
        String refusal = null;
        boolean left = false;
        String streamId = null;
        try {
            streamId = s.get(SrtOption.STREAMID);
            // its key was checked as it was accepted (refusedForKey)
            if (peers.size() >= maxCallers) {
                refusal = "the listener already serves " + maxCallers + " callers (the maximum)";
            }
            // Its keys were right and there was room, yet the link is down already: the caller closed it between the
            // handshake and this tick (a probe, a receiver stopped at once). Nothing was refused; as a rejection it
            // showed the stream as Rejected Connection for 10 s over a receiver that simply left.
            left = refusal == null && s.state().compareTo(SrtSocketState.BROKEN) >= 0;
            if (refusal == null && !left) {
                s.blocking(false);
            }
        } catch (SrtException e) {
            // libsrt no longer knows the socket once its collector has closed a caller that left: that is a departure
            left = s.state().compareTo(SrtSocketState.BROKEN) >= 0;
            refusal = left ? null : "handshake failed (" + e.libsrtText() + ")";
        } catch (IllegalStateException e) {
            // the caller broke between the state check and blocking(false): SrtSocket refuses options on a broken
            // socket. That caller is gone; the stream and its other callers are not affected.
            left = true;
        }
        if (refusal != null || left) {
            s.close();
            places.settled(address, peers.size());
            if (left) {
                boolean told = churn.arrives(CallerChurn.host(address), nowNanos);
                departed(address, told, address + " disconnected right after connecting, before anything was sent"
                        + " to it: it closed the connection", nowNanos);
            } else {
                rejected(address + " rejected: " + refusal, nowNanos);
            }
            return;
        }
        Peer p = new Peer(s, streamId == null || streamId.isEmpty() ? null : streamId, config.overheadPercent());
        if (bitsPerSecond > 0) {
            p.inputBandwidth(SrtSettings.inputBandwidthBytes(bitsPerSecond, config.rtpEncapsulation()));
        }
        peers.add(p);
        places.settled(address, peers.size());
        p.arrivalTold = churn.arrives(CallerChurn.host(p.address), nowNanos);
        if (p.arrivalTold) {
            events.event("connected", p.address + " connected" + streamIdText(p));
        }
    }

    @Override
    public StreamStatus status() {
        if (acceptFailure != null) {
            return StreamStatus.ERROR;
        }
        if (!peers.isEmpty()) {
            return StreamStatus.CONNECTED;
        }
        if (lastRejectDetail != null && System.nanoTime() - lastRejectNanos < REJECTED_STATUS_NANOS) {
            return StreamStatus.REJECTED;
        }
        return StreamStatus.WAITING;
    }

    @Override
    public String statusDetail() {
        StreamStatus s = status();
        return s == StreamStatus.ERROR ? acceptFailure : s == StreamStatus.REJECTED ? lastRejectDetail
                : s == StreamStatus.WAITING ? addressLost : null;
    }

    @Override
    public boolean hasPeers() {
        return !peers.isEmpty();
    }

    @Override
    public List<PeerView> peers() {
        List<PeerView> views = new ArrayList<>(peers.size());
        for (Peer p : peers) {
            views.add(p.view());
        }
        return views;
    }

    @Override
    public LinkStats primaryStats() {
        return peers.isEmpty() ? null : peers.getFirst().stats();
    }

    @Override
    public void inputRate(long bitsPerSecond) {
        if (bitsPerSecond <= 0 || bitsPerSecond == this.bitsPerSecond) {
            return;
        }
        this.bitsPerSecond = bitsPerSecond;
        for (Peer p : peers) {
            p.inputBandwidth(SrtSettings.inputBandwidthBytes(bitsPerSecond, config.rtpEncapsulation()));
        }
    }

    @Override
    public void close() {
        closed = true;
        listener.close();
        for (Peer p : peers) {
            p.socket.close();
        }
        peers.clear();
        places.served(0);
        HelperThreads.awaitEnd(acceptThread, "accept thread", config.key());
        closeAccepted();
    }

    /** Closes every caller accepted but not taken on. */
    private void closeAccepted() {
        SrtSocket s;
        while ((s = accepted.poll()) != null) {
            s.close();
        }
    }
}
