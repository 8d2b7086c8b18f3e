package io.mcrsrt.streamer.cli;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.rolling.FixedWindowRollingPolicy;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeBasedTriggeringPolicy;
import ch.qos.logback.core.util.FileSize;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;

/**
 * Adds the service's rolling log file {@code LOG_DIR/srt_streamer.log} (10 MB x 5, as the original) to the console
 * logging of {@code logback.xml}. Only the service logs to a file; the command-line tools log to the console.
 */
final class LogFiles {
    static final String APPENDER = "FILE";
    /**
     * The console's pattern from {@code logback.xml}: one line per event, with line breaks, tabs and other control
     * characters in the message escaped ({@code \n}, {@code \r}, {@code \t}, {@code ?}) so that text from a remote
     * caller cannot forge log lines.
     */
    static final String PATTERN = "%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level [%thread] %logger{0} - "
            + "%replace(%replace(%replace(%replace(%msg){'\\r', '\\\\r'}){'\\n', '\\\\n'}){'\\t', '\\\\t'})"
            + "{'[\\p{Cntrl}\\u2028\\u2029]', '?'}%n";

    private LogFiles() {
    }

    /** Starts writing every log line to {@code dir/srt_streamer.log} too; a second call changes nothing. */
    static synchronized Path enable(Path dir) {
        Path file = dir.resolve("srt_streamer.log");
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return file;
        }
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        if (root.getAppender(APPENDER) != null) {
            return file;
        }
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
        encoder.start();
        RollingFileAppender<ILoggingEvent> appender = new RollingFileAppender<>();
        appender.setContext(context);
        appender.setName(APPENDER);
        appender.setFile(file.toString());
        FixedWindowRollingPolicy rolling = new FixedWindowRollingPolicy();
        rolling.setContext(context);
        rolling.setParent(appender);
        rolling.setFileNamePattern(dir.resolve("srt_streamer.%i.log").toString());
        rolling.setMinIndex(1);
        rolling.setMaxIndex(5);
        rolling.start();
        SizeBasedTriggeringPolicy<ILoggingEvent> trigger = new SizeBasedTriggeringPolicy<>();
        trigger.setContext(context);
        trigger.setMaxFileSize(FileSize.valueOf("10MB"));
        trigger.start();
        appender.setRollingPolicy(rolling);
        appender.setTriggeringPolicy(trigger);
        appender.setEncoder(encoder);
        appender.start();
        root.addAppender(appender);
        return file;
    }
}
