package io.mcrsrt.streamer.system;

import java.net.InetAddress;

/** IP address literals as configuration, URLs and requests write them, read without any name lookup. */
public final class IpLiteral {
    private IpLiteral() {
    }

    /**
     * The address {@code text} writes as an IP literal ({@code 192.0.2.10}, {@code 2001:db8::1}, without brackets);
     * null for anything else. A host name is not looked up: it is not a literal, so null.
     */
    public static InetAddress address(String text) {
        try {
            return InetAddress.ofLiteral(text);
        } catch (IllegalArgumentException notALiteral) {
            return null;
        }
    }
}
