package io.mcrsrt.streamer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcrsrt.srt.SrtFileServer;
import io.mcrsrt.srt.SrtSocket;
import io.mcrsrt.srt.SrtUrl;
import io.mcrsrt.streamer.engine.testing.Await;
import io.mcrsrt.streamer.engine.testing.Peers;
import io.mcrsrt.streamer.engine.testing.TestMedia;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Ctrl-C (SIGINT) and SIGTERM, sent to the commands run as processes of their own: a command that runs until stopped
 * cleans up and exits with the status its help gives, not the JVM's 130 or 143.
 */
class StopSignalsTest {
    @TempDir
    Path work;

    @ParameterizedTest
    @ValueSource(strings = {"INT", "TERM"})
    void sendStopsItsStreamAndExits0(String signal) throws Exception {
        int port = Peers.freePort();
        Path received = work.resolve("rx.ts");
        // -a:no: the receiver ends when the connection does, which it does once send has closed its stream
        try (Peers.Process rx = Peers.receiveToFile("srt://127.0.0.1:" + port + "?mode=listener", received,
                work.resolve("rx.log"));
                CommandProcess send = CommandProcess.start(work, "send", "--data-dir", work.toString(),
                        TestMedia.shortClip().toString(), "srt://127.0.0.1:" + port)) {
            assertThat(Await.until(() -> size(received) > 100_000 || !send.isAlive(), 60_000)).isTrue();
            assertThat(send.isAlive()).as("sending: %s", send.stderr()).isTrue();
            send.signal(signal);
            assertThat(send.exitStatus()).as(send.stderr()).isZero();
            assertThat(rx.waitFor(30)).as("the receiver saw the connection end").isTrue();
            assertThat(send.stderr()).endsWith("\n").doesNotContain("Exception");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"INT", "TERM"})
    void impairPrintsItsFinalCountersAndExits0(String signal) throws Exception {
        try (CommandProcess impair = CommandProcess.start(work, "impair", "--listen",
                Integer.toString(Peers.freePort()), "--bind", "127.0.0.1", "--to", "127.0.0.1:9", "--stats", "0")) {
            impair.awaitOutput("Relaying UDP");
            impair.signal(signal);
            assertThat(impair.exitStatus()).as(impair.stderr()).isZero();
            assertThat(impair.stdout()).contains("[final] to target: received 0")
                    .contains("[final] to client: received 0");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"INT", "TERM"})
    void serveFilesClosesAndExits0(String signal) throws Exception {
        Path served = Files.createDirectory(work.resolve("served"));
        try (CommandProcess server = CommandProcess.start(work, "serve-files", served.toString(), "--port",
                Integer.toString(Peers.freePort()), "--bind", "127.0.0.1")) {
            server.awaitOutput("(Ctrl-C stops)");
            server.signal(signal);
            assertThat(server.exitStatus()).as(server.stderr()).isZero();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"INT", "TERM"})
    void recvKeepsWhatItReceivedAndExits0(String signal) throws Exception {
        int port = Peers.freePort();
        Path out = work.resolve("received.ts");
        try (CommandProcess recv = CommandProcess.start(work, "recv", "srt://127.0.0.1:" + port + "?mode=listener",
                "-o", out.toString());
                SrtSocket caller = SrtCommandsTest.connectWhenUp("srt://127.0.0.1:" + port)) {
            for (int i = 0; i < 20; i++) {
                byte[] payload = new byte[1316];
                payload[0] = 0x47;
                payload[1] = (byte) i;
                caller.send(payload, 0, payload.length);
            }
            assertThat(Await.until(() -> size(out) == 20 * 1316 || !recv.isAlive(), 60_000)).isTrue();
            recv.signal(signal);
            assertThat(recv.exitStatus()).as(recv.stderr()).isZero();
            assertThat(Files.readAllBytes(out)).hasSize(20 * 1316);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"INT", "TERM"})
    void theProbeResponderSaysHowManyProbesItAnsweredAndExits0(String signal) throws Exception {
        try (CommandProcess nettest = CommandProcess.start(work, "nettest", "--serve-probe",
                Integer.toString(Peers.freePort()), "--bind", "127.0.0.1")) {
            nettest.awaitOutput("stop with Ctrl-C");
            nettest.signal(signal);
            assertThat(nettest.exitStatus()).as(nettest.stderr()).isZero();
            assertThat(nettest.stdout()).contains("Stopped after 0 probes.");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"INT", "TERM"})
    void fetchStoppedMidTransferDeletesItsPartialFileAndExitsWithTheSignalsStatus(String signal) throws Exception {
        // At 300 kB/s the 30 MB take 100 s: the transfer is well under way when fetch is told to stop.
        Path served = Files.createDirectory(work.resolve("served"));
        Files.write(served.resolve("long.ts"), new byte[30_000_000]);
        int port = Peers.freePort();
        Path local = work.resolve("long.ts");
        try (SrtFileServer server = SrtFileServer.start(served,
                SrtUrl.parse("srt://127.0.0.1:" + port + "?mode=listener&maxbw=300000"));
                CommandProcess fetch = CommandProcess.start(work, "fetch", "srt://127.0.0.1:" + port, "long.ts",
                        local.toString())) {
            // received beside long.ts under a temporary name until whole
            assertThat(Await.until(() -> SrtCommandsTest.partFiles(work, "long.ts").stream()
                    .anyMatch(p -> size(p) > 0) || !fetch.isAlive(), 60_000)).isTrue();
            assertThat(fetch.isAlive()).as("fetching: %s", fetch.stderr()).isTrue();
            fetch.signal(signal);
            assertThat(fetch.exitStatus()).as(fetch.stderr()).isEqualTo(signal.equals("INT") ? 130 : 143);
            assertThat(fetch.stderr()).contains("interrupted after").contains("nothing kept");
            assertThat(local).as("no file, as before").doesNotExist();
            assertThat(SrtCommandsTest.partFiles(work, "long.ts")).as("the partial file is deleted").isEmpty();
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (java.io.IOException e) {
            return 0;
        }
    }
}
