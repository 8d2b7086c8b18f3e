package io.mcrsrt.streamer.api;

import io.mcrsrt.streamer.config.PasswordHash;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import io.mcrsrt.streamer.security.KnownBrowsers;
import io.mcrsrt.streamer.security.LoginThrottle;
import io.mcrsrt.streamer.security.SessionCodec;
import java.net.InetAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class SessionSecurityTest {
    private static final String BODY = "{\"input_type\":\"colorbar_720p50\",\"port\":10005}";
    /** TestService's SECRET_KEY, to make cookies as the service would have issued them at another time. */
    private static final String SECRET_KEY = "test-secret-key-0123456789";
    private static final SessionCodec CODEC = new SessionCodec(SECRET_KEY);
    private static final long HOUR = 3_600_000L;

    @TempDir
    Path root;

    private static String cookie(TestService.Reply r, String name) {
        for (String header : r.headers().allValues("Set-Cookie")) {
            Matcher m = Pattern.compile("^" + name + "=([^;]*)").matcher(header);
            if (m.find()) {
                return m.group(1);
            }
        }
        return null;
    }

    private static HttpRequest.Builder withCookies(HttpRequest.Builder b, String session, String csrf) {
        return b.header("Cookie", "mcr_session=" + session + (csrf == null ? "" : "; mcr_csrf=" + csrf));
    }

    @Test
    void withoutLoginAPageIssuesASessionThatDrivesTheApiWithCsrf() throws IOException {
        try (TestService svc = TestService.withFakeEngine(root)) {
            TestService.Reply page = svc.send(svc.request("/").GET().build());
            assertThat(page.status()).isEqualTo(200);
            assertThat(page.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
            assertThat(page.body()).contains("/static/js/dashboard.js");
            List<String> setCookies = page.headers().allValues("Set-Cookie");
            assertThat(setCookies).anySatisfy(c -> assertThat(c).startsWith("mcr_session=").contains("HttpOnly")
                    .contains("SameSite=Strict"));
            assertThat(setCookies).anySatisfy(c -> assertThat(c).startsWith("mcr_csrf=").doesNotContain("HttpOnly")
                    .contains("SameSite=Strict"));
            String session = cookie(page, "mcr_session");
            String csrf = cookie(page, "mcr_csrf");

            TestService.Reply list = svc.send(withCookies(svc.request("/api/streams"), session, csrf).GET().build());
            assertThat(list.status()).isEqualTo(200);

            TestService.Reply noToken = svc.send(withCookies(svc.request("/api/streams"), session, csrf)
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(BODY)).build());
            assertThat(noToken.status()).isEqualTo(403);
            assertThat(noToken.json().get("error").asText()).isEqualTo("Missing or invalid CSRF token");

            TestService.Reply wrongToken = svc.send(withCookies(svc.request("/api/streams"), session, "forged")
                    .header("X-CSRF-Token", "forged").header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(BODY)).build());
            assertThat(wrongToken.status()).isEqualTo(403);

            TestService.Reply ok = svc.send(withCookies(svc.request("/api/streams"), session, csrf)
                    .header("X-CSRF-Token", csrf).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(BODY)).build());
            assertThat(ok.status()).isEqualTo(201);

            TestService.Reply deleteNoToken = svc.send(withCookies(svc.request("/api/streams/10005"), session, csrf)
                    .DELETE().build());
            assertThat(deleteNoToken.status()).isEqualTo(403);
            assertThat(svc.engine.stream(10005)).isPresent();

            TestService.Reply tampered = svc.send(withCookies(svc.request("/api/streams"),
                    session.substring(0, session.length() - 2) + "AA", csrf).GET().build());
            assertThat(tampered.status()).isEqualTo(401);
        }
    }

    /**
     * A web page elsewhere may point a name of its own at 127.0.0.1 (DNS rebinding) and load the UI from the
     * operator's browser on this machine as a page of its own site: the connection is local, only the Host header
     * (which scripts cannot set) tells. Without a login, such a request gets no session and a session is no use to it.
     */
    @Test
    void withoutLoginARequestForAnotherSitesNameGetsNoSessionAndCannotUseOne() throws IOException {
        try (TestService svc = TestService.withFakeEngine(root)) {
            String rebound = "rebind.attacker.example:" + svc.server.port();
            String page = rawGet(svc, "/", rebound);
            assertThat(page).startsWith("HTTP/1.1 403").doesNotContain("mcr_session=", "mcr_csrf=")
                    .contains("rebind.attacker.example").contains("http://127.0.0.1:" + svc.server.port() + "/");

            TestService.Reply local = svc.send(svc.request("/").GET().build());
            String session = cookie(local, "mcr_session");
            String csrf = cookie(local, "mcr_csrf");
            assertThat(rawGet(svc, "/api/streams", rebound,
                    "Cookie: mcr_session=" + session + "; mcr_csrf=" + csrf))
                    .as("a session issued to this machine, replayed under another site's name").startsWith("HTTP/1.1 401");
            assertThat(rawGet(svc, "/", rebound, "Cookie: mcr_session=" + session)).startsWith("HTTP/1.1 403");

            for (String host : new String[] {"127.0.0.1:" + svc.server.port(), "localhost:" + svc.server.port(),
                    "[::1]:" + svc.server.port(), "ui.localhost", "LOCALHOST.", "192.0.2.10"}) {
                assertThat(rawGet(svc, "/api/streams", host, "Cookie: mcr_session=" + session)).as(host)
                        .startsWith("HTTP/1.1 200");
            }
            assertThat(rawGet(svc, "/api/streams", rebound, "X-API-Key: " + TestService.API_KEY))
                    .as("the API key works under any name").startsWith("HTTP/1.1 200");
        }
    }

    @Test
    void withALoginTheHostPlaysNoPart() throws IOException {
        String hash = PasswordHash.hash("s3cret-pass".toCharArray());
        try (TestService svc = new TestService(root, new FakeEngine(), 10001, 10010, "operator", hash)) {
            String session = cookie(login(svc, "s3cret-pass"), "mcr_session");
            assertThat(rawGet(svc, "/api/streams", "mcr-srt.example.internal", "Cookie: mcr_session=" + session))
                    .startsWith("HTTP/1.1 200");
        }
    }

    /** A GET with a Host header of the test's choice (the JDK's client will not send one), answered as text. */
    private static String rawGet(TestService svc, String path, String host, String... headers) throws IOException {
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", svc.server.port())) {
            s.setSoTimeout(30_000);
            StringBuilder request = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: " + host
                    + "\r\nConnection: close\r\n");
            for (String h : headers) {
                request.append(h).append("\r\n");
            }
            request.append("\r\n");
            s.getOutputStream().write(request.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            return new String(s.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    @Test
    void staticAssetsAreServedWithSecurityHeaders() throws IOException {
        try (TestService svc = TestService.withFakeEngine(root)) {
            TestService.Reply js = svc.send(svc.request("/static/js/api.js").GET().build());
            assertThat(js.status()).isEqualTo(200);
            assertThat(js.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
            assertThat(js.headers().firstValue("Content-Security-Policy")).isPresent();
            for (String page : new String[] {"/caller", "/stream/10001", "/stream/99999", "/network_test", "/files",
                    "/smpte2022_7", "/pair/10001"}) {
                TestService.Reply r = svc.send(svc.request(page).GET().build());
                assertThat(r.status()).as(page).isEqualTo(200);
                assertThat(r.body()).as(page).contains("<html");
            }
            TestService.Reply login = svc.send(svc.request("/login").GET().build());
            assertThat(login.status()).as("no login configured: /login goes home").isEqualTo(303);
        }
    }

    @Test
    void anUnreadableSignInFormIs400NotAnInternalError() throws IOException {
        String hash = PasswordHash.hash("s3cret-pass".toCharArray());
        try (TestService svc = new TestService(root, new FakeEngine(), 10001, 10010, "operator", hash)) {
            TestService.Reply r = svc.send(svc.request("/login").header("Content-Type",
                    "multipart/form-data; boundary=x").POST(HttpRequest.BodyPublishers.ofString("username=operator"))
                    .build());
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.body()).contains("The sign-in form could not be read");
            assertThat(cookie(r, "mcr_session")).isNull();
            assertThat(r.headers().firstValue("Connection")).hasValue("close");
        }
    }

    @Test
    void withLoginPagesRedirectUntilTheRightPasswordIsGiven() throws IOException {
        String hash = PasswordHash.hash("s3cret-pass".toCharArray());
        try (TestService svc = new TestService(root, new FakeEngine(), 10001, 10010, "operator", hash)) {
            TestService.Reply home = svc.send(svc.request("/stream/10001").GET().build());
            assertThat(home.status()).isEqualTo(303);
            assertThat(home.headers().firstValue("Location")).hasValue("/login?next=%2Fstream%2F10001");
            assertThat(home.headers().allValues("Set-Cookie")).isEmpty();
            assertThat(svc.send(svc.request("/login").GET().build()).body()).contains("password");

            TestService.Reply wrong = svc.send(svc.request("/login").header("Content-Type",
                    "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(
                    "username=operator&password=nope&next=%2Fcaller")).build());
            assertThat(wrong.status()).isEqualTo(303);
            assertThat(wrong.headers().firstValue("Location")).hasValue("/login?error=1&next=%2Fcaller");
            assertThat(cookie(wrong, "mcr_session")).isNull();

            TestService.Reply right = svc.send(svc.request("/login").header("Content-Type",
                    "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(
                    "username=operator&password=s3cret-pass&next=%2F%2Fevil.example.com")).build());
            assertThat(right.status()).isEqualTo(303);
            assertThat(right.headers().firstValue("Location")).as("no open redirect").hasValue("/");
            String session = cookie(right, "mcr_session");
            assertThat(session).isNotBlank();
            TestService.Reply page = svc.send(withCookies(svc.request("/"), session, null).GET().build());
            assertThat(page.status()).isEqualTo(200);
            assertThat(svc.send(withCookies(svc.request("/api/streams"), session, null).GET().build()).status())
                    .isEqualTo(200);

            TestService.Reply again = svc.send(svc.request("/login").header("Content-Type",
                    "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(
                    "username=operator&password=s3cret-pass&next=%2Fstream%2F10001")).build());
            assertThat(again.headers().firstValue("Location")).hasValue("/stream/10001");
        }
    }

    @Test
    void logoutNeedsTheSessionsTokenSoALinkElsewhereCannotSignTheOperatorOut() throws IOException {
        String hash = PasswordHash.hash("s3cret-pass".toCharArray());
        try (TestService svc = new TestService(root, new FakeEngine(), 10001, 10010, "operator", hash)) {
            TestService.Reply in = login(svc, "s3cret-pass");
            String session = cookie(in, "mcr_session");
            String csrf = cookie(in, "mcr_csrf");

            // The original's GET /logout, as a link or an image on any site would send it: a page, not a logout.
            TestService.Reply page = svc.send(withCookies(svc.request("/logout"), session, csrf).GET().build());
            assertThat(page.status()).isEqualTo(200);
            assertThat(page.headers().allValues("Set-Cookie")).isEmpty();
            assertThat(page.body()).contains("<form method=\"post\" action=\"/logout\"")
                    .contains("name=\"csrf_token\" value=\"" + csrf + "\"");

            // A form posted from elsewhere carries the cookies but cannot know the token.
            for (String body : new String[] {"", "csrf_token=", "csrf_token=" + csrf + "x"}) {
                TestService.Reply forged = svc.send(withCookies(svc.request("/logout"), session, csrf)
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build());
                assertThat(forged.status()).as(body).isEqualTo(403);
                assertThat(forged.headers().allValues("Set-Cookie")).as(body).isEmpty();
                assertThat(forged.body()).contains("Log out refused").contains("the session was kept");
            }
            assertThat(svc.send(withCookies(svc.request("/api/streams"), session, null).GET().build()).status())
                    .as("still signed in").isEqualTo(200);

            TestService.Reply byHeader = svc.send(withCookies(svc.request("/logout"), session, csrf)
                    .header("X-CSRF-Token", csrf).POST(HttpRequest.BodyPublishers.noBody()).build());
            assertThat(byHeader.status()).isEqualTo(303);
            assertThat(byHeader.headers().firstValue("Location")).hasValue("/login?logged_out=1");
            // Ended on the server too: a copy of the cookie taken before no longer opens anything.
            assertThat(svc.send(withCookies(svc.request("/api/streams"), session, null).GET().build()).status())
                    .as("the session's cookie after the logout").isEqualTo(401);
            assertThat(svc.send(withCookies(svc.request("/"), session, csrf).GET().build()).headers()
                    .firstValue("Location")).as("a page asks for the login again").hasValueSatisfying(
                            l -> assertThat(l).startsWith("/login"));

            TestService.Reply byForm = svc.send(withCookies(svc.request("/logout"), session, csrf)
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("csrf_token=" + csrf)).build());
            assertThat(byForm.status()).isEqualTo(303);
            assertThat(byForm.headers().firstValue("Location")).hasValue("/login?logged_out=1");
            assertThat(byForm.headers().allValues("Set-Cookie")).anySatisfy(c -> assertThat(c)
                    .startsWith("mcr_session=;").contains("Max-Age=0"));

            TestService.Reply noSession = svc.send(svc.request("/logout").GET().build());
            assertThat(noSession.status()).isEqualTo(303);
            assertThat(noSession.headers().firstValue("Location")).hasValue("/login?logged_out=1");
        }
        // A restart does not forget the logout.
        try (TestService restarted = new TestService(root, new FakeEngine(), 10001, 10010, "operator", hash)) {
            TestService.Reply in = login(restarted, "s3cret-pass");
            assertThat(restarted.send(withCookies(restarted.request("/api/streams"), cookie(in, "mcr_session"), null)
                    .GET().build()).status()).as("a new login still works").isEqualTo(200);
        }
    }

    @Test
    void aSessionEndedByALogoutStaysEndedAfterARestart() throws IOException {
        String hash = PasswordHash.hash("s3cret-pass".toCharArray());
        String session;
        String kept;
        try (TestService svc = new TestService(root, new FakeEngine(), 10001, 10010, "operator", hash)) {
            kept = cookie(login(svc, "s3cret-pass"), "mcr_session");
            TestService.Reply in = login(svc, "s3cret-pass");
            session = cookie(in, "mcr_session");
            String csrf = cookie(in, "mcr_csrf");
            assertThat(svc.send(withCookies(svc.request("/logout"), session, csrf).header("X-CSRF-Token", csrf)
                    .POST(HttpRequest.BodyPublishers.noBody()).build()).status()).isEqualTo(303);
        }
        try (TestService restarted = new TestService(root, new FakeEngine(), 10001, 10010, "operator", hash)) {
            assertThat(restarted.send(withCookies(restarted.request("/api/streams"), session, null).GET().build())
                    .status()).as("the session logged out").isEqualTo(401);
            assertThat(restarted.send(withCookies(restarted.request("/api/streams"), kept, null).GET().build())
                    .status()).as("another session of the same login, not logged out").isEqualTo(200);
        }
    }

    @Test
    void fiveWrongPasswordsLockTheAddressOutEvenForTheRightOne() throws IOException {
        String hash = PasswordHash.hash("s3cret-pass".toCharArray());
        try (TestService svc = new TestService(root, new FakeEngine(), 10001, 10010, "operator", hash)) {
            for (int attempt = 1; attempt <= 4; attempt++) {
                assertThat(login(svc, "guess" + attempt).headers().firstValue("Location"))
                        .hasValue("/login?error=1&next=%2F");
            }
            TestService.Reply fifth = login(svc, "guess5");
            assertThat(fifth.headers().firstValue("Location")).hasValue("/login?locked=300&by=address&next=%2F");
            TestService.Reply right = login(svc, "s3cret-pass");
            assertThat(right.status()).isEqualTo(303);
            assertThat(right.headers().firstValue("Location").orElseThrow()).startsWith("/login?locked=");
            assertThat(cookie(right, "mcr_session")).as("no session while locked out").isNull();

            TestService.Reply otherClient = svc.send(svc.request("/login")
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .header("X-Forwarded-For", "198.51.100.20")
                    .POST(HttpRequest.BodyPublishers.ofString("username=operator&password=s3cret-pass&next=%2F"))
                    .build());
            assertThat(otherClient.headers().firstValue("Location"))
                    .as("a client behind the local proxy is counted by its own address").hasValue("/");
            assertThat(cookie(otherClient, "mcr_session")).isNotBlank();
        }
    }

    /**
     * A local user sends each guess with another made-up X-Forwarded-For: each address is new to the per-client limit,
     * but all come through one peer, this machine, whose own limit then locks every login through it out.
     */
    @Test
    void guessesFromMadeUpForwardedAddressesAreLockedOutAtThePeersLimit() throws IOException {
        String hash = PasswordHash.hash("s3cret-pass".toCharArray());
        int peerLimit = LoginThrottle.STANDARD_PEER_LIMIT.maxFailures();
        try (TestService svc = new TestService(root, new FakeEngine(), 10001, 10010, "operator", hash)) {
            for (int guess = 1; guess < peerLimit; guess++) {
                assertThat(login(svc, "guess" + guess, "198.51.100." + guess).headers().firstValue("Location"))
                        .as("guess %d from a made-up address", guess).hasValue("/login?error=1&next=%2F");
            }
            assertThat(login(svc, "guess" + peerLimit, "198.51.100." + peerLimit).headers().firstValue("Location"))
                    .as("the peer's last allowed failure").hasValue("/login?locked=600&by=all&next=%2F");
            TestService.Reply right = login(svc, "s3cret-pass", "203.0.113.50");
            assertThat(right.headers().firstValue("Location").orElseThrow())
                    .as("another made-up address, even with the right password").startsWith("/login?locked=");
            assertThat(cookie(right, "mcr_session")).isNull();
        }
    }

    /**
     * Anyone who reaches the login page, through the nginx site or from the operator's own address, sends wrong
     * passwords until the operator's address and every login through this machine are locked out: a browser that has
     * signed in before still signs in with the right password, and is not held back by the guessers' lockouts.
     */
    @Test
    void aFloodOfWrongPasswordsDoesNotLockOutABrowserThatHasSignedInBefore() throws IOException {
        String hash = PasswordHash.hash("s3cret-pass".toCharArray());
        int peerLimit = LoginThrottle.STANDARD_PEER_LIMIT.maxFailures();
        try (TestService svc = new TestService(root, new FakeEngine(), 10001, 10010, "operator", hash)) {
            String known = cookie(login(svc, "s3cret-pass", "198.51.100.1"), KnownBrowsers.COOKIE);
            assertThat(known).as("the cookie a successful login leaves").isNotBlank();
            for (int guess = 1; guess <= LoginThrottle.STANDARD_CLIENT_LIMIT.maxFailures(); guess++) {
                login(svc, "guess" + guess, "198.51.100.1");
            }
            for (int guess = 1; guess <= peerLimit; guess++) {
                login(svc, "guess" + guess, "203.0.113." + guess);
            }
            TestService.Reply unknown = login(svc, "s3cret-pass", "198.51.100.1");
            assertThat(unknown.headers().firstValue("Location").orElseThrow())
                    .as("a browser without the cookie, at the guessers' address").startsWith("/login?locked=")
                    .contains("&by=all&");

            TestService.Reply again = svc.send(svc.request("/login")
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .header("X-Forwarded-For", "198.51.100.1")
                    .header("Cookie", KnownBrowsers.COOKIE + "=" + known)
                    .POST(HttpRequest.BodyPublishers.ofString("username=operator&password=s3cret-pass&next=%2F"))
                    .build());
            assertThat(again.headers().firstValue("Location")).as("the browser that has signed in before")
                    .hasValue("/");
            assertThat(cookie(again, "mcr_session")).isNotBlank();

            String lastOwnGuess = null;
            for (int guess = 1; guess <= LoginThrottle.STANDARD_CLIENT_LIMIT.maxFailures(); guess++) {
                lastOwnGuess = svc.send(svc.request("/login")
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .header("Cookie", KnownBrowsers.COOKIE + "=" + known)
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "username=operator&password=own" + guess + "&next=%2F"))
                        .build()).headers().firstValue("Location").orElseThrow();
            }
            assertThat(lastOwnGuess).as("that browser's own failures lock it out, and the page says whose")
                    .isEqualTo("/login?locked=300&by=browser&next=%2F");

            TestService.Reply forged = svc.send(svc.request("/login")
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .header("Cookie", KnownBrowsers.COOKIE + "=" + known.substring(0, known.indexOf('.') + 1) + "A".repeat(43))
                    .POST(HttpRequest.BodyPublishers.ofString("username=operator&password=s3cret-pass&next=%2F"))
                    .build());
            assertThat(forged.headers().firstValue("Location").orElseThrow()).as("a cookie not signed by the service")
                    .startsWith("/login?locked=");
        }
    }

    /** A local user connects from ever other loopback addresses: this machine is one peer whatever its address. */
    @Test
    void guessesFromEveryLoopbackAddressAreLockedOutAtThePeersLimit() throws IOException {
        String hash = PasswordHash.hash("s3cret-pass".toCharArray());
        int peerLimit = LoginThrottle.STANDARD_PEER_LIMIT.maxFailures();
        try (TestService svc = new TestService(root, new FakeEngine(), 10001, 10010, "operator", hash)) {
            for (int guess = 1; guess <= peerLimit; guess++) {
                login(svc, "guess" + guess, from("127.0.0." + (guess + 1)));
            }
            TestService.Reply right = login(svc, "s3cret-pass", from("127.0.1.1"));
            assertThat(right.headers().firstValue("Location").orElseThrow())
                    .as("a loopback address not used before, with the right password").startsWith("/login?locked=");
            assertThat(cookie(right, "mcr_session")).isNull();
        }
    }

    private static HttpClient from(String localAddress) {
        return HttpClient.newBuilder().localAddress(InetAddress.ofLiteral(localAddress)).build();
    }

    @Test
    void aSessionIssuedWithoutLoginEndsWhenALoginIsSet() throws IOException {
        String session;
        String csrf;
        try (TestService svc = TestService.withFakeEngine(root)) {
            TestService.Reply page = svc.send(svc.request("/").GET().build());
            session = cookie(page, "mcr_session");
            csrf = cookie(page, "mcr_csrf");
            assertThat(svc.send(withCookies(svc.request("/api/streams"), session, csrf).GET().build()).status())
                    .isEqualTo(200);
        }
        String hash = PasswordHash.hash("s3cret-pass".toCharArray());
        try (TestService svc = new TestService(root, new FakeEngine(), 10001, 10010, "operator", hash)) {
            assertThat(svc.send(withCookies(svc.request("/api/streams"), session, csrf).GET().build()).status())
                    .as("same SECRET_KEY, but the session was issued before the login was set").isEqualTo(401);
            assertThat(svc.send(withCookies(svc.request("/"), session, csrf).GET().build()).status())
                    .isEqualTo(303);
        }
    }

    @Test
    void changingThePasswordLogsEveryoneOut() throws IOException {
        String hash = PasswordHash.hash("s3cret-pass".toCharArray());
        String session;
        try (TestService svc = new TestService(root, new FakeEngine(), 10001, 10010, "operator", hash)) {
            session = cookie(login(svc, "s3cret-pass"), "mcr_session");
            assertThat(svc.send(withCookies(svc.request("/api/streams"), session, null).GET().build()).status())
                    .isEqualTo(200);
        }
        try (TestService svc = new TestService(root, new FakeEngine(), 10001, 10010, "operator", hash)) {
            assertThat(svc.send(withCookies(svc.request("/api/streams"), session, null).GET().build()).status())
                    .as("a restart with the same login keeps the session").isEqualTo(200);
        }
        String newHash = PasswordHash.hash("n3w-passphrase".toCharArray());
        try (TestService svc = new TestService(root, new FakeEngine(), 10001, 10010, "operator", newHash)) {
            assertThat(svc.send(withCookies(svc.request("/api/streams"), session, null).GET().build()).status())
                    .isEqualTo(401);
            assertThat(svc.send(withCookies(svc.request("/caller"), session, null).GET().build()).status())
                    .isEqualTo(303);
        }
    }

    @Test
    void behindTheLocalHttpsProxyTheCookiesAreSecure() throws IOException {
        try (TestService svc = TestService.withFakeEngine(root)) {
            TestService.Reply viaProxy = svc.send(svc.request("/").header("X-Forwarded-Proto", "https").GET().build());
            assertThat(viaProxy.headers().allValues("Set-Cookie")).hasSize(2)
                    .allSatisfy(c -> assertThat(c).endsWith("; Secure"));
            TestService.Reply plain = svc.send(svc.request("/").GET().build());
            assertThat(plain.headers().allValues("Set-Cookie")).hasSize(2)
                    .allSatisfy(c -> assertThat(c).doesNotContain("Secure"));
            TestService.Reply logout = svc.send(svc.request("/logout").header("X-Forwarded-Proto", "https").GET()
                    .build());
            assertThat(logout.headers().allValues("Set-Cookie")).allSatisfy(c -> assertThat(c).endsWith("; Secure"));
        }
    }

    /**
     * A session whose cookie was issued two hours ago (made here with the service's SECRET_KEY, as it would have
     * issued it then) gets a renewed cookie on every kind of answer that uses it: the same session, living 12 hours
     * from now, with the flags of the cookies a sign-in sets. A cookie issued minutes ago is not renewed.
     */
    @Test
    void aSessionInUseIsRenewedOnItsAnswersWithTheFlagsOfTheOriginal() throws Exception {
        String hash = PasswordHash.hash("s3cret-pass".toCharArray());
        try (TestService svc = new TestService(root, new FakeEngine(), 10001, 10010, "operator", hash)) {
            TestService.Reply in = login(svc, "s3cret-pass");
            long now = System.currentTimeMillis();
            SessionCodec.Session signedIn = CODEC.decode(cookie(in, "mcr_session"), now).orElseThrow();
            assertThat(svc.send(withCookies(svc.request("/api/streams"), cookie(in, "mcr_session"), null).GET()
                    .build()).headers().allValues("Set-Cookie")).as("a cookie minutes old").isEmpty();

            SessionCodec.Session twoHoursOld = new SessionCodec.Session("operator", now + 10 * HOUR,
                    signedIn.csrfToken(), signedIn.loginEpoch(), now - 2 * HOUR);
            for (boolean https : new boolean[] {false, true}) {
                HttpRequest.Builder api = withCookies(svc.request("/api/streams"), CODEC.encode(twoHoursOld), null);
                HttpRequest.Builder page = withCookies(svc.request("/"), CODEC.encode(twoHoursOld), null);
                HttpRequest.Builder events = withCookies(svc.request("/api/events"), CODEC.encode(twoHoursOld), null)
                        .header("Accept", "text/event-stream");
                if (https) {
                    api.header("X-Forwarded-Proto", "https");
                    page.header("X-Forwarded-Proto", "https");
                    events.header("X-Forwarded-Proto", "https");
                }
                TestService.Reply apiReply = svc.send(api.GET().build());
                TestService.Reply pageReply = svc.send(page.GET().build());
                HttpResponse<java.io.InputStream> stream = svc.http.send(events.GET().build(),
                        HttpResponse.BodyHandlers.ofInputStream());
                stream.body().close();
                assertThat(pageReply.status()).isEqualTo(200);
                assertThat(stream.statusCode()).isEqualTo(200);
                for (java.net.http.HttpHeaders headers : List.of(apiReply.headers(), pageReply.headers(),
                        stream.headers())) {
                    TestService.Reply r = new TestService.Reply(200, "", headers);
                    assertThat(headers.allValues("Set-Cookie")).as("https %s", https).hasSize(2)
                            .anySatisfy(c -> assertThat(c).matches("mcr_session=[^;]+; Path=/; Max-Age=43200; "
                                    + "HttpOnly; SameSite=Strict" + (https ? "; Secure" : "")))
                            .anySatisfy(c -> assertThat(c).isEqualTo("mcr_csrf=" + signedIn.csrfToken()
                                    + "; Path=/; Max-Age=43200; SameSite=Strict" + (https ? "; Secure" : "")));
                    SessionCodec.Session renewed = CODEC.decode(cookie(r, "mcr_session"), now).orElseThrow();
                    assertThat(renewed).usingRecursiveComparison().ignoringFields("expiresMillis")
                            .isEqualTo(twoHoursOld);
                    assertThat(renewed.expiresMillis()).isBetween(now + 12 * HOUR, now + 13 * HOUR);
                }
            }
        }
    }

    /** Cookies issued before the sign-in time was carried in them: read, and renewed into the current kind. */
    @Test
    void aSessionCookieOfTheFirstFormatIsStillReadAndRenewed() throws Exception {
        String hash = PasswordHash.hash("s3cret-pass".toCharArray());
        try (TestService svc = new TestService(root, new FakeEngine(), 10001, 10010, "operator", hash)) {
            long now = System.currentTimeMillis();
            SessionCodec.Session signedIn = CODEC.decode(cookie(login(svc, "s3cret-pass"), "mcr_session"), now)
                    .orElseThrow();
            long expires = now + 10 * HOUR;
            String old = firstFormat(signedIn.loginEpoch() + "|" + expires + "|" + signedIn.csrfToken() + "|operator");
            TestService.Reply r = svc.send(withCookies(svc.request("/api/streams"), old, null).GET().build());
            assertThat(r.status()).isEqualTo(200);
            SessionCodec.Session renewed = CODEC.decode(cookie(r, "mcr_session"), now).orElseThrow();
            assertThat(renewed.loginMillis()).as("issued at the sign-in, 12 hours before it expires")
                    .isEqualTo(expires - 12 * HOUR);
            assertThat(renewed.csrfToken()).isEqualTo(signedIn.csrfToken());
            assertThat(svc.send(withCookies(svc.request("/api/streams"), cookie(r, "mcr_session"), null).GET()
                    .build()).status()).isEqualTo(200);
        }
    }

    /** However often it was renewed, a session ends seven days after its sign-in, and is renewed up to then only. */
    @Test
    void aSessionEndsSevenDaysAfterItsSignInHoweverRenewed() throws Exception {
        String hash = PasswordHash.hash("s3cret-pass".toCharArray());
        try (TestService svc = new TestService(root, new FakeEngine(), 10001, 10010, "operator", hash)) {
            long now = System.currentTimeMillis();
            SessionCodec.Session signedIn = CODEC.decode(cookie(login(svc, "s3cret-pass"), "mcr_session"), now)
                    .orElseThrow();
            long week = java.time.Duration.ofDays(7).toMillis();
            String nearTheEnd = CODEC.encode(new SessionCodec.Session("operator", now + 2 * HOUR,
                    signedIn.csrfToken(), signedIn.loginEpoch(), now - week + 5 * HOUR));
            TestService.Reply last = svc.send(withCookies(svc.request("/api/streams"), nearTheEnd, null).GET()
                    .build());
            assertThat(last.status()).isEqualTo(200);
            assertThat(CODEC.decode(cookie(last, "mcr_session"), now).orElseThrow().expiresMillis())
                    .as("renewed to the end of its seventh day only").isEqualTo(now - week + 5 * HOUR + week);

            String pastTheEnd = CODEC.encode(new SessionCodec.Session("operator", now + 10 * HOUR,
                    signedIn.csrfToken(), signedIn.loginEpoch(), now - week - 60_000));
            TestService.Reply refused = svc.send(withCookies(svc.request("/api/streams"), pastTheEnd, null).GET()
                    .build());
            assertThat(refused.status()).isEqualTo(401);
            assertThat(cookie(refused, "mcr_session")).isNull();
            assertThat(svc.send(withCookies(svc.request("/"), pastTheEnd, null).GET().build()).headers()
                    .firstValue("Location")).hasValue("/login?next=%2F");
        }
    }

    /**
     * An open event stream's answer can set no cookie: the service ends it before its session's cookie expires, so
     * that the browser reopens it and is renewed, or finds its session ended. A session in its last seconds, which
     * cannot be renewed any more, has its stream ended at its expiry, and then the stream is refused.
     */
    @Test
    void anEventStreamEndsWhenItsSessionCannotLastLonger() throws Exception {
        String hash = PasswordHash.hash("s3cret-pass".toCharArray());
        try (TestService svc = new TestService(root, new FakeEngine(), 10001, 10010, "operator", hash)) {
            long now = System.currentTimeMillis();
            SessionCodec.Session s = CODEC.decode(cookie(login(svc, "s3cret-pass"), "mcr_session"), now).orElseThrow();
            long expires = now + 3_000;
            String lastSeconds = CODEC.encode(new SessionCodec.Session("operator", expires, s.csrfToken(),
                    s.loginEpoch(), expires - java.time.Duration.ofDays(7).toMillis()));
            HttpRequest events = withCookies(svc.request("/api/events"), lastSeconds, null)
                    .header("Accept", "text/event-stream").GET().build();
            HttpResponse<java.io.InputStream> stream = svc.http.send(events, HttpResponse.BodyHandlers.ofInputStream());
            assertThat(stream.statusCode()).isEqualTo(200);
            assertThat(stream.headers().allValues("Set-Cookie")).as("nothing to renew").isEmpty();
            java.util.concurrent.CompletableFuture<String> body = java.util.concurrent.CompletableFuture.supplyAsync(
                    () -> {
                        try (java.io.InputStream in = stream.body()) {
                            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                        } catch (IOException e) {
                            return e.toString();
                        }
                    });
            assertThat(body.get(60, java.util.concurrent.TimeUnit.SECONDS)).as("the stream's events, then its end")
                    .contains("event: streams");
            assertThat(System.currentTimeMillis()).as("ended at the session's expiry").isGreaterThanOrEqualTo(expires);
            assertThat(svc.send(events).status()).as("opened again").isEqualTo(401);
        }
    }

    /** A logout holds against a copy of the session's cookie renewed elsewhere, as long as any copy could live. */
    @Test
    void aLogoutIsKeptUntilTheLatestAnyCopyOfTheSessionCouldLive() throws Exception {
        String hash = PasswordHash.hash("s3cret-pass".toCharArray());
        try (TestService svc = new TestService(root, new FakeEngine(), 10001, 10010, "operator", hash)) {
            TestService.Reply in = login(svc, "s3cret-pass");
            long now = System.currentTimeMillis();
            SessionCodec.Session s = CODEC.decode(cookie(in, "mcr_session"), now).orElseThrow();
            String renewedElsewhere = CODEC.encode(new SessionCodec.Session("operator", now + 13 * HOUR,
                    s.csrfToken(), s.loginEpoch(), s.loginMillis()));
            assertThat(svc.send(withCookies(svc.request("/logout"), cookie(in, "mcr_session"), s.csrfToken())
                    .header("X-CSRF-Token", s.csrfToken()).POST(HttpRequest.BodyPublishers.noBody()).build())
                    .status()).isEqualTo(303);
            assertThat(svc.send(withCookies(svc.request("/api/streams"), renewedElsewhere, null).GET().build())
                    .status()).isEqualTo(401);
            String kept = java.nio.file.Files.readString(root.resolve("data/logged_out_sessions"));
            assertThat(kept.strip()).isEqualTo((s.loginMillis() + java.time.Duration.ofDays(7).toMillis()) + " "
                    + s.csrfToken());
        }
    }

    /** A cookie value of the first format, {@code loginEpoch|expiry|csrf|user}, signed with TestService's key. */
    private static String firstFormat(String fields) throws Exception {
        java.util.Base64.Encoder b64 = java.util.Base64.getUrlEncoder().withoutPadding();
        String payload = b64.encodeToString(fields.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(SECRET_KEY.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                "HmacSHA256"));
        return payload + "." + b64.encodeToString(mac.doFinal(payload.getBytes(java.nio.charset.StandardCharsets
                .UTF_8)));
    }

    @Test
    void theLocalOnlyPageSaysWhatToSet() {
        String page = PageHandlers.localOnlyPage();
        assertThat(page).contains("No UI login is configured, so the web UI answers only on this machine or through "
                + "the nginx site. Set UI_USERNAME and UI_PASSWORD_HASH (mcr-srt hash-password) to sign in from "
                + "elsewhere.").doesNotContain("<script");
    }

    private static TestService.Reply login(TestService svc, String password, String forwardedFor) {
        return svc.send(svc.request("/login").header("Content-Type", "application/x-www-form-urlencoded")
                .header("X-Forwarded-For", forwardedFor)
                .POST(HttpRequest.BodyPublishers.ofString("username=operator&password=" + password + "&next=%2F"))
                .build());
    }

    private static TestService.Reply login(TestService svc, String password, HttpClient client) throws IOException {
        try {
            HttpResponse<String> r = client.send(svc.request("/login")
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("username=operator&password=" + password + "&next=%2F"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            return new TestService.Reply(r.statusCode(), r.body(), r.headers());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        } finally {
            client.close();
        }
    }

    private static TestService.Reply login(TestService svc, String password) throws IOException {
        return svc.send(svc.request("/login").header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("username=operator&password=" + password + "&next=%2F"))
                .build());
    }
}
