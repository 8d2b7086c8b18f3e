package io.mcrsrt.streamer.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcrsrt.streamer.cli.Main;
import io.mcrsrt.streamer.engine.testing.Await;
import io.mcrsrt.streamer.engine.testing.Peers;
import io.mcrsrt.streamer.engine.testing.TestMedia;
import io.mcrsrt.streamer.engine.testing.TsCheck;
import io.mcrsrt.streamer.engine.testing.VethLink;
import io.mcrsrt.streamer.stream.EngineSettings;
import io.mcrsrt.streamer.stream.Encryption;
import io.mcrsrt.streamer.stream.InputSpec;
import io.mcrsrt.streamer.stream.Mode;
import io.mcrsrt.streamer.stream.StreamConfig;
import io.mcrsrt.streamer.stream.StreamStatus;
import io.mcrsrt.streamer.stream.StreamView;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A UDP input from an IPv6 multicast group, as on an IPv6-only contribution network: any-source ({@code ff15::}) and
 * source-specific ({@code ff3e::8000:N}, the source an IPv6 address), raw TS and RTP, the interface given by name and
 * by its IPv6 address. Loopback does not carry IPv6 multicast, so ffmpeg sends from a network namespace of the test's
 * own over a veth pair ({@link VethLink}); needs root, skipped where namespaces cannot be made.
 */
class Ipv6MulticastInputTest {
    @TempDir
    Path data;

    @RegisterExtension
    final VethLink.PerTest network = VethLink.perTestWithIpv6("v6", 206);

    @ParameterizedTest(name = "{0} {1}, interface by {2}")
    @CsvSource({"any-source, raw, name", "any-source, rtp, address", "source-specific, raw, address",
            "source-specific, rtp, name", "any-source, raw, link-local address"})
    void anIpv6GroupIsTheStreamsInputIsLostOnSilenceAndResumes(String join, String wrapping, String by, VethLink link)
            throws Exception {
        boolean ssm = join.equals("source-specific");
        boolean rtp = wrapping.equals("rtp");
        Path clip = TestMedia.shortClip();
        int port = Peers.freePort();
        int udpPort = Peers.freePort();
        String group = ssm ? link.ssmGroup6() : link.group6();
        String source = link.farAddress6();
        EngineSettings settings = new EngineSettings(clip.getParent(), data, 4, port, port, 4);
        StreamConfig config = new StreamConfig(Mode.LISTENER, new InputSpec.Multicast(group, udpPort,
                switch (by) {
                    case "name" -> link.near();
                    case "address" -> link.nearAddress6();
                    default -> linkLocal(link.near());
                }, ssm ? source : null), port, null, null, 1000,
                25, Encryption.NONE, null, false, 30, false, null);
        Path received = data.resolve("received.ts");
        try (LocalStreamEngine engine = LocalStreamEngine.open(settings)) {
            engine.start(config);
            StreamView waiting = Await.status(engine, port, StreamStatus.INPUT_LOST, 20_000);
            assertThat(waiting.status()).as(waiting.statusDetail()).isEqualTo(StreamStatus.INPUT_LOST);
            if (ssm) {
                Process other = link.sendMulticast6(clip, group, udpPort, link.addFarAddress6(3), rtp,
                        data.resolve("other.log"));
                // Long enough for input to be noticed: the status follows the input within a second.
                Thread.sleep(3000);
                StreamView v = engine.stream(port).orElseThrow();
                assertThat(v.status()).as("another source's datagrams are not the input")
                        .isEqualTo(StreamStatus.INPUT_LOST);
                assertThat(v.inputBitrateMbps()).isZero();
                VethLink.stop(other);
            }
            Process sender = link.sendMulticast6(clip, group, udpPort, source, rtp, data.resolve("sender1.log"));
            try (Peers.Process rx = Peers.receiveToFile("srt://127.0.0.1:" + port + "?mode=caller&latency=1000",
                    received, data.resolve("rx.log"))) {
                StreamView v = Await.status(engine, port, StreamStatus.CONNECTED, 30_000);
                assertThat(v.status()).as(v.statusDetail() + "; sender: " + log(data.resolve("sender1.log")))
                        .isEqualTo(StreamStatus.CONNECTED);
                assertThat(Await.until(() -> size(received) > 300_000, 20_000)).isTrue();

                VethLink.stop(sender);
                StreamView lost = Await.status(engine, port, StreamStatus.INPUT_LOST, 10_000);
                assertThat(lost.status()).isEqualTo(StreamStatus.INPUT_LOST);
                assertThat(lost.connectionStatus()).isEqualTo("Input lost");
                assertThat(lost.peers()).hasSize(1);

                link.sendMulticast6(clip, group, udpPort, source, rtp, data.resolve("sender2.log"));
                StreamView back = Await.status(engine, port, StreamStatus.CONNECTED, 20_000);
                assertThat(back.status()).isEqualTo(StreamStatus.CONNECTED);
                assertThat(back.events()).anyMatch(e -> e.kind().equals("input-lost"))
                        .anyMatch(e -> e.kind().equals("input-resumed"));
            }
        }
        TsCheck check = TsCheck.of(received);
        assertThat(check.packets()).isGreaterThan(1500);
        assertThat(Files.size(received) % 188).isZero();
    }

