package io.mcrsrt.streamer.web;

import io.mcrsrt.streamer.stream.ConnectionEvent;
import io.mcrsrt.streamer.stream.InputCounters;
import io.mcrsrt.streamer.stream.InputSpec;
import io.mcrsrt.streamer.stream.LinkStats;
import io.mcrsrt.streamer.stream.Mode;
import io.mcrsrt.streamer.stream.PairConfig;
import io.mcrsrt.streamer.stream.PairView;
import io.mcrsrt.streamer.stream.PeerView;
import io.mcrsrt.streamer.stream.Persistence;
import io.mcrsrt.streamer.stream.Scte35Cues;
import io.mcrsrt.streamer.stream.StatsSample;
import io.mcrsrt.streamer.stream.StreamConfig;
import io.mcrsrt.streamer.stream.StreamEngine;
import io.mcrsrt.streamer.stream.StreamException;
import io.mcrsrt.streamer.stream.StreamStatus;
import io.mcrsrt.streamer.stream.StreamView;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * A stream engine whose streams send nothing: the test decides when a caller connects ({@link #connect}), and the
 * statistics are generated from the time since then, so the pages see a stream go from waiting to connected and
 * its charts move, without video on the wire. The real engine's data path is tested in its own package. Streams can
 * also fail with a reason ({@link #fail}), get several callers, and SMPTE 2022-7 pairs lose and regain a leg.
 */
final class ScriptedEngine implements StreamEngine {
    static final String PEER = "127.0.0.1:40312";
    static final int HISTORY_SECONDS = 30;

    /** A stream: its status (with the detail the service gives for it, or null) and its connected peers. */
    private record State(StreamConfig config, long startedAt, StreamStatus status, String detail, List<Peer> peers,
                         List<ConnectionEvent> events) {
        long connectedAt() {
            return peers.isEmpty() ? 0 : peers.getFirst().connectedAt();
        }
    }

    private record Peer(String address, String streamId, long connectedAt) {
    }

    /** A pair and, for each of its two legs, when its caller connected (0: not connected). */
    private record PairState(PairConfig config, long startedAt, long[] legConnectedAt) {
    }

    private final Map<Integer, State> streams = new ConcurrentSkipListMap<>();
    private final Map<Integer, PairState> pairs = new ConcurrentSkipListMap<>();
    /** Packets each stream's callers were not given, as the engine counts them; 0 when not set. */
    private final Map<Integer, Long> notDelivered = new java.util.concurrent.ConcurrentHashMap<>();
    /** Where a gap in the history ends: this many seconds before now. */
    static final int GAP_ENDS_SECONDS_AGO = 10;
    /**
     * Seconds missing from the history (as after an outage), ending {@link #GAP_ENDS_SECONDS_AGO} ago; the history
     * keeps its {@link #HISTORY_SECONDS} samples, over a longer time.
     */
    volatile int historyGapSeconds;
    /**
     * When above 0, the history's samples from {@link #GAP_ENDS_SECONDS_AGO} and before were stamped by a clock this
     * many seconds ahead, set back since (NTP setting right the clock of a box that booted with a wrong one).
     */
    volatile int historyClockSetBackSeconds;
    /**
     * When above 0, the history's samples from {@link #GAP_ENDS_SECONDS_AGO} and before were stamped by a clock this
     * many seconds behind, set forward since: a jump in their times where no second went by without a sample.
     */
    volatile int historyClockSetForwardSeconds;
    /** Added to the live samples' times: a clock set forward by this much (the history keeps the times before). */
    volatile long liveClockSetForwardMillis;
    /**
     * When above 0, the history's samples older than this many seconds come from another connection that had been up
     * far longer (a listener's first caller, since gone): running totals far above the newer samples'.
     */
    volatile int earlierConnectionUntilSecondsAgo;
    /** The SCTE-35 cues each stream and pair has sent ({@link #cue}); none when not set. */
    private final Map<Integer, Scte35Cues> cues = new java.util.concurrent.ConcurrentHashMap<>();
    /** What {@link #persistence} reports: a test sets a failing save. */
    volatile Persistence persistence = Persistence.NONE;

    @Override
    public StreamView start(StreamConfig config) throws StreamException {
        long now = System.currentTimeMillis();
        StreamStatus first = config.mode() == Mode.LISTENER ? StreamStatus.WAITING : StreamStatus.CONNECTING;
        State s = new State(config, now, first, null, List.of(),
                List.of(new ConnectionEvent(now, "started", "Stream started")));
        if (streams.putIfAbsent(config.key(), s) != null) {
            throw new StreamException(StreamException.Reason.CONFLICT,
                    "Stream " + config.key() + " is already running; stop it first or choose another port.");
        }
        return view(s, now);
    }

    /** A caller connects: the stream turns Connected and its statistics start to run. */
    /** Sets the packets each caller of {@code key} was not given: a receiver that stopped reading. */
    void notDelivered(int key, long packets) {
        notDelivered.put(key, packets);
    }

    /**
     * The stream, or the pair, sends a cue: it is counted and kept, as the real engine keeps the last
     * {@link Scte35Cues#RECENT}; a stream's is also told as an {@code scte35} event with its summary.
     */
    void cue(int key, Scte35Cues.Cue cue) {
        if (pairs.containsKey(key)) {
            keep(key, cue);
            return;
        }
        streams.computeIfPresent(key, (k, s) -> {
            keep(key, cue);
            List<ConnectionEvent> events = new ArrayList<>(s.events());
            events.add(new ConnectionEvent(cue.timeMillis(), "scte35",
                    String.format(java.util.Locale.ROOT, "PID 0x%04X: %s", cue.pid(), cue.summary())));
            return new State(s.config(), s.startedAt(), s.status(), s.detail(), s.peers(), events);
        });
    }

    private void keep(int key, Scte35Cues.Cue cue) {
        cues.compute(key, (kk, c) -> {
            Scte35Cues was = c == null ? Scte35Cues.NONE : c;
            List<Scte35Cues.Cue> recent = new ArrayList<>(was.recent());
            recent.add(cue);
            if (recent.size() > Scte35Cues.RECENT) {
                recent.removeFirst();
            }
            return new Scte35Cues(was.count() + 1, was.errors() + (cue.error() == null ? 0 : 1), recent);
        });
    }

    void connect(int key) {
        connect(key, PEER, null);
    }

    /** One more caller, from this address with this stream id (null: the stream's own), connects. */
    void connect(int key, String address, String streamId) {
        streams.computeIfPresent(key, (k, s) -> {
            long now = System.currentTimeMillis();
            List<ConnectionEvent> events = new ArrayList<>(s.events());
            events.add(new ConnectionEvent(now, "connected", address + " connected"));
            List<Peer> peers = new ArrayList<>(s.peers());
            peers.add(new Peer(address, streamId == null ? s.config().effectiveStreamId() : streamId, now));
            return new State(s.config(), s.startedAt(), StreamStatus.CONNECTED, null, peers, events);
        });
    }

    /** The caller from this address leaves; the stream waits again once it was the last. */
    void disconnect(int key, String address) {
        streams.computeIfPresent(key, (k, s) -> {
            List<ConnectionEvent> events = new ArrayList<>(s.events());
            events.add(new ConnectionEvent(System.currentTimeMillis(), "disconnected", address + " disconnected"));
            List<Peer> peers = s.peers().stream().filter(p -> !p.address().equals(address)).toList();
            return new State(s.config(), s.startedAt(), peers.isEmpty() ? StreamStatus.WAITING : s.status(), null,
                    peers, events);
        });
    }

    /** The stream fails, or is refused, with this status and the service's detail for it; its peers are gone. */
    void fail(int key, StreamStatus status, String detail) {
        streams.computeIfPresent(key, (k, s) -> new State(s.config(), s.startedAt(), status, detail, List.of(),
                s.events()));
    }

    boolean has(int key) {
        return streams.containsKey(key);
    }

    @Override
    public void stop(int key) throws StreamException {
        if (streams.remove(key) == null) {
            throw new StreamException(StreamException.Reason.NOT_FOUND, "Stream " + key + " not found");
        }
        cues.remove(key);
    }

    @Override
    public List<StreamView> streams() {
        long now = System.currentTimeMillis();
        return streams.values().stream().map(s -> view(s, now)).toList();
    }

    @Override
    public Optional<StreamView> stream(int key) {
        return Optional.ofNullable(streams.get(key)).map(s -> view(s, System.currentTimeMillis()));
    }

    @Override
    public List<StatsSample> history(int key) {
        State s = streams.get(key);
        if (s == null || s.status() != StreamStatus.CONNECTED) {
            return List.of();
        }
        long now = System.currentTimeMillis();
        long nowNanos = System.nanoTime();
        int gap = historyGapSeconds;
        long setBack = (historyClockSetBackSeconds - historyClockSetForwardSeconds) * 1000L;
        List<StatsSample> out = new ArrayList<>();
        for (int i = HISTORY_SECONDS + gap - 1; i >= 0; i--) {
            if (i < GAP_ENDS_SECONDS_AGO || i >= GAP_ENDS_SECONDS_AGO + gap) {
                int n = Math.max(0, HISTORY_SECONDS - i);
                int earlier = earlierConnectionUntilSecondsAgo;
                long at = now - i * 1000L + (i >= GAP_ENDS_SECONDS_AGO ? setBack : 0);
                long kept = nowNanos - i * 1_000_000_000L; // by the monotonic clock, which no step moves
                if (earlier <= 0) {
                    out.add(new StatsSample(sample(at, n), kept));
                } else if (i >= earlier) {
                    out.add(new StatsSample(sample(at, n, 1_000_000, 0), kept)); // up for long, on a clean path
                } else {
                    out.add(new StatsSample(sample(at, n, 0, 5_000), kept)); // up for less time, on a lossy path
                }
            }
        }
        return out;
    }

    /** A pair whose legs wait for their callers (or, caller legs, try to connect) until {@link #connectLeg}. */
    @Override
    public PairView startPair(PairConfig config) throws StreamException {
        PairState p = new PairState(config, System.currentTimeMillis(), new long[2]);
        if (pairs.putIfAbsent(config.key(), p) != null) {
            throw new StreamException(StreamException.Reason.CONFLICT, "Pair " + config.key() + " is already running.");
        }
        return pairView(p, System.currentTimeMillis());
    }

    /** Leg 1 or 2 of a pair gets its receiver: it turns Connected. */
    void connectLeg(int pair, int leg) {
        pairs.get(pair).legConnectedAt()[leg - 1] = System.currentTimeMillis();
    }

    /** Leg 1 or 2 of a pair loses its receiver: back to waiting (listener) or connecting (caller). */
    void dropLeg(int pair, int leg) {
        pairs.get(pair).legConnectedAt()[leg - 1] = 0;
    }

    /** A connected leg's history, as a stream's: the last {@link #HISTORY_SECONDS} seconds; none unconnected. */
    @Override
    public List<StatsSample> legHistory(int key, int leg) {
        PairState p = pairs.get(key);
        if (p == null || p.legConnectedAt()[leg - 1] == 0) {
            return List.of();
        }
        long now = System.currentTimeMillis();
        long nowNanos = System.nanoTime();
        List<StatsSample> out = new ArrayList<>();
        for (int i = HISTORY_SECONDS - 1; i >= 0; i--) {
            out.add(new StatsSample(sample(now - i * 1000L, HISTORY_SECONDS - i), nowNanos - i * 1_000_000_000L));
        }
        return out;
    }

    boolean hasPair(int key) {
        return pairs.containsKey(key);
    }

    @Override
    public void stopPair(int key) throws StreamException {
        if (pairs.remove(key) == null) {
            throw new StreamException(StreamException.Reason.NOT_FOUND, "Pair " + key + " not found.");
        }
        cues.remove(key);
    }

    /**
     * While set, {@link #pairs} waits until it is counted down: a service that does not answer, as a browser sees one
     * whose network was lost. {@link #pairsWaiting} counts the calls waiting.
     */
    volatile java.util.concurrent.CountDownLatch pairsHeld;
    final java.util.concurrent.atomic.AtomicInteger pairsWaiting = new java.util.concurrent.atomic.AtomicInteger();
    /** How many times {@link #pairs} was called. */
    final java.util.concurrent.atomic.AtomicInteger pairsCalls = new java.util.concurrent.atomic.AtomicInteger();

    @Override
    public List<PairView> pairs() {
        pairsCalls.incrementAndGet();
        java.util.concurrent.CountDownLatch held = pairsHeld;
        if (held != null) {
            pairsWaiting.incrementAndGet();
            try {
                held.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                pairsWaiting.decrementAndGet();
            }
        }
        long now = System.currentTimeMillis();
        return pairs.values().stream().map(p -> pairView(p, now)).toList();
    }

    @Override
    public Persistence persistence() {
        return persistence;
    }

    @Override
    public void close() {
        streams.clear();
        pairs.clear();
    }

    /** The pair's status is the better of its legs': Connected while either leg is, as the real engine says. */
    private PairView pairView(PairState p, long now) {
        List<PairView.LegView> legs = new ArrayList<>();
        boolean anyConnected = false;
        PairConfig.Leg[] defs = {p.config().leg1(), p.config().leg2()};
        for (int i = 0; i < 2; i++) {
            long connectedAt = p.legConnectedAt()[i];
            PairConfig.Leg leg = defs[i];
            StreamStatus waiting = leg.mode() == Mode.LISTENER ? StreamStatus.WAITING : StreamStatus.CONNECTING;
            LinkStats stats = connectedAt > 0 ? sample(now, (int) ((now - connectedAt) / 1000)) : null;
            List<PeerView> peers = connectedAt > 0 ? List.of(new PeerView(PEER, null, connectedAt, stats)) : List.of();
            legs.add(new PairView.LegView(leg, connectedAt > 0 ? StreamStatus.CONNECTED : waiting, null, peers, stats,
                    "srt://:" + leg.key() + "?mode=" + leg.mode().wireName() + "&oheadbw="
                            + Math.max(5, p.config().overheadPercent())));
            anyConnected |= connectedAt > 0;
        }
        return new PairView(p.config(), anyConnected ? StreamStatus.CONNECTED : legs.getFirst().status(),
                p.startedAt(), nanosAt(p.startedAt()), legs, List.of(), 4.6, null,
                cues.getOrDefault(p.config().key(), Scte35Cues.NONE));
    }

    private StreamView view(State s, long now) {
        boolean connected = s.status() == StreamStatus.CONNECTED;
        LinkStats stats = connected ? sample(now + liveClockSetForwardMillis,
                (int) ((now - s.connectedAt()) / 1000) + HISTORY_SECONDS) : null;
        long missed = notDelivered.getOrDefault(s.config().key(), 0L);
        List<PeerView> peers = s.peers().stream()
                .map(p -> new PeerView(p.address(), p.streamId(), p.connectedAt(), stats, missed)).toList();
        String uri = (s.config().mode() == Mode.LISTENER ? "srt://:" + s.config().port() + "?mode=listener"
                : "srt://" + s.config().targetAddress() + ":" + s.config().targetPort() + "?mode=caller")
                + "&oheadbw=" + Math.max(5, s.config().overheadPercent());
        return new StreamView(s.config(), s.status(), s.detail(), s.startedAt(), nanosAt(s.startedAt()), peers, stats,
                s.events(), connected ? 4.6 : 0, uri, 0,
                s.config().input() instanceof InputSpec.Multicast ? new InputCounters(4, true, 2) : null,
                cues.getOrDefault(s.config().key(), Scte35Cues.NONE));
    }

    /** The {@link System#nanoTime()} of a past time in epoch milliseconds: a view's uptime counts from it. */
    private static long nanosAt(long epochMillis) {
        return System.nanoTime() - (System.currentTimeMillis() - epochMillis) * 1_000_000L;
    }

    /**
     * The n-th second of a steady 4.6 Mbit/s link with a little loss and a few retransmissions, stamped with the whole
     * second, as the real engine samples once a second: its newest sample is the history's last and the live one.
     */
    private static LinkStats sample(long at, int n) {
        return sample(at, n, 0, 0);
    }

    /** {@link #sample(long, int)} of a connection whose running totals start above it by the extras given. */
    private static LinkStats sample(long at, int n, long sentExtra, long retransmittedExtra) {
        long sent = 437L * n + sentExtra;
        return new LinkStats(at - at % 1000, 4.6 + (n % 5) * 0.05, 0.3 + (n % 3) * 0.1, 0.0, n % 7 == 0 ? 0.1 : 0.0, sent,
                n / 7, n / 3 + retransmittedExtra, 0, sent * 1316, 950.0, 0, 12, 0, 8192, 0, 0, 0, sent * 1316, 0, (n / 3) * 1316L, 0, 0,
                n * 100L, n / 7, 0, 0, 300);
    }
}
