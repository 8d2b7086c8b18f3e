package io.mcrsrt.streamer.nettest;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * The SRT latency and overhead rule of the Haivision SRT Deployment Guide ("RTT Multiplier", "Packet Loss Rate"):
 * latency = RTT multiplier x max(RTT, 20 ms), with the multiplier and the bandwidth overhead chosen from the worst
 * packet loss of the path:
 *
 * <pre>
 * loss  <= 1 %   multiplier 3   overhead 33 %
 * loss  <= 3 %   multiplier 4   overhead 25 %
 * loss  <= 7 %   multiplier 5   overhead 20 %
 * loss  <= 10 %  multiplier 6   overhead 17 %
 * loss  >  10 %  multiplier ceil(0.6 x loss) up to 20, overhead max(1.65 x loss, 100 / multiplier): unsuitable link
 * </pre>
 *
 * The guide's lower bounds on overhead are 1.65 x loss for constant loss and 100 / multiplier for burst loss; the table
 * rows satisfy both. Latency is clamped to SRT's 20..8000 ms and overhead to the 99 % the stream form accepts.
 * Pure and thread-safe.
 */
public final class Recommender {

    /** RTT below this is counted as this: SRT's timers and the receiver's scheduling do not go finer. */
    public static final double RTT_FLOOR_MS = 20;
    public static final int MIN_LATENCY_MS = 20;
    public static final int MAX_LATENCY_MS = 8000;
    public static final int MAX_MULTIPLIER = 20;
    public static final int MAX_OVERHEAD_PERCENT = 99;
    /** The loss assumed when none could be measured: the 7 % row, conservative for a public internet path. */
    public static final double ASSUMED_LOSS_PERCENT = 7;
    /** RTT above this is no terrestrial or satellite path: a measurement error. */
    public static final double MAX_PLAUSIBLE_RTT_MS = 60_000;

    private Recommender() {
    }

