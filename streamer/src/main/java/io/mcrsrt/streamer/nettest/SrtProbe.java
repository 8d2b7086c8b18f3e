package io.mcrsrt.streamer.nettest;

import io.mcrsrt.srt.AddressText;
import io.mcrsrt.srt.SrtException;
import io.mcrsrt.srt.SrtOption;
import io.mcrsrt.srt.SrtSocket;
import io.mcrsrt.srt.SrtStats;
import io.mcrsrt.srt.SrtUrl;
import io.mcrsrt.streamer.stream.StreamConfig;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Measures a path with SRT itself: connects as a caller to any SRT listener (a {@link ProbeResponder}, another
 * instance of this product, or a plain {@code srt-live-transmit} listener), sends paced 1316-byte live messages at the
 * chosen bitrate for the chosen time, and reads RTT, loss, retransmissions and the available-bandwidth estimate from
 * libsrt's statistics. It measures the very port and protocol the stream will use.
 *
 * <p>Blocking: call it on a platform thread (libsrt calls pin virtual threads).
 */
public final class SrtProbe {

    /** Stream id the probe announces, so a responder (or a log) can tell a probe from a stream. */
    public static final String STREAM_ID = "mcr-srt-probe";
    /** Payload of each message: seven 188-byte TS packets, as a real stream sends. */
    static final int PAYLOAD = 1316;
    /**
     * The probe measures loss, not latency misses, so this only delays the responder's reports (delivered at
     * send time + latency).
     */
    static final int PROBE_LATENCY_MS = 250;
    /** What a {@link ProbeResponder} sends back 250 times a second, for the return path's loss. */
    static final byte[] RETURN_MESSAGE = "MCRSRT-PROBE-RETURN".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    /** Return messages needed before the return path's loss is reported: under a second of them is too few. */
    private static final long MIN_RETURN_MESSAGES = 200;
    /** How long to wait for the responder's final report after the last message left. */
    private static final long REPORT_WAIT_NANOS = TimeUnit.SECONDS.toNanos(3);
    private static final long SAMPLE_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    /**
     * Messages are handed to libsrt every 10 ms, as the engine hands on a stream's. libsrt estimates the bandwidth
     * from every 16th packet and the next, sent back to back when the next is already waiting; handed over every
     * 2 ms, it seldom was, and the estimate read about the probe's own rate whatever the path (5 Mbit/s through a
     * 20 Mbit/s bottleneck, 5.4 Mbit/s on loopback).
     */
    private static final long BATCH_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    /** The slowest probe: slower ones send too few packets in a few seconds for a loss figure. */
    public static final long MIN_BITS_PER_SECOND = 100_000;
    /** The fastest probe. */
    public static final long MAX_BITS_PER_SECOND = 1_000_000_000;

    private SrtProbe() {
    }

    /**
     * Runs one probe to a host given by name or address, as a stream's caller dials it: each address of a name is
     * dialled in turn, with a socket of its own, until one connects (a name with an IPv4 and an IPv6 address reaches
     * a listener on either, IPv4 first as the JDK orders them). Only an address that did not answer
     * ({@link SrtException#NO_SERVER}) moves on to the next; a refusal (a wrong passphrase, a full listener) is the
     * listener's answer and ends the probe. When none answers, the failure names each address and what it said.
     *
     * @param host a host name or IP address, an IPv6 address with or without brackets
     * @param port the listener's port
     * @param bitsPerSecond payload rate, 100 kbit/s .. 1 Gbit/s
     * @param seconds how long to send, 1..60
     * @param passphrase the listener's passphrase, or null for none
     */
    public static SrtProbeResult run(String host, int port, long bitsPerSecond, int seconds, String passphrase)
            throws NetworkTestException {
        checkRanges(bitsPerSecond, seconds);
        try {
            InetAddress.getAllByName(host); // an address is taken as it is, without a lookup
        } catch (UnknownHostException e) {
            throw new NetworkTestException("Host name \"" + host + "\" could not be resolved: check the spelling,"
                    + " or use an IP address.", e);
        }
        return run(StreamConfig.hostPort(host, port), bitsPerSecond, seconds, passphrase);
    }

    /**
     * Runs one probe to exactly this address.
     *
     * @param target the SRT listener to call
     * @param bitsPerSecond payload rate, 100 kbit/s .. 1 Gbit/s
     * @param seconds how long to send, 1..60
     * @param passphrase the listener's passphrase, or null for none
     */
    public static SrtProbeResult run(InetSocketAddress target, long bitsPerSecond, int seconds, String passphrase)
            throws NetworkTestException {
        checkRanges(bitsPerSecond, seconds);
        return run(AddressText.of(target), bitsPerSecond, seconds, passphrase);
    }

    private static void checkRanges(long bitsPerSecond, int seconds) throws NetworkTestException {
        if (bitsPerSecond < MIN_BITS_PER_SECOND || bitsPerSecond > MAX_BITS_PER_SECOND) {
            throw new NetworkTestException("probe bitrate " + bitsPerSecond + " bit/s is out of range (expected: 100k"
                    + " to 1000M; use the stream's own bitrate, e.g. 10M).");
        }
        if (seconds < 1 || seconds > 60) {
            throw new NetworkTestException("test duration " + seconds + " s is out of range (expected: 1 to 60 s).");
        }
    }

