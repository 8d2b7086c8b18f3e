package io.mcrsrt.streamer.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcrsrt.srt.SrtException;
import io.mcrsrt.srt.SrtSocket;
import io.mcrsrt.srt.SrtSocketState;
import io.mcrsrt.srt.SrtUrl;
import io.mcrsrt.streamer.engine.testing.TestMedia;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Start/stop cycles of mixed streams through the API of the real service: its threads, file descriptors, native memory
 * (NMT) and heap after a full GC come back to where they were. {@code -Dsoak.cycles=N} (default 100; the bench script
 * runs 1000) and {@code -Dsoak.report=FILE} to keep the figures.
 */
class SoakIT {
    private static final Pattern NMT_TOTAL = Pattern.compile("Total: reserved=\\d+KB, committed=(\\d+)KB");
    private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)K");

    @TempDir
    Path base;

    /** What the service holds at one moment, after a full GC. */
    record Figures(int threads, int fds, long rssKb, long nativeCommittedKb, long heapUsedKb) {
        @Override
        public String toString() {
            return "threads " + threads + ", fds " + fds + ", RSS " + rssKb / 1024 + " MB, NMT committed "
                    + nativeCommittedKb / 1024 + " MB, heap used " + heapUsedKb / 1024 + " MB";
        }
    }

    @Test
    void startStopCyclesOfMixedStreamsLeaveThreadsDescriptorsAndMemoryWhereTheyWere() throws Exception {
        int cycles = Integer.getInteger("soak.cycles", 100);
        Path media = Files.createDirectories(base.resolve("media"));
        Files.copy(TestMedia.shortClip(), media.resolve("clip.ts"));
        int portMin = Peers.freeUdpPort();
        Map<String, String> env = new HashMap<>(Map.of("HOST", "127.0.0.1", "PORT",
                Integer.toString(Peers.freeTcpPort()), "DATA_DIR", base.resolve("data").toString(), "MEDIA_FOLDER",
                media.toString(), "LOG_DIR", base.resolve("logs").toString(), "API_KEY", ServiceProcess.API_KEY,
                "LISTENER_PORT_MIN", Integer.toString(portMin), "LISTENER_PORT_MAX", Integer.toString(portMin)));
        env.put("JAVA_TOOL_OPTIONS", "-XX:NativeMemoryTracking=summary");
        // -Dsoak.malloc.arena.max=N runs the service with glibc's MALLOC_ARENA_MAX=N, to compare native growth.
        String arenas = System.getProperty("soak.malloc.arena.max", "");
        if (!arenas.isBlank()) {
            env.put("MALLOC_ARENA_MAX", arenas);
        }
        // The callers' far ends: listeners in this JVM that accept every connection, so each cycle connects for real.
        try (SrtSink plain = new SrtSink(null); SrtSink secured = new SrtSink("soak-test-passphrase");
                ServiceProcess service = ServiceProcess.start(env, base.resolve("console.log"))) {
            service.awaitUp();
            int target = secured.port();
            int multicastPort = Peers.freeUdpPort();
            List<String> bodies = List.of(
                    "{\"input_type\":\"file\",\"file_path\":\"clip.ts\",\"port\":" + portMin + "}",
                    "{\"mode\":\"caller\",\"input_type\":\"file\",\"file_path\":\"clip.ts\",\"target_address\":"
                            + "\"127.0.0.1\",\"target_port\":" + target + ",\"encryption\":\"aes-256\","
                            + "\"passphrase\":\"soak-test-passphrase\"}",
                    "{\"mode\":\"caller\",\"input_type\":\"multicast\",\"multicast_address\":\"127.0.0.1\","
                            + "\"multicast_port\":" + multicastPort + ",\"target_address\":\"127.0.0.1\","
                            + "\"target_port\":" + plain.port() + "}");
            List<Integer> keys = List.of(portMin, target, plain.port());

            runCycles(service, bodies, keys, 10);
            Figures before = figures(service);
            long start = System.nanoTime();
            runCycles(service, bodies, keys, cycles);
            double seconds = (System.nanoTime() - start) / 1e9;
            Figures after = settle(service, before);

            String line = String.format(Locale.ROOT, "soak: %d cycles of 3 streams (file listener, AES-256 file caller, UDP caller) "
                    + "in %.0f s%n  before: %s%n  after:  %s%n", cycles, seconds, before, after);
            System.out.print(line);
            String report = System.getProperty("soak.report");
            if (report != null) {
                Files.writeString(Path.of(report), line, StandardCharsets.UTF_8);
            }
            assertThat(after.threads()).as(line).isLessThanOrEqualTo(before.threads() + 3);
            assertThat(after.fds()).as(line).isLessThanOrEqualTo(before.fds() + 3);
            assertThat(after.heapUsedKb()).as(line).isLessThanOrEqualTo(before.heapUsedKb() + 16 * 1024);
            assertThat(after.nativeCommittedKb()).as(line).isLessThanOrEqualTo(before.nativeCommittedKb() + 32 * 1024);
            assertThat(service.console()).as("console").doesNotContain("did not stop", "Unexpected failure");
        }
    }

    /** An SRT listener that accepts every caller and keeps its sockets until closed; one platform thread. */
    private static final class SrtSink implements AutoCloseable {
        private final SrtSocket listener;
        private final List<SrtSocket> accepted = new java.util.concurrent.CopyOnWriteArrayList<>();
        private final Thread thread;

        SrtSink(String passphrase) throws Exception {
            String url = "srt://127.0.0.1:" + Peers.freeUdpPort() + "?mode=listener"
                    + (passphrase == null ? "" : "&passphrase=" + passphrase + "&pbkeylen=32");
            listener = SrtUrl.parse(url).listen(16);
            thread = Thread.ofPlatform().name("srt-sink-" + port()).daemon().start(() -> {
                while (!listener.isClosed()) {
                    try {
                        accepted.add(listener.accept());
                        accepted.removeIf(s -> {
                            boolean gone = s.state() != SrtSocketState.CONNECTED;
                            if (gone) {
                                s.close();
                            }
                            return gone;
                        });
                    } catch (SrtException e) {
                        return;
                    }
                }
            });
        }

        int port() {
            try {
                return listener.localAddress().getPort();
            } catch (SrtException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void close() throws InterruptedException {
            listener.close();
            thread.join(5000);
            accepted.forEach(SrtSocket::close);
        }
    }

    private static void runCycles(ServiceProcess service, List<String> bodies, List<Integer> keys, int cycles) {
        for (int i = 0; i < cycles; i++) {
            for (String body : bodies) {
                ServiceProcess.Response r = service.post("/api/streams", body);
                assertThat(r.status()).as("cycle %d: POST %s -> %s", i, body, r.body()).isEqualTo(201);
            }
            for (int key : keys) {
                ServiceProcess.Response r = service.delete("/api/streams/" + key);
                assertThat(r.status()).as("cycle %d: DELETE %d -> %s", i, key, r.body()).isEqualTo(200);
            }
        }
    }

    /** The figures once they stop falling (libsrt frees closed sockets about a second later), at most 60 s. */
    private static Figures settle(ServiceProcess service, Figures target) throws Exception {
        Figures last = figures(service);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline && (last.threads() > target.threads() || last.fds() > target.fds())) {
            Thread.sleep(1000);
            last = figures(service);
        }
        return last;
    }

    private static Figures figures(ServiceProcess service) throws Exception {
        jcmd(service.pid(), "GC.run");
        ProcessResources r = ProcessResources.of(service.pid());
        Matcher nmt = NMT_TOTAL.matcher(jcmd(service.pid(), "VM.native_memory", "summary"));
        long nativeKb = nmt.find() ? Long.parseLong(nmt.group(1)) : 0;
        Matcher heap = HEAP_USED.matcher(jcmd(service.pid(), "GC.heap_info"));
        long heapKb = heap.find() ? Long.parseLong(heap.group(1)) : 0;
        assertThat(nativeKb).as("NMT total from jcmd").isPositive();
        assertThat(heapKb).as("heap used from jcmd").isPositive();
        return new Figures(r.threads(), r.fds(), r.rssKb(), nativeKb, heapKb);
    }

    private static String jcmd(long pid, String... command) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(pid)));
        cmd.addAll(List.of(command));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("jcmd " + String.join(" ", command) + " did not answer in 60 s");
        }
        return new String(out, StandardCharsets.UTF_8);
    }
}
