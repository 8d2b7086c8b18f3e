package io.mcrsrt.streamer.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class InputRateCapTest {
    private static final long M = 1_000_000;

    @Test
    void aConstantRateSetsTheCapOnce() {
        InputRateCap cap = new InputRateCap();
        assertThat(cap.next(8 * M, 0)).isEqualTo(8 * M);
        for (int s = 0; s < 30; s++) {
            assertThat(cap.next(s % 2 == 0 ? 8_080_000 : 7_950_000, 0)).as("second %d", s).isZero();
        }
    }

    @Test
    void aRiseIsPassedOnAtOnceAndAFallOnlyAfterTheHoldTime() {
        InputRateCap cap = new InputRateCap();
        cap.next(2 * M, 0);
        assertThat(cap.next(8 * M, 0)).as("the rise").isEqualTo(8 * M);
        for (int s = 1; s < InputRateCap.HOLD_SECONDS; s++) {
            assertThat(cap.next(2 * M, 0)).as("second %d after the peak", s).isZero();
        }
        assertThat(cap.next(2 * M, 0)).as("the peak out of the hold window").isEqualTo(2 * M);
    }

    @Test
    void aKnownPeakIsTheFloorWhateverIsMeasured() {
        InputRateCap cap = new InputRateCap();
        assertThat(cap.next(2 * M, 9 * M)).isEqualTo(9 * M);
        for (int s = 0; s < 3 * InputRateCap.HOLD_SECONDS; s++) {
            assertThat(cap.next(2 * M, 9 * M)).as("second %d", s).isZero();
        }
        assertThat(cap.next(12 * M, 9 * M)).as("a measured rate above the peak").isEqualTo(12 * M);
        assertThat(cap.next(2 * M, 10 * M)).as("nothing to change while the 12 is held").isZero();
    }

    @Test
    void aPeakThatRisesWhileTheFileIsMeasuredRaisesTheCap() {
        InputRateCap cap = new InputRateCap();
        assertThat(cap.next(4 * M, 4 * M)).isEqualTo(4 * M);
        assertThat(cap.next(4 * M, 7 * M)).isEqualTo(7 * M);
    }

    @Test
    void nothingMeasuredAndNothingKnownLeavesTheCapToLibsrt() {
        InputRateCap cap = new InputRateCap();
        assertThat(cap.next(0, 0)).isZero();
        assertThat(cap.next(-1, 0)).isZero();
    }

    @Test
    void aLiveInputsRiseIsPassedOnWithinItsWindowAndHeldAsASecondsRateWouldBe() {
        InputRateCap cap = new InputRateCap();
        assertThat(cap.next(2 * M, 0)).isEqualTo(2 * M);
        assertThat(cap.rise(2_030_000)).as("within the dead band").isZero();
        assertThat(cap.rise(7 * M)).as("the climb, mid-second").isEqualTo(7 * M);
        assertThat(cap.rise(7_100_000)).as("the same rate, within the dead band").isZero();
        assertThat(cap.rise(8 * M)).as("still climbing").isEqualTo(8 * M);
        assertThat(cap.next(5 * M, 0)).as("the second the climb began in, averaged lower").isZero();
        for (int s = 1; s < InputRateCap.HOLD_SECONDS; s++) {
            assertThat(cap.next(2 * M, 0)).as("second %d after the climb", s).isZero();
        }
        assertThat(cap.next(2 * M, 0)).as("the climb out of the hold window").isEqualTo(2 * M);
    }

    @Test
    void theFirstWindowMeasuredSetsTheCapBeforeTheFirstSecondEnds() {
        InputRateCap cap = new InputRateCap();
        assertThat(cap.rise(0)).as("nothing arrived yet").isZero();
        assertThat(cap.rise(8 * M)).isEqualTo(8 * M);
        assertThat(cap.next(7_900_000, 0)).as("the first second agrees").isZero();
    }

    @Test
    void aFallWithinTheSecondIsLeftToTheOnceASecondDecision() {
        InputRateCap cap = new InputRateCap();
        cap.next(8 * M, 0);
        assertThat(cap.rise(1 * M)).isZero();
    }
}
