package io.mcrsrt.streamer.system;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Uptimes as the original tool wrote them: zero units left out, seconds always there. */
class UptimeFormatTest {
    @ParameterizedTest
    @CsvSource({"0, 0s", "59, 59s", "60, 1m 0s", "3600, 1h 0s", "3661, 1h 1m 1s", "86400, 1d 0s", "86405, 1d 5s",
            "90000, 1d 1h 0s", "183845, 2d 3h 4m 5s"})
    void zeroUnitsAreLeftOutButTheSeconds(long seconds, String text) {
        assertThat(SystemStatus.formatUptime(seconds)).isEqualTo(text);
    }
}
