package io.mcrsrt.streamer.engine.output;

import io.mcrsrt.srt.AddressText;
import io.mcrsrt.srt.Srt;
import io.mcrsrt.srt.SrtException;
import io.mcrsrt.srt.SrtOption;
import io.mcrsrt.srt.SrtSocket;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * Where an SRT listener binds. With no address given it listens on every address of the machine, IPv4 and IPv6 at
 * once where the machine has IPv6: one IPv6 socket on {@code ::} with {@code IPV6_V6ONLY} off, so that IPv4 callers
 * arrive as IPv4-mapped addresses, which the SRT library reports as plain IPv4 ones. Without IPv6 it is every IPv4
 * address. {@code 0.0.0.0} given is every IPv4 address only; {@code ::} given is every address, IPv4 and IPv6.
 */
public final class ListenerAddress {
    private ListenerAddress() {
    }

    /** The socket address a listener on {@code port} binds: {@code local}, or every address when it is null. */
    static InetSocketAddress of(InetAddress local, int port) {
        return new InetSocketAddress(local != null ? local : Srt.everyAddress(), port);
    }

    /**
     * Binds a listening socket at {@code address}; on the IPv6 wildcard with {@code IPV6_V6ONLY} off, so that it takes
     * IPv4 callers too whatever the system's default.
     */
    public static SrtSocket bind(SrtSocket socket, InetSocketAddress address) throws SrtException {
        if (address.getAddress() instanceof Inet6Address && address.getAddress().isAnyLocalAddress()) {
            socket.set(SrtOption.IPV6ONLY, 0);
        }
        return socket.bind(address);
    }

    /** How a listener given no address is written in its URL: {@code ::} with IPv6, else {@code 0.0.0.0}. */
    public static String everyAddressLiteral() {
        return AddressText.of(Srt.everyAddress());
    }
}
