package io.mcrsrt.streamer.engine.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A network of the test's own: a veth pair whose near end ({@link #near}, {@code 10.200.N.1/24}) stays in this
 * process's namespace, where the engine under test runs, and whose far end ({@code 10.200.N.2/24}) is in a network
 * namespace made for the test, where the peers run ({@link #startInNamespace}). Names start with {@code nf}; a test
 * class may choose its own prefix and second octet ({@link #perTest(String, int, boolean)}), so that links of tests
 * running side by side cannot share a subnet. A link made with {@link #perTestWithIpv6} has IPv6 addresses too,
 * {@code fd00:X:N::1/64} and {@code ::2}, usable at once (no duplicate address detection), for IPv6 multicast, which
 * loopback does not carry. Needs root; where namespaces cannot be made the test is skipped.
 * {@link #close()} kills the peers it started and removes the pair and the namespace.
 *
 * <p>A test class registers {@link #perTest()} and takes the link as a parameter of each test:
 * <pre>{@code
 * @RegisterExtension
 * final VethLink.PerTest network = VethLink.perTest();
 *
 * @Test
 * void something(VethLink link) throws Exception { ... }
 * }</pre>
 */
public final class VethLink implements AutoCloseable {
    private final String namespace;
    private final String near;
    private final String far;
    /** The second octet of the link's addresses ({@code 10.X.N.1}) and of its group ({@code 239.X.N.1}). */
    private final int network;
    private final int subnet;
    /** Whether the ends have IPv6 addresses too ({@link #nearAddress6()}, {@link #farAddress6()}). */
    private final boolean ipv6;
    private final List<java.lang.Process> processes = new ArrayList<>();

    private VethLink(String namespace, String near, String far, int network, int subnet, boolean ipv6) {
        this.namespace = namespace;
        this.near = near;
        this.far = far;
        this.network = network;
        this.subnet = subnet;
        this.ipv6 = ipv6;
    }

    /**
     * A link of its own for each test of the class that registers this: the namespace and the pair, both ends up with
     * their addresses, made before the test and removed after it; where that is not possible (not root, no network
     * namespaces), the test is skipped, saying why.
     */
    public static PerTest perTest() {
        return perTest("nf", 200, true);
    }

    /**
     * As {@link #perTest()}, with names starting with {@code prefix} and addresses {@code 10.network.N.x}; unplugged,
     * only the namespace is made, for the test to {@link #plug()} the pair when it wants the interface to appear (as a
     * NIC cabled, or a VLAN interface made, after the service started).
     *
     * @param prefix  two lower-case letters that no other test's links start with
     * @param network the second octet of the addresses, one that no other test's links use
     */
    public static PerTest perTest(String prefix, int network, boolean plugged) {
        return new PerTest(prefix, network, plugged, false);
    }

    /**
     * As {@link #perTest(String, int, boolean)}, plugged, each end with an IPv6 address as well as its IPv4 one:
     * {@code fd00:network:N::1/64} near and {@code ::2} far.
     */
    public static PerTest perTestWithIpv6(String prefix, int network) {
        return new PerTest(prefix, network, true, true);
    }

    /**
     * Makes a link before each test and removes it after (also when the test failed), handing it to the test as its
     * {@code VethLink} parameter; see {@link #perTest(String, int, boolean)}.
     */
    public static final class PerTest implements BeforeEachCallback, AfterEachCallback, ParameterResolver {
        private static final ExtensionContext.Namespace STORE = ExtensionContext.Namespace.create(PerTest.class);

        private final String prefix;
        private final int network;
        private final boolean plugged;
        private final boolean ipv6;

        private PerTest(String prefix, int network, boolean plugged, boolean ipv6) {
            this.prefix = prefix;
            this.network = network;
            this.plugged = plugged;
            this.ipv6 = ipv6;
        }

        @Override
        public void beforeEach(ExtensionContext context) throws IOException, InterruptedException {
            VethLink link = create(prefix, network, plugged, ipv6);
            Assumptions.assumeTrue(link != null,
                    "cannot create a network namespace and a veth pair here (needs root and `ip netns`)");
            context.getStore(STORE).put(VethLink.class, link);
        }

        @Override
        public void afterEach(ExtensionContext context) throws IOException, InterruptedException {
            VethLink link = context.getStore(STORE).remove(VethLink.class, VethLink.class);
            if (link != null) {
                link.close();
            }
        }

        @Override
        public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
            return parameter.getParameter().getType() == VethLink.class;
        }

        @Override
        public VethLink resolveParameter(ParameterContext parameter, ExtensionContext context) {
            return context.getStore(STORE).get(VethLink.class, VethLink.class);
        }
    }

    /** Makes the namespace and, if asked, the pair; null where that is not possible. */
    private static VethLink create(String prefix, int network, boolean plugged, boolean ipv6)
            throws IOException, InterruptedException {
        int n = ThreadLocalRandom.current().nextInt(100_000);
        VethLink link = new VethLink(prefix + "ns" + n, prefix + "v" + n + "a", prefix + "v" + n + "b", network,
                100 + n % 150, ipv6);
        try {
            if (run("ip", "netns", "add", link.namespace) != 0) {
                return null; // not root, or no network namespaces here
            }
        } catch (IOException noIpCommand) {
            return null;
        }
        try {
            if (plugged) {
                link.plug();
            }
            return link;
        } catch (IOException | RuntimeException e) {
            link.close();
            throw e;
        }
    }

    /** Makes the pair again, as after {@link #unplug()}: same names and addresses, a new interface index. */
    public void plug() throws IOException, InterruptedException {
        plugWithoutNearAddress();
        check("ip", "addr", "add", nearAddress() + "/24", "dev", near);
        if (ipv6) {
            check("ip", "addr", "add", nearAddress6() + "/64", "dev", near, "nodad");
        }
    }

    /**
     * Makes the pair with the near end up but without its address (as an interface whose DHCP lease has not come
     * yet); {@link #addNearAddress()} gives it.
     */
    public void plugWithoutNearAddress() throws IOException, InterruptedException {
        check("ip", "link", "add", near, "type", "veth", "peer", "name", far, "netns", namespace);
        check("ip", "link", "set", near, "up");
        check("ip", "-n", namespace, "link", "set", "lo", "up");
        check("ip", "-n", namespace, "addr", "add", farAddress() + "/24", "dev", far);
        if (ipv6) {
            check("ip", "-n", namespace, "addr", "add", farAddress6() + "/64", "dev", far, "nodad");
        }
        check("ip", "-n", namespace, "link", "set", far, "up");
    }

    /** Removes the pair, both ends (as unplugging an adapter, or {@code ifdown} of a VLAN interface, removes it). */
    public void unplug() throws IOException, InterruptedException {
        check("ip", "link", "del", near);
    }

    /** Takes the near end's address away, the interface staying up (as a DHCP lease that ran out). */
    public void removeNearAddress() throws IOException, InterruptedException {
        check("ip", "addr", "del", nearAddress() + "/24", "dev", near);
    }

    /** Gives the near end its address back. */
    public void addNearAddress() throws IOException, InterruptedException {
        check("ip", "addr", "add", nearAddress() + "/24", "dev", near);
    }

    /** The end in the test's namespace. */
    public String far() {
        return far;
    }

    /** Runs {@code command} in the namespace to its end. */
    public void inNamespace(String... command) throws IOException, InterruptedException {
        List<String> c = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        c.addAll(List.of(command));
        check(c.toArray(String[]::new));
    }

    /** Runs {@code command} in this process's namespace to its end (on this link's near end: {@link #near()}). */
    public void inRootNamespace(String... command) throws IOException, InterruptedException {
        check(command);
    }

    /** The end in this process's namespace. */
    public String near() {
        return near;
    }

    public String nearAddress() {
        return "10." + network + "." + subnet + ".1";
    }

    public String farAddress() {
        return "10." + network + "." + subnet + ".2";
    }

    /** The near end's IPv6 address, on a link made by {@link #perTestWithIpv6}. */
    public String nearAddress6() {
        return "fd00:" + network + ":" + subnet + "::1";
    }

    /** The far end's IPv6 address, on a link made by {@link #perTestWithIpv6}. */
    public String farAddress6() {
        return "fd00:" + network + ":" + subnet + "::2";
    }

    /**
     * Gives both ends an IPv6 link-local address of their own, usable at once (no duplicate address detection):
     * {@link #nearLinkLocal()} and {@link #farLinkLocal()}. Each end has one from the kernel too, made from its MAC
     * address and usable only once duplicate address detection is over; these are known before the test and ready.
     */
    public void addLinkLocalAddresses() throws IOException, InterruptedException {
        check("ip", "addr", "add", nearLinkLocal() + "/64", "dev", near, "nodad");
        check("ip", "-n", namespace, "addr", "add", farLinkLocal() + "/64", "dev", far, "nodad");
    }

    /** The near end's link-local address of {@link #addLinkLocalAddresses()}, without a zone. */
    public String nearLinkLocal() {
        return "fe80::" + network + ":" + subnet + ":1";
    }

    /** The far end's link-local address of {@link #addLinkLocalAddresses()}, without a zone. */
    public String farLinkLocal() {
        return "fe80::" + network + ":" + subnet + ":2";
    }

    /** An IPv6 any-source multicast group of this link's own (site-local scope, transient). */
    public String group6() {
        return "ff15::" + network + ":" + subnet;
    }

    /** An IPv6 source-specific multicast group of this link's own (in ff3e::/96, the SSM range). */
    public String ssmGroup6() {
        return "ff3e::8000:" + subnet;
    }

    /** A multicast group of this link's own. */
    public String group() {
        return "239." + network + "." + subnet + ".1";
    }

    /** Runs {@code command} in the namespace, its output going to {@code log}; killed by {@link #close()}. */
    public java.lang.Process startInNamespace(Path log, String... command) throws IOException {
        List<String> c = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        c.addAll(List.of(command));
        java.lang.Process p = new ProcessBuilder(c).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        processes.add(p);
        return p;
    }

    /** ffmpeg in the namespace sending {@code clip} in a loop, in real time, to {@code group:port} over the far end. */
    public java.lang.Process sendMulticast(Path clip, int port, Path log) throws IOException {
        return startInNamespace(log, "ffmpeg", "-nostdin", "-loglevel", "error", "-re", "-stream_loop", "-1", "-i",
                clip.toString(), "-c", "copy", "-f", "mpegts", "udp://" + group() + ":" + port + "?localaddr="
                        + farAddress() + "&pkt_size=1316&ttl=4");
    }

    /**
     * ffmpeg in the namespace sending {@code clip} in a loop, in real time, to {@code [group]:port} from the IPv6
     * address {@code from} of the far end (the source a source-specific join names), raw TS or RTP-wrapped.
     */
    public java.lang.Process sendMulticast6(Path clip, String group, int port, String from, boolean rtp, Path log)
            throws IOException {
        String to = (rtp ? "rtp://[" : "udp://[") + group + "]:" + port + "?localaddr=" + from + "&ttl=4"
                + (rtp ? "" : "&pkt_size=1316");
        return startInNamespace(log, "ffmpeg", "-nostdin", "-loglevel", "error", "-re", "-stream_loop", "-1", "-i",
                clip.toString(), "-c", "copy", "-f", rtp ? "rtp_mpegts" : "mpegts", to);
    }

    /** Gives the far end one more IPv6 address ({@code fd00:X:N::k}), to send from as another source. */
    public String addFarAddress6(int k) throws IOException, InterruptedException {
        String a = "fd00:" + network + ":" + subnet + "::" + k;
        check("ip", "-n", namespace, "addr", "add", a + "/64", "dev", far, "nodad");
        return a;
    }

    /** Ends {@code p} (SIGTERM, then SIGKILL), waiting for it. */
    public static void stop(java.lang.Process p) throws InterruptedException {
        p.destroy();
        if (!p.waitFor(5, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        for (java.lang.Process p : processes) {
            stop(p);
        }
        run("ip", "link", "del", near);
        run("ip", "netns", "del", namespace);
    }

    private static void check(String... command) throws IOException, InterruptedException {
        if (run(command) != 0) {
            throw new IOException("failed: " + String.join(" ", command));
        }
    }

    private static int run(String... command) throws IOException, InterruptedException {
        java.lang.Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        return p.waitFor(30, TimeUnit.SECONDS) ? p.exitValue() : -1;
    }
}
