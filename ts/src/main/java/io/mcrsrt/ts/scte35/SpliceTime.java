package io.mcrsrt.ts.scte35;

/**
 * splice_time() (ANSI/SCTE 35 9.4.1).
 *
 * @param timeSpecified time_specified_flag
 * @param ptsTime pts_time (33 bits, 90 kHz), or -1 when not specified
 */
public record SpliceTime(boolean timeSpecified, long ptsTime) {
    /** pts_time in seconds, or NaN when not specified. */
    public double seconds() {
        return timeSpecified ? ptsTime / 90_000.0 : Double.NaN;
    }
}
