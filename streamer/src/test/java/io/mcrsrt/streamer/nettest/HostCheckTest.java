package io.mcrsrt.streamer.nettest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
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
    @CsvSource(delimiter = '|', value = {
        "[::1]:24071|'[::1]:24071' is a host with a port: give the host alone, ::1, and the port on its own",
        "192.0.2.10:5201|'192.0.2.10:5201' is a host with a port: give the host alone, 192.0.2.10, and the port",
        "iperf.example.net:5201|give the host alone, iperf.example.net, and the port on its own (nettest --port",
        "::ffff:127.0.0.1|'::ffff:127.0.0.1' is the IPv4 address 127.0.0.1 written as IPv6: give 127.0.0.1.",
        "::FFFF:7f00:1|'::FFFF:7f00:1' is the IPv4 address 127.0.0.1 written as IPv6: give 127.0.0.1."})
    void aHostWithItsPortOrAnIpv4AddressWrittenAsIpv6IsRefusedSayingWhatToGive(String host, String message) {
        assertThat(ExternalProgram.hostProblem(host)).contains(message);
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "::1", "[::1]", "srt.example.net", "2001:db8::1", "1::2", "fd00::5201"})
    void hostNamesAndAddressesPass(String host) {
        assertThat(new NetworkTestRequest("manual", null, host, 9000, "udp", 3, "5M", "srt").validate())
                .doesNotContainKey("manual_host");
    }

    /**
     * A link-local host passes with the zone of an interface that has a link-local address; without a zone, or with
     * one this machine does not have, it is refused before anything runs, naming the fix. Before, any zone passed and
     * an unknown one failed later as a host name that could not be resolved.
     */
    @org.junit.jupiter.api.Test
    void aLinkLocalHostNeedsTheZoneOfAnInterface() throws Exception {
        String name = java.net.NetworkInterface.networkInterfaces().filter(n -> n.inetAddresses()
                .anyMatch(a -> a instanceof java.net.Inet6Address && a.isLinkLocalAddress()))
                .map(java.net.NetworkInterface::getName).findFirst().orElse(null);
        org.junit.jupiter.api.Assumptions.assumeTrue(name != null, "an interface with an IPv6 link-local address");
        assertThat(ExternalProgram.hostProblem("fe80::1%" + name)).isNull();
        assertThat(ExternalProgram.hostProblem("fe80::1")).startsWith("'fe80::1': IPv6 address fe80::1 is link-local,"
                + " so it needs the interface it is reached on");
        assertThat(ExternalProgram.hostProblem("fe80::1%nosuch9")).startsWith("'fe80::1%nosuch9': the zone 'nosuch9'"
                + " of IPv6 address fe80::1%nosuch9 is not an interface of this machine");
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
