package io.mcrsrt.streamer.engine.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mcrsrt.streamer.engine.testing.Await;
import io.mcrsrt.streamer.engine.testing.Peers;
import io.mcrsrt.streamer.stream.Encryption;
import io.mcrsrt.streamer.stream.InputSpec;
import io.mcrsrt.streamer.stream.Mode;
import io.mcrsrt.streamer.stream.StreamConfig;
import io.mcrsrt.streamer.stream.StreamStatus;
import java.io.IOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutputsTest {
    @TempDir
    Path dir;

    private static String loopbackInterface() throws IOException {
        return NetworkInterface.getByInetAddress(InetAddress.getLoopbackAddress()).getName();
    }

    @Test
    void anInterfaceGivesTheAddressOfTheFamilyOfThePeerToReach() throws Exception {
        String lo = loopbackInterface();
        assertThat(Outputs.listenAddress(lo)).isEqualTo(InetAddress.ofLiteral("127.0.0.1"));
        assertThat(Outputs.localAddress(lo, InetAddress.ofLiteral("127.0.0.1")))
                .isEqualTo(InetAddress.ofLiteral("127.0.0.1"));
        assertThat(Outputs.localAddress(lo, InetAddress.ofLiteral("::1"))).isEqualTo(InetAddress.ofLiteral("::1"));
        assertThat(Outputs.localAddress("", InetAddress.ofLiteral("::1"))).isNull();
        assertThatThrownBy(() -> Outputs.localAddress("nosuchnic0", null))
                .hasMessageContaining("outgoing interface nosuchnic0 does not exist");
    }

    /**
     * An IPv6 address with its zone ({@code fe80::1%eth1}) is an address on the interface the zone names, which may be
     * there later like an interface named alone: it was refused as neither an IP address nor a name whenever the
     * interface of the zone was not there, or had no link-local address yet.
     */
    @Test
    void anIpv6AddressWithAZoneMayBeLocalLaterAsTheInterfaceItNames() {
        assertThat(Outputs.neverLocal("fe80::1%nosuchnic9")).isNull();
        assertThat(Outputs.neverLocal("fe80::1%999")).isNull();
        assertThat(Outputs.neverLocal("fe80::1%eth0")).isNull();
        assertThat(Outputs.neverLocal("eth0")).isNull();
        assertThat(Outputs.neverLocal("192.0.2.1")).isNull();
        assertThat(Outputs.neverLocal("fe80::1%a/b")).isEqualTo("interface fe80::1%a/b has the zone 'a/b', which is"
                + " neither an interface index nor a name an interface can have (expected: fe80::1%NAME, NAME an"
                + " interface such as eth0)");
        assertThat(Outputs.neverLocal("ff02::1%eth0")).startsWith("interface ff02::1%eth0 is a multicast address");
        assertThat(Outputs.neverLocal("fe80::1")).startsWith("interface fe80::1 cannot be bound: IPv6 address fe80::1"
                + " is link-local, so it needs the interface it is reached on after a '%' (expected: fe80::1%");
        assertThat(Outputs.neverLocal("eth0:1x/")).startsWith("interface eth0:1x/ is neither an IP address nor a"
                + " name an interface can have");
    }

    /** A zone the machine has not (yet) is named as what is missing, so that the leg waits saying so. */
    @Test
    void anIpv6AddressWhoseZoneIsNotThereNamesTheZone() {
        assertThatThrownBy(() -> Outputs.listenAddress("fe80::1%nosuchnic9"))
                .isInstanceOf(AddressMissingException.class)
                .hasMessageStartingWith("listening interface fe80::1%nosuchnic9 cannot be used now: the zone"
                        + " 'nosuchnic9' of IPv6 address fe80::1%nosuchnic9 is not an interface of this machine");
    }

    @Test
    void aListenerOnAnInterfaceThatDoesNotExistNamesItAsTheInterfaceToListenOn() {
        // a listener, a pair's listener leg too, listens on its interface: it sends nothing out of it until called
        assertThatThrownBy(() -> Outputs.checkListenerPortFree(Peers.freePort(), "nosuchnic0"))
                .hasMessage("listening interface nosuchnic0 does not exist (expected: an interface name such as eth0"
                        + " or a local address)");
    }

    @Test
    void aCallerSendingFromAnInterfaceReachesAnIpv6Target() throws Exception {
        // Before, the interface's IPv4 address was bound whatever the target: an IPv6 target was never reached.
        int port = Peers.freePort();
        try (Peers.Process listener = Peers.receiveToFile("srt://[::1]:" + port + "?mode=listener&latency=120",
                dir.resolve("rx.ts"), dir.resolve("rx.log"))) {
            StreamConfig config = new StreamConfig(Mode.CALLER, new InputSpec.File("clip.ts", true), null, "::1",
                    port, 120, 10, Encryption.NONE, null, false, 30, false, null);
            Output out = Outputs.open(config, 1, 2_000_000, (kind, detail) -> { }, loopbackInterface());
            try {
                assertThat(Await.until(() -> status(out) == StreamStatus.CONNECTED, 20_000))
                        .as("connected to [::1]:%d from %s", port, loopbackInterface()).isTrue();
            } finally {
                out.close();
            }
        }
    }

    private static StreamStatus status(Output out) {
        out.tick(System.nanoTime());
        return out.status();
    }
}
