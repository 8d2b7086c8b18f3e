package io.mcrsrt.streamer.engine.output;

import io.mcrsrt.srt.AddressText;
import io.mcrsrt.srt.Srt;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * Where an SRT listener binds. With no address given it listens on every address of the machine, IPv4 and IPv6 at
 * once where the machine has IPv6: one IPv6 socket on {@code ::} with {@code IPV6_V6ONLY} off, so that IPv4 callers
 * arrive as IPv4-mapped addresses, which the SRT library reports as plain IPv4 ones. Without IPv6 it is every IPv4
 * address. {@code 0.0.0.0} given is every IPv4 address only; {@code ::} given is every address, IPv4 and IPv6. Bind
 * with {@link io.mcrsrt.srt.SrtSocket#bindListener}, which turns IPV6_V6ONLY off on the IPv6 wildcard.
 */
public final class ListenerAddress {
    private ListenerAddress() {
    }

    /** The socket address a listener on {@code port} binds: {@code local}, or every address when it is null. */
    static InetSocketAddress of(InetAddress local, int port) {
        return new InetSocketAddress(local != null ? local : Srt.everyAddress(), port);
    }

    /** How a listener given no address is written in its URL: {@code ::} with IPv6, else {@code 0.0.0.0}. */
    public static String everyAddressLiteral() {
        return AddressText.of(Srt.everyAddress());
    }
}
