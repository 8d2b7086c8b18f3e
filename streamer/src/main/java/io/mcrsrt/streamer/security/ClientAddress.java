package io.mcrsrt.streamer.security;

import io.javalin.http.Context;

import java.net.InetAddress;

/** The address a request came from, for logs and the login throttle. */
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

    private static boolean isLoopback(String address) {
        if (address == null || !(address.startsWith("127.") || address.contains(":"))) {
            return false;
        }
        try {
            // A literal address: no name lookup happens.
            return InetAddress.ofLiteral(address).isLoopbackAddress();
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
