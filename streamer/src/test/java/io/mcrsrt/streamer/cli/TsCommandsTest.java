package io.mcrsrt.streamer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mcrsrt.ts.PacketReader;
import io.mcrsrt.ts.TsPacket;
import io.mcrsrt.ts.pacing.PacerSettings;
import io.mcrsrt.ts.pacing.TsLooper;
import io.mcrsrt.ts.pacing.TsPacer;
import io.mcrsrt.ts.psi.Crc32Mpeg;
import io.mcrsrt.ts.rtp.RtpWrapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The analyze and scte35 commands, run in-process on files, UDP and SRT. */
class TsCommandsTest {
    private static final String CUE = "/DAvAAAAAAAA///wFAVIAACPf+/+c2nALv4AUsz1AAAAAAAKAAhDVUVJAAABNWLbowo=";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    static Path clip;

    record Result(int exit, String out, String err) {}

    @BeforeAll
    static void makeClip() throws Exception {
        clip = dir.resolve("clip.ts");
        run(List.of("ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-threads", "2", "-f", "lavfi", "-i",
                "testsrc=size=320x240:rate=25", "-f", "lavfi", "-i", "sine=frequency=1000:sample_rate=48000", "-t",
                "2", "-c:v", "libx264", "-preset", "ultrafast", "-g", "25", "-c:a", "aac", "-b:a", "64k",
                "-f", "mpegts", "-muxrate", "1500k", "-pcr_period", "20", clip.toString()));
    }

