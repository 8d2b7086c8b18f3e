package io.mcrsrt.streamer.metrics;

import java.math.BigDecimal;

/**
 * The statistics' units (the API's {@code rtt_ms}, {@code send_buffer_level_ms}, ...) in Prometheus's base units. The
 * value is shifted as the decimal it prints as, so 0.03 ms is 3.0E-5 s; {@code 0.03 / 1000} in doubles is
 * 2.9999999999999997E-5, which a reader of {@code /metrics} would take for a different figure. NaN and infinities pass
 * through.
 */
final class BaseUnits {
    private BaseUnits() {
    }

    /** Milliseconds in seconds. */
    static double seconds(double millis) {
        return Double.isFinite(millis) ? BigDecimal.valueOf(millis).movePointLeft(3).doubleValue() : millis;
    }
}
