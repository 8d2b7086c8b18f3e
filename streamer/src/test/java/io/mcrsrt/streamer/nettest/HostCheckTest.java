package io.mcrsrt.streamer.nettest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A host to test is checked before anything runs or is looked up, whichever way the test is asked for. */
class HostCheckTest {

    @ParameterizedTest
    @ValueSource(strings = {"-f", "--help", "host name", "a;b", "srt.example.net\nx", "ü.example", "[-f]", "a[b]c"})
    void validationNamesTheBadHost(String host) {
        NetworkTestRequest r = new NetworkTestRequest("manual", null, host, 9000, "udp", 3, "5M", "srt");
        assertThat(r.validate()).containsEntry("manual_host", ExternalProgram.hostProblem(host))
                .hasEntrySatisfying("manual_host", m -> assertThat(m).startsWith("'" + host + "' is not a host"));
    }

    @org.junit.jupiter.api.Test
    void aHostNameTooLongIsRefusedNamingTheLimit() {
        String host = "a".repeat(300);
        assertThat(ExternalProgram.hostProblem(host)).isEqualTo("'" + "a".repeat(40) + "...' (300 characters) is not a"
                + " host name or IP address: too long (expected: at most 253 characters).");
        assertThat(ExternalProgram.hostProblem("a".repeat(253))).isNull();
    }

    @org.junit.jupiter.api.Test
    void aHostStartingWithADashIsRefusedSayingSo() {
        assertThat(ExternalProgram.hostProblem("-c 100 127.0.0.1")).isEqualTo("'-c 100 127.0.0.1' is not a host name or"
                + " IP address: it starts with '-' (expected a host name or IP address such as srt.example.net,"
                + " 192.0.2.10 or ::1).");
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "::1", "[::1]", "srt.example.net", "fe80::1%eth0"})
    void hostNamesAndAddressesPass(String host) {
        assertThat(new NetworkTestRequest("manual", null, host, 9000, "udp", 3, "5M", "srt").validate())
                .doesNotContainKey("manual_host");
    }

    @org.junit.jupiter.api.Test
    void anIpv6AddressInBracketsCanBePinged() throws Exception {
        PingResult r = PingProbe.ping("[::1]");
        assertThat(r.received()).isEqualTo(4);
        assertThat(r.rttMs()).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ping_only", "iperf", "srt"})
    void everyMechanismRefusesAnOptionAsHost(String mechanism) {
        NetworkTester t = new NetworkTester(new ServerCatalog(null), Mechanism.PING_ONLY);
        NetworkTestResult r = t.measure(new NetworkTester.Target("-f", 9000, "manual"), Mechanism.of(mechanism), true,
                5_000_000, 3, null);
        assertThat(r.error()).startsWith("'-f' is not a host name or IP address");
    }
}
