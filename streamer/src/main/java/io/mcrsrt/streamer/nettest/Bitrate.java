package io.mcrsrt.streamer.nettest;

import java.util.Locale;

/** Bitrates as engineers write them: {@code 10M}, {@code 2.5M}, {@code 500k}, {@code 8000000}. */
public final class Bitrate {

    private Bitrate() {
    }

    /**
     * @return bits per second
     * @throws IllegalArgumentException naming the text and the expected form
     */
    public static long parse(String text) {
        String t = text == null ? "" : text.strip().toUpperCase(Locale.ROOT);
        double factor = 1;
        if (t.endsWith("M")) {
            factor = 1e6;
            t = t.substring(0, t.length() - 1);
        } else if (t.endsWith("K")) {
            factor = 1e3;
            t = t.substring(0, t.length() - 1);
        } else if (t.endsWith("G")) {
            factor = 1e9;
            t = t.substring(0, t.length() - 1);
        }
        // Digits and a decimal point only: Java's own number syntax would take 5f, 10D or 1e1 (5 f is 5 bit/s).
        double v = t.matches("\\d+(\\.\\d+)?") ? Double.parseDouble(t) : -1;
        if (!(v > 0) || v * factor > 10e9) {
            throw new IllegalArgumentException("bitrate '" + text + "' is not a bitrate (expected for example 10M,"
                    + " 2.5M or 500k, up to 10G)");
        }
        return Math.round(v * factor);
    }

    /** {@code bps} as {@link #parse} reads it, rounded down to a tenth of the unit: 3.87 Mbit/s is {@code 3.8M}. */
    public static String format(long bps) {
        double m = Math.floor(bps / 1e5) / 10;
        if (m >= 0.1) {
            return (m == Math.rint(m) ? Long.toString((long) m) : Double.toString(m)) + "M";
        }
        return Math.max(1, bps / 1000) + "k";
    }
}
