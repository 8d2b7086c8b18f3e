package io.mcrsrt.streamer.nettest;

import io.mcrsrt.streamer.stream.StreamConfig;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs network tests: picks the server (closest, regional, manual), measures with the chosen {@link Mechanism} and
 * recommends SRT settings. This is what {@code POST /api/network-test} and {@code mcr-srt nettest} call. Thread-safe;
 * each test blocks its caller for its duration (a few seconds). The SRT probe runs on a platform thread of its own,
 * so calling from a virtual thread is fine.
 */
public final class NetworkTester {

    private static final Logger log = LoggerFactory.getLogger(NetworkTester.class);
    private static final DateTimeFormatter TEST_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT);
    /**
     * Below this share of the test stream reaching the listener, the path could not carry the test rate: with the
     * probe's 100 % overhead, SRT repairs even 10 % random loss on a 100 ms path in time.
     */
    private static final double MIN_DELIVERED_PERCENT = 95;
    /** iperf3 loss from which it may be a bottleneck's rather than the path's ({@link #bottleneckNote}). */
    static final double BOTTLENECK_NOTE_LOSS_PERCENT = 5;
    /** Servers pinged at once when looking for the closest. */
    private static final int PARALLEL_PINGS = 8;

    private final ServerCatalog catalog;
    private final Mechanism defaultMechanism;

    public NetworkTester(ServerCatalog catalog, Mechanism defaultMechanism) {
        this.catalog = catalog;
        this.defaultMechanism = defaultMechanism;
    }

    public Mechanism defaultMechanism() {
        return defaultMechanism;
    }

    public ServerCatalog catalog() {
        return catalog;
    }

    /**
     * Runs the test a request asks for.
     *
     * @throws InvalidNetworkTestException listing every bad field; a test that runs but fails is a result with
     *     {@code error} set instead
     */
    public NetworkTestResult run(NetworkTestRequest request) {
        NetworkTestRequest r = request.withDefaults(defaultMechanism);
        Map<String, String> errors = r.validate();
        if (!errors.isEmpty()) {
            throw new InvalidNetworkTestException(errors);
        }
        Mechanism m = Mechanism.of(r.mechanism());
        boolean udp = "udp".equals(r.manualProtocol());
        if ("manual".equals(r.mode())) {
            return measure(new Target(r.manualHost(), r.manualPort(), "manual"), m, udp, r.bitsPerSecond(),
                    r.duration(), null);
        }
        List<IperfServer> candidates = "regional".equals(r.mode()) ? catalog.inRegion(r.region()) : catalog.usable();
        if (candidates.isEmpty()) {
            String why = catalog.problem() != null ? catalog.problem()
                    : "regional".equals(r.mode()) ? "No iperf3 server in region '" + r.region()
                            + "' answers; choose another region or a manual host."
                    : "The iperf3 server list is empty; add servers or test a host of your own in manual mode.";
            return NetworkTestResult.failed(null, null, m, now(), why);
        }
        Target closest = closest(candidates);
        if (closest == null) {
            return NetworkTestResult.failed(null, null, m, now(), "None of the " + candidates.size()
                    + " iperf3 servers answered ping; ICMP may be blocked here. Test a host of your own in manual"
                    + " mode.");
        }
        return measure(closest, m, udp, r.bitsPerSecond(), r.duration(), null);
    }

    /** A host to test and how to name it in the result. */
    public record Target(String host, int port, String location) {
        /** HOST:PORT, an IPv6 address in brackets ([::1]:5201), as it is written in a URL. */
        String label() {
            return StreamConfig.hostPort(host, port);
        }
    }

    /**
     * Measures one target and recommends settings; failures come back as a result with {@code error} set.
     *
     * @param udp for iperf: UDP (loss, jitter, bandwidth) or TCP (bandwidth only)
     * @param passphrase for the srt mechanism, the listener's passphrase, or null
     */
    public NetworkTestResult measure(Target t, Mechanism m, boolean udp, long bitsPerSecond, int seconds,
            String passphrase) {
        String time = now();
        double mbps = bitsPerSecond / 1e6;
        try {
            // Every mechanism: the host reaches a program's command line or a name lookup, and the request's
            // validation may have been skipped (the command line calls this directly).
            ExternalProgram.checkHost(t.host());
            resolvable(t.host());
            return switch (m) {
                case PING_ONLY -> pingOnly(t, mbps, time);
                case IPERF -> iperf(t, udp, bitsPerSecond, seconds, time);
                case SRT -> srt(t, bitsPerSecond, seconds, passphrase, time);
            };
        } catch (NetworkTestException e) {
            log.info("Network test of {} by {} failed: {}", t.label(), m.wireName(), e.getMessage());
            return NetworkTestResult.failed(t.label(), t.location(), m, time, e.getMessage());
        }
    }

    /**
     * A host name that does not resolve is said to be so at once, for every mechanism: ping and iperf3 would each fail
     * on it with a message of their own, and the first would read as a host that does not answer ping.
     */
    private static void resolvable(String host) throws NetworkTestException {
        try {
            java.net.InetAddress.getAllByName(host);
        } catch (java.net.UnknownHostException e) {
            throw new NetworkTestException("Host name \"" + host + "\" could not be resolved: check the spelling, or use"
                    + " an IP address.", e);
        }
    }

    private NetworkTestResult pingOnly(Target t, double mbps, String time) throws NetworkTestException {
        PingResult p = PingProbe.ping(t.host());
        if (p.rttMs().isEmpty()) {
            throw new NetworkTestException("No reply to ping from " + t.host() + " (" + num(p.lossPercent())
                    + " % loss). ICMP may be blocked on the path: use the srt mechanism against the SRT listener.");
        }
        Recommendation rec = recommendAsShown(p.rttMs().getAsDouble(), p.lossPercent(), mbps);
        return result(t, Mechanism.PING_ONLY, time, p.rttMs().getAsDouble(), p.lossPercent(),
                p.jitterMs().orElse(0), null, null, rec, List.of(), null);
    }

    private NetworkTestResult iperf(Target t, boolean udp, long bps, int seconds, String time)
            throws NetworkTestException {
        List<String> notes = new ArrayList<>();
        PingResult ping = null;
        try {
            ping = PingProbe.ping(t.host());
        } catch (NetworkTestException e) {
            notes.add("Ping failed (" + e.getMessage() + ").");
        }
        IperfResult ip = null;
        try {
            ip = IperfProbe.run(t.host(), t.port(), udp, bps, seconds);
        } catch (NetworkTestException e) {
            notes.add("iperf3 gave no result, bandwidth not measured: " + e.getMessage());
        }
        if (ping == null || ping.rttMs().isEmpty()) {
            throw new NetworkTestException("The RTT of " + t.host() + " could not be measured: it does not answer"
                    + " ping. Use the srt mechanism against the SRT listener, which measures RTT itself."
                    + (notes.isEmpty() ? "" : " " + String.join(" ", notes)));
        }
        double rtt = ping.rttMs().getAsDouble();
        OptionalDouble worst = OptionalDouble.of(ping.lossPercent());
        double jitter = ping.jitterMs().orElse(0);
        if (ip != null && ip.lossPercent().isPresent()) {
            worst = OptionalDouble.of(Math.max(ping.lossPercent(), ip.lossPercent().getAsDouble()));
            jitter = ip.jitterMs().orElse(jitter);
            bottleneckNote(ip, ping, bps).ifPresent(notes::add);
        } else if (ping.transmitted() < 10) {
            notes.add("Loss comes from " + ping.transmitted() + " pings only; run a UDP test for a finer figure.");
        }
        Recommendation rec = recommendAsShown(rtt, worst.getAsDouble(), bps / 1e6);
        return result(t, Mechanism.IPERF, time, rtt, worst.getAsDouble(), jitter,
                ip == null ? null : ip.bandwidthMbps(), ip == null ? null : ip.udp() ? "udp" : "tcp", rec, notes,
                null);
    }

    /**
     * iperf3 sends at the test bitrate whatever the path carries, so a path slower than that drops the excess in its
     * bottleneck queue and the drop reads as loss (a 5 Mbit/s path under a 10 Mbit/s test: 50.7 % loss, "unsuitable"),
     * which no SRT setting repairs and a lower bitrate avoids. Measured loss this high is said to be possibly that, with
     * the test that tells the two apart.
     */
    static java.util.Optional<String> bottleneckNote(IperfResult ip, PingResult ping, long bps) {
        double loss = ip.lossPercent().orElse(0);
        if (loss < BOTTLENECK_NOTE_LOSS_PERCENT) {
            return java.util.Optional.empty();
        }
        double arrived = ip.bandwidthMbps();
        return java.util.Optional.of(String.format(Locale.ROOT, "iperf3 lost %s %% of its %s Mbit/s (%s Mbit/s"
                + " arrived) while ping lost %s %% of %d: a path slower than the test bitrate drops the excess in its"
                + " bottleneck queue, and that reads as loss. Test again at a bitrate below what arrived (e.g. %s):"
                + " loss that stays is the path's; loss that goes was its capacity, and the stream's bitrate with"
                + " its overhead must then fit in it.", num(loss), num(bps / 1e6), num(arrived),
                num(ping.lossPercent()), ping.transmitted(), Bitrate.format((long) (arrived * 1e6 * 0.8))));
    }

    private NetworkTestResult srt(Target t, long bps, int seconds, String passphrase, String time)
            throws NetworkTestException {
        CompletableFuture<SrtProbeResult> f = new CompletableFuture<>();
        Thread.ofPlatform().name("nettest-srt-probe-" + t.label()).daemon().start(() -> {
            try {
                f.complete(SrtProbe.run(t.host(), t.port(), bps, seconds, passphrase));
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        });
        SrtProbeResult p;
        try {
            p = f.get(seconds + 30L, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NetworkTestException("The SRT probe was interrupted.", e);
        } catch (TimeoutException e) {
            throw new NetworkTestException("The SRT probe to " + t.label() + " did not finish in time.", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof NetworkTestException n) {
                throw n;
            }
            if (e.getCause() instanceof IllegalArgumentException bad) {
                // A setting libsrt refuses: the message says which.
                throw new NetworkTestException("The SRT probe to " + t.label() + " failed: " + bad.getMessage()
                        + ".", e);
            }
            throw new NetworkTestException("The SRT probe to " + t.label() + " failed: " + e.getCause(), e);
        }
        List<String> notes = new ArrayList<>();
        if (!p.lossFromReceiver()) {
            notes.add("The listener did not report its own loss count (it is not an mcr-srt probe responder), so loss"
                    + " is the sender's count of loss reports, which repeats losses still being repaired and reads"
                    + " high on long paths.");
        }
        // The worse direction counts: a lost loss report or acknowledgement delays the repair as a lost packet does.
        double loss = p.lossPercent();
        if (p.returnLossPercent() != null && p.returnLossPercent() > loss) {
            notes.add(String.format(Locale.ROOT, "The return path lost more (%s %%) than the way out (%s %%): SRT's"
                    + " acknowledgements and loss reports travel on it, so the recommendation uses the return path's"
                    + " loss.", num(p.returnLossPercent()), num(loss)));
            loss = p.returnLossPercent();
        }
        Recommendation rec = recommendAsShown(p.rttMs(), loss, bps / 1e6);
        if (p.deliveredPercent() != null && p.deliveredPercent() < MIN_DELIVERED_PERCENT) {
            // The loss and RTT of a path run over its capacity are its queue's, not the path's: say what got through.
            notes.add(String.format(Locale.ROOT, "Only %s of the %s Mbit/s test stream reached the listener (%s %%),"
                    + " although SRT could resend at up to twice the stream's rate: the path cannot carry this"
                    + " bitrate with SRT's repairs. Either it is slower than that (a full bottleneck queue then adds"
                    + " to the RTT and drops packets, so the loss and RTT above are an overloaded path's) or it loses"
                    + " more than SRT can repair. The stream needs %s Mbit/s of capacity; test again at a lower"
                    + " bitrate to find what the path carries, or give it more capacity.",
                    num(bps / 1e6 * p.deliveredPercent() / 100), num(bps / 1e6), num(p.deliveredPercent()),
                    num(rec.requiredCapacityMbps())));
        } else if (p.bandwidthMbps() > 0 && p.bandwidthMbps() < rec.requiredCapacityMbps()) {
            notes.add(String.format(Locale.ROOT, "libsrt estimates the path's bottleneck at %s Mbit/s, below the %s"
                    + " Mbit/s the stream needs with %d %% overhead: the test stream got through, but repairs of lost"
                    + " packets will queue behind it or be lost. Give the path more capacity, or send a lower"
                    + " bitrate.", num(p.bandwidthMbps()), num(rec.requiredCapacityMbps()), rec.overheadPercent()));
        }
        return result(t, Mechanism.SRT, time, p.rttMs(), loss, p.jitterMs(), p.bandwidthMbps(), "srt",
                rec, notes, p.retransmitPercent(), p.returnLossPercent());
    }

    /**
     * The recommendation for the RTT and loss as the result shows them (two decimals): a loss of 1.004 % is shown as
     * 1 %, and an explanation reading "loss 1 % <= 3 %" beside an RTT multiplier of 4 would contradict the table.
     */
    static Recommendation recommendAsShown(double rttMs, double lossPercent, double bitrateMbps) {
        return Recommender.recommend(round(rttMs), OptionalDouble.of(round(lossPercent)), bitrateMbps);
    }

    private static NetworkTestResult result(Target t, Mechanism m, String time, double rtt, double loss,
            double jitter, Double bandwidth, String bandwidthType, Recommendation rec, List<String> notes,
            Double retransmit) {
        return result(t, m, time, rtt, loss, jitter, bandwidth, bandwidthType, rec, notes, retransmit, null);
    }

    private static NetworkTestResult result(Target t, Mechanism m, String time, double rtt, double loss,
            double jitter, Double bandwidth, String bandwidthType, Recommendation rec, List<String> notes,
            Double retransmit, Double returnLoss) {
        List<String> warnings = new ArrayList<>(rec.warnings());
        warnings.addAll(notes);
        return new NetworkTestResult(t.label(), t.location(), round(rtt), round(loss), round(jitter),
                bandwidth == null ? null : round(bandwidth), bandwidthType, rec.latencyMs(), rec.overheadPercent(),
                rec.rttMultiplier(), time, null, rec.explanation(), warnings, m.wireName(), rec.lossMeasured(),
                retransmit == null ? null : round(retransmit), returnLoss == null ? null : round(returnLoss));
    }

    /** Pings every candidate, {@value #PARALLEL_PINGS} at a time, and returns the one with the lowest RTT. */
    private Target closest(List<IperfServer> candidates) {
        Semaphore slots = new Semaphore(PARALLEL_PINGS);
        Map<IperfServer, Double> rtts = new ConcurrentHashMap<>();
        List<Thread> threads = new ArrayList<>();
        for (IperfServer s : candidates) {
            threads.add(Thread.ofVirtual().name("nettest-closest-ping").start(() -> {
                try {
                    slots.acquire();
                    try {
                        PingResult p = PingProbe.ping(s.host());
                        p.rttMs().ifPresent(rtt -> rtts.put(s, rtt));
                    } finally {
                        slots.release();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (NetworkTestException e) {
                    log.debug("{} does not answer ping: {}", s.host(), e.getMessage());
                }
            }));
        }
        for (Thread th : threads) {
            try {
                th.join(TimeUnit.SECONDS.toMillis(60));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return rtts.entrySet().stream().min(Comparator.comparingDouble(Map.Entry::getValue))
                .map(e -> new Target(e.getKey().host(), e.getKey().port(), e.getKey().location()))
                .orElse(null);
    }

    private static String now() {
        return ZonedDateTime.now(ZoneOffset.UTC).format(TEST_TIME);
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }

    private static String num(double v) {
        return Recommender.num(v);
    }
}
