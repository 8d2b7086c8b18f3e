package io.mcrsrt.streamer.cli;

import io.mcrsrt.srt.Srt;
import io.mcrsrt.srt.SrtUrl;
import io.mcrsrt.ts.rtp.Rtp;
import io.mcrsrt.ts.rtp.RtpUnwrapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.MulticastSocket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
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
    /** Sequence accounting of RTP-wrapped input. */
    final RtpUnwrapper rtp = new RtpUnwrapper();

    /** True for network inputs, which have no end of their own. */
    abstract boolean live();

    /** Reads until the end of the input, until {@code sink} says stop, or until {@code deadline} (nanoTime). */
    abstract void run(Sink sink, long deadline) throws IOException;

    @Override
    public abstract void close() throws IOException;

    /**
     * Opens a file, {@code udp://group:port} or an SRT URL. A URL is checked whole before anything is opened.
     *
     * @throws MalformedInput when a URL is malformed, or asks for what these commands do not do: a bad command line
     * @throws IOException or IllegalArgumentException when a well-formed input cannot be opened (a file missing, a
     *     host that does not resolve, a port in use)
     */
    static TsInput open(String input) throws IOException {
        String lower = input.toLowerCase(java.util.Locale.ROOT);
        if (lower.startsWith("udp://")) {
            return new Udp(UdpAddress.parse(input));
        }
        if (lower.startsWith("srt://")) {
            try {
                return new SrtIn(SrtUrl.parse(input));
            } catch (IllegalArgumentException malformed) {
                // SrtUrl names the bad part and the expected form
                throw new MalformedInput(malformed.getMessage());
            }
        }
        if (input.isBlank()) {
            throw new IllegalArgumentException("INPUT is empty (expected: a .ts file, udp://group:port or"
                    + " srt://host:port)");
        }
        Path file = Path.of(input);
        if (Files.isDirectory(file)) {
            throw new IllegalArgumentException("input '" + input + "' is a directory (expected: a .ts file, "
                    + "udp://group:port or srt://host:port)");
        }
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("input '" + input + "' is not a file (expected: a .ts file, "
                    + "udp://group:port or srt://host:port)");
        }
        return new FileIn(file);
    }

    /**
     * Hands a datagram's TS on, after taking off an RTP header if it has one. Raw 204-byte packets (188 and 16 bytes of
     * Reed-Solomon parity) are handed on as they are: the analyzer finds their size itself.
     */
    final boolean datagram(Sink sink, byte[] d, int length, long arrival) {
        switch (Rtp.detect(d, 0, length)) {
            case RAW_TS -> {
                return sink.accept(d, 0, length, arrival);
            }
            case RTP_TS -> {
                int at = rtp.unwrap(d, 0, length, arrival);
                return sink.accept(d, at, rtp.lastPayloadLength(), arrival);
            }
            default -> {
                ignoredDatagrams++;
                return true;
            }
        }
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

    /** udp://group:port, joining the group on the default interface when it is multicast. */
    private static final class Udp extends TsInput {
        private final MulticastSocket socket;

        Udp(UdpAddress address) throws IOException {
            InetAddress group = address.host().isEmpty() ? null : InetAddress.getByName(address.host());
            int port = address.port();
            MulticastSocket s = new MulticastSocket(null);
            try {
                s.setReuseAddress(true);
                s.setReceiveBufferSize(8 * 1024 * 1024);
                if (group != null && group.isMulticastAddress()) {
                    s.bind(new InetSocketAddress(port));
                    s.joinGroup(new InetSocketAddress(group, port), null);
                } else {
                    s.bind(group == null ? new InetSocketAddress(port) : new InetSocketAddress(group, port));
                }
                s.setSoTimeout(200);
            } catch (IOException | RuntimeException e) {
                s.close();
                throw e;
            }
            this.socket = s;
        }

        @Override
        boolean live() {
            return true;
        }

        @Override
        void run(Sink sink, long deadline) throws IOException {
            byte[] buf = new byte[65536];
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            while (System.nanoTime() < deadline) {
                try {
                    p.setLength(buf.length);
                    socket.receive(p);
                } catch (SocketTimeoutException e) {
                    continue;
                }
                if (!datagram(sink, buf, p.getLength(), System.nanoTime())) {
                    return;
                }
            }
        }

        @Override
        public void close() {
            socket.close();
        }
    }

    /**
     * {@code udp://group:port} as these commands take it: the group, or a unicast address of this machine (an IPv6 one
     * in brackets), empty for every address; an {@code @} before the group is allowed, as ffmpeg writes it.
     *
     * @param host the group or address as written, IPv6 without brackets; empty for every address
     */
    record UdpAddress(String host, int port) {
        private static final String FORM = "udp://group:port, for example udp://239.1.1.1:5004, udp://[ff0e::1]:5004,"
                + " or udp://:5004 for unicast on every address";
        private static final java.util.regex.Pattern HOST = java.util.regex.Pattern.compile("[A-Za-z0-9._-]+");
        private static final java.util.regex.Pattern IPV6 = java.util.regex.Pattern.compile("[0-9A-Fa-f:.]+(%[\\w.-]+)?");

        /**
         * @throws MalformedInput naming the URL, what is wrong with it and the expected form
         */
        static UdpAddress parse(String url) {
            String rest = url.substring("udp://".length());
            int q = rest.indexOf('?');
            if (q >= 0) {
                // the socket joins on the default route's interface and takes no options: say so, rather than
                // listen on another interface than the one asked for and report an empty stream
                throw new MalformedInput("UDP input '" + url + "' has options (?" + rest.substring(q + 1) + "),"
                        + " which are not available here: the group is joined on the default route's interface"
                        + " (expected: udp://group:port)");
            }
            int at = rest.indexOf('@');
            if (at > 0) {
                throw new MalformedInput("UDP input '" + url + "' names a source before '@': a source-specific join"
                        + " is not available here (expected: udp://group:port, or udp://@group:port)");
            }
            rest = rest.substring(at + 1);
            String host;
            String port;
            if (rest.startsWith("[")) {
                int close = rest.indexOf(']');
                if (close < 0 || !rest.startsWith(":", close + 1)) {
                    throw malformed(url, "has an IPv6 address without ]:PORT after it");
                }
                host = rest.substring(1, close);
                port = rest.substring(close + 2);
                if (!IPV6.matcher(host).matches()) {
                    throw malformed(url, "has '" + host + "' in brackets, which is not an IPv6 address");
                }
            } else {
                int colon = rest.lastIndexOf(':');
                if (colon < 0) {
                    throw malformed(url, rest.isEmpty() ? "has no group and no port" : "has no port");
                }
                if (rest.indexOf(':') != colon) {
                    throw malformed(url, "has an IPv6 address without brackets");
                }
                host = rest.substring(0, colon);
                port = rest.substring(colon + 1);
                if (!host.isEmpty() && !HOST.matcher(host).matches()) {
                    throw malformed(url, "has '" + host + "', which is not an address or a host name");
                }
            }
            return new UdpAddress(host, port(url, port));
        }

        private static int port(String url, String text) {
            if (text.isEmpty()) {
                throw malformed(url, "has no port");
            }
            int port = text.length() <= 5 && text.chars().allMatch(c -> c >= '0' && c <= '9')
                    ? Integer.parseInt(text) : -1;
            if (port < 1 || port > 65535) {
                throw malformed(url, "has the port '" + text + "', which is not 1 to 65535");
            }
            return port;
        }

        private static MalformedInput malformed(String url, String problem) {
            return new MalformedInput("UDP input '" + url + "' " + problem + " (expected: " + FORM + ")");
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
                        + Math.round((deadline - started) / 1e9) + " s (expected: a caller sending a transport stream"
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
