package io.mcrsrt.streamer.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mcrsrt.streamer.config.PasswordHash;
import io.mcrsrt.streamer.engine.testing.Await;
import io.mcrsrt.streamer.engine.testing.Peers;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mcr-srt serve} with its wall clock stepped while it runs, as NTP or an operator steps the clock of a box that
 * booted with a wrong one: libfaketime moves the process's wall clock by the offset in a file, and leaves its
 * monotonic clock alone ({@code FAKETIME_DONT_FAKE_MONOTONIC}). Durations (login lockouts, uptimes) follow the
 * monotonic clock, so a step neither stretches nor jumps them, and a stream goes on across steps. Skipped where
 * libfaketime (Debian package {@code faketime}) is not installed.
 */
class WallClockStepTest {
    private static final List<Path> LIBFAKETIME = List.of(
            Path.of("/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1"),
            Path.of("/usr/lib/aarch64-linux-gnu/faketime/libfaketime.so.1"),
            Path.of("/usr/lib/faketime/libfaketime.so.1"));
    private static final String API_KEY = "clock-step-test-api-key-0123456789";
    private static final String PASSWORD = "s3cret-pass";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void aLoginLockoutIsNotStretchedByAStepBack() throws Exception {
        try (Service svc = Service.start(dir)) {
            for (int i = 0; i < 5; i++) {
                svc.login("wrong-" + i);
            }
            assertThat(lockedSeconds(svc.login(PASSWORD))).as("five failures lock the address out").isBetween(1L, 300L);
            svc.step("-1h");
            assertThat(lockedSeconds(svc.login(PASSWORD))).as("still locked after the step, for at most the 5 minutes")
                    .isBetween(1L, 300L);
        }
    }

    @Test
    void uptimeIsNotJumpedByAStepForward() throws Exception {
        try (Service svc = Service.start(dir)) {
            HttpResponse<String> started = svc.api("POST", "/api/streams",
                    "{\"input_type\":\"colorbar_720p50\",\"port\":" + svc.srtPort + "}");
            assertThat(started.statusCode()).as(started.body()).isEqualTo(201);
            String key = String.valueOf(svc.srtPort);
            String startTime = svc.summary(key).path("start_time").asText();
            svc.step("+1h");
            JsonNode summary = svc.summary(key);
            assertThat(summary.path("uptime").asText()).as("seconds, not the hour of the step")
                    .matches("(\\d+m )?\\d+s");
            assertThat(summary.path("start_time").asText()).as("the wall time it started at").isEqualTo(startTime);
            JsonNode stats = JSON.readTree(svc.api("GET", "/api/stats/" + key, null).body());
            assertThat(stats.path("uptime").asText()).matches("(\\d+m )?\\d+s");
            Matcher gauge = Pattern.compile("(?m)^mcr_srt_stream_uptime_seconds\\{[^}]*} (\\S+)$")
                    .matcher(svc.api("GET", "/metrics", null).body());
            assertThat(gauge.find()).as("the uptime gauge").isTrue();
            assertThat(Double.parseDouble(gauge.group(1))).isLessThan(600);
        }
    }

