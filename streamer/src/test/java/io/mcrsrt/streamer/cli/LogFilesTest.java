package io.mcrsrt.streamer.cli;

import ch.qos.logback.classic.LoggerContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class LogFilesTest {
    @TempDir
    Path dir;

    @Test
    void serviceLogLinesGoToTheRollingFileInLogDir() throws Exception {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        try {
            Path file = LogFiles.enable(dir);
            assertThat(LogFiles.enable(dir)).isEqualTo(file);
            LoggerFactory.getLogger("io.mcrsrt.streamer.test").info("[10001] caller 127.0.0.1:4000 connected");
            assertThat(file).isEqualTo(dir.resolve("srt_streamer.log"));
            assertThat(Files.readString(file)).contains("INFO").contains("[10001] caller 127.0.0.1:4000 connected");
        } finally {
            var appender = root.getAppender(LogFiles.APPENDER);
            if (appender != null) {
                root.detachAppender(appender);
                appender.stop();
            }
        }
    }
}
