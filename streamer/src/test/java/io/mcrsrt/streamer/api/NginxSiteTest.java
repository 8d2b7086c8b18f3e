package io.mcrsrt.streamer.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import io.mcrsrt.streamer.reliability.Programs;
import io.mcrsrt.streamer.reliability.RepoFiles;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The nginx site of {@code deploy/nginx/} as shipped, run by Debian's own nginx in front of the service: only its
 * ports, upstream, certificate and password-file paths are rewritten, each rewrite checked to apply exactly once, so
 * a change to the site is tested rather than silently bypassed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NginxSiteTest {
    private static final String USER = "operator";
    private static final String PASSWORD = "control-room-7";

    private Path dir;
    private TestService svc;
    private Path nginxBinary;
    private Process nginx;
    private int httpPort;
    private int httpsPort;
    private HttpClient https;

    @BeforeAll
    void startServiceAndNginx(@TempDir Path tmp) throws Exception {
        dir = tmp;
        nginxBinary = Programs.find("nginx");
        assumeTrue(nginxBinary != null, "nginx is not installed (Debian package nginx)");
        assumeTrue(Programs.find("openssl") != null, "openssl is not installed (Debian package openssl)");
        svc = TestService.withFakeEngine(Files.createDirectories(dir.resolve("service")));
        Path conf = Files.createDirectories(dir.resolve("nginx"));
        run(conf, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
                "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", "site.key", "-out", "site.pem");
        String hash = run(conf, "openssl", "passwd", "-apr1", PASSWORD).strip();
        Files.writeString(conf.resolve("htpasswd"), USER + ":" + hash + "\n");
        httpPort = freePort();
        httpsPort = freePort();
        Files.writeString(conf.resolve("site.conf"), localSite(Files.readString(siteFile()), conf));
        Files.writeString(conf.resolve("nginx.conf"), """
                daemon off;
                master_process off;
                pid %1$s/nginx.pid;
                events { worker_connections 64; }
                http {
                    access_log off;
                    client_body_temp_path %1$s/body;
                    proxy_temp_path %1$s/proxy;
                    fastcgi_temp_path %1$s/fastcgi;
                    uwsgi_temp_path %1$s/uwsgi;
                    scgi_temp_path %1$s/scgi;
                    include %1$s/site.conf;
                }
                """.formatted(conf));
        nginx = new ProcessBuilder(nginxBinary.toString(), "-p", conf.toString(), "-c", conf.resolve("nginx.conf").toString(),
                "-e", conf.resolve("error.log").toString())
                .redirectErrorStream(true).redirectOutput(conf.resolve("nginx.out").toFile()).start();
        awaitListening(httpsPort, conf);
        https = HttpClient.newBuilder().sslContext(trusting(conf.resolve("site.pem")))
                .version(HttpClient.Version.HTTP_2).connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterAll
    void stop() throws InterruptedException {
        if (nginx != null) {
            nginx.destroy();
            nginx.waitFor(30, TimeUnit.SECONDS);
        }
        if (svc != null) {
            svc.close();
        }
    }

    @Test
    void nginxAcceptsTheSiteWithoutErrorsOrWarnings() throws Exception {
        Path conf = dir.resolve("nginx");
        Process t = new ProcessBuilder(nginxBinary.toString(), "-t", "-p", conf.toString(), "-c",
                conf.resolve("nginx.conf").toString(), "-e", conf.resolve("test-error.log").toString())
                .redirectErrorStream(true).start();
        String out = new String(t.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(t.waitFor()).as("nginx -t: %s", out).isZero();
        assertThat(out).as("nginx -t").contains("test is successful").doesNotContain("[warn]", "[emerg]");
    }

    @Test
    void plainHttpIsSentToHttps() throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + httpPort + "/api/streams?x=1")).GET().build(), text());
        assertThat(r.statusCode()).isEqualTo(301);
        assertThat(r.headers().firstValue("Location")).hasValue("https://127.0.0.1/api/streams?x=1");
    }

    @Test
    void theWebUiAsksForThePasswordAndThenShowsTheServicesPageOverHttp2() throws Exception {
        HttpResponse<String> none = https.send(site("/").GET().build(), text());
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"MCR SRT Streamer\"");
        assertThat(https.send(site("/").header("Authorization", basic(USER, "wrong")).GET().build(), text())
                .statusCode()).isEqualTo(401);

        HttpResponse<String> page = https.send(site("/").header("Authorization", basic(USER, PASSWORD)).GET().build(),
                text());
        assertThat(page.version()).as("HTTP version the browser gets").isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(page.statusCode()).as("the service answers a local proxy without its own login").isEqualTo(200);
        assertThat(page.body()).contains("/static/js/dashboard.js");
        assertThat(page.headers().firstValue("Strict-Transport-Security")).hasValue("max-age=31536000");
        assertThat(page.headers().firstValue("Content-Security-Policy")).as("the service's own headers pass")
                .isPresent();
    }

    @Test
    void theWebUiOpensUnderTheSitesNameAlthoughTheServiceRefusesNamesNotItsOwn() throws Exception {
        Path curl = Programs.find("curl");
        assumeTrue(curl != null, "curl is not installed (Debian package curl)");
        String name = "mcr-srt.example.internal";
        String page = run(dir, curl.toString(), "-sk", "-i", "--resolve", name + ":" + httpsPort + ":127.0.0.1",
                "-u", USER + ":" + PASSWORD, "https://" + name + ":" + httpsPort + "/");
        assertThat(page).as("the service's page under the site's name").matches("(?s)HTTP/2 200.*")
                .contains("/static/js/dashboard.js", "mcr_session=");
    }

    /**
     * The UI's own files (/static/) keep their names from one release to the next, and the pages (never cached) name
     * them: cached for an hour, a browser that reloaded a page after an upgrade ran the old scripts against the new
     * page and API for up to that hour, or a mix of old and new modules. They are asked for again at each load and
     * answered 304 while unchanged; the webjars, whose paths carry their versions, are cached.
     */
    @Test
    void staticFilesNeedThePasswordAndAreAskedForAgainSoThatAnUpgradeIsSeenAtOnce() throws Exception {
        assertThat(https.send(site("/static/js/dashboard.js").GET().build(), text()).statusCode()).isEqualTo(401);
        HttpResponse<String> js = https.send(site("/static/js/dashboard.js")
                .header("Authorization", basic(USER, PASSWORD)).GET().build(), text());
        assertThat(js.statusCode()).isEqualTo(200);
        assertThat(js.headers().allValues("Cache-Control")).containsExactly("no-cache");
        assertThat(js.headers().firstValue("Expires")).isEmpty();
        assertThat(js.headers().firstValue("Strict-Transport-Security")).hasValue("max-age=31536000");
        String etag = js.headers().firstValue("ETag").orElseThrow();
        HttpResponse<String> again = https.send(site("/static/js/dashboard.js")
                .header("Authorization", basic(USER, PASSWORD)).header("If-None-Match", etag).GET().build(), text());
        assertThat(again.statusCode()).as("unchanged: nothing sent again").isEqualTo(304);

        HttpResponse<String> css = https.send(site("/webjars/bootstrap/5.3.8/css/bootstrap.min.css")
                .header("Authorization", basic(USER, PASSWORD)).GET().build(), text());
        assertThat(css.statusCode()).isEqualTo(200);
        assertThat(css.headers().allValues("Cache-Control")).contains("public");
        assertThat(css.headers().firstValue("Expires")).isPresent();
    }

    @Test
    void theApiNeedsItsKeyAndNoPassword() throws Exception {
        HttpResponse<String> none = https.send(site("/api/streams").GET().build(), text());
        assertThat(none.statusCode()).as("the service's own refusal").isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate")).as("no basic-auth prompt for scripts").isEmpty();
        assertThat(none.body()).contains("\"error\"");

        HttpResponse<String> started = https.send(site("/api/streams").header("X-API-Key", TestService.API_KEY)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"input_type\":\"colorbar_720p50\",\"port\":10009}"))
                .build(), text());
        assertThat(started.statusCode()).as(started.body()).isEqualTo(201);
        HttpResponse<String> list = https.send(site("/api/streams").header("X-API-Key", TestService.API_KEY)
                .GET().build(), text());
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(list.body()).contains("10009");
        assertThat(https.send(site("/media").header("X-API-Key", TestService.API_KEY).GET().build(), text())
                .statusCode()).as("the media list is an API route").isEqualTo(200);
        assertThat(https.send(site("/metrics").GET().build(), text()).body()).contains("mcr_srt_streams");
        assertThat(https.send(site("/health").GET().build(), text()).statusCode()).isEqualTo(200);
    }

    @Test
    void serverSentEventsPassThroughWithTheApiKey() throws Exception {
        try (SseClientReader sse = new SseClientReader(https, site("/api/events")
                .header("X-API-Key", TestService.API_KEY).header("Accept", "text/event-stream").GET().build())) {
            assertThat(sse.status).isEqualTo(200);
            assertThat(sse.contentType).startsWith("text/event-stream");
            assertThat(sse.next("streams", 20_000)).as("first event through nginx").isNotNull();
            // The first event comes with the headers; this one is sent on its own, later.
            assertThat(svc.postJson("/api/streams", "{\"input_type\":\"colorbar_1080i25\",\"port\":10008}")
                    .status()).isEqualTo(201);
            SseClientReader.Event changed = sse.next("streams", 20_000);
            assertThat(changed).as("the event of a stream started after the first one, through nginx").isNotNull();
            assertThat(changed.data()).contains("10008");
        }
    }

    /**
     * nginx keeps idle connections to the service open for reuse; one the service has just closed as idle would fail
     * the request nginx sends on it (a POST is not retried: the browser gets 502). So nginx must give up an idle
     * connection before the service does: its upstream {@code keepalive_timeout} (60 s unless set) below the service's
     * idle timeout.
     */
    @Test
    void nginxClosesAnIdleUpstreamConnectionBeforeTheServiceDoes() throws Exception {
        Matcher upstream = Pattern.compile("(?s)upstream mcr_srt_streamer \\{(.*?)\\}").matcher(
                Files.readString(siteFile()));
        assertThat(upstream.find()).as("the site's upstream block").isTrue();
        Matcher timeout = Pattern.compile("(?m)^\\s*keepalive_timeout (\\d+)s;").matcher(upstream.group(1));
        assertThat(timeout.find()).as("keepalive_timeout in the upstream block (nginx's default is 60 s): %s",
                upstream.group(1)).isTrue();
        assertThat(Duration.ofSeconds(Long.parseLong(timeout.group(1))))
                .isLessThan(Duration.ofMillis(ConnectionCap.IDLE_TIMEOUT_MILLIS));
    }

    /** The shipped site with loopback ports, this service as upstream and this test's certificate and passwords. */
    private String localSite(String site, Path conf) {
        site = replaceOnce(site, "server 127.0.0.1:5000;", "server 127.0.0.1:" + svc.server.port() + ";");
        site = replaceOnce(site, "listen 80;", "listen 127.0.0.1:" + httpPort + ";");
        site = replaceOnce(site, "listen [::]:80;", "");
        site = replaceOnce(site, "listen 443 ssl http2;", "listen 127.0.0.1:" + httpsPort + " ssl http2;");
        site = replaceOnce(site, "listen [::]:443 ssl http2;", "");
        site = replaceOnce(site, "/etc/ssl/certs/mcr-srt-streamer.pem", conf.resolve("site.pem").toString());
        site = replaceOnce(site, "/etc/ssl/private/mcr-srt-streamer.key", conf.resolve("site.key").toString());
        return site.replace("/etc/nginx/mcr-srt-streamer.htpasswd", conf.resolve("htpasswd").toString());
    }

    private static String replaceOnce(String text, String from, String to) {
        Matcher m = Pattern.compile(Pattern.quote(from)).matcher(text);
        int count = 0;
        while (m.find()) {
            count++;
        }
        assertThat(count).as("occurrences of '%s' in the nginx site", from).isEqualTo(1);
        return text.replace(from, to);
    }

    private HttpRequest.Builder site(String path) {
        return HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + httpsPort + path))
                .timeout(Duration.ofSeconds(30));
    }

    private static HttpResponse.BodyHandler<String> text() {
        return HttpResponse.BodyHandlers.ofString();
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password)
                .getBytes(StandardCharsets.UTF_8));
    }

    private static SSLContext trusting(Path pem) throws Exception {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        store.setCertificateEntry("site", CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(pem))));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }

    private void awaitListening(int port, Path conf) throws Exception {
        for (int i = 0; i < 300; i++) {
            if (!nginx.isAlive()) {
                throw new AssertionError("nginx exited " + nginx.exitValue() + ": "
                        + Files.readString(conf.resolve("nginx.out")) + Files.readString(conf.resolve("error.log")));
            }
            try (Socket s = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new AssertionError("nginx did not listen on " + port + ": "
                + Files.readString(conf.resolve("error.log")));
    }

    private static String run(Path cwd, String... command) throws Exception {
        Process p = new ProcessBuilder(command).directory(cwd.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as("%s", List.of(command)).isZero();
        return out;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }


    private static Path siteFile() {
        return RepoFiles.root().resolve("deploy/nginx/mcr-srt-streamer.conf");
    }
}
