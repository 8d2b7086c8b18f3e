package io.mcrsrt.streamer.stream;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StreamConfigTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "192.0.2.10, 192.0.2.10:9000",
            "srt.example.net, srt.example.net:9000",
            "fd00::2, '[fd00::2]:9000'",
            "'[fd00::2]', '[fd00::2]:9000'",
            "fe80::1%eth0, '[fe80::1%eth0]:9000'",
            "'', :9000"
    })
    void hostPortBracketsAnIpv6AddressOnceAndLeavesTheRestAsWritten(String host, String expected) {
        assertThat(StreamConfig.hostPort(host, 9000)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "239.1.1.1, , , 239.1.1.1:5004",
            "ff0e::1, , , '[ff0e::1]:5004'",
            "ff3e::1234, 2001:db8::5, eth1, '2001:db8::5@[ff3e::1234]:5004 via eth1'"
    })
    void aMulticastInputDescribesItsGroupAsAUrlWould(String group, String source, String nic, String expected) {
        assertThat(new InputSpec.Multicast(group, 5004, nic, source).describe()).isEqualTo(expected);
    }
}
