package io.mcrsrt.streamer.stream;

import java.util.List;
import java.util.Objects;

/**
 * The SCTE-35 cues a stream has sent since it started: how many, and the last few decoded.
 *
 * @param count  cues sent, decoded or not; only grows
 * @param errors of them, cues that could not be decoded (a broken section, a CRC_32 that does not check)
 * @param recent the last cues, oldest first, at most {@link #RECENT}
 */
public record Scte35Cues(long count, long errors, List<Cue> recent) {
    /** How many cues {@link #recent} keeps. */
    public static final int RECENT = 20;
    /** A stream that has sent none. */
    public static final Scte35Cues NONE = new Scte35Cues(0, 0, List.of());

    public Scte35Cues {
        recent = List.copyOf(recent);
    }

    /**
     * One cue as the stream sent it.
     *
     * @param timeMillis      epoch milliseconds it was sent (its last packet handed to the output)
     * @param pid             the PID that carried it
     * @param command         splice_command name ({@code splice_insert}, {@code time_signal}, ...), or null if it
     *                        could not be decoded
     * @param eventId         splice_event_id of a splice_insert, else segmentation_event_id of the first segmentation
     *                        descriptor, else null
     * @param ptsSeconds      where it splices: pts_time plus pts_adjustment modulo 2^33, in seconds; null for an
     *                        immediate splice or a command without a time
     * @param durationSeconds break_duration of a splice_insert, else segmentation_duration of the first segmentation
     *                        descriptor that has one, in seconds; else null
     * @param summary         the cue in words, on one line, as {@code mcr-srt scte35} says it, or why it could not be
     *                        decoded
     * @param json            the cue as {@code mcr-srt scte35 --json} gives it, or null if it could not be decoded
     * @param error           why it could not be decoded, or null
     */
    public record Cue(long timeMillis, int pid, String command, Long eventId, Double ptsSeconds,
            Double durationSeconds, String summary, String json, String error) {
        public Cue {
            Objects.requireNonNull(summary, "summary must not be null (the cue in words, or why it did not decode)");
        }
    }
}
