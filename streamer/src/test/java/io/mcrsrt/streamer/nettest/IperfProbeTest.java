package io.mcrsrt.streamer.nettest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class IperfProbeTest {

    private static IperfServerProcess server;

    @BeforeAll
    static void startServer() throws Exception {
        server = new IperfServerProcess();
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void udpTestAgainstALocalServerReadsLossJitterAndBandwidth() throws Exception {
        IperfResult r = IperfProbe.run("127.0.0.1", server.port(), true, 5_000_000, 1);
        assertThat(r.udp()).isTrue();
        assertThat(r.packets()).isPositive();
        assertThat(r.lossPercent()).isPresent();
        assertThat(r.lossPercent().getAsDouble()).isBetween(0.0, 5.0);
        assertThat(r.jitterMs()).isPresent();
        assertThat(r.bandwidthMbps()).isBetween(3.0, 6.0);
    }

    @Test
    void tcpTestGivesBandwidthOnly() throws Exception {
        IperfResult r = IperfProbe.run("127.0.0.1", server.port(), false, 0, 1);
        assertThat(r.udp()).isFalse();
        assertThat(r.bandwidthMbps()).isPositive();
        assertThat(r.lossPercent()).isEmpty();
        assertThat(r.jitterMs()).isEmpty();
    }

    @Test
    void refusedConnectionIsReportedWithIperfsOwnReason() throws Exception {
        int closed = IperfServerProcess.freeTcpAndUdpPort();
        assertThatThrownBy(() -> IperfProbe.run("127.0.0.1", closed, true, 1_000_000, 1))
                .isInstanceOf(NetworkTestException.class)
                .hasMessageContaining("iperf3 to 127.0.0.1:" + closed + " failed: unable to connect to server")
                .hasMessageContaining("iperf3 -s -p PORT");
    }

    @Test
    void udpReportWithoutResultIsAnError() {
        assertThatThrownBy(() -> IperfProbe.parse("{\"start\":{},\"intervals\":[],\"end\":{}}", true, "h:5201"))
                .isInstanceOf(NetworkTestException.class)
                .hasMessageContaining("gave no UDP result");
    }

    @Test
    void nonJsonOutputIsAnError() {
        assertThatThrownBy(() -> IperfProbe.parse("iperf3: error", true, "h:5201"))
                .isInstanceOf(NetworkTestException.class)
                .hasMessageContaining("did not print a JSON report");
    }

    @Test
    void portOutOfRangeIsRefusedBeforeRunning() {
        assertThatThrownBy(() -> IperfProbe.run("127.0.0.1", 70000, true, 1_000_000, 1))
                .hasMessageContaining("iperf3 port 70000 is not a port");
    }
}