    /**
     * A listener with a real receiver, its clock set back an hour, then forward two: the link stays up, and its
     * statistics history keeps one sample a second throughout, whose times jump with the clock where it was stepped
     * and nowhere else, at the bitrate of the colour bars; their ages by the monotonic clock stay a second apart across
     * the steps, so the pages draw the steps as no gap.
     */
    @Test
    void aStreamAndItsStatisticsGoOnAcrossStepsBothWays() throws Exception {
        try (Service svc = Service.start(dir)) {
            String key = String.valueOf(svc.srtPort);
            HttpResponse<String> started = svc.api("POST", "/api/streams",
                    "{\"input_type\":\"colorbar_720p50\",\"port\":" + key + "}");
            assertThat(started.statusCode()).as(started.body()).isEqualTo(201);
            assertThat(Await.until(() -> svc.status(key).equals("Waiting for connection"), 120_000))
                    .as("listening: %s", svc.status(key)).isTrue();
            Path received = dir.resolve("received.ts");
            try (Peers.Process receiver = Peers.receiveToFile("srt://127.0.0.1:" + key + "?mode=caller", received,
                    dir.resolve("receiver.txt"))) {
                assertThat(Await.until(() -> svc.history(key).size() >= 3, 60_000)).isTrue();
                for (String step : List.of("-1h", "+1h")) {
                    int before = svc.history(key).size();
                    svc.step(step);
                    assertThat(Await.until(() -> svc.history(key).size() >= before + 5, 60_000))
                            .as("samples after the step to %s", step).isTrue();
                    assertThat(svc.status(key)).isEqualTo("Connected");
                }
                assertThat(receiver.isAlive()).isTrue();
                assertThat(Files.size(received)).isPositive();
            }
            List<JsonNode> samples = svc.history(key);
            List<Long> jumps = new ArrayList<>();
            for (int i = 1; i < samples.size(); i++) {
                long between = samples.get(i).path("timestamp_millis").asLong()
                        - samples.get(i - 1).path("timestamp_millis").asLong();
                if (Math.abs(between) > 1_800_000L) {
                    jumps.add(Math.round(between / 3_600_000.0));
                }
            }
            assertThat(jumps).as("hours the samples' times jumped by").containsExactly(-1L, 2L);
            for (int i = 1; i < samples.size(); i++) {
                long apart = samples.get(i - 1).path("age_millis").asLong() - samples.get(i).path("age_millis").asLong();
                assertThat(apart).as("sample %d kept after the one before, by the monotonic clock", i)
                        .isBetween(1L, 3_000L);
            }
            assertThat(samples).allSatisfy(sample -> assertThat(sample.path("bitrate_mbps").asDouble())
                    .isLessThan(50));
        }
    }

    /**
     * A UI session with the service's wall clock moved on as the hours of a shift pass: used within its 12 hours, it
     * is renewed and outlives 12 hours after the sign-in; a cookie left unused for 12 hours has ended.
     */
    @Test
    void aSessionInUseOutlivesTwelveHoursAndOneUnusedForTwelveEnds() throws Exception {
        try (Service svc = Service.start(dir)) {
            String signedIn = cookie(svc.login(PASSWORD), "mcr_session");
            assertThat(signedIn).isNotNull();
            svc.step("+11h");
            HttpResponse<String> used = svc.withSession("/api/streams", signedIn);
            assertThat(used.statusCode()).isEqualTo(200);
            String renewed = cookie(used, "mcr_session");
            assertThat(renewed).as("a renewed cookie on the answer, 11 hours after the sign-in").isNotNull();

            svc.step("+13h");
            assertThat(svc.withSession("/api/streams", signedIn).statusCode())
                    .as("the sign-in's cookie, unused since, 13 hours on").isEqualTo(401);
            HttpResponse<String> page = svc.withSession("/", renewed);
            assertThat(page.statusCode()).as("13 hours after the sign-in, the cookie renewed 2 hours ago")
                    .isEqualTo(200);
            String latest = cookie(page, "mcr_session");
            assertThat(latest).as("renewed again").isNotNull();

            svc.step("+26h");
            assertThat(svc.withSession("/api/streams", latest).statusCode()).as("unused for 13 hours")
                    .isEqualTo(401);
            assertThat(svc.withSession("/", latest).headers().firstValue("Location"))
                    .as("a page asks for the sign-in").hasValue("/login?next=%2F");
        }
    }

    /**
     * A page that only follows an event stream, as the dashboard does: the stream opened with the sign-in's cookie is
     * ended by the service an hour before that cookie expires, and opened again with it gets the session renewed.
     */
    @Test
    void anEventStreamIsEndedBeforeItsSessionExpiresAndReopenedRenewed() throws Exception {
        try (Service svc = Service.start(dir)) {
            String signedIn = cookie(svc.login(PASSWORD), "mcr_session");
            HttpResponse<InputStream> stream = HTTP.send(svc.events(signedIn),
                    HttpResponse.BodyHandlers.ofInputStream());
            assertThat(stream.statusCode()).isEqualTo(200);
            CompletableFuture<String> events = CompletableFuture.supplyAsync(() -> {
                try (InputStream in = stream.body()) {
                    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    return e.toString();
                }
            });
            svc.step("+10h");
            assertThat(events).as("open 10 hours after the sign-in").isNotDone();
            svc.step("+11h");
            assertThat(events.get(60, TimeUnit.SECONDS)).as("ended 11 hours after the sign-in, saying so last")
                    .contains("event: streams").endsWith("event: reopen\ndata: {}\n\n");
            HttpResponse<InputStream> again = HTTP.send(svc.events(signedIn),
                    HttpResponse.BodyHandlers.ofInputStream());
            again.body().close();
            assertThat(again.statusCode()).as("opened again").isEqualTo(200);
            assertThat(again.headers().allValues("Set-Cookie")).as("with the session renewed")
                    .anySatisfy(c -> assertThat(c).startsWith("mcr_session=").contains("Max-Age=43200"));
        }
    }

