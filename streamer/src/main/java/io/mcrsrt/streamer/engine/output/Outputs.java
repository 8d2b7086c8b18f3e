package io.mcrsrt.streamer.engine.output;

import io.mcrsrt.srt.AddressText;
import io.mcrsrt.streamer.stream.Mode;
import io.mcrsrt.streamer.stream.StreamConfig;
import io.mcrsrt.streamer.system.LocalAddresses;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.StandardProtocolFamily;
import java.util.Collections;

/** Opens a stream's SRT output for its mode. */
public final class Outputs {
    private Outputs() {
    }

    /**
     * A listener (bound and listening when this returns) or a caller (connecting in the background).
     *
     * @param bitsPerSecond the input's rate if known before it starts, else 0
     */
    public static Output open(StreamConfig config, int maxCallers, long bitsPerSecond, EventSink events)
            throws Exception {
        return open(config, maxCallers, bitsPerSecond, events, null);
    }

    /**
     * As {@link #open(StreamConfig, int, long, EventSink)}, sending from the interface named (name or address; null or
     * empty for the system's choice): a listener binds that interface's address, a caller binds it before dialling.
     */
    public static Output open(StreamConfig config, int maxCallers, long bitsPerSecond, EventSink events,
            String interfaceName) throws Exception {
        if (config.mode() == Mode.LISTENER) {
            return ListenerOutput.open(config, maxCallers, bitsPerSecond, events, listenAddress(interfaceName));
        }
        // A caller finds the interface's address of its target's family at each dial: one not there yet (a NIC
        // cabled, a VLAN interface made, an address from DHCP after the service started) is waited for by dialling.
        return CallerOutput.start(config, bitsPerSecond, events,
                interfaceName == null || interfaceName.isBlank() ? null : interfaceName);
    }

    /**
     * Why {@code interfaceName}, an interface a listener binds or a caller sends from, can never be one of this
     * machine's, naming it and what to give instead; null when it may be, now or later. A multicast address is no
     * interface's; an IPv6 link-local address without a zone can be bound on no link; a text that is no IP address and
     * no name Linux gives an interface (at most 15 characters, no {@code /}, {@code :} or blank, not {@code .} or
     * {@code ..}) can never name one. Anything else that is not there now may come (a NIC cabled late, a VLAN
     * interface made later, an address from DHCP), so it is waited for; so is an IPv6 address with a zone
     * ({@code fe80::1%eth1}, {@code fe80::1%3}) whose zone is a name an interface can have or an index.
     */
    public static String neverLocal(String interfaceName) {
        if (interfaceName == null || interfaceName.isBlank()) {
            return null;
        }
        int percent = interfaceName.indexOf('%');
        InetAddress literal = AddressText.literal(interfaceName);
        if (percent > 0 && AddressText.typed(interfaceName.substring(0, percent)) instanceof Inet6Address v6) {
            // an IPv6 address on the interface its zone names: the zone is looked up only when it is there
            literal = v6;
        }
        if (literal != null && literal.isMulticastAddress()) {
            return "interface " + interfaceName + " is a multicast address, which no interface has (expected: an"
                    + " interface name such as eth0 or one of the machine's own addresses)";
        }
        if (literal instanceof Inet6Address && percent > 0) {
            String zone = interfaceName.substring(percent + 1);
            return zone.matches("[0-9]{1,9}") || interfaceNameLike(zone) ? null : "interface " + interfaceName
                    + " has the zone '" + zone + "', which is neither an interface index nor a name an interface"
                    + " can have (expected: " + interfaceName.substring(0, percent) + "%NAME, NAME an interface such"
                    + " as eth0)";
        }
        if (literal != null) {
            // the kernel binds a link-local address only on the link named with it (EINVAL without)
            String zoneProblem = AddressText.zoneProblem(interfaceName);
            return zoneProblem == null ? null : "interface " + interfaceName + " cannot be bound: " + zoneProblem;
        }
        return interfaceNameLike(interfaceName) ? null : "interface " + interfaceName + " is neither an IP address nor"
                + " a name an interface can have (expected: an interface name such as eth0, at most 15 characters"
                + " without '/', ':' or blanks, or one of the machine's own addresses)";
    }

