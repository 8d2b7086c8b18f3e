package io.mcrsrt.streamer.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mcrsrt.streamer.security.LoginThrottle.Limit;
import io.mcrsrt.streamer.security.LoginThrottle.Origin;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {

    private final AtomicLong now = new AtomicLong(1_000_000);
    /** Three failures per client; a peer's limit out of reach, for the client rules alone. */
    private final LoginThrottle throttle = new LoginThrottle(new Limit(3, Duration.ofMinutes(10),
            Duration.ofMinutes(5)), new Limit(1_000, Duration.ofMinutes(10), Duration.ofMinutes(5)), 2, now::get);
    /** Three failures per client, six per peer, whose lockout is ten minutes. */
    private final LoginThrottle tiered = new LoginThrottle(new Limit(3, Duration.ofMinutes(10),
            Duration.ofMinutes(5)), new Limit(6, Duration.ofMinutes(10), Duration.ofMinutes(10)), 100, now::get);

    /** A client without a proxy: its own peer. */
    private static Origin direct(String address) {
        return new Origin(address, address);
    }

    /** A client named by the proxy on this machine. */
    private static Origin proxied(String address) {
        return new Origin(address, "loopback");
    }

    @Test
    void theThirdFailureWithinTheWindowLocksTheAddressOutForTheLockout() {
        assertThat(throttle.failed(direct("192.0.2.7"))).isZero();
        assertThat(throttle.failed(direct("192.0.2.7"))).isZero();
        assertThat(throttle.retryAfter(direct("192.0.2.7"))).isZero();
        assertThat(throttle.failed(direct("192.0.2.7"))).isEqualTo(Duration.ofMinutes(5));
        assertThat(throttle.retryAfter(direct("192.0.2.7"))).isEqualTo(Duration.ofMinutes(5));
        assertThat(throttle.retryAfter(direct("192.0.2.8"))).as("another address is not affected").isZero();

        now.addAndGet(Duration.ofMinutes(4).toMillis());
        assertThat(throttle.retryAfter(direct("192.0.2.7"))).isEqualTo(Duration.ofMinutes(1));
        now.addAndGet(Duration.ofMinutes(1).toMillis());
        assertThat(throttle.retryAfter(direct("192.0.2.7"))).isZero();
        assertThat(throttle.failed(direct("192.0.2.7"))).as("the count started again after the lockout").isZero();
    }

    @Test
    void attemptsBeingCheckedCountAsFailuresSoParallelGuessesGetNoMoreChecksThanTheLimit() {
        assertThat(throttle.begin(direct("a"))).isZero();
        assertThat(throttle.begin(direct("a"))).isZero();
        assertThat(throttle.begin(direct("a"))).isZero();
        assertThat(throttle.begin(direct("a"))).as("three being checked, as many as may fail")
                .isEqualTo(LoginThrottle.BUSY_WAIT);
        assertThat(throttle.begin(direct("b"))).as("another address is not affected").isZero();
        assertThat(throttle.failed(direct("a"))).isZero();
        assertThat(throttle.failed(direct("a"))).isZero();
        assertThat(throttle.failed(direct("a"))).isEqualTo(Duration.ofMinutes(5));
        assertThat(throttle.begin(direct("a"))).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void aSuccessWhileOthersAreCheckedForgetsTheFailuresButNotTheOthers() {
        throttle.failed(direct("a"));
        assertThat(throttle.begin(direct("a"))).isZero();
        assertThat(throttle.begin(direct("a"))).isZero();
        throttle.succeeded(direct("a"));
        assertThat(throttle.begin(direct("a"))).isZero();
        assertThat(throttle.begin(direct("a"))).as("one still being checked and one more begun").isZero();
        assertThat(throttle.begin(direct("a"))).isEqualTo(LoginThrottle.BUSY_WAIT);
    }

    @Test
    void failuresOlderThanTheWindowNoLongerCount() {
        throttle.failed(direct("a"));
        throttle.failed(direct("a"));
        now.addAndGet(Duration.ofMinutes(10).toMillis());
        assertThat(throttle.failed(direct("a"))).isZero();
        assertThat(throttle.failed(direct("a"))).isZero();
        assertThat(throttle.failed(direct("a"))).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void aSuccessForgetsTheFailures() {
        throttle.failed(direct("a"));
        throttle.failed(direct("a"));
        throttle.succeeded(direct("a"));
        assertThat(throttle.failed(direct("a"))).isZero();
        assertThat(throttle.failed(direct("a"))).isZero();
    }

    @Test
    void onlyTheMostRecentlySeenAddressesAreRemembered() {
        throttle.failed(direct("a"));
        throttle.failed(direct("a"));
        throttle.failed(direct("a"));
        throttle.failed(direct("b"));
        throttle.failed(direct("c"));
        assertThat(throttle.retryAfter(direct("a"))).as("the eldest of three, with room for two, was forgotten")
                .isZero();
    }

    @Test
    void madeUpClientAddressesOfOnePeerAreLockedOutTogetherAtThePeersLimit() {
        for (int i = 1; i <= 5; i++) {
            assertThat(tiered.begin(proxied("198.51.100." + i))).isZero();
            assertThat(tiered.failed(proxied("198.51.100." + i))).as("guess %d, each from a new address", i).isZero();
        }
        assertThat(tiered.begin(proxied("198.51.100.6"))).isZero();
        assertThat(tiered.failed(proxied("198.51.100.6"))).as("the peer's sixth failure")
                .isEqualTo(Duration.ofMinutes(10));
        assertThat(tiered.peerLockedOut("loopback")).isTrue();
        assertThat(tiered.begin(proxied("198.51.100.7"))).as("a new address through the same peer")
                .isEqualTo(Duration.ofMinutes(10));
        assertThat(tiered.begin(direct("192.0.2.1"))).as("another peer is not affected").isZero();

        now.addAndGet(Duration.ofMinutes(10).toMillis());
        assertThat(tiered.begin(proxied("198.51.100.7"))).as("the peer's lockout is over").isZero();
    }

    @Test
    void aClientsSuccessLeavesItsPeersFailuresCounted() {
        for (int i = 1; i <= 5; i++) {
            tiered.begin(proxied("198.51.100." + i));
            tiered.failed(proxied("198.51.100." + i));
        }
        tiered.begin(proxied("203.0.113.9"));
        tiered.succeeded(proxied("203.0.113.9"));
        tiered.begin(proxied("198.51.100.6"));
        assertThat(tiered.failed(proxied("198.51.100.6"))).as("the peer's sixth failure, a success between")
                .isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void parallelGuessesFromMadeUpAddressesGetNoMoreChecksThanThePeersLimit() {
        for (int i = 1; i <= 6; i++) {
            assertThat(tiered.begin(proxied("198.51.100." + i))).isZero();
        }
        assertThat(tiered.begin(proxied("198.51.100.7"))).as("six being checked through the peer")
                .isEqualTo(LoginThrottle.BUSY_WAIT);
        tiered.succeeded(proxied("198.51.100.1"));
        assertThat(tiered.begin(proxied("198.51.100.7"))).as("one ended").isZero();
    }

    /**
     * Guessers lock out the address and the peer an operator shares with them; the operator's browser, which has
     * signed in before, is counted on its own, by the per-client limit: not held back by their lockouts.
     */
    @Test
    void aBrowserThatHasSignedInBeforeIsCountedOnItsOwn() {
        for (int guess = 1; guess <= 6; guess++) {
            tiered.failed(proxied("203.0.113." + (guess % 2)));
        }
        assertThat(tiered.retryAfter(proxied("203.0.113.1"))).as("the client").isEqualTo(Duration.ofMinutes(10));
        assertThat(tiered.peerLockedOut("loopback")).isTrue();
        Origin operator = new Origin("203.0.113.1", "loopback", "browser-1");
        assertThat(tiered.begin(operator)).as("the operator's browser, from the locked-out client").isZero();
        tiered.succeeded(operator);

        assertThat(tiered.failed(operator)).isZero();
        assertThat(tiered.failed(operator)).isZero();
        assertThat(tiered.failed(operator)).as("its own limit, the client's").isEqualTo(Duration.ofMinutes(5));
        assertThat(tiered.begin(operator)).isEqualTo(Duration.ofMinutes(5));
        assertThat(tiered.begin(new Origin("203.0.113.1", "loopback", "browser-2"))).as("another known browser")
                .isZero();
    }

    @Test
    void nonsenseLimitsAreRefused() {
        assertThatThrownBy(() -> new Limit(0, Duration.ofMinutes(1), Duration.ofMinutes(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 1");
        Limit one = new Limit(1, Duration.ofMinutes(1), Duration.ofMinutes(1));
        assertThatThrownBy(() -> new LoginThrottle(one, one, 0, now::get))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 1");
    }

    @Test
    void thePeerLimitIsHigherThanTheClientLimit() {
        assertThat(LoginThrottle.STANDARD_PEER_LIMIT.maxFailures())
                .isGreaterThan(LoginThrottle.STANDARD_CLIENT_LIMIT.maxFailures());
    }
}