    /** A session used every 10 hours for a week: renewed each time, and ended 7 days after its sign-in all the same. */
    @Test
    void aSessionRenewedAllWeekEndsSevenDaysAfterItsSignIn() throws Exception {
        try (Service svc = Service.start(dir)) {
            String session = cookie(svc.login(PASSWORD), "mcr_session");
            for (int hours = 10; hours <= 160; hours += 10) {
                svc.step("+" + hours + "h");
                HttpResponse<String> used = svc.withSession("/api/streams", session);
                assertThat(used.statusCode()).as("%d hours after the sign-in", hours).isEqualTo(200);
                session = cookie(used, "mcr_session");
                assertThat(session).as("renewed %d hours after the sign-in", hours).isNotNull();
            }
            svc.step("+167h");
            HttpResponse<String> lastHour = svc.withSession("/api/streams", session);
            assertThat(lastHour.statusCode()).as("the last hour of the seventh day").isEqualTo(200);
            assertThat(cookie(lastHour, "mcr_session")).as("not renewed past the seventh day").isNull();
            svc.step("+169h");
            assertThat(svc.withSession("/api/streams", session).statusCode()).as("7 days and an hour after the sign-in")
                    .isEqualTo(401);
        }
    }

    /** The value of the cookie {@code name} an answer sets, or null when it sets none. */
    private static String cookie(HttpResponse<String> r, String name) {
        for (String header : r.headers().allValues("Set-Cookie")) {
            if (header.startsWith(name + "=")) {
                return header.substring(name.length() + 1, header.indexOf(';'));
            }
        }
        return null;
    }

