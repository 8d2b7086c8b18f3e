package io.mcrsrt.streamer.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.LoggingEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class LogFilesTest {
    @TempDir
    Path dir;

    /** The file appender a test enabled goes again, so the next test (and the next class) starts without it. */
    @AfterEach
    void detachTheFileAppender() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        var appender = root.getAppender(LogFiles.APPENDER);
        if (appender != null) {
            root.detachAppender(appender);
            appender.stop();
        }
    }

    @Test
    void serviceLogLinesGoToTheRollingFileInLogDir() throws Exception {
        Path file = LogFiles.enable(dir);
        assertThat(LogFiles.enable(dir)).isEqualTo(file);
        LoggerFactory.getLogger("io.mcrsrt.streamer.test").info("[10001] caller 127.0.0.1:4000 connected");
        assertThat(file).isEqualTo(dir.resolve("srt_streamer.log"));
        assertThat(Files.readString(file)).contains("INFO").contains("[10001] caller 127.0.0.1:4000 connected");
    }

    @Test
    void aMessageWithLineBreaksIsOneLineInTheFile() throws Exception {
        Path file = LogFiles.enable(dir);
        LoggerFactory.getLogger("io.mcrsrt.streamer.test").info("stream {}: connected {}", 10001,
                "(stream id x\n2026-11-22 12:00:00.000 ERROR [main] Auth - forged\r\tend\u001b[2J)");
        List<String> lines = Files.readAllLines(file).stream().filter(l -> l.contains("stream 10001")).toList();
        assertThat(lines).hasSize(1);
        assertThat(lines.getFirst()).endsWith("connected (stream id x\\n2026-11-22 12:00:00.000 ERROR [main] "
                + "Auth - forged\\r\\tend?[2J)");
        assertThat(Files.readString(file)).doesNotContain("\nERROR").doesNotContain("\n2026-11-22 12:00:00.000");
    }

    @Test
    void theConsoleUsesTheSameOneLinePattern() throws Exception {
        String xml;
        try (var in = LogFilesTest.class.getResourceAsStream("/logback.xml")) {
            xml = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        String pattern = xml.substring(xml.indexOf("<pattern>") + 9, xml.indexOf("</pattern>"));
        assertThat(pattern).isEqualTo(LogFiles.PATTERN);

        LoggerContext context = new LoggerContext();
        PatternLayout layout = new PatternLayout();
        layout.setContext(context);
        layout.setPattern(pattern);
        layout.start();
        LoggingEvent event = new LoggingEvent("x", context.getLogger("StreamRunner"), Level.INFO,
                "stream 10001: connected {}", null, new Object[] {"a\nb\r\nc\u2028d\u0007e"});
        String line = layout.doLayout(event);
        assertThat(line).endsWith(" - stream 10001: connected a\\nb\\r\\nc?d?e" + System.lineSeparator());
        assertThat(line.lines()).hasSize(1);
    }
}
