package io.mcrsrt.streamer.cli;

import java.text.MessageFormat;
import java.util.Locale;
import java.util.ResourceBundle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends {@link System.Logger} output to SLF4J, so that what the srt module logs ({@code SrtFileServer},
 * {@code SrtDatagrams}, {@code SrtSocket}: it logs through the JDK's {@code System.Logger} to stay free of
 * dependencies) comes out as every other log line of the executable, one line in the console's pattern at the level
 * LOG_LEVEL sets, and into the service's log file. Without it the JDK wrote it in java.util.logging's own two-line
 * format ("Nov 23, 2026 9:52:37 AM io.mcrsrt.srt.SrtFileServer serve" / "INFO: sent a.ts ..."). Registered in
 * {@code META-INF/services/java.lang.System$LoggerFinder}, where the JDK looks for it.
 */
public final class Slf4jLoggerFinder extends System.LoggerFinder {

    @Override
    public System.Logger getLogger(String name, Module module) {
        return new Slf4jSystemLogger(LoggerFactory.getLogger(name));
    }

    /** One {@link System.Logger} over one SLF4J logger of the same name. */
    private record Slf4jSystemLogger(Logger logger) implements System.Logger {
        @Override
        public String getName() {
            return logger.getName();
        }

        @Override
        public boolean isLoggable(Level level) {
            return switch (level) {
                case ALL, TRACE -> logger.isTraceEnabled();
                case DEBUG -> logger.isDebugEnabled();
                case INFO -> logger.isInfoEnabled();
                case WARNING -> logger.isWarnEnabled();
                case ERROR -> logger.isErrorEnabled();
                case OFF -> false;
            };
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String message, Throwable thrown) {
            if (isLoggable(level)) {
                emit(level, localized(bundle, message), thrown);
            }
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String format, Object... params) {
            if (isLoggable(level)) {
                String text = localized(bundle, format);
                // System.Logger's parameters are java.text.MessageFormat's {0}, not SLF4J's {}; a number in a log
                // line is written the same whatever the default locale (MessageFormat.format would use it)
                emit(level, params == null || params.length == 0 || text == null ? text
                        : new MessageFormat(text, Locale.ROOT).format(params), null);
            }
        }

        private void emit(Level level, String text, Throwable thrown) {
            switch (level) {
                case ALL, TRACE -> logger.trace(text, thrown);
                case DEBUG -> logger.debug(text, thrown);
                case INFO -> logger.info(text, thrown);
                case WARNING -> logger.warn(text, thrown);
                case ERROR -> logger.error(text, thrown);
                case OFF -> { }
            }
        }

        private static String localized(ResourceBundle bundle, String key) {
            return bundle != null && key != null && bundle.containsKey(key) ? bundle.getString(key) : key;
        }
    }
}
