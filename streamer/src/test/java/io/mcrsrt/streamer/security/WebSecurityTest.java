package io.mcrsrt.streamer.security;

import io.mcrsrt.streamer.config.PasswordHash;
import io.mcrsrt.streamer.config.Secrets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class WebSecurityTest {
    private static final Secrets SECRETS = new Secrets("test-api-key-0123456789", "test-secret-key-0123456789");
    private static final long NOW = System.currentTimeMillis();
    private static final long LATER = NOW + 3_600_000;

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "127.10.20.30", "::1", "::ffff:127.0.0.1"})
    void loopbackAddressesAreThisMachine(String literal) {
        assertThat(ClientAddress.isLoopback(InetAddress.ofLiteral(literal))).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.1", "192.168.1.2", "203.0.113.9", "0.0.0.0", "2001:db8::1", "fe80::1",
            "::ffff:10.0.0.1"})
    void otherAddressesAreNot(String literal) {
        assertThat(ClientAddress.isLoopback(InetAddress.ofLiteral(literal))).isFalse();
    }

    @Test
    void withoutLoginOnlyALocalPeerGetsAPageSession() {
        assertThat(WebSecurity.pageAccess(false, true, true)).isEqualTo(WebSecurity.PageAccess.ALLOWED);
        assertThat(WebSecurity.pageAccess(false, false, true)).isEqualTo(WebSecurity.PageAccess.LOCAL_ONLY);
        assertThat(WebSecurity.pageAccess(false, true, false)).isEqualTo(WebSecurity.PageAccess.FOREIGN_HOST);
        assertThat(WebSecurity.pageAccess(true, true, true)).isEqualTo(WebSecurity.PageAccess.LOGIN_REQUIRED);
        assertThat(WebSecurity.pageAccess(true, false, true)).isEqualTo(WebSecurity.PageAccess.LOGIN_REQUIRED);
        assertThat(WebSecurity.pageAccess(true, true, false)).isEqualTo(WebSecurity.PageAccess.LOGIN_REQUIRED);
        assertThat(WebSecurity.LOCAL_ONLY_MESSAGE).isEqualTo("No UI login is configured, so the web UI answers only "
                + "on this machine or through the nginx site. Set UI_USERNAME and UI_PASSWORD_HASH (mcr-srt "
                + "hash-password) to sign in from elsewhere.");
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "127.0.1.1", "[::1]", "::1", "192.0.2.10", "[2001:db8::1]", "localhost",
            "LocalHost", "localhost.", "ui.localhost", "control-7", "CONTROL-7"})
    void addressesLocalhostAndThisMachinesNameAreThisMachine(String host) {
        assertThat(RequestHost.namesThisMachine(host, "control-7")).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"rebind.attacker.example", "localhost.attacker.example", "127.0.0.1.nip.io",
            "control-7.attacker.example", "999.1.1.1x", "[not-an-address]", "0x7f000001.example"})
    void otherNamesAreNot(String host) {
        assertThat(RequestHost.namesThisMachine(host, "control-7")).isFalse();
        assertThat(RequestHost.namesThisMachine(host, "")).isFalse();
    }

    @Test
    void aNoLoginSessionIsRefusedFromElsewhereAndOnceALoginIsSet() {
        WebSecurity open = new WebSecurity(SECRETS, null, null);
        SessionCodec.Session s = session(open, "ui");
        assertThat(open.accepts(s, true)).isTrue();
        assertThat(open.accepts(s, false)).as("a session is no use from another machine").isFalse();

        String hash = PasswordHash.hash("s3cret-pass".toCharArray());
        WebSecurity withLogin = new WebSecurity(SECRETS, "operator", hash);
        assertThat(withLogin.accepts(s, true)).as("issued before the login was set").isFalse();
        assertThat(withLogin.accepts(new SessionCodec.Session("operator", LATER, "csrf", "none", NOW), true))
                .isFalse();
    }

    @Test
    void aChangedPasswordOrUserEndsTheSessionsOfTheOldLogin() {
        String hash = PasswordHash.hash("s3cret-pass".toCharArray());
        WebSecurity before = new WebSecurity(SECRETS, "operator", hash);
        SessionCodec.Session s = session(before, "operator");
        assertThat(new WebSecurity(SECRETS, "operator", hash).accepts(s, false)).as("same login, restarted").isTrue();

        String sameWordNewHash = PasswordHash.hash("s3cret-pass".toCharArray());
        assertThat(new WebSecurity(SECRETS, "operator", sameWordNewHash).accepts(s, false)).isFalse();
        assertThat(new WebSecurity(SECRETS, "admin", hash).accepts(s, false)).isFalse();
        assertThat(new WebSecurity(SECRETS, null, null).accepts(s, true)).as("login removed").isFalse();

        SessionCodec.Session otherUser = new SessionCodec.Session("intruder", LATER, "csrf",
                WebSecurity.loginEpoch("operator", hash), NOW);
        assertThat(before.accepts(otherUser, true)).isFalse();
    }

    @Test
    void theCookieCarriesTheEpochAndAUserWithABar() {
        SessionCodec codec = new SessionCodec(SECRETS.secretKey());
        SessionCodec.Session s = new SessionCodec.Session("ops|night", LATER, "csrf-token", "AbCdEf0123456789",
                NOW);
        assertThat(codec.decode(codec.encode(s), System.currentTimeMillis())).contains(s);
    }

    @Test
    void aSessionInUseIsRenewedForTwelveHoursOnceItsCookieIsAnHourOld() {
        long hour = Duration.ofHours(1).toMillis();
        SessionCodec.Session s = new WebSecurity(SECRETS, null, null).newSession("ui", NOW);
        assertThat(s.expiresMillis()).isEqualTo(NOW + 12 * hour);
        assertThat(WebSecurity.renewal(s, NOW + hour - 1)).as("a cookie less than an hour old").isEmpty();
        SessionCodec.Session renewed = WebSecurity.renewal(s, NOW + 11 * hour).orElseThrow();
        assertThat(renewed).isEqualTo(new SessionCodec.Session("ui", NOW + 23 * hour, s.csrfToken(), s.loginEpoch(),
                NOW));
        assertThat(WebSecurity.renewal(renewed, NOW + 11 * hour + 1)).as("just renewed").isEmpty();
    }

    @Test
    void aSessionIsNotRenewedPastSevenDaysAfterItsSignIn() {
        long hour = Duration.ofHours(1).toMillis();
        long end = NOW + Duration.ofDays(7).toMillis();
        SessionCodec.Session s = new SessionCodec.Session("operator", NOW + 160 * hour, "csrf", "epoch", NOW);
        SessionCodec.Session last = WebSecurity.renewal(s, NOW + 158 * hour).orElseThrow();
        assertThat(last.expiresMillis()).as("to the end of its life, not 12 hours on").isEqualTo(end);
        assertThat(WebSecurity.endOfLife(last)).isEqualTo(end);
        assertThat(WebSecurity.renewal(last, NOW + 167 * hour)).isEmpty();
        assertThat(WebSecurity.renewal(new SessionCodec.Session("operator", end - hour + 1, "csrf", "epoch", NOW),
                end - 2 * hour)).as("less than an hour to gain").isEmpty();
    }

    @Test
    void anEventStreamEndsAnHourBeforeItsSessionExpiresOrAtItsExpiryWhenItCannotBeRenewed() {
        long hour = Duration.ofHours(1).toMillis();
        SessionCodec.Session fresh = new WebSecurity(SECRETS, null, null).newSession("ui", NOW);
        assertThat(WebSecurity.eventStreamEnd(fresh)).as("reopened with a cookie 11 hours old")
                .isEqualTo(NOW + 11 * hour);
        assertThat(WebSecurity.eventStreamEnd(WebSecurity.renewal(fresh, NOW + 3 * hour).orElseThrow()))
                .as("opened with a cookie renewed on its answer").isEqualTo(NOW + 14 * hour);
        long end = NOW + Duration.ofDays(7).toMillis();
        SessionCodec.Session last = new SessionCodec.Session("operator", end, "csrf", "epoch", NOW);
        assertThat(WebSecurity.eventStreamEnd(last)).as("at the end of its life").isEqualTo(end);
    }

    private static SessionCodec.Session session(WebSecurity security, String user) {
        return security.newSession(user, NOW);
    }

    @Test
    void cookiesAreSecureOverHttpsOrWhenTheLocalProxySaysSo() {
        assertThat(WebSecurity.secureCookies("https", false, null)).isTrue();
        assertThat(WebSecurity.secureCookies("http", true, "https")).isTrue();
        assertThat(WebSecurity.secureCookies("http", true, "HTTPS")).isTrue();
        assertThat(WebSecurity.secureCookies("http", true, "https, http")).isTrue();
        assertThat(WebSecurity.secureCookies("http", true, "http")).isFalse();
        assertThat(WebSecurity.secureCookies("http", true, null)).isFalse();
        assertThat(WebSecurity.secureCookies("http", false, "https")).as("only a local proxy is believed").isFalse();
    }
}