    /** Whether {@code text} is a name Linux could give an interface: at most 15 characters, no '/', ':' or blank. */
    private static boolean interfaceNameLike(String text) {
        return !text.isEmpty() && text.length() <= 15 && !text.equals(".") && !text.equals("..")
                && text.chars().noneMatch(c -> c == '/' || c == ':' || Character.isWhitespace(c));
    }

    /**
     * Checks that a caller could send from {@code interfaceName} now: the interface exists and has an address, or the
     * address given is one of this machine's; nothing when none is given.
     *
     * @throws AddressMissingException naming the interface or address that is not there
     */
    public static void checkSendFrom(String interfaceName) throws IOException {
        sendFrom(interfaceName, null);
    }

    /**
     * The address a caller binds to send from {@code interfaceName} to {@code toReach} ({@link #localAddress(String,
     * InetAddress)}), checked to be one of this machine's now; null when none is given.
     *
     * @throws IOException naming the interface or address that is not there
     */
    static InetAddress sendFrom(String interfaceName, InetAddress toReach) throws IOException {
        InetAddress local = localAddress(interfaceName, toReach);
        if (local != null && !LocalAddresses.isLocal(local)) {
            throw new AddressMissingException("outgoing address " + AddressText.of(local) + " is not an address of this"
                    + " machine now (expected: an address one of its interfaces has, ip addr)");
        }
        return local;
    }

    /**
     * Checks that a listener could bind {@code port} where it would (the interface or address given, else every
     * address), by binding a UDP socket there for a moment: so that a port another program holds is refused when the
     * stream is asked for, rather than reported by the stream once started.
     *
     * @throws IOException naming the port and what to do, if it cannot be bound: an {@link AddressMissingException}
     *                     when the interface or address is not on this machine now
     */
    public static void checkListenerPortFree(int port, String interfaceName) throws IOException {
        InetAddress local = listenAddress(interfaceName);
        InetSocketAddress at = ListenerAddress.of(local, port);
        try (java.nio.channels.DatagramChannel probe = java.nio.channels.DatagramChannel.open(
                at.getAddress() instanceof Inet4Address ? StandardProtocolFamily.INET : StandardProtocolFamily.INET6)) {
            // as the listener will: the IPv6 wildcard takes IPv4 too, so it is refused where either is taken
            probe.bind(at);
        } catch (java.net.BindException e) {
            // Linux refuses an address no interface has with a BindException too (EADDRNOTAVAIL)
            if (local != null && !LocalAddresses.isLocal(local)) {
                throw new AddressMissingException("Listener address " + AddressText.of(local) + " is not an address of this"
                        + " machine now (SRT_LISTEN_ADDRESS, or the pair leg's interface), so no caller could reach"
                        + " port " + port + " there: bring back the interface that had it, or bind the listener to an"
                        + " address the machine has (ip addr).", e);
            }
            throw new IOException("Listener port " + port + " is in use by another program (UDP "
                    + AddressText.of(at) + "). Stop that program, or"
                    + " choose another port.", e);
        }
    }

    /**
     * Why this machine cannot send to {@code remote} at all, as its routing table says: a connected UDP socket is
     * refused (no route, {@code Network is unreachable}; an unreachable or prohibit route, {@code No route to host}),
     * in words that say what to check; null when the kernel has a route. Nothing is sent. A dial that gets no answer
     * looks the same from libsrt whether the peer is silent or the datagrams never left this machine, and only the
     * second is fixed here, so it is worth telling apart.
     *
     * @param local the address the dial was bound to, or null for the system's choice
     */
    static String unreachable(InetSocketAddress remote, InetAddress local) {
        StandardProtocolFamily family = remote.getAddress() instanceof Inet6Address ? StandardProtocolFamily.INET6
                : StandardProtocolFamily.INET;
        try (java.nio.channels.DatagramChannel probe = java.nio.channels.DatagramChannel.open(family)) {
            if (local != null) {
                probe.bind(new InetSocketAddress(local, 0));
            }
            probe.connect(remote);
            return null;
        } catch (IOException e) {
            String down = "";
            try {
                NetworkInterface nif = local == null ? null : NetworkInterface.getByInetAddress(local);
                if (nif != null && !nif.isUp()) {
                    down = "; the outgoing interface " + nif.getName() + " is down";
                }
            } catch (IOException ignored) {
                // the reason alone, then
            }
            return "this machine has no route to " + AddressText.of(remote.getAddress())
                    + (local == null ? "" : " from " + AddressText.of(local)) + " (" + e.getMessage() + ")" + down
                    + ": check the interface towards it and its routes (ip route get "
                    + AddressText.of(remote.getAddress()) + "); the caller keeps dialling";
        }
    }

