package io.mcrsrt.streamer.nettest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class PingProbeTest {

    @Test
    void pingsLoopbackAndReadsRttJitterAndLoss() throws Exception {
        PingResult r = PingProbe.ping("127.0.0.1");
        assertThat(r.transmitted()).isEqualTo(4);
        assertThat(r.received()).isEqualTo(4);
        assertThat(r.lossPercent()).isZero();
        assertThat(r.rttMs()).isPresent();
        assertThat(r.rttMs().getAsDouble()).isGreaterThan(0).isLessThan(1000);
        assertThat(r.jitterMs()).isPresent();
    }

    @Test
    void readsTheIputilsSummary() throws Exception {
        PingResult r = PingProbe.parse("""
                PING 10.0.0.1 (10.0.0.1) 56(84) bytes of data.
                64 bytes from 10.0.0.1: icmp_seq=1 ttl=64 time=48.2 ms
                64 bytes from 10.0.0.1: icmp_seq=3 ttl=64 time=47.9 ms
                64 bytes from 10.0.0.1: icmp_seq=4 ttl=64 time=49.1 ms

                --- 10.0.0.1 ping statistics ---
                4 packets transmitted, 3 received, 25% packet loss, time 612ms
                rtt min/avg/max/mdev = 47.900/48.400/49.100/0.509 ms
                """);
        assertThat(r.transmitted()).isEqualTo(4);
        assertThat(r.received()).isEqualTo(3);
        assertThat(r.lossPercent()).isEqualTo(25);
        assertThat(r.rttMs().getAsDouble()).isEqualTo(48.4);
        assertThat(r.jitterMs().getAsDouble()).isEqualTo(0.509);
    }

    @Test
    void noReplyMeansFullLossAndNoRtt() throws Exception {
        PingResult r = PingProbe.parse("""
                --- 10.0.0.1 ping statistics ---
                4 packets transmitted, 0 received, +4 errors, 100% packet loss, time 615ms
                """);
        assertThat(r.lossPercent()).isEqualTo(100);
        assertThat(r.rttMs()).isEmpty();
        assertThat(r.jitterMs()).isEmpty();
    }

    @Test
    void readsTheBusyBoxSummary() throws Exception {
        PingResult r = PingProbe.parse("""
                4 packets transmitted, 4 packets received, 0% packet loss
                round-trip min/avg/max = 0.045/0.061/0.082 ms
                """);
        assertThat(r.rttMs().getAsDouble()).isEqualTo(0.061);
        assertThat(r.jitterMs()).isEmpty();
    }

    @Test
    void readsASummaryWithDecimalCommas() throws Exception {
        // iputils with English messages and a German LC_NUMERIC
        PingResult r = PingProbe.parse("""
                --- 10.0.0.1 ping statistics ---
                4 packets transmitted, 3 received, 25% packet loss, time 612ms
                rtt min/avg/max/mdev = 47,900/48,400/49,100/0,509 ms
                """);
        assertThat(r.lossPercent()).isEqualTo(25);
        assertThat(r.rttMs().getAsDouble()).isEqualTo(48.4);
        assertThat(r.jitterMs().getAsDouble()).isEqualTo(0.509);
    }

    @Test
    void measuringProgramsRunInTheCLocaleWhateverTheOperatorsIs() throws Exception {
        ExternalProgram.Output out = ExternalProgram.run(
                List.of("sh", "-c", "printf '%s|%s' \"$LC_ALL\" \"${LANGUAGE:-unset}\""), Duration.ofSeconds(10));
        assertThat(out.stdout()).isEqualTo("C|unset");
    }

    @Test
    void outputWithoutSummaryIsAnError() {
        assertThatThrownBy(() -> PingProbe.parse("ping: unknown host"))
                .isInstanceOf(NetworkTestException.class)
                .hasMessageContaining("no summary line");
    }

    @Test
    void hostThatLooksLikeAnOptionIsRefused() {
        assertThatThrownBy(() -> PingProbe.ping("-f"))
                .isInstanceOf(NetworkTestException.class)
                .hasMessageContaining("'-f' is not a host name or IP address");
    }
}
