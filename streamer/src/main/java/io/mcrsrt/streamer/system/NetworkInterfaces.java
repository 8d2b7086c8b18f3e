package io.mcrsrt.streamer.system;

import io.mcrsrt.srt.AddressText;
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
                    addresses.add(AddressText.of(a));
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
}
