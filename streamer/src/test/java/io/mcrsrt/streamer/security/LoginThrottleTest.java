package io.mcrsrt.streamer.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {

    private final AtomicLong now = new AtomicLong(1_000_000);
    private final LoginThrottle throttle =
            new LoginThrottle(3, Duration.ofMinutes(10), Duration.ofMinutes(5), 2, now::get);

    @Test
    void theThirdFailureWithinTheWindowLocksTheAddressOutForTheLockout() {
        assertThat(throttle.failed("192.0.2.7")).isZero();
        assertThat(throttle.failed("192.0.2.7")).isZero();
        assertThat(throttle.retryAfter("192.0.2.7")).isZero();
        assertThat(throttle.failed("192.0.2.7")).isEqualTo(Duration.ofMinutes(5));
        assertThat(throttle.retryAfter("192.0.2.7")).isEqualTo(Duration.ofMinutes(5));
        assertThat(throttle.retryAfter("192.0.2.8")).as("another address is not affected").isZero();

        now.addAndGet(Duration.ofMinutes(4).toMillis());
        assertThat(throttle.retryAfter("192.0.2.7")).isEqualTo(Duration.ofMinutes(1));
        now.addAndGet(Duration.ofMinutes(1).toMillis());
        assertThat(throttle.retryAfter("192.0.2.7")).isZero();
        assertThat(throttle.failed("192.0.2.7")).as("the count started again after the lockout").isZero();
    }

    @Test
    void attemptsBeingCheckedCountAsFailuresSoParallelGuessesGetNoMoreChecksThanTheLimit() {
        assertThat(throttle.begin("a")).isZero();
        assertThat(throttle.begin("a")).isZero();
        assertThat(throttle.begin("a")).isZero();
        assertThat(throttle.begin("a")).as("three being checked, as many as may fail").isEqualTo(LoginThrottle.BUSY_WAIT);
        assertThat(throttle.begin("b")).as("another address is not affected").isZero();
        assertThat(throttle.failed("a")).isZero();
        assertThat(throttle.failed("a")).isZero();
        assertThat(throttle.failed("a")).isEqualTo(Duration.ofMinutes(5));
        assertThat(throttle.begin("a")).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void aSuccessWhileOthersAreCheckedForgetsTheFailuresButNotTheOthers() {
        throttle.failed("a");
        assertThat(throttle.begin("a")).isZero();
        assertThat(throttle.begin("a")).isZero();
        throttle.succeeded("a");
        assertThat(throttle.begin("a")).isZero();
        assertThat(throttle.begin("a")).as("one still being checked and one more begun").isZero();
        assertThat(throttle.begin("a")).isEqualTo(LoginThrottle.BUSY_WAIT);
    }

    @Test
    void failuresOlderThanTheWindowNoLongerCount() {
        throttle.failed("a");
        throttle.failed("a");
        now.addAndGet(Duration.ofMinutes(10).toMillis());
        assertThat(throttle.failed("a")).isZero();
        assertThat(throttle.failed("a")).isZero();
        assertThat(throttle.failed("a")).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void aSuccessForgetsTheFailures() {
        throttle.failed("a");
        throttle.failed("a");
        throttle.succeeded("a");
        assertThat(throttle.failed("a")).isZero();
        assertThat(throttle.failed("a")).isZero();
    }

    @Test
    void onlyTheMostRecentlySeenAddressesAreRemembered() {
        throttle.failed("a");
        throttle.failed("a");
        throttle.failed("a");
        throttle.failed("b");
        throttle.failed("c");
        assertThat(throttle.retryAfter("a")).as("the eldest of three, with room for two, was forgotten").isZero();
    }

    @Test
    void nonsenseLimitsAreRefused() {
        assertThatThrownBy(() -> new LoginThrottle(0, Duration.ofMinutes(1), Duration.ofMinutes(1), 1, now::get))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 1");
    }
}
