package io.mcrsrt.streamer.cli;

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
            io.mcrsrt.streamer.impair.ImpairCommand.class,
            io.mcrsrt.streamer.nettest.NettestCommand.class,
            AnalyzeCommand.class,
            Scte35Command.class,
            RecvCommand.class,
            FetchCommand.class,
            ServeFilesCommand.class,
        })
public final class Main implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line with every subcommand registered; tests execute it in-process. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Main());
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        return cli;
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.err);
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
