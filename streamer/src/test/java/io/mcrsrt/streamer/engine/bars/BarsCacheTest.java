package io.mcrsrt.streamer.engine.bars;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcrsrt.streamer.engine.LocalStreamEngine;
import io.mcrsrt.streamer.engine.testing.Await;
import io.mcrsrt.streamer.engine.testing.Peers;
import io.mcrsrt.streamer.engine.testing.TestMedia;
import io.mcrsrt.streamer.stream.ColorBarFormat;
import io.mcrsrt.streamer.stream.EngineSettings;
import io.mcrsrt.streamer.stream.Encryption;
import io.mcrsrt.streamer.stream.InputSpec;
import io.mcrsrt.streamer.stream.Mode;
import io.mcrsrt.streamer.stream.StreamConfig;
import io.mcrsrt.streamer.stream.StreamStatus;
import io.mcrsrt.streamer.stream.StreamView;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The colour-bar cache in DATA_DIR/bars after damage on disk: the clip is rendered again, not played as it is. */
class BarsCacheTest {
    private static final ColorBarFormat FORMAT = ColorBarFormat.HD_720P50;

    @TempDir
    Path data;
    private Path whole;

    /** A copy of the test run's rendered clip (rendered once per run, as in ColourBarsEndToEndTest) in this DATA_DIR. */
    @BeforeEach
    void copyTheRenderedCache() throws Exception {
        Path shared = TestMedia.dir().resolve("data");
        whole = new BarsRenderer(shared).clip(FORMAT);
        Files.createDirectories(data.resolve("bars"));
        try (var files = Files.list(whole.getParent())) {
            for (Path f : files.toList()) {
                Files.copy(f, data.resolve("bars").resolve(f.getFileName()));
            }
        }
    }

    @Test
    void aTruncatedCachedClipIsRenderedAgainAndTheBarsStreamStarts() throws Exception {
        // Before, the 1000 bytes left were taken as the clip: Start Error "it has neither PCRs nor PTS", for good.
        Path clip = new BarsRenderer(data).clipPath(FORMAT);
        try (FileChannel ch = FileChannel.open(clip, StandardOpenOption.WRITE)) {
            ch.truncate(1000);
        }
        int port = Peers.freePort();
        EngineSettings settings = new EngineSettings(data, data, 4, port, port, 4);
        try (LocalStreamEngine engine = LocalStreamEngine.open(settings)) {
            engine.start(new StreamConfig(Mode.LISTENER, new InputSpec.ColorBars(FORMAT), port, null, null, 1000, 25,
                    Encryption.NONE, null, false, 30, false, null));
            StreamView v = Await.view(engine, port, s -> s.status() == StreamStatus.WAITING
                    || s.status().notRunning(), 240_000);
            assertThat(v.status()).as("%s: %s", v.connectionStatus(), v.statusDetail()).isEqualTo(StreamStatus.WAITING);
        }
        assertThat(Files.size(clip)).isEqualTo(Files.size(whole));
    }

    @Test
    void aCachedClipDamagedInTheMiddleIsRenderedAgain() throws Exception {
        BarsRenderer renderer = new BarsRenderer(data);
        Path clip = renderer.clipPath(FORMAT);
        Object before = Files.readAttributes(clip, BasicFileAttributes.class).fileKey();
        try (FileChannel ch = FileChannel.open(clip, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[188 * 10]), Files.size(clip) / 2);
        }

        Path again = renderer.clip(FORMAT);

        assertThat(again).isEqualTo(clip);
        assertThat(Files.readAttributes(clip, BasicFileAttributes.class).fileKey())
                .as("a new file renamed into place").isNotEqualTo(before);
        assertThat(Files.size(clip)).isEqualTo(Files.size(whole));
        // and once whole, it is taken as it is, by this renderer and by the next start's
        Object rendered = Files.readAttributes(clip, BasicFileAttributes.class).fileKey();
        renderer.clip(FORMAT);
        new BarsRenderer(data).clip(FORMAT);
        assertThat(Files.readAttributes(clip, BasicFileAttributes.class).fileKey()).isEqualTo(rendered);
    }
}
