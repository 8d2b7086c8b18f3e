package io.mcrsrt.streamer.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class KnownBrowsersTest {
    private static final long NOW = 1_700_000_000_000L;
    private final KnownBrowsers browsers = new KnownBrowsers("test-secret-key-0123456789");

    @Test
    void aCookieNamesItsBrowserForItsUserAndLoginUntilItExpires() {
        String cookie = browsers.issue("operator", "epoch-1", NOW);
        Optional<String> id = browsers.id(cookie, "operator", "epoch-1", NOW);
        assertThat(id).isPresent();
        assertThat(browsers.id(browsers.issue("operator", "epoch-1", NOW), "operator", "epoch-1", NOW))
                .as("each login, another browser id").isPresent().isNotEqualTo(id);
        assertThat(browsers.id(cookie, "someone", "epoch-1", NOW)).as("another user").isEmpty();
        assertThat(browsers.id(cookie, "operator", "epoch-2", NOW)).as("the login changed").isEmpty();
        assertThat(browsers.id(cookie, "operator", "epoch-1", NOW + KnownBrowsers.LIFETIME.toMillis()))
                .as("expired").isEmpty();
    }

    @Test
    void onlyCookiesSignedWithTheServicesKeyAndNoSessionCookiePass() {
        String cookie = new KnownBrowsers("another-secret-key-0123456789").issue("operator", "epoch-1", NOW);
        assertThat(browsers.id(cookie, "operator", "epoch-1", NOW)).isEmpty();
        assertThat(browsers.id("nonsense", "operator", "epoch-1", NOW)).isEmpty();
        assertThat(browsers.id(null, "operator", "epoch-1", NOW)).isEmpty();
        String session = new SessionCodec("test-secret-key-0123456789").encode(
                new SessionCodec.Session("operator", NOW + 1_000, "csrf", "epoch-1", NOW));
        assertThat(browsers.id(session, "operator", "epoch-1", NOW)).as("a session cookie").isEmpty();
        assertThat(new SessionCodec("test-secret-key-0123456789").decode(browsers.issue("operator", "epoch-1", NOW),
                NOW)).as("nor passes a known-browser cookie for a session").isEmpty();
    }
}
