import io.mcrsrt.streamer.engine.LocalStreamEngine;
import io.mcrsrt.streamer.stream.EngineSettings;
import io.mcrsrt.streamer.stream.Encryption;
import io.mcrsrt.streamer.stream.InputSpec;
import io.mcrsrt.streamer.stream.LinkStats;
import io.mcrsrt.streamer.stream.Mode;
import io.mcrsrt.streamer.stream.StreamConfig;
import io.mcrsrt.streamer.stream.StreamView;
import java.io.IOException;
import java.net.DatagramSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Many file streams in one engine, each received by its own srt-live-transmit (to /dev/null):
 * resident memory before and after, process CPU, and what libsrt counted as lost or dropped.
 *
 * <p>usage: java --enable-native-access=ALL-UNNAMED -cp streamer/target/mcr-srt.jar bench/scripts/EngineScale.java
 * FILE.ts STREAMS SECONDS
 */
public final class EngineScale {
    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]).toAbsolutePath();
        int n = Integer.parseInt(args[1]);
        int seconds = Integer.parseInt(args[2]);
        Path data = Files.createTempDirectory("engine-scale");
        EngineSettings settings = new EngineSettings(file.getParent(), data, n, 1, 65535, 2);
        List<Process> receivers = new ArrayList<>();
        System.gc();
        long rss0 = rssKb();
        long cpu0;
        try (LocalStreamEngine engine = LocalStreamEngine.openTransient(settings, 5_000_000L)) {
            List<Integer> ports = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int port = freePort();
                ports.add(port);
                engine.start(new StreamConfig(Mode.LISTENER, new InputSpec.File(file.getFileName().toString(), true),
                        port, null, null, 200, 25, Encryption.NONE, null, false, 30, false, null));
                receivers.add(new ProcessBuilder("srt-live-transmit", "-q",
                        "srt://127.0.0.1:" + port + "?mode=caller&latency=200", "file://con")
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start());
            }
            Thread.sleep(10_000);
            long connected = engine.streams().stream().filter(v -> !v.peers().isEmpty()).count();
            System.gc();
            long rss1 = rssKb();
            cpu0 = cpuNanos();
            long wall0 = System.nanoTime();
            long[] base = totals(engine);
            Thread.sleep(seconds * 1000L);
            long cpu = cpuNanos() - cpu0;
            double wall = (System.nanoTime() - wall0) / 1e9;
            long[] end = totals(engine);
            System.out.printf("streams=%d connected=%d rss_before_mb=%.1f rss_running_mb=%.1f per_stream_mb=%.2f"
                    + " engine_cpu_s_per_30s=%.2f per_stream_cpu_s_per_30s=%.3f sent_pkts=%d lost_pkts=%d"
                    + " dropped_pkts=%d load=%s%n",
                    n, connected, rss0 / 1024.0, rss1 / 1024.0, (rss1 - rss0) / 1024.0 / n,
                    cpu / 1e9 * 30 / wall, cpu / 1e9 * 30 / wall / n, end[0] - base[0], end[1] - base[1],
                    end[2] - base[2], Files.readString(Path.of("/proc/loadavg")).trim());
        } finally {
            for (Process p : receivers) {
                p.destroy();
            }
            for (Process p : receivers) {
                if (!p.waitFor(5, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            }
        }
    }

    private static long[] totals(LocalStreamEngine engine) {
        long sent = 0, lost = 0, dropped = 0;
        for (StreamView v : engine.streams()) {
            for (var p : v.peers()) {
                LinkStats s = p.stats();
                if (s != null) {
                    sent += s.packetsSentTotal();
                    lost += s.packetsLostTotal();
                    dropped += s.packetsDroppedTotal();
                }
            }
        }
        return new long[] {sent, lost, dropped};
    }

    private static long rssKb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return 0;
    }

    private static long cpuNanos() throws IOException {
        String[] f = Files.readString(Path.of("/proc/self/stat")).split(" ");
        return (Long.parseLong(f[13]) + Long.parseLong(f[14])) * 10_000_000L;
    }

    private static int freePort() throws IOException {
        try (DatagramSocket s = new DatagramSocket(0)) {
            return s.getLocalPort();
        }
    }
}
