package io.mcrsrt.streamer.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ListenerReachTest {

    @Test
    void listenersOnOneAddressAreReachedThereOnItsInterface() throws Exception {
        String lo = NetworkInterface.getByInetAddress(InetAddress.getLoopbackAddress()).getName();
        assertThat(new ListenerReach("127.0.0.1").addresses())
                .containsExactly(Map.of("address", "127.0.0.1", "interface", lo));
        assertThat(new ListenerReach("127.0.0.2").addresses()).as("Linux answers on all of 127/8")
                .containsExactly(Map.of("address", "127.0.0.2", "interface", lo));
    }

    @Test
    void listenersOnEveryAddressAreReachedAtEachUpInterfacesAddressesLoopbackOnlyWhenThereIsNothingElse()
            throws Exception {
        List<Map<String, String>> every = new ListenerReach(null).addresses();
        assertThat(every).isNotEmpty();
        boolean onlyLoopback = every.stream()
                .allMatch(m -> InetAddress.ofLiteral(m.get("address")).isLoopbackAddress());
        boolean machineHasMore = Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
                .anyMatch(n -> isUp(n) && !isLoopback(n) && n.getInterfaceAddresses().stream()
                        .anyMatch(a -> !a.getAddress().isLinkLocalAddress()));
        assertThat(onlyLoopback).as("loopback is listed only on a machine with no other address: %s", every)
                .isEqualTo(!machineHasMore);
        for (Map<String, String> m : every) {
            InetAddress a = InetAddress.ofLiteral(m.get("address"));
            assertThat(NetworkInterface.getByInetAddress(a).getName()).isEqualTo(m.get("interface"));
            assertThat(a.isLinkLocalAddress()).as("%s needs a zone in a URL", m).isFalse();
            assertThat(m.get("address")).as("written as RFC 5952 has it").doesNotContain(":0:0:");
        }
        List<Map<String, String>> ipv4 = new ListenerReach("0.0.0.0").addresses();
        assertThat(ipv4).as("0.0.0.0 is every IPv4 address only")
                .allSatisfy(m -> assertThat(m.get("address")).doesNotContain(":"))
                .isEqualTo(every.stream().filter(m -> !m.get("address").contains(":")).toList());
        assertThat(new ListenerReach("::").addresses()).as(":: is every address, IPv4 too").containsAll(ipv4);
        if (LocalAddresses.ipv6()) {
            assertThat(new ListenerReach("::").addresses()).as("no address given is :: on a machine with IPv6")
                    .isEqualTo(every);
        } else {
            assertThat(every).isEqualTo(ipv4);
        }
    }

    private static boolean isUp(NetworkInterface n) {
        try {
            return n.isUp();
        } catch (java.net.SocketException e) {
            return false;
        }
    }

    private static boolean isLoopback(NetworkInterface n) {
        try {
            return n.isLoopback();
        } catch (java.net.SocketException e) {
            return false;
        }
    }
}
