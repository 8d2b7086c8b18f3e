package io.mcrsrt.srt;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * IP addresses as engineers write them, in messages, logs and URLs: IPv4 dotted, IPv6 as RFC 5952 and {@code ip addr}
 * write it ({@code ::1}, {@code fe80::fc:ff:fe00:1}), in brackets before a port ({@code [2001:db8::5]:9000}). The JDK
 * writes every IPv6 group ({@code 0:0:0:0:0:0:0:1}), a slash before the address ({@code /192.0.2.10:9000}) and a
 * wildcard twice ({@code 0.0.0.0/0.0.0.0:9000}), which matches nothing typed in a URL or a configuration.
 */
public final class AddressText {
    /** Four decimal numbers from 0 to 255, without leading zeros. */
    private static final Pattern TYPED_IPV4 = Pattern.compile(
            "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    /** The characters of an IPv6 address without zone or brackets, at most as many as the longest one has. */
    private static final Pattern TYPED_IPV6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

    private AddressText() {}

    /**
     * {@code address} as above, without a zone ({@code %eth0}): what an engineer compares with an address typed in a
     * configuration, or lists beside the interface it belongs to.
     */
    public static String of(InetAddress address) {
        Objects.requireNonNull(address, "address must not be null");
        return address instanceof Inet6Address ? ipv6(address.getAddress()) : address.getHostAddress();
    }

    /**
     * {@code HOST:PORT}, an IPv6 host in brackets with its zone kept ({@code [fe80::1%eth0]:9000}), as a link-local
     * address needs it to be reached; an unresolved address as its host name.
     */
    public static String of(InetSocketAddress address) {
        Objects.requireNonNull(address, "address must not be null");
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

    /**
     * {@code host} with a zone written as a URL writes it ({@code fe80::1%25eth0}, RFC 6874) as an address takes it
     * ({@code fe80::1%eth0}); anything else as given.
     */
    public static String zoneDecoded(String host) {
        Objects.requireNonNull(host, "host must not be null (an empty host stands for every address)");
        int percent = host.indexOf("%25");
        return host.indexOf(':') >= 0 && percent > 0 && percent + 3 < host.length()
                ? host.substring(0, percent + 1) + host.substring(percent + 3) : host;
    }

    /**
     * The IPv4 address that the IPv4-mapped IPv6 literal {@code host} (without brackets) stands for, in dotted form, or
     * null for any other text: {@code ::ffff:192.0.2.5} and {@code ::ffff:c000:205} are both 192.0.2.5. Such an
     * address is IPv4 written as IPv6 (RFC 4291 2.5.5.2): Java and libsrt take it as IPv4, so a host or group given so
     * is better given as the IPv4 address it is. Never looks a name up.
     */
    public static String mappedIpv4(String host) {
        Objects.requireNonNull(host, "host must not be null (an IPv6 literal, without brackets)");
        return host.indexOf(':') >= 0 && typed(host) instanceof Inet4Address v4 ? v4.getHostAddress() : null;
    }

    /**
     * Why the IPv6 address {@code host} (without brackets) cannot be reached or bound as written, naming it and the
     * fix, or null when it can, or when it is no IPv6 address (a host name, IPv4: not looked up here). An IPv6
     * link-local address ({@code fe80::/10}) needs a zone naming the interface it is on ({@code fe80::1%eth0}): the same
     * address may be on every link, and the kernel refuses to send to or bind one without it. A zone must be an
     * interface of this machine, by name or index: Java and libsrt take it as the {@code sin6_scope_id} of the socket
     * address.
     */
    public static String zoneProblem(String host) {
        Objects.requireNonNull(host, "host must not be null (an empty host stands for every address)");
        int percent = host.indexOf('%');
        String address = percent < 0 ? host : host.substring(0, percent);
        if (address.indexOf(':') < 0 || !(typed(address) instanceof Inet6Address ip)) {
            return null;
        }
        if (percent < 0) {
            return ip.isLinkLocalAddress() ? "IPv6 address " + host + " is link-local, so it needs the interface it is"
                    + " reached on after a '%' (expected: " + host + "%" + exampleInterface() + "; this machine's"
                    + " interfaces with a link-local address: " + linkLocalInterfaces() + ")" : null;
        }
        String zone = host.substring(percent + 1);
        if (zone.isEmpty()) {
            return "IPv6 address " + host + " has nothing after its '%' (expected: the interface it is reached on, as "
                    + address + "%" + exampleInterface() + "; this machine's interfaces with a link-local address: "
                    + linkLocalInterfaces() + ")";
        }
        NetworkInterface nif;
        try {
            nif = zone.matches("[0-9]{1,9}") ? NetworkInterface.getByIndex(Integer.parseInt(zone))
                    : NetworkInterface.getByName(zone);
        } catch (SocketException e) {
            nif = null;
        }
        if (nif == null) {
            return "the zone '" + Visible.of(zone) + "' of IPv6 address " + Visible.of(host) + " is not an interface of"
                    + " this machine (expected: " + address + "%NAME with NAME one of its interfaces with a link-local"
                    + " address: " + linkLocalInterfaces() + ")";
        }
        try {
            // A literal: no name is looked up. The JDK takes a zone only on an interface with an address of the same
            // kind (a link-local one for a link-local address), as the kernel routes it.
            InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            return "interface " + nif.getName() + " of IPv6 address " + host + " has no " + (ip.isLinkLocalAddress()
                    ? "link-local IPv6" : "IPv6") + " address, so " + address + " cannot be reached through it (expected: "
                    + address + "%NAME with NAME one of this machine's interfaces with a link-local address: "
                    + linkLocalInterfaces() + ")";
        }
        return null;
    }

    /**
     * The address {@code text} writes as an IP literal ({@code 192.0.2.10}, {@code 2001:db8::1}, without brackets);
     * null for anything else. A host name is not looked up: it is not a literal, so null.
     */
    public static InetAddress literal(String text) {
        Objects.requireNonNull(text, "text must not be null");
        try {
            return InetAddress.ofLiteral(text);
        } catch (IllegalArgumentException notALiteral) {
            return null;
        }
    }

    /**
     * The address {@code text} writes in the forms engineers type and {@link #of} writes: IPv4 as four decimal numbers
     * from 0 to 255 without leading zeros ({@code 192.0.2.10}), IPv6 in hexadecimal groups with {@code ::} and an IPv4
     * tail as RFC 4291 2.2 allows ({@code 2001:db8::1}, {@code ::ffff:192.0.2.5}), at most 45 characters; null for
     * anything else, a host name included (nothing is looked up). Stricter than {@link #literal}: the short IPv4 forms
     * the JDK and {@code inet_aton} also read ({@code 10.1} for 10.0.0.1, {@code 3232235777}, {@code 010.1.1.1}, octal
     * to {@code inet_aton} and decimal to the JDK) are not what anyone typing an address means, and brackets and a
     * zone ({@code [::1]}, {@code fe80::1%eth0}) are not part of the address: take them off first
     * ({@link #unbracketed}), and check a zone with {@link #zoneProblem}. An IPv4-mapped IPv6 address comes back as
     * the IPv4 address Java makes of it ({@link #mappedIpv4} tells those apart).
     */
    public static InetAddress typed(String text) {
        Objects.requireNonNull(text, "text must not be null");
        if (text.indexOf(':') < 0) {
            return TYPED_IPV4.matcher(text).matches() ? literal(text) : null;
        }
        return TYPED_IPV6.matcher(text).matches() ? literal(text) : null;
    }

    /**
     * {@code text} without the brackets a URL or a {@code HOST:PORT} puts around an IPv6 address ({@code [::1]} is
     * {@code ::1}); anything else, and a bare {@code []}, as given. Nothing inside is checked.
     */
    public static String unbracketed(String text) {
        Objects.requireNonNull(text, "text must not be null");
        return text.length() > 2 && text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1)
                : text;
    }

    /** This machine's interfaces that have an IPv6 link-local address, by name, for a message; or "none". */
    private static String linkLocalInterfaces() {
        String names = linkLocal().collect(Collectors.joining(", "));
        return names.isEmpty() ? "none" : names;
    }

    /** An interface to show in an example: the first with an IPv6 link-local address, else eth0. */
    private static String exampleInterface() {
        return linkLocal().findFirst().orElse("eth0");
    }

    private static java.util.stream.Stream<String> linkLocal() {
        try {
            return NetworkInterface.networkInterfaces().filter(n -> n.inetAddresses()
                    .anyMatch(a -> a instanceof Inet6Address && a.isLinkLocalAddress()))
                    .map(NetworkInterface::getName).sorted();
        } catch (SocketException e) {
            return java.util.stream.Stream.empty();
        }
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
