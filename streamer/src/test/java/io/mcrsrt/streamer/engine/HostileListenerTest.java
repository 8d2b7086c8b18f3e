package io.mcrsrt.streamer.engine;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.mcrsrt.streamer.engine.testing.Await;
import io.mcrsrt.streamer.engine.testing.Peers;
import io.mcrsrt.streamer.engine.testing.TestMedia;
import io.mcrsrt.streamer.engine.testing.TsCheck;
import io.mcrsrt.streamer.stream.EngineSettings;
import io.mcrsrt.streamer.stream.Encryption;
import io.mcrsrt.streamer.stream.StreamStatus;
import io.mcrsrt.streamer.stream.StreamView;
import java.io.ByteArrayOutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * What arrives at a listener's port from a network the operator does not control: UDP that is not SRT, and SRT
 * control packets that are cut short, out of order, of the wrong version, or for sockets that do not exist. The
 * packet layouts are those of the SRT protocol (draft-sharabayko-srt, sections 3 and 3.2.1): a 16-byte header whose
 * first bit tells control from data, then for a handshake its 48-byte body and its extensions.
 */
class HostileListenerTest {
    private static final int HANDSHAKE = 0;
    private static final int KEEPALIVE = 1;
    private static final int ACK = 2;
    private static final int SHUTDOWN = 5;
    private static final int INDUCTION = 1;
    private static final int CONCLUSION = 0xFFFFFFFF;
    private static final int EXT_HSREQ = 1;
    private static final int EXT_KMREQ = 3;
    private static final int EXT_SID = 5;

    @TempDir
    Path data;

    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

    @BeforeEach
    void captureLog() {
        log.start();
        root.addAppender(log);
    }

    @AfterEach
    void releaseLog() {
        root.detachAppender(log);
    }

    @Test
    void garbageAndOddControlPacketsAtAListenerPortLeaveItsCallerFlowingAndItsListenerServing() throws Exception {
        Path clip = TestMedia.shortClip();
        int port = Peers.freePort();
        try (LocalStreamEngine engine = LocalStreamEngine.open(new EngineSettings(clip.getParent(), data, 4, port,
                port, 4))) {
            engine.start(ListenerEndToEndTest.listener(port, clip.getFileName().toString(), Encryption.NONE, null));
            Await.status(engine, port, StreamStatus.WAITING, 20_000);
            Path out = data.resolve("rx.ts");
            try (Peers.Process rx = Peers.receiveToFile("srt://127.0.0.1:" + port + "?mode=caller&latency=1000"
                    + "&streamid=legit", out, data.resolve("rx.log"));
                    DatagramSocket hostile = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
                Await.view(engine, port, s -> s.peers().size() == 1 && s.peers().getFirst().stats() != null, 30_000);
                assertThat(Await.until(() -> size(out) > 100_000, 20_000)).isTrue();
                InetSocketAddress to = new InetSocketAddress("127.0.0.1", port);
                hostile.setSoTimeout(500);
                int sent = 0;
                for (int round = 0; round < 3; round++) {
                    for (byte[] d : garbage(new Random(round))) {
                        hostile.send(new DatagramPacket(d, d.length, to));
                        sent++;
                    }
                    for (byte[] sid : List.of(new byte[] {(byte) 0xFF, (byte) 0xFE, (byte) 0xC3, 0x28},
                            "x\nFAKE LOG LINE\u001b[2J".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                            "A".repeat(512).getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                            "B".repeat(600).getBytes(java.nio.charset.StandardCharsets.US_ASCII), new byte[600])) {
                        sent += concludeWithStreamId(hostile, to, sid);
                    }
                    Thread.sleep(300);
                }
                assertThat(sent).isPositive();
                long before = size(out);
                assertThat(Await.until(() -> size(out) > before + 300_000, 30_000)).as("the caller still receives")
                        .isTrue();
                assertThat(rx.isAlive()).isTrue();
                StreamView v = engine.stream(port).orElseThrow();
                assertThat(v.status()).isEqualTo(StreamStatus.CONNECTED);
                assertThat(v.peers()).extracting(p -> p.streamId()).contains("legit");

                assertThat(v.events()).allSatisfy(e -> assertThat(e.detail()).doesNotContain("\n", "\u001b"));
            }
            TsCheck check = TsCheck.of(out);
            assertThat(check.continuityErrors()).as("continuity errors at the legitimate caller").isZero();
            assertThat(check.packets()).isGreaterThan(2000);
        }
        List<String> problems = log.list.stream()
                .filter(e -> e.getThrowableProxy() != null || e.getLevel().isGreaterOrEqual(Level.WARN))
                .map(e -> e.getLevel() + " " + e.getLoggerName() + ": " + e.getFormattedMessage()
                        + (e.getThrowableProxy() == null ? "" : " " + e.getThrowableProxy().getClassName()))
                .toList();
        assertThat(problems).isEmpty();
    }

