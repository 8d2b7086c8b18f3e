package io.mcrsrt.streamer.engine.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** A listener's places for callers, taken in the handshake and settled by the stream's owner thread. */
class CallerPlacesTest {
    @Test
    void callersAdmittedInTheHandshakeCountUntilTheOwnerSettlesThem() {
        CallerPlaces places = new CallerPlaces(2);
        assertThat(places.reserve("192.0.2.1:5000", 0, () -> false)).isTrue();
        assertThat(places.reserve("192.0.2.2:5000", 0, () -> false)).isTrue();
        assertThat(places.reserve("192.0.2.3:5000", 0, () -> false)).as("a third caller while two are in the handshake")
                .isFalse();
        assertThat(places.reserve("192.0.2.1:5000", 1, () -> false)).as("the first caller repeating its handshake")
                .isTrue();

        places.settled("192.0.2.1:5000", 1); // taken on
        places.settled("192.0.2.2:5000", 1); // refused: wrong passphrase
        assertThat(places.admittedInHandshake()).isZero();
        assertThat(places.reserve("192.0.2.3:5000", 2, () -> false)).as("one served, one place free").isTrue();
        assertThat(places.reserve("192.0.2.4:5000", 2, () -> false)).isFalse();

        places.served(0); // the served caller left; the third is still in the handshake
        assertThat(places.reserve("192.0.2.4:5000", 3, () -> false)).isTrue();
    }

    @Test
    void aPlaceWhoseSocketNeverReachesTheOwnerIsGivenBack() {
        CallerPlaces places = new CallerPlaces(1);
        assertThat(places.reserve("192.0.2.1:5000", 0, () -> false)).isTrue();
        assertThat(places.reserve("192.0.2.2:5000", CallerPlaces.HOLD_NANOS - 1, () -> false)).isFalse();
        assertThat(places.reserve("192.0.2.2:5000", CallerPlaces.HOLD_NANOS, () -> false)).as("after the hold")
                .isTrue();
        assertThat(places.admittedInHandshake()).isEqualTo(1);
    }

    @Test
    void manyCallersRefusedOrGoneLeaveNothingBehind() {
        CallerPlaces places = new CallerPlaces(4);
        for (int i = 0; i < 10_000; i++) {
            String caller = "192.0.2.1:" + (1024 + i % 60_000);
            if (places.reserve(caller, i, () -> false)) {
                places.settled(caller, 0);
            }
        }
        assertThat(places.admittedInHandshake()).isZero();
        assertThat(places.served()).isZero();
    }

    @Test
    void aCallerWhoseConnectionFailedAfterTheHandshakeGivesItsPlaceBackAtOnce() {
        CallerPlaces places = new CallerPlaces(1);
        java.util.concurrent.atomic.AtomicBoolean failed = new java.util.concurrent.atomic.AtomicBoolean();
        assertThat(places.reserve("192.0.2.1:5000", 0, failed::get)).isTrue();
        places.forgetFailed();
        assertThat(places.reserve("192.0.2.2:5000", 1, () -> false)).as("still in its handshake").isFalse();
        failed.set(true); // the wrong key: it closed the connection before the owner took it on
        places.forgetFailed();
        assertThat(places.admittedInHandshake()).isZero();
        assertThat(places.reserve("192.0.2.2:5000", 2, () -> false)).as("well within the hold").isTrue();
    }

    @Test
    void noPlaceAtAllIsRefusedNamingTheValue() {
        assertThatThrownBy(() -> new CallerPlaces(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("max 0");
    }
}
