package io.mcrsrt.streamer.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mcrsrt.streamer.engine.testing.Await;
import io.mcrsrt.streamer.engine.testing.Peers;
import io.mcrsrt.streamer.stream.ColorBarFormat;
import io.mcrsrt.streamer.stream.EngineSettings;
import io.mcrsrt.streamer.stream.Encryption;
import io.mcrsrt.streamer.stream.InputSpec;
import io.mcrsrt.streamer.stream.Mode;
import io.mcrsrt.streamer.stream.StreamConfig;
import io.mcrsrt.streamer.stream.StreamException;
import io.mcrsrt.streamer.stream.StreamStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stream's key stays taken until its stop has returned, so a start on it meanwhile is a conflict saying so, never a
 * second stream racing the first for its port.
 */
class StoppingKeyTest {
    @TempDir
    Path data;

    private static StreamConfig bars(int target) {
        return new StreamConfig(Mode.CALLER, new InputSpec.ColorBars(ColorBarFormat.HD_720P50), null, "127.0.0.1",
                target, 200, 10, Encryption.NONE, null, false, 30, false, null);
    }

    @Test
    void aStartOnAKeyWhoseStreamIsStillStoppingIsAConflictThenWorks() throws Exception {
        int rendering = Peers.freePort();
        int waiting = Peers.freePort();
        try (LocalStreamEngine engine = LocalStreamEngine.open(new EngineSettings(data, data, 4, 1, 1, 4))) {
            // The first stream renders the colour bars (seconds); the second waits for that render and cannot be
            // interrupted while it waits, so its stop takes that long.
            engine.start(bars(rendering));
            assertThat(Await.until(StoppingKeyTest.this::renderingNow, 20_000)).as("colour bars rendering").isTrue();
            engine.start(bars(waiting));

            AtomicReference<Throwable> stopFailure = new AtomicReference<>();
            Thread stopper = Thread.ofPlatform().start(() -> {
                try {
                    engine.stop(waiting);
                } catch (Throwable t) {
                    stopFailure.set(t);
                }
            });
            assertThat(Await.until(() -> engine.stream(waiting).isEmpty(), 20_000)).isTrue();
            assertThat(stopper.isAlive()).as("the stop is still waiting for the stream's thread").isTrue();
            assertThatThrownBy(() -> engine.start(bars(waiting)))
                    .isInstanceOfSatisfying(StreamException.class,
                            e -> assertThat(e.reason()).isEqualTo(StreamException.Reason.CONFLICT))
                    .hasMessage("Stream " + waiting + " is still stopping; try again in a moment.");

            stopper.join();
            assertThat(stopFailure.get()).isNull();
            engine.start(bars(waiting));
            assertThat(Await.view(engine, waiting, v -> v.status() != StreamStatus.STARTING, 60_000).status())
                    .isIn(StreamStatus.CONNECTING, StreamStatus.CONNECTION_FAILED);
        }
    }

    private boolean renderingNow() {
        try (Stream<Path> files = Files.walk(data)) {
            return files.anyMatch(p -> p.getFileName().toString().contains(".partial-"));
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            return false;
        }
    }
}
