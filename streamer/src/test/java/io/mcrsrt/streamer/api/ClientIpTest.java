package io.mcrsrt.streamer.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcrsrt.streamer.stream.PeerView;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code client_ip} and {@code connected_client}: the first peer's address without its port, as the original's. */
class ClientIpTest {
    @ParameterizedTest
    @CsvSource({"127.0.0.1:40000, 127.0.0.1", "'[::1]:47192', ::1", "'[2001:db8::7]:9000', 2001:db8::7",
            "192.0.2.7, 192.0.2.7"})
    void theFirstPeersAddressWithoutItsPort(String peer, String ip) {
        assertThat(JsonViews.clientIp(List.of(new PeerView(peer, null, 0, null),
                new PeerView("198.51.100.1:1", null, 0, null)))).isEqualTo(ip);
    }

    @org.junit.jupiter.api.Test
    void noPeerNoClient() {
        assertThat(JsonViews.clientIp(List.of())).isNull();
    }
}
