package io.mcrsrt.streamer.system;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.nio.channels.DatagramChannel;

/** Which addresses belong to this machine, so that a socket can bind them. */
public final class LocalAddresses {
    private LocalAddresses() {
    }

    /**
     * Whether a socket can bind {@code address} here: the wildcard ({@code 0.0.0.0}, {@code ::}), any loopback address
     * (Linux answers on all of 127/8, though {@code lo} lists only 127.0.0.1), or an address an interface has.
     */
    public static boolean isLocal(InetAddress address) {
        if (address.isAnyLocalAddress() || address.isLoopbackAddress()) {
            return true;
        }
        try {
            return NetworkInterface.getByInetAddress(address) != null;
        } catch (SocketException e) {
            return false;
        }
    }

    /** Whether this machine can bind IPv6 sockets (found out once, by binding one): if not, IPv4 is all there is. */
    public static boolean ipv6() {
        return Ipv6.AVAILABLE;
    }

    private static final class Ipv6 {
        static final boolean AVAILABLE = probe();

        private static boolean probe() {
            try (DatagramChannel probe = DatagramChannel.open(StandardProtocolFamily.INET6)) {
                probe.bind(new InetSocketAddress(InetAddress.ofLiteral("::"), 0));
                return true;
            } catch (IOException | UnsupportedOperationException e) {
                return false;
            }
        }
    }
}
