package io.mcrsrt.srt;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.ByteOrder;

/** Converts between {@link InetSocketAddress} and Linux {@code sockaddr_in} / {@code sockaddr_in6}. */
final class SocketAddresses {

    /** {@code sizeof(struct sockaddr_storage)}. */
    static final int STORAGE_SIZE = 128;

    private static final short AF_INET = 2;
    private static final short AF_INET6 = 10;
    private static final ValueLayout.OfShort PORT = JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private SocketAddresses() {}

    /**
     * The wildcard a listener given no address binds: {@code ::} where this machine can open IPv6 sockets (bound with
     * IPV6ONLY off it takes IPv4 callers too, as IPv4-mapped addresses that {@link #read} turns back into IPv4 ones),
     * else {@code 0.0.0.0}.
     */
    static InetAddress everyAddress() {
        return Ipv6.AVAILABLE ? InetAddress.ofLiteral("::") : InetAddress.ofLiteral("0.0.0.0");
    }

    /** Whether this machine can open IPv6 sockets, found out once by binding one. */
    private static final class Ipv6 {
        static final boolean AVAILABLE = probe();

        private static boolean probe() {
            try (java.nio.channels.DatagramChannel probe = java.nio.channels.DatagramChannel.open(
                    java.net.StandardProtocolFamily.INET6)) {
                probe.bind(new InetSocketAddress(InetAddress.ofLiteral("::"), 0));
                return true;
            } catch (java.io.IOException | UnsupportedOperationException e) {
                return false;
            }
        }
    }

    /** Writes {@code address} into {@code out} (at least {@link #STORAGE_SIZE} bytes); returns the sockaddr length. */
    static int write(InetSocketAddress address, MemorySegment out) {
        InetAddress ip = resolve(address);
        out.asSlice(0, 28).fill((byte) 0);
        out.set(PORT, 2, (short) address.getPort());
        if (ip instanceof Inet4Address) {
            out.set(JAVA_SHORT, 0, AF_INET);
            MemorySegment.copy(ip.getAddress(), 0, out, JAVA_BYTE, 4, 4);
            return 16;
        }
        out.set(JAVA_SHORT, 0, AF_INET6);
        MemorySegment.copy(ip.getAddress(), 0, out, JAVA_BYTE, 8, 16);
        out.set(JAVA_INT, 24, ((Inet6Address) ip).getScopeId());
        return 28;
    }

    /** Reads a sockaddr libsrt filled; null when the family is neither IPv4 nor IPv6. */
    static InetSocketAddress read(MemorySegment in) {
        short family = in.get(JAVA_SHORT, 0);
        int port = Short.toUnsignedInt(in.get(PORT, 2));
        try {
            if (family == AF_INET) {
                return new InetSocketAddress(InetAddress.getByAddress(in.asSlice(4, 4).toArray(JAVA_BYTE)), port);
            }
            if (family == AF_INET6) {
                byte[] ip = in.asSlice(8, 16).toArray(JAVA_BYTE);
                int scope = in.get(JAVA_INT, 24);
                InetAddress a = scope == 0 ? InetAddress.getByAddress(ip) : scoped(ip, scope);
                return new InetSocketAddress(a, port);
            }
        } catch (UnknownHostException e) {
            throw new AssertionError("a raw address of the right length is always accepted", e);
        }
        return null;
    }

    /**
     * An IPv6 address with its zone, the interface of index {@code scope} when this machine has it, so that
     * {@link AddressText#of(InetSocketAddress)} writes it by name as {@code ip addr} does ({@code fe80::1%eth0}); by
     * number otherwise.
     */
    private static InetAddress scoped(byte[] ip, int scope) throws UnknownHostException {
        try {
            NetworkInterface nif = NetworkInterface.getByIndex(scope);
            if (nif != null) {
                return Inet6Address.getByAddress(null, ip, nif);
            }
        } catch (SocketException | UnknownHostException noSuchInterfaceNow) {
            // gone since libsrt filled the address, or no IPv6 on it now: by number, then
        }
        return Inet6Address.getByAddress(null, ip, scope);
    }

    private static InetAddress resolve(InetSocketAddress address) {
        if (!address.isUnresolved()) {
            return address.getAddress();
        }
        try {
            return InetAddress.getByName(address.getHostString());
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("host name \"" + address.getHostString()
                    + "\" could not be resolved: check the spelling, or use an IP address", e);
        }
    }
}
