package io.mcrsrt.streamer.security;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Slows down password guessing on the UI login, at two levels, each with its own {@link Limit}:
 * <ul>
 *   <li>per client address ({@link Origin#client}, the address a proxy on this machine names in
 *       {@code X-Forwarded-For}): {@link #STANDARD_CLIENT_LIMIT}, 5 failures within 10 minutes lock the address out
 *       for 5 minutes;</li>
 *   <li>per direct peer ({@link Origin#peer}, who holds the TCP connection: this machine, whatever its loopback
 *       address, counts as one): {@link #STANDARD_PEER_LIMIT}, 20 failures within 10 minutes, of all its clients
 *       together, lock every login through that peer out for 10 minutes. A local user can send any
 *       {@code X-Forwarded-For}, or connect from any of the loopback addresses, and so pass for as many clients as they
 *       like; this caps what made-up addresses gain them. The real clients behind the nginx site share the limit, but
 *       each is locked out by its own long before they reach it together, and nginx asks for its own password before it
 *       passes a login on.</li>
 * </ul>
 * A locked-out client or peer is refused even with the right password; a success clears the client's record, not the
 * peer's (else one good login would give a guesser behind the same peer a fresh allowance).
 * <p>
 * Both levels count what anyone who reaches the login page sends, so a flood of wrong passwords, through the nginx
 * site or from the same address, would lock the operators out with the guessers. An attempt from a browser that has
 * signed in before ({@link Origin#browser}, the {@link KnownBrowsers} cookie, which only a successful login gives) is
 * therefore counted on its own, by the per-client limit, and neither counts towards nor waits for its client's and its
 * peer's: a guesser cannot lock such a browser out without its cookie, and one who has it is slowed down as any single
 * client. At most
 * {@code maxAddresses} keys are remembered at each level (the least recently seen are forgotten first), so a flood of
 * addresses cannot grow memory without bound. Thread-safe: every method holds the object's lock, and each call is
 * short.
 */
public final class LoginThrottle {

    /** How long an attempt waits while as many from its client or peer are being checked as may fail. */
    public static final Duration BUSY_WAIT = Duration.ofSeconds(1);
    /** The service's limit per client address: 5 failures within 10 minutes lock it out for 5 minutes. */
    public static final Limit STANDARD_CLIENT_LIMIT = new Limit(5, Duration.ofMinutes(10), Duration.ofMinutes(5));
    /**
     * The service's limit per direct peer: 20 failures within 10 minutes, of its clients together, lock every login
     * through it out for 10 minutes; so at most 20 guesses in any 10 minutes, however many addresses it claims.
     */
    public static final Limit STANDARD_PEER_LIMIT = new Limit(20, Duration.ofMinutes(10), Duration.ofMinutes(10));

    /**
     * One level's rule.
     *
     * @param maxFailures failed attempts within {@code window} that lock the key out (at least 1)
     * @param window      how far back failures count
     * @param lockout     how long a locked-out key is refused
     */
    public record Limit(int maxFailures, Duration window, Duration lockout) {
        public Limit {
            if (maxFailures < 1 || window.isNegative() || lockout.isNegative()) {
                throw new IllegalArgumentException("maxFailures must be at least 1 and durations positive, got "
                        + maxFailures + ", " + window + ", " + lockout);
            }
        }
    }

    /**
     * Where a login attempt comes from.
     *
     * @param client  the client's address ({@link ClientAddress#of})
     * @param peer    the direct peer's group ({@link ClientAddress#peerGroup}); the client itself when there is no
     *                proxy
     * @param browser the id of the browser's {@link KnownBrowsers} cookie, when it has signed in before; else null
     */
    public record Origin(String client, String peer, String browser) {
        /** An attempt from a browser that has not signed in before. */
        public Origin(String client, String peer) {
            this(client, peer, null);
        }
    }

    /**
     * The service's policy: {@link #STANDARD_CLIENT_LIMIT} and {@link #STANDARD_PEER_LIMIT}, timed by the monotonic
     * clock: the windows and lockouts are durations, and by the wall clock a step back (NTP setting a box's clock
     * right after a boot with a wrong one) locked an address out for as long as the step.
     */
    public static LoginThrottle standard() {
        return new LoginThrottle(STANDARD_CLIENT_LIMIT, STANDARD_PEER_LIMIT, 10_000,
                () -> System.nanoTime() / 1_000_000);
    }

    private final Level clients;
    private final Level peers;
    private final Level browsers;
    private final LongSupplier clock;

    /**
     * @param perClient    the limit of each client address
     * @param perPeer      the limit of each direct peer, all its clients together
     * @param maxAddresses how many clients, and how many peers, are remembered at most (at least 1)
     * @param clockMillis  a monotonic time in milliseconds, from any origin: only differences count (tests pass their
     *                     own)
     */
    public LoginThrottle(Limit perClient, Limit perPeer, int maxAddresses, LongSupplier clockMillis) {
        if (maxAddresses < 1) {
            throw new IllegalArgumentException("maxAddresses must be at least 1, got " + maxAddresses);
        }
        this.clients = new Level(perClient, maxAddresses);
        this.peers = new Level(perPeer, maxAddresses);
        this.browsers = new Level(perClient, maxAddresses);
        this.clock = clockMillis;
    }

    /** How long {@code origin} must still wait before it may try again; {@link Duration#ZERO} when it may try now. */
    public synchronized Duration retryAfter(Origin origin) {
        long now = clock.getAsLong();
        if (origin.browser() != null) {
            return browsers.retryAfter(origin.browser(), now);
        }
        return longer(clients.retryAfter(origin.client(), now), peers.retryAfter(origin.peer(), now));
    }

    /** Whether every login through {@code peer} is locked out now, its clients' failures together being too many. */
    public synchronized boolean peerLockedOut(String peer) {
        return !peers.retryAfter(peer, clock.getAsLong()).isZero();
    }

    /**
     * Starts an attempt from {@code origin}, to be ended by {@link #succeeded} or {@link #failed}:
     * {@link Duration#ZERO} when it may be checked now, else how long to wait. Attempts still being checked count as
     * failures until they end, so that guesses sent in parallel, all begun before any has failed, cannot have more
     * passwords checked than a limit's {@code maxFailures}; one over that waits {@link #BUSY_WAIT}.
     */
    public synchronized Duration begin(Origin origin) {
        Duration wait = retryAfter(origin);
        if (!wait.isZero()) {
            return wait;
        }
        long now = clock.getAsLong();
        if (origin.browser() != null) {
            if (browsers.busy(origin.browser(), now)) {
                return BUSY_WAIT;
            }
            browsers.begin(origin.browser());
            return Duration.ZERO;
        }
        if (clients.busy(origin.client(), now) || peers.busy(origin.peer(), now)) {
            return BUSY_WAIT;
        }
        clients.begin(origin.client());
        peers.begin(origin.peer());
        return Duration.ZERO;
    }

    /**
     * Records a failed attempt from {@code origin}, ending one {@link #begin begun}, at both levels (a known browser's
     * at its own only).
     *
     * @return the lockout that this failure started, for the client or for its whole peer, or {@link Duration#ZERO}
     *         when the client may still try
     */
    public synchronized Duration failed(Origin origin) {
        long now = clock.getAsLong();
        if (origin.browser() != null) {
            return browsers.failed(origin.browser(), now);
        }
        return longer(clients.failed(origin.client(), now), peers.failed(origin.peer(), now));
    }

    /**
     * Forgets the failures of the client after a successful login, ending one {@link #begin begun}; attempts still
     * being checked stay counted until they end. The peer's failures stay: they count its other clients' guesses.
     */
    public synchronized void succeeded(Origin origin) {
        if (origin.browser() != null) {
            browsers.succeeded(origin.browser());
            return;
        }
        clients.succeeded(origin.client());
        peers.ended(origin.peer());
    }

    private static Duration longer(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    /** The records of one level, by key; guarded by the throttle's lock. */
    private static final class Level {
        private final int maxFailures;
        private final long windowMillis;
        private final long lockoutMillis;
        private final Map<String, Record> records;

        Level(Limit limit, int maxKeys) {
            this.maxFailures = limit.maxFailures();
            this.windowMillis = limit.window().toMillis();
            this.lockoutMillis = limit.lockout().toMillis();
            this.records = new LinkedHashMap<>(64, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Record> eldest) {
                    return size() > maxKeys;
                }
            };
        }

        Duration retryAfter(String key, long now) {
            Record r = records.get(key);
            if (r == null) {
                return Duration.ZERO;
            }
            long left = r.lockedUntil - now;
            return left > 0 ? Duration.ofMillis(left) : Duration.ZERO;
        }

        /** Whether as many attempts of {@code key} are being checked or have failed as may fail. */
        boolean busy(String key, long now) {
            Record r = records.get(key);
            if (r == null) {
                return false;
            }
            forgetOld(r, now);
            return r.failures.size() + r.checking >= maxFailures;
        }

        void begin(String key) {
            records.computeIfAbsent(key, k -> new Record()).checking++;
        }

        Duration failed(String key, long now) {
            Record r = records.computeIfAbsent(key, k -> new Record());
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

        /** Forgets {@code key}'s failures, ending one attempt begun. */
        void succeeded(String key) {
            Record r = records.remove(key);
            if (r != null && r.checking > 1) {
                Record still = new Record();
                still.checking = r.checking - 1;
                records.put(key, still);
            }
        }

        /** Ends one attempt begun, keeping {@code key}'s failures. */
        void ended(String key) {
            Record r = records.get(key);
            if (r != null) {
                r.checking = Math.max(0, r.checking - 1);
            }
        }

        private void forgetOld(Record r, long now) {
            while (!r.failures.isEmpty() && now - r.failures.peekFirst() >= windowMillis) {
                r.failures.pollFirst();
            }
        }
    }

    /** Failure times and lockout of one key; guarded by the throttle's lock. */
    private static final class Record {
        final ArrayDeque<Long> failures = new ArrayDeque<>();
        long lockedUntil;
        /** Attempts begun and not yet ended. */
        int checking;
    }
}
