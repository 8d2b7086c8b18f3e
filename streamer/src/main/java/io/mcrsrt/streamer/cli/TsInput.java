package io.mcrsrt.streamer.cli;

import io.mcrsrt.srt.Srt;
import io.mcrsrt.srt.SrtUrl;
import io.mcrsrt.streamer.engine.input.UdpTsReceiver;
import io.mcrsrt.streamer.stream.InputSpec;
import io.mcrsrt.streamer.stream.PrintableText;
import io.mcrsrt.ts.TsPacket;
import io.mcrsrt.ts.rtp.RtpUnwrapper;
import io.mcrsrt.ts.rtp.TsDatagram;
import io.mcrsrt.ts.rtp.TsDatagramStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Where the {@code analyze} and {@code scte35} commands read a transport stream from: a file, {@code udp://group:port}
 * (multicast or unicast, raw or RTP-wrapped) or an SRT URL. Datagrams are unwrapped from RTP when they carry it and
 * handed on with their arrival time; file bytes have none.
 */
abstract class TsInput implements AutoCloseable {
    /** Exit status of a command whose input could not be opened or read. */
    static final int EXIT_INPUT = 3;
    /** Exit status of a command given an input that is not well-formed (a malformed URL): a bad command line. */
    static final int EXIT_USAGE = 2;

    /**
     * An input that is not well-formed, or asks for what these commands do not do (a URL without a port, a port out
     * of range, options): a bad command line, exit {@link #EXIT_USAGE}, unlike an input that cannot be opened.
     */
    static final class MalformedInput extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        MalformedInput(String message) {
            super(message);
        }
    }

    /** What a command does with its input once the command line is checked. */
    @FunctionalInterface
    interface Reading {
        /** @return the command's exit status */
        int run() throws IOException;
    }

    /**
     * Runs {@code reading} for {@code command} ({@code mcr-srt analyze}, {@code mcr-srt scte35}: the prefix of every
     * message of the command, its usage errors' too), answering for its input: a malformed one is a bad command line
     * ({@link #EXIT_USAGE}), one that cannot be opened or read is {@link #EXIT_INPUT}, each said in one line on
     * {@code err} that starts with {@code command}.
     */
    static int read(String command, PrintWriter err, Reading reading) {
        try {
            return reading.run();
        } catch (MalformedInput e) {
            err.println(command + ": " + e.getMessage());
            return EXIT_USAGE;
        } catch (IOException | IllegalArgumentException | UncheckedIOException e) {
            err.println(command + ": " + e.getMessage());
            return EXIT_INPUT;
        }
    }

    /** {@code --duration}'s value for no limit: the whole of a file. */
    static final double NO_LIMIT = -1;

    /** True when {@code input} names a network input ({@code udp://}, {@code srt://}), which has no end of its own. */
    static boolean isNetwork(String input) {
        String lower = input.toLowerCase(java.util.Locale.ROOT);
        return lower.startsWith("udp://") || lower.startsWith("srt://");
    }

    /**
     * What is wrong with {@code --duration S} for a network input or a file, or null when it is right: seconds > 0, or
     * {@link #NO_LIMIT} for a file, which ends of itself. A network input has no end: no limit is refused for it.
     */
    static String checkDuration(double seconds, boolean network) {
        if (seconds == NO_LIMIT) {
            return network ? "--duration -1 (no limit) is for a file, which ends of itself (expected for a network"
                    + " input: seconds > 0)" : null;
        }
        return seconds > 0 && Double.isFinite(seconds) ? null : "--duration " + seconds + " (expected: seconds > 0"
                + (network ? ")" : ", or -1 for no limit: the whole of the file)");
    }

    /** A wait as a message says it: {@code 10 s}, {@code 0.5 s}. */
    static String seconds(long nanos) {
        double s = Math.round(nanos / 1e8) / 10.0;
        return (s == Math.rint(s) ? Long.toString((long) s) : Double.toString(s)) + " s";
    }

    /** Receives TS bytes as they are read. */
    @FunctionalInterface
    interface Sink {
        /**
         * @param arrivalNanos {@link System#nanoTime()} at arrival, or -1 for a file
         * @return false to stop reading
         */
        boolean accept(byte[] b, int offset, int length, long arrivalNanos);
    }

    /** Datagrams that were neither raw TS (188 or 204-byte packets) nor RTP-wrapped TS. */
    long ignoredDatagrams;
    /** Where each datagram's TS packets are. */
    private final TsDatagramStream datagrams = new TsDatagramStream();
    /** Sequence accounting of RTP-wrapped input. */
    final RtpUnwrapper rtp = new RtpUnwrapper();

    /** True for network inputs, which have no end of their own. */
    abstract boolean live();

    /** Reads until the end of the input, until {@code sink} says stop, or until {@code deadline} (nanoTime). */
    abstract void run(Sink sink, long deadline) throws IOException;

    @Override
    public abstract void close() throws IOException;

    /**
     * Opens a file, {@code udp://group:port} or an SRT URL. A URL is checked whole before anything is opened. An SRT
     * URL takes the one passphrase given, in it or by {@code passphrase}; one on the command line is warned about on
     * {@code err} as {@code command}'s.
     *
     * @throws MalformedInput when a URL is malformed, or asks for what these commands do not do, or the passphrase
     *     cannot be used (two given, a bad file, its length, one for an input that is not SRT): a bad command line
     * @throws IOException or IllegalArgumentException when a well-formed input cannot be opened (a file missing, a
     *     host that does not resolve, a port in use)
     */
    static TsInput open(String input, PassphraseOptions passphrase, String command, PrintWriter err)
            throws IOException {
        String lower = input.toLowerCase(java.util.Locale.ROOT);
        if (passphrase.given() && !lower.startsWith("srt://")) {
            throw new MalformedInput("--passphrase-file and --passphrase-env are for an srt:// INPUT (expected: leave"
                    + " them out for a file or udp://)");
        }
        if (lower.startsWith("udp://")) {
            InputSpec.Multicast spec;
            try {
                spec = UdpUrl.parse(input);
            } catch (IllegalArgumentException malformed) {
                throw new MalformedInput(malformed.getMessage());
            }
            return new Udp(input, spec);
        }
        if (lower.startsWith("srt://")) {
            try {
                return new SrtIn(RecvCommand.withPassphrase(command, SrtUrl.parse(input), passphrase, err::println));
            } catch (IllegalArgumentException malformed) {
                // SrtUrl names the bad part and the expected form
                throw new MalformedInput(malformed.getMessage());
            }
        }
        if (input.isBlank()) {
            // nothing was named, so nothing failed to open: a bad command line, as for send
            throw new MalformedInput("INPUT is empty (expected: a .ts file, udp://group:port or"
                    + " srt://host:port)");
        }
        Path file = Path.of(input);
        if (Files.isDirectory(file)) {
            throw new IllegalArgumentException("input '" + input + "' is a directory (expected: a .ts file, "
                    + "udp://group:port or srt://host:port)");
        }
        if (!Files.exists(file)) {
            // a path mistyped, or run from another folder: said as such, not as a thing that is no file
            throw new IllegalArgumentException("input '" + PrintableText.visible(input) + "' does not exist (check the"
                    + " path; expected: a .ts file, udp://group:port or srt://host:port)");
        }
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("input '" + input + "' is not a file (expected: a .ts file, "
                    + "udp://group:port or srt://host:port)");
        }
        return new FileIn(file);
    }

    /**
     * Hands a datagram's TS on, after taking off an RTP header if it has one (a copy of an RTP datagram already handed
     * on is left out). Its packets are found as the service's UDP input finds them ({@link TsDatagramStream}): bytes
     * around them (a gateway's trailer) are left out and counted in {@link #strayBytes()}, raw packets a sender split
     * between datagrams are joined again. Raw 204-byte packets (188 and 16 bytes of Reed-Solomon parity) are handed
     * on as they are: the analyzer finds their size itself.
     */
    final boolean datagram(Sink sink, byte[] d, int length, long arrival) {
        TsDatagramStream.Kind kind = datagrams.accept(ByteBuffer.wrap(d, 0, length), (b, start, stride, count) ->
                sink.accept(b.array(), b.arrayOffset() + start, count * stride, arrival));
        switch (kind) {
            case NONE -> ignoredDatagrams++;
            case RAW -> {
                return !datagrams.stopped();
            }
            case RTP -> {
                TsDatagram ts = datagrams.last();
                if (ts.stray() == 0) {
                    rtp.unwrap(d, 0, length, arrival);
                } else {
                    // The RTP accounting wants whole packets: the header and the packets alone, without the stray
                    // bytes and the padding after them.
                    byte[] whole = Arrays.copyOf(d, ts.start() + ts.count() * TsPacket.SIZE);
                    whole[0] &= (byte) ~0x20;
                    rtp.unwrap(whole, 0, whole.length, arrival);
                }
                // a copy of a datagram already analysed is counted as such, not as its TS packets over again
                return rtp.lastWasDuplicate() || sink.accept(d, ts.start(), ts.count() * TsPacket.SIZE, arrival);
            }
        }
        return true;
    }

    /** Bytes of the datagrams holding TS that were in no whole packet, left out ({@link TsDatagramStream}). */
    long strayBytes() {
        return datagrams.strayBytes();
    }

    /** A file, read in 64 KiB chunks. */
    private static final class FileIn extends TsInput {
        private final InputStream in;

        FileIn(Path file) throws IOException {
            this.in = Files.newInputStream(file);
        }

        @Override
        boolean live() {
            return false;
        }

        @Override
        void run(Sink sink, long deadline) throws IOException {
            byte[] buf = new byte[64 * 1024];
            int n;
            while ((n = in.readNBytes(buf, 0, buf.length)) > 0) {
                if (!sink.accept(buf, 0, n, -1)) {
                    return;
                }
            }
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    /**
     * {@code udp://[source@]group:port[?iface=NAME]}, received as the service receives a UDP input
     * ({@link UdpTsReceiver}: the same join, interface and errors), each datagram handed on whole.
     */
    private static final class Udp extends TsInput {
        private final String url;
        private final UdpTsReceiver receiver;
        private final byte[] buf = new byte[65536];
        private boolean arrived;

        Udp(String url, InputSpec.Multicast spec) throws IOException {
            this.url = url;
            this.receiver = UdpTsReceiver.open(spec);
        }

        @Override
        boolean live() {
            return true;
        }

        @Override
        void run(Sink sink, long deadline) throws IOException {
            long started = System.nanoTime();
            boolean more = true;
            while (more && System.nanoTime() < deadline) {
                long waitMillis = Math.min(200, Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
                more = receiver.pollDatagrams(waitMillis, (d, arrival) -> {
                    arrived = true;
                    int length = d.remaining();
                    d.get(buf, 0, length);
                    return datagram(sink, buf, length, arrival);
                });
            }
            // Silence is not a stream without packets: an empty report would send the engineer looking at the stream.
            if (!arrived) {
                throw new IOException("nothing arrived on " + url + " within " + seconds(deadline - started)
                        + " (listening on " + receiver.description() + "; expected: a sender of a transport stream"
                        + " to this " + (receiver.multicast() ? "group and port: check that it is running and that the"
                        + " group reaches this interface, or name the one it arrives on with ?iface=NAME"
                        : "address and port: check that it is running and sends here") + ")");
            }
        }

        @Override
        public void close() throws IOException {
            receiver.close();
        }
    }

    /**
     * An SRT URL: caller or listener, one connection; ends when the peer goes away or at the deadline. A listener that
     * no caller reached by the deadline is an input that could not be opened, and says so: an empty report would
     * blame the stream.
     */
    private static final class SrtIn extends TsInput {
        private final SrtUrl url;
        private Stream<byte[]> stream;
        /** The deadline passed and closed what was open. */
        private boolean timedOut;
        /** A connection was made: the caller connected, or the listener's caller was accepted. */
        private volatile boolean connected;

        SrtIn(SrtUrl url) {
            this.url = url;
        }

        @Override
        boolean live() {
            return true;
        }

        /**
         * Connects (a caller, or rendezvous) or waits for one caller (a listener), then receives until the peer goes.
         *
         * @throws IOException saying that no caller connected within the time given when a listener got none
         */
        @Override
        void run(Sink sink, long deadline) throws IOException {
            long started = System.nanoTime();
            ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "srt-input-deadline");
                t.setDaemon(true);
                return t;
            });
            try {
                // Closing the stream wakes a receive or an accept blocked in libsrt.
                timer.schedule(this::timeOut, Math.max(0, deadline - started), TimeUnit.NANOSECONDS);
                receive(sink, deadline);
            } finally {
                timer.shutdownNow();
            }
            // A listener's stream ends without a connection only at the deadline: no caller came, none left.
            if (url.mode() == SrtUrl.Mode.LISTENER && !connected) {
                throw new IOException("no SRT caller connected to " + url + " within "
                        + seconds(deadline - started) + " (expected: a caller sending a transport stream"
                        + " to this port, such as an encoder or srt-live-transmit; start it first, or give a longer"
                        + " --duration)");
            }
        }

        private void receive(Sink sink, long deadline) throws IOException {
            try {
                Stream<byte[]> s = Srt.datagrams(url.toStringWithPassphrase(), false, peer -> connected = true);
                synchronized (this) {
                    stream = s;
                    if (timedOut) {
                        s.close();
                    }
                }
                Iterator<byte[]> it = s.iterator();
                while (System.nanoTime() < deadline && it.hasNext()) {
                    byte[] d = it.next();
                    if (!datagram(sink, d, d.length, System.nanoTime())) {
                        return;
                    }
                }
            } catch (UncheckedIOException e) {
                if (System.nanoTime() < deadline) {
                    throw e.getCause();
                }
            }
        }

        private synchronized void timeOut() {
            timedOut = true;
            closeQuietly();
        }

        private synchronized void closeQuietly() {
            if (stream != null) {
                stream.close();
            }
        }

        @Override
        public void close() {
            closeQuietly();
        }
    }
}
