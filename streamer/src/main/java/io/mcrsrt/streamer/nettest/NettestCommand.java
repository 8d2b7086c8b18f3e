package io.mcrsrt.streamer.nettest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.mcrsrt.srt.AddressText;
import io.mcrsrt.srt.SrtException;
import io.mcrsrt.streamer.cli.PassphraseOptions;
import io.mcrsrt.streamer.cli.StopSignals;
import io.mcrsrt.streamer.engine.output.ListenerAddress;
import io.mcrsrt.streamer.system.LocalAddresses;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mcr-srt nettest}: measures a path and recommends SRT latency and overhead; or answers SRT probes. */
@Command(
        name = "nettest",
        mixinStandardHelpOptions = true,
        description = {
            "Measures the path to HOST and recommends SRT latency and overhead (Haivision SRT Deployment Guide rule:"
                    + " latency = RTT multiplier x max(RTT, 20 ms), multiplier and overhead from the loss).",
            "Mechanisms: ping (ICMP), iperf (iperf3 UDP, or TCP with --tcp, to an iperf3 -s on --port; RTT from ping),"
                    + " srt (a short SRT stream to the SRT listener on --port).",
            "Examples:",
            "  mcr-srt nettest 192.0.2.10 --mechanism srt --port 9000 --bitrate 10M --duration 5",
            "  mcr-srt nettest --serve-probe 9000      (on the far end: answer srt probes)",
            "Exit status: 0 when the test ran (--serve-probe: when stopped by Ctrl-C or SIGTERM), 1 when it could"
                    + " not (the reason is printed), 2 for a bad command line, 3 when the iperf mechanism got no result"
                    + " from iperf3 (no iperf3 server at HOST:--port; what is printed rests on ping alone)."
        })
public final class NettestCommand implements Callable<Integer> {

