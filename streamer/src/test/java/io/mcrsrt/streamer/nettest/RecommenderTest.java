package io.mcrsrt.streamer.nettest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RecommenderTest {

    @ParameterizedTest(name = "loss {0} % at RTT 100 ms -> x{1}, {2} ms, overhead {3} %")
    @CsvSource({
        "0,      3, 300, 33",
        "0.5,    3, 300, 33",
        "1,      3, 300, 33",
        "1.0001, 4, 400, 25",
        "2.1,    4, 400, 25",
        "3,      4, 400, 25",
        "3.01,   5, 500, 20",
        "7,      5, 500, 20",
        "7.01,   6, 600, 17",
        "10,     6, 600, 17",
        "10.01,  7, 700, 17",
        "12,     8, 800, 20",
        "20,    12, 1200, 33",
        "33.4,  20, 2000, 56",
        "50,    20, 2000, 83",
        "100,   20, 2000, 99",
    })
    void tableRowsAndEdges(double loss, int multiplier, int latency, int overhead) {
        Recommendation r = Recommender.recommend(100, OptionalDouble.of(loss), 10);
        assertThat(r.rttMultiplier()).isEqualTo(multiplier);
        assertThat(r.latencyMs()).isEqualTo(latency);
        assertThat(r.overheadPercent()).isEqualTo(overhead);
        assertThat(r.lossMeasured()).isTrue();
    }

    @Test
    void lossUpToFivePercentGivesNoWarning() {
        assertThat(Recommender.recommend(100, OptionalDouble.of(5), 10).warnings()).isEmpty();
        assertThat(Recommender.recommend(100, OptionalDouble.of(3), 10).warnings()).isEmpty();
        assertThat(Recommender.recommend(100, OptionalDouble.of(0), 10).warnings()).isEmpty();
    }

    @Test
    void lossAboveFiveUpToTenPercentSaysOneMoreRttRepairsMore() {
        assertThat(Recommender.recommend(100, OptionalDouble.of(5.5), 10).warnings()).singleElement().asString()
                .contains("5.5 %").contains("may leave some packets unrepaired").contains("one more RTT (latency 600 ms)");
        assertThat(Recommender.recommend(100, OptionalDouble.of(10), 10).warnings()).singleElement().asString()
                .contains("latency 700 ms");
        assertThat(Recommender.recommend(10, OptionalDouble.of(7), 10).warnings()).singleElement().asString()
                .as("the RTT floor of 20 ms counts").contains("latency 120 ms");
    }

    @Test
    void lossAboveTenPercentWarnsTheLinkIsUnsuitable() {
        Recommendation r = Recommender.recommend(100, OptionalDouble.of(10.5), 10);
        assertThat(r.warnings()).singleElement().asString().contains("unsuitable").contains("10.5 %");
        assertThat(r.overheadPercent()).isEqualTo(18); // 1.65 x 10.5 = 17.3, above 100 / 7
    }

    @Test
    void overheadBeyondTheMaximumIsCappedAndSaid() {
        Recommendation r = Recommender.recommend(100, OptionalDouble.of(80), 10);
        assertThat(r.overheadPercent()).isEqualTo(99);
        assertThat(r.warnings()).anySatisfy(w -> assertThat(w).contains("132 %").contains("99 %"));
    }

    @Test
    void explanationShowsTheArithmetic() {
        Recommendation r = Recommender.recommend(48, OptionalDouble.of(2.1), 10);
        assertThat(r.explanation()).isEqualTo("RTT 48 ms x 4 (loss 2.1 % <= 3 %) = 192 ms; overhead 25 %; "
                + "absorbs bursts up to 48 ms; needs 10 Mbit/s x 1.25 = 12.5 Mbit/s of capacity");
        assertThat(r.burstToleranceMs()).isEqualTo(48);
        assertThat(r.requiredCapacityMbps()).isEqualTo(12.5);
    }

    @Test
    void rttBelowTwentyMillisecondsCountsAsTwenty() {
        Recommendation r = Recommender.recommend(0.08, OptionalDouble.of(0), 0);
        assertThat(r.latencyMs()).isEqualTo(60);
        assertThat(r.explanation()).startsWith("RTT 0.08 ms (counted as 20 ms, the floor) x 3 (loss 0 % <= 1 %) = 60 ms")
                .doesNotContain("capacity");
    }

    @Test
    void rttOfExactlyTwentyIsUsedAsIs() {
        assertThat(Recommender.recommend(20, OptionalDouble.of(1), 0).latencyMs()).isEqualTo(60);
        assertThat(Recommender.recommend(19.99, OptionalDouble.of(1), 0).explanation()).contains("the floor");
        assertThat(Recommender.recommend(20, OptionalDouble.of(1), 0).explanation()).doesNotContain("the floor");
    }

    @Test
    void latencyIsCappedAtEightSecondsWithAWarning() {
        Recommendation r = Recommender.recommend(3000, OptionalDouble.of(2), 0);
        assertThat(r.latencyMs()).isEqualTo(8000);
        assertThat(r.explanation()).contains("= 8000 ms (capped)");
        assertThat(r.warnings()).singleElement().asString().contains("4 x 3000 ms = 12000 ms").contains("8000 ms");
    }

    @Test
    void unmeasuredLossIsAssumedAndSaid() {
        Recommendation r = Recommender.recommend(50, OptionalDouble.empty(), 10);
        assertThat(r.lossMeasured()).isFalse();
        assertThat(r.lossUsedPercent()).isEqualTo(7);
        assertThat(r.rttMultiplier()).isEqualTo(5);
        assertThat(r.latencyMs()).isEqualTo(250);
        assertThat(r.explanation()).contains("(loss 7 % assumed <= 7 %)");
        assertThat(r.warnings()).singleElement().asString().contains("not measured").contains("7 % loss is assumed");
    }

    @ParameterizedTest(name = "RTT {0} ms is rejected")
    @CsvSource({"-1", "NaN", "Infinity", "60001"})
    void absurdRttIsRejectedWithTheExpectedRange(double rtt) {
        assertThatThrownBy(() -> Recommender.recommend(rtt, OptionalDouble.of(1), 10))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("RTT " + rtt + " ms")
                .hasMessageContaining("expected: 0 to 60000 ms");
    }

    @ParameterizedTest(name = "loss {0} % is rejected")
    @CsvSource({"-0.1", "100.5", "NaN"})
    void absurdLossIsRejectedWithTheExpectedRange(double loss) {
        assertThatThrownBy(() -> Recommender.recommend(100, OptionalDouble.of(loss), 10))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("packet loss " + loss + " % is not a percentage (expected: 0 to 100)");
    }

    @Test
    void negativeBitrateIsRejected() {
        assertThatThrownBy(() -> Recommender.recommend(100, OptionalDouble.of(1), -5))
                .hasMessageContaining("stream bitrate -5.0 Mbit/s");
    }
}
