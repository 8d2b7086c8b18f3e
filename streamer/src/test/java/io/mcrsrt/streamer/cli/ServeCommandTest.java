package io.mcrsrt.streamer.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code mcr-srt serve} as a real process: starts from the environment, answers, stops in order on SIGTERM. */
class ServeCommandTest {
    @TempDir
    Path dir;

    private static int freeTcpPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void anIpv6HostIsPrintedInBracketsInAUrlThatAnswers() throws Exception {
        // Before, HOST=::1 printed http://::1:PORT/, which no browser or curl takes.
        int port = freeTcpPort();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), Main.class.getName(), "serve", "--port", String.valueOf(port))
                .redirectErrorStream(true).redirectOutput(dir.resolve("serve.txt").toFile());
        pb.environment().put("HOST", "::1");
        pb.environment().put("THREADS", "4"); // left over from the original's environment file
        pb.environment().put("DATA_DIR", dir.resolve("data").toString());
        pb.environment().put("MEDIA_FOLDER", dir.resolve("media").toString());
        pb.environment().put("LOG_DIR", dir.resolve("logs").toString());
        Process p = pb.start();
        try {
            String url = "http://[::1]:" + port + "/";
            String printed = "";
            for (int i = 0; i < 300 && !printed.contains("MCR SRT Streamer on ") && p.isAlive(); i++) {
                Thread.sleep(100);
                printed = Files.readString(dir.resolve("serve.txt"));
            }
            assertThat(printed).contains("MCR SRT Streamer on " + url);
            HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url
                    + "health")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(health.body()).isEqualTo("OK");
            assertThat(Files.readString(dir.resolve("logs/srt_streamer.log"))).contains("Web UI and API on " + url)
                    .contains("THREADS=4 is the original tool's web server setting and is not used");
        } finally {
            p.destroy();
            p.waitFor(30, TimeUnit.SECONDS);
            p.destroyForcibly();
        }
    }

    @Test
    void servesWithDefaultsFromTheEnvironmentAndStopsWebFirstOnSigterm() throws Exception {
        int port = freeTcpPort();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), Main.class.getName(), "serve", "--port", String.valueOf(port))
                .redirectErrorStream(true);
        pb.environment().put("DATA_DIR", dir.resolve("data").toString());
        pb.environment().put("MEDIA_FOLDER", dir.resolve("media").toString());
        pb.environment().put("LOG_DIR", dir.resolve("logs").toString());
        pb.environment().remove("API_KEY");
        pb.environment().remove("SECRET_KEY");
        Process p = pb.start();
        List<String> output = new ArrayList<>();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            Thread reader = Thread.ofVirtual().start(() -> out.lines().forEach(line -> {
                synchronized (output) {
                    output.add(line);
                }
            }));
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> health = null;
            for (int i = 0; i < 300 && health == null; i++) {
                try {
                    health = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                            .build(), HttpResponse.BodyHandlers.ofString());
                } catch (java.io.IOException notYet) {
                    assertThat(p.isAlive()).as("serve exited early: %s", output).isTrue();
                    Thread.sleep(100);
                }
            }
            assertThat(health).as("serve answered /health: %s", output).isNotNull();
            assertThat(health.body()).isEqualTo("OK");
            String key = Files.readString(dir.resolve("data/api_key")).strip();
            HttpResponse<String> list = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/api/streams")).header("X-API-Key", key).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(list.statusCode()).isEqualTo(200);

            p.destroy();
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            // 143, which the systemd unit counts as a clean stop (SuccessExitStatus=143), as docs/operations.md says
            assertThat(p.exitValue()).isEqualTo(143);
            reader.join(5000);
            String all;
            synchronized (output) {
                all = String.join("\n", output);
            }
            assertThat(all).contains("MCR SRT Streamer on http://127.0.0.1:" + port + "/")
                    .contains(dir.resolve("data/api_key").toString()).doesNotContain(key);
            String log = Files.readString(dir.resolve("logs/srt_streamer.log"));
            assertThat(log).contains("Web UI and API on").doesNotContain(key);
            int stopping = log.indexOf("Stopping: web server first, then the streams");
            assertThat(stopping).as("exit %d, log: %s", p.exitValue(), log).isNotNegative()
                    .isLessThan(log.lastIndexOf("Stopped"));
        } finally {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aMistypedLogLevelStopsTheStartInOneLineWithoutLoggingEverything() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), Main.class.getName(), "serve", "--port",
                String.valueOf(freeTcpPort())).redirectErrorStream(true).redirectOutput(dir.resolve("out.txt").toFile());
        pb.environment().put("LOG_LEVEL", "verbose");
        pb.environment().put("DATA_DIR", dir.resolve("data").toString());
        pb.environment().put("MEDIA_FOLDER", dir.resolve("media").toString());
        pb.environment().put("LOG_DIR", dir.resolve("logs").toString());
        Process p = pb.start();
        try {
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            String out = Files.readString(dir.resolve("out.txt"));
            assertThat(p.exitValue()).as(out).isEqualTo(2);
            assertThat(out).contains("mcr-srt serve: Invalid configuration:\n  LOG_LEVEL=verbose is not allowed:"
                    + " expected one of TRACE, DEBUG, INFO, WARN, ERROR")
                    .as("logback read the mistyped level as DEBUG and logged the exit with a stack trace")
                    .doesNotContain(" DEBUG ").doesNotContain("Throwable");
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void aSecondServiceOnTheSameDataDirIsRefusedAndLeavesTheFirstOnesStreamsSaved() throws Exception {
        // Before, the second one started, restored the first one's streams (Bind Error) and, on a DELETE there, wrote
        // streams.json without a stream the first one was still running: gone at the next restart.
        Files.createDirectories(dir.resolve("data"));
        // files not in the media folder: listed with Start Error and kept saved, nothing to render or send
        String saved = "{\"version\":1,\"streams\":[{\"mode\":\"caller\",\"input\":{\"input_type\":"
                + "\"file\",\"file_path\":\"one.ts\"},\"target_address\":\"127.0.0.1\",\"target_port\":9},"
                + "{\"mode\":\"caller\",\"input\":{\"input_type\":\"file\",\"file_path\":\"two.ts\"},"
                + "\"target_address\":\"127.0.0.1\",\"target_port\":10}],\"pairs\":[]}";
        Files.writeString(dir.resolve("data/streams.json"), saved);
        int firstPort = freeTcpPort();
        Process first = serve(firstPort, "first.txt");
        try {
            awaitHealth(firstPort, first, "first.txt");
            String before = Files.readString(dir.resolve("data/streams.json"));
            assertThat(before).contains("one.ts").contains("two.ts");

            Process second = serve(freeTcpPort(), "second.txt");
            try {
                assertThat(second.waitFor(60, TimeUnit.SECONDS)).as("the second service ends by itself").isTrue();
                String out = Files.readString(dir.resolve("second.txt"));
                assertThat(second.exitValue()).as(out).isEqualTo(2);
                assertThat(out).contains("mcr-srt serve: DATA_DIR=" + dir.resolve("data")
                        + " is in use by another mcr-srt serve")
                        .contains("pid " + first.pid()).contains("web 127.0.0.1:" + firstPort)
                        .contains("give this one a DATA_DIR of its own").doesNotContain("\tat ");
            } finally {
                second.destroyForcibly();
            }
            assertThat(Files.readString(dir.resolve("data/streams.json"))).isEqualTo(before);
            assertThat(Files.readString(dir.resolve("logs/srt_streamer.log")).split("Starting with", -1))
                    .as("only the first service wrote to the log").hasSize(2);
            assertThat(first.isAlive()).isTrue();
        } finally {
            first.destroy();
            first.waitFor(30, TimeUnit.SECONDS);
            first.destroyForcibly();
        }
        // The lock goes with the process: the next service on the DATA_DIR starts.
        int thirdPort = freeTcpPort();
        Process third = serve(thirdPort, "third.txt");
        try {
            awaitHealth(thirdPort, third, "third.txt");
        } finally {
            third.destroy();
            third.waitFor(30, TimeUnit.SECONDS);
            third.destroyForcibly();
        }
    }

    /** {@code serve} on this web port with DATA_DIR, MEDIA_FOLDER and LOG_DIR in the test's folder. */
    private Process serve(int port, String console) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), Main.class.getName(), "serve", "--port", String.valueOf(port))
                .redirectErrorStream(true).redirectOutput(dir.resolve(console).toFile());
        pb.environment().put("DATA_DIR", dir.resolve("data").toString());
        pb.environment().put("MEDIA_FOLDER", dir.resolve("media").toString());
        pb.environment().put("LOG_DIR", dir.resolve("logs").toString());
        pb.environment().put("API_KEY", "serve-command-test-api-key-0123");
        return pb.start();
    }

    private void awaitHealth(int port, Process p, String console) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        for (int i = 0; i < 300; i++) {
            try {
                HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                        + "/health")).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(health.body()).isEqualTo("OK");
                return;
            } catch (java.io.IOException notYet) {
                assertThat(p.isAlive()).as("serve exited early: %s", Files.readString(dir.resolve(console)))
                        .isTrue();
                Thread.sleep(100);
            }
        }
        throw new AssertionError("serve did not answer /health: " + Files.readString(dir.resolve(console)));
    }
}
