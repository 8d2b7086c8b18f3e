package io.mcrsrt.streamer.api;

import io.mcrsrt.streamer.stream.ConnectionEvent;
import io.mcrsrt.streamer.stream.InputCounters;
import io.mcrsrt.streamer.stream.InputSpec;
import io.mcrsrt.streamer.stream.LinkStats;
import io.mcrsrt.streamer.stream.StatsSample;
import io.mcrsrt.streamer.stream.PairConfig;
import io.mcrsrt.streamer.stream.PairView;
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
 * A stream engine that keeps streams in memory and reports one connected caller with fixed statistics, so the web
 * layer's contract can be tested without sending video. Tests of the data path use the real engine.
 */
final class FakeEngine implements StreamEngine {
    static final double RTT_MS = 12.5;

    private final Map<Integer, StreamView> streams = new ConcurrentSkipListMap<>();
    private final Map<Integer, PairView> pairs = new ConcurrentSkipListMap<>();
    volatile String failStartWith;

    static LinkStats sample(long now) {
        return new LinkStats(now, 8.0, RTT_MS, 0.1, 0.5, 1000, 5, 7, 1, 1_316_000, 100.0, 0, 120, 0, 8192, 0, 0, 0,
                1_316_000, 0, 9212, 1316, 0, 100, 3, 0, 0, 300);
    }

    @Override
    public StreamView start(StreamConfig config) throws StreamException {
        if (failStartWith != null) {
            throw new StreamException(StreamException.Reason.START_FAILED, failStartWith);
        }
        long now = System.currentTimeMillis();
        LinkStats stats = sample(now);
        StreamView v = new StreamView(config, StreamStatus.CONNECTED, null, now, System.nanoTime(),
                List.of(new PeerView("127.0.0.1:40000", "mcr_stream_" + config.key(), now, stats, 12)), stats,
                List.of(new ConnectionEvent(now, "connected", "127.0.0.1:40000 connected")), 8.0,
                "srt://:" + config.key() + "?mode=" + config.mode().wireName()
                        + (config.passphraseSet() ? "&passphrase=***" : ""), 2,
                config.input() instanceof InputSpec.Multicast ? new InputCounters(3, true, 2) : null);
        if (streams.putIfAbsent(config.key(), v) != null) {
            throw new StreamException(StreamException.Reason.CONFLICT, "in use");
        }
        return v;
    }

    @Override
    public void stop(int key) throws StreamException {
        if (streams.remove(key) == null) {
            throw new StreamException(StreamException.Reason.NOT_FOUND, "Stream " + key + " not found");
        }
    }

    @Override
    public List<StreamView> streams() {
        return List.copyOf(streams.values());
    }

    @Override
    public Optional<StreamView> stream(int key) {
        return Optional.ofNullable(streams.get(key));
    }

    @Override
    public List<StatsSample> history(int key) {
        StreamView v = streams.get(key);
        if (v == null) {
            return List.of();
        }
        List<StatsSample> out = new ArrayList<>();
        for (int i = 2; i >= 0; i--) {
            out.add(new StatsSample(sample(System.currentTimeMillis() - i * 1000L),
                    System.nanoTime() - i * 1_000_000_000L));
        }
        return out;
    }

    /** A pair whose two legs each have one connected caller; a multicast input has counted 3 errors, 2 lost. */
    @Override
    public PairView startPair(PairConfig config) throws StreamException {
        long now = System.currentTimeMillis();
        List<PairView.LegView> legs = new ArrayList<>();
        for (PairConfig.Leg leg : List.of(config.leg1(), config.leg2())) {
            LinkStats stats = sample(now);
            legs.add(new PairView.LegView(leg, StreamStatus.CONNECTED, null,
                    List.of(new PeerView("127.0.0.1:40000", null, now, stats)), stats, "srt://:" + leg.port()));
        }
        PairView v = new PairView(config, StreamStatus.CONNECTED, now, System.nanoTime(), legs, List.of(), 8.0,
                config.input() instanceof InputSpec.Multicast ? new InputCounters(3, true, 2) : null);
        if (pairs.putIfAbsent(config.key(), v) != null) {
            throw new StreamException(StreamException.Reason.CONFLICT, "in use");
        }
        return v;
    }

    @Override
    public void stopPair(int key) throws StreamException {
        if (pairs.remove(key) == null) {
            throw new StreamException(StreamException.Reason.NOT_FOUND, "Pair " + key + " not found.");
        }
    }

    @Override
    public List<PairView> pairs() {
        return List.copyOf(pairs.values());
    }

    @Override
    public void close() {
        streams.clear();
        pairs.clear();
    }
}
