package io.mcrsrt.streamer.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.mcrsrt.streamer.engine.LocalStreamEngine;
import io.mcrsrt.streamer.engine.testing.TestMedia;
import io.mcrsrt.streamer.stream.EngineSettings;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** What the metrics say when the service starts: nothing in the operator's log, and the renamed meters in place. */
class StreamMetricsStartTest {
    @TempDir
    Path data;

    /**
     * Micrometer warns at every start of a meter filter configured after a meter was registered; the filters that give
     * its meters Prometheus's names come first, so the log stays quiet and the names still apply.
     */
    @Test
    void startingLogsNoWarningAndTheMetersHaveTheirPrometheusNames() throws Exception {
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        Logger micrometer = (Logger) LoggerFactory.getLogger("io.micrometer");
        log.start();
        micrometer.addAppender(log);
        Path clip = TestMedia.shortClip();
        EngineSettings settings = new EngineSettings(clip.getParent(), data, 4, 1, 65535, 4);
        try (LocalStreamEngine engine = LocalStreamEngine.openTransient(settings, 0);
                StreamMetrics metrics = new StreamMetrics(engine)) {
            assertThat(log.list).filteredOn(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
                    .extracting(ILoggingEvent::getFormattedMessage).isEmpty();
            assertThat(metrics.scrape()).contains("\nprocess_cpu_seconds_total ").contains("\nsystem_cpus ")
                    .doesNotContain("process_cpu_time_ns_total").doesNotContain("system_cpu_count");
        } finally {
            micrometer.detachAppender(log);
        }
    }
}
