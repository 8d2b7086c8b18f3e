package io.mcrsrt.streamer.security;

import io.javalin.http.Context;

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
        String literal = address.startsWith("[") && address.endsWith("]")
                ? address.substring(1, address.length() - 1) : address;
        if (!(literal.startsWith("127.") || literal.contains(":"))) {
            return false;
        }
        try {
            // A literal address: no name lookup happens.
            return isLoopback(InetAddress.ofLiteral(literal));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
