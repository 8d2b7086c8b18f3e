package io.mcrsrt.streamer.engine.testing;

import io.mcrsrt.srt.SrtException;
import io.mcrsrt.srt.SrtOption;
import io.mcrsrt.srt.SrtSocket;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Real SRT peers for tests: srt-live-transmit processes, always killed with a bounded wait. */
public final class Peers {
    private Peers() {
    }

    /**
     * Waits until the peer has acknowledged every message {@code sender} sent (SNDDATA 0; a connection gone counts as
     * done), without waiting for the latency as {@code mcr-srt send} does before it closes: a close right after leaves
     * the peer holding the last latency's worth. Fails when that takes more than 30 s.
     */
    public static void awaitAcknowledged(SrtSocket sender) throws InterruptedException {
        boolean acknowledged = Await.until(() -> {
            try {
                return sender.get(SrtOption.SNDDATA) == 0;
            } catch (SrtException e) {
                return true;
            }
        }, 30_000);
        if (!acknowledged) {
            throw new AssertionError("the receiver did not acknowledge every message within 30 s");
        }
    }

    /**
     * A port of {@code min..max} free for both UDP (every address) and TCP right now: for a test given a range of its
     * own, so that it cannot clash with others running on the machine at the same time.
     */
    public static int freePortIn(int min, int max) throws IOException {
        return freeRunIn(min, max, 1);
    }

    /**
     * A port free for both UDP and TCP right now: one the system picks, or, with the system property
     * {@code test.ports} set to a range ({@code 27000-27999}), one of that range ({@link #freePortIn}), so that tests
     * run beside others on one machine keep to their own ports.
     */
    public static int freePort() throws IOException {
        int[] range = testPorts();
        if (range != null) {
            return freePortIn(range[0], range[1]);
        }
        for (int i = 0; i < 50; i++) {
            try (DatagramSocket u = new DatagramSocket(0)) {
                int port = u.getLocalPort();
                try (ServerSocket t = new ServerSocket(port)) {
                    return port;
                } catch (IOException inUse) {
                    // try another
                }
            }
        }
        throw new IOException("no free port found");
    }

    /**
     * The first of {@code length} consecutive ports free for both UDP and TCP right now, for a service given a port
     * range of its own: in {@code test.ports} when that is set (as {@link #freePort}), else in 20000-59999.
     */
    public static int freePorts(int length) throws IOException {
        int[] range = testPorts();
        return range != null ? freeRunIn(range[0], range[1], length) : freeRunIn(20000, 59999, length);
    }

    /** The range the system property {@code test.ports} names ({@code 27000-27999}), or null when it is not set. */
    private static int[] testPorts() {
        String range = System.getProperty("test.ports", "");
        if (range.isBlank()) {
            return null;
        }
        String[] ends = range.split("-", 2);
        return new int[] {Integer.parseInt(ends[0].strip()), Integer.parseInt(ends[ends.length - 1].strip())};
    }

    private static int freeRunIn(int min, int max, int length) throws IOException {
        for (int i = 0; i < 100; i++) {
            int start = java.util.concurrent.ThreadLocalRandom.current().nextInt(min, max - length + 2);
            int port = start;
            while (port < start + length && free(port)) {
                port++;
            }
            if (port == start + length) {
                return start;
            }
        }
        throw new IOException(length == 1 ? "no free port in " + min + "-" + max
                : "no " + length + " consecutive free ports in " + min + "-" + max);
    }

    private static boolean free(int port) {
        try (DatagramSocket u = new DatagramSocket(port); ServerSocket t = new ServerSocket(port)) {
            return true;
        } catch (IOException inUse) {
            return false;
        }
    }

    /**
     * Whether multicast works on the loopback interface, switching it on when it is off (as root may): the multicast
     * tests send and receive on {@code lo}, never on a real network.
     */
    public static boolean loopbackMulticast() {
        try {
            NetworkInterface lo = NetworkInterface.getByName("lo");
            if (lo != null && lo.supportsMulticast()) {
                return true;
            }
            java.lang.Process p = new ProcessBuilder(List.of("ip", "link", "set", "lo", "multicast", "on"))
                    .redirectErrorStream(true).start();
            p.waitFor(10, TimeUnit.SECONDS);
            return NetworkInterface.getByName("lo").supportsMulticast();
        } catch (Exception e) {
            return false;
        }
    }

    public static final class Process implements AutoCloseable {
        private final java.lang.Process process;

        private Process(java.lang.Process process) {
            this.process = process;
        }

        public boolean isAlive() {
            return process.isAlive();
        }

        /** Waits up to {@code seconds} for it to exit on its own. */
        public boolean waitFor(long seconds) throws InterruptedException {
            return process.waitFor(seconds, TimeUnit.SECONDS);
        }

        /** Kills it with SIGKILL, as a crash would: it closes nothing, so its SRT peers hear nothing more. */
        public void kill() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    /**
     * Starts another program as a peer ({@code ffmpeg}, {@code gst-launch-1.0}), its output and errors into
     * {@code log}; closing the returned process ends it. A program that is not installed fails the test naming the
     * Debian packages that bring it ({@code debianPackages}), which {@code scripts/prepare.sh} installs for the tests.
     */
    public static Process program(List<String> command, String debianPackages, Path log) throws IOException {
        try {
            return new Process(new ProcessBuilder(command).redirectOutput(log.toFile()).redirectErrorStream(true)
                    .start());
        } catch (IOException e) {
            throw new IOException(command.getFirst() + " could not be started (" + e.getMessage() + "): install "
                    + debianPackages + " (Debian), as scripts/prepare.sh does for the tests", e);
        }
    }

    /** {@code srt-live-transmit <in> file://con > out}: receives an SRT stream into a file. */
    public static Process receiveToFile(String srtUrl, Path out, Path log) throws IOException {
        java.lang.Process p = new ProcessBuilder(List.of("srt-live-transmit", "-a:no", srtUrl, "file://con"))
                .redirectOutput(out.toFile()).redirectError(log.toFile()).start();
        return new Process(p);
    }

    /**
     * {@code srt-live-transmit <in> file://con} whose output nobody reads, as a receiver feeding a decoder that hung:
     * it blocks once the pipe is full, and stops reading from SRT.
     */
    public static Process receiveIntoUnreadPipe(String srtUrl, Path log) throws IOException {
        java.lang.Process p = new ProcessBuilder(List.of("srt-live-transmit", "-a:no", srtUrl, "file://con"))
                .redirectError(log.toFile()).start();
        return new Process(p);
    }

    /** {@code srt-live-transmit <in> <out>} with any two URLs. */
    public static Process transmit(String in, String out, Path log) throws IOException {
        java.lang.Process p = new ProcessBuilder(List.of("srt-live-transmit", in, out))
                .redirectOutput(log.toFile()).redirectErrorStream(true).start();
        return new Process(p);
    }
}
