import io.mcrsrt.srt.SrtOption;
import io.mcrsrt.srt.SrtSocket;
import io.mcrsrt.srt.SrtStats;
import io.mcrsrt.srt.SrtTransType;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Receives many SRT streams in one process, standing in for the far ends of a load test: live callers to
 * HOST:FIRST_PORT .. FIRST_PORT+N-1 except the indexes in SKIP (received elsewhere), PER_PORT of them sharing each
 * local UDP port (libsrt runs one receive and one send thread per local port instead of a pair per stream). Per stream
 * it checks the TS continuity counters of every PID, and at the end prints libsrt's receiver counters (loss before
 * recovery, drops) summed and per stream with any problem. Streams are read without blocking every 5 ms (libsrt holds
 * each message until its play time, so at most 5 ms late): one wake-up per message for 50 streams would cost more
 * than the sending being measured. One process for 50 streams costs a fraction of 50 srt-live-transmit processes,
 * which is what lets the sender's side be measured at all on two cores.
 *
 * <p>PER_PORT (default 10) trades threads against buffer: the kernel's receive buffer of one port (net.core.rmem_max,
 * 4 MiB here) holds 80 ms of 50 streams at 8 Mbit/s but 400 ms of 10, so a short stall of this process loses nothing.
 *
 * <p>usage: java --enable-native-access=ALL-UNNAMED -cp streamer/target/mcr-srt.jar bench/reliability/MultiReceiver.java
 * HOST FIRST_PORT N SECONDS LATENCY_MS [SKIP: index,index,...] [PER_PORT]
 */
public final class MultiReceiver {
    private static final int TS = 188;

    public static void main(String[] args) throws Exception {
        String host = args[0];
        int first = Integer.parseInt(args[1]);
        int n = Integer.parseInt(args[2]);
        int seconds = Integer.parseInt(args[3]);
        int latency = Integer.parseInt(args[4]);
        Set<Integer> skip = new HashSet<>();
        if (args.length > 5 && !args[5].isBlank()) {
            for (String i : args[5].split(",")) {
                skip.add(Integer.parseInt(i.trim()));
            }
        }
        int perPort = args.length > 6 ? Integer.parseInt(args[6]) : 10;
        if (perPort < 1) {
            throw new IllegalArgumentException("PER_PORT " + perPort + " must be at least 1");
        }
        List<Integer> mine = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (!skip.contains(i)) {
                mine.add(i);
            }
        }
        SrtSocket[] sockets = new SrtSocket[n];
        Set<Integer> localPorts = new TreeSet<>();
        int localPort = 0;
        for (int k = 0; k < mine.size(); k++) {
            int i = mine.get(k);
            if (k % perPort == 0) {
                localPort = 0; // a new local port (and libsrt multiplexer) for the next PER_PORT callers
            }
            SrtSocket s = SrtSocket.create();
            s.set(SrtOption.TRANSTYPE, SrtTransType.LIVE);
            s.set(SrtOption.LATENCY, latency);
            s.set(SrtOption.RCVBUF, 8 * 1024 * 1024);
            s.bind(new InetSocketAddress("127.0.0.1", localPort));
            localPort = s.localAddress().getPort();
            localPorts.add(localPort);
            s.connect(new InetSocketAddress(host, first + i));
            s.blocking(false);
            sockets[i] = s;
        }
        System.out.println("connected " + mine.size() + " callers from local ports " + localPorts);
        long[] messages = new long[n];
        long[] ccErrors = new long[n];
        byte[][] lastCc = new byte[n][8192];
        for (byte[] a : lastCc) {
            Arrays.fill(a, (byte) -1);
        }
        long cpu0 = cpuNanos();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        byte[] buf = new byte[1500];
        long start = System.nanoTime();
        long nextReport = start + 10_000_000_000L;
        while (System.nanoTime() < end) {
            if (System.nanoTime() >= nextReport) {
                // Drops so far, every 10 s: shows whether they come at the start or all along.
                long drops = 0;
                for (int i : mine) {
                    drops += sockets[i].stats().pktRcvDropTotal();
                }
                System.out.printf("at %d s: %d dropped so far%n", (nextReport - start) / 1_000_000_000L, drops);
                nextReport += 10_000_000_000L;
            }
            for (int i : mine) {
                int len;
                while ((len = sockets[i].receive(buf, 0, buf.length)) > 0) {
                    messages[i]++;
                    ccErrors[i] += check(buf, len, lastCc[i]);
                }
            }
            Thread.sleep(5);
        }
        long cpu = cpuNanos() - cpu0;
        long totalMessages = 0;
        long totalCc = 0;
        long totalLoss = 0;
        long totalDrop = 0;
        StringBuilder problems = new StringBuilder();
        for (int i : mine) {
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
                + " receiver CPU %.2f cores%n", mine.size(), totalMessages, totalCc, totalLoss, totalDrop,
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
