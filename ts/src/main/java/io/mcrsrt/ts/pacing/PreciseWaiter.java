package io.mcrsrt.ts.pacing;

import java.util.concurrent.locks.LockSupport;

/**
 * Waits until a {@link System#nanoTime()} deadline precisely: parks until shortly before it (the spin window), then
 * spins with {@link Thread#onSpinWait()}; records how late each wake-up was in {@link #errors()}. The spin window
 * trades CPU for precision: on a busy machine a park can overshoot by hundreds of microseconds, the spin absorbs it.
 * For batched sending (wake every few ms, send every due message stamped with its due time), use a short spin window
 * or none and record the lateness of each message with {@link #record(long, long)}.
 *
 * <p>Not thread-safe for waiting: one waiter per sending thread. {@link #errors()} may be read from any thread.
 */
public final class PreciseWaiter {
    /** Default spin window: 200 microseconds. */
    public static final long DEFAULT_SPIN_NANOS = 200_000;

    /** How long before the deadline to stop parking and start spinning. */
    private final long spinNanos;
    /** Lateness of every wake-up. */
    private final SendTimeErrors errors = new SendTimeErrors();

    public PreciseWaiter(long spinNanos) {
        if (spinNanos < 0) {
            throw new IllegalArgumentException("spin window " + spinNanos + " ns (expected: >= 0)");
        }
        this.spinNanos = spinNanos;
    }

    public PreciseWaiter() {
        this(DEFAULT_SPIN_NANOS);
    }

    /**
     * Returns at or just after {@code deadline} (a {@link System#nanoTime()} value) and records the lateness. Returns
     * at once, recording the lateness, if the deadline has passed.
     *
     * @return the lateness in nanoseconds
     * @throws InterruptedException if the thread is interrupted while parked
     */
    public long sleepUntil(long deadline) throws InterruptedException {
        long now;
        while ((now = System.nanoTime()) < deadline - spinNanos) {
            LockSupport.parkNanos(this, deadline - spinNanos - now);
            if (Thread.interrupted()) {
                throw new InterruptedException("interrupted while waiting to send");
            }
        }
        while ((now = System.nanoTime()) < deadline) {
            Thread.onSpinWait();
        }
        long late = now - deadline;
        errors.record(late);
        return late;
    }

    /** Records that something due at {@code deadline} happened at {@code actual} (both {@link System#nanoTime()}). */
    public void record(long deadline, long actual) {
        errors.record(actual - deadline);
    }

    public SendTimeErrors errors() {
        return errors;
    }

    public long spinNanos() {
        return spinNanos;
    }
}
