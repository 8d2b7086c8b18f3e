package io.mcrsrt.streamer.engine.input;

import io.mcrsrt.srt.AddressText;
import io.mcrsrt.streamer.stream.InputCounters;
import io.mcrsrt.streamer.stream.InputSpec;
import io.mcrsrt.streamer.system.LocalAddresses;
import io.mcrsrt.ts.TsPacket;
import io.mcrsrt.ts.analysis.ContinuityCheck;
import io.mcrsrt.ts.rtp.Rtp;
import io.mcrsrt.ts.rtp.RtpSequence;
import io.mcrsrt.ts.rtp.TsDatagram;
import io.mcrsrt.ts.rtp.TsDatagramStream;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.MembershipKey;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Receives an MPEG-TS over UDP, multicast or unicast, raw or RTP-wrapped (recognised per datagram), and hands the TS
 * packets on in 7-packet (1316-byte) messages as they arrive: every whole packet a datagram holds, found by its sync
 * byte, the bytes around them counted and left out, raw packets a sender split between datagrams joined again
 * ({@link TsDatagramStream}).
 *
 * <p>RTP datagrams a network reordered are put back in sequence order, waiting a moment at most for a missing one
 * ({@link RtpReorder}); raw TS has no numbering to order it by and goes on as it arrives. On the way the receiver
 * counts what the packets say about the path before it: TS continuity counter errors, and RTP datagrams that never
 * arrived ({@link #counters}).
 *
 * <p>Multicast groups are joined on the named interface (by name or by one of its addresses), or on the interface of
 * the default route when none is named; a source address makes the join source-specific. When that interface is
 * removed and made again, or the default route moves to another, the group is joined again on the one there is now
 * ({@link #rejoinIfMoved}). Not thread-safe: one owner thread polls it.
 */
public final class UdpTsReceiver implements AutoCloseable {
    /** Bytes of one SRT message: seven 188-byte TS packets. */
    public static final int MESSAGE_BYTES = 7 * 188;
    private static final int SOCKET_BUFFER_BYTES = 20 * 1024 * 1024;

    /** Receives the messages this receiver assembles; the buffer is valid only during the call. */
    @FunctionalInterface
    public interface MessageSink {
        void accept(ByteBuffer message);
    }

    /** Receives datagrams whole, as they came; the buffer is valid only during the call. */
    @FunctionalInterface
    public interface DatagramSink {
        /**
         * @param arrivalNanos {@link System#nanoTime()} when the datagram was taken from the socket
         * @return false to stop handing datagrams on
         */
        boolean accept(ByteBuffer datagram, long arrivalNanos);
    }

    /**
     * A socket bound to the stream's port, and for multicast the group joined on one interface; replaced whole when the
     * group is joined again elsewhere ({@link #rejoinIfMoved}).
     *
     * @param joinedOn the interface the group was joined on; null for unicast
     */
    private record Socket(DatagramChannel channel, Selector selector, NetworkInterface joinedOn, String description)
            implements AutoCloseable {
        /**
         * Closes the socket, which leaves its group. No {@link MembershipKey#drop()} first: when the interface the
         * group was joined on has been removed and made again, the kernel no longer finds that membership, and the
         * JDK turns the refusal into an {@link AssertionError}.
         */
        @Override
        public void close() throws IOException {
            try {
                selector.close();
            } finally {
                channel.close();
            }
        }
    }

    private final InputSpec.Multicast spec;
    private Socket socket;
    private final ByteBuffer datagram = ByteBuffer.allocateDirect(65536);
    private final ByteBuffer message = ByteBuffer.allocateDirect(MESSAGE_BYTES);
    private long bytesReceived;
    private long rtpDatagrams;
    private long ignoredDatagrams;
    /** SSRC and sender of the last RTP datagram, to tell another RTP source from it; sender null before the first. */
    private int lastSsrc;
    private SocketAddress lastRtpFrom;
    /** Times an RTP datagram came from another SSRC than the one before it. */
    private long rtpSourceChanges;
    /** The last of those changes: SSRC and sender after it and before it (the address the socket gave, no copy). */
    private int changedSsrc;
    private SocketAddress changedFrom;
    private int changedFromSsrc;
    private SocketAddress changedFromFrom;
    /** Size and sender of the last datagram left out whole; sender null before the first. */
    private int lastIgnoredBytes;
    private SocketAddress lastIgnoredFrom;
    private final ContinuityCheck continuity = new ContinuityCheck();
    /** The RTP sequence accounting: datagrams lost before this receiver, copies, restarts. */
    private final RtpSequence rtpSequence = new RtpSequence();
    /** Whether the last TS datagram was RTP-wrapped. */
    private boolean lastRtp;
    /** Where each datagram's TS packets are; raw packets split between datagrams joined again. */
    private final TsDatagramStream datagrams = new TsDatagramStream();
    /** RTP datagrams in sequence order, on their way to {@link #release}. */
    private final RtpReorder reorder = new RtpReorder(this::release);
    /** Where the {@link #poll} under way hands its messages. */
    private MessageSink sink;
    /** TS bytes the {@link #poll} under way has handed on. */
    private int taken;

    private UdpTsReceiver(InputSpec.Multicast spec, Socket socket) {
        this.spec = spec;
        this.socket = socket;
    }

    /**
     * Opens the socket and joins the group.
     *
     * @throws IOException naming the address, port or interface that could not be used
     */
    public static UdpTsReceiver open(InputSpec.Multicast spec) throws IOException {
        return new UdpTsReceiver(spec, openSocket(spec, null));
    }

    /**
     * @param nif the interface to join on, already looked up ({@link #rejoinIfMoved}); null to look it up here
     * @throws InterfaceMissingException when the interface named does not exist, has no address of the group's family,
     *                                   or the unicast address given is not one of this machine's
     */
    private static Socket openSocket(InputSpec.Multicast spec, NetworkInterface nif) throws IOException {
        InetAddress address;
        try {
            address = InetAddress.getByName(spec.address());
        } catch (IOException e) {
            throw new IOException("multicast address " + spec.address() + " is not a valid address", e);
        }
        ProtocolFamily family = address instanceof Inet4Address ? StandardProtocolFamily.INET
                : StandardProtocolFamily.INET6;
        DatagramChannel ch = DatagramChannel.open(family);
        Selector sel = null;
        try {
            ch.setOption(StandardSocketOptions.SO_RCVBUF, SOCKET_BUFFER_BYTES);
            NetworkInterface joinedOn = null;
            String where = spec.describe();
            if (address.isMulticastAddress()) {
                // Several receivers of one group each get every datagram. Not for unicast: there Linux hands each
                // datagram to one of the sockets only, so a second stream on the port would starve the first.
                ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
                if (nif == null) {
                    nif = interfaceFor(spec.interfaceName(), address instanceof Inet6Address);
                }
                if (address instanceof Inet4Address
                        && nif.inetAddresses().noneMatch(a -> a instanceof Inet4Address)) {
                    // the kernel joins an IPv4 group on one of the interface's IPv4 addresses
                    throw new InterfaceMissingException("network interface " + nif.getName() + " has no IPv4 address"
                            + " to join " + spec.address() + " on (expected: an address on it, from DHCP or"
                            + " ip addr add)");
                }
                if (address instanceof Inet6Address
                        && nif.inetAddresses().noneMatch(a -> a instanceof Inet6Address)) {
                    // the kernel takes the join, but an interface without IPv6 drops every IPv6 datagram
                    throw new InterfaceMissingException("network interface " + nif.getName() + " has no IPv6 address"
                            + " to join " + spec.address() + " on (expected: IPv6 on it; its link-local address comes"
                            + " once the link is up, unless IPv6 is disabled there: sysctl net.ipv6.conf."
                            + nif.getName() + ".disable_ipv6)");
                }
                bind(ch, new InetSocketAddress(address, spec.port()));
                ch.setOption(StandardSocketOptions.IP_MULTICAST_IF, nif);
                try {
                    MembershipKey key = spec.sourceAddress() == null || spec.sourceAddress().isEmpty()
                            ? ch.join(address, nif)
                            : ch.join(address, nif, InetAddress.getByName(spec.sourceAddress()));
                    joinedOn = key.networkInterface();
                } catch (IOException e) {
                    throw new IOException("cannot join multicast group " + spec.address() + " on interface "
                            + nif.getName() + ": " + e.getMessage() + "; check that the interface is up and has"
                            + " multicast enabled", e);
                }
                where = spec.describe() + " (joined on " + nif.getName() + ")";
            } else {
                InetSocketAddress at = new InetSocketAddress(address, spec.port());
                try {
                    ch.bind(at);
                } catch (java.net.BindException e) {
                    // Linux refuses an address no interface has with a BindException too (EADDRNOTAVAIL)
                    if (!LocalAddresses.isLocal(address)) {
                        throw new InterfaceMissingException(AddressText.of(address) + " is not an address of this machine, so"
                                + " UDP sent to it cannot be received here: for unicast give one of this machine's"
                                + " own addresses (where the sender sends to), for multicast a group address", e);
                    }
                    throw new IOException("UDP port " + spec.port() + " on " + AddressText.of(address)
                            + " is already in use (by another stream or another program): each unicast input needs"
                            + " a port of its own; stop the other one or send to another port", e);
                } catch (IOException e) {
                    throw new IOException("cannot receive UDP on " + AddressText.of(at) + ": " + e.getMessage()
                            + "; the address must be one of this host's", e);
                }
            }
            ch.configureBlocking(false);
            sel = Selector.open();
            ch.register(sel, SelectionKey.OP_READ);
            return new Socket(ch, sel, joinedOn, where);
        } catch (IOException | RuntimeException e) {
            if (sel != null) {
                sel.close();
            }
            ch.close();
            throw e;
        }
    }

    private static void bind(DatagramChannel ch, InetSocketAddress at) throws IOException {
        try {
            ch.bind(at);
        } catch (IOException e) {
            throw new IOException("cannot receive UDP on "
                    + AddressText.of(at) + ": " + e.getMessage()
                    + "; the port may be in use or the address not local", e);
        }
    }

    /**
     * The interface to join on: by name, by one of its addresses, or, when empty, the interface of the default route of
     * the group's family (of the other family's when it has none, as on a LAN whose IPv6 has no router).
     *
     * @param ipv6 whether the group is an IPv6 one
     */
    static NetworkInterface interfaceFor(String nameOrAddress, boolean ipv6) throws IOException {
        return interfaceFor(nameOrAddress, ipv6, NetworkInterface.networkInterfaces().toList());
    }

    /**
     * As {@link #interfaceFor(String, boolean)}, among {@code interfaces}: the machine's interfaces, asked of the kernel
     * once by the caller.
     */
    private static NetworkInterface interfaceFor(String nameOrAddress, boolean ipv6, List<NetworkInterface> interfaces)
            throws IOException {
        if (nameOrAddress == null || nameOrAddress.isBlank() || nameOrAddress.equalsIgnoreCase("auto")) {
            // An IPv6-only network has no IPv4 default route, an IPv4-only one no IPv6 default route.
            for (String route : ipv6 ? List.of(IPV6_ROUTES, IPV4_ROUTES) : List.of(IPV4_ROUTES, IPV6_ROUTES)) {
                NetworkInterface def = named(defaultRouteInterface(route), interfaces);
                if (def != null) {
                    return def;
                }
            }
            NetworkInterface lo = named("lo", interfaces);
            if (lo != null) {
                return lo;
            }
            throw new IOException("no default route and no loopback interface to receive multicast on;"
                    + " name the interface explicitly");
        }
        NetworkInterface nif = named(nameOrAddress, interfaces);
        if (nif == null) {
            InetAddress address = AddressText.literal(nameOrAddress);
            // a zone names the interface (fe80::1%eth1): the same link-local address may be on several links
            int zone = address instanceof Inet6Address v6 ? v6.getScopeId() : 0;
            for (NetworkInterface candidate : interfaces) {
                if (address != null && (zone == 0 || candidate.getIndex() == zone)
                        && candidate.inetAddresses().anyMatch(address::equals)) {
                    nif = candidate;
                    break;
                }
            }
        }
        if (nif == null) {
            throw new InterfaceMissingException("network interface " + nameOrAddress + " does not exist (expected:"
                    + " an interface name such as eth0 or one of its addresses; leave it empty for the default"
                    + " route's)");
        }
        return nif;
    }

    private static NetworkInterface named(String name, List<NetworkInterface> interfaces) {
        for (NetworkInterface nif : interfaces) {
            if (nif.getName().equals(name)) {
                return nif;
            }
        }
        return null;
    }

    /** The kernel's IPv4 routes: interface, destination, gateway, flags, ..., metric, mask (hexadecimal). */
    static final String IPV4_ROUTES = "/proc/net/route";
    /** The kernel's IPv6 routes: destination, its length, source, its length, next hop, metric, ..., flags, interface. */
    static final String IPV6_ROUTES = "/proc/net/ipv6_route";
    /** Route flags: RTF_UP, the route is usable; RTF_REJECT, an unreachable route (the kernel's own on lo). */
    private static final int RTF_UP = 0x0001;
    private static final int RTF_REJECT = 0x0200;

    /**
     * The name of the interface of the default route in {@code table} ({@link #IPV4_ROUTES} or {@link #IPV6_ROUTES});
     * null when there is none, or not on Linux.
     */
    private static String defaultRouteInterface(String table) {
        try {
            List<String> lines = Files.readAllLines(Path.of(table));
            return table.equals(IPV6_ROUTES) ? defaultIpv6RouteInterface(lines) : defaultIpv4RouteInterface(lines);
        } catch (IOException ignored) {
            return null; // not Linux, or no IPv6 in the kernel
        }
    }

    /**
     * Of {@code /proc/net/route}'s lines, header first, the interface of the usable default route (destination and
     * mask 0) of the lowest metric; null when none. A machine with a backup uplink (NetworkManager gives a wired link
     * metric 100 and a mobile one 700) lists both, in no promised order; the kernel sends by the lowest metric.
     */
    static String defaultIpv4RouteInterface(List<String> lines) {
        String best = null;
        long bestMetric = Long.MAX_VALUE;
        for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 8 || !f[1].equals("00000000") || !f[7].equals("00000000")) {
                continue;
            }
            int flags = Integer.parseInt(f[3], 16);
            long metric = Long.parseLong(f[6]);
            if ((flags & RTF_UP) != 0 && (flags & RTF_REJECT) == 0 && metric < bestMetric) {
                best = f[0];
                bestMetric = metric;
            }
        }
        return best;
    }

    /**
     * Of {@code /proc/net/ipv6_route}'s lines (no header), the interface of the usable default route ({@code ::/0})
     * of the lowest metric; null when none. The unreachable default routes the kernel keeps on {@code lo} are not
     * usable.
     */
    static String defaultIpv6RouteInterface(List<String> lines) {
        String best = null;
        long bestMetric = Long.MAX_VALUE;
        for (String line : lines) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 10 || !f[0].matches("0{32}") || !f[1].equals("00")) {
                continue;
            }
            int flags = (int) Long.parseLong(f[8], 16);
            long metric = Long.parseLong(f[5], 16);
            if ((flags & RTF_UP) != 0 && (flags & RTF_REJECT) == 0 && metric < bestMetric) {
                best = f[9];
                bestMetric = metric;
            }
        }
        return best;
    }

    /**
     * Waits up to {@code timeoutMillis} for datagrams and hands every complete 7-packet message on, RTP in sequence
     * order ({@link RtpReorder}): it waits less when an RTP datagram held for a missing one is due to go on, and sends
     * it on whether or not anything arrives, so that nothing is held for want of input.
     *
     * @return TS bytes handed on during this call
     */
    public int poll(long timeoutMillis, MessageSink sink) throws IOException {
        this.sink = sink;
        taken = 0;
        long due = reorder.waitNanos(System.nanoTime());
        long wait = due < 0 ? Math.max(1, timeoutMillis)
                : Math.min(Math.max(1, timeoutMillis), Math.ceilDiv(due, 1_000_000L));
        Selector selector = socket.selector();
        if ((wait == 0 ? selector.selectNow() : selector.select(wait)) > 0) {
            selector.selectedKeys().clear();
            while (true) {
                datagram.clear();
                SocketAddress from = socket.channel().receive(datagram);
                if (from == null) {
                    break;
                }
                datagram.flip();
                consume(datagram, from);
            }
        }
        reorder.expire(System.nanoTime());
        bytesReceived += taken;
        return taken;
    }

    /**
     * Waits up to {@code timeoutMillis} for datagrams and hands each on whole, RTP header and all, for a reader that
     * looks at the datagrams themselves (an analyzer: arrival times, RTP sequence numbers, 204-byte packets). Counts
     * nothing into {@link #bytesReceived()}, which counts the TS bytes {@link #poll} takes.
     *
     * @return false when the sink said stop
     */
    public boolean pollDatagrams(long timeoutMillis, DatagramSink sink) throws IOException {
        Selector selector = socket.selector();
        if (selector.select(Math.max(1, timeoutMillis)) == 0) {
            return true;
        }
        selector.selectedKeys().clear();
        while (true) {
            datagram.clear();
            if (socket.channel().receive(datagram) == null) {
                return true;
            }
            long arrival = System.nanoTime();
            datagram.flip();
            if (!sink.accept(datagram, arrival)) {
                return false;
            }
        }
    }

    private void consume(ByteBuffer d, SocketAddress from) {
        switch (datagrams.accept(d, this::forwardRaw)) {
            case RTP -> {
                TsDatagram ts = datagrams.last();
                rtpDatagrams++;
                int ssrc = d.getInt(8);
                if (lastRtpFrom != null && ssrc != lastSsrc) {
                    rtpSourceChanges++;
                    changedSsrc = ssrc;
                    changedFrom = from;
                    changedFromSsrc = lastSsrc;
                    changedFromFrom = lastRtpFrom;
                }
                lastSsrc = ssrc;
                lastRtpFrom = from;
                lastRtp = true;
                reorder.offer(d, ts.start(), ts.count(), d.getInt(8), ((d.get(2) & 0xFF) << 8) | (d.get(3) & 0xFF),
                        System.nanoTime());
            }
            case RAW -> rawTaken();
            case NONE -> {
                ignoredDatagrams++;
                lastIgnoredBytes = d.limit();
                lastIgnoredFrom = from;
            }
        }
    }

    private static String senderText(SocketAddress from) {
        return from instanceof InetSocketAddress at ? AddressText.of(at) : String.valueOf(from);
    }

    private boolean forwardRaw(ByteBuffer b, int start, int stride, int count) {
        rawTaken();
        forward(b, start, stride, count);
        return true;
    }

    /**
     * Raw TS came: what RTP was held goes on first, as it came first, and RTP that comes back after it is counted
     * afresh, nothing having been lost while the TS came raw.
     */
    private void rawTaken() {
        // after a raw datagram nothing was offered to either since they were restarted: once per switch to raw
        if (lastRtp) {
            lastRtp = false;
            reorder.restart();
            rtpSequence.restart();
        }
    }

    /**
     * An RTP datagram in the order {@link RtpReorder} hands it on: counted, and sent on unless it is a copy of one
     * already taken (a network or a sender sending it twice, among the last 64) or came after its wait was given up,
     * when its packets would only follow newer ones.
     */
    private void release(ByteBuffer packets, int start, int count, int source, int seq) {
        RtpSequence.Outcome outcome = rtpSequence.accept(source, seq);
        if (outcome != RtpSequence.Outcome.DUPLICATE && outcome != RtpSequence.Outcome.LATE) {
            forward(packets, start, TsPacket.SIZE, count);
        }
    }

    /**
     * Puts {@code count} packets, {@code stride} bytes apart from {@code start}, into messages for the {@link #poll}
     * under way; 204-byte packets carry 16 bytes of Reed-Solomon parity after the 188 (some DVB-ASI gateways send them
     * so), which SRT receivers do not expect, so the parity stays here.
     */
    private void forward(ByteBuffer b, int start, int stride, int count) {
        for (int i = 0, p = start; i < count; i++, p += stride) {
            if (b.get(p) != TsPacket.SYNC_BYTE) {
                continue; // damaged on the way, in a datagram of whole packets
            }
            continuity.accept(b, p);
            message.put(message.position(), b, p, TsPacket.SIZE).position(message.position() + TsPacket.SIZE);
            taken += TsPacket.SIZE;
            if (!message.hasRemaining()) {
                message.flip();
                sink.accept(message);
                message.clear();
            }
        }
    }

    /** What the packets taken by {@link #poll} said about the path before this receiver, so far. */
    public InputCounters counters() {
        return new InputCounters(continuity.errors(), rtpDatagrams > 0, rtpSequence.lost());
    }

    /** Whether this receiver joined a multicast group (rather than taking unicast datagrams). */
    public boolean multicast() {
        return socket.joinedOn() != null;
    }

    /**
     * What one look at the join found ({@link #rejoinIfMoved}).
     *
     * @param rejoined what was done, in words for an event, when the group was joined again; else null
     * @param lost     why nothing can arrive, when this receiver can tell (see {@link #rejoinIfMoved}); else null
     */
    public record JoinCheck(String rejoined, String lost) {
        static final JoinCheck STANDS = new JoinCheck(null, null);
    }

    /**
     * Joins the group again when the interface it was joined on is no longer the one the spec names: that interface
     * was removed and made again (a USB adapter plugged back in, a VLAN interface that {@code ifdown} deleted and
     * {@code ifup} made again), which gives it a new index, or, with no interface named, the default route has moved
     * to another. The kernel keeps the join on the old index, where nothing arrives any more, and the interface there
     * is now has not joined: without this the input would stay silent for good. An interface that only went down and
     * up, or lost its address and got it back, keeps its index and its join, and is left alone.
     *
     * <p>The new socket joins before the old one is closed, so the port is never left unbound; what the packets said
     * about the path so far ({@link #counters}) is kept. The machine's interfaces are asked of the kernel once a call.
     *
     * <p>Otherwise it tells why nothing can arrive, when it can: the interface the group was joined on no longer exists
     * and none has taken its place yet; for unicast, the address the socket is bound to is no longer one of this
     * machine's (it receives again once the address is back). When the join stands the silence is the source's or the
     * network's.
     *
     * @throws IOException naming the interface when it is back but the group cannot be joined on it (not up yet, no
     *                     address of the group's family yet)
     */
    public JoinCheck rejoinIfMoved() throws IOException {
        NetworkInterface was = socket.joinedOn();
        if (was == null) {
            return new JoinCheck(null, boundAddressLost());
        }
        List<NetworkInterface> interfaces = NetworkInterface.networkInterfaces().toList();
        boolean wasThere = interfaces.stream().anyMatch(nif -> nif.getIndex() == was.getIndex());
        NetworkInterface now;
        try {
            now = interfaceFor(spec.interfaceName(), AddressText.literal(spec.address()) instanceof Inet6Address,
                    interfaces);
        } catch (IOException gone) {
            return wasThere ? JoinCheck.STANDS : new JoinCheck(null, "the interface " + was.getName() + " that "
                    + spec.address() + " was joined on no longer exists; the group is joined again as soon as there"
                    + " is one " + wanted(was));
        }
        if (now.getIndex() == was.getIndex()) {
            return JoinCheck.STANDS;
        }
        Socket fresh = openSocket(spec, now);
        Socket old = socket;
        socket = fresh;
        old.close();
        String why = wasThere ? "is no longer the one " + wanted(was) : "was removed";
        return new JoinCheck("joined " + spec.address() + " again on " + fresh.joinedOn().getName() + " (index "
                + fresh.joinedOn().getIndex() + "): the interface it was joined on, " + was.getName() + " (index "
                + was.getIndex() + "), " + why, null);
    }

    /** For a unicast socket bound to one address: why nothing arrives when that address has gone; else null. */
    private String boundAddressLost() throws IOException {
        InetAddress bound = ((InetSocketAddress) socket.channel().getLocalAddress()).getAddress();
        if (bound.isAnyLocalAddress() || LocalAddresses.isLocal(bound)) {
            return null;
        }
        return AddressText.of(bound) + ", the address this input is bound to, is no longer an address of this"
                + " machine: nothing sent to it arrives until the address is back on an interface, and the input"
                + " receives again by itself then";
    }

    /**
     * The interface the spec asks for, in words that follow "one": named so, with the address given, or of the default
     * route; {@code joinedOn} tells a name from an address, as {@link #interfaceFor} found it.
     */
    private String wanted(NetworkInterface joinedOn) {
        String given = spec.interfaceName();
        if (given == null || given.isBlank() || given.equalsIgnoreCase("auto")) {
            return "of the default route";
        }
        return given.equals(joinedOn.getName()) ? "named " + given : "with the address " + given;
    }

    /** Whether the last TS datagram was RTP-wrapped. */
    public boolean rtpDetected() {
        return lastRtp;
    }

    /** The local UDP port (useful when the spec asked for port 0). */
    public int localPort() throws IOException {
        return ((InetSocketAddress) socket.channel().getLocalAddress()).getPort();
    }

    /** TS bytes (188 a packet) {@link #poll} has taken from datagrams. */
    public long bytesReceived() {
        return bytesReceived;
    }

    /** Datagrams left out whole: no TS packet could be found in them ({@link TsDatagram}). */
    public long ignoredDatagrams() {
        return ignoredDatagrams;
    }

    /**
     * Times an RTP datagram came with another SSRC than the RTP datagram before it: a source restarted or a backup took
     * over (once), or two sources send to the port at once (over and over, their TS mixed).
     */
    public long rtpSourceChanges() {
        return rtpSourceChanges;
    }

    /**
     * The last of the {@link #rtpSourceChanges}: the SSRC and sender of the datagram, and of the one before it
     * ("SSRC 0BADBAD0 from 10.0.0.9:4000 after SSRC ABBACAFE from 10.0.0.8:4000"); null when there has been none.
     */
    public String lastRtpSourceChange() {
        return changedFrom == null ? null : "SSRC " + Rtp.formatSsrc(changedSsrc) + " from " + senderText(changedFrom)
                + " after SSRC " + Rtp.formatSsrc(changedFromSsrc) + " from " + senderText(changedFromFrom);
    }

    /**
     * The last datagram {@link #ignoredDatagrams} counted: its size and its sender ("1500 bytes from 10.0.0.9:4000"),
     * which tells the operator who else sends to the port; null when none has been.
     */
    public String lastIgnored() {
        return lastIgnoredFrom == null ? null : lastIgnoredBytes + " bytes from " + senderText(lastIgnoredFrom);
    }

    /**
     * Bytes left out of the datagrams that held TS packets, being in no whole packet: a trailer after the packets, a
     * header before the first, the head of a split packet whose rest never came ({@link TsDatagramStream#strayBytes}).
     */
    public long strayBytes() {
        return datagrams.strayBytes();
    }

    public String description() {
        return socket.description();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
