package io.mcrsrt.streamer.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** The hand-edited channel list: one bad entry is named and left out, the others are offered. */
class IptvChannelsTest {
    @TempDir
    Path dir;

    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger(IptvChannels.class);

    @BeforeEach
    void captureWarnings() {
        log.start();
        logger.addAppender(log);
    }

    @AfterEach
    void stopCapturing() {
        logger.detachAppender(log);
    }

    private List<String> warnings() {
        return log.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Test
    void badAndDuplicateEntriesAreLeftOutNamingTheEntryAndTheFixAndTheRestAreKept() throws IOException {
        Path file = dir.resolve("iptv_channels.json");
        Files.writeString(file, """
                [{"name": "News", "address": "239.1.1.1", "port": 5000},
                 {"name": "Sport", "address": "239.1.1.2", "port": "5000"},
                 {"name": "Weather", "address": "239.1.1.6", "port": "fifty"},
                 {"name": "Music", "address": "239.1.1.3", "port": 5000, "pid": 256},
                 {"name": "News again", "address": "239.1.1.1", "port": 5000},
                 {"name": "Film", "address": "cinema", "port": 5000},
                 5,
                 {"name": "Kids", "address": "239.1.1.4", "port": 70000},
                 {"name": "Local", "address": "239.1.1.5", "port": 5000, "source_ip": "10.0.0.5"}]""");

        JsonNode channels = new IptvChannels(file).read();

        assertThat(channels).extracting(c -> c.get("name").asText()).containsExactly("News", "Sport", "Music", "Local");
        assertThat(warnings()).containsExactly(
                "IPTV channel list " + file + ": entry 3 is left out: \"Weather\" has \"port\" \"fifty\" (expected:"
                        + " a whole number from 1 to 65535)",
                "IPTV channel list " + file + ": entry 4 (Music) has the unknown key \"pid\", which is ignored"
                        + " (expected only name, address, port, protocol, source_ip)",
                "IPTV channel list " + file + ": entry 5 (News again) is left out: an earlier entry has the same"
                        + " address and port 239.1.1.1:5000; remove one of them",
                "IPTV channel list " + file + ": entry 6 is left out: \"Film\" has \"address\" \"cinema\" (expected:"
                        + " an IP address such as \"239.1.1.1\")",
                "IPTV channel list " + file + ": entry 7 is left out: it is 5, not an object such as {\"name\":"
                        + " \"News\", \"address\": \"239.1.1.1\", \"port\": 5000}",
                "IPTV channel list " + file + ": entry 8 is left out: \"Kids\" has \"port\" 70000 (expected: a whole"
                        + " number from 1 to 65535)");
    }

    @Test
    void theSameFileIsWarnedAboutOnceNotEachTimeTheFormOpens() throws IOException {
        Path file = dir.resolve("iptv_channels.json");
        Files.writeString(file, "[{\"name\": \"News\", \"address\": \"news\", \"port\": 5000}]");
        IptvChannels channels = new IptvChannels(file);
        channels.read();
        channels.read();
        assertThat(warnings()).hasSize(1);
    }

    @Test
    void aDirectoryOrAnEmptyFileIsAnErrorNamingTheFileAndTheFix() throws IOException {
        Path folder = Files.createDirectory(dir.resolve("iptv_channels.json"));
        assertThatThrownBy(() -> new IptvChannels(folder).read()).isInstanceOf(IOException.class)
                .hasMessage(folder + " is a directory (expected: a JSON file; remove the directory or point"
                        + " IPTV_CHANNELS_FILE at the file)");
        Path empty = Files.createFile(dir.resolve("empty.json"));
        assertThatThrownBy(() -> new IptvChannels(empty).read()).isInstanceOf(IOException.class)
                .hasMessageStartingWith(empty + " is not a JSON array of channels (expected: [{\"name\": \"News\",");
    }

    @Test
    void atStartABrokenListIsNamedInTheLogAndNothingIsThrown() throws IOException {
        Path file = dir.resolve("iptv_channels.json");
        Files.writeString(file, "{\"name\": \"News\"}");
        new IptvChannels(file).checkAtStart();
        assertThat(warnings()).singleElement().asString().startsWith("IPTV channel list " + file + " cannot be used: "
                + file + " is not a JSON array of channels");
        log.list.clear();
        Files.writeString(file, "[{\"name\": \"News\", \"address\": \"239.1.1.1\", \"port\": 5000}]");
        new IptvChannels(file).checkAtStart();
        assertThat(warnings()).containsExactly("IPTV channel list " + file + ": 1 channel offered");
        log.list.clear();
        new IptvChannels(dir.resolve("absent.json")).checkAtStart();
        assertThat(warnings()).isEmpty();
    }
}
