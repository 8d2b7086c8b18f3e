package io.mcrsrt.streamer.system;

import io.mcrsrt.srt.Srt;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;

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

    /** Whether this machine can bind IPv6 sockets: if not, IPv4 is all there is. */
    public static boolean ipv6() {
        return Srt.everyAddress() instanceof Inet6Address;
    }
}
