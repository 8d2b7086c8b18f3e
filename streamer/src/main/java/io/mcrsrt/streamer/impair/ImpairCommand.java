package io.mcrsrt.streamer.impair;

import io.mcrsrt.streamer.cli.StopSignals;
import io.mcrsrt.streamer.stream.StreamConfig;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code mcr-srt impair}: runs the {@link LinkEmulator} until interrupted or for a set time. */
@Command(
        name = "impair",
        mixinStandardHelpOptions = true,
        description = {
            "Emulates a WAN path between an SRT caller and listener: a UDP relay that adds loss, burst loss, delay,"
                    + " jitter, reordering and a rate limit, the same in each direction.",
            "Point the caller at --listen; the relay forwards to --to from a socket of each caller's own, as a NAT does,"
                    + " and sends the answers back to that caller, so several callers can share it.",
            "Example: 100 ms RTT with 2 %% loss each way:",
            "  mcr-srt impair --listen 9000 --to 127.0.0.1:9001 --delay 50 --loss 2",
            "Counters are printed every --stats seconds and on exit (Ctrl-C).",
            "Exit status: 0 when stopped, 1 when the relay cannot listen on --listen, 2 for a bad command line."
        })
public final class ImpairCommand implements Callable<Integer> {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--listen", required = true, paramLabel = "PORT",
            description = "UDP port the caller sends to (1-65535).")
    int listenPort;

    @Option(names = "--bind", paramLabel = "ADDRESS",
            description = "Address to listen on: an address of this machine such as 127.0.0.1 or ::1, or 0.0.0.0 for"
                    + " every IPv4 address only (default: every address, IPv4 and IPv6 where the machine has it).")
    String bindAddress;

    @Option(names = "--to", required = true, paramLabel = "HOST:PORT",
            description = "Where to relay to: the SRT listener, e.g. 127.0.0.1:9001 or [::1]:9001.")
    String to;

    @Option(names = "--loss", paramLabel = "P", defaultValue = "0",
            description = "Share of datagrams lost, in percent, 0-100 (default: ${DEFAULT-VALUE}).")
    double loss;

    @Option(names = "--burst-loss", paramLabel = "N", defaultValue = "1",
            description = "Datagrams lost in a row at each loss event; --loss stays the overall share"
                    + " (default: ${DEFAULT-VALUE}, independent random loss).")
    int burstLoss;

    @Option(names = "--delay", paramLabel = "MS", defaultValue = "0",
            description = "One-way delay in milliseconds, added in each direction (default: ${DEFAULT-VALUE}).")
    double delay;

    @Option(names = "--jitter", paramLabel = "MS", defaultValue = "0",
            description = "Delay varies by up to +/- this many milliseconds; order is kept, so at hundreds of"
                    + " datagrams a second most wait for a slower one ahead and take nearly delay + jitter"
                    + " (default: ${DEFAULT-VALUE}).")
    double jitter;

    @Option(names = "--reorder", paramLabel = "P", defaultValue = "0",
            description = "Share of datagrams, in percent, held back 5 ms so that later ones overtake them"
                    + " (default: ${DEFAULT-VALUE}).")
    double reorder;

    @Option(names = "--rate", paramLabel = "MBPS", defaultValue = "0",
            description = "Bottleneck rate in Mbit/s per direction, counting UDP and IP headers, 0 for unlimited (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--queue", paramLabel = "MS", defaultValue = "200",
            description = "How many milliseconds of traffic the bottleneck queue holds before dropping"
                    + " (default: ${DEFAULT-VALUE}).")
    double queue;

    @Option(names = "--stats", paramLabel = "S", defaultValue = "5",
            description = "Print counters every S seconds, 0 for only on exit (default: ${DEFAULT-VALUE}).")
    int statsSeconds;

    @Option(names = "--duration", paramLabel = "S", defaultValue = "0",
            description = "Stop after S seconds, 0 to run until interrupted (default: ${DEFAULT-VALUE}).")
    int durationSeconds;

    @Option(names = "--seed", paramLabel = "N", description = "Random seed, to repeat the same losses.")
    Long seed;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (listenPort < 1 || listenPort > 65535) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--listen " + listenPort + " is not a port (expected: 1 to 65535)");
        }
        if (statsSeconds < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--stats " + statsSeconds + " is not a number of seconds (expected: 0 for only on exit, or more)");
        }
        if (durationSeconds < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--duration " + durationSeconds
                    + " is not a number of seconds (expected: 0 to run until interrupted, or more)");
        }
        if (burstLoss > 1 && loss == 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--burst-loss " + burstLoss + " has no effect"
                    + " without --loss: --loss is the share of datagrams lost, --burst-loss how many of them in a row"
                    + " (e.g. --loss 2 --burst-loss " + burstLoss + ")");
        }
        Impairment impairment;
        InetSocketAddress target;
        try {
            impairment = new Impairment(loss, burstLoss, delay, jitter, reorder, rate, queue);
            target = HostPort.parse(to);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        if (bindAddress == null) {
            // the IPv6 wildcard on a dual-stack socket; the IPv4 one where the machine has no IPv6
            bindAddress = io.mcrsrt.srt.AddressText.of(io.mcrsrt.srt.Srt.everyAddress());
        }
        InetSocketAddress listen = new InetSocketAddress(bindAddress.strip(), listenPort);
        if (listen.isUnresolved()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--bind '" + bindAddress
                    + "' is not an address (expected: an address of this machine such as 127.0.0.1, or 0.0.0.0 for"
                    + " every interface)");
        }
        LinkEmulator emulator;
        try {
            emulator = LinkEmulator.start(listen, target, impairment, impairment,
                    seed != null ? seed : System.nanoTime());
        } catch (java.io.IOException e) {
            // Port taken, or --bind names an address this machine does not have: the operator's to fix, not a bug.
            spec.commandLine().getErr().println(spec.qualifiedName() + ": cannot listen on UDP "
                    + StreamConfig.hostPort(bindAddress, listenPort) + " (" + e.getMessage() + "); choose another"
                    + " --listen port or stop what uses it, and check that --bind is an address of this machine");
            return 1;
        }
        // --bind and --to as given (127.0.0.1:9001, [::1]:9001), not the JDK's /127.0.0.1:9001; an IPv6 --bind in
        // brackets, so that its last group is not read as the port
        out.printf(Locale.ROOT,
                "Relaying UDP %s <-> %s with %s each way%n", listening(emulator, listen), to.strip(), impairment);
        out.flush();
        CountDownLatch stopped = new CountDownLatch(1);
        long end = durationSeconds > 0 ? System.nanoTime() + TimeUnit.SECONDS.toNanos(durationSeconds) : Long.MAX_VALUE;
        long step = statsSeconds > 0 ? TimeUnit.SECONDS.toNanos(statsSeconds) : TimeUnit.SECONDS.toNanos(1);
        // Ctrl-C or SIGTERM ends the wait below: the relay closes and the final counters are printed, exit 0.
        try (StopSignals.Registration stop = StopSignals.onStop(signal -> stopped.countDown())) {
            while (System.nanoTime() < end) {
                long wait = Math.min(step, end - System.nanoTime());
                if (stopped.await(Math.max(wait, 0), TimeUnit.NANOSECONDS)) {
                    break;
                }
                if (statsSeconds > 0 && System.nanoTime() < end) {
                    printCounters(out, emulator, "so far");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            emulator.close();
        }
        printCounters(out, emulator, "final");
        return 0;
    }

    /**
     * Where clients send, as given (127.0.0.1:9001, [::1]:9001); for a wildcard, which families it takes.
     */
    private String listening(LinkEmulator emulator, InetSocketAddress listen) {
        String address = StreamConfig.hostPort(bindAddress.strip(), emulator.listenPort());
        if (emulator.dualStack()) {
            return address + " (every address, IPv4 and IPv6)";
        }
        return listen.getAddress().isAnyLocalAddress() ? address + " (every IPv4 address)" : address;
    }

    private static void printCounters(PrintWriter out, LinkEmulator e, String when) {
        out.printf(Locale.ROOT, "[%s] to target: %s%n[%s] to client: %s%n", when, e.toTargetCounters(), when,
                e.toClientCounters());
        out.flush();
    }
}
