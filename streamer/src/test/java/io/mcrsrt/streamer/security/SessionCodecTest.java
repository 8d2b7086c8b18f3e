package io.mcrsrt.streamer.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SessionCodecTest {
    private static final String KEY = "test-secret-key-0123456789";
    private static final long NOW = 1_700_000_000_000L;
    private static final long HOUR = Duration.ofHours(1).toMillis();
    private final SessionCodec codec = new SessionCodec(KEY);

    @Test
    void aSessionReadsBackWithItsSignInTime() {
        SessionCodec.Session s = new SessionCodec.Session("ops|night", NOW + HOUR, "csrf-token", "AbCdEf0123456789",
                NOW - 30 * HOUR);
        assertThat(codec.decode(codec.encode(s), NOW)).contains(s);
        assertThat(codec.decode(codec.encode(s), NOW + HOUR)).as("expired").isEmpty();
        assertThat(new SessionCodec("another-secret-key-0123456789").decode(codec.encode(s), NOW))
                .as("another SECRET_KEY").isEmpty();
    }

    /** Cookies issued before the sign-in time was carried: issued at the sign-in, 12 hours before their expiry. */
    @Test
    void aCookieOfTheFirstFormatStillReadsAsIssuedAtItsSignIn() {
        SignedFields signed = SignedFields.keyedWith(KEY);
        for (String user : new String[] {"operator", "ops|night", "v2|1|2|3|4", "ui"}) {
            String old = signed.sign("AbCdEf0123456789", Long.toString(NOW + 5 * HOUR), "csrf-token", user);
            assertThat(codec.decode(old, NOW)).as(user).contains(new SessionCodec.Session(user, NOW + 5 * HOUR,
                    "csrf-token", "AbCdEf0123456789", NOW - 7 * HOUR));
            assertThat(codec.decode(old, NOW + 5 * HOUR)).as("expired").isEmpty();
        }
        assertThat(codec.decode(signed.sign("none", "soon", "csrf-token", "ui"), NOW)).isEmpty();
        assertThat(codec.decode(signed.sign("v2", "none", Long.toString(NOW + HOUR), "csrf", "when", "ui"), NOW))
                .as("a sign-in time that is no number").isEmpty();
    }

    @Test
    void aTamperedOrForeignValueIsRefused() {
        String cookie = codec.encode(new SessionCodec.Session("operator", NOW + HOUR, "csrf", "none", NOW));
        assertThat(codec.decode(cookie.substring(0, cookie.length() - 2) + "AA", NOW)).isEmpty();
        assertThat(codec.decode(null, NOW)).isEmpty();
        assertThat(codec.decode("nonsense", NOW)).isEmpty();
        assertThat(codec.decode(new KnownBrowsers(KEY).issue("operator", "none", NOW), NOW)).isEmpty();
    }
}