    /**
     * An IPv6 group on an interface where IPv6 is disabled (so no IPv6 address, not even a link-local one) shows Start
     * Error saying so and waits; once IPv6 is enabled there the input opens by itself and receives. Before, the kernel
     * took the join, the interface dropped every IPv6 datagram, and the stream said only that no data came.
     */
    @org.junit.jupiter.api.Test
    void anInterfaceWithoutIpv6IsNamedAndTheInputOpensOnceItHasIpv6(VethLink link) throws Exception {
        Path clip = TestMedia.shortClip();
        int port = Peers.freePort();
        int udpPort = Peers.freePort();
        String group = link.group6();
        String disable = "net.ipv6.conf." + link.near() + ".disable_ipv6";
        link.inRootNamespace("sysctl", "-qw", disable + "=1");
        EngineSettings settings = new EngineSettings(clip.getParent(), data, 4, port, port, 4);
        StreamConfig config = new StreamConfig(Mode.LISTENER, new InputSpec.Multicast(group, udpPort, link.near(),
                null), port, null, null, 1000, 25, Encryption.NONE, null, false, 30, false, null);
        try (LocalStreamEngine engine = LocalStreamEngine.open(settings)) {
            link.sendMulticast6(clip, group, udpPort, link.farAddress6(), false, data.resolve("sender.log"));
            engine.start(config);
            StreamView refused = Await.status(engine, port, StreamStatus.START_ERROR, 20_000);
            assertThat(refused.status()).as(refused.statusDetail()).isEqualTo(StreamStatus.START_ERROR);
            assertThat(refused.statusDetail()).isEqualTo("network interface " + link.near() + " has no IPv6 address"
                    + " to join " + group + " on (expected: IPv6 on it; its link-local address comes once the link"
                    + " is up, unless IPv6 is disabled there: sysctl " + disable + "); waiting for it: looked for"
                    + " every 5 s");

            link.inRootNamespace("sysctl", "-qw", disable + "=0");
            StreamView flowing = Await.view(engine, port, v -> v.status() == StreamStatus.WAITING
                    && v.inputBitrateMbps() > 0, 30_000);
            assertThat(flowing.status()).as(flowing.statusDetail()).isEqualTo(StreamStatus.WAITING);
            assertThat(flowing.events()).anyMatch(e -> e.kind().equals("input-opened"));
        }
    }

