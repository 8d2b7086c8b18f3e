package io.mcrsrt.streamer.nettest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerCatalogTest {

    private static final String LIST = """
            [
              {"IP_HOST": "iperf3 -c speedtest.example.net -p 5201-5210", "OPTIONS": "-R", "GB_S": "10",
               "COUNTRY": "NL", "SITE": "Amsterdam", "CONTINENT": "Europe", "PROVIDER": "Example"},
              {"IP_HOST": "iperf3 -c 192.0.2.7", "OPTIONS": "", "GB_S": "1",
               "COUNTRY": "JP", "SITE": "Tokyo", "CONTINENT": "Asia", "PROVIDER": "Example"}
            ]
            """;

    @Test
    void readsTheOriginalFormatWithPortRangesAndDefaultPort() throws Exception {
        List<IperfServer> s = ServerCatalog.parse(LIST, "servers.json");
        assertThat(s).hasSize(2);
        assertThat(s.get(0).host()).isEqualTo("speedtest.example.net");
        assertThat(s.get(0).port()).isEqualTo(5201);
        assertThat(s.get(0).location()).isEqualTo("Amsterdam, NL");
        assertThat(s.get(1).host()).isEqualTo("192.0.2.7");
        assertThat(s.get(1).port()).isEqualTo(5201);
    }

    @Test
    void aServerListedTwiceIsOfferedOnceAndTheRepeatIsNamed() throws Exception {
        var log = new ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent>();
        var logger = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(ServerCatalog.class);
        log.start();
        logger.addAppender(log);
        List<IperfServer> s;
        try {
            s = ServerCatalog.parse("""
                    [{"IP_HOST": "iperf3 -c a.example -p 5201", "SITE": "A"},
                     {"IP_HOST": "iperf3 -c b.example", "SITE": "B"},
                     {"IP_HOST": "iperf3 -c A.example", "SITE": "A again"}]""", "servers.json");
        } finally {
            logger.detachAppender(log);
        }
        assertThat(s).extracting(IperfServer::site).containsExactly("A", "B");
        assertThat(log.list).extracting(e -> e.getFormattedMessage()).containsExactly("Entry 3 of the iperf3 server"
                + " list servers.json repeats entry 1 (a.example:5201); it is left out. Remove one of them.");
    }

    @Test
    void malformedJsonIsAClearError() {
        assertThatThrownBy(() -> ServerCatalog.parse("{not json", "servers.json"))
                .isInstanceOf(NetworkTestException.class)
                .hasMessageContaining("The iperf3 server list servers.json is not a JSON list of servers")
                .hasMessageContaining("IP_HOST");
    }

    @Test
    void entryWithoutAnIperfCommandIsNamed() {
        assertThatThrownBy(() -> ServerCatalog.parse("""
                [{"IP_HOST": "iperf3 -c ok.example"}, {"IP_HOST": "ping bad.example"}]""", "servers.json"))
                .hasMessageStartingWith("Entry 2 of the iperf3 server list servers.json has IP_HOST 'ping"
                        + " bad.example'");
    }

    @Test
    void aBrokenFileKeepsThePreviousListAndSaysWhy(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("servers.json");
        Files.writeString(f, LIST);
        ServerCatalog c = new ServerCatalog(f);
        assertThat(c.all()).hasSize(2);
        assertThat(c.problem()).isNull();
        assertThat(c.regions()).containsExactly("Asia", "Europe");
        Files.writeString(f, "[{\"IP_HOST\": 5}");
        c.reload();
        assertThat(c.all()).hasSize(2);
        assertThat(c.problem()).contains("servers.json").contains("previous list stays in use");
    }

    @Test
    void aListReplacedWhileRunningIsReadAtItsNextUse(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("servers.json");
        Files.writeString(f, LIST);
        ServerCatalog c = new ServerCatalog(f);
        assertThat(c.usable()).hasSize(2);

        // As `mcr-srt servers fetch` does: a new file renamed over the old one.
        Path fresh = Files.writeString(dir.resolve("fresh.json"), """
                [{"IP_HOST": "iperf3 -c 198.51.100.9", "SITE": "Oslo", "COUNTRY": "NO", "CONTINENT": "Europe"}]""");
        Files.setLastModifiedTime(fresh, FileTime.from(Files.getLastModifiedTime(f).toInstant().plusSeconds(10)));
        Files.move(fresh, f, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        assertThat(c.usable()).extracting(IperfServer::host).containsExactly("198.51.100.9");
        assertThat(c.regions()).containsExactly("Europe");

        Files.delete(f);
        assertThat(c.all()).as("a vanished file keeps the list in use").hasSize(1);
        assertThat(c.problem()).isNull();
    }

    @Test
    void missingFileIsReportedNotThrown(@TempDir Path dir) {
        ServerCatalog c = new ServerCatalog(dir.resolve("absent.json"));
        assertThat(c.all()).isEmpty();
        assertThat(c.problem()).contains("Cannot read the iperf3 server list").contains("absent.json");
    }

    @Test
    void refreshKeepsOnlyServersThatAnswerOverUdp(@TempDir Path dir) throws Exception {
        try (IperfServerProcess iperf = new IperfServerProcess()) {
            int closed = IperfServerProcess.freeTcpAndUdpPort();
            Path f = dir.resolve("servers.json");
            Files.writeString(f, String.format(Locale.ROOT, """
                    [{"IP_HOST": "iperf3 -c 127.0.0.1 -p %d", "CONTINENT": "Europe"},
                     {"IP_HOST": "iperf3 -c 127.0.0.1 -p %d", "CONTINENT": "Europe"}]
                    """, iperf.port(), closed));
            ServerCatalog c = new ServerCatalog(f);
            assertThat(c.usable()).hasSize(2);
            List<IperfServer> answering = ServerRefresher.refresh(c, ServerRefresher.IPERF_UDP);
            assertThat(answering).extracting(IperfServer::port).containsExactly(iperf.port());
            assertThat(c.usable()).extracting(IperfServer::port).containsExactly(iperf.port());
            assertThat(c.all()).hasSize(2);
        }
    }
}
