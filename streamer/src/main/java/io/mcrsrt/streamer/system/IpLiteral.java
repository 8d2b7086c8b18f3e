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

    /**
     * {@code text} without the brackets a URL or a {@code HOST:PORT} puts around an IPv6 address ({@code [::1]} is
     * {@code ::1}); anything else, and a bare {@code []}, as given. Nothing inside is checked.
     */
    public static String unbracketed(String text) {
        return text.length() > 2 && text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1)
                : text;
    }
}
