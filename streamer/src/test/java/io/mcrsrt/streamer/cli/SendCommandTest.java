package io.mcrsrt.streamer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcrsrt.streamer.engine.testing.Peers;
import io.mcrsrt.streamer.engine.testing.TestMedia;
import io.mcrsrt.streamer.engine.testing.TsCheck;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(120)
class SendCommandTest {
    @TempDir
    Path work;

    @Test
    void sendsAFileOnceToAListenerAndExitsWhenItEnds() throws Exception {
        Path clip = TestMedia.shortClip();
        int port = Peers.freePort();
        Path received = work.resolve("rx.ts");
        try (Peers.Process rx = Peers.receiveToFile("srt://127.0.0.1:" + port + "?mode=listener&latency=1000",
                received, work.resolve("rx.log"))) {
            CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> Main.commandLine().execute("send",
                    "--no-loop", "--latency", "1000", "--data-dir", work.toString(), clip.toString(),
                    "srt://127.0.0.1:" + port));
            assertThat(exit.get(60, TimeUnit.SECONDS)).isZero();
        }
        assertThat(Files.size(received)).isPositive();
        assertThat(TsCheck.of(received).continuityErrors()).isZero();
    }

    @Test
    void aMissingInputFileIsAUsageErrorNamingTheFile() {
        PrintStream saved = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = Main.commandLine().execute("send", work.resolve("nothing.ts").toString(), "srt://:10001");
        } finally {
            System.setErr(saved);
        }
        assertThat(code).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("nothing.ts").contains("does not exist");
    }

    @Test
    void aBadSrtUrlIsAUsageError() {
        PrintStream saved = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = Main.commandLine().execute("send", "bars:720p50", "http://example.com/");
        } finally {
            System.setErr(saved);
        }
        assertThat(code).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("http://example.com/");
    }
}
