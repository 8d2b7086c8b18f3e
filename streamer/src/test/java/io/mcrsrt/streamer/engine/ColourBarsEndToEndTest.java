package io.mcrsrt.streamer.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcrsrt.streamer.engine.testing.Await;
import io.mcrsrt.streamer.engine.testing.Peers;
import io.mcrsrt.streamer.engine.testing.Probe;
import io.mcrsrt.streamer.engine.testing.TestMedia;
import io.mcrsrt.streamer.engine.testing.TsCheck;
import io.mcrsrt.streamer.stream.ColorBarFormat;
import io.mcrsrt.streamer.stream.EngineSettings;
import io.mcrsrt.streamer.stream.Encryption;
import io.mcrsrt.streamer.stream.InputSpec;
import io.mcrsrt.streamer.stream.Mode;
import io.mcrsrt.streamer.stream.StreamConfig;
import io.mcrsrt.streamer.stream.StreamStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ColourBarsEndToEndTest {
    @TempDir
    Path work;

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "HD_720P50, 'codec_name=h264|width=1280|height=720|field_order=progressive|r_frame_rate=50/1'",
        "HD_1080I25, 'codec_name=h264|width=1920|height=1080|field_order=tt|r_frame_rate=25/1'"})
    void barsArriveAsH264AndAacTone(ColorBarFormat format, String video) throws Exception {
        // the render cache is shared by the whole test run, as DATA_DIR is shared by all streams of a service
        Path data = TestMedia.dir().resolve("data");
        int port = Peers.freePort();
        EngineSettings settings = new EngineSettings(work, data, 4, port, port, 4);
        StreamConfig config = new StreamConfig(Mode.LISTENER, new InputSpec.ColorBars(format), port, null, null,
                1000, 25, Encryption.NONE, null, false, 30, false, null);
        Path received = work.resolve("bars.ts");
        try (LocalStreamEngine engine = LocalStreamEngine.open(settings)) {
            engine.start(config);
            assertThat(Await.status(engine, port, StreamStatus.WAITING, 240_000).status())
                    .isEqualTo(StreamStatus.WAITING);
            assertThat(data.resolve("bars")).isDirectoryContaining("glob:**.ts");
            try (Peers.Process rx = Peers.receiveToFile("srt://127.0.0.1:" + port + "?mode=caller&latency=1000",
                    received, work.resolve("rx.log"))) {
                Await.status(engine, port, StreamStatus.CONNECTED, 20_000);
                // 2 s at ~5.2 Mbit/s
                Await.until(() -> size(received) > 1_300_000, 30_000);
                assertThat(engine.stream(port).orElseThrow().inputBitrateMbps()).isBetween(4.0, 6.5);
            }
        }
        String probe = Probe.streams(received);
        assertThat(probe).contains(video);
        assertThat(probe).contains("codec_name=aac|sample_rate=48000|channels=2");
        assertThat(TsCheck.of(received).continuityErrors()).isZero();
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (Exception e) {
            return 0;
        }
    }
}
