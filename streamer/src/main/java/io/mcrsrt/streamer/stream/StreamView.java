package io.mcrsrt.streamer.stream;

import java.util.List;

/**
 * A consistent snapshot of one running stream, taken by its owner and handed to front ends, which never reach into the
 * stream itself.
 *
 * @param config        the stream's definition
 * @param status        what it is doing
 * @param statusDetail  detail for {@link StreamStatus#ERROR}, or a reason for other states; may be null
 * @param startedAt     epoch milliseconds the stream was started: its {@code start_time}, as the wall clock read then
 * @param startedNanos  {@link System#nanoTime()} when the stream was started: its uptime counts from this, so that a
 *                      step of the wall clock (NTP setting a wrong clock right) neither jumps nor stops it
 * @param peers         current SRT connections (a listener may have several)
 * @param stats         the latest statistics of the primary connection (first caller, or the caller's link), or null
 * @param events        recent connection events, oldest first, bounded
 * @param inputBitrateMbps the input's measured bitrate over the last second
 * @param srtUri        an {@code srt://} URL equivalent to the stream's output, passphrase masked
 * @param linkBreaks    connections lost since the stream started: a caller's link that broke, a caller that left a
 *                      listener (events {@code broken} and {@code disconnected}); only ever grows
 * @param inputCounters what a network input's packets said about the path before this service (continuity errors,
 *                      RTP datagrams lost) when the view was taken; null for a file or colour bars
 * @param scte35        the SCTE-35 cues the stream has sent since it started
 */
public record StreamView(
        StreamConfig config,
        StreamStatus status,
        String statusDetail,
        long startedAt,
        long startedNanos,
        List<PeerView> peers,
        LinkStats stats,
        List<ConnectionEvent> events,
        double inputBitrateMbps,
        String srtUri,
        long linkBreaks,
        InputCounters inputCounters,
        Scte35Cues scte35) {

    public StreamView {
        peers = List.copyOf(peers);
        events = List.copyOf(events);
        scte35 = scte35 == null ? Scte35Cues.NONE : scte35;
    }

    /** A view of a stream that has sent no SCTE-35 cue. */
    public StreamView(StreamConfig config, StreamStatus status, String statusDetail, long startedAt, long startedNanos,
            List<PeerView> peers, LinkStats stats, List<ConnectionEvent> events, double inputBitrateMbps, String srtUri,
            long linkBreaks, InputCounters inputCounters) {
        this(config, status, statusDetail, startedAt, startedNanos, peers, stats, events, inputBitrateMbps, srtUri,
                linkBreaks, inputCounters, Scte35Cues.NONE);
    }

    public int key() {
        return config.key();
    }

    /** How long the stream has run at {@code nowNanos} ({@link System#nanoTime()}), in nanoseconds. */
    public long uptimeNanos(long nowNanos) {
        return Math.max(0, nowNanos - startedNanos);
    }

    /** The status as the API shows it, e.g. {@code "Connected"} or {@code "Error: file is truncated"}. */
    public String connectionStatus() {
        return status.display(statusDetail);
    }
}
