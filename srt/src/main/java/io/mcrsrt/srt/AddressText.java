package io.mcrsrt.srt;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * IP addresses as engineers write them, in messages, logs and URLs: IPv4 dotted, IPv6 as RFC 5952 and {@code ip addr}
 * write it ({@code ::1}, {@code fe80::fc:ff:fe00:1}), in brackets before a port ({@code [2001:db8::5]:9000}). The JDK
 * writes every IPv6 group ({@code 0:0:0:0:0:0:0:1}), a slash before the address ({@code /192.0.2.10:9000}) and a
 * wildcard twice ({@code 0.0.0.0/0.0.0.0:9000}), which matches nothing typed in a URL or a configuration.
 */
public final class AddressText {
    private AddressText() {}

    /**
     * {@code address} as above, without a zone ({@code %eth0}): what an engineer compares with an address typed in a
     * configuration, or lists beside the interface it belongs to.
     */
    public static String of(InetAddress address) {
        return address instanceof Inet6Address ? ipv6(address.getAddress()) : address.getHostAddress();
    }

    /**
     * {@code HOST:PORT}, an IPv6 host in brackets with its zone kept ({@code [fe80::1%eth0]:9000}), as a link-local
     * address needs it to be reached; an unresolved address as its host name.
     */
    public static String of(InetSocketAddress address) {
        InetAddress ip = address.getAddress();
        String host;
        if (ip == null) {
            host = address.getHostString();
        } else if (ip instanceof Inet6Address v6 && v6.getScopeId() != 0) {
            host = of(ip) + "%" + (v6.getScopedInterface() != null ? v6.getScopedInterface().getName()
                    : Integer.toString(v6.getScopeId()));
        } else {
            host = of(ip);
        }
        return host.contains(":") ? "[" + host + "]:" + address.getPort() : host + ":" + address.getPort();
    }

    /** RFC 5952: lower-case groups without leading zeros, the first longest run of two or more zero groups as ::. */
    private static String ipv6(byte[] address) {
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((address[2 * i] & 0xFF) << 8) | (address[2 * i + 1] & 0xFF);
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                b.append("::");
                i += bestLength - 1;
                continue;
            }
            if (b.length() > 0 && b.charAt(b.length() - 1) != ':') {
                b.append(':');
            }
            b.append(Integer.toHexString(groups[i]));
        }
        return b.toString();
    }
}
