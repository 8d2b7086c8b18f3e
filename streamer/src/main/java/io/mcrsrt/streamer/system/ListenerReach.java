package io.mcrsrt.streamer.system;

import io.mcrsrt.srt.AddressText;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The addresses at which callers reach this machine's SRT listener streams, with the interface of each: what an
 * operator gives the far end. For listeners on every address, the addresses of the interfaces that are up, loopback
 * and IPv6 link-local ones left out (the first is of no use to a far end, the second needs a zone in a URL), unless
 * there is nothing else; for listeners bound to one address, that address.
 */
public final class ListenerReach {
    private final String listenAddress;

    /**
     * @param listenAddress the address listeners bind ({@code SRT_LISTEN_ADDRESS}); null for every address, which
     *                      takes IPv6 callers too where the machine has IPv6
     */
    public ListenerReach(String listenAddress) {
        this.listenAddress = listenAddress;
    }

    /** {@code [{"address": "192.0.2.10", "interface": "eth0"}, ...]}, by interface, IPv4 first. */
    public List<Map<String, String>> addresses() {
        InetAddress bound = listenAddress == null ? null : InetAddress.ofLiteral(listenAddress);
        if (bound != null && !bound.isAnyLocalAddress()) {
            return List.of(entry(bound, interfaceOf(bound)));
        }
        List<Map<String, String>> found = new ArrayList<>();
        List<Map<String, String>> loopback = new ArrayList<>();
        try {
            for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!nif.isUp()) {
                    continue;
                }
                for (InetAddress a : Collections.list(nif.getInetAddresses())) {
                    if (reaches(a, bound)) {
                        (a.isLoopbackAddress() ? loopback : found).add(entry(a, nif.getName()));
                    }
                }
            }
        } catch (SocketException e) {
            return List.of();
        }
        List<Map<String, String>> out = found.isEmpty() ? loopback : found;
        out.sort(Comparator.comparing((Map<String, String> m) -> m.get("interface"))
                .thenComparing(m -> m.get("address").contains(":")));
        return out;
    }

    /** Whether listeners on a wildcard ({@code bound}; null for no address given) take callers at {@code a}. */
    private boolean reaches(InetAddress a, InetAddress bound) {
        if (a instanceof Inet6Address && a.isLinkLocalAddress()) {
            return false;
        }
        boolean ipv6Too = bound == null ? LocalAddresses.ipv6() : bound instanceof Inet6Address;
        return a instanceof Inet4Address || ipv6Too;
    }

    /** The interface that has {@code a}; the loopback interface for any loopback address; else empty. */
    private static String interfaceOf(InetAddress a) {
        try {
            NetworkInterface nif = NetworkInterface.getByInetAddress(a);
            if (nif == null && a.isLoopbackAddress()) {
                nif = NetworkInterface.getByInetAddress(InetAddress.getLoopbackAddress());
            }
            return nif == null ? "" : nif.getName();
        } catch (SocketException e) {
            return "";
        }
    }

    private static Map<String, String> entry(InetAddress a, String nif) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("address", AddressText.of(a));
        m.put("interface", nif);
        return m;
    }
}
