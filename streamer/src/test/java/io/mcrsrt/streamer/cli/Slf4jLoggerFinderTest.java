package io.mcrsrt.streamer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import java.util.Locale;
import java.util.ResourceBundle;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class Slf4jLoggerFinderTest {

    /**
     * A System.Logger message's {0} is filled in as MessageFormat does, but the same whatever the default locale: a
     * log line read by a script or compared between sites never has 1.234.567 or ١٬٢٣٤٬٥٦٧ for 1,234,567.
     */
    @Test
    void parametersAreWrittenTheSameInEveryDefaultLocale() {
        String name = "io.mcrsrt.streamer.cli.Slf4jLoggerFinderTest.parameters";
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        Logger logger = (Logger) LoggerFactory.getLogger(name);
        log.start();
        logger.addAppender(log);
        System.Logger system = new Slf4jLoggerFinder().getLogger(name, getClass().getModule());
        Locale before = Locale.getDefault();
        Locale beforeFormat = Locale.getDefault(Locale.Category.FORMAT);
        try {
            for (String tag : List.of("de-DE", "tr-TR", "ar-EG")) {
                Locale.setDefault(Locale.forLanguageTag(tag));
                system.log(System.Logger.Level.WARNING, (ResourceBundle) null, "sent {0} bytes in {1} s", 1_234_567,
                        8.003);
            }
        } finally {
            Locale.setDefault(before);
            Locale.setDefault(Locale.Category.FORMAT, beforeFormat);
            logger.detachAppender(log);
        }
        assertThat(log.list).extracting(ILoggingEvent::getFormattedMessage)
                .containsExactly("sent 1,234,567 bytes in 8.003 s", "sent 1,234,567 bytes in 8.003 s",
                        "sent 1,234,567 bytes in 8.003 s");
    }
}