    /** Exit status when the iperf mechanism ran but iperf3 gave no result. */
    static final int EXIT_NO_IPERF_RESULT = 3;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "HOST", description = "Host name or IP address to test.")
    String host;

    @Option(names = "--port", paramLabel = "P",
            description = "iperf3 server port (default 5201) or SRT listener port (required for srt).")
    Integer port;

    @Option(names = "--mechanism", paramLabel = "M", defaultValue = "ping",
            description = "ping, iperf or srt; also written ping_only and iperf3, as in the API"
                    + " (default: ${DEFAULT-VALUE}).")
    String mechanism;

    @Option(names = "--duration", paramLabel = "S", defaultValue = "5",
            description = "Test length in seconds for iperf and srt, 1-60 (default: ${DEFAULT-VALUE}).")
    int duration;

    @Option(names = "--bitrate", paramLabel = "RATE", defaultValue = "10M",
            description = "The stream's bitrate: test rate for iperf UDP and srt, and the capacity figure"
                    + " (default: ${DEFAULT-VALUE}; e.g. 8M, 2.5M, 500k).")
    String bitrate;

    @Option(names = "--tcp", description = "iperf over TCP: bandwidth only, loss from ping.")
    boolean tcp;

    @Option(names = "--passphrase", paramLabel = "TEXT",
            description = "Passphrase of the SRT listener (srt), or required of probes (--serve-probe); 10 to 79"
                    + " bytes in UTF-8. Every user of this machine can read it in the process list: prefer"
                    + " --passphrase-file or --passphrase-env.")
    String passphrase;

    @CommandLine.Mixin
    PassphraseOptions passphraseOptions = new PassphraseOptions();

    @Option(names = "--json", description = "Print the result as JSON, with the API's field names.")
    boolean json;

    @Option(names = "--serve-probe", paramLabel = "PORT",
            description = "Instead of testing, answer srt probes on this UDP port until interrupted.")
    Integer serveProbe;

    @Option(names = "--bind", paramLabel = "ADDRESS", defaultValue = "",
            description = "Address --serve-probe listens on (default: every address, IPv4 and IPv6; 0.0.0.0 for"
                    + " IPv4 only).")
    String bind;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        String pass = passphrase();
        if (serveProbe != null) {
            return serve(out, pass);
        }
        if (host == null) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "Give the HOST to test, or --serve-probe PORT to answer probes.");
        }
        String hostProblem = ExternalProgram.hostProblem(host);
        if (hostProblem != null) {
            throw new CommandLine.ParameterException(spec.commandLine(), hostProblem);
        }
        if (duration < 1 || duration > 60) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--duration " + duration + " is out of range (expected: 1 to 60 seconds).");
        }
        Mechanism m;
        long bps;
        try {
            m = Mechanism.of(mechanism);
        } catch (IllegalArgumentException e) {
            // in the command line's words: Mechanism.of speaks the API's (ping_only)
            throw new CommandLine.ParameterException(spec.commandLine(), "--mechanism '" + mechanism
                    + "' is not a mechanism (expected: ping, iperf or srt; ping_only and iperf3 are accepted too).");
        }
        try {
            bps = Bitrate.parse(bitrate);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        if (m == Mechanism.SRT && (bps < SrtProbe.MIN_BITS_PER_SECOND || bps > SrtProbe.MAX_BITS_PER_SECOND)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--bitrate " + bitrate
                    + " is out of range for the srt mechanism (expected: 100k to 1000M; the stream's own bitrate,"
                    + " e.g. 10M).");
        }
        if (m == Mechanism.SRT && port == null) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "The srt mechanism needs --port: the SRT listener's port.");
        }
        int p = port == null ? IperfServer.DEFAULT_PORT : port;
        if (p < 1 || p > 65535) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--port " + p + " is not a port (expected: 1 to 65535).");
        }
        NetworkTester tester = new NetworkTester(ServerCatalog.of(java.util.List.of()), m);
        NetworkTestResult r = tester.measure(new NetworkTester.Target(host, p, "manual"), m, !tcp, bps, duration,
                pass);
        if (json) {
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(r));
        } else {
            // a ping goes to a host, not a port; the others name HOST:PORT ([::1]:5201)
            boolean ping = m == Mechanism.PING_ONLY;
            print(out, r, ping ? host : r.server(), ping ? "ping" : r.mechanism());
        }
        out.flush();
        if (r.error() != null) {
            return 1;
        }
        if (r.iperfGaveNoResult()) {
            // A script must not take a ping-only figure for an iperf3 measurement.
            spec.commandLine().getErr().println(spec.qualifiedName() + ": no iperf3 result from " + r.server()
                    + ", so bandwidth and UDP loss were not measured and the recommendation rests on ping alone. Start"
                    + " an iperf3 server there (iperf3 -s -p " + p + "), open TCP and UDP port " + p + " on the path,"
                    + " or use --mechanism srt against the SRT listener.");
            return EXIT_NO_IPERF_RESULT;
        }
        return 0;
    }

    /**
     * The one passphrase given, by --passphrase (an empty one is none, as in the API), --passphrase-file or
     * --passphrase-env, with SRT's own limits on it (in bytes) checked before any socket is made; null for none.
     */
    private String passphrase() {
        PassphraseOptions.Given given;
        try {
            given = passphraseOptions.resolve(java.util.Collections.singletonMap("--passphrase",
                    passphrase == null || passphrase.isEmpty() ? null : passphrase));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        if (given == null) {
            return null;
        }
        String warning = given.warning(spec.qualifiedName());
        if (warning != null) {
            spec.commandLine().getErr().println(warning);
            spec.commandLine().getErr().flush();
        }
        return given.passphrase();
    }

    /** The result as text; {@code target} and {@code mechanism} as the command line names them. */
    private static void print(PrintWriter out, NetworkTestResult r, String target, String mechanism) {
        out.printf(Locale.ROOT, "Network test of %s by %s at %s%n", target, mechanism, r.testTime());
        if (r.error() != null) {
            out.println("Failed: " + r.error());
            return;
        }
        out.printf(Locale.ROOT, "  RTT %s ms, jitter %s ms, loss %s %%%s%n", Recommender.num(r.rttMs()),
                Recommender.num(r.jitterMs()), Recommender.num(r.lossPercent()),
                Boolean.TRUE.equals(r.lossMeasured()) ? "" : " (not measured)");
        if (r.bandwidthMbps() != null) {
            out.printf(Locale.ROOT,
                    "  bandwidth %s Mbit/s (%s)%n", Recommender.num(r.bandwidthMbps()), r.bandwidthType());
        }
        if (r.retransmitPercent() != null) {
            out.printf(Locale.ROOT, "  retransmitted %s %% of packets%n", Recommender.num(r.retransmitPercent()));
        }
        out.printf(Locale.ROOT, "Recommended: latency %d ms, overhead %d %% (RTT x %d)%n", r.latencyRecommendation(),
                r.overheadRecommendation(), r.rttMultiplier());
        out.println("  " + r.explanation());
        for (String w : r.warnings()) {
            out.println("Warning: " + w);
        }
    }

    private int serve(PrintWriter out, String passphrase) throws Exception {
        if (serveProbe < 1 || serveProbe > 65535) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--serve-probe " + serveProbe + " is not a port (expected: 1 to 65535).");
        }
        InetSocketAddress at = new InetSocketAddress(bind.isBlank() ? ListenerAddress.everyAddressLiteral()
                : bind.strip(), serveProbe);
        if (at.isUnresolved()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--bind '" + bind + "' is not an address"
                    + " (expected: an address of this machine, 0.0.0.0 for every IPv4 address, or nothing for every"
                    + " address).");
        }
        if (!LocalAddresses.isLocal(at.getAddress())) {
            // libsrt would fail the bind with its own words, read as a port in use
            throw new CommandLine.ParameterException(spec.commandLine(), "--bind " + bind.strip() + " is not an"
                    + " address of this machine (expected: one of its addresses, such as 127.0.0.1, 0.0.0.0 for every"
                    + " IPv4 address, or nothing for every address).");
        }
        ProbeResponder responder;
        try {
            responder = ProbeResponder.start(at, passphrase);
        } catch (SrtException e) {
            spec.commandLine().getErr().println(spec.qualifiedName() + ": cannot answer probes on "
                    + AddressText.of(at) + ": " + e.getMessage()
                    + ". Choose another --serve-probe port or stop what uses it.");
            return 1;
        }
        out.printf(Locale.ROOT, "Answering SRT probes on %s; stop with Ctrl-C.%n",
                AddressText.of(new InetSocketAddress(at.getAddress(), responder.port())));
        out.flush();
        CountDownLatch stopped = new CountDownLatch(1);
        // Ctrl-C or SIGTERM ends the wait: the responder closes, says how many probes it answered, and exits 0.
        try (StopSignals.Registration stop = StopSignals.onStop(signal -> stopped.countDown())) {
            stopped.await();
        } finally {
            responder.close();
        }
        out.printf(Locale.ROOT, "Stopped after %d probes.%n", responder.probesServed());
        out.flush();
        return 0;
    }
}
