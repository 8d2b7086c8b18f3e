package io.mcrsrt.streamer.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcrsrt.streamer.cli.Main;
import io.mcrsrt.streamer.engine.testing.Await;
import io.mcrsrt.streamer.engine.testing.Peers;
import io.mcrsrt.streamer.engine.testing.TestMedia;
import io.mcrsrt.streamer.engine.testing.VethLink;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A caller whose route to its listener disappears while it sends and comes back: {@code mcr-srt send} runs in a
 * network namespace of the test's own ({@link VethLink}) and calls srt-live-transmit listening on the near end of the
 * veth pair; the test deletes the namespace's route to it and adds it again. Needs root, skipped where namespaces
 * cannot be made.
 */
class CallerRouteLossTest {
    @TempDir
    Path data;

    @RegisterExtension
    final VethLink.PerTest network = VethLink.perTest();

    @Test
    void aRouteThatDisappearsIsNamedAsTheReasonAndTheCallerReconnectsWhenItIsBack(VethLink link) throws Exception {
        Path clip = TestMedia.shortClip();
        int port = Peers.freePort();
        String subnet = link.nearAddress().replaceAll("\\.1$", ".0/24");
        String target = link.nearAddress() + ":" + port;
        Path console = data.resolve("send.log");
        Files.createFile(console);
        try (Peers.Process listener = Peers.transmit("srt://" + target + "?mode=listener&latency=300",
                "udp://127.0.0.1:" + Peers.freePort(), data.resolve("listener.log"))) {
            Path java = Path.of(System.getProperty("java.home"), "bin", "java");
            link.startInNamespace(console, java.toString(), "--enable-native-access=ALL-UNNAMED", "-cp",
                    System.getProperty("java.class.path"), Main.class.getName(), "send", clip.toString(),
                    "srt://" + target, "--latency", "300", "--data-dir", data.resolve("send-data").toString());
            assertThat(Await.until(() -> read(console).contains("Connected"), 60_000)).as(read(console)).isTrue();

            link.inNamespace("ip", "route", "del", subnet);
            String noRoute = target + ": this machine has no route to " + link.nearAddress() + " (Network is"
                    + " unreachable): check the interface towards it and its routes (ip route get "
                    + link.nearAddress() + "); the caller keeps dialling";
            // the status line, written once a second, after the event's log line
            assertThat(Await.until(() -> read(console).contains("Broken / Reconnecting (" + noRoute + ")"), 60_000))
                    .as(read(console)).isTrue();
            assertThat(read(console)).contains("connect-failed: " + noRoute);

            int before = read(console).length();
            link.inNamespace("ip", "route", "add", subnet, "dev", link.far());
            assertThat(Await.until(() -> read(console).substring(before).contains("Connected"), 60_000))
                    .as(read(console)).isTrue();
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
