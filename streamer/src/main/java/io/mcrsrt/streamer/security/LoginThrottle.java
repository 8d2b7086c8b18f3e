package io.mcrsrt.streamer.security;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Slows down password guessing on the UI login: an address that fails {@code maxFailures} times within
 * {@code window} is refused, even with the right password, for {@code lockout}; a success clears its record. At most
 * {@code maxAddresses} addresses are remembered (the least recently seen are forgotten first), so a flood of addresses
 * cannot grow memory without bound. Thread-safe: every method holds the object's lock, and each call is short.
 */
public final class LoginThrottle {

    /** How long an attempt waits while as many from its address are being checked as may fail. */
    public static final Duration BUSY_WAIT = Duration.ofSeconds(1);

    /** The service's policy: 5 failures within 10 minutes lock the address out for 5 minutes. */
    public static LoginThrottle standard() {
        return new LoginThrottle(5, Duration.ofMinutes(10), Duration.ofMinutes(5), 10_000, System::currentTimeMillis);
    }

    private final int maxFailures;
    private final long windowMillis;
    private final long lockoutMillis;
    private final LongSupplier clock;
    private final Map<String, Record> records;

    /**
     * @param maxFailures  failed attempts within {@code window} that lock an address out (at least 1)
     * @param window       how far back failures count
     * @param lockout      how long a locked-out address is refused
     * @param maxAddresses how many addresses are remembered at most
     * @param clockMillis  the time in milliseconds (tests pass their own)
     */
    public LoginThrottle(int maxFailures, Duration window, Duration lockout, int maxAddresses,
            LongSupplier clockMillis) {
        if (maxFailures < 1 || maxAddresses < 1 || window.isNegative() || lockout.isNegative()) {
            throw new IllegalArgumentException("maxFailures and maxAddresses must be at least 1 and durations positive,"
                    + " got " + maxFailures + ", " + maxAddresses + ", " + window + ", " + lockout);
        }
        this.maxFailures = maxFailures;
        this.windowMillis = window.toMillis();
        this.lockoutMillis = lockout.toMillis();
        this.clock = clockMillis;
        this.records = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Record> eldest) {
                return size() > maxAddresses;
            }
        };
    }

    /** How long {@code address} must still wait before it may try again; {@link Duration#ZERO} when it may try now. */
    public synchronized Duration retryAfter(String address) {
        Record r = records.get(address);
        if (r == null) {
            return Duration.ZERO;
        }
        long left = r.lockedUntil - clock.getAsLong();
        return left > 0 ? Duration.ofMillis(left) : Duration.ZERO;
    }

    /**
     * Starts an attempt from {@code address}, to be ended by {@link #succeeded} or {@link #failed}: {@link Duration#ZERO}
     * when it may be checked now, else how long to wait. Attempts still being checked count as failures until they
     * end, so that guesses sent in parallel, all begun before any has failed, cannot have more passwords checked than
     * {@code maxFailures}; one over that waits {@link #BUSY_WAIT}.
     */
    public synchronized Duration begin(String address) {
        Duration wait = retryAfter(address);
        if (!wait.isZero()) {
            return wait;
        }
        Record r = records.computeIfAbsent(address, a -> new Record());
        forgetOld(r, clock.getAsLong());
        if (r.failures.size() + r.checking >= maxFailures) {
            return BUSY_WAIT;
        }
        r.checking++;
        return Duration.ZERO;
    }

    /**
     * Records a failed attempt from {@code address}, ending one {@link #begin begun}.
     *
     * @return the lockout that this failure started, or {@link Duration#ZERO} when the address may still try
     */
    public synchronized Duration failed(String address) {
        long now = clock.getAsLong();
        Record r = records.computeIfAbsent(address, a -> new Record());
        r.checking = Math.max(0, r.checking - 1);
        forgetOld(r, now);
        r.failures.addLast(now);
        if (r.failures.size() >= maxFailures) {
            r.failures.clear();
            r.lockedUntil = now + lockoutMillis;
            return Duration.ofMillis(lockoutMillis);
        }
        return Duration.ZERO;
    }

    /**
     * Forgets the failures of {@code address} after a successful login, ending one {@link #begin begun}; attempts
     * still being checked stay counted until they end.
     */
    public synchronized void succeeded(String address) {
        Record r = records.remove(address);
        if (r != null && r.checking > 1) {
            Record still = new Record();
            still.checking = r.checking - 1;
            records.put(address, still);
        }
    }

    private void forgetOld(Record r, long now) {
        while (!r.failures.isEmpty() && now - r.failures.peekFirst() >= windowMillis) {
            r.failures.pollFirst();
        }
    }

    /** Failure times and lockout of one address; guarded by the throttle's lock. */
    private static final class Record {
        final ArrayDeque<Long> failures = new ArrayDeque<>();
        long lockedUntil;
        /** Attempts begun and not yet ended. */
        int checking;
    }
}
