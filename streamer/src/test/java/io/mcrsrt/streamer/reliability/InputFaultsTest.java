package io.mcrsrt.streamer.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcrsrt.streamer.engine.LocalStreamEngine;
import io.mcrsrt.streamer.engine.testing.Await;
import io.mcrsrt.streamer.engine.testing.TestMedia;
import io.mcrsrt.streamer.stream.EngineSettings;
import io.mcrsrt.streamer.stream.Encryption;
import io.mcrsrt.streamer.stream.InputSpec;
import io.mcrsrt.streamer.stream.Mode;
import io.mcrsrt.streamer.stream.StreamConfig;
import io.mcrsrt.streamer.stream.StreamStatus;
import io.mcrsrt.streamer.stream.StreamView;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad files beside a healthy stream: each bad one ends in a clear status or keeps playing, none leaves a stuck or dead
 * stream thread, and the healthy stream's receiver keeps getting data throughout.
 */
class InputFaultsTest {
    private static final int PACKET = 188;

    @TempDir
    static Path media;

    @TempDir
    Path data;

    private final Peers peers = new Peers();
    private volatile boolean receiving = true;
    private Thread receiver;

    @BeforeAll
    static void makeFiles() throws Exception {
        byte[] clip = Files.readAllBytes(TestMedia.shortClip());
        Files.write(media.resolve("good.ts"), clip);
        int cut = (clip.length * 6 / 10) / PACKET * PACKET + 100;
        Files.write(media.resolve("truncated.ts"), Arrays.copyOf(clip, cut));
        byte[] garbage = new byte[300_000];
        new Random(42).nextBytes(garbage);
        Files.write(media.resolve("garbage.ts"), garbage);
        Files.write(media.resolve("nopcr.ts"), withoutPcr(clip));
        Files.write(media.resolve("pcrjump.ts"), withPcrJump(clip, 30L * 90_000));
    }

    @AfterEach
    void stop() throws InterruptedException {
        receiving = false;
        if (receiver != null) {
            receiver.join(5000);
        }
        peers.close();
    }

    @Test
    void badFilesGetAClearStatusWhileAHealthyStreamBesideThemKeepsFlowing() throws Exception {
        int healthyTarget = Peers.freeUdpPort();
        int udpOut = Peers.freeUdpPort();
        AtomicLong received = receive(udpOut);
        // Latency 1 s on both ends: on a loaded machine a short latency drops late packets, which is not under test.
        peers.start("srt-live-transmit", "-a:no", "-q",
                "srt://127.0.0.1:" + healthyTarget + "?mode=listener&latency=1000", "udp://127.0.0.1:" + udpOut);
        EngineSettings settings = new EngineSettings(media, data, 16, 10001, 10010, 4);
        try (LocalStreamEngine engine = LocalStreamEngine.open(settings)) {
            engine.start(caller(healthyTarget, "good.ts"));
            awaitRising(received, "the healthy stream before the faults");

            int garbage = Peers.freeUdpPort();
            int noPcr = Peers.freeUdpPort();
            int truncated = Peers.freeUdpPort();
            int pcrJump = Peers.freeUdpPort();
            // A file plays once a peer connects: the two that play get a receiver each.
            for (int port : new int[] {truncated, pcrJump}) {
                peers.start("srt-live-transmit", "-a:no", "-q", "srt://127.0.0.1:" + port
                        + "?mode=listener&latency=1000", "udp://127.0.0.1:" + Peers.freeUdpPort());
            }
            engine.start(caller(garbage, "garbage.ts"));
            engine.start(caller(noPcr, "nopcr.ts"));
            engine.start(caller(truncated, "truncated.ts"));
            engine.start(caller(pcrJump, "pcrjump.ts"));

            StreamView g = Await.status(engine, garbage, StreamStatus.START_ERROR, 30_000);
            assertThat(g.statusDetail()).as("garbage file: why").contains("garbage.ts");
            // Without PCRs the file cannot be paced: refused as the stream starts, before any peer.
            StreamView n = Await.view(engine, noPcr,
                    v -> v.status() == StreamStatus.START_ERROR || v.status() == StreamStatus.ERROR, 30_000);
            assertThat(n.status()).isIn(StreamStatus.START_ERROR, StreamStatus.ERROR);
            assertThat(n.statusDetail()).as("file without PCR: why").contains("nopcr.ts").containsIgnoringCase("PCR");

            // Truncated and PCR-jump files keep playing: their input keeps delivering across several loops.
            for (int key : new int[] {truncated, pcrJump}) {
                StreamView v = Await.view(engine, key, s -> s.inputBitrateMbps() > 0.5, 30_000);
                assertThat(v.inputBitrateMbps()).as("stream %d plays", key).isGreaterThan(0.5);
            }
            for (int i = 0; i < 3; i++) {
                Thread.sleep(2500);
                for (int key : new int[] {truncated, pcrJump}) {
                    StreamView v = engine.stream(key).orElseThrow();
                    assertThat(v.status()).as("stream %d status %s", key, v.connectionStatus())
                            .isNotIn(StreamStatus.ERROR, StreamStatus.START_ERROR, StreamStatus.ENDED);
                    assertThat(v.inputBitrateMbps()).as("stream %d still delivering after %d s (status %s)", key,
                            (i + 1) * 5 / 2, v.connectionStatus()).isGreaterThan(0.5);
                }
            }
            awaitRising(received, "the healthy stream after the faults");

            for (int key : new int[] {garbage, noPcr, truncated, pcrJump}) {
                engine.stop(key);
            }
            awaitRising(received, "the healthy stream after the others stopped");
            assertThat(Await.until(() -> streamThreads() == 1, 20_000))
                    .as("only the healthy stream's thread is left: %s", ProcessResources.ofSelf().threadsByName())
                    .isTrue();
        }
        assertThat(Await.until(() -> streamThreads() == 0, 20_000)).as("no stream thread outlives the engine").isTrue();
    }

