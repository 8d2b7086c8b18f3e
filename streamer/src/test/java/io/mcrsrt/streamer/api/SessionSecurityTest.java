package io.mcrsrt.streamer.api;

import io.mcrsrt.streamer.config.PasswordHash;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class SessionSecurityTest {
    private static final String BODY = "{\"input_type\":\"colorbar_720p50\",\"port\":10005}";

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
            assertThat(fifth.headers().firstValue("Location")).hasValue("/login?locked=300&next=%2F");
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

    @Test
    void theLocalOnlyPageSaysWhatToSet() {
        String page = PageHandlers.localOnlyPage();
        assertThat(page).contains("No UI login is configured, so the web UI answers only on this machine or through "
                + "the nginx site. Set UI_USERNAME and UI_PASSWORD_HASH (mcr-srt hash-password) to sign in from "
                + "elsewhere.").doesNotContain("<script");
    }

    private static TestService.Reply login(TestService svc, String password) throws IOException {
        return svc.send(svc.request("/login").header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("username=operator&password=" + password + "&next=%2F"))
                .build());
    }
}