    /**
     * Thousands of handshakes a second from 64 source ports, with random stream ids, each completed and then left
     * silent (a caller libsrt connects and waits on for its idle timeout); to an encrypted listener half of them with
     * key material that does not unwrap. The caller connected before keeps receiving; one calling once the flood stops
     * gets in within a bounded number of attempts (unencrypted, once the silent callers holding the places have timed
     * out); no more callers are served than the cap; the stream's events stay bounded.
     */
    @org.junit.jupiter.params.ParameterizedTest(name = "encrypted {0}")
    @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
    void aHandshakeFloodLeavesTheConnectedCallerFlowingAndLetsTheNextInOnceItStops(boolean encrypted)
            throws Exception {
        Path clip = TestMedia.shortClip();
        int port = Peers.freePort();
        String passphrase = encrypted ? "the-right-passphrase" : null;
        String key = encrypted ? "&passphrase=" + passphrase : "";
        try (LocalStreamEngine engine = LocalStreamEngine.open(new EngineSettings(clip.getParent(), data, 4, port,
                port, 4))) {
            engine.start(ListenerEndToEndTest.listener(port, clip.getFileName().toString(),
                    encrypted ? Encryption.AES_128 : Encryption.NONE, passphrase));
            Await.status(engine, port, StreamStatus.WAITING, 20_000);
            Path out = data.resolve("rx.ts");
            try (Peers.Process rx = Peers.receiveToFile("srt://127.0.0.1:" + port + "?mode=caller&latency=1000"
                    + "&streamid=legit" + key, out, data.resolve("rx.log"))) {
                Await.view(engine, port, s -> s.peers().size() == 1 && s.peers().getFirst().stats() != null, 30_000);
                assertThat(Await.until(() -> size(out) > 100_000, 20_000)).isTrue();
                InetSocketAddress to = new InetSocketAddress("127.0.0.1", port);
                // by hand, from 64 ports: the flood's own cost is small, and what the process spends is the
                // listener's. (libsrt callers in this process would each derive a key too, and leave hundreds of
                // sockets for libsrt to collect while the next test runs.)
                flood(to, encrypted, 2000);
                assertThat(engine.stream(port).orElseThrow().peers()).as("callers served").hasSizeLessThanOrEqualTo(4)
                        .extracting(p -> p.streamId()).contains("legit");

                long before = size(out);
                assertThat(Await.until(() -> size(out) > before + 300_000, 30_000)).as("the caller still receives")
                        .isTrue();
                int attempts = 0;
                boolean in = false;
                while (!in && attempts < 40) {
                    attempts++;
                    try (var late = io.mcrsrt.srt.SrtUrl.parse("srt://127.0.0.1:" + port
                            + "?mode=caller&conntimeo=1000&streamid=late" + key).open()) {
                        in = Await.until(() -> engine.stream(port).orElseThrow().peers().stream()
                                .anyMatch(p -> "late".equals(p.streamId())), 5_000);
                    } catch (io.mcrsrt.srt.SrtException e) {
                        Thread.sleep(500);
                    }
                }
                System.out.println("flood: the caller after it got in at attempt " + attempts);
                assertThat(in).as("a caller after the flood gets in within 40 attempts").isTrue();
                assertThat(engine.stream(port).orElseThrow().events().size()).isLessThanOrEqualTo(
                        StreamRunner.MAX_EVENTS);

            }
            TsCheck check = TsCheck.of(out);
            assertThat(check.continuityErrors()).as("continuity errors at the legitimate caller").isZero();
        }
        List<String> problems = log.list.stream()
                .filter(e -> e.getThrowableProxy() != null || e.getLevel().isGreaterOrEqual(Level.ERROR))
                .map(e -> e.getLevel() + " " + e.getLoggerName() + ": " + e.getFormattedMessage())
                .toList();
        assertThat(problems).isEmpty();
    }