    private static void run(List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            String out = new String(p.getInputStream().readAllBytes());
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(out).isZero();
        } finally {
            p.destroyForcibly();
            p.waitFor(5, TimeUnit.SECONDS);
        }
    }

    private static Result cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var cl = Main.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int exit = cl.execute(args);
        return new Result(exit, out.toString(), err.toString());
    }

    @Test
    void analyzeFilePrintsACleanTable() {
        Result r = cli("analyze", clip.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("TR 101 290", "Continuity_count_error", "Service01", "H.264/AVC video",
                "AAC (ADTS)", "transport rate 1.5");
    }

    @Test
    void analyzeJsonCountsALostPacket() throws Exception {
        byte[] b = Files.readAllBytes(clip);
        int video = -1;
        for (int i = 100; i < b.length / 188; i++) {
            if (new TsPacket().wrap(b, i * 188).pid() == 0x100) {
                video = i;
                break;
            }
        }
        byte[] damaged = new byte[b.length - 188];
        System.arraycopy(b, 0, damaged, 0, video * 188);
        System.arraycopy(b, video * 188 + 188, damaged, video * 188, b.length - video * 188 - 188);
        Path file = dir.resolve("damaged.ts");
        Files.write(file, damaged);
        Result r = cli("analyze", file.toString(), "--json");
        assertThat(r.exit()).isEqualTo(1);
        JsonNode report = JSON.readTree(r.out());
        assertThat(report.at("/tr101290/Continuity_count_error/count").asLong()).isEqualTo(1);
        assertThat(report.at("/tr101290/PAT_error_2/count").asLong()).isZero();
        assertThat(report.at("/services/0/service_name").asText()).isEqualTo("Service01");
    }

    @Test
    void analyzeReadsAnM2tsFileOf192BytePacketsAndSaysSo() throws Exception {
        // Before: "Packets 0" and every indicator "OK" for a Blu-ray/AVCHD style file.
        Path m2ts = dir.resolve("clip.m2ts");
        run(List.of("ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-i", clip.toString(), "-c", "copy",
                "-f", "mpegts", "-mpegts_m2ts_mode", "1", m2ts.toString()));
        Result r = cli("analyze", m2ts.toString(), "--json");
        assertThat(r.exit()).as(r.out()).isZero();
        JsonNode report = JSON.readTree(r.out());
        assertThat(report.get("packet_size").asInt()).isEqualTo(192);
        assertThat(report.get("packets").asLong()).isEqualTo(Files.size(m2ts) / 192);
        assertThat(report.get("bytes_skipped").asLong()).isZero();
        assertThat(report.at("/tr101290/Continuity_count_error/count").asLong()).isZero();
        assertThat(report.at("/services/0/service_name").asText()).isEqualTo("Service01");
        assertThat(cli("analyze", m2ts.toString()).out()).contains("Packet size 192 (M2TS");
    }

    @Test
    void analyzeOfAFileWithNoPacketsSaysSoAndFails() throws Exception {
        Path text = Files.writeString(dir.resolve("notes.ts"), "not a transport stream\n".repeat(100));
        Result r = cli("analyze", text.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).contains("No MPEG-TS packets found").contains("Bytes skipped looking for sync: 2300")
                .contains("not checked");
        // Before, --help gave 0 "when no first-priority error was found", which is so of an input without packets.
        assertThat(cli("analyze", "--help").out().replaceAll("\\s+", " ")).contains("Exit status: 0 when no"
                + " first-priority error was found in at least one packet, 1 otherwise (also an empty file, or one that"
                + " is not a transport stream, such as an MP4),");
    }

    @Test
    void analyzeSaysALastPacketCutShortIsOneRatherThanBytesSkippedLookingForSync() throws Exception {
        // A recording stopped part way through a packet. Before: "Bytes skipped looking for sync: 88", as of garbage.
        byte[] whole = Files.readAllBytes(clip);
        Path cut = dir.resolve("cut.ts");
        Files.write(cut, Arrays.copyOf(whole, whole.length - 100));
        long packets = whole.length / 188 - 1;
        Result r = cli("analyze", cut.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("Packets " + packets + ",", "Last packet cut short: the input ends 88 bytes"
                + " into packet " + packets + ", of 188 bytes (a file cut off while it was written or copied); left out")
                .doesNotContain("Bytes skipped");
        JsonNode json = JSON.readTree(cli("analyze", cut.toString(), "--json").out());
        assertThat(json.get("truncated_last_packet_bytes").asInt()).isEqualTo(88);
        assertThat(json.get("bytes_skipped").asInt()).isZero();
    }

    @Test
    void analyzeDurationLimitsAFileToItsFirstSeconds() throws Exception {
        JsonNode all = JSON.readTree(cli("analyze", clip.toString(), "--json").out());
        JsonNode first = JSON.readTree(cli("analyze", clip.toString(), "--json", "--duration", "0.5").out());
        assertThat(first.get("duration_s").asDouble()).isBetween(0.5, 0.6);
        assertThat(first.get("packets").asLong()).isLessThan(all.get("packets").asLong() / 2);
    }

    /** Before, a missing file was "not a file", as if the path named something else. */
    @Test
    void analyzeRejectsAMissingFileNamingIt() {
        Result r = cli("analyze", dir.resolve("nope.ts").toString());
        assertThat(r.exit()).isEqualTo(3);
        assertThat(r.err()).doesNotContain("Exception").contains("nope.ts' does not exist (check the path; expected: a"
                + " .ts file, udp://group:port or srt://host:port)");
    }

    /** Sends the clip, looped and paced in real time, as RTP over UDP to {@code port} until stopped. */
    private static Thread sender(int port, AtomicBoolean stop, boolean rtp) {
        return sender(null, new InetSocketAddress(InetAddress.getLoopbackAddress(), port), stop, rtp);
    }

    /**
     * As above, to {@code to} (a group is sent to on {@code lo}), from {@code from} (an address on loopback such as
     * 127.0.0.2), or from any when null.
     */
    private static Thread sender(InetAddress from, InetSocketAddress to, AtomicBoolean stop, boolean rtp) {
        Thread t = new Thread(() -> {
            try (java.net.MulticastSocket s = new java.net.MulticastSocket(new InetSocketAddress(from, 0));
                    TsPacer pacer = new TsPacer(TsLooper.open(clip, 0), PacerSettings.byPcr())) {
                if (to.getAddress().isMulticastAddress()) {
                    s.setNetworkInterface(java.net.NetworkInterface.getByName("lo"));
                }
                RtpWrapper wrapper = new RtpWrapper();
                byte[] msg = new byte[TsPacer.MESSAGE_SIZE];
                byte[] datagram = new byte[12 + TsPacer.MESSAGE_SIZE];
                long start = System.nanoTime();
                long due;
                while (!stop.get() && (due = pacer.nextMessage(msg, 0)) != TsPacer.END) {
                    long wait = start + due - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                    int n = pacer.lastMessageLength();
                    if (rtp) {
                        int len = wrapper.wrap(msg, 0, n, due, datagram, 0);
                        s.send(new DatagramPacket(datagram, len, to));
                    } else {
                        s.send(new DatagramPacket(msg, n, to));
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, "test-ts-sender");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static int freeUdpPort() throws IOException {
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void analyzeUdpUnwrapsRtpAndSeesALoopedStreamWithoutErrors() throws Exception {
        int port = freeUdpPort();
        AtomicBoolean stop = new AtomicBoolean();
        Thread t = sender(port, stop, true);
        try {
            Result r = cli("analyze", "udp://127.0.0.1:" + port, "--duration", "3");
            assertThat(r.out()).contains("RTP: ", "Service01");
            assertThat(r.out()).containsPattern("Continuity_count_error\\s+1\\s+0\\s");
            assertThat(r.exit()).as(r.out()).isZero();
        } finally {
            stop.set(true);
            t.join(5000);
        }
    }

    /** Runs {@code analyze udp://127.0.0.1:PORT --duration SECONDS [more]} on a free port that {@code sender} feeds. */
    private static Result analyzeUdpFrom(java.util.function.IntFunction<Thread> sender, String seconds, String... more)
            throws Exception {
        int port = freeUdpPort();
        Thread t = sender.apply(port);
        List<String> args = new ArrayList<>(List.of("analyze", "udp://127.0.0.1:" + port, "--duration", seconds));
        args.addAll(List.of(more));
        Result r = cli(args.toArray(String[]::new));
        t.join(5000);
        return r;
    }

    /** What a test sender does with the clip's bytes once the analyzer listens: sends datagrams to {@code to}. */
    private interface ClipSending {
        void send(DatagramSocket s, InetSocketAddress to, byte[] ts) throws Exception;
    }

    /** Starts a daemon thread {@code name} that, once something listens on UDP {@code port}, runs {@code sending}. */
    private static Thread clipSender(int port, String name, ClipSending sending) {
        Thread t = new Thread(() -> {
            try (DatagramSocket s = new DatagramSocket()) {
                waitForUdpBind(port, () -> true);
                sending.send(s, new InetSocketAddress(InetAddress.getLoopbackAddress(), port), Files.readAllBytes(clip));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    /**
     * Once the analyzer listens on {@code port}: 150 RTP datagrams of seven clip packets each, numbered 100.. with SSRC
     * 00000001, from the 50th numbered 30000.. (the sender restarted), from the 100th numbered 7.. with SSRC 00000002.
     */
    private static Thread restartingSender(int port) {
        return clipSender(port, "test-rtp-restarting-sender", (s, to, ts) -> {
            byte[] datagram = new byte[12 + 7 * 188];
            RtpWrapper[] parts = {new RtpWrapper(1, 100), new RtpWrapper(1, 30000), new RtpWrapper(2, 7)};
            for (int i = 0; i < 150; i++) {
                int len = parts[i / 50].wrap(ts, i * 7 * 188, 7 * 188, i * 5_000_000L, datagram, 0);
                s.send(new DatagramPacket(datagram, len, to));
                Thread.sleep(2);
            }
        });
    }

    @Test
    void analyzeUdpPrintsRtpRestartsAndSsrcChangesWithWhereTheyHappened() throws Exception {
        Result r = analyzeUdpFrom(TsCommandsTest::restartingSender, "2");
        assertThat(r.out()).as(r.err()).contains("RTP: 150 datagrams, 0 lost in 0 gaps, 0 duplicates, 0 out of order, "
                + "2 restarts (1 of them a new SSRC)");
        assertThat(r.out()).containsPattern("\\n  sequence restart at \\d+\\.\\d{3} s \\(datagram 50, packet 350\\): "
                + "sequence 149 -> 30000, SSRC 00000001\\n");
        assertThat(r.out()).containsPattern("\\n  new SSRC at \\d+\\.\\d{3} s \\(datagram 100, packet 700\\): "
                + "SSRC 00000001 -> 00000002, sequence 30049 -> 7\\n");

        Result j = analyzeUdpFrom(TsCommandsTest::restartingSender, "2", "--json");
        JsonNode rtp = JSON.readTree(j.out()).get("rtp");
        assertThat(rtp.get("datagrams").asLong()).isEqualTo(150);
        assertThat(rtp.get("restarts").asLong()).isEqualTo(2);
        assertThat(rtp.get("ssrc_changes").asLong()).isEqualTo(1);
        assertThat(rtp.at("/first_restarts/0/cause").asText()).isEqualTo("sequence restart");
        assertThat(rtp.at("/first_restarts/0/packet").asLong()).isEqualTo(350);
        assertThat(rtp.at("/first_restarts/0/at_s").isNumber()).isTrue();
        assertThat(rtp.at("/first_restarts/1/cause").asText()).isEqualTo("new SSRC");
        assertThat(rtp.at("/first_restarts/1/datagram").asLong()).isEqualTo(100);
        assertThat(rtp.at("/first_restarts/1/from_ssrc").asText()).isEqualTo("00000001");
        assertThat(rtp.at("/first_restarts/1/to_ssrc").asText()).isEqualTo("00000002");
        assertThat(rtp.at("/first_restarts/1/to_sequence").asInt()).isEqualTo(7);
    }

    /**
     * Once the analyzer listens on {@code port}: 100 RTP datagrams of seven clip packets each, 2 ms apart, every tenth
     * sent twice and every 25th pair swapped (the later one first), as a network that duplicates and reorders delivers.
     * The swapped pairs hold null and PCR-only packets: out of order, they cost no continuity error.
     */
    private static Thread duplicatingAndReorderingSender(int port) {
        return clipSender(port, "test-rtp-duplicating-sender", (s, to, ts) -> {
            RtpWrapper wrapper = new RtpWrapper(9, 500);
            byte[][] datagrams = new byte[100][12 + 7 * 188];
            int[] lengths = new int[100];
            for (int i = 0; i < 100; i++) {
                lengths[i] = wrapper.wrap(ts, i * 7 * 188, 7 * 188, i * 2_000_000L, datagrams[i], 0);
            }
            for (int i = 0; i < 100; i++) {
                int k = i % 25 == 10 ? i + 1 : i % 25 == 11 ? i - 1 : i;
                s.send(new DatagramPacket(datagrams[k], lengths[k], to));
                if (i % 10 == 5) {
                    s.send(new DatagramPacket(datagrams[k], lengths[k], to));
                }
                Thread.sleep(2);
            }
        });
    }

    /** A copy is not analysed twice, and a datagram that comes late is not lost: the TS is whole. */
    @Test
    void analyzeUdpCountsRtpCopiesAndLateDatagramsWithoutCountingThemLostOrAsContinuityErrors() throws Exception {
        Result r = analyzeUdpFrom(TsCommandsTest::duplicatingAndReorderingSender, "2");
        assertThat(r.out()).as(r.err()).contains("RTP: 110 datagrams, 0 lost in 4 gaps, 10 duplicates, 4 out of order, "
                + "0 restarts");
        assertThat(r.out()).containsPattern("Continuity_count_error +1 +0 ");
    }

    /**
     * Once the analyzer listens on {@code port}: 100 RTP datagrams of seven clip packets each, 2 ms apart, numbered
     * 1000.. with SSRC 00000005 throughout, whose 90 kHz timestamp keeps time with them except for a jump 10 s ahead at
     * the 50th (a sender restarting its clock).
     */
    private static Thread timestampJumpingSender(int port) {
        return clipSender(port, "test-rtp-timestamp-jumping-sender", (s, to, ts) -> {
            byte[] datagram = new byte[12 + 7 * 188];
            RtpWrapper wrapper = new RtpWrapper(5, 1000);
            for (int i = 0; i < 100; i++) {
                long due = i * 2_000_000L + (i >= 50 ? 10_000_000_000L : 0);
                int len = wrapper.wrap(ts, i * 7 * 188, 7 * 188, due, datagram, 0);
                s.send(new DatagramPacket(datagram, len, to));
                Thread.sleep(2);
            }
        });
    }

    @Test
    void analyzeUdpPrintsAnRtpTimestampJumpWithinOneNumberingAndSsrc() throws Exception {
        Result r = analyzeUdpFrom(TsCommandsTest::timestampJumpingSender, "2");
        assertThat(r.out()).as(r.err()).contains("RTP: 100 datagrams, 0 lost in 0 gaps, 0 duplicates, 0 out of order, "
                + "0 restarts (0 of them a new SSRC), 1 timestamp jumps");
        // 98 ms is timestamp 8820, 10.1 s is 909000
        assertThat(r.out()).containsPattern("\\n  timestamp jump at \\d+\\.\\d{3} s \\(datagram 50, packet 350\\): "
                + "timestamp 8820 -> 909000, \\+10\\.002 s at 90 kHz while \\d+\\.\\d{3} s passed, sequence 1050, "
                + "SSRC 00000005\\n");

        Result j = analyzeUdpFrom(TsCommandsTest::timestampJumpingSender, "2", "--json");
        JsonNode rtp = JSON.readTree(j.out()).get("rtp");
        assertThat(rtp.get("restarts").asLong()).isZero();
        assertThat(rtp.get("timestamp_jumps").asLong()).isEqualTo(1);
        assertThat(rtp.at("/first_timestamp_jumps/0/datagram").asLong()).isEqualTo(50);
        assertThat(rtp.at("/first_timestamp_jumps/0/packet").asLong()).isEqualTo(350);
        assertThat(rtp.at("/first_timestamp_jumps/0/sequence").asInt()).isEqualTo(1050);
        assertThat(rtp.at("/first_timestamp_jumps/0/ssrc").asText()).isEqualTo("00000005");
        assertThat(rtp.at("/first_timestamp_jumps/0/from_timestamp").asLong()).isEqualTo(8820);
        assertThat(rtp.at("/first_timestamp_jumps/0/to_timestamp").asLong()).isEqualTo(909000);
        assertThat(rtp.at("/first_timestamp_jumps/0/step_s").asDouble()).isEqualTo(10.002);
        assertThat(rtp.at("/first_timestamp_jumps/0/at_s").isNumber()).isTrue();
    }

    /** Once the analyzer listens on {@code port}: three datagrams that are not TS among 20 of raw clip packets. */
    private static Thread senderWithStrayDatagrams(int port) {
        return clipSender(port, "test-udp-stray-datagram-sender", (s, to, ts) -> {
            byte[] stray = "not a transport stream".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            for (int i = 0; i < 20; i++) {
                s.send(new DatagramPacket(ts, i * 7 * 188, 7 * 188, to));
                if (i % 7 == 3) {
                    s.send(new DatagramPacket(stray, stray.length, to));
                }
                Thread.sleep(2);
            }
        });
    }

    @Test
    void analyzeUdpCountsDatagramsThatAreNotTsInTheTableAndInJson() throws Exception {
        Result r = analyzeUdpFrom(TsCommandsTest::senderWithStrayDatagrams, "1");
        assertThat(r.out()).as(r.err()).contains("Datagrams that were not TS (ignored): 3\n", "Packets 140,");

        Result j = analyzeUdpFrom(TsCommandsTest::senderWithStrayDatagrams, "1", "--json");
        JsonNode report = JSON.readTree(j.out());
        assertThat(report.get("datagrams_ignored").asLong()).as(j.out()).isEqualTo(3);
        assertThat(report.get("packets").asLong()).isEqualTo(140);
        assertThat(report.has("rtp")).isFalse();

        Result file = cli("analyze", clip.toString(), "--json");
        assertThat(JSON.readTree(file.out()).has("datagrams_ignored")).as("a file has no datagrams").isFalse();
    }

    /**
     * Datagrams of whole packets with bytes around them (a 4-byte trailer after raw packets, 5 bytes of a split packet
     * before them, a trailer after RTP-wrapped packets) are analysed as the service's input takes them: their whole
     * packets, the bytes around them counted. Before, each such datagram was left out as not TS.
     */
    @Test
    void analyzeUdpTakesTheWholePacketsOfDatagramsWithStrayBytesAndCountsThoseBytes() throws Exception {
        java.util.function.IntFunction<Thread> sender = port -> clipSender(port, "test-udp-stray-sender",
                (s, to, ts) -> {
                    for (int i = 0; i < 20; i++) {
                        byte[] packets = Arrays.copyOfRange(ts, i * 7 * 188, (i + 1) * 7 * 188);
                        byte[] d;
                        if (i % 3 == 0) {
                            d = Arrays.copyOf(packets, packets.length + 4); // trailer
                        } else if (i % 3 == 1) {
                            d = new byte[5 + packets.length]; // the tail of a packet split before
                            System.arraycopy(packets, 0, d, 5, packets.length);
                        } else {
                            d = new byte[12 + packets.length + 4]; // RTP, a trailer after its packets
                            d[0] = (byte) 0x80;
                            d[1] = 33;
                            d[3] = (byte) (i / 3); // numbered 0, 1, 2, ...
                            System.arraycopy(packets, 0, d, 12, packets.length);
                        }
                        s.send(new DatagramPacket(d, d.length, to));
                        Thread.sleep(2);
                    }
                });
        Result r = analyzeUdpFrom(sender, "1");
        assertThat(r.out()).as(r.err()).contains("Packets 140,", "Bytes in datagrams outside whole TS packets (left"
                + " out): 87;", "RTP: 6 datagrams, 0 lost").doesNotContain("not TS");
        assertThat(r.out()).containsPattern("Continuity_count_error\\s+1\\s+0\\s");
        JsonNode report = JSON.readTree(analyzeUdpFrom(sender, "1", "--json").out());
        assertThat(report.get("stray_bytes").asLong()).as("7 x 4 + 7 x 5 + 6 x 4").isEqualTo(87);
        assertThat(report.get("datagrams_ignored").asLong()).isZero();
        assertThat(report.get("packets").asLong()).isEqualTo(140);
    }

    /**
     * ffmpeg's udp:// output without pkt_size: 1472-byte datagrams that cut packets in two. Analysed as sent: the
     * packets joined again, no continuity error. Before, every packet cut in two was missing (313 continuity errors in
     * 3 s), and datagrams that began mid-packet were taken for RTP or for not TS.
     */
    @Test
    void analyzeUdpOfFfmpegsDefaultOutputJoinsThePacketsItCutInTwo() throws Exception {
        int port = freeUdpPort();
        Thread t = new Thread(() -> {
            try {
                waitForUdpBind(port, () -> true);
                Process ffmpeg = new ProcessBuilder("ffmpeg", "-nostdin", "-loglevel", "error", "-re", "-i",
                        clip.toString(), "-c", "copy", "-f", "mpegts", "udp://127.0.0.1:" + port)
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                ffmpeg.waitFor(60, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, "test-ffmpeg-udp-sender");
        t.setDaemon(true);
        t.start();
        Result r = cli("analyze", "udp://127.0.0.1:" + port, "--duration", "3");
        t.join(60_000);
        assertThat(r.out()).as(r.err()).containsPattern("Continuity_count_error\\s+1\\s+0\\s")
                .doesNotContain("RTP:").doesNotContain("not TS").doesNotContain("outside whole TS packets")
                .contains("Service01");
    }

    @Test
    void analyzeUdpReadsRawDatagramsOf204BytePackets() throws Exception {
        int port = freeUdpPort();
        Thread t = clipSender(port, "test-udp-204-sender", (s, to, ts) -> {
            // seven packets a datagram, each followed by 16 bytes of Reed-Solomon parity (zeros here)
            byte[] d = new byte[7 * 204];
            for (int i = 0; i < 20; i++) {
                for (int k = 0; k < 7; k++) {
                    System.arraycopy(ts, (i * 7 + k) * 188, d, k * 204, 188);
                }
                s.send(new DatagramPacket(d, d.length, to));
                Thread.sleep(2);
            }
        });
        Result r = cli("analyze", "udp://127.0.0.1:" + port, "--duration", "1");
        t.join(5000);
        assertThat(r.out()).as(r.err()).contains("Packets 140,", "Service01").doesNotContain("not TS");
        assertThat(r.out()).containsPattern("Continuity_count_error\\s+1\\s+0\\s");
    }

    @Test
    void aDurationThatIsNoNumberOfSecondsIsAUsageError() throws Exception {
        for (String d : List.of("NaN", "Infinity", "-1")) {
            Result analyze = cli("analyze", "udp://127.0.0.1:" + freeUdpPort(), "--duration", d);
            assertThat(analyze.exit()).as("analyze --duration %s: %s", d, analyze.err()).isEqualTo(2);
            assertThat(analyze.err()).contains("--duration");
            Result scte35 = cli("scte35", "udp://127.0.0.1:" + freeUdpPort(), "--duration", d);
            assertThat(scte35.exit()).as("scte35 --duration %s: %s", d, scte35.err()).isEqualTo(2);
        }
    }

    /**
     * A source-specific join on a named interface, in the same URL form as {@code send}: the named sender's packets
     * are analysed, another sender's to the same group and port are not. Before, a source was refused.
     */
    @Test
    void analyzeJoinsASourceSpecificGroupOnTheNamedInterfaceAndHearsOnlyThatSource() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(io.mcrsrt.streamer.engine.testing.Peers.loopbackMulticast(),
                "loopback has no multicast and cannot be given it (needs root)");
        int port = freeUdpPort();
        InetSocketAddress group = new InetSocketAddress(InetAddress.getByName("232.255.79." + (1 + port % 200)), port);
        String url = "udp://127.0.0.2@232.255.79." + (1 + port % 200) + ":" + port + "?iface=lo";
        AtomicBoolean stop = new AtomicBoolean();
        Thread other = sender(InetAddress.getByName("127.0.0.1"), group, stop, false);
        try {
            Result none = cli("analyze", url, "--duration", "2");
            assertThat(none.err()).as(none.out()).contains("mcr-srt analyze: nothing arrived on " + url
                    + " within 2 s");
            assertThat(none.exit()).isEqualTo(3);
            Thread named = sender(InetAddress.getByName("127.0.0.2"), group, stop, false);
            Result r = cli("analyze", url, "--duration", "2");
            assertThat(r.exit()).as(r.out() + r.err()).isZero();
            assertThat(r.out()).contains("Service01");
            stop.set(true);
            named.join(5000);
        } finally {
            stop.set(true);
            other.join(5000);
        }
    }

    @Test
    void aMalformedSourceOrAnUnknownOptionIsABadCommandLineNamingIt() throws Exception {
        Result source = cli("analyze", "udp://10.0.0.x@239.1.1.1:5004", "--duration", "1");
        assertThat(source.exit()).isEqualTo(2);
        assertThat(source.err().strip()).isEqualTo("mcr-srt analyze: UDP input 'udp://10.0.0.x@239.1.1.1:5004' has the"
                + " source '10.0.0.x', which is not an IP address (a source-specific join names the sender's address)"
                + " (expected: " + UdpUrl.FORM + ")");
        Result option = cli("scte35", "udp://239.1.1.1:5004?ifac=lo", "--duration", "1");
        assertThat(option.exit()).isEqualTo(2);
        assertThat(option.err()).contains("has the unknown option 'ifac' (options: iface=NAME, sources=ADDRESS)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"analyze", "scte35"})
    void aUdpInputOnWhichNothingArrivesSaysSoRatherThanReportingAnEmptyStream(String command) throws Exception {
        // Before, analyze reported "No MPEG-TS packets found ... Is this a transport stream?" (exit 1) and scte35
        // "No SCTE-35 stream in the PMT": both blamed a stream that never came.
        String url = "udp://127.0.0.1:" + freeUdpPort();
        Result r = cli(command, url, "--duration", "0.5");
        assertThat(r.err().strip()).isEqualTo("mcr-srt " + command + ": nothing arrived on " + url + " within 0.5 s"
                + " (listening on " + url.substring(6) + "; expected: a sender of a transport stream to this address"
                + " and port: check that it is running and sends here)");
        assertThat(r.out()).isEmpty();
        assertThat(r.exit()).isEqualTo(3);
    }

    @Test
    void analyzeUdpWithoutAHostListensOnEveryInterface() throws Exception {
        int port = freeUdpPort();
        AtomicBoolean stop = new AtomicBoolean();
        Thread t = sender(port, stop, false);
        try {
            Result r = cli("analyze", "udp://:" + port, "--duration", "2");
            assertThat(r.err()).doesNotContain("has no port");
            assertThat(r.out()).contains("Service01");
            assertThat(r.exit()).as(r.out() + r.err()).isZero();
        } finally {
            stop.set(true);
            t.join(5000);
        }
    }

    @Test
    void analyzeSrtCallerReceivesFromSrtLiveTransmit() throws Exception {
        int udp = freeUdpPort();
        int srt = freeUdpPort();
        Path log = dir.resolve("slt-" + srt + ".log");
        Process slt = new ProcessBuilder("srt-live-transmit", "-v", "udp://127.0.0.1:" + udp,
                "srt://127.0.0.1:" + srt + "?mode=listener&latency=120").redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        AtomicBoolean stop = new AtomicBoolean();
        Thread t = sender(udp, stop, false);
        try {
            waitForUdpBind(srt, slt);
            Result r = cli("analyze", "srt://127.0.0.1:" + srt + "?mode=caller&latency=120", "--duration", "4",
                    "--json");
            assertThat(r.err()).isEmpty();
            JsonNode report = JSON.readTree(r.out());
            assertThat(report.get("packets").asLong()).as("srt-live-transmit said: %s", Files.readString(log))
                    .isGreaterThan(1000);
            assertThat(report.at("/services/0/service_name").asText()).isEqualTo("Service01");
            assertThat(report.at("/pcr/jitter_max_ms").isMissingNode()).isFalse();
        } finally {
            stopSending(stop, t, slt);
        }
    }

    /**
     * analyze reads an encrypted SRT stream with the passphrase from a file only its owner reads, from an
     * srt-live-transmit listener with the same passphrase; the options are refused for an input that is not SRT.
     */
    @Test
    void analyzeSrtTakesThePassphraseFromAFile() throws Exception {
        Path secret = SecretFiles.ownerOnly(dir.resolve("srt.pass"), "long-enough-secret\n");
        int udp = freeUdpPort();
        int srt = freeUdpPort();
        Path log = dir.resolve("slt-" + srt + ".log");
        Process slt = new ProcessBuilder("srt-live-transmit", "-v", "udp://127.0.0.1:" + udp,
                "srt://127.0.0.1:" + srt + "?mode=listener&latency=120&passphrase=long-enough-secret")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        AtomicBoolean stop = new AtomicBoolean();
        Thread t = sender(udp, stop, false);
        try {
            waitForUdpBind(srt, slt);
            Result r = cli("analyze", "srt://127.0.0.1:" + srt + "?mode=caller&latency=120", "--duration", "4",
                    "--json", "--passphrase-file", secret.toString());
            assertThat(r.err()).isEmpty();
            JsonNode report = JSON.readTree(r.out());
            assertThat(report.get("packets").asLong()).as("srt-live-transmit said: %s", Files.readString(log))
                    .isGreaterThan(1000);
            // in the URL: taken with a warning, and the report's Input line does not repeat it
            Result inUrl = cli("analyze", "srt://127.0.0.1:" + srt + "?mode=caller&latency=120&passphrase="
                    + "long-enough-secret", "--duration", "2");
            assertThat(inUrl.err().strip()).isEqualTo("mcr-srt analyze: warning: the passphrase given by passphrase="
                    + " in the SRT URL can be read by every user of this machine in the process list (ps); give it with"
                    + " --passphrase-file FILE (chmod 600) or --passphrase-env instead");
            assertThat(inUrl.out()).contains("Input srt://127.0.0.1:" + srt + "?mode=caller&latency=120&passphrase="
                    + "<hidden>").doesNotContain("long-enough-secret");
        } finally {
            stopSending(stop, t, slt);
        }
        for (String command : List.of("analyze", "scte35")) {
            Result notSrt = cli(command, clip.toString(), "--passphrase-file", secret.toString());
            assertThat(notSrt.exit()).isEqualTo(2);
            assertThat(notSrt.err()).contains(command + ": --passphrase-file and --passphrase-env are for an srt://"
                    + " INPUT");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"analyze", "scte35"})
    void anSrtListenerThatNoCallerReachesEndsAfterItsDurationSayingSo(String command) throws Exception {
        // It used to wait in libsrt's accept, where the duration's timer could not reach it, until a caller came;
        // then it reported "No MPEG-TS packets found ... Is this a transport stream?", exit 1, blaming the stream.
        int port = freeUdpPort();
        Result r = cli(command, "srt://127.0.0.1:" + port + "?mode=listener", "--duration", "1");
        assertThat(r.err().strip()).isEqualTo("mcr-srt " + command + ": no SRT caller connected to srt://127.0.0.1:"
                + port + "?mode=listener within 1 s (expected: a caller sending a transport stream to this port, such"
                + " as an encoder or srt-live-transmit; start it first, or give a longer --duration)");
        assertThat(r.out()).doesNotContain("No MPEG-TS packets found");
        assertThat(r.exit()).isEqualTo(3);
    }

    @Test
    void anSrtListenerWhoseCallerCameButSentNothingReportsTheEmptyStreamRatherThanNoCaller() throws Exception {
        // The caller is there: the report is of what it sent, and "no SRT caller connected" would send the engineer
        // looking for a caller that did connect.
        int port = freeUdpPort();
        java.util.concurrent.CompletableFuture<Result> analyze = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> cli("analyze", "srt://127.0.0.1:" + port + "?mode=listener", "--duration", "3"));
        try (io.mcrsrt.srt.SrtSocket silent = SrtCommandsTest.connectWhenUp("srt://127.0.0.1:" + port)) {
            Result r = analyze.join();
            assertThat(r.err()).doesNotContain("no SRT caller connected");
            assertThat(r.out()).contains("No MPEG-TS packets found");
            assertThat(r.exit()).isEqualTo(1);
        }
    }

    @Test
    void analyzeSrtListenerReceivesFromItsCaller() throws Exception {
        int udp = freeUdpPort();
        int srt = freeUdpPort();
        Path log = dir.resolve("slt-caller-" + srt + ".log");
        AtomicBoolean stop = new AtomicBoolean();
        Thread t = sender(udp, stop, false);
        // srt-live-transmit calls again until the listener is up
        Process slt = new ProcessBuilder("srt-live-transmit", "-v", "udp://127.0.0.1:" + udp,
                "srt://127.0.0.1:" + srt + "?mode=caller&latency=120").redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        try {
            Result r = cli("analyze", "srt://127.0.0.1:" + srt + "?mode=listener&latency=120", "--duration", "5",
                    "--json");
            assertThat(r.err()).as("srt-live-transmit said: %s", Files.readString(log)).isEmpty();
            assertThat(JSON.readTree(r.out()).get("packets").asLong()).isGreaterThan(1000);
        } finally {
            stopSending(stop, t, slt);
        }
    }

    /**
     * A caller that closes cleanly while analyze still holds the last latency's worth of its packets: libsrt reports
     * the close before them, and analyze counted the stream without its last half second with latency 500.
     */
    @Test
    void analyzeSrtCountsEveryPacketACallerSentBeforeItClosed() throws Exception {
        int port = io.mcrsrt.streamer.engine.testing.Peers.freePort();
        java.util.concurrent.CompletableFuture<Result> analyze = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> cli("analyze", "srt://127.0.0.1:" + port + "?mode=listener&latency=500", "--duration", "60",
                        "--json"));
        try (io.mcrsrt.srt.SrtSocket caller = SrtCommandsTest.connectWhenUp("srt://127.0.0.1:" + port)) {
            byte[] payload = new byte[1316];
            for (int i = 0; i < 400; i++) {
                for (int p = 0; p < payload.length; p += 188) {
                    payload[p] = 0x47;
                    payload[p + 1] = 0x1f; // null packets
                    payload[p + 2] = (byte) 0xff;
                    payload[p + 3] = 0x10;
                }
                caller.send(payload, 0, payload.length);
                Thread.sleep(2);
            }
            // Closed once analyze has acknowledged everything: it still holds the last 500 ms when the close comes.
            io.mcrsrt.streamer.engine.testing.Peers.awaitAcknowledged(caller);
        }
        Result r = analyze.get(60, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(JSON.readTree(r.out()).get("packets").asLong()).as(r.err()).isEqualTo(400 * 7);
    }

    /** Waits (bounded) until a UDP socket is bound to {@code port}, so a caller does not race the peer's start-up. */
    private static void waitForUdpBind(int port, Process peer) throws Exception {
        waitForUdpBind(port, peer::isAlive);
    }

    /** As {@link #waitForUdpBind(int, Process)}, for a peer alive while {@code alive} says so (IPv4 or IPv6 socket). */
    private static void waitForUdpBind(int port, java.util.function.BooleanSupplier alive) throws Exception {
        String hexPort = String.format(":%04X ", port);
        long until = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < until && alive.getAsBoolean()) {
            for (String table : List.of("/proc/net/udp", "/proc/net/udp6")) {
                for (String line : Files.readAllLines(Path.of(table))) {
                    String[] f = line.trim().split("\\s+");
                    if (f.length > 1 && (f[1] + " ").endsWith(hexPort)) {
                        return;
                    }
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("nothing bound UDP port " + port + " within 10 s");
    }

    @Test
    void scte35DecodesACueGivenOnTheCommandLine() throws Exception {
        Result text = cli("scte35", CUE);
        assertThat(text.exit()).isZero();
        assertThat(text.out()).contains("Splice Insert event 1207959695 out of network at pts 21514.559089 s break "
                + "60.293567 s auto-return", "Avail Descriptor provider_avail_id 309");
        JsonNode json = JSON.readTree(cli("scte35", CUE, "--json").out());
        assertThat(json.at("/command/splice_event_id").asLong()).isEqualTo(1207959695L);
        assertThat(json.at("/info_section/crc").asText()).isEqualTo("0x62dba30a");
    }

    @Test
    void scte35GivesTheSpliceTimeWithThePtsAdjustmentBesidePtsTime() {
        // splice_insert at pts_time 2^33 - 1 s, pts_adjustment 2 s: the splice is at 1 s, past the wrap. Before, only
        // "at pts 95442.717689 s" and "(pts_adjustment 2.000000 s)", left to add up by hand.
        Result r = cli("scte35", "/DAlAAAAAr8gAP/wFAUAAABlf+////6gcP4ADbugAAEAAAAAq/GcnA==");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out().strip()).isEqualTo("Splice Insert event 101 out of network at pts 95442.717689 s (1.000000 s"
                + " with pts_adjustment) break 10.000000 s auto-return program 1 avail 0/0 (pts_adjustment 2.000000 s)");
        // time_signal at 13.717411 s, no pts_adjustment: as before
        assertThat(cli("scte35", "/DAwAAAAAAAAAP/wBQb+ABLWhwAaAhhDVUVJAAAAB3//AAApMuAMBEFCQ0Q0AQFG1yYs").out())
                .startsWith("Time Signal at pts 13.717411 s" + System.lineSeparator());
    }

    @Test
    void scte35RejectsABrokenCueNamingTheField() {
        byte[] c = Base64.getDecoder().decode(CUE);
        Result r = cli("scte35", Base64.getEncoder().encodeToString(Arrays.copyOf(c, 30)));
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("section_length 47 at byte 1 (expected: <= 27");
    }

    private static byte[] packet(int pid, int cc, byte[] section) {
        byte[] p = new byte[188];
        Arrays.fill(p, (byte) 0xFF);
        p[0] = 0x47;
        p[1] = (byte) (0x40 | (pid >> 8));
        p[2] = (byte) pid;
        p[3] = (byte) (0x10 | cc);
        p[4] = 0;
        System.arraycopy(section, 0, p, 5, section.length);
        return p;
    }

    private static byte[] withCrc(byte[] s) {
        byte[] out = Arrays.copyOf(s, s.length + 4);
        out[2] = (byte) (out.length - 3);
        int crc = Crc32Mpeg.compute(out, 0, out.length - 4);
        for (int k = 0; k < 4; k++) {
            out[out.length - 4 + k] = (byte) (crc >> (24 - 8 * k));
        }
        return out;
    }

    @Test
    void aDirectoryGivenAsInputIsNamedAsADirectoryNotDecodedAsACue() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("recordings"));
        Result scte35 = cli("scte35", folder.toString());
        assertThat(scte35.exit()).isEqualTo(3);
        assertThat(scte35.err().strip()).isEqualTo("mcr-srt scte35: input '" + folder + "' is a directory (expected:"
                + " a .ts file, udp://group:port, srt://host:port, or one cue in base64 or hex)");
        Result analyze = cli("analyze", folder.toString());
        assertThat(analyze.exit()).isEqualTo(3);
        assertThat(analyze.err()).contains("input '" + folder + "' is a directory (expected: a .ts file");
    }

    @Test
    void anEmptyInputIsABadCommandLineNamedAsEmptyNotTakenForTheCurrentDirectory() {
        Result scte35 = cli("scte35", "");
        assertThat(scte35.exit()).isEqualTo(2);
        assertThat(scte35.err().strip()).isEqualTo("mcr-srt scte35: INPUT is empty (expected: a .ts file,"
                + " udp://group:port, srt://host:port, or one cue in base64 or hex)");
        Result analyze = cli("analyze", " ");
        assertThat(analyze.exit()).isEqualTo(2);
        assertThat(analyze.err()).contains("INPUT is empty (expected: a .ts file, udp://group:port or srt://host:port)");
    }

    @Test
    void anInterfaceThatDoesNotExistIsNamedRatherThanTheGroupJoinedOnAnother() throws Exception {
        // Before, options were refused and the group always joined on the default route's interface.
        String url = "udp://239.255.0.1:" + freeUdpPort() + "?iface=nosuchif0";
        Result r = cli("analyze", url, "--duration", "1");
        assertThat(r.exit()).as(r.err()).isEqualTo(3);
        assertThat(r.err()).contains("network interface nosuchif0 does not exist");
        assertThat(r.out()).doesNotContain("Packets 0");
    }

    @ParameterizedTest
    @ValueSource(strings = {"analyze", "scte35"})
    void aMalformedUrlIsABadCommandLineNamingTheValueAndTheForm(String command) throws Exception {
        // Before, each was exit 3 ("could not be opened"), the udp ones with the JDK's own words.
        String[][] cases = {
            {"udp://", "UDP input 'udp://' has no group and no port (expected: " + UdpUrl.FORM + ")"},
            {"udp://239.1.1.1:99999", "UDP input 'udp://239.1.1.1:99999' has the port '99999', which is not 1 to"
                    + " 65535 (expected: udp://[source@]group:port"},
            {"udp://bad host:5000", "UDP input 'udp://bad host:5000' has 'bad host', which is not an address or a"
                    + " host name (expected: udp://[source@]group:port"},
            {"udp://239.1.1.1", "UDP input 'udp://239.1.1.1' has no port (expected: udp://[source@]group:port"},
            {"udp://ff0e::1:5004", "has an IPv6 address without brackets (expected: udp://[source@]group:port"},
            {"srt://host", "\"srt://host\" has no port (expected: srt://host:port"},
            {"srt://:" + freeUdpPort() + "?foo=1", "unknown SRT URL parameter \"foo\""},
        };
        for (String[] c : cases) {
            Result r = cli(command, c[0], "--duration", "1");
            assertThat(r.exit()).as("%s %s: %s", command, c[0], r.err()).isEqualTo(2);
            assertThat(r.err()).startsWith("mcr-srt " + command + ": ").contains(c[1]).doesNotContain("index")
                    .doesNotContain("out of range:");
            assertThat(r.err().strip().lines().count()).isEqualTo(1);
        }
    }

    /**
     * Every message of a command starts with the one prefix its usage errors have, as recv's and fetch's do. Before,
     * the input errors read "analyze: ..." and "scte35: ...", a cue that did not decode "Cannot decode ...", and only
     * the usage errors "mcr-srt analyze: ...".
     */
    @ParameterizedTest
    @ValueSource(strings = {"analyze", "scte35"})
    void everyMessageOfACommandStartsWithMcrSrtAndItsName(String command) throws Exception {
        String prefix = "mcr-srt " + command + ": ";
        List<Result> results = new ArrayList<>(List.of(
                cli(command, clip.toString(), "--no-such-option"), // usage, from the command line parser
                cli(command, dir.resolve("nope.ts").toString()), // an input that cannot be opened
                cli(command, "udp://239.1.1.1", "--duration", "1"), // a malformed URL
                cli(command, " "), // an empty input
                cli(command, Files.createDirectories(dir.resolve("a-folder")).toString()),
                cli(command, "srt://127.0.0.1:" + freeUdpPort() + "?mode=listener&passphrase=long-enough-secret",
                        "--duration", "0.2"))); // a warning, then no caller
        if (command.equals("scte35")) {
            results.add(cli(command, "FC3000")); // a broken cue
        }
        for (Result r : results) {
            assertThat(r.exit()).as(r.err()).isNotZero();
            assertThat(r.err().lines()).as(r.err()).isNotEmpty().allMatch(l -> l.startsWith(prefix));
        }
    }

    @Test
    void aWellFormedUdpInputThatCannotBeOpenedIsStillExit3() throws Exception {
        Result r = cli("analyze", "udp://no-such-host.invalid:" + freeUdpPort(), "--duration", "1");
        assertThat(r.exit()).as(r.err()).isEqualTo(3);
    }

    @Test
    void scte35OfAMissingFileSaysTheFileIsMissingNotThatTheCueIsBad() {
        Result r = cli("scte35", dir.resolve("nope.ts").toString());
        assertThat(r.exit()).isEqualTo(3);
        assertThat(r.err()).contains("nope.ts' does not exist (check the path; expected: a .ts file")
                .doesNotContain("not valid base64");
    }

    @Test
    void scte35OfANameWithoutADotThatIsNeitherAFileNorACueSaysBoth() {
        // Before: "Cannot decode 'missingfile': table_id 0x9A ...", exit 1, as if it were a broken cue.
        Result r = cli("scte35", "missingfile");
        assertThat(r.exit()).isEqualTo(3);
        assertThat(r.err().strip()).isEqualTo("mcr-srt scte35: input 'missingfile' is neither a file (there is none"
                + " of that name) nor a cue (decoded as one: table_id 0x9A at byte 0 (expected: 0xFC)); expected a .ts"
                + " file, udp://group:port, srt://host:port, or one cue in base64 or hex");
        Result hex = cli("scte35", "FC3000");
        assertThat(hex.exit()).as("starts as a cue: a broken cue, not a missing file").isEqualTo(1);
        assertThat(hex.err()).startsWith("mcr-srt scte35: cannot decode the cue 'FC3000': ");
    }

    @Test
    void scte35FindsCuesInAFileThroughThePmt() throws Exception {
        byte[] pat = withCrc(new byte[] {0, (byte) 0xB0, 0, 0, 1, (byte) 0xC1, 0, 0, 0, 1, (byte) 0xF0, 0});
        byte[] pmt = withCrc(new byte[] {2, (byte) 0xB0, 0, 0, 1, (byte) 0xC1, 0, 0, (byte) 0xE1, 0, (byte) 0xF0, 0,
            (byte) 0x86, (byte) 0xE1, (byte) 0xF0, (byte) 0xF0, 0});
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(packet(0, 0, pat));
        b.writeBytes(packet(0x1000, 0, pmt));
        b.writeBytes(packet(0x1F0, 0, Base64.getDecoder().decode(CUE)));
        b.writeBytes(packet(0x1F0, 1, Base64.getDecoder().decode(CUE)));
        Path file = dir.resolve("cues.ts");
        Files.write(file, b.toByteArray());
        Result text = cli("scte35", file.toString());
        assertThat(text.exit()).as(text.err()).isZero();
        assertThat(text.out()).contains("PID 0x01F0 packet 2", "PID 0x01F0 packet 3", "Splice Insert event 1207959695");
        JsonNode json = JSON.readTree(cli("scte35", file.toString(), "--json").out());
        assertThat(json).hasSize(2);
        assertThat(json.at("/0/pid").asInt()).isEqualTo(0x1F0);
        assertThat(json.at("/1/cue/command/break_duration").asDouble()).isEqualTo(60.293567);
        Result none = cli("scte35", clip.toString());
        assertThat(none.exit()).isEqualTo(1);
        assertThat(none.out()).contains("No SCTE-35 stream in the PMT");
    }

    /**
     * {@code --duration -1}, no limit, reads a file whole, as leaving it out does; for a network input, which has no
     * end of its own, it is still a bad command line. Before, scte35 refused -1 for a file too ("expected: seconds >
     * 0"), although a file is read whole whatever --duration says, and analyze did the same.
     */
    @Test
    void aDurationOfMinusOneReadsAFileWholeAndIsRefusedForANetworkInput() throws Exception {
        Result scte35 = cli("scte35", clip.toString(), "--duration", "-1"); // read whole: it has no SCTE-35 PID
        assertThat(scte35.exit()).as(scte35.err()).isEqualTo(1);
        assertThat(scte35.err()).isEmpty();
        assertThat(scte35.out()).contains("No SCTE-35 stream in the PMT");
        JsonNode all = JSON.readTree(cli("analyze", clip.toString(), "--json").out());
        Result analyze = cli("analyze", clip.toString(), "--json", "--duration", "-1");
        assertThat(analyze.exit()).as(analyze.err()).isZero();
        assertThat(JSON.readTree(analyze.out()).get("packets").asLong()).isEqualTo(all.get("packets").asLong());
        for (String command : List.of("analyze", "scte35")) {
            Result live = cli(command, "udp://127.0.0.1:" + freeUdpPort(), "--duration", "-1");
            assertThat(live.exit()).as(live.err()).isEqualTo(2);
            assertThat(live.err()).contains("--duration -1 (no limit) is for a file");
            assertThat(cli(command, "--help").out().replaceAll("\\s+", " ")).contains("-1 for no limit: the whole of"
                    + " a file");
        }
    }

    @Test
    void scte35OfAFileWithoutPacketsOrWithoutAPmtSaysSoRatherThanThatThePmtHasNoScte35() throws Exception {
        // Before, an MP4 and a stream without a PAT alike: "No SCTE-35 stream in the PMT", of a PMT never seen.
        Path text = Files.writeString(dir.resolve("notes-for-scte35.ts"), "not a transport stream\n".repeat(100));
        Result none = cli("scte35", text.toString());
        assertThat(none.exit()).isEqualTo(1);
        assertThat(none.out().strip()).isEqualTo("No MPEG-TS packets found: no run of packets of 188, 192 (M2TS) or"
                + " 204 bytes starting with the sync byte 0x47. Is this a transport stream?");
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(packet(0x1F0, 0, Base64.getDecoder().decode(CUE)));
        b.writeBytes(packet(0x1F0, 1, Base64.getDecoder().decode(CUE)));
        Path noPat = Files.write(dir.resolve("no-pat.ts"), b.toByteArray());
        Result r = cli("scte35", noPat.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).startsWith("No PMT in 2 packets (expected: a PAT and the PMTs it lists, which announce"
                + " the SCTE-35 PIDs)." + System.lineSeparator());
    }

    @Test
    void scte35NamesAPidThatCarriesCuesButIsNotInThePmt() throws Exception {
        // Before, only "No SCTE-35 stream in the PMT": nothing said the cues were there, on a PID the PMT left out.
        byte[] pat = withCrc(new byte[] {0, (byte) 0xB0, 0, 0, 1, (byte) 0xC1, 0, 0, 0, 1, (byte) 0xF0, 0});
        byte[] pmt = withCrc(new byte[] {2, (byte) 0xB0, 0, 0, 1, (byte) 0xC1, 0, 0, (byte) 0xE1, 0, (byte) 0xF0, 0,
            (byte) 0x1B, (byte) 0xE1, 0, (byte) 0xF0, 0});
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(packet(0, 0, pat));
        b.writeBytes(packet(0x1000, 0, pmt));
        b.writeBytes(packet(0x1F0, 0, Base64.getDecoder().decode(CUE)));
        b.writeBytes(packet(0x1F0, 1, Base64.getDecoder().decode(CUE)));
        Path file = dir.resolve("cues-not-in-pmt.ts");
        Files.write(file, b.toByteArray());
        String note = "PID 0x01F0 carries 2 SCTE-35 cue(s) (table_id 0xFC) but no PMT lists it as SCTE-35 (expected:"
                + " stream type 0x86 in the PMT; the multiplexer left it out, so a splicer that follows the PMT does"
                + " not see them)";
        Result text = cli("scte35", file.toString());
        assertThat(text.exit()).isEqualTo(1);
        assertThat(text.out().strip()).isEqualTo("No SCTE-35 stream in the PMT (expected: a stream of type 0x86)."
                + System.lineSeparator() + note);
        Result json = cli("scte35", file.toString(), "--json");
        assertThat(json.exit()).isEqualTo(1);
        assertThat(JSON.readTree(json.out())).isEmpty();
        assertThat(json.err().strip()).isEqualTo(note);
    }

    @ParameterizedTest(name = "{0}-byte packets")
    @ValueSource(ints = {188, 204})
    void scte35ListensOnUdp(int packetSize) throws Exception {
        byte[] pat = withCrc(new byte[] {0, (byte) 0xB0, 0, 0, 1, (byte) 0xC1, 0, 0, 0, 1, (byte) 0xF0, 0});
        byte[] pmt = withCrc(new byte[] {2, (byte) 0xB0, 0, 0, 1, (byte) 0xC1, 0, 0, (byte) 0xE1, 0, (byte) 0xF0, 0,
            (byte) 0x86, (byte) 0xE1, (byte) 0xF0, (byte) 0xF0, 0});
        int port = freeUdpPort();
        AtomicBoolean stop = new AtomicBoolean();
        Thread t = new Thread(() -> {
            try (DatagramSocket s = new DatagramSocket()) {
                InetSocketAddress to = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
                for (int cc = 0; !stop.get(); cc = (cc + 1) & 0xF) {
                    // 204: each packet followed by 16 bytes of Reed-Solomon parity (zeros here)
                    byte[] d = new byte[3 * packetSize];
                    System.arraycopy(packet(0, cc, pat), 0, d, 0, 188);
                    System.arraycopy(packet(0x1000, cc, pmt), 0, d, packetSize, 188);
                    System.arraycopy(packet(0x1F0, cc, Base64.getDecoder().decode(CUE)), 0, d, 2 * packetSize, 188);
                    s.send(new DatagramPacket(d, d.length, to));
                    Thread.sleep(50);
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "test-cue-sender");
        t.setDaemon(true);
        t.start();
        try {
            Result r = cli("scte35", "udp://127.0.0.1:" + port, "--duration", "1", "--json");
            assertThat(r.exit()).as(r.err()).isZero();
            JsonNode cues = JSON.readTree(r.out());
            assertThat(cues.size()).isGreaterThan(3);
            assertThat(cues.at("/0/cue/command/name").asText()).isEqualTo("Splice Insert");
        } finally {
            stop.set(true);
            t.join(5000);
        }
    }

    @Test
    void helpListsBothCommands() {
        assertThat(cli("--help").out()).contains("analyze", "scte35");
        assertThat(PacketReader.class).isNotNull();
    }

    /** Stops a {@link #sender} thread and the srt-live-transmit relaying it. */
    private static void stopSending(AtomicBoolean stop, Thread sender, Process slt) throws InterruptedException {
        stop.set(true);
        sender.join(5000);
        slt.destroy();
        if (!slt.waitFor(5, TimeUnit.SECONDS)) {
            slt.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }
}
