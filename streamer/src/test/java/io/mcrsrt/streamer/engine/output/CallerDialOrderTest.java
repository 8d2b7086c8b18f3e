package io.mcrsrt.streamer.engine.output;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/** The order in which a caller tries the addresses of its target's name. */
class CallerDialOrderTest {
    private static final InetAddress V4 = InetAddress.ofLiteral("192.0.2.1");
    private static final InetAddress V6 = InetAddress.ofLiteral("2001:db8::1");
    private static final InetAddress OTHER = InetAddress.ofLiteral("192.0.2.2");

    @Test
    void theResolversOrderUntilOneHasConnected() {
        assertThat(CallerOutput.inDialOrder(new InetAddress[] {V4, V6}, null)).containsExactly(V4, V6);
    }

    @Test
    void theAddressThatConnectedLastGoesFirstSoThatAReconnectDoesNotWaitOnTheOther() {
        assertThat(CallerOutput.inDialOrder(new InetAddress[] {V4, V6}, V6)).containsExactly(V6, V4);
    }

    @Test
    void anAddressTheNameNoLongerHasIsNotTried() {
        assertThat(CallerOutput.inDialOrder(new InetAddress[] {V4, V6}, OTHER)).containsExactly(V4, V6);
    }
}
