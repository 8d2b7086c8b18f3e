package io.mcrsrt.srt;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.DatagramChannel;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AddressTextTest {

    /** RFC 5952 section 4: the JDK's full form on the left, the recommended text on the right. */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            0:0:0:0:0:0:0:1          | ::1
            0:0:0:0:0:0:0:0          | ::
            2001:db8:0:0:0:0:0:5     | 2001:db8::5
            2001:DB8:0:0:1:0:0:1     | 2001:db8::1:0:0:1
            2001:db8:0:0:1:0:0:0     | 2001:db8:0:0:1::
            2001:db8:0:1:1:1:1:1     | 2001:db8:0:1:1:1:1:1
            2001:0db8:00aa:0:0:0:0:1 | 2001:db8:aa::1
            fe80:0:0:0:fc:ff:fe00:1  | fe80::fc:ff:fe00:1
            192.0.2.10               | 192.0.2.10
            """)
    void addressesAreWrittenAsRfc5952WritesThem(String literal, String expected) {
        assertThat(AddressText.of(InetAddress.ofLiteral(literal))).isEqualTo(expected);
    }

    @Test
    void anAddressAloneLeavesItsZoneOutAndASocketAddressKeepsIt() throws Exception {
        byte[] linkLocal = InetAddress.ofLiteral("fe80::1").getAddress();
        Inet6Address zoned = Inet6Address.getByAddress(null, linkLocal, 7);
        assertThat(AddressText.of(zoned)).isEqualTo("fe80::1");
        assertThat(AddressText.of(new InetSocketAddress(zoned, 9000))).isEqualTo("[fe80::1%7]:9000");
    }

    @Test
    void anIpv4MappedLiteralIsTheIpv4AddressItStandsForInEitherForm() {
        assertThat(AddressText.mappedIpv4("::ffff:192.0.2.5")).isEqualTo("192.0.2.5");
        assertThat(AddressText.mappedIpv4("::FFFF:c000:205")).isEqualTo("192.0.2.5");
        assertThat(AddressText.mappedIpv4("2001:db8::5")).isNull();
        assertThat(AddressText.mappedIpv4("::1")).isNull();
        assertThat(AddressText.mappedIpv4("192.0.2.5")).as("IPv4 itself").isNull();
        assertThat(AddressText.mappedIpv4("ffff.example")).as("a name, never looked up").isNull();
        assertThat(AddressText.mappedIpv4("::ffff:999.0.2.5")).as("no address").isNull();
    }

    @Test
    void aLiteralIsReadWithoutALookupAndAnythingElseIsNull() {
        assertThat(AddressText.literal("192.0.2.10")).isEqualTo(InetAddress.ofLiteral("192.0.2.10"));
        assertThat(AddressText.literal("2001:db8::1")).isEqualTo(InetAddress.ofLiteral("2001:db8::1"));
        assertThat(AddressText.literal("localhost")).isNull();
        assertThat(AddressText.literal("")).isNull();
    }

    /**
     * Only the forms engineers type are addresses: the JDK's literal also reads 10.1, 12345 and 010.1.1.1 (as
     * 10.0.0.1, 0.0.48.57 and 10.1.1.1), and a zone or brackets, none of which the request validators took.
     */
    @Test
    void aTypedAddressIsDottedDecimalOrIpv6AndNoShorterFormOfTheJdks() {
        assertThat(AddressText.typed("192.0.2.10")).isEqualTo(InetAddress.ofLiteral("192.0.2.10"));
        assertThat(AddressText.typed("0.0.0.0")).isEqualTo(InetAddress.ofLiteral("0.0.0.0"));
        assertThat(AddressText.typed("2001:db8::1")).isEqualTo(InetAddress.ofLiteral("2001:db8::1"));
        assertThat(AddressText.typed("::")).isEqualTo(InetAddress.ofLiteral("::"));
        assertThat(AddressText.typed("::ffff:0:1.2.3.4")).isEqualTo(InetAddress.ofLiteral("::ffff:0:1.2.3.4"));
        assertThat(AddressText.typed("::ffff:192.0.2.5")).isEqualTo(InetAddress.ofLiteral("192.0.2.5"));
        for (String notTyped : List.of("10.1", "12345", "1", "010.1.1.1", "1.2.3.04", "256.1.1.1", "1.2.3.4.",
                "[::1]", "fe80::1%1", "1::2::3", "1:2:3:4:5:6:7:8:9", "localhost", "", " 1.2.3.4", "1.2.3.4%1")) {
            assertThat(AddressText.typed(notTyped)).as(notTyped).isNull();
        }
        assertThat(AddressText.literal("10.1")).isEqualTo(InetAddress.ofLiteral("10.0.0.1"));
    }

    @Test
    void theBracketsOfAUrlAreTakenOffAndNothingElse() {
        assertThat(AddressText.unbracketed("[::1]")).isEqualTo("::1");
        assertThat(AddressText.unbracketed("::1")).isEqualTo("::1");
        assertThat(AddressText.unbracketed("[]")).isEqualTo("[]");
        assertThat(AddressText.unbracketed("[::1")).isEqualTo("[::1");
        assertThat(AddressText.unbracketed("host")).isEqualTo("host");
    }

    @Test
    void socketAddressesAreHostColonPortWithIpv6InBrackets() {
        assertThat(AddressText.of(new InetSocketAddress(InetAddress.ofLiteral("192.0.2.10"), 9000)))
                .isEqualTo("192.0.2.10:9000");
        assertThat(AddressText.of(new InetSocketAddress(InetAddress.ofLiteral("2001:db8::5"), 9000)))
                .isEqualTo("[2001:db8::5]:9000");
        assertThat(AddressText.of(new InetSocketAddress(InetAddress.ofLiteral("0.0.0.0"), 1)))
                .as("the JDK writes 0.0.0.0/0.0.0.0:1").isEqualTo("0.0.0.0:1");
        assertThat(AddressText.of(new InetSocketAddress(InetAddress.ofLiteral("::"), 1))).isEqualTo("[::]:1");
        assertThat(AddressText.of(InetSocketAddress.createUnresolved("encoder.example.invalid", 2000)))
                .isEqualTo("encoder.example.invalid:2000");
    }

    @Test
    void everyAddressIsTheIpv6WildcardExactlyWhenAnIpv6SocketCanBeBound() {
        boolean ipv6;
        try (DatagramChannel probe = DatagramChannel.open(StandardProtocolFamily.INET6)) {
            probe.bind(new InetSocketAddress(InetAddress.ofLiteral("::"), 0));
            ipv6 = true;
        } catch (java.io.IOException | UnsupportedOperationException e) {
            ipv6 = false;
        }
        assertThat(Srt.everyAddress()).isEqualTo(InetAddress.ofLiteral(ipv6 ? "::" : "0.0.0.0"));
    }
}
