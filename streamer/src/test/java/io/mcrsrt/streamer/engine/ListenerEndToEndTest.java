package io.mcrsrt.streamer.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.mcrsrt.streamer.engine.testing.Await;
import io.mcrsrt.streamer.engine.testing.Peers;
import io.mcrsrt.streamer.engine.testing.TestMedia;
import io.mcrsrt.streamer.stream.EngineSettings;
import io.mcrsrt.streamer.stream.Encryption;
import io.mcrsrt.streamer.stream.InputSpec;
import io.mcrsrt.streamer.stream.Mode;
import io.mcrsrt.streamer.stream.StreamConfig;
import io.mcrsrt.streamer.stream.StreamStatus;
import io.mcrsrt.streamer.stream.StreamView;
import io.mcrsrt.srt.SrtException;
import io.mcrsrt.srt.SrtOption;
import io.mcrsrt.srt.SrtSocket;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ListenerEndToEndTest {
    @TempDir
    Path data;

    static StreamConfig listener(int port, String file, Encryption enc, String passphrase) {
        return new StreamConfig(Mode.LISTENER, new InputSpec.File(file, true), port, null, null, 1000, 25, enc,
                passphrase, false, 30, false, null);
    }

    /**
     * An engine whose one stream, the short clip on a listener at {@code port} taking up to {@code callers} callers, is
     * WAITING for its first; the caller closes it.
     */
    private LocalStreamEngine waitingListener(int port, int callers, Encryption enc, String passphrase)
            throws Exception {
        Path clip = TestMedia.shortClip();
        LocalStreamEngine engine = LocalStreamEngine.open(new EngineSettings(clip.getParent(), data, 4, port, port,
                callers));
        try {
            engine.start(listener(port, clip.getFileName().toString(), enc, passphrase));
            Await.status(engine, port, StreamStatus.WAITING, 20_000);
            return engine;
        } catch (Exception | AssertionError e) {
            engine.close();
            throw e;
        }
    }

    @Test
    void severalCallersAreServedAtOnceEachWithItsOwnStats() throws Exception {
        int port = Peers.freePort();
        List<Peers.Process> receivers = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        try (LocalStreamEngine engine = waitingListener(port, 4, Encryption.NONE, null)) {
            try {
                for (int i = 0; i < 3; i++) {
                    Path out = data.resolve("rx" + i + ".ts");
                    files.add(out);
                    receivers.add(Peers.receiveToFile("srt://127.0.0.1:" + port
                            + "?mode=caller&latency=1000&streamid=viewer" + i, out, data.resolve("rx" + i + ".log")));
                }
                StreamView v = Await.view(engine, port,
                        s -> s.peers().size() == 3 && s.peers().stream().allMatch(p -> p.stats() != null), 30_000);
                assertThat(v.peers()).hasSize(3);
                assertThat(v.peers()).extracting(p -> p.streamId())
                        .containsExactlyInAnyOrder("viewer0", "viewer1", "viewer2");
                assertThat(v.peers()).allSatisfy(p -> assertThat(p.stats().packetsSentTotal()).isPositive());
                assertThat(v.status()).isEqualTo(StreamStatus.CONNECTED);
                Await.until(() -> files.stream().allMatch(f -> size(f) > 200_000), 20_000);
                assertThat(files).allSatisfy(f -> assertThat(size(f)).isGreaterThan(200_000));

                receivers.removeFirst().close();
                StreamView two = Await.view(engine, port, s -> s.peers().size() == 2, 20_000);
                assertThat(two.peers()).hasSize(2);
                assertThat(two.status()).isEqualTo(StreamStatus.CONNECTED);
                assertThat(two.linkBreaks()).as("a caller that left counts as a connection lost").isEqualTo(1);
            } finally {
                for (Peers.Process r : receivers) {
                    r.close();
                }
            }
        }
    }

    /**
     * An operator stops a listener and starts it again at once with another latency and QoS: libsrt still holds the
     * port for the closed socket, with settings the new one cannot share (5015), until its collector frees it. The
     * stream waits for its own port instead of stopping in Bind Error blaming another program.
     */
    @Test
    void aListenerStartedAgainAtOnceWithOtherSettingsWaitsForItsPortAndServes() throws Exception {
        Path clip = TestMedia.shortClip();
        int port = Peers.freePort();
        EngineSettings settings = new EngineSettings(clip.getParent(), data, 4, port, port, 4);
        String file = clip.getFileName().toString();
        try (LocalStreamEngine engine = LocalStreamEngine.open(settings)) {
            engine.start(listener(port, file, Encryption.NONE, null));
            Await.status(engine, port, StreamStatus.WAITING, 20_000);
            engine.stop(port);
            engine.start(new StreamConfig(Mode.LISTENER, new InputSpec.File(file, true), port, null, null, 4000, 25,
                    Encryption.NONE, null, true, 30, false, null));
            StreamView v = Await.view(engine, port, s -> s.status() != StreamStatus.STARTING, 40_000);
            assertThat(v.status()).as(v.statusDetail()).isEqualTo(StreamStatus.WAITING);
            Path out = data.resolve("rx.ts");
            try (Peers.Process rx = Peers.receiveToFile("srt://127.0.0.1:" + port + "?mode=caller", out,
                    data.resolve("rx.log"))) {
                StreamView connected = Await.view(engine, port, s -> s.stats() != null
                        && s.stats().negotiatedLatencyMs() > 0, 30_000);
                assertThat(connected.stats().negotiatedLatencyMs()).as("the new socket's latency")
                        .isEqualTo(4000);
                assertThat(Await.until(() -> size(out) > 100_000, 20_000)).isTrue();
            }
        }
    }

    /**
     * libsrt reports a caller that closed its connection and one that crashed alike ("Connection was broken"); the
     * operator needs to know which: the one says the far end was stopped, the other points at the far end's host or
     * the path.
     */
    @Test
    void aCallerThatClosesAndOneThatCrashesAreToldApart() throws Exception {
        int port = Peers.freePort();
        try (LocalStreamEngine engine = waitingListener(port, 4, Encryption.NONE, null)) {
            String url = "srt://127.0.0.1:" + port + "?mode=caller&latency=200&streamid=";
            try (Peers.Process closing = Peers.receiveToFile(url + "closing", data.resolve("a.ts"),
                    data.resolve("a.log"));
                    Peers.Process crashing = Peers.receiveToFile(url + "crashing", data.resolve("b.ts"),
                            data.resolve("b.log"))) {
                Await.view(engine, port, s -> s.peers().size() == 2
                        && s.peers().stream().allMatch(p -> p.stats() != null), 30_000);
                Thread.sleep(2_000); // both have been acknowledging for a while

                closing.close(); // SIGTERM: srt-live-transmit closes its socket
                StreamView one = Await.view(engine, port, s -> s.peers().size() == 1, 20_000);
                assertThat(one.peers()).extracting(p -> p.streamId()).containsExactly("crashing");
                crashing.kill();
                StreamView none = Await.view(engine, port, s -> s.peers().isEmpty(), 30_000);
                List<String> left = none.events().stream().filter(e -> e.kind().equals("disconnected"))
                        .map(e -> e.detail()).toList();
                assertThat(left).hasSize(2);
                assertThat(left.get(0)).endsWith("disconnected: it closed the connection");
                assertThat(left.get(1)).contains("disconnected: nothing heard from it for about ")
                        .endsWith("it stopped without closing the connection, or the path went down");
            }
        }
    }

    @Test
    void aCallerBeyondTheCapIsRefusedInTheHandshakeAndLearnsWhy() throws Exception {
        int port = Peers.freePort();
        try (LocalStreamEngine engine = waitingListener(port, 1, Encryption.NONE, null)) {
            try (Peers.Process first = Peers.receiveToFile("srt://127.0.0.1:" + port + "?mode=caller&latency=1000",
                    data.resolve("first.ts"), data.resolve("first.log"))) {
                Await.view(engine, port, s -> s.peers().size() == 1, 20_000);
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> io.mcrsrt.srt.SrtUrl.parse(
                        "srt://127.0.0.1:" + port + "?latency=1000").open().close())
                        .isInstanceOf(io.mcrsrt.srt.SrtException.class)
                        .hasMessageContaining("reject code 1402: overloaded");
                StreamView v = Await.view(engine, port, s -> s.events().stream()
                        .anyMatch(e -> e.kind().equals("rejected")), 10_000);
                assertThat(v.events()).anySatisfy(e -> assertThat(e.detail())
                        .endsWith("rejected: the listener already serves 1 callers (the maximum)"));
                assertThat(v.peers()).as("the first caller is still served").hasSize(1);
            }
        }
    }

    /**
     * Receivers that call back at once, as they do after a network outage: every caller beyond the cap must be
     * refused in the handshake (and learn why), none connected and then closed. Before, the handshake counted only
     * the callers already taken on by the stream's thread, so most of a burst got through and the extra ones were
     * dropped right after connecting.
     */
    @Test
    void callersArrivingTogetherBeyondTheCapAreRefusedInTheHandshake() throws Exception {
        int port = Peers.freePort();
        int cap = 2;
        int callers = 8;
        try (LocalStreamEngine engine = waitingListener(port, cap, Encryption.NONE, null)) {
            for (int burst = 0; burst < 3; burst++) {
                List<SrtSocket> connected = burst(port, callers);
                try {
                    assertThat(connected).as("callers of burst %d that got a connection (cap %d)", burst, cap)
                            .hasSize(cap);
                    StreamView v = Await.view(engine, port, s -> s.peers().size() == cap, 20_000);
                    assertThat(v.peers()).hasSize(cap);
                } finally {
                    connected.forEach(SrtSocket::close);
                }
                Await.view(engine, port, s -> s.peers().isEmpty(), 20_000);
            }
        }
    }

    /**
     * Receivers that connect and close at once (a probe, a receiver stopped as soon as it started): the stream refused
     * none of them, so none may be recorded as rejected nor show the stream as Rejected Connection; each is a
     * connection that came and went. Before, most were recorded as "rejected: handshake failed".
     */
    @Test
    void callersThatCloseRightAfterConnectingAreDeparturesNotRejections() throws Exception {
        int port = Peers.freePort();
        int callers = 30;
        // room for all: a caller that closed holds its place until the stream's next tick, and refusals are not the
        // point here
        try (LocalStreamEngine engine = waitingListener(port, callers + 1, Encryption.NONE, null)) {
            for (int i = 0; i < callers; i++) {
                try (SrtSocket s = SrtSocket.create()) {
                    s.set(SrtOption.LATENCY, 200);
                    s.set(SrtOption.CONNTIMEO, 10_000);
                    s.connect(new InetSocketAddress("127.0.0.1", port));
                }
            }
            // a caller that stays: once it is served, every caller before it has been dealt with
            try (SrtSocket last = SrtSocket.create()) {
                last.set(SrtOption.CONNTIMEO, 10_000);
                last.connect(new InetSocketAddress("127.0.0.1", port));
                Await.view(engine, port, s -> s.peers().size() == 1, 20_000);
            }
            Await.view(engine, port, s -> s.peers().isEmpty(), 20_000);
            // the departures are told one by one, or, past the first few, in a summary every 10 s
            StreamView v = Await.view(engine, port, s -> s.linkBreaks() == departuresTold(s), 40_000);
            assertThat(v.events()).filteredOn(e -> e.kind().equals("rejected")).as("callers refused").isEmpty();
            assertThat(v.status()).isEqualTo(StreamStatus.WAITING);
            assertThat(v.linkBreaks()).as("every departure counts as a connection lost, told or summarised")
                    .isEqualTo(departuresTold(v));
            assertThat(v.linkBreaks()).as("departures of %d callers and the last one", callers).isPositive()
                    .isLessThanOrEqualTo(callers + 1);
        }
    }

    /**
     * A receiver that connects and leaves in a tight loop (a decoder restarting every few hundred milliseconds) got a
     * {@code connected} and a {@code disconnected} event, and two log lines, per visit: within a minute it pushed every
     * other event out of the stream's last {@link StreamRunner#MAX_EVENTS}. Past the first few its visits are told in
     * a summary every 10 s; each still counts as a connection lost.
     */
    @Test
    void aReceiverThatConnectsAndLeavesInALoopIsSummarisedAndStillCounted() throws Exception {
        int port = Peers.freePort();
        try (LocalStreamEngine engine = waitingListener(port, 4, Encryption.NONE, null)) {
            try (Peers.Process good = Peers.receiveToFile("srt://127.0.0.1:" + port + "?mode=caller&streamid=good",
                    data.resolve("good.ts"), data.resolve("good.log"))) {
                Await.view(engine, port, s -> s.peers().size() == 1, 20_000);
            }
            StreamView before = Await.view(engine, port, s -> s.peers().isEmpty(), 20_000);
            int visits = 60;
            for (int i = 0; i < visits; i++) {
                try (SrtSocket s = SrtSocket.create()) {
                    s.set(SrtOption.CONNTIMEO, 10_000);
                    s.set(SrtOption.STREAMID, "restarting");
                    s.connect(new InetSocketAddress("127.0.0.1", port));
                    Thread.sleep(100); // the decoder gets as far as its first packets
                }
            }
            StreamView v = Await.view(engine, port, s -> s.peers().isEmpty()
                    && s.linkBreaks() - before.linkBreaks() == visits && s.linkBreaks() == departuresTold(s), 40_000);
            assertThat(v.linkBreaks() - before.linkBreaks()).as("every visit counts as a connection lost")
                    .isEqualTo(visits);
            assertThat(v.linkBreaks()).as("told one by one or in a summary").isEqualTo(departuresTold(v));
            assertThat(v.events()).filteredOn(e -> e.kind().equals("repeated-connections")).isNotEmpty()
                    .first().satisfies(e -> assertThat(e.detail()).startsWith("127.0.0.1 connected and left ")
                            .contains(" times in the last 10 s"));
            assertThat(v.events()).as("the receiver's visits are no longer an event each").hasSizeLessThan(30);
            assertThat(v.events()).extracting(e -> e.detail()).as("the earlier receiver's events are kept")
                    .anyMatch(d -> d.contains("connected (stream id good)"));
        }
    }

    /**
     * A receiver whose libsrt answers but whose program never reads (a decoder that hung) kept its place on the listener
     * forever, and what it did not take was counted nowhere the API shows. It is counted per caller, and the caller is
     * dropped once it has taken nothing for 5 s; a caller that reads, on the same listener, gets every packet.
     */
    @Test
    void aReceiverThatStopsReadingIsCountedAndDroppedWhileTheOneThatReadsGetsEverything() throws Exception {
        int port = Peers.freePort();
        Path out = data.resolve("reader.ts");
        try (LocalStreamEngine engine = waitingListener(port, 4, Encryption.NONE, null)) {
            try (Peers.Process reader = Peers.receiveToFile("srt://127.0.0.1:" + port
                    + "?mode=caller&latency=1000&streamid=reader", out, data.resolve("reader.log"));
                    SrtSocket stuck = SrtSocket.create()) {
                Await.view(engine, port, s -> s.peers().size() == 1, 20_000);
                // the smallest buffer libsrt allows, so that it is full within a second instead of after minutes
                stuck.set(SrtOption.FC, 32);
                stuck.set(SrtOption.RCVBUF, 47_104);
                stuck.set(SrtOption.STREAMID, "stuck");
                stuck.set(SrtOption.CONNTIMEO, 10_000);
                stuck.connect(new InetSocketAddress("127.0.0.1", port));
                StreamView counting = Await.view(engine, port, s -> s.peers().stream().anyMatch(p ->
                        "stuck".equals(p.streamId()) && p.packetsNotDelivered() > 0), 20_000);
                assertThat(counting.peers()).filteredOn(p -> "stuck".equals(p.streamId())).singleElement()
                        .satisfies(p -> assertThat(p.packetsNotDelivered()).isPositive());

                StreamView v = Await.view(engine, port, s -> s.peers().size() == 1 && s.events().stream()
                        .anyMatch(e -> e.detail().contains("receiver stopped reading")), 30_000);
                assertThat(v.events()).filteredOn(e -> e.detail().contains("receiver stopped reading"))
                        .singleElement().satisfies(e -> {
                            assertThat(e.kind()).isEqualTo("disconnected");
                            assertThat(e.detail()).matches("127\\.0\\.0\\.1:\\d+ dropped: receiver stopped reading: "
                                    + "\\d+ packets not delivered in \\d+ s .*");
                        });
                assertThat(v.peers()).singleElement().satisfies(p -> {
                    assertThat(p.streamId()).isEqualTo("reader");
                    assertThat(p.packetsNotDelivered()).isZero();
                });
                assertThat(v.status()).isEqualTo(StreamStatus.CONNECTED);
                long before = size(out);
                assertThat(Await.until(() -> size(out) > before + 200_000, 20_000)).as("the reader goes on").isTrue();
                StreamView after = engine.stream(port).orElseThrow();
                assertThat(after.peers()).singleElement().satisfies(p -> {
                    assertThat(p.packetsNotDelivered()).isZero();
                    assertThat(p.stats().packetsDroppedTotal()).isZero();
                });
            }
            io.mcrsrt.streamer.engine.testing.TsCheck received = io.mcrsrt.streamer.engine.testing.TsCheck.of(out);
            assertThat(received.packets()).isGreaterThan(1000);
            assertThat(received.continuityErrors()).as("the reader lost nothing").isZero();
        }
    }

    /**
     * srt-live-transmit blocked on a pipe nobody reads: its receive buffer fills, and a few seconds later its libsrt
     * falls silent too. Its departure was told as "nothing heard from it for about 5 s: it stopped without closing the
     * connection, or the path went down", blaming a crash or the path for a receiver that stopped reading.
     */
    @Test
    void srtLiveTransmitBlockedOnAFullPipeIsToldAsStoppedReading() throws Exception {
        int port = Peers.freePort();
        try (LocalStreamEngine engine = waitingListener(port, 4, Encryption.NONE, null)) {
            // the smallest receive buffer, full within seconds rather than after 40 s at this clip's rate
            try (Peers.Process blocked = Peers.receiveIntoUnreadPipe("srt://127.0.0.1:" + port
                    + "?mode=caller&latency=200&fc=32&rcvbuf=47104&streamid=blocked", data.resolve("blocked.log"))) {
                StreamView v = Await.view(engine, port, s -> s.events().stream()
                        .anyMatch(e -> e.kind().equals("disconnected")), 60_000);
                assertThat(v.events()).filteredOn(e -> e.kind().equals("disconnected")).singleElement()
                        .satisfies(e -> assertThat(e.detail()).contains(" stopped reading")
                                .contains(" packets not delivered in "));
                assertThat(v.peers()).isEmpty();
            }
        }
    }

    /** Departures told by a {@code disconnected} event each, and those a {@code repeated-connections} event counts. */
    private static long departuresTold(StreamView v) {
        long n = 0;
        for (var e : v.events()) {
            if (e.kind().equals("disconnected")) {
                n++;
            } else if (e.kind().equals("repeated-connections")) {
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("connected and left (\\d+) time")
                        .matcher(e.detail());
                assertThat(m.find()).as(e.detail()).isTrue();
                n += Long.parseLong(m.group(1));
            }
        }
        return n;
    }

    /** Calls {@code port} from {@code n} sockets at once; returns those that connected (the others are closed). */
    private static List<SrtSocket> burst(int port, int n) throws Exception {
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        List<java.util.concurrent.Future<SrtSocket>> attempts = new ArrayList<>();
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(n)) {
            for (int i = 0; i < n; i++) {
                attempts.add(pool.submit(() -> {
                    SrtSocket s = SrtSocket.create();
                    s.set(SrtOption.LATENCY, 200);
                    s.set(SrtOption.CONNTIMEO, 10_000);
                    go.await();
                    try {
                        return s.connect(new InetSocketAddress("127.0.0.1", port));
                    } catch (io.mcrsrt.srt.SrtException refused) {
                        s.close();
                        return null;
                    }
                }));
            }
            go.countDown();
            List<SrtSocket> connected = new ArrayList<>();
            for (var a : attempts) {
                SrtSocket s = a.get();
                if (s != null) {
                    connected.add(s);
                }
            }
            return connected;
        }
    }

    @Test
    void aListenerGivenNoAddressServesIpv4AndIpv6CallersAtOnce() throws Exception {
        // Before, a listener bound every IPv4 address only: a caller over IPv6 could not reach it.
        org.junit.jupiter.api.Assumptions.assumeTrue(hasIpv6Loopback(), "this machine has no IPv6 loopback");
        Path clip = TestMedia.shortClip();
        int port = Peers.freePort();
        EngineSettings settings = new EngineSettings(clip.getParent(), data, 4, port, port, 4);
        try (LocalStreamEngine engine = LocalStreamEngine.open(settings)) {
            StreamView started = engine.start(listener(port, clip.getFileName().toString(), Encryption.NONE, null));
            assertThat(started.srtUri()).startsWith("srt://[::]:" + port + "?mode=listener");
            Await.status(engine, port, StreamStatus.WAITING, 20_000);
            Path over4 = data.resolve("over4.ts");
            Path over6 = data.resolve("over6.ts");
            try (Peers.Process v4 = Peers.receiveToFile("srt://127.0.0.1:" + port + "?mode=caller&latency=1000",
                    over4, data.resolve("over4.log"));
                    Peers.Process v6 = Peers.receiveToFile("srt://[::1]:" + port + "?mode=caller&latency=1000",
                            over6, data.resolve("over6.log"))) {
                StreamView both = Await.view(engine, port, s -> s.peers().size() == 2, 20_000);
                assertThat(both.peers()).extracting(p -> p.address().substring(0, p.address().lastIndexOf(':')))
                        .as("an IPv4 caller is shown as IPv4, not as an IPv4-mapped IPv6 address")
                        .containsExactlyInAnyOrder("127.0.0.1", "[::1]");
                Await.until(() -> size(over4) > 100_000 && size(over6) > 100_000, 20_000);
                assertThat(size(over4)).isGreaterThan(100_000);
                assertThat(size(over6)).isGreaterThan(100_000);
            }
        }
    }

    @Test
    void anIpv4WildcardListenerTakesNoIpv6Caller() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(hasIpv6Loopback(), "this machine has no IPv6 loopback");
        Path clip = TestMedia.shortClip();
        int port = Peers.freePort();
        EngineSettings settings = new EngineSettings(clip.getParent(), data, 4, port, port, 4, "0.0.0.0");
        try (LocalStreamEngine engine = LocalStreamEngine.open(settings)) {
            StreamView started = engine.start(listener(port, clip.getFileName().toString(), Encryption.NONE, null));
            assertThat(started.srtUri()).startsWith("srt://0.0.0.0:" + port + "?mode=listener");
            Await.status(engine, port, StreamStatus.WAITING, 20_000);
            try (SrtSocket over6 = SrtSocket.create()) {
                over6.set(SrtOption.CONNTIMEO, 1000);
                org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> over6.connect(new InetSocketAddress("::1", port)))
                        .as("nothing listens on [::1]:%d", port).isInstanceOf(io.mcrsrt.srt.SrtException.class);
            }
            try (SrtSocket over4 = SrtSocket.create()) {
                over4.set(SrtOption.CONNTIMEO, 3000);
                over4.connect(new InetSocketAddress("127.0.0.1", port));
                assertThat(Await.view(engine, port, v -> v.peers().size() == 1, 20_000).peers()).hasSize(1);
            }
        }
    }

    private static boolean hasIpv6Loopback() {
        try (java.nio.channels.DatagramChannel c = java.nio.channels.DatagramChannel.open()) {
            c.bind(new InetSocketAddress("::1", 0));
            return true;
        } catch (java.io.IOException | RuntimeException e) {
            return false;
        }
    }

    @Test
    void listenersBindTheEnginesListenerAddressOnlyAndSaySoInTheirUri() throws Exception {
        // SRT_LISTEN_ADDRESS: before, every listener bound every address of the machine.
        Path clip = TestMedia.shortClip();
        int port = Peers.freePort();
        EngineSettings settings = new EngineSettings(clip.getParent(), data, 4, port, port, 4, "127.0.0.2");
        try (LocalStreamEngine engine = LocalStreamEngine.open(settings)) {
            StreamView started = engine.start(listener(port, clip.getFileName().toString(), Encryption.NONE, null));
            assertThat(started.srtUri()).startsWith("srt://127.0.0.2:" + port + "?mode=listener");
            Await.status(engine, port, StreamStatus.WAITING, 20_000);
            try (SrtSocket there = SrtSocket.create()) {
                there.set(SrtOption.CONNTIMEO, 3000);
                there.connect(new InetSocketAddress("127.0.0.2", port));
                assertThat(Await.view(engine, port, v -> v.peers().size() == 1, 20_000).peers()).hasSize(1);
            }
            try (SrtSocket elsewhere = SrtSocket.create()) {
                elsewhere.set(SrtOption.CONNTIMEO, 1000);
                org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> elsewhere.connect(new InetSocketAddress("127.0.0.1", port)))
                        .as("nothing listens on 127.0.0.1:%d", port).isInstanceOf(io.mcrsrt.srt.SrtException.class);
            }
        }
    }

    @Test
    void aCallersStreamIdCannotForgeLogLinesOrEventLines() throws Exception {
        int port = Peers.freePort();
        String forged = "viewer\n2026-11-22 12:00:00.000 ERROR [main] Auth - admin logged in\r\tx\u001b[2J";
        try (LocalStreamEngine engine = waitingListener(port, 4, Encryption.NONE, null)) {
            try (SrtSocket caller = SrtSocket.create().set(SrtOption.STREAMID, forged)
                    .connect(new InetSocketAddress("127.0.0.1", port))) {
                StreamView v = Await.view(engine, port, s -> s.events().stream()
                        .anyMatch(e -> e.kind().equals("connected")), 20_000);
                String detail = v.events().stream().filter(e -> e.kind().equals("connected")).findFirst()
                        .orElseThrow().detail();
                assertThat(detail).doesNotContain("\n", "\r", "\t", "\u001b")
                        .endsWith("(stream id viewer\\n2026-11-22 12:00:00.000 ERROR [main] Auth - admin logged in"
                                + "\\r\\tx?[2J)");
                assertThat(v.peers()).extracting(p -> p.streamId()).as("the API still has it as sent")
                        .containsExactly(forged);
                assertThat(caller.isClosed()).isFalse();
            }
        }
    }

    @Test
    void rightPassphraseReceivesAndWrongOneIsRejectedAndRecorded() throws Exception {
        int port = Peers.freePort();
        Path good = data.resolve("good.ts");
        Path bad = data.resolve("bad.ts");
        try (LocalStreamEngine engine = waitingListener(port, 4, Encryption.AES_256, "correct-horse-battery")) {
            try (Peers.Process wrong = Peers.receiveToFile("srt://127.0.0.1:" + port
                    + "?mode=caller&latency=1000&passphrase=not-the-passphrase&pbkeylen=32", bad,
                    data.resolve("bad.log"))) {
                StreamView rejected = Await.view(engine, port,
                        s -> s.events().stream().anyMatch(e -> e.kind().equals("rejected")), 20_000);
                assertThat(rejected.events()).filteredOn(e -> e.kind().equals("rejected")).first()
                        .satisfies(e -> assertThat(e.detail()).contains("127.0.0.1").contains("passphrase"));
                assertThat(rejected.peers()).isEmpty();
                assertThat(rejected.status()).isEqualTo(StreamStatus.REJECTED);
            }
            assertThat(size(bad)).isZero();
            try (Peers.Process right = Peers.receiveToFile("srt://127.0.0.1:" + port
                    + "?mode=caller&latency=1000&passphrase=correct-horse-battery&pbkeylen=32", good,
                    data.resolve("good.log"))) {
                assertThat(Await.status(engine, port, StreamStatus.CONNECTED, 20_000).status())
                        .isEqualTo(StreamStatus.CONNECTED);
                Await.until(() -> size(good) > 100_000, 20_000);
            }
            assertThat(Files.readAllBytes(good)[0]).isEqualTo((byte) 0x47);
            assertThat(engine.stream(port).orElseThrow().srtUri()).contains("passphrase=***")
                    .doesNotContain("correct-horse-battery");
        }
    }

    /**
     * A listener without encryption and a caller that sends a passphrase: libsrt would refuse the caller inside the
     * handshake, where the stream never sees it, so the operator would see Waiting for connection and no event while
     * the far end is told its passphrase is unexpected.
     */
    @Test
    void aCallerWithAPassphraseIsRejectedAndRecordedByAListenerWithoutOne() throws Exception {
        int port = Peers.freePort();
        Path received = data.resolve("received.ts");
        try (LocalStreamEngine engine = waitingListener(port, 4, Encryption.NONE, null)) {
            try (Peers.Process encrypted = Peers.receiveToFile("srt://127.0.0.1:" + port
                    + "?mode=caller&latency=1000&passphrase=a-passphrase-of-its-own&pbkeylen=16", received,
                    data.resolve("caller.log"))) {
                StreamView v = Await.view(engine, port,
                        s -> s.events().stream().anyMatch(e -> e.kind().equals("rejected")), 20_000);
                assertThat(v.events()).as("events of the stream").filteredOn(e -> e.kind().equals("rejected"))
                        .first().satisfies(e -> assertThat(e.detail()).contains("127.0.0.1")
                                .contains("passphrase").contains("not encrypted"));
                assertThat(v.status()).isEqualTo(StreamStatus.REJECTED);
                assertThat(v.peers()).isEmpty();
            }
            assertThat(size(received)).isZero();
        }
    }

    /**
     * A receiver that calls again at once when it is refused (srt-live-transmit does, many times a second): each
     * refusal as an event (and a log line) of its own would push every other event out of the stream's last
     * {@link StreamRunner#MAX_EVENTS} within seconds and fill the log. The first is recorded; the repeats within 10 s
     * are counted into the next one.
     */
    @Test
    void aWrongCallerThatRetriesWithoutPauseIsRecordedOnceAndKeepsTheOtherEvents() throws Exception {
        int port = Peers.freePort();
        try (LocalStreamEngine engine = waitingListener(port, 4, Encryption.AES_256, "correct-horse-battery")) {
            try (Peers.Process right = Peers.receiveToFile("srt://127.0.0.1:" + port
                    + "?mode=caller&latency=1000&passphrase=correct-horse-battery&pbkeylen=32",
                    data.resolve("good.ts"), data.resolve("good.log"))) {
                Await.status(engine, port, StreamStatus.CONNECTED, 20_000);
            }
            Await.view(engine, port, s -> s.events().stream().anyMatch(e -> e.kind().equals("disconnected")), 20_000);
            int attempts = StreamRunner.MAX_EVENTS + 50;
            for (int i = 0; i < attempts; i++) {
                try (SrtSocket wrong = SrtSocket.create()) {
                    wrong.set(SrtOption.CONNTIMEO, 3000);
                    wrong.set(SrtOption.PASSPHRASE, "not-the-passphrase");
                    wrong.set(SrtOption.PBKEYLEN, 32);
                    wrong.connect(new InetSocketAddress("127.0.0.1", port));
                } catch (io.mcrsrt.srt.SrtException refused) {
                    // the listener refuses it, as it should
                }
            }
            // the refusals the stream has taken in so far; before every one was an event, 200 of them filled the list
            StreamView v = Await.view(engine, port, s -> s.status() == StreamStatus.REJECTED, 20_000);
            Thread.sleep(1_000); // the last refusals reach the owner thread on its next ticks
            v = engine.stream(port).orElseThrow();
            assertThat(v.events()).extracting(e -> e.kind()).as("the events before the refusals are kept")
                    .contains("connected", "disconnected");
            assertThat(v.events()).filteredOn(e -> e.kind().equals("rejected")).as("rejected events of %d refusals",
                    attempts).isNotEmpty().hasSizeLessThan(10)
                    .first().satisfies(e -> assertThat(e.detail()).contains("wrong passphrase"));
            assertThat(v.status()).isEqualTo(StreamStatus.REJECTED);
        }
    }

    /**
     * A receiver with the wrong passphrase that calls again when refused, for as long as it runs (srt-live-transmit set up
     * wrong), must not keep the right one out: its failed handshakes hold no caller's place.
     */
    @Test
    void aWrongReceiverCallingAgainAndAgainLeavesThePlacesToTheRightOnes() throws Exception {
        int port = Peers.freePort();
        try (LocalStreamEngine engine = waitingListener(port, 2, Encryption.AES_256, "correct-horse-battery")) {
            // srt-live-transmit calls again by itself when refused, about 65 times a second here
            try (Peers.Process wrong = Peers.receiveToFile("srt://127.0.0.1:" + port
                    + "?mode=caller&latency=1000&passphrase=not-the-passphrase&pbkeylen=32",
                    data.resolve("wrong.ts"), data.resolve("wrong.log"))) {
                Await.view(engine, port, s -> s.status() == StreamStatus.REJECTED, 20_000);
                for (int i = 0; i < 3; i++) {
                    Path got = data.resolve("right-" + i + ".ts");
                    try (Peers.Process right = Peers.receiveToFile("srt://127.0.0.1:" + port
                            + "?mode=caller&latency=1000&passphrase=correct-horse-battery&pbkeylen=32",
                            got, data.resolve("right-" + i + ".log"))) {
                        assertThat(Await.until(() -> size(got) > 100_000, 20_000)).as("the right receiver %d is served"
                                + " while the wrong one keeps calling: %s", i, engine.stream(port).orElseThrow()
                                .events()).isTrue();
                    }
                }
            }
            assertThat(engine.stream(port).orElseThrow().events()).extracting(e -> e.detail())
                    .noneMatch(d -> d.contains("already serves"));
        }
    }

    /**
     * A caller with the wrong key in a tight loop (a program's own loop, calling again as soon as it is refused, about
     * 500 times a second here) against a listener that takes two callers: each of its calls is refused as soon as
     * libsrt hands it over, not at the stream's next tick, so that between two ticks its calls do not hold both
     * places. The right receivers are each taken at their first call, and served.
     */
    @Test
    void wrongKeyCallersInATightLoopLeaveEveryPlaceOfASmallCapToTheRightReceivers() throws Exception {
        int port = Peers.freePort();
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", port);
        try (LocalStreamEngine engine = waitingListener(port, 2, Encryption.AES_256, "correct-horse-battery")) {
            AtomicBoolean flooding = new AtomicBoolean(true);
            AtomicLong wrongCalls = new AtomicLong();
            Thread flood = Thread.ofPlatform().name("wrong-key-caller").start(() -> {
                while (flooding.get()) {
                    try (SrtSocket wrong = SrtSocket.create()) {
                        wrong.set(SrtOption.PASSPHRASE, "not-the-passphrase");
                        wrong.set(SrtOption.PBKEYLEN, 32);
                        wrong.connect(address);
                    } catch (SrtException refused) {
                        // refused, as it should be
                    }
                    wrongCalls.incrementAndGet();
                }
            });
            try {
                assertThat(Await.until(() -> wrongCalls.get() >= 200, 30_000)).as("wrong calls made").isTrue();
                for (int round = 0; round < 3; round++) {
                    List<SrtSocket> right = new ArrayList<>();
                    try {
                        for (int i = 0; i < 2; i++) {
                            SrtSocket rx = SrtSocket.create();
                            right.add(rx);
                            rx.set(SrtOption.LATENCY, 1000);
                            rx.set(SrtOption.PASSPHRASE, "correct-horse-battery");
                            rx.set(SrtOption.PBKEYLEN, 32);
                            rx.set(SrtOption.RCVTIMEO, 20_000);
                            long before = wrongCalls.get();
                            int n = i;
                            int r = round;
                            assertThatCode(() -> rx.connect(address)).as("right receiver %d of round %d, its first"
                                    + " call, %d wrong calls so far", n, r, before).doesNotThrowAnyException();
                        }
                        for (SrtSocket rx : right) {
                            byte[] message = new byte[1500];
                            assertThatCode(() -> assertThat(rx.receive(message, 0, 1500)).isPositive())
                                    .as("a right receiver receives: %s", engine.stream(port).orElseThrow().events())
                                    .doesNotThrowAnyException();
                        }
                    } finally {
                        right.forEach(SrtSocket::close);
                    }
                    assertThat(Await.view(engine, port, s -> s.peers().isEmpty(), 20_000).peers())
                            .as("the right receivers of round %d have left", round).isEmpty();
                }
            } finally {
                flooding.set(false);
                flood.join();
            }
            assertThat(engine.stream(port).orElseThrow().events()).filteredOn(e -> e.kind().equals("rejected"))
                    .first().satisfies(e -> assertThat(e.detail()).contains("rejected: wrong passphrase"));
        }
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (Exception e) {
            return 0;
        }
    }
}
