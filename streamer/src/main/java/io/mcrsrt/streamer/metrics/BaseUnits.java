package io.mcrsrt.streamer.metrics;

import java.math.BigDecimal;

/**
 * The statistics' units (the API's {@code rtt_ms}, {@code bitrate_mbps}, {@code packet_loss_percent}) in Prometheus's
 * base units: seconds, bytes, never bits (Prometheus's naming guide: one unit for data, so no query mixes them), and
 * ratios of 0 to 1 rather than percentages. The value is shifted as the decimal it prints as, so 0.03 ms is 3.0E-5 s;
 * {@code 0.03 / 1000} in doubles is 2.9999999999999997E-5, which a reader of {@code /metrics} would take for a
 * different figure. NaN and infinities pass through.
 */
final class BaseUnits {
    private static final BigDecimal BITS_PER_BYTE = BigDecimal.valueOf(8);

    private BaseUnits() {
    }

    /** Milliseconds in seconds. */
    static double seconds(double millis) {
        return Double.isFinite(millis) ? BigDecimal.valueOf(millis).movePointLeft(3).doubleValue() : millis;
    }

    /** Megabits per second (10^6 bits, as libsrt and the API count them) in bytes per second: 8 Mbit/s is 10^6. */
    static double bytesPerSecond(double mbps) {
        return Double.isFinite(mbps)
                ? BigDecimal.valueOf(mbps).movePointRight(6).divide(BITS_PER_BYTE).doubleValue() : mbps;
    }

    /** A percentage as a ratio of 0 to 1: 0.5 % is 0.005. */
    static double ratio(double percent) {
        return Double.isFinite(percent) ? BigDecimal.valueOf(percent).movePointLeft(2).doubleValue() : percent;
    }
}
