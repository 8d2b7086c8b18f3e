import io.mcrsrt.srt.SrtException;
import io.mcrsrt.srt.SrtOption;
import io.mcrsrt.srt.SrtSocket;
import io.mcrsrt.srt.SrtStats;
import io.mcrsrt.srt.SrtTransType;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.HashMap;
import java.util.Map;

/**
 * Receives many SRT streams in one process, standing in for the far ends of a load test: N live callers to
 * HOST:FIRST_PORT .. FIRST_PORT+N-1, all sharing one local UDP port (so libsrt runs one receive and one send thread
 * for all of them instead of N pairs), read Per stream it checks the TS continuity counters of
 * every PID, and at the end prints libsrt's receiver counters (loss before recovery, drops) summed and per stream with
 * any problem. Streams are read without blocking every 5 ms (libsrt holds each message until its play time, so at
 * most 5 ms late), except the forwarded ones, which each get a blocking thread. Streams named in FORWARD (index:udpPort,...) are also copied to 127.0.0.1:udpPort for
 * bench/api/pcr_jitter.py. One process for 50 streams costs a fraction of 50 srt-live-transmit processes, which is what
 * let the sender's side of the machine be measured at all on two cores.
 *
 * <p>usage: java --enable-native-access=ALL-UNNAMED -cp streamer/target/mcr-srt.jar bench/reliability/MultiReceiver.java
 * HOST FIRST_PORT N SECONDS LATENCY_MS [FORWARD]
 */
public final class MultiReceiver {
    private static final int TS = 188;

    public static void main(String[] args) throws Exception {
        String host = args[0];
        int first = Integer.parseInt(args[1]);
        int n = Integer.parseInt(args[2]);
        int seconds = Integer.parseInt(args[3]);
        int latency = Integer.parseInt(args[4]);
        Map<Integer, InetSocketAddress> forward = new HashMap<>();
        if (args.length > 5 && !args[5].isBlank()) {
            for (String f : args[5].split(",")) {
                String[] p = f.split(":");
                forward.put(Integer.parseInt(p[0]), new InetSocketAddress("127.0.0.1", Integer.parseInt(p[1])));
            }
        }
        SrtSocket[] sockets = new SrtSocket[n];
        Map<Integer, Integer> indexById = new HashMap<>();
        int localPort = 0;
        for (int i = 0; i < n; i++) {
            SrtSocket s = SrtSocket.create();
            s.set(SrtOption.TRANSTYPE, SrtTransType.LIVE);
            s.set(SrtOption.LATENCY, latency);
            s.set(SrtOption.RCVBUF, 8 * 1024 * 1024);
            s.bind(new InetSocketAddress("127.0.0.1", localPort));
            localPort = s.localAddress().getPort();
            s.connect(new InetSocketAddress(host, first + i));
            s.blocking(false);
            sockets[i] = s;
            indexById.put(s.id(), i);
        }
        System.out.println("connected " + n + " callers from local port " + localPort);
        long[] messages = new long[n];
        long[] ccErrors = new long[n];
        byte[][] lastCc = new byte[n][8192];
        for (byte[] a : lastCc) {
            java.util.Arrays.fill(a, (byte) -1);
        }
        long cpu0 = cpuNanos();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        // The forwarded streams are read as they arrive, each by its own blocking thread, so the copies keep their
        // timing for the PCR measurement; the others are read every 5 ms, a few messages at a time: one wake-up per
        // message for 50 streams would cost more than the sending being measured.
        java.util.List<Thread> threads = new java.util.ArrayList<>();
        for (var f : forward.entrySet()) {
            int i = f.getKey();
            sockets[i].blocking(true);
            sockets[i].set(SrtOption.RCVTIMEO, 100);
            threads.add(Thread.ofPlatform().start(() -> {
                try (DatagramChannel out = DatagramChannel.open()) {
                    byte[] buf = new byte[1500];
                    while (System.nanoTime() < end) {
                        int len = sockets[i].receive(buf, 0, buf.length);
                        if (len > 0) {
                            messages[i]++;
                            ccErrors[i] += check(buf, len, lastCc[i]);
                            out.send(ByteBuffer.wrap(buf, 0, len), f.getValue());
                        }
                    }
                } catch (Exception e) {
                    System.out.println("stream " + i + ": " + e);
                }
            }));
        }
        byte[] buf = new byte[1500];
        long start = System.nanoTime();
        long nextReport = start + 10_000_000_000L;
        while (System.nanoTime() < end) {
            if (System.nanoTime() >= nextReport) {
                // Drops so far, every 10 s: shows whether they come at the start or all along.
                long drops = 0;
                for (SrtSocket s : sockets) {
                    drops += s.stats().pktRcvDropTotal();
                }
                System.out.printf("at %d s: %d dropped so far%n", (nextReport - start) / 1_000_000_000L, drops);
                nextReport += 10_000_000_000L;
            }
            for (int i = 0; i < n; i++) {
                if (forward.containsKey(i)) {
                    continue;
                }
                int len;
                while ((len = sockets[i].receive(buf, 0, buf.length)) > 0) {
                    messages[i]++;
                    ccErrors[i] += check(buf, len, lastCc[i]);
                }
            }
            Thread.sleep(5);
        }
        for (Thread t : threads) {
            t.join();
        }
        long cpu = cpuNanos() - cpu0;
        long totalMessages = 0;
        long totalCc = 0;
        long totalLoss = 0;
        long totalDrop = 0;
        StringBuilder problems = new StringBuilder();
        for (int i = 0; i < n; i++) {
            SrtStats st = sockets[i].stats();
            totalMessages += messages[i];
            totalCc += ccErrors[i];
            totalLoss += st.pktRcvLossTotal();
            totalDrop += st.pktRcvDropTotal();
            if (st.pktRcvDropTotal() > 0 || ccErrors[i] > 0 || messages[i] == 0) {
                problems.append(String.format("  stream %d (port %d): %d messages, %d CC errors, %d dropped%n", i,
                        first + i, messages[i], ccErrors[i], st.pktRcvDropTotal()));
            }
            sockets[i].close();
        }
        System.out.printf("receivers: %d streams, %d messages, %d CC errors, %d lost before recovery, %d dropped;"
                + " receiver CPU %.2f cores%n", n, totalMessages, totalCc, totalLoss, totalDrop,
                cpu / 1e9 / seconds);
        System.out.print(problems);
    }

    /** Continuity errors in one message of TS packets; {@code lastCc} holds the last counter of each PID, -1 if none. */
    private static int check(byte[] m, int len, byte[] lastCc) {
        int errors = 0;
        for (int o = 0; o + TS <= len; o += TS) {
            if (m[o] != 0x47) {
                errors++;
                continue;
            }
            int pid = ((m[o + 1] & 0x1f) << 8) | (m[o + 2] & 0xff);
            boolean payload = (m[o + 3] & 0x10) != 0;
            int cc = m[o + 3] & 0x0f;
            if (pid != 0x1fff && payload) {
                int last = lastCc[pid];
                if (last >= 0 && cc != ((last + 1) & 0x0f) && cc != last) {
                    errors++;
                }
                lastCc[pid] = (byte) cc;
            }
        }
        return errors;
    }

    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }
}
