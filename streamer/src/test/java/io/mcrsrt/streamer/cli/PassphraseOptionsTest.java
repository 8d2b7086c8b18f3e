package io.mcrsrt.streamer.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where a command takes its passphrase from: the command line, a file only its owner reads, or SRT_PASSPHRASE. */
class PassphraseOptionsTest {
    @TempDir
    Path dir;

    /** A file of mode 0600 holding {@code text}. */
    private Path secret(String name, String text) throws Exception {
        return SecretFiles.ownerOnly(dir.resolve(name), text);
    }

    private static PassphraseOptions fromFile(Path file) {
        PassphraseOptions o = new PassphraseOptions();
        o.file = file;
        return o;
    }

    private static PassphraseOptions fromEnvironment() {
        PassphraseOptions o = new PassphraseOptions();
        o.fromEnvironment = true;
        return o;
    }

    private static Map<String, String> option(String value) {
        Map<String, String> m = new HashMap<>();
        m.put("--passphrase", value);
        return m;
    }

    @Test
    void aFileGivesItsFirstLineWithoutTheLineEnd() throws Exception {
        for (String text : new String[] {"long enough secret\n", "long enough secret\r\nsecond line\n",
                "long enough secret"}) {
            PassphraseOptions.Given g = fromFile(secret("p" + text.length(), text)).resolve(option(null), Map.of());
            assertThat(g.passphrase()).isEqualTo("long enough secret");
            assertThat(g.onCommandLine()).isFalse();
            assertThat(g.warning("send")).isNull();
        }
    }

    @Test
    void aFileOthersCanReadIsRefusedNamingItAndChmod600() throws Exception {
        Path f = secret("shared", "long enough secret\n");
        for (String mode : new String[] {"rw-r-----", "rw----r--"}) {
            Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(mode));
            assertThatThrownBy(() -> fromFile(f).resolve(option(null), Map.of()))
                    .hasMessage("--passphrase-file " + f + " can be read by other users (mode " + mode + "); make it"
                            + " readable by its owner only: chmod 600 " + f);
        }
    }

    @Test
    void anEmptyMissingOrNonUtf8FileIsRefusedNamingIt() throws Exception {
        Path empty = secret("empty", "");
        assertThatThrownBy(() -> fromFile(empty).resolve(option(null), Map.of()))
                .hasMessage("--passphrase-file " + empty + " is empty or its first line is (expected: the passphrase"
                        + " on its first line)");
        Path blankLine = secret("blank", "\nlong enough secret\n");
        assertThatThrownBy(() -> fromFile(blankLine).resolve(option(null), Map.of()))
                .hasMessageStartingWith("--passphrase-file " + blankLine + " is empty");
        Path missing = dir.resolve("missing");
        assertThatThrownBy(() -> fromFile(missing).resolve(option(null), Map.of()))
                .hasMessageStartingWith("--passphrase-file " + missing + " does not exist");
        Path latin1 = secret("latin1", "");
        Files.write(latin1, "caf\u00e9 long enough".getBytes(StandardCharsets.ISO_8859_1));
        assertThatThrownBy(() -> fromFile(latin1).resolve(option(null), Map.of()))
                .hasMessageContaining("--passphrase-file " + latin1 + ": its first line is not UTF-8 text");
    }

    @Test
    void theLengthRulesNameTheFileOrTheVariable() throws Exception {
        Path f = secret("short", "short\n");
        assertThatThrownBy(() -> fromFile(f).resolve(option(null), Map.of()))
                .hasMessage("the first line of --passphrase-file " + f + " is 5 bytes long in UTF-8 (expected: 10 to"
                        + " 79 bytes, as SRT counts them)");
        assertThatThrownBy(() -> fromEnvironment().resolve(option(null), Map.of("SRT_PASSPHRASE", "é".repeat(45))))
                .hasMessageStartingWith("SRT_PASSPHRASE (--passphrase-env) is 90 bytes long in UTF-8, from 45"
                        + " characters");
    }

    @Test
    void aControlCharacterIsRefusedNamingWhereItIs() {
        assertThatThrownBy(() -> fromEnvironment().resolve(option(null), Map.of("SRT_PASSPHRASE",
                "long-enough-secret\r\n"))).hasMessage("SRT_PASSPHRASE (--passphrase-env) has U+000D (a carriage return)"
                        + " at position 19 (expected: printable characters only; a passphrase read from a file or a"
                        + " variable may have kept its line end)");
    }

    @Test
    void theEnvironmentIsReadOnlyWhenAskedFor() {
        Map<String, String> env = Map.of("SRT_PASSPHRASE", "long enough secret");
        assertThat(new PassphraseOptions().resolve(option(null), env)).isNull();
        PassphraseOptions.Given g = fromEnvironment().resolve(option(null), env);
        assertThat(g.passphrase()).isEqualTo("long enough secret");
        assertThat(g.warning("send")).isNull();
        assertThatThrownBy(() -> fromEnvironment().resolve(option(null), Map.of()))
                .hasMessageStartingWith("--passphrase-env: the environment variable SRT_PASSPHRASE is not set");
        assertThatThrownBy(() -> fromEnvironment().resolve(option(null), Map.of("SRT_PASSPHRASE", "")))
                .hasMessageStartingWith("--passphrase-env: the environment variable SRT_PASSPHRASE is empty");
    }

    @Test
    void twoSourcesAreRefusedNamingBoth() throws Exception {
        Path f = secret("p", "long enough secret\n");
        assertThatThrownBy(() -> fromFile(f).resolve(option("long enough secret"), Map.of()))
                .hasMessage("the passphrase is given twice, by --passphrase and by --passphrase-file " + f
                        + " (expected: one of them; --passphrase-file or --passphrase-env keeps it out of the process"
                        + " list)");
        PassphraseOptions both = fromFile(f);
        both.fromEnvironment = true;
        assertThatThrownBy(() -> both.resolve(option(null), Map.of("SRT_PASSPHRASE", "long enough secret")))
                .hasMessageContaining("by --passphrase-file " + f + " and by --passphrase-env");
        Map<String, String> urlAndOption = new java.util.LinkedHashMap<>();
        urlAndOption.put("passphrase= in the SRT URL", "long enough secret");
        urlAndOption.put("--passphrase", "another secret");
        assertThatThrownBy(() -> new PassphraseOptions().resolve(urlAndOption, Map.of()))
                .hasMessageStartingWith("the passphrase is given twice, by passphrase= in the SRT URL and by"
                        + " --passphrase");
    }

    @Test
    void aPassphraseOnTheCommandLineIsTakenWithAWarningNamingTheSaferOptions() {
        PassphraseOptions.Given g = new PassphraseOptions().resolve(option("long enough secret"), Map.of());
        assertThat(g.passphrase()).isEqualTo("long enough secret");
        assertThat(g.warning("send")).isEqualTo("send: warning: the passphrase given by --passphrase can be read by"
                + " every user of this machine in the process list (ps); give it with --passphrase-file FILE"
                + " (chmod 600) or --passphrase-env instead");
        assertThat(g.toString()).doesNotContain("long enough secret");
    }
}