    /**
     * The address a listener binds on an interface given by name (its first IPv4 address, else its first IPv6 address
     * that is not link-local), or the address itself; null when none is given.
     *
     * @throws AddressMissingException naming the interface to listen on when there is no such interface or it has no
     *                                 such address
     */
    static InetAddress listenAddress(String interfaceName) throws IOException {
        return localAddress(interfaceName, null, "listening interface ");
    }

    /**
     * The address a caller binds on an interface given by name to send to {@code toReach}: an interface's address of
     * the same family (a socket bound to an IPv4 address cannot reach an IPv6 one, nor the other way round); or the
     * address itself; null when none is given.
     *
     * @param toReach the peer to reach, or null for no preference (IPv4 first)
     * @throws AddressMissingException naming the outgoing interface when there is no such interface or it has no such
     *                                 address
     */
    static InetAddress localAddress(String interfaceName, InetAddress toReach) throws IOException {
        return localAddress(interfaceName, toReach, "outgoing interface ");
    }

    /**
     * As the two above, the messages naming the interface by {@code role}: "listening interface " or "outgoing
     * interface ".
     */
    private static InetAddress localAddress(String interfaceName, InetAddress toReach, String role)
            throws IOException {
        if (interfaceName == null || interfaceName.isBlank()) {
            return null;
        }
        NetworkInterface nif = NetworkInterface.getByName(interfaceName);
        if (nif == null) {
            // a literal only: a name that is no interface's is not looked up as a host name
            InetAddress literal = AddressText.literal(interfaceName);
            String zoneProblem = interfaceName.indexOf('%') > 0 ? AddressText.zoneProblem(interfaceName) : null;
            if (zoneProblem != null) {
                // the interface of the zone is not there, or has no link-local address yet: waited for
                throw new AddressMissingException(role + interfaceName + " cannot be used now: " + zoneProblem);
            }
            if (literal == null) {
                throw new AddressMissingException(role + interfaceName + " does not exist (expected: an"
                        + " interface name such as eth0 or a local address)");
            }
            return literal;
        }
        InetAddress ipv4 = null;
        InetAddress ipv6 = null;
        for (InetAddress a : Collections.list(nif.getInetAddresses())) {
            if (a instanceof Inet4Address && ipv4 == null) {
                ipv4 = a;
            } else if (a instanceof Inet6Address && !a.isLinkLocalAddress() && ipv6 == null) {
                ipv6 = a;
            }
        }
        InetAddress chosen = toReach == null ? (ipv4 != null ? ipv4 : ipv6)
                : toReach instanceof Inet6Address ? ipv6 : ipv4;
        if (chosen == null) {
            throw new AddressMissingException(role + interfaceName + " has no "
                    + (toReach == null ? "IPv4 or IPv6" : toReach instanceof Inet6Address ? "IPv6" : "IPv4")
                    + " address" + (toReach == null ? "" : " to reach " + AddressText.of(toReach) + " from")
                    + " (IPv6 link-local addresses are not used)");
        }
        return chosen;
    }

    /** See {@link SrtSettings#srtUri(StreamConfig)}. */
    public static String srtUri(StreamConfig config) {
        return SrtSettings.srtUri(config);
    }

    /** See {@link SrtSettings#srtUri(StreamConfig, String)}. */
    public static String srtUri(StreamConfig config, String listenerAddress) {
        return SrtSettings.srtUri(config, listenerAddress);
    }
}
