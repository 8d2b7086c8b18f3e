package io.mcrsrt.streamer.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

final class BaseUnitsTest {
    @Test
    void millisecondsAreTheSameDecimalInSeconds() {
        assertThat(BaseUnits.seconds(0.25)).isEqualTo(0.00025);
        assertThat(BaseUnits.seconds(0.03)).as("0.03 / 1000 is 2.9999999999999997E-5 in doubles").isEqualTo(0.00003);
        assertThat(BaseUnits.seconds(12.5)).isEqualTo(0.0125);
        assertThat(BaseUnits.seconds(120)).isEqualTo(0.12);
        assertThat(BaseUnits.seconds(0)).isZero();
        assertThat(BaseUnits.seconds(Double.NaN)).isNaN();
    }

    @Test
    void megabitsPerSecondAreBytesPerSecond() {
        assertThat(BaseUnits.bytesPerSecond(8.0)).isEqualTo(1_000_000.0);
        assertThat(BaseUnits.bytesPerSecond(1.001)).as("1.001 * 125000 is 125124.99999999999 in doubles")
                .isEqualTo(125_125.0);
        assertThat(BaseUnits.bytesPerSecond(0.001)).isEqualTo(125.0);
        assertThat(BaseUnits.bytesPerSecond(0)).isZero();
        assertThat(BaseUnits.bytesPerSecond(Double.NaN)).isNaN();
    }

    @Test
    void percentagesAreRatios() {
        assertThat(BaseUnits.ratio(0.5)).isEqualTo(0.005);
        assertThat(BaseUnits.ratio(0.07)).as("0.07 / 100 is 7.000000000000001E-4 in doubles").isEqualTo(0.0007);
        assertThat(BaseUnits.ratio(100)).isEqualTo(1.0);
        assertThat(BaseUnits.ratio(Double.NaN)).isNaN();
    }
}