    /**
     * Sends {@code count} handshakes to {@code to}, by hand from 64 ports, each with a random stream id and, when
     * {@code keyed}, half with a key material request; prints what they cost the process besides the flood's own
     * threads (measured, not judged).
     */
    private static void flood(InetSocketAddress to, boolean keyed, int count)
            throws InterruptedException {
        java.util.concurrent.atomic.AtomicInteger handshakes = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicBoolean flooding = new java.util.concurrent.atomic.AtomicBoolean(true);
        java.util.concurrent.atomic.AtomicLong floodCpu = new java.util.concurrent.atomic.AtomicLong();
        long cpuBefore = processCpuNanos();
        long start = System.nanoTime();
        List<Thread> flood = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            flood.add(Thread.ofPlatform().daemon().start(() -> {
                Random r = new Random();
                List<DatagramSocket> sockets = new ArrayList<>();
                try {
                    for (int i = 0; i < 16; i++) {
                        DatagramSocket s = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
                        s.setSoTimeout(200);
                        sockets.add(s);
                    }
                    while (flooding.get()) {
                        for (DatagramSocket s : sockets) {
                            byte[] sid = new byte[r.nextInt(40)];
                            r.nextBytes(sid);
                            conclude(s, to, sid, keyed && r.nextBoolean());
                            handshakes.incrementAndGet();
                        }
                    }
                } catch (Exception e) {
                    // the test judges what the listener did
                } finally {
                    sockets.forEach(DatagramSocket::close);
                    floodCpu.addAndGet(threadCpuNanos());
                }
            }));
        }
        Await.until(() -> handshakes.get() >= count, 10_000);
        flooding.set(false);
        for (Thread t : flood) {
            t.join(10_000);
        }
        long cpu = processCpuNanos() - cpuBefore - floodCpu.get();
        System.out.printf(java.util.Locale.ROOT, "flood%s: %d handshakes in %.1f s, %.0f us of CPU each besides the"
                + " flood's own threads%n", keyed ? " (half with key material)" : "", handshakes.get(),
                (System.nanoTime() - start) / 1e9, cpu / 1e3 / handshakes.get());
    }

    private static long threadCpuNanos() {
        return java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /**
     * An induction to learn the listener's cookie, then a conclusion carrying {@code streamId} in its stream id
     * extension, as a caller would send, but never anything after.
     *
     * @return datagrams sent
     */
    private static int concludeWithStreamId(DatagramSocket s, InetSocketAddress to, byte[] streamId)
            throws Exception {
        return conclude(s, to, streamId, false);
    }

    /**
     * As {@link #concludeWithStreamId}, with {@code keyed}, a key material request (HaiCrypt's KM message: AES-CTR, a
     * random 16-byte salt and a random wrapped 16-byte key) as a caller with a passphrase sends: the listener derives
     * its key from its passphrase and that salt (PBKDF2) before it finds the key does not unwrap.
     */
    private static int conclude(DatagramSocket s, InetSocketAddress to, byte[] streamId, boolean keyed)
            throws Exception {
        int socketId = 0x1000_0000 | new Random().nextInt(0x0FFF_FFFF);
        byte[] induction = handshake(4, 0, 2, INDUCTION, socketId, 0, new byte[0]);
        s.send(new DatagramPacket(induction, induction.length, to));
        byte[] in = new byte[1500];
        DatagramPacket reply = new DatagramPacket(in, in.length);
        try {
            s.receive(reply);
        } catch (SocketTimeoutException e) {
            return 1;
        }
        int cookie = ByteBuffer.wrap(in).getInt(16 + 28);
        ByteArrayOutputStream ext = new ByteArrayOutputStream();
        ByteBuffer hsreq = ByteBuffer.allocate(16);
        hsreq.putShort((short) EXT_HSREQ).putShort((short) 3).putInt(0x00010500).putInt(0x3F)
                .putShort((short) 120).putShort((short) 120);
        ext.write(hsreq.array());
        int words = (streamId.length + 3) / 4;
        ByteBuffer sid = ByteBuffer.allocate(4 + 4 * words);
        sid.putShort((short) EXT_SID).putShort((short) words);
        byte[] padded = java.util.Arrays.copyOf(streamId, 4 * words);
        for (int w = 0; w < words; w++) {
            // each 4-byte word of the stream id goes in reversed byte order
            for (int k = 3; k >= 0; k--) {
                sid.put(padded[4 * w + k]);
            }
        }
        ext.write(sid.array());
        if (keyed) {
            byte[] salt = new byte[16];
            byte[] wrapped = new byte[24];
            new Random().nextBytes(salt);
            new Random().nextBytes(wrapped);
            ByteBuffer km = ByteBuffer.allocate(4 + 56);
            km.putShort((short) EXT_KMREQ).putShort((short) 14)
                    .put((byte) 0x12).putShort((short) 0x2029).put((byte) 1).putInt(0)
                    .put((byte) 2).put((byte) 0).put((byte) 2).put((byte) 0).putShort((short) 0)
                    .put((byte) 4).put((byte) 4).put(salt).put(wrapped);
            ext.write(km.array());
        }
        byte[] conclusion = handshake(5, 0, keyed ? 1 | 2 | 4 : 1 | 4, CONCLUSION, socketId, cookie,
                ext.toByteArray());
        s.send(new DatagramPacket(conclusion, conclusion.length, to));
        try {
            s.receive(reply); // the conclusion's answer, if any
        } catch (SocketTimeoutException e) {
            // refused silently
        }
        return 2;
    }

    /** A control packet: 16-byte header, then {@code body}. */
    private static byte[] control(int type, int subtype, int info, int destination, byte[] body) {
        ByteBuffer b = ByteBuffer.allocate(16 + body.length);
        b.putShort((short) (0x8000 | type)).putShort((short) subtype).putInt(info).putInt(0).putInt(destination)
                .put(body);
        return b.array();
    }

    /** A handshake to the listener (destination 0): its 48-byte body, then {@code extensions}. */
    private static byte[] handshake(int version, int encryption, int extensionField, int type, int socketId,
            int cookie, byte[] extensions) {
        ByteBuffer b = ByteBuffer.allocate(48 + extensions.length);
        b.putInt(version).putShort((short) encryption).putShort((short) extensionField).putInt(12345).putInt(1500)
                .putInt(8192).putInt(type).putInt(socketId).putInt(cookie)
                .put(new byte[] {127, 0, 0, 1}).put(new byte[12]).put(extensions);
        return control(HANDSHAKE, 0, 0, 0, b.array());
    }

    private static List<byte[]> garbage(Random r) {
        List<byte[]> list = new ArrayList<>();
        for (int size : new int[] {0, 1, 3, 15, 16, 17, 63, 64, 65, 187, 189, 1316, 1500, 65507}) {
            byte[] d = new byte[size];
            r.nextBytes(d);
            list.add(d);
            if (size >= 16) {
                byte[] c = d.clone();
                c[0] |= (byte) 0x80; // a control packet of some type
                ByteBuffer.wrap(c).putInt(12, 0);
                list.add(c);
            }
        }
        int id = r.nextInt();
        // inductions of other versions, and cut short
        for (int version : new int[] {0, 3, 4, 5, 6, 0x7FFFFFFF, -1}) {
            list.add(handshake(version, 0, 2, INDUCTION, id, 0, new byte[0]));
        }
        byte[] full = handshake(4, 0, 2, INDUCTION, id, 0, new byte[0]);
        for (int cut : new int[] {16, 17, 20, 32, 40, 47, 63}) {
            list.add(java.util.Arrays.copyOf(full, cut));
        }
        // conclusions that had no induction: no cookie, or a made-up one, with extensions whose lengths run past
        // the end
        byte[] huge = ByteBuffer.allocate(8).putShort((short) EXT_HSREQ).putShort((short) 0xFFFF).putInt(0x10500)
                .array();
        byte[] hugeSid = ByteBuffer.allocate(8).putShort((short) EXT_SID).putShort((short) 0xFFFF).putInt(0x41414141)
                .array();
        byte[] zeroLength = ByteBuffer.allocate(4).putShort((short) EXT_SID).putShort((short) 0).array();
        for (byte[] ext : List.of(new byte[0], huge, hugeSid, zeroLength, new byte[] {0, 1})) {
            list.add(handshake(5, 0, 5, CONCLUSION, id, 0, ext));
            list.add(handshake(5, 0, 5, CONCLUSION, id, r.nextInt(), ext));
            list.add(handshake(5, 0xFFFF, 0xFFFF, CONCLUSION, id, r.nextInt(), ext));
        }
        // handshakes of other kinds: wave-a-hand, agreement, a rejection code, and made up
        for (int type : new int[] {0, 0xFFFFFFFE, 1002, 0x7FFFFFFF}) {
            list.add(handshake(5, 0, 0, type, id, 0, new byte[0]));
        }
        // for sockets that do not exist: shutdown, keepalive, ACK, and data
        for (int dest : new int[] {0, id, r.nextInt(), -1}) {
            list.add(control(SHUTDOWN, 0, 0, dest, new byte[4]));
            list.add(control(KEEPALIVE, 0, 0, dest, new byte[4]));
            list.add(control(ACK, 0, 1, dest, new byte[24]));
            list.add(control(0x7FFF, 0xFFFF, 0, dest, new byte[0]));
            ByteBuffer dataPacket = ByteBuffer.allocate(16 + 1316);
            dataPacket.putInt(r.nextInt() & 0x7FFFFFFF).putInt(0xE0000001).putInt(0).putInt(dest);
            list.add(dataPacket.array());
        }
        return list;
    }

    private static long size(Path f) {
        try {
            return Files.size(f);
        } catch (java.io.IOException e) {
            return 0;
        }
    }
}