    private static long streamThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().matches("stream-\\d+")).count();
    }

    private static StreamConfig caller(int port, String file) {
        return new StreamConfig(Mode.CALLER, new InputSpec.File(file, true), null, "127.0.0.1", port, 1000, 25,
                Encryption.NONE, null, false, 30, false, null);
    }

    private AtomicLong receive(int port) throws Exception {
        AtomicLong bytes = new AtomicLong();
        DatagramSocket socket = new DatagramSocket(new InetSocketAddress(Peers.LOOPBACK, port));
        socket.setSoTimeout(200);
        receiver = Thread.ofPlatform().name("udp-receiver-" + port).daemon().start(() -> {
            byte[] buf = new byte[2048];
            try (socket) {
                while (receiving) {
                    try {
                        DatagramPacket p = new DatagramPacket(buf, buf.length);
                        socket.receive(p);
                        bytes.addAndGet(p.getLength());
                    } catch (SocketTimeoutException idle) {
                        // check the flag again
                    }
                }
            } catch (Exception e) {
                // the test fails on the bytes that did not arrive
            }
        });
        return bytes;
    }

    /** Waits until at least 100 kB more arrive (under a second at the clip's 2.5 Mbit/s), failing after 30 s. */
    private static void awaitRising(AtomicLong received, String what) throws InterruptedException {
        long start = received.get();
        assertThat(Await.until(() -> received.get() - start > 100_000, 30_000))
                .as("%s: bytes arriving at its receiver (had %d)", what, start).isTrue();
    }

    /** The clip with the PCR flag cleared in every adaptation field: valid TS, but no clock to pace by. */
    static byte[] withoutPcr(byte[] ts) {
        byte[] out = ts.clone();
        for (int p = 0; p + PACKET <= out.length; p += PACKET) {
            if (hasPcr(out, p)) {
                out[p + 5] &= (byte) ~0x10;
            }
        }
        return out;
    }

    /** The clip with every PCR from the middle on moved {@code jump} 90 kHz ticks forward, as a splice gone wrong. */
    static byte[] withPcrJump(byte[] ts, long jump) {
        byte[] out = ts.clone();
        int middle = out.length / 2 / PACKET * PACKET;
        for (int p = middle; p + PACKET <= out.length; p += PACKET) {
            if (hasPcr(out, p)) {
                long base = ((out[p + 6] & 0xFFL) << 25) | ((out[p + 7] & 0xFFL) << 17) | ((out[p + 8] & 0xFFL) << 9)
                        | ((out[p + 9] & 0xFFL) << 1) | ((out[p + 10] & 0x80L) >> 7);
                base = (base + jump) & 0x1FFFFFFFFL;
                out[p + 6] = (byte) (base >> 25);
                out[p + 7] = (byte) (base >> 17);
                out[p + 8] = (byte) (base >> 9);
                out[p + 9] = (byte) (base >> 1);
                out[p + 10] = (byte) ((out[p + 10] & 0x7F) | ((base & 1) << 7));
            }
        }
        return out;
    }

    private static boolean hasPcr(byte[] ts, int p) {
        return (ts[p] == 0x47) && (ts[p + 3] & 0x20) != 0 && (ts[p + 4] & 0xFF) >= 7 && (ts[p + 5] & 0x10) != 0;
    }
}
