package io.mcrsrt.streamer.cli;

import io.mcrsrt.streamer.config.AppConfig;
import io.mcrsrt.streamer.impair.ImpairCommand;
import io.mcrsrt.streamer.nettest.NettestCommand;
import io.mcrsrt.streamer.nettest.ServersCommand;
import io.mcrsrt.streamer.stream.FailureText;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code mcr-srt} executable: the service and the tools, one subcommand each. Subcommands are registered here, in
 * one place, so {@code mcr-srt --help} always lists them all.
 */
@Command(
        name = "mcr-srt",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "SRT streaming, monitoring and link testing for broadcast engineers.",
        subcommands = {
            CommandLine.HelpCommand.class,
            ServeCommand.class,
            SendCommand.class,
            HashPasswordCommand.class,
            ImpairCommand.class,
            NettestCommand.class,
            ServersCommand.class,
            AnalyzeCommand.class,
            Scte35Command.class,
            RecvCommand.class,
            FetchCommand.class,
            ServeFilesCommand.class,
        })
public final class Main implements Callable<Integer> {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    /** The JDK's setting for how many cores virtual threads run on. */
    static final String VIRTUAL_THREAD_PARALLELISM = "jdk.virtualThreadScheduler.parallelism";

    public static void main(String[] args) {
        useNoLocale();
        settleLogLevel(System.getenv("LOG_LEVEL"), System.getProperties());
        shareOneCoreForVirtualThreads(System.getProperties());
        StopSignals.install();
        System.exit(commandLine().execute(args));
    }

    /**
     * Every output of the service and the commands is read by programs or compared by people across sites: the API's
     * JSON, /metrics, log lines, the reports scripts parse. None is written in the user's language, so none may change
     * with the machine's locale (de_DE or tr_TR write 8,003 for 8.003, ar_EG its own digits, tr_TR lower-cases I to a
     * dotless i). The project's own code names {@link Locale#ROOT} wherever it formats or changes case; this pins the
     * default too, for the libraries it runs (picocli, the web server, logback, the JDK's own log messages) and any
     * formatting that forgets to name one. Only here, for the process: the library and the classes tests call do not
     * rely on it, and a program that embeds them keeps its own default.
     */
    static void useNoLocale() {
        Locale.setDefault(Locale.ROOT);
    }

    /**
     * The web server answers requests on virtual threads. Unless told otherwise they run on one core, so that a flood
     * of API requests cannot take the cores that pace the streams: under an unthrottled {@code wrk} against
     * {@code GET /api/streams} with 50 streams, a stream's PCR arrival error p99 was 1.45-2.15 ms with a carrier per
     * core and 0.82-1.31 ms with one, at about the same 20 000-23 000 requests a second (docs/BENCHMARKS.md). Must run before
     * the first virtual thread starts; {@code -Djdk.virtualThreadScheduler.parallelism=N} overrides it.
     */
    static void shareOneCoreForVirtualThreads(Properties properties) {
        if (properties.getProperty(VIRTUAL_THREAD_PARALLELISM) == null) {
            properties.setProperty(VIRTUAL_THREAD_PARALLELISM, "1");
        }
    }

    /**
     * The level logback starts with ({@code ${LOG_LEVEL}} in logback.xml, which reads a system property before the
     * environment): the environment's when it is a level name, else INFO. Logback reads any other value as DEBUG,
     * so a mistyped level would fill the console before the configuration check stops the start naming it. Must run
     * before the first logger is made; a {@code -DLOG_LEVEL} given on the command line stands.
     */
    static void settleLogLevel(String fromEnvironment, Properties properties) {
        if (properties.getProperty("LOG_LEVEL") == null && fromEnvironment != null) {
            String level = AppConfig.logLevel(fromEnvironment);
            properties.setProperty("LOG_LEVEL", level == null ? "INFO" : level);
        }
    }

    /** The command line with every subcommand registered; tests execute it in-process. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Main());
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setParameterExceptionHandler(Main::badCommandLine);
        cli.setExecutionExceptionHandler(Main::unexpectedFailure);
        return cli;
    }

    /**
     * A failure no command handles is one line naming the command and what failed, and exit status 1, as a failed
     * stream or transfer is; the stack trace, which picocli would print in its place, is logged at DEBUG
     * ({@code LOG_LEVEL=DEBUG} shows it) for a bug report.
     */
    static int unexpectedFailure(Exception e, CommandLine c, CommandLine.ParseResult parsed) {
        String command = c.getCommandSpec().qualifiedName();
        LoggerFactory.getLogger(Main.class).debug("{} failed", command, e);
        c.getErr().println(command + ": failed: " + FailureText.describeUnexpected(e)
                + " (run again with LOG_LEVEL=DEBUG for the details to report)");
        c.getErr().flush();
        return 1;
    }

    /**
     * A bad command line (an unknown option, a value that is not a number, a value a command refuses) is one line on
     * stderr naming the command, the bad value and where the options are explained, and exit status 2. The whole usage
     * text after it would push the one line that matters off a terminal, and into a log as thirty lines.
     */
    static int badCommandLine(CommandLine.ParameterException e, String[] args) {
        CommandLine c = e.getCommandLine();
        String command = c.getCommandSpec().qualifiedName();
        PrintWriter err = c.getErr();
        String message = e.getMessage() == null ? "bad command line" : e.getMessage().strip();
        err.println(command + ": " + message + (message.endsWith(".") ? "" : ".") + " See '" + command
                + " --help' for the options and examples.");
        CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
        err.flush();
        return c.getCommandSpec().exitCodeOnInvalidInput();
    }

    /**
     * No command given: the usage, listing the commands, on stderr, and exit status 2 as for any incomplete command
     * line, so that a script that lost its command word does not pass for one that ran.
     */
    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        spec.commandLine().usage(err);
        err.flush();
        return spec.exitCodeOnInvalidInput();
    }

    /** Reads the version from the jar manifest, or says "development" when run from classes. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"mcr-srt " + (v == null ? "development build" : v)};
        }
    }
}
