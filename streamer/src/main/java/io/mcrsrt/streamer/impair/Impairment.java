package io.mcrsrt.streamer.impair;

import java.math.BigDecimal;
import java.math.MathContext;

/**
 * What the emulated path does to the datagrams of one direction. Validated once, then immutable.
 *
 * @param lossPercent share of datagrams lost, 0..100; with {@code burstLength} above 1 the losses come in runs and
 *     this stays the overall share
 * @param burstLength datagrams lost in a row at each loss event, 1..10000 (1: independent random loss)
 * @param delayMs one-way delay added to every datagram, 0..10000 ms
 * @param jitterMs each datagram's delay is drawn uniformly within delay +/- jitter (never below zero), 0..10000 ms,
 *     not limited to the delay; datagrams keep their order unless reordered on purpose, so one never leaves before
 *     the one ahead of it: datagrams closer together than the jitter's range mostly wait for a slower one ahead, and
 *     the delay rises toward delay + jitter and varies less
 * @param reorderPercent share of datagrams held back {@link #REORDER_HOLD_MS} ms so that later ones overtake them,
 *     0..100
 * @param rateMbps bottleneck rate in Mbit/s, 0 for unlimited; datagrams that would wait more than {@code queueMs} for
 *     it are dropped, as a router's full queue drops them
 * @param queueMs how long the bottleneck queue can hold traffic, 1..10000 ms
 */
public record Impairment(
        double lossPercent,
        int burstLength,
        double delayMs,
        double jitterMs,
        double reorderPercent,
        double rateMbps,
        double queueMs) {

    /** How far a reordered datagram is held back behind its successors. */
    public static final double REORDER_HOLD_MS = 5;

    /** A path that does nothing: every datagram passes at once. */
    public static final Impairment NONE = new Impairment(0, 1, 0, 0, 0, 0, 200);

    public Impairment {
        check("loss", lossPercent, 0, 100, "%");
        if (burstLength < 1 || burstLength > 10_000) {
            throw new IllegalArgumentException("burst loss length " + burstLength
                    + " datagrams is out of range (expected: 1 to 10000; 1 means independent random loss)");
        }
        check("delay", delayMs, 0, 10_000, "ms");
        check("jitter", jitterMs, 0, 10_000, "ms");
        check("reorder", reorderPercent, 0, 100, "%");
        check("rate", rateMbps, 0, 100_000, "Mbit/s (0 means unlimited)");
        check("queue", queueMs, 1, 10_000, "ms");
        if (burstLength > 1 && lossPercent >= 100) {
            throw new IllegalArgumentException("burst loss with 100 % loss is meaningless: everything is lost already");
        }
        // The bottleneck drops a datagram that would finish later than the queue allows, its own sending time
        // included: below this rate not even one full-size datagram could pass, and the path would carry nothing.
        double fullDatagramMs = FULL_DATAGRAM_BYTES * 8 / (rateMbps * 1000);
        if (rateMbps > 0 && fullDatagramMs > queueMs) {
            throw new IllegalArgumentException("rate " + plain(rateMbps) + " Mbit/s takes " + plain(round(fullDatagramMs))
                    + " ms to pass one " + FULL_DATAGRAM_BYTES + "-byte datagram, longer than the " + plain(queueMs)
                    + " ms queue holds it, so every full-size datagram would be dropped (expected: at least "
                    + plain(FULL_DATAGRAM_BYTES * 8 / (queueMs * 1000)) + " Mbit/s with this queue, or a longer queue)");
        }
    }

    /** The largest datagram an Ethernet path carries whole: the rate must let one through within the queue. */
    static final int FULL_DATAGRAM_BYTES = 1500;

    /**
     * What this direction does, for people: "loss 2 % (bursts of 1), delay 50 ms +/- 0 ms, reorder 0 %, rate
     * unlimited, queue 200 ms". Numbers are written plainly, never in exponent form.
     */
    @Override
    public String toString() {
        return "loss " + plain(lossPercent) + " % (bursts of " + burstLength + "), delay " + plain(delayMs) + " ms +/- "
                + plain(jitterMs) + " ms, reorder " + plain(reorderPercent) + " %, rate "
                + (rateMbps > 0 ? plain(rateMbps) + " Mbit/s" : "unlimited") + ", queue " + plain(queueMs) + " ms";
    }

    /** Delay only, in both directions a typical way to emulate a path of twice that RTT. */
    public static Impairment delay(double delayMs) {
        return NONE.withDelay(delayMs);
    }

    public Impairment withLoss(double percent) {
        return new Impairment(percent, burstLength, delayMs, jitterMs, reorderPercent, rateMbps, queueMs);
    }

    public Impairment withBurstLength(int datagrams) {
        return new Impairment(lossPercent, datagrams, delayMs, jitterMs, reorderPercent, rateMbps, queueMs);
    }

    public Impairment withDelay(double ms) {
        return new Impairment(lossPercent, burstLength, ms, jitterMs, reorderPercent, rateMbps, queueMs);
    }

    public Impairment withJitter(double ms) {
        return new Impairment(lossPercent, burstLength, delayMs, ms, reorderPercent, rateMbps, queueMs);
    }

    public Impairment withReorder(double percent) {
        return new Impairment(lossPercent, burstLength, delayMs, jitterMs, percent, rateMbps, queueMs);
    }

    public Impairment withRate(double mbps) {
        return new Impairment(lossPercent, burstLength, delayMs, jitterMs, reorderPercent, mbps, queueMs);
    }

    public Impairment withQueue(double ms) {
        return new Impairment(lossPercent, burstLength, delayMs, jitterMs, reorderPercent, rateMbps, ms);
    }

    /**
     * Probability that a passing datagram starts a loss run, chosen so that runs of {@code burstLength} datagrams make
     * up {@code lossPercent} of all datagrams: mean gap between runs = burst x (1 - p) / p.
     */
    double lossEventProbability() {
        double p = lossPercent / 100;
        if (p <= 0) {
            return 0;
        }
        if (p >= 1) {
            return 1;
        }
        return p / (p + burstLength * (1 - p));
    }

    private static void check(String what, double value, double min, double max, String unit) {
        if (!Double.isFinite(value) || value < min || value > max) {
            throw new IllegalArgumentException(what + " " + (Double.isFinite(value) ? plain(value) : value)
                    + " is out of range (expected: " + plain(min) + " to " + plain(max) + " " + unit + ")");
        }
    }

    /** Three significant digits, enough to say how far off a value is. */
    private static double round(double v) {
        return new BigDecimal(v).round(new MathContext(3)).doubleValue();
    }

    /** 0.000001 rather than 1.0E-6, 200 rather than 200.0. */
    static String plain(double v) {
        return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }

}
