package io.mcrsrt.streamer.system;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The host's network interfaces, for choosing where to join a multicast group. */
public final class NetworkInterfaces {
    private NetworkInterfaces() {
    }

    /** {@code [{"name","addresses":[...],"up","multicast"}]}, sorted by name. */
    public static List<Map<String, Object>> list() {
        List<Map<String, Object>> out = new ArrayList<>();
        try {
            for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("name", ni.getName());
                List<String> addresses = new ArrayList<>();
                for (InetAddress a : Collections.list(ni.getInetAddresses())) {
                    addresses.add(a instanceof java.net.Inet6Address ? ipv6Text(a.getAddress()) : a.getHostAddress());
                }
                m.put("addresses", addresses);
                m.put("up", ni.isUp());
                m.put("multicast", ni.supportsMulticast());
                out.add(m);
            }
        } catch (SocketException e) {
            return List.of();
        }
        out.sort((a, b) -> ((String) a.get("name")).compareTo((String) b.get("name")));
        return out;
    }

    /**
     * An IPv6 address as {@code ip addr} and RFC 5952 write it ({@code fe80::fc:ff:fe00:1}, {@code ::1}), without the
     * zone: Java writes every group ({@code fe80:0:0:0:fc:ff:fe00:1%eth0}), which matches nothing an engineer types
     * or compares with.
     */
    static String ipv6Text(byte[] address) {
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
