package io.mcrsrt.streamer.engine.output;

import java.util.Locale;

/**
 * Whether a connection's retransmissions fit the stream's overhead. With MAXBW 0 libsrt sends at most the input rate
 * plus OHEADBW percent; a path that needs more resends than that makes them queue behind new packets, so that repairs
 * come late and the receiver drops what they were for, which SRT never reports back to the sender. Said once in a
 * while, from the once-a-second samples of one connection; owned by that connection's owner thread.
 */
final class RepairBudget {
    /** Seconds of samples the share is taken over. */
    static final int WINDOW_SECONDS = 10;
    /** Fewer packets than this in the window say nothing: a second of loss on a slow stream is no trend. */
    static final long MIN_PACKETS = 500;
    /** At most one warning per connection in this time. */
    static final long TELL_EVERY_NANOS = 300_000_000_000L;

    private final int overheadPercent;
    private final long[] sent = new long[WINDOW_SECONDS];
    private final long[] retransmitted = new long[WINDOW_SECONDS];
    private int samples;
    private long toldNanos;
    private boolean told;

    RepairBudget(int overheadPercent) {
        this.overheadPercent = overheadPercent;
    }

    /**
     * Takes one second's counts ({@code pktSent} with its retransmissions, {@code pktRetrans}) and returns a warning
     * when the last {@link #WINDOW_SECONDS} seconds' retransmissions exceeded the overhead, or null.
     */
    String sample(long sentThisSecond, long retransmittedThisSecond, long nowNanos) {
        int slot = samples++ % WINDOW_SECONDS;
        sent[slot] = sentThisSecond;
        retransmitted[slot] = retransmittedThisSecond;
        if (samples < WINDOW_SECONDS || (told && nowNanos - toldNanos < TELL_EVERY_NANOS)) {
            return null;
        }
        long allSent = 0;
        long resent = 0;
        for (int i = 0; i < WINDOW_SECONDS; i++) {
            allSent += sent[i];
            resent += retransmitted[i];
        }
        long original = allSent - resent;
        if (original < MIN_PACKETS || resent * 100 <= (long) overheadPercent * original) {
            return null;
        }
        told = true;
        toldNanos = nowNanos;
        return String.format(Locale.ROOT, "retransmissions were %.1f %% of the stream over the last %d s, more than"
                + " its overhead of %d %% lets through: repairs queue behind new packets, and the receiver drops"
                + " what they come too late for; raise the overhead (bin/mcr-srt nettest recommends one) or the"
                + " latency", 100.0 * resent / original, WINDOW_SECONDS, overheadPercent);
    }
}
