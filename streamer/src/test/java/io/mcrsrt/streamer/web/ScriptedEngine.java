package io.mcrsrt.streamer.web;

import io.mcrsrt.streamer.stream.ConnectionEvent;
import io.mcrsrt.streamer.stream.InputCounters;
import io.mcrsrt.streamer.stream.InputSpec;
import io.mcrsrt.streamer.stream.LinkStats;
import io.mcrsrt.streamer.stream.Mode;
import io.mcrsrt.streamer.stream.PeerView;
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
 * its charts move, without video on the wire. The real engine's data path is tested in its own package.
 */
final class ScriptedEngine implements StreamEngine {
    static final String PEER = "127.0.0.1:40312";
    static final int HISTORY_SECONDS = 30;

    private record State(StreamConfig config, long startedAt, StreamStatus status, long connectedAt,
                         List<ConnectionEvent> events) {
    }

    private final Map<Integer, State> streams = new ConcurrentSkipListMap<>();

    @Override
    public StreamView start(StreamConfig config) throws StreamException {
        long now = System.currentTimeMillis();
        StreamStatus first = config.mode() == Mode.LISTENER ? StreamStatus.WAITING : StreamStatus.CONNECTING;
        State s = new State(config, now, first, 0,
                List.of(new ConnectionEvent(now, "started", "Stream started")));
        if (streams.putIfAbsent(config.key(), s) != null) {
            throw new StreamException(StreamException.Reason.CONFLICT,
                    "Stream " + config.key() + " is already running; stop it first or choose another port.");
        }
        return view(s, now);
    }

    /** A caller connects: the stream turns Connected and its statistics start to run. */
    void connect(int key) {
        streams.computeIfPresent(key, (k, s) -> {
            long now = System.currentTimeMillis();
            List<ConnectionEvent> events = new ArrayList<>(s.events());
            events.add(new ConnectionEvent(now, "connected", PEER + " connected"));
            return new State(s.config(), s.startedAt(), StreamStatus.CONNECTED, now, events);
        });
    }

    boolean has(int key) {
        return streams.containsKey(key);
    }

    @Override
    public void stop(int key) throws StreamException {
        if (streams.remove(key) == null) {
            throw new StreamException(StreamException.Reason.NOT_FOUND, "Stream " + key + " not found");
        }
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
    public List<LinkStats> history(int key) {
        State s = streams.get(key);
        if (s == null || s.status() != StreamStatus.CONNECTED) {
            return List.of();
        }
        long now = System.currentTimeMillis();
        List<LinkStats> out = new ArrayList<>();
        for (int i = HISTORY_SECONDS; i > 0; i--) {
            out.add(sample(now - i * 1000L, HISTORY_SECONDS - i));
        }
        return out;
    }

    @Override
    public void close() {
        streams.clear();
    }

    private static StreamView view(State s, long now) {
        boolean connected = s.status() == StreamStatus.CONNECTED;
        LinkStats stats = connected ? sample(now, (int) ((now - s.connectedAt()) / 1000) + HISTORY_SECONDS) : null;
        List<PeerView> peers = connected
                ? List.of(new PeerView(PEER, s.config().effectiveStreamId(), s.connectedAt(), stats)) : List.of();
        String uri = s.config().mode() == Mode.LISTENER ? "srt://:" + s.config().port() + "?mode=listener"
                : "srt://" + s.config().targetAddress() + ":" + s.config().targetPort() + "?mode=caller";
        return new StreamView(s.config(), s.status(), null, s.startedAt(), peers, stats, s.events(),
                connected ? 4.6 : 0, uri, 0,
                s.config().input() instanceof InputSpec.Multicast ? new InputCounters(4, true, 2) : null);
    }

    /** The n-th second of a steady 4.6 Mbit/s link with a little loss and a few retransmissions. */
    private static LinkStats sample(long at, int n) {
        long sent = 437L * n;
        return new LinkStats(at, 4.6 + (n % 5) * 0.05, 0.3 + (n % 3) * 0.1, 0.0, n % 7 == 0 ? 0.1 : 0.0, sent,
                n / 7, n / 3, 0, sent * 1316, 950.0, 0, 12, 0, 8192, 0, 0, 0, sent * 1316, 0, (n / 3) * 1316L, 0, 0,
                n * 100L, n / 7, 0, 0, 300);
    }
}
