package io.mcrsrt.streamer.nettest;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServersCommandTest {

    private static final String OLD = "[{\"IP_HOST\": \"iperf3 -c old.example\", \"CONTINENT\": \"Europe\"}]";
    private static final String GOOD = """
            [
              {"IP_HOST": "iperf3 -c a.example -p 5201", "SITE": "Amsterdam", "COUNTRY": "NL", "CONTINENT": "Europe"},
              {"IP_HOST": "iperf3 -c b.example", "SITE": "Tokyo", "COUNTRY": "JP", "CONTINENT": "Asia"}
            ]
            """;

    @Test
    void serversWithoutFetchOrCheckPrintsTheUsageAndExits2() {
        // As mcr-srt without a command: a script that lost its subcommand must not pass for one that ran.
        CommandRun r = CommandRun.of("servers");

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).startsWith("Usage: mcr-srt servers").contains("fetch").contains("check");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void fetchReplacesTheListWithAGoodDownloadReadableByTheService(@TempDir Path dir) throws Exception {
        Path list = dir.resolve("iperf_servers.json");
        Files.writeString(list, OLD);
        Path fresh = dir.resolve("fresh.json");
        Files.writeString(fresh, GOOD);

        CommandRun r = CommandRun.of("servers", "fetch", fresh.toUri().toString(), "--file", list.toString());

        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("Server list refreshed from " + fresh.toUri() + ": 2 servers in " + list);
        assertThat(Files.readString(list)).isEqualTo(GOOD);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(list))).isEqualTo("rw-r--r--");
        assertThat(new ServerCatalog(list).all()).hasSize(2);
        assertThat(filesIn(dir)).as("no temporary file left behind")
                .containsExactlyInAnyOrder("iperf_servers.json", "fresh.json");
    }

    @Test
    void fetchKeepsTheCurrentListWhenTheDownloadIsNotOneTheServiceAccepts(@TempDir Path dir) throws Exception {
        Path list = dir.resolve("iperf_servers.json");
        Files.writeString(list, OLD);
        Path html = dir.resolve("error.html");
        Files.writeString(html, "<html>502 Bad Gateway</html>");
        Path badEntry = dir.resolve("bad-entry.json");
        Files.writeString(badEntry, "[{\"IP_HOST\": \"iperf3 -c ok.example\"}, {\"IP_HOST\": \"ping x.example\"}]");
        Path empty = dir.resolve("empty.json");
        Files.writeString(empty, "[]");

        CommandRun garbage = CommandRun.of("servers", "fetch", html.toUri().toString(), "--file", list.toString());
        assertThat(garbage.code()).isEqualTo(1);
        assertThat(garbage.err()).startsWith("mcr-srt servers fetch: ")
                .contains("is not a JSON list of servers").contains("Keeping the current " + list);

        CommandRun entry = CommandRun.of("servers", "fetch", badEntry.toUri().toString(), "--file", list.toString());
        assertThat(entry.code()).isEqualTo(1);
        assertThat(entry.err()).contains("Entry 2 of the iperf3 server list").contains("'ping x.example'");

        CommandRun none = CommandRun.of("servers", "fetch", empty.toUri().toString(), "--file", list.toString());
        assertThat(none.code()).isEqualTo(1);
        assertThat(none.err()).startsWith("mcr-srt servers fetch: ").contains("has no servers");

        CommandRun missing = CommandRun.of("servers", "fetch", dir.resolve("absent.json").toUri().toString(), "--file",
                list.toString());
        assertThat(missing.code()).isEqualTo(1);
        assertThat(missing.err()).startsWith("mcr-srt servers fetch: cannot refresh the server list from ")
                .contains("absent.json");

        assertThat(Files.readString(list)).isEqualTo(OLD);
        assertThat(filesIn(dir)).containsExactlyInAnyOrder("iperf_servers.json", "error.html", "bad-entry.json",
                "empty.json");
    }

    @Test
    void fetchOverHttpTakesA200AndRefusesAnError(@TempDir Path dir) throws Exception {
        HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        http.createContext("/iperf_servers.json", ex -> {
            byte[] body = GOOD.getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        http.createContext("/gone.json", ex -> {
            ex.sendResponseHeaders(404, -1);
            ex.close();
        });
        http.start();
        try {
            Path list = dir.resolve("iperf_servers.json");
            Files.writeString(list, OLD);
            String base = "http://127.0.0.1:" + http.getAddress().getPort();

            CommandRun gone = CommandRun.of("servers", "fetch", base + "/gone.json", "--file", list.toString());
            assertThat(gone.code()).isEqualTo(1);
            assertThat(gone.err()).contains("answered HTTP 404 (expected 200)");
            assertThat(Files.readString(list)).isEqualTo(OLD);

            CommandRun ok = CommandRun.of("servers", "fetch", base + "/iperf_servers.json", "--file", list.toString());
            assertThat(ok.code()).as(ok.err()).isZero();
            assertThat(Files.readString(list)).isEqualTo(GOOD);
        } finally {
            http.stop(0);
        }
    }

    @Test
    void fetchGivesUpOnAServerThatStallsInTheMiddleOfTheList(@TempDir Path dir) throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        http.createContext("/iperf_servers.json", ex -> {
            byte[] body = GOOD.getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body, 0, 10);
            ex.getResponseBody().flush();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ex.close();
        });
        http.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        http.start();
        try {
            Path list = dir.resolve("iperf_servers.json");
            Files.writeString(list, OLD);
            String url = "http://127.0.0.1:" + http.getAddress().getPort() + "/iperf_servers.json";

            CommandRun r = CommandRun.of("servers", "fetch", url, "--file", list.toString(), "--timeout", "1");

            assertThat(r.code()).isEqualTo(1);
            assertThat(r.err()).contains("The server list " + url + " did not arrive within 1 s")
                    .contains("Keeping the current " + list);
            assertThat(Files.readString(list)).isEqualTo(OLD);
        } finally {
            release.countDown();
            http.stop(0);
        }
    }

    @Test
    void fetchRefusesAnAddressThatIsNotAUrlItCanRead(@TempDir Path dir) {
        String list = dir.resolve("l.json").toString();
        CommandRun r = CommandRun.of("servers", "fetch", "ftp://example/list.json", "--file", list);
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("'ftp://example/list.json' is not an http, https or file URL");
        CommandRun opaque = CommandRun.of("servers", "fetch", "file:list.json", "--file", list);
        assertThat(opaque.code()).isEqualTo(2);
        assertThat(opaque.err()).contains("'file:list.json' is not an http, https or file URL");
    }

    @Test
    void fetchTakesAPlainPathAsAFile(@TempDir Path dir) throws Exception {
        Path list = dir.resolve("iperf_servers.json");
        Path fresh = Files.writeString(dir.resolve("fresh.json"), GOOD);
        CommandRun r = CommandRun.of("servers", "fetch", fresh.toString(), "--file", list.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(Files.readString(list)).isEqualTo(GOOD);
    }

    @Test
    void checkTellsWhichServersAnswerOverUdp(@TempDir Path dir) throws Exception {
        try (IperfServerProcess iperf = new IperfServerProcess()) {
            int closed = IperfServerProcess.freeTcpAndUdpPort();
            Path list = dir.resolve("servers.json");
            Files.writeString(list, "[{\"IP_HOST\": \"iperf3 -c 127.0.0.1 -p " + iperf.port()
                    + "\", \"SITE\": \"Here\", \"COUNTRY\": \"LO\"},"
                    + " {\"IP_HOST\": \"iperf3 -c 127.0.0.1 -p " + closed + "\", \"SITE\": \"Nowhere\"}]");

            CommandRun r = CommandRun.of("servers", "check", "--file", list.toString());

            assertThat(r.code()).as(r.err()).isZero();
            assertThat(r.out()).contains("answers   127.0.0.1:" + iperf.port() + "  Here, LO")
                    .contains("silent    127.0.0.1:" + closed + "  Nowhere")
                    .contains("1 of 2 servers in " + list + " answer over UDP.");
        }
    }

    @Test
    void checkOfAnUnreadableListExitsWithTwoAndSaysWhy(@TempDir Path dir) throws Exception {
        Path list = dir.resolve("servers.json");
        Files.writeString(list, "{not json");
        CommandRun r = CommandRun.of("servers", "check", "--file", list.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).startsWith("mcr-srt servers check: The iperf3 server list " + list
                + " is not a JSON list of servers");
    }

    @Test
    void checkOfAnEmptyListSaysSoAndExitsWithTwo(@TempDir Path dir) throws Exception {
        Path list = dir.resolve("iperf_servers.json");
        Files.writeString(list, "[]");
        CommandRun r = CommandRun.of("servers", "check", "--file", list.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).startsWith("mcr-srt servers check: the iperf3 server list " + list + " has no servers")
                .contains("mcr-srt servers fetch URL");
    }

    @Test
    void aFailedFirstFetchSaysNothingWasWrittenRatherThanKeepingAListThatIsNotThere(@TempDir Path dir) {
        Path list = dir.resolve("iperf_servers.json");
        CommandRun r = CommandRun.of("servers", "fetch", dir.resolve("absent.json").toUri().toString(), "--file",
                list.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("Nothing was written to " + list + ".").doesNotContain("Keeping");
        assertThat(list).doesNotExist();
    }

    @Test
    void fetchIntoADirectoryOrAMissingFolderIsAUsageErrorBeforeDownloading(@TempDir Path dir) throws Exception {
        Path source = dir.resolve("published.json");
        Files.writeString(source, "[{\"IP_HOST\": \"iperf3 -c 127.0.0.1\"}]");
        CommandRun intoDir = CommandRun.of("servers", "fetch", source.toString(), "--file", dir.toString());
        assertThat(intoDir.code()).isEqualTo(2);
        assertThat(intoDir.err()).startsWith("mcr-srt servers fetch: --file " + dir + " is a directory (expected: the"
                + " list's file, e.g. " + dir.resolve("iperf_servers.json") + ").").doesNotContain("java.nio");
        Path nowhere = dir.resolve("no/such/servers.json");
        CommandRun intoNowhere = CommandRun.of("servers", "fetch", source.toString(), "--file", nowhere.toString());
        assertThat(intoNowhere.code()).isEqualTo(2);
        assertThat(intoNowhere.err()).startsWith("mcr-srt servers fetch: --file " + nowhere + ": the folder "
                + nowhere.getParent() + " does not exist (create it first).");
    }

    @Test
    void checkOfAMissingListSaysTheFileDoesNotExist(@TempDir Path dir) {
        Path list = dir.resolve("absent.json");
        CommandRun r = CommandRun.of("servers", "check", "--file", list.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo("mcr-srt servers check: cannot read the iperf3 server list " + list
                + ": " + list + ": no such file or directory.");
    }

    @Test
    void checkNamesTheEntryWithAnUnknownKeyOrAValueOfTheWrongType(@TempDir Path dir) throws Exception {
        Path list = dir.resolve("servers.json");
        Files.writeString(list, """
                [{"IP_HOST": "iperf3 -c 127.0.0.1", "SITE": "Lab"},
                 {"IP_HOST": "iperf3 -c 127.0.0.2", "CONTINNT": "Europe"}]""");
        CommandRun unknown = CommandRun.of("servers", "check", "--file", list.toString());
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err().strip()).isEqualTo("mcr-srt servers check: Entry 2 of the iperf3 server list " + list
                + " has the unknown key \"CONTINNT\" (expected only IP_HOST, OPTIONS, GB_S, COUNTRY, SITE, CONTINENT,"
                + " PROVIDER): correct its spelling or remove it.");

        Files.writeString(list, """
                [{"IP_HOST": "iperf3 -c 127.0.0.1", "SITE": ["Lab", "Rack 3"]}]""");
        CommandRun wrongType = CommandRun.of("servers", "check", "--file", list.toString());
        assertThat(wrongType.code()).isEqualTo(2);
        assertThat(wrongType.err().strip()).isEqualTo("mcr-srt servers check: Entry 1 of the iperf3 server list " + list
                + " has SITE that is not a text value: write it in double quotes, e.g. \"SITE\": \"...\".");
    }

    private static Stream<String> filesIn(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).toList().stream();
        }
    }
}
