package io.mcrsrt.streamer.impair;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class HostPortTest {

    @Test
    void readsIpv4AndBracketedIpv6() {
        InetSocketAddress a = HostPort.parse("127.0.0.1:9000");
        assertThat(a.getAddress().getHostAddress()).isEqualTo("127.0.0.1");
        assertThat(a.getPort()).isEqualTo(9000);
        InetSocketAddress b = HostPort.parse("[::1]:9001");
        assertThat(b.getAddress().getHostAddress()).isEqualTo("0:0:0:0:0:0:0:1");
        assertThat(b.getPort()).isEqualTo(9001);
    }

    @Test
    void bareIpv6IsRefusedWithTheFix() {
        assertThatThrownBy(() -> HostPort.parse("::1:9000")).hasMessageContaining("put an IPv6 address in brackets");
    }

    /** Before, an unknown zone was "cannot be resolved", and a link-local address without one was taken. */
    @Test
    void aLinkLocalTargetNeedsTheZoneOfAnInterface() {
        assertThatThrownBy(() -> HostPort.parse("[fe80::1%nosuch9]:9000")).hasMessageStartingWith(
                "'[fe80::1%nosuch9]:9000': the zone 'nosuch9' of IPv6 address fe80::1%nosuch9 is not an interface of"
                        + " this machine");
        assertThatThrownBy(() -> HostPort.parse("[fe80::1]:9000")).hasMessageStartingWith(
                "'[fe80::1]:9000': IPv6 address fe80::1 is link-local, so it needs the interface it is reached on");
    }

    @Test
    void portOutOfRangeIsNamed() {
        assertThatThrownBy(() -> HostPort.parse("127.0.0.1:70000"))
                .hasMessage("port '70000' in '127.0.0.1:70000' is not a port (expected: 1 to 65535)");
    }
}
