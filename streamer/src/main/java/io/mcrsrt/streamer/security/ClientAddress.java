package io.mcrsrt.streamer.security;

import io.javalin.http.Context;
import io.mcrsrt.srt.AddressText;
import java.net.Inet6Address;
import java.net.InetAddress;

/** The address a request came from, for logs and the login throttle, and whether its direct peer is this machine. */
public final class ClientAddress {
    private ClientAddress() {
    }

    /**
     * The peer's address; when the peer is a proxy on this host (a loopback address) that names the client in
     * {@code X-Forwarded-For}, the last address there, which is the one the proxy itself added (the nginx site in
     * {@code deploy/} does). Addresses earlier in that header come from the client and are not trusted.
     */
    public static String of(Context ctx) {
        String peer = ctx.req().getRemoteAddr();
        String forwarded = ctx.header("X-Forwarded-For");
        if (forwarded == null || forwarded.isBlank() || !isLoopback(peer)) {
            return peer;
        }
        String last = forwarded.substring(forwarded.lastIndexOf(',') + 1).strip();
        return last.isEmpty() || last.length() > 64 ? peer : last;
    }

    /**
     * The direct peer of the request, who holds its connection, as the login throttle counts it: {@code "loopback"}
     * for any loopback address (a local user may connect from any of 127.0.0.0/8), the /64 network of an IPv6
     * address (one site's, or one host's, which may take any address in it), else the address. Headers play no part.
     */
    public static String peerGroup(Context ctx) {
        return peerGroup(ctx.req().getRemoteAddr());
    }

    /** {@link #peerGroup(Context)} of a peer's address as the server gives it ({@code 192.0.2.7}, {@code [::1]}). */
    static String peerGroup(String address) {
        String literal = AddressText.unbracketed(address);
        InetAddress a = AddressText.literal(literal);
        if (a == null) {
            return address;
        }
        if (isLoopback(a)) {
            return "loopback";
        }
        if (a instanceof Inet6Address) {
            byte[] network = java.util.Arrays.copyOf(a.getAddress(), 16);
            java.util.Arrays.fill(network, 8, 16, (byte) 0);
            try {
                return InetAddress.getByAddress(network).getHostAddress() + "/64"; // from bytes: no lookup
            } catch (java.net.UnknownHostException e) {
                throw new IllegalStateException("16 bytes are an IPv6 address", e);
            }
        }
        return a.getHostAddress();
    }

    /**
     * Whether the request's direct peer, the address of the connection itself, is on this machine. Headers such as
     * {@code X-Forwarded-For} play no part: a client cannot claim to be local.
     */
    public static boolean directPeerIsLoopback(Context ctx) {
        return isLoopback(ctx.req().getRemoteAddr());
    }

    /** Whether an address is a loopback address (127.0.0.0/8, ::1, or 127.x mapped into IPv6). */
    public static boolean isLoopback(InetAddress address) {
        return address != null && address.isLoopbackAddress();
    }

    private static boolean isLoopback(String address) {
        if (address == null) {
            return false;
        }
        String literal = AddressText.unbracketed(address);
        if (!(literal.startsWith("127.") || literal.contains(":"))) {
            return false;
        }
        return isLoopback(AddressText.literal(literal));
    }
}