    /** The seconds of {@code /login?locked=N} a refused login is sent to, or 0 when it was not locked out. */
    private static long lockedSeconds(HttpResponse<String> login) {
        String location = login.headers().firstValue("Location").orElse("");
        Matcher m = Pattern.compile("locked=(\\d+)").matcher(location);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    /** The service as a child process under libfaketime, its wall clock offset by what {@link #step} writes. */
    private static final class Service implements AutoCloseable {
        final Process process;
        final int httpPort;
        final int srtPort;
        final Path offset;
        final Path console;

        private Service(Process process, int httpPort, int srtPort, Path offset, Path console) {
            this.process = process;
            this.httpPort = httpPort;
            this.srtPort = srtPort;
            this.offset = offset;
            this.console = console;
        }

        static Service start(Path dir) throws Exception {
            Path lib = LIBFAKETIME.stream().filter(Files::isRegularFile).findFirst().orElse(null);
            assumeTrue(lib != null, "libfaketime is not installed (Debian package faketime)");
            int httpPort = Peers.freePort();
            int srtPort = Peers.freePort();
            Path offset = dir.resolve("faketime-offset");
            Files.writeString(offset, "+0\n");
            Path console = dir.resolve("console.txt");
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            ProcessBuilder pb = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-Xmx256m", "-cp",
                    System.getProperty("java.class.path"), Main.class.getName(), "serve", "--port",
                    String.valueOf(httpPort)).redirectErrorStream(true).redirectOutput(console.toFile());
            pb.environment().put("HOST", "127.0.0.1");
            pb.environment().put("DATA_DIR", dir.resolve("data").toString());
            pb.environment().put("MEDIA_FOLDER", dir.resolve("media").toString());
            pb.environment().put("LOG_DIR", dir.resolve("logs").toString());
            pb.environment().put("API_KEY", API_KEY);
            pb.environment().put("UI_USERNAME", "operator");
            pb.environment().put("UI_PASSWORD_HASH", PasswordHash.hash(PASSWORD.toCharArray()));
            pb.environment().put("LISTENER_PORT_MIN", String.valueOf(srtPort));
            pb.environment().put("LISTENER_PORT_MAX", String.valueOf(srtPort));
            pb.environment().put("LD_PRELOAD", lib.toString());
            pb.environment().put("FAKETIME_TIMESTAMP_FILE", offset.toString());
            pb.environment().put("FAKETIME_DONT_FAKE_MONOTONIC", "1");
            pb.environment().put("FAKETIME_CACHE_DURATION", "1");
            // libfaketime's wrapping of condition waits on the monotonic clock, which is not faked here anyway, made
            // the JVM start in 25-40 s instead of 2
            pb.environment().put("FAKETIME_FORCE_MONOTONIC_FIX", "0");
            Service svc = new Service(pb.start(), httpPort, srtPort, offset, console);
            try {
                boolean up = Await.until(() -> svc.process.isAlive() && svc.answers(), 60_000);
                assertThat(up).as("the service answers /health:\n%s", svc.console()).isTrue();
            } catch (Throwable t) {
                svc.close();
                throw t;
            }
            return svc;
        }

        /**
         * Moves the service's wall clock to {@code offset} ("+1h", "-1h") from the real time, and waits until its
         * answers' Date header shows it.
         */
        void step(String to) throws Exception {
            long hours = Long.parseLong(to.replace("h", "").replace("+", ""));
            Files.writeString(offset, to + "\n");
            ZonedDateTime expected = ZonedDateTime.now().plusHours(hours);
            boolean stepped = Await.until(() -> {
                ZonedDateTime date = dateHeader();
                return date != null && Math.abs(Duration.between(expected, date).toMinutes()) < 10;
            }, 30_000);
            assertThat(stepped).as("the service's clock stepped by %s:\n%s", to, console()).isTrue();
        }

        /** The stream's {@code connection_status}. */
        String status(String key) {
            try {
                return JSON.readTree(api("GET", "/api/stats/" + key, null).body()).path("connection_status").asText();
            } catch (IOException e) {
                return e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return e.toString();
            }
        }

        /** The stream's statistics history, oldest first. */
        List<JsonNode> history(String key) {
            try {
                List<JsonNode> out = new ArrayList<>();
                JSON.readTree(api("GET", "/api/streams/" + key + "/history", null).body()).path("samples")
                        .forEach(out::add);
                return out;
            } catch (IOException e) {
                return List.of();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return List.of();
            }
        }

        /** The stream's Summary in {@code GET /api/streams}. */
        JsonNode summary(String key) throws IOException, InterruptedException {
            return JSON.readTree(api("GET", "/api/streams", null).body()).path("data").path(key);
        }

        HttpResponse<String> login(String password) throws IOException, InterruptedException {
            return HTTP.send(request("/login").header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("username=operator&password=" + password + "&next=%2F"))
                    .build(), HttpResponse.BodyHandlers.ofString());
        }

        /** A request for the global event stream, with the session cookie {@code session}. */
        HttpRequest events(String session) {
            return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/api/events"))
                    .header("Cookie", "mcr_session=" + session).header("Accept", "text/event-stream").GET().build();
        }

        /** A GET carrying the session cookie {@code session}, and no API key. */
        HttpResponse<String> withSession(String path, String session) throws IOException, InterruptedException {
            return HTTP.send(request(path).header("Cookie", "mcr_session=" + session).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        }

        HttpResponse<String> api(String method, String path, String json) throws IOException, InterruptedException {
            HttpRequest.Builder b = request(path).header("X-API-Key", API_KEY).method(method,
                    json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
            if (json != null) {
                b.header("Content-Type", "application/json");
            }
            return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        }

        private HttpRequest.Builder request(String path) {
            return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                    .timeout(Duration.ofSeconds(10));
        }

        private boolean answers() {
            try {
                return api("GET", "/health", null).statusCode() == 200;
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }

        private ZonedDateTime dateHeader() {
            try {
                return api("GET", "/health", null).headers().firstValue("Date")
                        .map(d -> ZonedDateTime.parse(d, DateTimeFormatter.RFC_1123_DATE_TIME)).orElse(null);
            } catch (IOException e) {
                return null;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }

        String console() {
            try {
                return Files.readString(console);
            } catch (IOException e) {
                return e.toString();
            }
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
