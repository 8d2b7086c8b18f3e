package io.mcrsrt.streamer.engine;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.mcrsrt.streamer.engine.input.FileInput;
import io.mcrsrt.streamer.engine.output.Outputs;
import io.mcrsrt.streamer.engine.testing.Await;
import io.mcrsrt.streamer.engine.testing.Peers;
import io.mcrsrt.streamer.engine.testing.TestMedia;
import io.mcrsrt.streamer.stream.ConnectionEvent;
import io.mcrsrt.streamer.stream.StreamConfig;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What is wrong with an input that plays anyway is said once, in the stream's events and the log. */
class StreamRunnerWarningTest {

    @Test
    void aFileWhosePcrRunsSlowerThanItsContentIsAWarningEventAndLogLineWithTheRemux() throws Exception {
        List<String> warnings = warningsOf(TestMedia.slowPcrClip());
        assertThat(warnings).hasSize(2).allSatisfy(w -> assertThat(w).contains("slow-pcr.ts: its PCR runs slower"
                + " than its timestamps (2.").contains("remux it, e.g. ffmpeg -i IN -c copy -f mpegts OUT.ts"));
        assertThat(warnings.getFirst()).startsWith("input: slow-pcr.ts");
    }

    @Test
    void aWellMadeFileHasNoWarning() throws Exception {
        assertThat(warningsOf(TestMedia.shortClip())).isEmpty();
    }

    /** The warning events of a caller stream on {@code file}, then the WARN log lines of its runner. */
    private static List<String> warningsOf(Path file) throws Exception {
        StreamConfig config = EngineLifecycleTest.caller(Peers.freePort(), "clip.ts");
        StreamRunner runner = new StreamRunner(config, () -> FileInput.open(file, true),
                (events, bps) -> Outputs.open(config, 4, bps, events), 0, Outputs.srtUri(config));
        var log = new ListAppender<ILoggingEvent>();
        var logger = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(StreamRunner.class);
        log.start();
        logger.addAppender(log);
        List<String> events;
        try {
            runner.start();
            // the caller dials once its input is open: its first attempt is the sign that the input was looked at
            assertThat(Await.until(() -> runner.view().connectionStatus().startsWith("Connecting"), 20_000)).isTrue();
            events = runner.view().events().stream().filter(e -> e.kind().equals("warning"))
                    .map(ConnectionEvent::detail).toList();
        } finally {
            assertThat(runner.stop(5_000)).isTrue();
            logger.detachAppender(log);
        }
        List<String> lines = log.list.stream().filter(e -> e.getLevel() == Level.WARN)
                .map(ILoggingEvent::getFormattedMessage).toList();
        return java.util.stream.Stream.concat(events.stream(), lines.stream()).toList();
    }
}