    /**
     * Probes through a caller to {@code hostPort} ({@code HOST:PORT}, an IPv6 host in brackets), dialled as the SRT
     * library's {@link SrtUrl#open()} dials a caller: each address of a name in turn (see
     * {@link #run(String, int, long, int, String)}).
     */
    private static SrtProbeResult run(String hostPort, long bitsPerSecond, int seconds, String passphrase)
            throws NetworkTestException {
        SrtUrl url;
        try {
            url = SrtUrl.parse("srt://" + hostPort)
                    .with("latency", String.valueOf(PROBE_LATENCY_MS))
                    .with("streamid", STREAM_ID)
                    .with("conntimeo", "5000")
                    .with("inputbw", String.valueOf(bitsPerSecond / 8))
                    .with("oheadbw", "100");
            if (passphrase != null && !passphrase.isEmpty()) {
                url = url.with("passphrase", passphrase);
            }
        } catch (IllegalArgumentException e) {
            throw new NetworkTestException("SRT probe to " + hostPort + ": " + e.getMessage(), e);
        }
        try (SrtSocket s = connect(url, hostPort)) {
            return sendAndMeasure(s, bitsPerSecond, seconds);
        } catch (SrtException e) {
            throw new NetworkTestException("SRT probe to " + hostPort + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * The caller {@code url} connected; a failure said with each address that did not answer (the library throws the
     * last one's, the others' suppressed in it).
     */
    private static SrtSocket connect(SrtUrl url, String hostPort) throws NetworkTestException {
        try {
            return url.open();
        } catch (SrtException e) {
            Throwable[] others = e.getSuppressed();
            // each message names its address: "connecting to 127.0.0.1:9000: ..."
            String why = e.code() == SrtException.NO_SERVER && others.length > 0
                    ? "none of its " + (others.length + 1) + " addresses answered: " + Stream
                            .concat(Arrays.stream(others), Stream.of(e)).map(Throwable::getMessage)
                            .collect(Collectors.joining("; "))
                    : e.getMessage();
            throw new NetworkTestException("SRT connection to " + hostPort + " failed: " + why
                    + ". Check that an SRT listener runs there (mcr-srt nettest"
                    + " --serve-probe PORT, or srt-live-transmit 'srt://:PORT?mode=listener'"
                    + " udp://127.0.0.1:PORT2) and that UDP to that port is open.", e);
        }
    }

    private static SrtProbeResult sendAndMeasure(SrtSocket s, long bitsPerSecond, int seconds) throws SrtException {
        byte[] message = new byte[PAYLOAD];
        for (int i = 0; i < PAYLOAD; i += 188) {
            message[i] = 0x47;
            message[i + 1] = 0x1f; // null packets (PID 0x1FFF): harmless if the listener forwards them to a decoder
            message[i + 2] = (byte) 0xff;
            message[i + 3] = 0x10;
        }
        double messagesPerNano = bitsPerSecond / (PAYLOAD * 8.0) / 1e9;
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(seconds);
        long sent = 0;
        long nextSample = start + TimeUnit.SECONDS.toNanos(1);
        List<Double> rtts = new ArrayList<>();
        long now;
        while ((now = System.nanoTime()) < end) {
            long due = (long) ((now - start) * messagesPerNano) + 1;
            while (sent < due) {
                s.send(message, 0, PAYLOAD);
                sent++;
            }
            if (now >= nextSample) {
                rtts.add(s.stats().msRTT());
                nextSample += SAMPLE_NANOS;
            }
            LockSupport.parkNanos(BATCH_NANOS);
        }
        long sentUnique = s.stats().pktSentUniqueTotal();
        Optional<ProbeReport> report = awaitReport(s, sentUnique);
        SrtStats st = s.stats();
        if (rtts.isEmpty()) {
            rtts.add(st.msRTT());
        }
        double mean = rtts.stream().mapToDouble(Double::doubleValue).average().orElse(st.msRTT());
        double dev = rtts.stream().mapToDouble(r -> Math.abs(r - mean)).average().orElse(0);
        long unique = Math.max(1, st.pktSentUniqueTotal());
        long lost = report.map(ProbeReport::lost).orElse((long) st.pktSndLossTotal());
        double elapsed = Math.max(1e-3, (System.nanoTime() - start) / 1e9);
        // Return messages (and reports) whose first sending never reached this side; overtaken ones are not lost.
        long returned = st.pktRecvUniqueTotal() + st.pktRcvDropTotal();
        Double returnLoss = report.isPresent() && returned >= MIN_RETURN_MESSAGES
                ? 100.0 * ProbeReport.lostOnTheWay(st) / returned : null;
        return new SrtProbeResult(
                mean,
                dev,
                100.0 * lost / unique,
                report.isPresent(),
                100.0 * st.pktRetransTotal() / unique,
                st.mbpsBandwidth(),
                st.byteSentTotal() * 8 / elapsed / 1e6,
                st.pktSentUniqueTotal(),
                lost,
                st.pktRetransTotal(),
                st.negotiatedLatencyMs(),
                returnLoss,
                report.map(r -> Math.min(100.0, 100.0 * r.receivedUnique() / unique)).orElse(null));
    }

    /**
     * Reads the responder's reports until one accounts for every packet sent, or the wait runs out. A plain SRT
     * listener sends none: then the result is empty and the sender's own count is used.
     */
    private static Optional<ProbeReport> awaitReport(SrtSocket s, long sentUnique) throws SrtException {
        s.set(SrtOption.RCVTIMEO, 100);
        byte[] buf = new byte[1500];
        Optional<ProbeReport> latest = Optional.empty();
        long deadline = System.nanoTime() + REPORT_WAIT_NANOS;
        while (System.nanoTime() < deadline) {
            int n = s.receive(buf, 0, buf.length);
            if (n <= 0) {
                continue;
            }
            Optional<ProbeReport> r = ProbeReport.decode(buf, n);
            if (r.isPresent()) {
                latest = r;
                if (r.get().receivedUnique() + r.get().dropped() >= sentUnique) {
                    break;
                }
            }
        }
        return latest;
    }

}
