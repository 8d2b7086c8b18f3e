package io.mcrsrt.streamer.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.mcrsrt.streamer.cli.Main;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/** The deploy/ files say what the code really does: commands, variables and paths. */
class DeploymentFilesTest {
    private static final String PREFIX = "/opt/mcr-srt-streamer";
    private static final Pattern EXEC_START = Pattern.compile("(?m)^ExecStart=(\\S+)(.*)$");
    private static final Pattern VARIABLE = Pattern.compile("(?m)^#?\\s*([A-Z][A-Z0-9_]+)=");

    static Stream<Path> units() throws IOException {
        try (Stream<Path> files = Files.list(RepoFiles.root().resolve("deploy/systemd"))) {
            return files.filter(p -> p.toString().endsWith(".service") || p.toString().endsWith(".timer"))
                    .sorted().toList().stream();
        }
    }

    static Stream<Path> serviceUnits() throws IOException {
        return units().filter(p -> p.toString().endsWith(".service"));
    }

    @Test
    void systemdAnalyzeVerifiesEveryUnit(@TempDir Path dir) throws Exception {
        assumeTrue(Programs.find("systemd-analyze") != null, "systemd-analyze is not installed on this machine");
        Path root = RepoFiles.root();
        Path prefix = dir.resolve("prefix");
        for (Path unit : serviceUnits().toList()) {
            Matcher m = EXEC_START.matcher(Files.readString(unit));
            while (m.find()) {
                // Installed programs keep their checkout-relative path under the prefix (bin/, deploy/).
                String relative = m.group(1).substring(PREFIX.length() + 1);
                if (Files.notExists(prefix.resolve(relative))) { // several units may run the same program
                    Files.createDirectories(prefix.resolve(relative).getParent());
                    copyExecutable(root.resolve(relative), prefix.resolve(relative));
                }
            }
        }
        Path unitDir = Files.createDirectories(dir.resolve("units"));
        List<String> command = new ArrayList<>(List.of("systemd-analyze", "verify", "--man=no"));
        for (Path unit : units().toList()) {
            // The units name their installed paths; point those at this checkout's copies so the check can run here.
            String text = Files.readString(unit).replace(PREFIX, prefix.toString());
            Path copy = unitDir.resolve(unit.getFileName());
            Files.writeString(copy, text);
            command.add(copy.toString());
        }
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("systemd-analyze finished").isTrue();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(out).as("systemd-analyze verify output").isBlank();
            assertThat(p.exitValue()).isZero();
        } finally {
            p.destroyForcibly();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("serviceUnits")
    void everyCommandAUnitRunsIsInstalledAndKnownToTheExecutable(Path unit) throws IOException {
        String text = Files.readString(unit);
        String install = Files.readString(RepoFiles.root().resolve("deploy/install.sh"));
        Matcher m = EXEC_START.matcher(text);
        assertThat(m.find()).as("%s has an ExecStart", unit.getFileName()).isTrue();
        String program = m.group(1);
        assertThat(program).startsWith(PREFIX + "/");
        String installed = "$prefix" + program.substring(PREFIX.length());
        assertThat(install).as("install.sh installs %s", program).contains(installed);
        if (!program.endsWith("/bin/mcr-srt")) {
            return;
        }
        List<String> words = Arrays.stream(m.group(2).strip().split("\\s+")).filter(w -> !w.startsWith("-")).toList();
        CommandLine cli = Main.commandLine();
        for (String word : words) {
            CommandLine sub = cli.getSubcommands().get(word);
            assertThat(sub).as("`mcr-srt %s` in %s: subcommand %s", String.join(" ", words),
                    unit.getFileName(), word).isNotNull();
            cli = sub;
        }
    }

    @Test
    void theLauncherFindsTheJarWhereTheInstallerPutsIt() throws IOException {
        String install = Files.readString(RepoFiles.root().resolve("deploy/install.sh"));
        String launcher = Files.readString(RepoFiles.root().resolve("bin/mcr-srt"));
        assertThat(install).contains("\"$prefix/lib/mcr-srt.jar\"").contains("\"$prefix/bin/mcr-srt\"");
        assertThat(launcher).contains("$here/lib/mcr-srt.jar");
    }

    @Test
    void everyVariableTheDeployFilesSetIsReadByTheServiceAndDocumented() throws IOException {
        Path root = RepoFiles.root();
        Set<String> named = new TreeSet<>();
        addVariables(Files.readString(root.resolve("deploy/env.example")), named);
        for (Path unit : serviceUnits().toList()) {
            Matcher m = Pattern.compile("(?m)^Environment=([A-Z_]+)=").matcher(Files.readString(unit));
            while (m.find()) {
                named.add(m.group(1));
            }
        }
        assertThat(named).contains("HOST", "PORT", "MEDIA_FOLDER", "DATA_DIR", "LOG_DIR", "API_KEY", "SECRET_KEY");
        String code = sources(root.resolve("streamer/src/main"));
        String documented = Files.readString(root.resolve("docs/configuration.md"))
                + Files.readString(root.resolve("docs/network-test.md"))
                + Files.readString(root.resolve("docs/operations.md"));
        for (String variable : named) {
            assertThat(code).as("the executable reads %s", variable).contains("\"" + variable + "\"");
            assertThat(documented).as("docs document %s", variable).contains("`" + variable + "`");
        }
    }

    @Test
    void theServiceUnitRestartsOnFailureAndTreatsTheJvmSigtermExitAsClean() throws IOException {
        String unit = Files.readString(RepoFiles.root().resolve("deploy/systemd/mcr-srt-streamer.service"));
        assertThat(unit).contains("Restart=on-failure", "KillSignal=SIGTERM", "SuccessExitStatus=143",
                "EnvironmentFile=-/etc/mcr-srt-streamer/env", "User=mcr-srt");
        assertThat(unit).doesNotContain("User=root");
    }

    private static void addVariables(String text, Set<String> into) {
        Matcher m = VARIABLE.matcher(text);
        while (m.find()) {
            into.add(m.group(1));
        }
    }

    private static String sources(Path dir) throws IOException {
        StringBuilder all = new StringBuilder();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java") || p.toString().endsWith(".xml")).toList()) {
                String text = Files.readString(f);
                all.append(text.replace("${", "\"").replace(":-", "\""));
            }
        }
        return all.toString();
    }

    private static void copyExecutable(Path from, Path to) throws IOException {
        Files.copy(from, to);
        Files.setPosixFilePermissions(to, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
