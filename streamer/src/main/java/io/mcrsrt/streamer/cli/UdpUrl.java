package io.mcrsrt.streamer.cli;

import io.mcrsrt.srt.AddressText;
import io.mcrsrt.srt.Srt;
import io.mcrsrt.streamer.stream.InputSpec;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Reads the UDP inputs of the command line ({@code send}, {@code analyze}, {@code scte35}), one form for all three:
 * {@code udp://[source@]group:port[?iface=NAME]}.
 *
 * <ul>
 *   <li>{@code group}: a multicast group, or an address of this machine for unicast; an IPv6 one in brackets; empty
 *       for unicast on every address ({@code udp://:5004}).
 *   <li>{@code source@}: a source-specific join; {@code @} with nothing before it is allowed, as ffmpeg and VLC write
 *       any-source URLs. ffmpeg's {@code ?sources=ADDRESS} says the same.
 *   <li>{@code ?iface=NAME} (or {@code interface=}): the interface to join on, by name or by one of its addresses;
 *       without it, the default route's.
 * </ul>
 *
 * Only the form is checked here; whether the group can be joined is for the socket to say.
 */
final class UdpUrl {
    static final String FORM = "udp://[source@]group:port[?iface=NAME], for example udp://239.1.1.1:5004,"
            + " udp://10.0.0.5@232.1.1.1:5004?iface=eth1, udp://[ff0e::1]:5004, or udp://:5004 for unicast on every"
            + " address";
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9._-]+");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]+(%[\\w.-]+)?");
    private static final Pattern ADDRESS = Pattern.compile("[0-9.]+|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    private UdpUrl() {
    }

    /**
     * @param url a URL starting with {@code udp://} (any case)
     * @return the input it names; an empty group becomes every address of this machine: {@code ::} (IPv4 and IPv6)
 *     where it has IPv6, else {@code 0.0.0.0}
     * @throws IllegalArgumentException naming the URL, what is wrong with it and the expected form
     */
    static InputSpec.Multicast parse(String url) {
        String rest = url.substring("udp://".length());
        String source = null;
        String iface = null;
        int q = rest.indexOf('?');
        if (q >= 0) {
            for (String pair : rest.substring(q + 1).split("&", -1)) {
                int eq = pair.indexOf('=');
                String key = decode(eq < 0 ? pair : pair.substring(0, eq)).toLowerCase(Locale.ROOT);
                String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
                switch (key) {
                    case "iface", "interface" -> iface = nonEmpty(url, key, value);
                    case "sources", "source" -> source = sourceAddress(url, nonEmpty(url, key, value));
                    default -> throw malformed(url, "has the unknown option '" + key + "' (options: iface=NAME,"
                            + " sources=ADDRESS)");
                }
            }
            rest = rest.substring(0, q);
        }
        int at = rest.lastIndexOf('@');
        if (at >= 0) {
            String before = rest.substring(0, at);
            if (!before.isEmpty()) {
                if (source != null) {
                    throw malformed(url, "names a source twice, before '@' and in ?sources=");
                }
                source = sourceAddress(url, before.startsWith("[") && before.endsWith("]")
                        ? before.substring(1, before.length() - 1) : before);
            }
            rest = rest.substring(at + 1);
        }
        String host;
        String port;
        if (rest.startsWith("[")) {
            int close = rest.indexOf(']');
            if (close < 0 || !rest.startsWith(":", close + 1)) {
                throw malformed(url, "has an IPv6 address without ]:PORT after it");
            }
            host = rest.substring(1, close);
            port = rest.substring(close + 2);
            if (!IPV6.matcher(host).matches()) {
                throw malformed(url, "has '" + host + "' in brackets, which is not an IPv6 address");
            }
        } else {
            int colon = rest.lastIndexOf(':');
            if (colon < 0) {
                throw malformed(url, rest.isEmpty() ? "has no group and no port" : "has no port");
            }
            if (rest.indexOf(':') != colon) {
                throw malformed(url, "has an IPv6 address without brackets");
            }
            host = rest.substring(0, colon);
            port = rest.substring(colon + 1);
            if (!host.isEmpty() && !HOST.matcher(host).matches()) {
                throw malformed(url, "has '" + host + "', which is not an address or a host name");
            }
        }
        if (host.isEmpty() && source != null) {
            throw malformed(url, "names a source but no group to join");
        }
        java.net.InetAddress group = AddressText.literal(host);
        java.net.InetAddress sender = source == null ? null : AddressText.literal(source);
        if (group != null && sender != null && group.getClass() != sender.getClass()) {
            throw malformed(url, "names the source " + source + ", an " + family(sender) + " address, for the "
                    + family(group) + " group " + host + ": a source-specific join names the sender by an address of"
                    + " the group's family");
        }
        return new InputSpec.Multicast(host.isEmpty() ? AddressText.of(Srt.everyAddress()) : host,
                port(url, port), iface, source);
    }

    private static String family(java.net.InetAddress address) {
        return address instanceof java.net.Inet6Address ? "IPv6" : "IPv4";
    }

    private static String sourceAddress(String url, String text) {
        if (!ADDRESS.matcher(text).matches()) {
            throw malformed(url, "has the source '" + text + "', which is not an IP address (a source-specific join"
                    + " names the sender's address)");
        }
        return text;
    }

    private static String nonEmpty(String url, String key, String value) {
        if (value.isBlank()) {
            throw malformed(url, "has the option '" + key + "' without a value");
        }
        return value;
    }

    private static int port(String url, String text) {
        if (text.isEmpty()) {
            throw malformed(url, "has no port");
        }
        int port = text.length() <= 5 && text.chars().allMatch(c -> c >= '0' && c <= '9')
                ? Integer.parseInt(text) : -1;
        if (port < 1 || port > 65535) {
            throw malformed(url, "has the port '" + text + "', which is not 1 to 65535");
        }
        return port;
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return text;
        }
    }

    private static IllegalArgumentException malformed(String url, String problem) {
        return new IllegalArgumentException("UDP input '" + url + "' " + problem + " (expected: " + FORM + ")");
    }
}
