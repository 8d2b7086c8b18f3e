package io.mcrsrt.streamer.cli;

import io.mcrsrt.ts.analysis.AnalysisReport;
import io.mcrsrt.ts.analysis.ReportFormat;
import io.mcrsrt.ts.analysis.TsAnalyzer;
import io.mcrsrt.ts.rtp.RtpUnwrapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code mcr-srt analyze}: a TR 101 290 report of a file, a UDP stream or an SRT stream. */
@Command(
        name = "analyze",
        mixinStandardHelpOptions = true,
        description = {
            "Checks an MPEG transport stream as a broadcast monitor does (ETSI TR 101 290 first priority, CRC and PCR "
                    + "checks), measures how far each PES starts ahead of the PCR (0 to 1 s is right), and lists its "
                    + "services, PIDs and bitrates.",
            "INPUT is a .ts file, udp://[source@]group:port[?iface=NAME] (multicast, source-specific or not, or "
                    + "unicast: udp://:PORT on every address; raw or RTP) or an SRT URL such as "
                    + "srt://127.0.0.1:9000?mode=listener.",
            "Exit status: 0 when no first-priority error was found in at least one packet, 1 otherwise (also an "
                    + "empty file, or one that is not a transport stream, such as an MP4), 2 on bad usage (also a "
                    + "malformed udp:// or srt:// URL), 3 when the input could not be opened or read (also an SRT "
                    + "listener that no caller connected to within --duration, and a UDP input on which nothing arrived"
                    + " within it)."
        })
public final class AnalyzeCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "INPUT", description = "a .ts file, udp://group:port or srt://host:port?...")
    private String input;

    @picocli.CommandLine.Mixin
    private PassphraseOptions passphraseOptions = new PassphraseOptions();

    @Option(names = "--json", description = "print the report as JSON instead of a table")
    private boolean json;

    @Option(names = "--duration", paramLabel = "S",
            description = "seconds to analyse: of stream time for a file (default: all of it; -1 for no limit: the"
                    + " whole of a file), of wall-clock time for a network input (default: 10; there -1 is refused,"
                    + " as a network input has no end)")
    private Double duration;

    @Option(names = "--pid-timeout", paramLabel = "S", defaultValue = "5",
            description = "seconds a PID listed in the PMT may be missing before PID_error (default: ${DEFAULT-VALUE})")
    private double pidTimeout;

    @Override
    public Integer call() throws Exception {
        String badDuration = duration == null ? null : TsInput.checkDuration(duration, TsInput.isNetwork(input));
        if (badDuration != null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), badDuration);
        }
        if (!(pidTimeout > 0 && Double.isFinite(pidTimeout))) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--pid-timeout " + pidTimeout + " (expected: seconds > 0)");
        }
        return TsInput.read(spec.qualifiedName(), spec.commandLine().getErr(), this::analyze);
    }

    private int analyze() throws IOException {
        TsAnalyzer analyzer = new TsAnalyzer((long) (pidTimeout * 1e9));
        try (TsInput in = TsInput.open(input, passphraseOptions, spec.qualifiedName(),
                spec.commandLine().getErr())) {
            long limit = duration == null ? (in.live() ? 10_000_000_000L : Long.MAX_VALUE)
                    : duration == TsInput.NO_LIMIT ? Long.MAX_VALUE : (long) (duration * 1e9);
            long deadline = in.live() ? System.nanoTime() + limit : Long.MAX_VALUE;
            in.run((b, off, len, arrival) -> {
                if (in.live()) {
                    analyzer.acceptBytes(b, off, len, arrival);
                    return true;
                }
                // A file is cut at the requested stream time, a message at a time.
                for (int i = off; i < off + len; i += 1316) {
                    analyzer.acceptBytes(b, i, Math.min(1316, off + len - i), arrival);
                    if (analyzer.streamTimeNanos() >= limit) {
                        return false;
                    }
                }
                return true;
            }, deadline);
            analyzer.endOfInput();
            AnalysisReport report = analyzer.report();
            RtpUnwrapper.Report rtp = in.rtp.report();
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                out.println(ReportFormat.json(report, rtp, in.live() ? in.ignoredDatagrams : -1,
                        in.live() ? in.strayBytes() : -1));
            } else {
                // an SRT URL as SrtUrl prints it: a passphrase in it as <hidden>, as the report may be kept or shared
                out.println("Input " + (input.regionMatches(true, 0, "srt://", 0, 6)
                        ? io.mcrsrt.srt.SrtUrl.parse(input).toString() : input));
                if (rtp.datagrams() > 0) {
                    out.print(ReportFormat.rtp(rtp));
                }
                if (in.ignoredDatagrams > 0) {
                    out.printf(Locale.ROOT, "Datagrams that were not TS (ignored): %d%n", in.ignoredDatagrams);
                }
                if (in.strayBytes() > 0) {
                    out.printf(Locale.ROOT,
                            "Bytes in datagrams outside whole TS packets (left out): %d; the sender or a gateway"
                            + " adds them (a trailer after the packets, or the tail of a split packet)%n",
                            in.strayBytes());
                }
                out.print(ReportFormat.table(report));
            }
            out.flush();
            boolean clean = report.errors().entrySet().stream()
                    .noneMatch(e -> e.getKey().priority() == 1 && e.getValue().count() > 0);
            return report.packets() > 0 && clean ? 0 : 1;
        }
    }
}
