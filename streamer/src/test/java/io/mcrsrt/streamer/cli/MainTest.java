package io.mcrsrt.streamer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.IllegalFormatException;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

class MainTest {

    @Test
    void virtualThreadsGetOneCoreUnlessTheOperatorChoseOtherwise() {
        Properties unset = new Properties();
        Main.shareOneCoreForVirtualThreads(unset);
        assertThat(unset.getProperty(Main.VIRTUAL_THREAD_PARALLELISM)).isEqualTo("1");

        Properties chosen = new Properties();
        chosen.setProperty(Main.VIRTUAL_THREAD_PARALLELISM, "4");
        Main.shareOneCoreForVirtualThreads(chosen);
        assertThat(chosen.getProperty(Main.VIRTUAL_THREAD_PARALLELISM)).isEqualTo("4");
    }

    @Test
    void everyHelpTextIsAValidFormatSoPicocliPrintsItWithoutAWarning() {
        // picocli formats each line of help text; a lone '%' (as in "2 % loss") makes it print a WARN line instead
        List<String> bad = new ArrayList<>();
        List<CommandLine> todo = new ArrayList<>(List.of(Main.commandLine()));
        while (!todo.isEmpty()) {
            CommandLine c = todo.removeLast();
            todo.addAll(c.getSubcommands().values());
            CommandSpec spec = c.getCommandSpec();
            List<String> lines = new ArrayList<>(List.of(spec.usageMessage().description()));
            for (OptionSpec o : spec.options()) {
                lines.addAll(List.of(o.description()));
            }
            for (PositionalParamSpec p : spec.positionalParameters()) {
                lines.addAll(List.of(p.description()));
            }
            for (String line : lines) {
                try {
                    String.format(Locale.ROOT, line);
                } catch (IllegalFormatException e) {
                    bad.add(spec.qualifiedName() + ": " + line);
                }
            }
        }
        assertThat(bad).isEmpty();
    }

    @Test
    void aBadOptionValueIsOneLineNamingTheValueAndTheHelpNotTheWholeUsage() {
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setErr(new PrintWriter(err, true));
        cli.setOut(new PrintWriter(new StringWriter(), true));

        int code = cli.execute("send", "in.ts", "srt://:12001", "--latency", "abc");

        assertThat(code).isEqualTo(2);
        assertThat(err.toString().lines().toList()).singleElement().asString()
                .startsWith("mcr-srt send: ")
                .contains("'--latency'", "'abc'", "See 'mcr-srt send --help'")
                .doesNotContain("Usage:");
    }

    @Test
    void aFailureNoCommandHandlesIsOneLineWithoutAStackTrace() {
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.addSubcommand("fail", CommandLine.Model.CommandSpec.wrapWithoutInspection(
                (java.util.concurrent.Callable<Integer>) () -> {
                    throw new IllegalStateException("socket closed");
                }));
        cli.setErr(new PrintWriter(err, true));

        int code = cli.execute("fail");

        assertThat(code).isEqualTo(1);
        assertThat(err.toString().lines().toList()).singleElement().asString()
                .isEqualTo("mcr-srt fail: failed: IllegalStateException: socket closed (run again with"
                        + " LOG_LEVEL=DEBUG for the details to report)");
    }

    @Test
    void everyCommandsHelpListsItsExitStatusAsTheReadmeSays() {
        // serve's listed none; a command group (servers) lists them in its subcommands' help
        List<String> missing = new ArrayList<>();
        List<CommandLine> todo = new ArrayList<>(Main.commandLine().getSubcommands().values());
        while (!todo.isEmpty()) {
            CommandLine c = todo.removeLast();
            if (c.getCommandName().equals("help")) {
                continue;
            }
            if (!c.getSubcommands().isEmpty()) {
                todo.addAll(c.getSubcommands().values());
                continue;
            }
            String text = String.join(" ", c.getCommandSpec().usageMessage().description());
            if (!text.contains("Exit status") && !text.contains("exits with")) {
                missing.add(c.getCommandSpec().qualifiedName());
            }
        }
        assertThat(missing).isEmpty();
        String serve = String.join(" ", Main.commandLine().getSubcommands().get("serve").getCommandSpec()
                .usageMessage().description());
        assertThat(serve).contains("143 after a clean stop on SIGTERM (130 on Ctrl-C)")
                .contains("1 when the stream engine cannot start").contains("2 for a configuration error");
    }

    @Test
    void noCommandPrintsTheUsageAndExits2() {
        // Before, the usage and exit 0: a script that lost its command word passed for one that ran.
        StringWriter err = new StringWriter();
        StringWriter out = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setErr(new PrintWriter(err, true));
        cli.setOut(new PrintWriter(out, true));

        int code = cli.execute();

        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).startsWith("Usage: mcr-srt").contains("send").contains("analyze");
        assertThat(out.toString()).isEmpty();
        assertThat(Main.commandLine().setOut(new PrintWriter(new StringWriter())).execute("--help")).isZero();
    }

    @Test
    void aMistypedOptionIsNamedWithTheOptionsItResembles() {
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setErr(new PrintWriter(err, true));

        int code = cli.execute("recv", "srt://127.0.0.1:12001", "--reconect");

        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).startsWith("mcr-srt recv: Unknown option: '--reconect'")
                .contains("--reconnect").doesNotContain("Usage:");
    }
}
