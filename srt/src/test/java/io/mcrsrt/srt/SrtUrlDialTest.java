package io.mcrsrt.srt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mcrsrt.srt.testing.TestHostNames;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/**
 * A caller URL whose host is a name with an IPv4 and an IPv6 address, as a receiver's DNS name often has ({@link
 * TestHostNames}, both loopback): each address is dialled in turn until one connects, a refusal ends the dial.
 */
class SrtUrlDialTest {
    private static final InetAddress V4 = InetAddress.ofLiteral("127.0.0.1");
    private static final InetAddress V6 = InetAddress.ofLiteral("::1");

    @Test
    void aNameWithBothFamiliesReachesAListenerOnItsIpv6AddressOnly() throws Exception {
        TestHostNames.define("lib-v6-listens.test", V4, V6);
        try (SrtSocket listener = SrtSocket.create().bind(new InetSocketAddress(V6, 0)).listen(1)) {
            int port = listener.localAddress().getPort();
            try (SrtSocket caller = SrtUrl.parse("srt://lib-v6-listens.test:" + port).open();
                    SrtSocket accepted = listener.accept()) {
                assertThat(caller.peerAddress()).isEqualTo(new InetSocketAddress(V6, port));
                caller.send(new byte[1316], 0, 1316);
                assertThat(accepted.receive(new byte[1500], 0, 1500)).isEqualTo(1316);
            }
        }
    }

    @Test
    void aRefusalAtTheFirstAddressIsThrownWithoutTryingTheOther() throws Exception {
        TestHostNames.define("lib-v4-refuses.test", V4, V6);
        try (SrtSocket listener = SrtSocket.create()) {
            listener.listenCallback(caller -> SrtAdmission.reject(SrtAdmission.NOT_FOUND))
                    .bind(new InetSocketAddress(V4, 0)).listen(1);
            int port = listener.localAddress().getPort();
            assertThatThrownBy(() -> SrtUrl.parse("srt://lib-v4-refuses.test:" + port).open())
                    .isInstanceOfSatisfying(SrtException.class, e -> {
                        assertThat(e.rejectCode()).isEqualTo(SrtAdmission.NOT_FOUND);
                        assertThat(e.getSuppressed()).isEmpty();
                    });
        }
    }

    @Test
    void whenNoAddressAnswersTheLastFailureIsThrownWithTheOthersSuppressed() throws Exception {
        TestHostNames.define("lib-silent.test", V4, V6);
        // a port that nothing on either address answers: held by a plain UDP socket that reads nothing
        try (DatagramSocket silent = new DatagramSocket(new InetSocketAddress(V4, 0))) {
            int port = silent.getLocalPort();
            assertThatThrownBy(() -> SrtUrl.parse("srt://lib-silent.test:" + port).open())
                    .isInstanceOfSatisfying(SrtException.class, e -> {
                        assertThat(e.code()).isEqualTo(SrtException.NO_SERVER);
                        assertThat(e.getMessage()).contains("[::1]:" + port);
                        assertThat(e.getSuppressed()).singleElement().satisfies(s -> assertThat(s.getMessage())
                                .contains("127.0.0.1:" + port));
                    });
        }
    }
}
