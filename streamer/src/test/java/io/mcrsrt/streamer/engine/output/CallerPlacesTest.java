package io.mcrsrt.streamer.engine.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** A listener's places for callers, taken in the handshake and settled by the stream's owner thread. */
class CallerPlacesTest {
    @Test
    void callersAdmittedInTheHandshakeCountUntilTheOwnerSettlesThem() {
        CallerPlaces places = new CallerPlaces(2);
        assertThat(places.reserve("192.0.2.1:5000", 0, () -> false, 0)).isTrue();
        assertThat(places.reserve("192.0.2.2:5000", 0, () -> false, 0)).isTrue();
        assertThat(places.reserve("192.0.2.3:5000", 0, () -> false, 0))
                .as("a third caller while two are in the handshake").isFalse();
        assertThat(places.reserve("192.0.2.1:5000", 1, () -> false, 0)).as("the first caller repeating its handshake")
                .isTrue();

        places.settled("192.0.2.1:5000", 1); // taken on
        places.settled("192.0.2.2:5000", 1); // refused by the owner: it had left already
        assertThat(places.admittedInHandshake()).isZero();
        assertThat(places.reserve("192.0.2.3:5000", 2, () -> false, 0)).as("one served, one place free").isTrue();
        assertThat(places.reserve("192.0.2.4:5000", 2, () -> false, 0)).isFalse();

        places.served(0); // the served caller left; the third is still in the handshake
        assertThat(places.reserve("192.0.2.4:5000", 3, () -> false, 0)).isTrue();
    }

    @Test
    void aPlaceWhoseSocketNeverReachesTheOwnerIsGivenBack() {
        CallerPlaces places = new CallerPlaces(1);
        assertThat(places.reserve("192.0.2.1:5000", 0, () -> false, 0)).isTrue();
        assertThat(places.reserve("192.0.2.2:5000", CallerPlaces.HOLD_NANOS - 1, () -> false, 0)).isFalse();
        assertThat(places.reserve("192.0.2.2:5000", CallerPlaces.HOLD_NANOS, () -> false, 0)).as("after the hold")
                .isTrue();
        assertThat(places.admittedInHandshake()).isEqualTo(1);
    }

    @Test
    void manyCallersRefusedOrGoneLeaveNothingBehind() {
        CallerPlaces places = new CallerPlaces(4);
        for (int i = 0; i < 10_000; i++) {
            String caller = "192.0.2.1:" + (1024 + i % 60_000);
            if (places.reserve(caller, i, () -> false, 0)) {
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
        assertThat(places.reserve("192.0.2.1:5000", 0, failed::get, 0)).isTrue();
        places.forgetFailed();
        assertThat(places.reserve("192.0.2.2:5000", 1, () -> false, 0)).as("still in its handshake").isFalse();
        failed.set(true); // the wrong key: it closed the connection before the owner took it on
        places.forgetFailed();
        assertThat(places.admittedInHandshake()).isZero();
        assertThat(places.reserve("192.0.2.2:5000", 2, () -> false, 0)).as("well within the hold").isTrue();
    }

    @Test
    void aCallerWithTheWrongKeyGivesItsPlaceBackAsItIsAccepted() {
        CallerPlaces places = new CallerPlaces(1);
        assertThat(places.reserve("192.0.2.1:5000", 0, () -> false, 0)).isTrue();
        places.keyWrong("192.0.2.1:5000");
        assertThat(places.admittedInHandshake()).isZero();
        assertThat(places.reserve("192.0.2.2:5000", 1, () -> false, 0)).as("the place it held").isTrue();
    }

    /**
     * libsrt settles a caller's key after the handshake admitted it: a caller arriving just after one with the wrong
     * key waits for the accept thread to find that key wrong, and takes the place it gives back.
     */
    @Test
    void aHandshakeWaitsForTheKeyCheckOfTheCallerHoldingThePlace() throws Exception {
        CallerPlaces places = new CallerPlaces(1);
        assertThat(places.reserve("192.0.2.1:5000", 0, () -> false, 0)).isTrue();
        CompletableFuture<Boolean> next = CompletableFuture.supplyAsync(
                () -> places.reserve("192.0.2.2:5000", 1, () -> false, Long.MAX_VALUE / 2));
        places.keyWrong("192.0.2.1:5000");
        assertThat(next.get()).as("admitted once the wrong caller gave its place back").isTrue();
    }

    @Test
    void aHandshakeWaitingForAKeyCheckIsRefusedOnceTheKeyIsFoundRight() throws Exception {
        CallerPlaces places = new CallerPlaces(1);
        assertThat(places.reserve("192.0.2.1:5000", 0, () -> false, 0)).isTrue();
        CompletableFuture<Boolean> next = CompletableFuture.supplyAsync(
                () -> places.reserve("192.0.2.2:5000", 1, () -> false, Long.MAX_VALUE / 2));
        places.keyChecked("192.0.2.1:5000");
        assertThat(next.get()).as("the place stays with the right caller").isFalse();
        assertThat(places.reserve("192.0.2.3:5000", 2, () -> false, Long.MAX_VALUE / 2))
                .as("every place held by a caller whose key is known: no wait").isFalse();
        assertThat(places.reserve("192.0.2.3:5000", 3, () -> false, 1_000_000)).isFalse();
    }

    @Test
    void aHandshakeStopsWaitingForAKeyCheckThatDoesNotCome() {
        CallerPlaces places = new CallerPlaces(1);
        assertThat(places.reserve("192.0.2.1:5000", 0, () -> false, 0)).isTrue();
        assertThat(places.reserve("192.0.2.2:5000", 1, () -> false, 1_000_000)).isFalse();
        assertThat(places.admittedInHandshake()).isEqualTo(1);
    }

    @Test
    void noPlaceAtAllIsRefusedNamingTheValue() {
        assertThatThrownBy(() -> new CallerPlaces(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("max 0");
    }
}