    /**
     * Recommends SRT settings for a path.
     *
     * @param rttMs measured round-trip time in milliseconds, 0..60000
     * @param lossPercent the worst packet loss measured on the path, 0..100, or empty when it could not be measured
     * @param bitrateMbps the stream bitrate the capacity figure is given for, or 0 to leave it out
     * @throws IllegalArgumentException naming the bad value and the expected range
     */
    public static Recommendation recommend(double rttMs, OptionalDouble lossPercent, double bitrateMbps) {
        if (!Double.isFinite(rttMs) || rttMs < 0 || rttMs > MAX_PLAUSIBLE_RTT_MS) {
            throw new IllegalArgumentException("RTT " + rttMs + " ms is not a measurement (expected: 0 to "
                    + (int) MAX_PLAUSIBLE_RTT_MS + " ms); measure the path again");
        }
        if (lossPercent.isPresent()) {
            double l = lossPercent.getAsDouble();
            if (!Double.isFinite(l) || l < 0 || l > 100) {
                throw new IllegalArgumentException("packet loss " + l + " % is not a percentage (expected: 0 to 100)");
            }
        }
        if (!Double.isFinite(bitrateMbps) || bitrateMbps < 0 || bitrateMbps > 100_000) {
            throw new IllegalArgumentException("stream bitrate " + bitrateMbps
                    + " Mbit/s is out of range (expected: 0 to 100000 Mbit/s, 0 to leave the capacity out)");
        }
        List<String> warnings = new ArrayList<>();
        boolean measured = lossPercent.isPresent();
        double loss = lossPercent.orElse(ASSUMED_LOSS_PERCENT);
        if (!measured) {
            warnings.add(String.format(Locale.ROOT,
                    "Packet loss was not measured (ICMP blocked or a TCP-only test): %s %% loss is assumed; "
                            + "run a UDP or SRT test to the same host for a measured figure.", num(loss)));
        }
        int multiplier;
        int overhead;
        String row;
        if (loss <= 1) {
            multiplier = 3;
            overhead = 33;
            row = "<= 1 %";
        } else if (loss <= 3) {
            multiplier = 4;
            overhead = 25;
            row = "<= 3 %";
        } else if (loss <= 7) {
            multiplier = 5;
            overhead = 20;
            row = "<= 7 %";
        } else if (loss <= 10) {
            multiplier = 6;
            overhead = 17;
            row = "<= 10 %";
        } else {
            multiplier = (int) Math.min(MAX_MULTIPLIER, Math.ceil(0.6 * loss));
            double needed = Math.max(1.65 * loss, 100.0 / multiplier);
            overhead = (int) Math.min(MAX_OVERHEAD_PERCENT, Math.ceil(needed - 1e-9));
            row = "> 10 %";
            warnings.add(String.format(Locale.ROOT,
                    "Loss of %s %% makes this link unsuitable for live SRT: fix the path or choose another one. "
                            + "These settings are the least that could recover it, not a promise.", num(loss)));
            if (needed > MAX_OVERHEAD_PERCENT) {
                warnings.add(String.format(Locale.ROOT,
                        "The overhead needed (%s %%) exceeds the %d %% maximum; retransmissions will not keep up.",
                        num(needed), MAX_OVERHEAD_PERCENT));
            }
        }
        double effectiveRtt = Math.max(rttMs, RTT_FLOOR_MS);
        double raw = multiplier * effectiveRtt;
        int latency = (int) Math.round(Math.clamp(raw, MIN_LATENCY_MS, MAX_LATENCY_MS));
        if (raw > MAX_LATENCY_MS) {
            warnings.add(String.format(Locale.ROOT,
                    "%d x %s ms = %s ms exceeds SRT's %d ms maximum latency: the latency is capped and lost packets "
                            + "may not be recovered in time.", multiplier, num(effectiveRtt), num(raw), MAX_LATENCY_MS));
        }
        if (measured && loss > 5 && loss <= 10) {
            // Measured through the link emulator (docs/network-test.md, "The proof"): libsrt resends a lost packet
            // about once per RTT and a quarter, so the table's latency leaves some packets unrepaired here.
            int safer = (int) Math.round(Math.clamp((multiplier + 1) * effectiveRtt, MIN_LATENCY_MS, MAX_LATENCY_MS));
            warnings.add(String.format(Locale.ROOT,
                    "At %s %% loss these settings may leave some packets unrepaired (measured at 8 Mbit/s: up to"
                            + " 1 a minute at 7 %%, up to 12 at 10 %%); one more RTT (latency %d ms) repairs more of"
                            + " them.", num(loss), safer));
        }
        double burst = latency * overhead / 100.0;
        double capacity = bitrateMbps * (1 + overhead / 100.0);

        StringBuilder text = new StringBuilder();
        text.append("RTT ").append(num(rttMs)).append(" ms");
        if (rttMs < RTT_FLOOR_MS) {
            text.append(" (counted as ").append(num(RTT_FLOOR_MS)).append(" ms, the floor)");
        }
        text.append(" x ").append(multiplier).append(" (loss ").append(num(loss)).append(" %");
        text.append(measured ? "" : " assumed").append(' ').append(row).append(") = ").append(latency).append(" ms");
        if (raw > MAX_LATENCY_MS) {
            text.append(" (capped)");
        }
        text.append("; overhead ").append(overhead).append(" %; absorbs bursts up to ").append(num(burst)).append(" ms");
        if (bitrateMbps > 0) {
            text.append("; needs ").append(num(bitrateMbps)).append(" Mbit/s x ")
                    .append(num(1 + overhead / 100.0)).append(" = ").append(num(capacity)).append(" Mbit/s of capacity");
        }
        return new Recommendation(latency, overhead, multiplier, loss, measured, burst, capacity, text.toString(),
                warnings);
    }

    /** At most two decimals, no trailing zeros: 48, 2.1, 12.5, 0.08. */
    static String num(double v) {
        String s = String.format(Locale.ROOT, "%.2f", v);
        s = s.replaceAll("0+$", "");
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }
}
