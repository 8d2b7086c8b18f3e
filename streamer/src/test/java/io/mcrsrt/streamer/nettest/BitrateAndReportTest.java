package io.mcrsrt.streamer.nettest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BitrateAndReportTest {

    @ParameterizedTest(name = "{0} = {1} bit/s")
    @CsvSource({"10M, 10000000", "2.5M, 2500000", "500k, 500000", "8000000, 8000000", "1G, 1000000000"})
    void bitratesAsEngineersWriteThem(String text, long bps) {
        assertThat(Bitrate.parse(text)).isEqualTo(bps);
    }

    @ParameterizedTest(name = "''{0}'' is refused")
    @CsvSource({"ten", "-5M", "0", "20G", "5f", "10D", "1e1M", "NaN", "Infinity", "0x1p3M"})
    void nonsenseBitratesAreRefused(String text) {
        assertThatThrownBy(() -> Bitrate.parse(text)).hasMessage("bitrate '" + text
                + "' is not a bitrate (expected for example 10M, 2.5M or 500k, up to 10G)");
    }

    @ParameterizedTest(name = "{0} bit/s is written {1}")
    @CsvSource({"3872000, 3.8M", "10000000, 10M", "2500000, 2.5M", "50000, 50k", "99999, 99k", "500, 1k"})
    void bitratesAreWrittenAsTheyAreReadRoundedDown(long bps, String text) {
        assertThat(Bitrate.format(bps)).isEqualTo(text);
    }

    @Test
    void probeReportRoundTrips() {
        byte[] b = new ProbeReport(5700, 101, 0).encode();
        assertThat(new String(b, StandardCharsets.US_ASCII))
                .isEqualTo("MCRSRT-PROBE-REPORT 1 recv_unique=5700 rcv_loss=101 rcv_drop=0");
        assertThat(ProbeReport.decode(b, b.length)).contains(new ProbeReport(5700, 101, 0));
    }

    @Test
    void otherMessagesAreNotReports() {
        byte[] ts = new byte[1316];
        ts[0] = 0x47;
        assertThat(ProbeReport.decode(ts, ts.length)).isEmpty();
        byte[] partial = "MCRSRT-PROBE-REPORT 1 recv_unique=5".getBytes(StandardCharsets.US_ASCII);
        assertThat(ProbeReport.decode(partial, partial.length)).isEmpty();
    }

    @Test
    void refreshIntervalBelowAMinuteIsRefused() {
        assertThatThrownBy(() -> ServerRefresher.start(ServerCatalog.of(java.util.List.of()),
                java.time.Duration.ofSeconds(10), s -> true))
                .hasMessageContaining("server refresh interval 10 s is too short (expected: at least 60 s");
    }
}
