package io.mcrsrt.streamer.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcrsrt.streamer.cli.Main;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The command line against README.md and docs/*.md (not BENCHMARKS.md, which records the commands it measured with):
 * every option of every command is documented under one of its names, and every {@code --option} the documents
 * write is one that a command has, or one of the few other programs' options they quote.
 */
class CommandLineDocTest {

    /** Options of other programs the documents quote: iperf3's command line, java, systemctl, journalctl. */
    private static final Set<String> OTHER_PROGRAMS = Set.of("--length", "--connect-timeout",
            "--enable-native-access", "--now", "--since");

    private static String documents() throws IOException {
        Path root = RepoFiles.root();
        StringBuilder all = new StringBuilder(Files.readString(root.resolve("README.md")));
        try (Stream<Path> docs = Files.list(root.resolve("docs"))) {
            for (Path doc : docs.filter(p -> p.toString().endsWith(".md"))
                    .filter(p -> !p.getFileName().toString().equals("BENCHMARKS.md")).sorted().toList()) {
                all.append('\n').append(Files.readString(doc));
            }
        }
        return all.toString();
    }

    private static List<CommandLine> commands() {
        List<CommandLine> all = new ArrayList<>();
        List<CommandLine> todo = new ArrayList<>(List.of(Main.commandLine()));
        while (!todo.isEmpty()) {
            CommandLine c = todo.removeLast();
            all.add(c);
            todo.addAll(c.getSubcommands().values());
        }
        return all;
    }

    @Test
    void everyOptionOfEveryCommandIsDocumented() throws IOException {
        String docs = documents();
        List<String> missing = new ArrayList<>();
        for (CommandLine c : commands()) {
            for (OptionSpec o : c.getCommandSpec().options()) {
                if (o.usageHelp() || o.versionHelp()) {
                    continue;
                }
                boolean found = false;
                for (String name : o.names()) {
                    found |= Pattern.compile("(?<![\\w-])" + Pattern.quote(name) + "(?![\\w-])").matcher(docs).find();
                }
                if (!found) {
                    missing.add(c.getCommandSpec().qualifiedName() + " " + String.join("|", o.names()));
                }
            }
        }
        assertThat(missing).as("options in no document").isEmpty();
    }

    @Test
    void everyOptionTheDocumentsWriteExists() throws IOException {
        Set<String> options = new TreeSet<>(OTHER_PROGRAMS);
        for (CommandLine c : commands()) {
            for (OptionSpec o : c.getCommandSpec().options()) {
                options.addAll(List.of(o.names()));
            }
        }
        Set<String> unknown = new TreeSet<>();
        Matcher m = Pattern.compile("(?<![\\w-])--[a-z][a-z0-9-]*").matcher(documents());
        while (m.find()) {
            if (!options.contains(m.group())) {
                unknown.add(m.group());
            }
        }
        assertThat(unknown).as("options the documents name that no command has").isEmpty();
    }
}
