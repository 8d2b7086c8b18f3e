package io.mcrsrt.ts.scte35;

/**
 * break_duration() (ANSI/SCTE 35 9.4.2).
 *
 * @param autoReturn auto_return
 * @param duration duration (33 bits, 90 kHz)
 */
public record BreakDuration(boolean autoReturn, long duration) {
    public double seconds() {
        return duration / 90_000.0;
    }
}
