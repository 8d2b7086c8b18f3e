package io.mcrsrt.streamer.stream;

import java.util.List;

/**
 * A snapshot of a dual-path stream: the pair and each leg's state.
 *
 * @param config           the pair's definition
 * @param status           the input's status while it is starting or lost, else the better of the two legs'
 * @param startedAt        epoch milliseconds, as {@link StreamView#startedAt}
 * @param startedNanos     {@link System#nanoTime()} when it was started, as {@link StreamView#startedNanos}
 * @param legs             the two legs, in the pair's order
 * @param events           recent events of both legs and the input, oldest first
 * @param inputBitrateMbps the input's measured rate
 * @param inputCounters    a multicast input's own faults before this service, as {@link StreamView#inputCounters};
 *                         null for colour bars
 * @param scte35           the SCTE-35 cues its input has sent, as {@link StreamView#scte35}
 */
public record PairView(PairConfig config, StreamStatus status, long startedAt, long startedNanos,
        List<LegView> legs,
        List<ConnectionEvent> events, double inputBitrateMbps, InputCounters inputCounters, Scte35Cues scte35) {

    public PairView {
        legs = List.copyOf(legs);
        events = List.copyOf(events);
        scte35 = scte35 == null ? Scte35Cues.NONE : scte35;
    }

    /** A view of a pair whose input has sent no SCTE-35 cue. */
    public PairView(PairConfig config, StreamStatus status, long startedAt, long startedNanos, List<LegView> legs,
            List<ConnectionEvent> events, double inputBitrateMbps, InputCounters inputCounters) {
        this(config, status, startedAt, startedNanos, legs, events, inputBitrateMbps, inputCounters, Scte35Cues.NONE);
    }

    /** How long the pair has run at {@code nowNanos} ({@link System#nanoTime()}), in nanoseconds. */
    public long uptimeNanos(long nowNanos) {
        return Math.max(0, nowNanos - startedNanos);
    }

    public int key() {
        return config.key();
    }

    /**
     * One leg's state.
     *
     * @param leg     its definition
     * @param status  what it is doing
     * @param detail  detail for the status, or null
     * @param peers   its SRT connections
     * @param stats   latest statistics of its primary connection, or null
     * @param srtUri  an equivalent {@code srt://} URL, passphrase masked
     */
    public record LegView(PairConfig.Leg leg, StreamStatus status, String detail, List<PeerView> peers,
            LinkStats stats, String srtUri) {
        public LegView {
            peers = List.copyOf(peers);
        }
    }
}
