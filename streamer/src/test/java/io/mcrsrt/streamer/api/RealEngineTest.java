package io.mcrsrt.streamer.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.mcrsrt.streamer.engine.LocalStreamEngine;
import io.mcrsrt.streamer.engine.testing.Peers;
import io.mcrsrt.streamer.reliability.Programs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The stream routes, events and metrics against the real engine: a file listener started through the API, a real
 * {@code srt-live-transmit} caller connected to it.
 */
class RealEngineTest {
    private static final int RANGE = 6;

    @TempDir
    static Path root;
    static TestService svc;
    static int base;

    @BeforeAll
    static void start() throws Exception {
        base = Peers.freePorts(RANGE);
        Path media = java.nio.file.Files.createDirectories(root.resolve("media"));
        Process ff = new ProcessBuilder("ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i",
                "testsrc=size=320x180:rate=25", "-f", "lavfi", "-i", "sine=frequency=1000:sample_rate=48000", "-t", "4",
                "-c:v", "libx264", "-preset", "ultrafast", "-b:v", "400k", "-g", "25", "-c:a", "aac", "-b:a", "64k",
                "-f", "mpegts", "-muxrate", "600k", media.resolve("clip.ts").toString())
                .redirectErrorStream(true).start();
        try {
            assertThat(ff.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(ff.exitValue()).isZero();
        } finally {
            ff.destroyForcibly();
        }
        Path data = java.nio.file.Files.createDirectories(root.resolve("data"));
        svc = new TestService(root, LocalStreamEngine.open(new io.mcrsrt.streamer.stream.EngineSettings(media, data, 8,
                base, base + RANGE - 1, 4)), base, base + RANGE - 1, null, null);
    }

    @AfterAll
    static void stop() {
        if (svc != null) {
            svc.close();
        }
    }

    @Test
    void aConnectedCallerShowsInStatsEventsAndMetrics() throws Exception {
        int key = base;
        TestService.Reply created = svc.postJson("/api/streams", "{\"input_type\":\"file\",\"file_path\":\"clip.ts\","
                + "\"port\":" + key + ",\"latency\":120}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        Process receiver = new ProcessBuilder("srt-live-transmit", "-q",
                "srt://127.0.0.1:" + key + "?mode=caller&latency=120", "udp://127.0.0.1:" + Peers.freePort())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try (SseClientReader sse = new SseClientReader(svc.http, svc.request("/api/streams/" + key + "/events")
                .header("X-API-Key", TestService.API_KEY).header("Accept", "text/event-stream")
                .timeout(Duration.ofMinutes(2)).GET().build())) {
            JsonNode connected = null;
            for (int i = 0; i < 30 && connected == null; i++) {
                SseClientReader.Event e = sse.next("stats", 5000);
                assertThat(e).as("a stats event each second").isNotNull();
                JsonNode s = TestService.JSON.readTree(e.data());
                if (s.get("connection_status").asText().equals("Connected") && s.get("packets_sent_total").asLong() > 0
                        && s.get("rtt_ms").asDouble() > 0) {
                    connected = s;
                }
            }
            assertThat(connected).as("the caller connected and statistics flowed").isNotNull();
            assertThat(connected.get("peers")).hasSize(1);
            assertThat(connected.get("negotiated_latency_ms").asInt()).isGreaterThanOrEqualTo(120);
            List<SseClientReader.Event> next = List.of(sse.next("stats", 5000), sse.next("stats", 5000));
            assertThat(next).doesNotContainNull();

            String metrics = svc.send(svc.request("/metrics").GET().build()).body();
            assertThat(metrics).as("a loopback round trip, some 1.0E-4 s")
                    .containsPattern("mcr_srt_stream_rtt_seconds\\{[^}]*key=\"" + key + "\"[^}]*\\} [0-9.]+(E-\\d+)?\n")
                    .containsPattern("mcr_srt_stream_connected\\{[^}]*key=\"" + key + "\"[^}]*\\} 1\\.0");

            JsonNode history = svc.get("/api/streams/" + key + "/history").json();
            assertThat(history.get("samples").size()).isPositive();

            assertThat(svc.delete("/api/streams/" + key).status()).isEqualTo(200);
            assertThat(sse.next("end", 10000)).isNotNull();
        } finally {
            receiver.destroy();
            if (!receiver.waitFor(5, TimeUnit.SECONDS)) {
                receiver.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void malformedRequestsDoNotDisturbARunningConnectedStream() throws Exception {
        int key = base + 1;
        assertThat(svc.postJson("/api/streams", "{\"input_type\":\"file\",\"file_path\":\"clip.ts\",\"port\":"
                + key + "}").status()).isEqualTo(201);
        Process receiver = new ProcessBuilder("srt-live-transmit", "-q",
                "srt://127.0.0.1:" + key + "?mode=caller", "udp://127.0.0.1:" + Peers.freePort())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            long before = waitForPacketsSent(key, 0);
            java.util.Random random = new java.util.Random(7);
            for (int i = 0; i < 600; i++) {
                String body = switch (i % 3) {
                    case 0 -> FuzzTest.randomObject(random).toString();
                    case 1 -> FuzzTest.mutate("{\"input_type\":\"file\",\"file_path\":\"clip.ts\",\"port\":" + key
                            + "}", random);
                    default -> FuzzTest.randomBytes(random);
                };
                TestService.Reply r = svc.postJson("/api/streams", body);
                assertThat(r.status()).as(body).isLessThan(500);
                if (r.status() == 201) {
                    // a mutation that happens to name another free port in the range is a valid request
                    svc.delete("/api/streams/" + r.json().get("stream_key").asInt());
                }
            }
            JsonNode after = svc.get("/api/stats/" + key).json();
            assertThat(after.get("connection_status").asText()).isEqualTo("Connected");
            assertThat(waitForPacketsSent(key, before)).isGreaterThan(before);
            assertThat(receiver.isAlive()).as("the caller stayed connected").isTrue();
        } finally {
            receiver.destroy();
            if (!receiver.waitFor(5, TimeUnit.SECONDS)) {
                receiver.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
            svc.delete("/api/streams/" + key);
        }
    }

    /**
     * The scrape of a real stream with a real caller, figures and all as libsrt reports them, passes promtool's lint
     * (as PromtoolTest checks the scrape of the fake engine's streams of every kind).
     */
    @Test
    void theScrapeOfAConnectedStreamLintsCleanInPromtool() throws Exception {
        Path promtool = Programs.find("promtool");
        assumeTrue(promtool != null, "promtool is not installed: it comes with the Debian package prometheus");
        int key = base + 5;
        assertThat(svc.postJson("/api/streams", "{\"input_type\":\"file\",\"file_path\":\"clip.ts\",\"port\":"
                + key + "}").status()).isEqualTo(201);
        Process receiver = new ProcessBuilder("srt-live-transmit", "-q",
                "srt://127.0.0.1:" + key + "?mode=caller", "udp://127.0.0.1:" + Peers.freePort())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            waitForPacketsSent(key, 0);
            String metrics = svc.send(svc.request("/metrics").GET().build()).body();
            assertThat(metrics).containsPattern("mcr_srt_connection_rtt_seconds\\{[^}]*key=\"" + key + "\"");
            Process lint = new ProcessBuilder(promtool.toString(), "check", "metrics").redirectErrorStream(true)
                    .start();
            try (OutputStream in = lint.getOutputStream()) {
                in.write(metrics.getBytes(StandardCharsets.UTF_8));
            }
            String output = new String(lint.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(output).as("promtool's lint").isBlank();
            assertThat(lint.waitFor()).isZero();
        } finally {
            receiver.destroy();
            if (!receiver.waitFor(5, TimeUnit.SECONDS)) {
                receiver.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
            svc.delete("/api/streams/" + key);
        }
    }

    /** Polls the stream's stats until more than {@code floor} packets were sent; fails after 30 s. */
    private static long waitForPacketsSent(int key, long floor) throws InterruptedException {
        for (int i = 0; i < 300; i++) {
            JsonNode s = svc.get("/api/stats/" + key).json();
            long sent = s.get("packets_sent_total").asLong();
            if (s.get("connection_status").asText().equals("Connected") && sent > floor) {
                return sent;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("stream " + key + " sent no more than " + floor + " packets in 30 s");
    }

    @Test
    void aFileWithNoTsPacketsIsAStartErrorSayingSoNotAnEndedStream() throws Exception {
        int key = base + 2;
        java.nio.file.Files.writeString(svc.config.mediaFolder().resolve("not-ts.ts"), "this is not MPEG-TS\n");
        TestService.Reply created = svc.postJson("/api/streams", "{\"input_type\":\"file\",\"file_path\":"
                + "\"not-ts.ts\",\"port\":" + key + "}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        try {
            JsonNode summary = null;
            for (int i = 0; i < 300; i++) {
                summary = svc.get("/api/streams").json().get("data").get(String.valueOf(key));
                if (!summary.get("connection_status").asText().matches("Starting|Waiting for connection")) {
                    break;
                }
                Thread.sleep(100);
            }
            assertThat(summary.get("connection_status").asText()).isEqualTo("Start Error");
            assertThat(summary.get("status_detail").asText())
                    .isEqualTo("not-ts.ts cannot be played: it holds no MPEG-TS packets (it is empty, or not an "
                            + "MPEG-TS file). Replace it with a .ts file, e.g. one written by ffmpeg -f mpegts.");
        } finally {
            svc.delete("/api/streams/" + key);
        }
    }

    /**
     * A caller that never connected had no history (a sample was kept only from a connection's statistics), so its
     * page's charts began again at each reload: it has one sample a second since it started, stamped with its second
     * and with no link's figures (0), as a connected stream's history has one a second of its link's.
     */
    @Test
    void aCallerThatNeverConnectedHasAHistoryOfItsSecondsWithoutALink() throws Exception {
        int port = io.mcrsrt.streamer.engine.testing.Peers.freePort();
        TestService.Reply created = svc.postJson("/api/streams", "{\"mode\":\"caller\",\"input_type\":\"file\","
                + "\"file_path\":\"clip.ts\",\"target_address\":\"127.0.0.1\",\"target_port\":" + port + "}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        try {
            assertThat(io.mcrsrt.streamer.engine.testing.Await.until(
                    () -> svc.get("/api/streams/" + port + "/history").json().get("samples").size() >= 3, 30_000))
                    .as("samples kept while the caller dials").isTrue();
            JsonNode samples = svc.get("/api/streams/" + port + "/history").json().get("samples");
            assertThat(svc.get("/api/stats/" + port).json().get("peers")).as("never connected").isEmpty();
            long previous = 0;
            for (JsonNode sample : samples) {
                long at = sample.get("timestamp_millis").asLong();
                assertThat(at).as("a second of its own, after the one before").isGreaterThanOrEqualTo(previous + 1000);
                assertThat(sample.get("bitrate_mbps").asDouble()).isZero();
                assertThat(sample.get("rtt_ms").asDouble()).isZero();
                assertThat(sample.get("packets_sent_total").asLong()).isZero();
                previous = at;
            }
            assertThat(previous).isLessThanOrEqualTo(System.currentTimeMillis());
        } finally {
            svc.delete("/api/streams/" + port);
        }
    }

    @Test
    void aCallerToAnIpv6AddressShowsItInBracketsAndItsStreamIdEncodedInTheUri() throws Exception {
        int port = Peers.freePort();
        var log = new ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent>();
        var logger = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(StreamHandlers.class);
        log.start();
        logger.addAppender(log);
        TestService.Reply created;
        try {
            created = svc.postJson("/api/streams", "{\"mode\":\"caller\",\"input_type\":\"file\","
                    + "\"file_path\":\"clip.ts\",\"target_address\":\"::1\",\"target_port\":" + port
                    + ",\"stream_id\":\"#!::r=live,m=publish\"}");
        } finally {
            logger.detachAppender(log);
        }
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        // the start's log line wrote target=::1:PORT, where the port reads as the address's last group
        assertThat(log.list).anySatisfy(e -> assertThat(e.getFormattedMessage()).contains("started from the API")
                .contains(", target=[::1]:" + port + ","));
        try {
            JsonNode summary = svc.get("/api/streams").json().get("data").get(String.valueOf(port));
            assertThat(summary.get("target").asText()).isEqualTo("[::1]:" + port);
            assertThat(summary.get("srt_uri").asText())
                    .startsWith("srt://[::1]:" + port + "?mode=caller&")
                    .contains("&streamid=%23!::r=live,m=publish");
            assertThat(summary.get("config").get("stream_id").asText()).isEqualTo("#!::r=live,m=publish");
        } finally {
            svc.delete("/api/streams/" + port);
        }
    }

    @Test
    void aUdpInputAddressInTheBracketsOfAUrlIsTakenAndItsStreamArrives() throws Exception {
        int key = base + 4;
        int udpPort = Peers.freePort();
        // as a udp:// URL writes it, udp://[::1]:5004; it was refused as "requires a 'multicast_address'"
        TestService.Reply created = svc.postJson("/api/streams", "{\"input_type\":\"multicast\","
                + "\"multicast_address\":\"[::1]\",\"multicast_port\":" + udpPort + ",\"port\":" + key + "}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        Process sender = new ProcessBuilder("ffmpeg", "-nostdin", "-loglevel", "error", "-re", "-stream_loop", "-1",
                "-i", root.resolve("media").resolve("clip.ts").toString(), "-c", "copy", "-f", "mpegts",
                "udp://[::1]:" + udpPort + "?pkt_size=1316")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            JsonNode summary = null;
            for (int i = 0; i < 40; i++) {
                summary = svc.get("/api/streams").json().get("data").get(String.valueOf(key));
                if (summary.path("input_bitrate_mbps").asDouble() > 0) {
                    break;
                }
                Thread.sleep(250);
            }
            assertThat(summary.get("config").get("multicast_address").asText()).isEqualTo("::1");
            assertThat(summary.get("source_detail").asText()).isEqualTo("[::1]:" + udpPort);
            assertThat(summary.get("input_bitrate_mbps").asDouble()).as(summary.toString()).isPositive();
        } finally {
            sender.destroy();
            if (!sender.waitFor(5, TimeUnit.SECONDS)) {
                sender.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
            svc.delete("/api/streams/" + key);
        }
    }

    @Test
    void aMulticastAddressThatIsNoAddressIsRefusedNamingItAndWhereItsPartsGo() {
        String zone = svc.postJson("/api/streams", "{\"input_type\":\"multicast\",\"multicast_address\":"
                + "\"ff15::1234%eth0\",\"multicast_port\":5004,\"port\":" + base + "}").json()
                .get("details").get("multicast_address").asText();
        assertThat(zone).isEqualTo("Multicast address 'ff15::1234%eth0' is not an IP address (it has the zone"
                + " '%eth0', an interface): give the group (or an address of this machine, for unicast) alone, e.g."
                + " 239.1.1.1 or ff15::1234, with or without brackets; the port goes in multicast_port and the"
                + " interface in multicast_interface.");
        String mapped = svc.postJson("/api/streams", "{\"input_type\":\"multicast\",\"multicast_address\":"
                + "\"::ffff:239.1.1.1\",\"multicast_port\":5004,\"port\":" + base + "}").json()
                .get("details").get("multicast_address").asText();
        assertThat(mapped).startsWith("Multicast address '::ffff:239.1.1.1' is not an IP address (it is the IPv4"
                + " address 239.1.1.1 written as IPv6; write 239.1.1.1): ");
        String withPort = svc.postJson("/api/streams", "{\"input_type\":\"multicast\",\"multicast_address\":"
                + "\"[ff15::1234]:5004\",\"multicast_port\":5004,\"port\":" + base + "}").json()
                .get("details").get("multicast_address").asText();
        assertThat(withPort).startsWith("Multicast address '[ff15::1234]:5004' is not an IP address: ");
    }

    @Test
    void aListenerPortAnotherProgramHoldsIsRefusedAtOnceAndNotSaved() throws Exception {
        int key = base + 3;
        try (java.nio.channels.DatagramChannel other = java.nio.channels.DatagramChannel.open()) {
            other.bind(new InetSocketAddress("0.0.0.0", key));
            TestService.Reply r = svc.postJson("/api/streams", "{\"input_type\":\"file\",\"file_path\":\"clip.ts\","
                    + "\"port\":" + key + "}");
            assertThat(r.status()).as(r.body()).isEqualTo(400);
            assertThat(r.json().get("error").asText()).isEqualTo("Listener port " + key + " is in use by another"
                    + " program (UDP " + io.mcrsrt.streamer.stream.StreamConfig.hostPort(
                            io.mcrsrt.streamer.engine.output.ListenerAddress.everyAddressLiteral(), key)
                    + "). Stop that program, or choose another port.");
            assertThat(svc.get("/api/streams").json().get("data").has(String.valueOf(key))).isFalse();
            Path saved = svc.config.dataDir().resolve("streams.json");
            if (java.nio.file.Files.exists(saved)) {
                assertThat(java.nio.file.Files.readString(saved)).doesNotContain("\"port\" : " + key);
            }
        }
        TestService.Reply free = svc.postJson("/api/streams", "{\"input_type\":\"file\",\"file_path\":\"clip.ts\","
                + "\"port\":" + key + "}");
        assertThat(free.status()).as("once the port is free: " + free.body()).isEqualTo(201);
        svc.delete("/api/streams/" + key);
    }

    /** A NIC that flaps while a pair is asked for: the pair waits, as it would restored, and the answer says why. */
    @Test
    void aPairAskedForWhileItsLegInterfaceIsMissingIsAcceptedWaitingWithAWarningNamingIt() throws Exception {
        int first = Peers.freePort();
        int second = Peers.freePort();
        TestService.Reply r = svc.postJson("/api/pairs", "{\"input_type\":\"colorbar_720p50\",\"legs\":["
                + "{\"mode\":\"caller\",\"target_address\":\"127.0.0.1\",\"target_port\":" + first
                + ",\"interface\":\"nosuchnic0\"},{\"mode\":\"caller\",\"target_address\":\"127.0.0.1\","
                + "\"target_port\":" + second + "}]}");
        try {
            assertThat(r.status()).as(r.body()).isEqualTo(201);
            assertThat(r.json().get("warning").asText()).startsWith("Accepted but not started yet: outgoing interface"
                    + " nosuchnic0 does not exist").contains("starts by itself");
            assertThat(svc.get("/api/pairs/" + r.json().get("pair_id").asInt()).body()).contains("nosuchnic0");
        } finally {
            svc.delete("/api/pairs/" + r.json().path("pair_id").asInt(first));
        }
    }

    @Test
    void aPairLegOnAMulticastAddressIsRefusedAsNoInterfaceCanHaveIt() throws Exception {
        TestService.Reply r = svc.postJson("/api/pairs", "{\"input_type\":\"colorbar_720p50\",\"legs\":["
                + "{\"mode\":\"caller\",\"target_address\":\"127.0.0.1\",\"target_port\":" + Peers.freePort()
                + ",\"interface\":\"239.1.1.1\"},{\"mode\":\"caller\",\"target_address\":\"127.0.0.1\","
                + "\"target_port\":" + Peers.freePort() + "}]}");
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(r.json().get("error").asText()).contains("interface 239.1.1.1 is a multicast address");
    }

    @Test
    void aListenerPortOutsideTheRangeIsRefusedNamingTheRange() {
        TestService.Reply r = svc.postJson("/api/streams", "{\"input_type\":\"file\",\"file_path\":\"clip.ts\","
                + "\"port\":" + (base + RANGE) + "}");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("details").get("port").asText())
                .isEqualTo("Listener requires a 'port' between " + base + " and " + (base + RANGE - 1) + " (got "
                        + (base + RANGE) + ").");
    }
}
