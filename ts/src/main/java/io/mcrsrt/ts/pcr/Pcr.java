package io.mcrsrt.ts.pcr;

import java.util.Objects;

/**
 * Arithmetic on the MPEG system clock (ISO/IEC 13818-1 2.4.2.2): a PCR is a 33-bit base at 90 kHz times 300 plus a
 * 9-bit extension, i.e. a 27 MHz count that wraps at 2^33 * 300 (about 26.5 hours). PTS and DTS are 33-bit 90 kHz
 * counts that wrap at 2^33.
 */
public final class Pcr {
    /** Ticks per second of the 27 MHz system clock. */
    public static final long HZ = 27_000_000L;
    /** Ticks per second of PTS, DTS and the PCR base. */
    public static final long PTS_HZ = 90_000L;
    /** Where PTS, DTS and the PCR base wrap: 2^33. */
    public static final long PTS_WRAP = 1L << 33;
    /** Where a 27 MHz PCR wraps: 2^33 * 300. */
    public static final long WRAP = PTS_WRAP * 300;

    private Pcr() {}

    /** The 27 MHz count of a PCR given as base (33 bits) and extension (9 bits, 0..299). */
    public static long of(long base, int extension) {
        if (base < 0 || base >= PTS_WRAP) {
            throw new IllegalArgumentException("program_clock_reference_base " + base + " (expected: 0.." + (PTS_WRAP - 1) + ")");
        }
        if (extension < 0 || extension > 299) {
            throw new IllegalArgumentException("program_clock_reference_extension " + extension + " (expected: 0..299)");
        }
        return base * 300 + extension;
    }

    /** Forward distance from {@code from} to {@code to} in 27 MHz ticks, across one wrap: always 0..WRAP-1. */
    public static long forward(long from, long to) {
        long d = to - from;
        return d < 0 ? d + WRAP : d;
    }

    /**
     * Signed distance from {@code from} to {@code to}, taking the shorter way around the wrap: negative when {@code to}
     * is earlier than {@code from}.
     */
    public static long delta(long from, long to) {
        long d = Math.floorMod(to - from, WRAP);
        return d >= WRAP / 2 ? d - WRAP : d;
    }

    /** {@code pcr + ticks}, wrapped. */
    public static long add(long pcr, long ticks) {
        return Math.floorMod(pcr + ticks, WRAP);
    }

    /** {@code pts + ticks}, wrapped at 2^33. */
    public static long addPts(long pts, long ticks) {
        return Math.floorMod(pts + ticks, PTS_WRAP);
    }

    /** Signed distance between two 33-bit timestamps, the shorter way around the wrap. */
    public static long ptsDelta(long from, long to) {
        long d = Math.floorMod(to - from, PTS_WRAP);
        return d >= PTS_WRAP / 2 ? d - PTS_WRAP : d;
    }

    public static long toNanos(long ticks27MHz) {
        return ticks27MHz / 27L * 1000L + ticks27MHz % 27L * 1000L / 27L;
    }

    public static long fromNanos(long nanos) {
        return nanos / 1000L * 27L + (nanos % 1000L) * 27L / 1000L;
    }

    /** Bits per second of {@code bytes} sent over {@code ticks} of the 27 MHz clock; 0 if {@code ticks} is not positive. */
    public static double bitrate(long bytes, long ticks) {
        return ticks <= 0 ? 0 : bytes * 8.0 * HZ / ticks;
    }

    /** Reads a PTS or DTS (ISO/IEC 13818-1 2.4.3.7): 5 bytes, marker bits ignored. */
    public static long readTimestamp(byte[] b, int i) {
        Objects.requireNonNull(b, "b must not be null");
        return ((long) (b[i] & 0x0E) << 29) | ((b[i + 1] & 0xFF) << 22) | ((b[i + 2] & 0xFE) << 14)
                | ((b[i + 3] & 0xFF) << 7) | ((b[i + 4] & 0xFE) >> 1);
    }

    /** Rewrites a PTS or DTS in place, keeping the 4-bit prefix of the first byte and setting marker bits. */
    public static void writeTimestamp(byte[] b, int i, long ts) {
        Objects.requireNonNull(b, "b must not be null");
        b[i] = (byte) ((b[i] & 0xF0) | ((ts >> 29) & 0x0E) | 1);
        b[i + 1] = (byte) (ts >> 22);
        b[i + 2] = (byte) (((ts >> 14) & 0xFE) | 1);
        b[i + 3] = (byte) (ts >> 7);
        b[i + 4] = (byte) (((ts << 1) & 0xFE) | 1);
    }
}