    /**
     * On an IPv6-only network (an IPv6 default route, no IPv4 one) an IPv6 group with no interface given is joined on
     * the default route's interface. The command line's {@code send} runs in the namespace, whose only default route is
     * the IPv6 one over its end of the pair; the group is sent to from this side, and what {@code send} makes of it is
     * received over {@code [::1]} in the namespace. Before, the default route was looked for among the IPv4 routes
     * only, none was found, and the group was joined on loopback, where nothing arrives.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"any-source", "source-specific"})
    void withNoInterfaceGivenAnIpv6GroupIsJoinedOnTheIpv6DefaultRoutesInterface(String join, VethLink link)
            throws Exception {
        boolean ssm = join.equals("source-specific");
        Path clip = TestMedia.shortClip();
        int port = Peers.freePort();
        int udpPort = Peers.freePort();
        String group = ssm ? link.ssmGroup6() : link.group6();
        link.inNamespace("ip", "-6", "route", "add", "default", "via", link.nearAddress6(), "dev", link.far());
        Path console = data.resolve("send.log");
        Path received = data.resolve("received.ts");
        Files.createFile(console);
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        link.startInNamespace(console, java.toString(), "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), Main.class.getName(), "send",
                "udp://" + (ssm ? "[" + link.nearAddress6() + "]@" : "") + "[" + group + "]:" + udpPort,
                "srt://[::1]:" + port + "?mode=listener", "--latency", "300", "--data-dir",
                data.resolve("send-data").toString());
        try (MulticastSender tx = new MulticastSender(clip, group, udpPort, link.near(), link.nearAddress6())) {
            assertThat(Await.until(() -> log(console).contains("Input lost") || log(console).contains("Waiting"),
                    60_000)).as(log(console)).isTrue();
            link.startInNamespace(data.resolve("rx.log"), "sh", "-c", "exec srt-live-transmit -a:no 'srt://[::1]:"
                    + port + "?latency=300' file://con > " + received);
            assertThat(Await.until(() -> size(received) > 300_000, 30_000)).as(log(console)).isTrue();
        }
    }

    /**
     * Sends the clip as raw UDP to an IPv6 group out of the interface {@code out} from its address {@code from}, 7
     * packets a datagram, roughly in real time, until closed: from this side of the pair, where ffmpeg cannot be told
     * which interface to send multicast out of.
     */
    private static final class MulticastSender implements AutoCloseable {
        private final java.util.concurrent.atomic.AtomicBoolean running =
                new java.util.concurrent.atomic.AtomicBoolean(true);
        private final Thread thread;

        MulticastSender(Path clip, String group, int port, String out, String from) throws IOException {
            byte[] ts = Files.readAllBytes(clip);
            java.nio.channels.DatagramChannel ch =
                    java.nio.channels.DatagramChannel.open(java.net.StandardProtocolFamily.INET6);
            ch.bind(new java.net.InetSocketAddress(java.net.InetAddress.getByName(from), 0));
            ch.setOption(java.net.StandardSocketOptions.IP_MULTICAST_IF, java.net.NetworkInterface.getByName(out));
            java.net.InetSocketAddress to = new java.net.InetSocketAddress(java.net.InetAddress.getByName(group), port);
            thread = Thread.ofPlatform().name("test-ipv6-multicast-sender").daemon(true).start(() -> {
                try (ch) {
                    while (running.get()) {
                        for (int at = 0; at + 1316 <= ts.length && running.get(); ) {
                            for (int k = 0; k < 5 && at + 1316 <= ts.length; k++, at += 1316) {
                                ch.send(java.nio.ByteBuffer.wrap(ts, at, 1316), to);
                            }
                            java.util.concurrent.TimeUnit.MILLISECONDS.sleep(21);
                        }
                    }
                } catch (IOException | InterruptedException e) {
                    // test ends
                }
            });
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            thread.join(5000);
        }
    }

    /** The link-local address of {@code nif}, with its zone ({@code fe80::...%nif}), as {@code ip addr} shows it. */
    private static String linkLocal(String nif) throws Exception {
        java.net.NetworkInterface n = java.net.NetworkInterface.getByName(nif);
        java.net.InetAddress a = Await.until(() -> n.inetAddresses().anyMatch(java.net.InetAddress::isLinkLocalAddress),
                10_000) ? n.inetAddresses().filter(java.net.InetAddress::isLinkLocalAddress).findFirst().orElseThrow()
                : null;
        assertThat(a).as("a link-local address on " + nif).isNotNull();
        String text = io.mcrsrt.srt.AddressText.of(a);
        return (text.startsWith("[") ? text.substring(1, text.length() - 1) : text).replaceAll("%.*", "") + "%" + nif;
    }

    private static String log(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p) : "";
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return 0;
        }
    }
}
