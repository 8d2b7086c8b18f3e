package io.mcrsrt.bench.ts;

import io.mcrsrt.ts.PacketReader;
import io.mcrsrt.ts.pacing.PacerSettings;
import io.mcrsrt.ts.pacing.PreciseWaiter;
import io.mcrsrt.ts.pacing.SendTimeErrors;
import io.mcrsrt.ts.pacing.TsPacer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Send-time error of precise pacing: paces a transport stream file by its PCRs in real time for a number of seconds,
 * waiting for every 7-packet message with {@link PreciseWaiter} (park, then spin the last 200 us), and prints the
 * error (actual minus due time) of every wait, and the pacer's own error: the same without the waits during which
 * Linux kept the thread off a CPU for more than 0.5 ms ({@code /proc/thread-self/schedstat}) and without the catch-up
 * messages right after such a stall, up to the first message the pacer reached in time. On a shared machine the
 * first figure is the scheduler's as much as the pacer's; the second is what the pacer itself achieves.
 *
 * <pre>java -cp bench/target/benchmarks.jar io.mcrsrt.bench.ts.PrecisePacing FILE.ts [SECONDS=30] [RUNS=3]</pre>
 */
public final class PrecisePacing {
    /** A wait during which the thread waited this long for a CPU is the scheduler's delay, not the pacer's. */
    private static final long STALL_NANOS = 500_000;

    private PrecisePacing() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1 || args.length > 3) {
            System.err.println("usage: PrecisePacing FILE.ts [SECONDS=30] [RUNS=3]");
            System.exit(2);
        }
        Path file = Path.of(args[0]);
        long seconds = args.length > 1 ? Long.parseLong(args[1]) : 30;
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        for (int run = 1; run <= runs; run++) {
            System.out.println("run " + run + ": " + measure(file, seconds * 1_000_000_000L));
        }
    }

    /** One real-time pass over the first {@code nanos} of the file, waiting for every message. */
    private static String measure(Path file, long nanos) throws IOException, InterruptedException {
        PreciseWaiter waiter = new PreciseWaiter();
        SendTimeErrors own = new SendTimeErrors();
        long excluded = 0;
        long messages = 0;
        byte[] msg = new byte[TsPacer.MESSAGE_SIZE];
        try (RunQueueDelay runQueue = new RunQueueDelay();
                TsPacer pacer = new TsPacer(PacketReader.open(file), PacerSettings.byPcr())) {
            long start = System.nanoTime() + 20_000_000;
            long due;
            long before = runQueue.nanos();
            boolean catchingUp = false;
            while ((due = pacer.nextMessage(msg, 0)) != TsPacer.END && due < nanos) {
                boolean dueAlready = System.nanoTime() > start + due;
                long late = waiter.sleepUntil(start + due);
                long after = runQueue.nanos();
                messages++;
                catchingUp = after - before > STALL_NANOS || (catchingUp && dueAlready);
                if (catchingUp) {
                    excluded++;
                } else {
                    own.record(late);
                }
                before = after;
            }
        }
        return "all " + waiter.errors() + "; without scheduler stalls " + own + "; " + excluded + " of " + messages
                + " waits left out; load average " + loadAverage();
    }

    private static String loadAverage() throws IOException {
        return java.nio.file.Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    }

    /** The calling thread's time spent runnable but waiting for a CPU, from Linux schedstat. */
    private static final class RunQueueDelay implements AutoCloseable {
        private final FileChannel file;
        private final ByteBuffer buf = ByteBuffer.allocate(128);

        RunQueueDelay() throws IOException {
            file = FileChannel.open(Path.of("/proc/thread-self/schedstat"));
        }

        long nanos() throws IOException {
            buf.clear();
            file.read(buf, 0);
            String[] fields = new String(buf.array(), 0, buf.position(), StandardCharsets.US_ASCII).trim().split(" ");
            return Long.parseLong(fields[1]);
        }

        @Override
        public void close() throws IOException {
            file.close();
        }
    }
}
