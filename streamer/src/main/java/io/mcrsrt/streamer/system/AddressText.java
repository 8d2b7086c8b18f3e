package io.mcrsrt.streamer.system;

import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * An IP address as an engineer writes and compares it: IPv4 dotted, IPv6 as {@code ip addr} and RFC 5952 write it
 * ({@code ::1}, {@code fe80::fc:ff:fe00:1}), without a zone. The JDK writes every IPv6 group
 * ({@code 0:0:0:0:0:0:0:1}, {@code fe80:0:0:0:fc:ff:fe00:1%eth0}), which matches nothing typed in a URL or a
 * configuration.
 */
public final class AddressText {
    private AddressText() {
    }

    /** {@code address} written as above. */
    public static String of(InetAddress address) {
        return address instanceof Inet6Address ? ipv6(address.getAddress()) : address.getHostAddress();
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
