package io.mcrsrt.streamer.cli;

import io.mcrsrt.streamer.config.PasswordHash;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class HashPasswordCommandTest {

    private record Run(int exit, String out, String err) {
    }

    private static Run run(String stdin) {
        InputStream saved = System.in;
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        try {
            System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
            CommandLine cli = Main.commandLine();
            cli.setOut(new PrintWriter(out, true));
            cli.setErr(new PrintWriter(err, true));
            int exit = cli.execute("hash-password");
            return new Run(exit, out.toString(), err.toString());
        } finally {
            System.setIn(saved);
        }
    }

    @Test
    void printsAHashThatVerifiesThePasswordFromStandardInput() {
        Run r = run("a long password\n");
        assertThat(r.exit()).isZero();
        String hash = r.out().strip();
        assertThat(PasswordHash.isWellFormed(hash)).isTrue();
        assertThat(PasswordHash.verify("a long password".toCharArray(), hash)).isTrue();
        assertThat(r.out()).doesNotContain("a long password");
    }

    @Test
    void refusesAShortPassword() {
        Run r = run("short\n");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).startsWith("mcr-srt hash-password: the password must have at least 8 characters");
    }

    @Test
    void serveAndHashPasswordAreListedInHelp() {
        StringWriter out = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.execute("--help");
        assertThat(out.toString()).contains("serve").contains("hash-password");
    }
}
