package io.mcrsrt.streamer.impair;

import io.mcrsrt.srt.AddressText;
import java.net.InetSocketAddress;

/** Parses {@code HOST:PORT} and {@code [IPv6]:PORT} as engineers type them. */
public final class HostPort {

    private HostPort() {
    }

    /**
     * @throws IllegalArgumentException naming the text and the expected form
     */
    public static InetSocketAddress parse(String text) {
        String t = text == null ? "" : text.strip();
        int colon = t.lastIndexOf(':');
        if (colon <= 0 || colon == t.length() - 1) {
            throw new IllegalArgumentException("'" + text + "' is not HOST:PORT (expected for example 127.0.0.1:9000"
                    + " or [::1]:9000)");
        }
        String host = t.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = AddressText.zoneDecoded(host.substring(1, host.length() - 1));
            String zoneProblem = AddressText.zoneProblem(host);
            if (zoneProblem != null) {
                throw new IllegalArgumentException("'" + text + "': " + zoneProblem);
            }
        } else if (host.contains(":")) {
            throw new IllegalArgumentException("'" + text + "': put an IPv6 address in brackets, as [::1]:9000");
        }
        int port;
        try {
            port = Integer.parseInt(t.substring(colon + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port '" + t.substring(colon + 1) + "' in '" + text
                    + "' is not a port (expected: 1 to 65535)");
        }
        InetSocketAddress a = new InetSocketAddress(host, port);
        if (a.isUnresolved()) {
            throw new IllegalArgumentException("host '" + host + "' cannot be resolved; give an IP address or a name"
                    + " this machine can resolve");
        }
        return a;
    }
}
