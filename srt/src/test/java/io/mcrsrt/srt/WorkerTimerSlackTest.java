package io.mcrsrt.srt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** libsrt's worker threads take the timer slack asked for on the socket that starts them, read back from /proc. */
class WorkerTimerSlackTest {

    @Test
    void theThreadsABindStartsInheritTheSlackAndTheCallerKeepsItsOwn() throws Exception {
        assumeTrue(ThreadTimerSlack.supported(), "Linux only");
        long mine = ThreadTimerSlack.current().orElseThrow();
        Set<String> before = srtThreads().keySet();
        try (SrtSocket s = SrtSocket.create()) {
            s.workerTimerSlack(Duration.ofMillis(3)).bind(Peers.loopback(0));
            assertThat(s.workerTimerSlack()).contains(Duration.ofMillis(3));
            Map<String, Long> started = new HashMap<>(srtThreads());
            started.keySet().removeAll(before);
            assertThat(started).as("libsrt threads started by the bind").hasSizeGreaterThanOrEqualTo(2);
            assertThat(started.values()).containsOnly(3_000_000L);
        }
        assertThat(ThreadTimerSlack.current()).contains(mine);
    }

    @Test
    void withoutTheSettingTheThreadsKeepTheCallersSlack() throws Exception {
        assumeTrue(ThreadTimerSlack.supported(), "Linux only");
        long mine = ThreadTimerSlack.current().orElseThrow();
        Set<String> before = srtThreads().keySet();
        try (SrtSocket s = SrtSocket.create()) {
            s.bind(Peers.loopback(0));
            Map<String, Long> started = new HashMap<>(srtThreads());
            started.keySet().removeAll(before);
            assertThat(started).hasSizeGreaterThanOrEqualTo(2);
            assertThat(started.values()).containsOnly(mine);
        }
    }

    @Test
    void outOfRangeSlackIsRefusedWithTheRange() throws Exception {
        try (SrtSocket s = SrtSocket.create()) {
            assertThatThrownBy(() -> s.workerTimerSlack(Duration.ofMillis(51)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 us to 50 ms");
            assertThatThrownBy(() -> s.workerTimerSlack(Duration.ZERO))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0.0 us");
        }
    }

    @Test
    void slackAskedForOnceTheSocketIsBoundIsRefusedInsteadOfIgnored() throws Exception {
        // Before, it was kept and reported by workerTimerSlack(), but the bind had started the threads without it.
        try (SrtSocket s = SrtSocket.create()) {
            s.bind(Peers.loopback(0));
            assertThatThrownBy(() -> s.workerTimerSlack(Duration.ofMillis(2)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("the worker timer slack must be set before bind, connect or rendezvous, which start"
                            + " libsrt's threads for the port, but this socket is already OPENED: set it earlier, on a"
                            + " new socket");
            assertThat(s.workerTimerSlack()).isEmpty();
        }
    }

    /** libsrt's threads of this process ({@code SRT:...} names) by thread id, with their timer slack in ns. */
    private static Map<String, Long> srtThreads() throws IOException {
        Map<String, Long> threads = new HashMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : tasks.toList()) {
                String tid = task.getFileName().toString();
                try {
                    if (Files.readString(task.resolve("comm")).startsWith("SRT:")) {
                        threads.put(tid, Long.parseLong(
                                Files.readString(Path.of("/proc", tid, "timerslack_ns")).strip()));
                    }
                } catch (IOException gone) {
                    // the thread ended while we looked
                }
            }
        }
        return threads;
    }
}
