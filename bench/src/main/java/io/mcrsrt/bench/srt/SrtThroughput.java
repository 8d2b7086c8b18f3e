package io.mcrsrt.bench.srt;

import io.mcrsrt.srt.SrtException;
import io.mcrsrt.srt.SrtSocket;
import io.mcrsrt.srt.SrtStats;
import io.mcrsrt.srt.SrtUrl;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * The Java side of bench/srt-throughput.sh: sends or receives live 1316-byte messages as fast as libsrt takes them,
 * and prints messages per second and process CPU per message (all threads, libsrt's included) for the whole loop, and
 * again for its last three quarters ("steady": after the JIT has compiled the loop).
 *
 * <pre>
 * SrtThroughput send SRT_URL COUNT   connect (or accept), send COUNT messages with blocking srt_sendmsg2, and
 *                                    stop the clock when the peer has acknowledged them all
 * SrtThroughput recv SRT_URL COUNT   receive until COUNT messages, the peer leaves, or 3 s of silence
 * SrtThroughput send SRT_URL COUNT RATE      the same, paced at RATE messages/s: a burst every 5 ms, each message
 *                                            stamped with its due time (SRT_MSGCTRL.srctime)
 * SrtThroughput udpgen HOST:PORT COUNT RATE  paced UDP datagrams of 1316 bytes, to feed srt-live-transmit
 * </pre>
 */
public final class SrtThroughput {

    private static final int SIZE = 1316;

    private SrtThroughput() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 3 || !(args[0].equals("send") || args[0].equals("recv") || args[0].equals("udpgen"))) {
            System.err.println("usage: SrtThroughput send|recv SRT_URL COUNT [RATE] | udpgen HOST:PORT COUNT RATE");
            System.exit(2);
        }
        long count = Long.parseLong(args[2]);
        long rate = args.length > 3 ? Long.parseLong(args[3]) : 0;
        if (args[0].equals("udpgen")) {
            udpgen(args[1], count, rate);
            return;
        }
        SrtUrl url = SrtUrl.parse(args[1]);
        try (SrtSocket socket = url.open(); Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(1500, 8);
            if (args[0].equals("send")) {
                send(socket, buffer.asSlice(0, SIZE), count, rate);
            } else {
                receive(socket, buffer, count);
            }
        }
    }

    /** How often a paced sender wakes: every wake-up costs tens of microseconds of CPU on a small VM. */
    private static final long WAKE_NANOS = 5_000_000L;

    /** When message {@code i} is due at {@code rate} messages/s from {@code t0} (0 rate: now). */
    private static long due(long t0, long i, long rate) {
        return rate <= 0 ? 0 : t0 + i * 1_000_000_000L / rate;
    }

    /**
     * Waits until {@code due}, sleeping in steps of {@link #WAKE_NANOS}: the messages that fell due meanwhile go out in
     * one burst, each stamped with its own due time, and the receiver's TSBPD restores their spacing.
     */
    private static void waitUntil(long due) {
        while (System.nanoTime() < due) {
            java.util.concurrent.locks.LockSupport.parkNanos(WAKE_NANOS);
        }
    }

    private static void udpgen(String target, long count, long rate) throws Exception {
        int colon = target.lastIndexOf(':');
        java.net.InetSocketAddress to = new java.net.InetSocketAddress(target.substring(0, colon),
                Integer.parseInt(target.substring(colon + 1)));
        byte[] payload = new byte[SIZE];
        try (java.net.DatagramSocket out = new java.net.DatagramSocket()) {
            java.net.DatagramPacket packet = new java.net.DatagramPacket(payload, SIZE, to);
            long t0 = System.nanoTime();
            for (long i = 0; i < count; i++) {
                waitUntil(due(t0, i, rate));
                java.nio.ByteBuffer.wrap(payload).putLong(0, i);
                out.send(packet);
            }
        }
    }

    private static void send(SrtSocket socket, MemorySegment message, long count, long rate) throws Exception {
        long cpu0 = cpuNanos();
        long t0 = System.nanoTime();
        // libsrt's clock and System.nanoTime are both the monotonic clock: one offset maps one onto the other.
        long srtOffsetMicros = io.mcrsrt.srt.Srt.now() - t0 / 1000;
        long warm = count / 4;
        long cpuWarm = 0;
        long tWarm = 0;
        for (long i = 0; i < count; i++) {
            if (i == warm) {
                tWarm = System.nanoTime();
                cpuWarm = cpuNanos();
            }
            long due = due(t0, i, rate);
            waitUntil(due);
            message.set(java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED, 0, i);
            socket.send(message, rate <= 0 ? 0 : due / 1000 + srtOffsetMicros);
        }
        // Done when the peer has acknowledged everything (or, having got it all, hung up).
        long retransmitted = 0;
        for (int i = 0; i < 10_000; i++) {
            try {
                SrtStats s = socket.stats();
                retransmitted = s.pktRetransTotal();
                if (s.pktSndBuf() == 0) {
                    break;
                }
            } catch (SrtException peerLeft) {
                break;
            }
            Thread.sleep(1);
        }
        long t1 = System.nanoTime();
        long cpu1 = cpuNanos();
        report("java sender", count, t1 - t0, cpu1 - cpu0);
        report("java sender steady", count - warm, t1 - tWarm, cpu1 - cpuWarm);
        System.out.println("java sender retransmitted=" + retransmitted);
        // Closing now would discard what the receiver has not read yet: wait (up to 5 s) for it to hang up.
        for (int i = 0; i < 500 && socket.state() == io.mcrsrt.srt.SrtSocketState.CONNECTED; i++) {
            Thread.sleep(10);
        }
    }

    private static void receive(SrtSocket socket, MemorySegment buffer, long count) throws SrtException {
        socket.set(io.mcrsrt.srt.SrtOption.RCVTIMEO, 3000);
        long received = 0;
        long t0 = 0;
        long cpu0 = 0;
        long last = 0;
        long cpuLast = 0;
        long warm = count / 4;
        long tWarm = 0;
        long cpuWarm = 0;
        while (received < count) {
            int n;
            try {
                n = socket.receive(buffer);
            } catch (SrtException e) {
                if (e.isConnectionGone()) {
                    break;
                }
                throw e;
            }
            if (n == 0) {
                break;
            }
            if (received == 0) {
                t0 = System.nanoTime();
                cpu0 = cpuNanos();
            }
            received++;
            if (received == warm) {
                tWarm = System.nanoTime();
                cpuWarm = cpuNanos();
            }
            if ((received & 1023) == 0 || received == count) {
                last = System.nanoTime();
                cpuLast = cpuNanos();
            }
        }
        // The first message starts the clock, so it is not counted in the rate.
        report("java receiver", Math.max(received - 1, 0), last - t0, cpuLast - cpu0);
        if (received >= warm && warm > 0) {
            report("java receiver steady", received - warm, last - tWarm, cpuLast - cpuWarm);
        }
        System.out.println("java receiver total=" + received);
    }

    private static void report(String who, long messages, long nanos, long cpuNanos) {
        double seconds = nanos / 1e9;
        System.out.println(String.format(Locale.ROOT, "%s msgs=%d seconds=%.3f rate=%.0f cpu_us_per_msg=%.2f", who,
                messages, seconds, messages / Math.max(seconds, 1e-9), cpuNanos / 1e3 / Math.max(messages, 1)));
    }

    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }
}
