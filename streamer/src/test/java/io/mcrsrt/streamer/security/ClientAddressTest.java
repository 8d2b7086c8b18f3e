package io.mcrsrt.streamer.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ClientAddressTest {
    @ParameterizedTest
    @CsvSource({
            "127.0.0.1, loopback",
            "127.45.3.9, loopback",
            "'[::1]', loopback",
            "::ffff:127.0.0.2, loopback",
            "192.0.2.7, 192.0.2.7",
            "'[2001:db8:1:2:aaaa:bbbb:cccc:dddd]', 2001:db8:1:2:0:0:0:0/64",
            "2001:db8:1:2::7, 2001:db8:1:2:0:0:0:0/64",
            "::ffff:192.0.2.7, 192.0.2.7"})
    void theLoginThrottleCountsEveryLoopbackAddressAsOnePeerAndIpv6ByItsNetwork(String address, String group) {
        assertThat(ClientAddress.peerGroup(address)).isEqualTo(group);
    }
}
