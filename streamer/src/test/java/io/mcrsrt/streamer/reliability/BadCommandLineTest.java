package io.mcrsrt.streamer.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcrsrt.streamer.cli.Main;
import io.mcrsrt.streamer.engine.testing.TestMedia;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** Malformed SRT URLs on the command line: exit code 2 and one clear line naming what is wrong, never a stack trace. */
class BadCommandLineTest {

    @ParameterizedTest(name = "send {0}")
    @ValueSource(strings = {"srt:/127.0.0.1:9000", "srt://127.0.0.1", "srt://127.0.0.1:99999", "http://127.0.0.1:9000",
            "srt://127.0.0.1:9000?latency=abc", "srt://127.0.0.1:9000?mode=sideways",
            "srt://127.0.0.1:9000?passphrase=short", "srt://[::1:9000", "srt://127.0.0.1:9000?nosuchoption=1",
            "srt://127.0.0.1:notaport", ""})
    void sendRefusesAMalformedSrtUrlWithOneLineAndExitCodeTwo(String url) throws Exception {
        String clip = TestMedia.shortClip().toString();
        assertOneLineAndExitTwo(List.of("send", clip, url), url);
    }

    @ParameterizedTest(name = "recv {0}")
    @ValueSource(strings = {"srt:/127.0.0.1:9000", "srt://127.0.0.1:99999", "udp://127.0.0.1:9000", "",
            "srt://127.0.0.1:9000?latency=-5", "srt://127.0.0.1:9000?pbkeylen=20"})
    void recvRefusesAMalformedSrtUrlWithOneLineAndExitCodeTwo(String url) {
        assertOneLineAndExitTwo(List.of("recv", url, "-o", "/dev/null"), url);
    }

    @ParameterizedTest(name = "send {0}")
    @ValueSource(strings = {"srt://192.0.2.1:9000?mode=listener", "srt://:9000?maxbw=0", "srt://:9000?rcvbuf=1000000"})
    void sendRefusesWhatItWouldIgnoreNamingIt(String url) throws Exception {
        String clip = TestMedia.shortClip().toString();
        assertOneLineAndExitTwo(List.of("send", clip, url), url);
    }

    private static void assertOneLineAndExitTwo(List<String> args, String url) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        // Some commands print to the process's stderr rather than picocli's: catch both, but only what this thread
        // writes (threads left by other tests in this JVM may log to stderr meanwhile).
        ByteArrayOutputStream processErr = new ByteArrayOutputStream();
        PrintStream saved = System.err;
        Thread self = Thread.currentThread();
        OutputStream thisThreadOnly = new OutputStream() {
            @Override
            public void write(int b) {
                if (Thread.currentThread() == self) {
                    processErr.write(b);
                } else {
                    saved.write(b);
                }
            }

            @Override
            public void write(byte[] b, int off, int len) {
                if (Thread.currentThread() == self) {
                    processErr.write(b, off, len);
                } else {
                    saved.write(b, off, len);
                }
            }
        };
        int exit;
        System.setErr(new PrintStream(thisThreadOnly, true, StandardCharsets.UTF_8));
        try {
            exit = cli.execute(args.toArray(String[]::new));
        } finally {
            System.setErr(saved);
        }
        err.write(processErr.toString(StandardCharsets.UTF_8));
        List<String> lines = new ArrayList<>(err.toString().lines().filter(l -> !l.isBlank()).toList());
        assertThat(exit).as("exit code of mcr-srt %s; stderr: %s", String.join(" ", args), err).isEqualTo(2);
        assertThat(lines).as("stderr of mcr-srt %s", String.join(" ", args)).hasSize(1);
        assertThat(lines.getFirst()).doesNotContain("Exception", "\tat ");
    }
}
