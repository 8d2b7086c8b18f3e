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
}
