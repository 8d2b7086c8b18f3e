package io.mcrsrt.streamer.security;

import io.mcrsrt.streamer.config.Secrets;
import java.time.Duration;
import java.util.Optional;

/**
 * Signs and checks the cookie {@code mcr_known_browser} that a successful UI login leaves in the browser, so that the
 * {@link LoginThrottle} can tell that browser's later attempts from a guesser's: only the right password gets one.
 * {@code base64url(loginEpoch|expiry|id|user).base64url(hmac)} ({@link SignedFields}), the HMAC-SHA256 keyed with a key
 * derived from {@code SECRET_KEY} for this use alone, so that the cookie can never pass for a session. It gives no
 * access by itself: the password is checked as always. A change of login (user or password hash) makes it worthless, as
 * it ends the sessions. Stateless and thread-safe.
 */
public final class KnownBrowsers {
    public static final String COOKIE = "mcr_known_browser";
    /** How long a browser stays known after its last successful login. */
    public static final Duration LIFETIME = Duration.ofDays(30);

    private final SignedFields signed;

    /** @param secretKey {@code SECRET_KEY}; the cookie's key is derived from it */
    public KnownBrowsers(String secretKey) {
        this.signed = SignedFields.keyedWith(secretKey).derived("mcr-srt known browser cookie v1");
    }

    /** A new cookie value for a browser that has just signed in as {@code user} under {@code loginEpoch}. */
    public String issue(String user, String loginEpoch, long nowMillis) {
        return signed.sign(loginEpoch, Long.toString(nowMillis + LIFETIME.toMillis()), Secrets.randomToken(16), user);
    }

    /**
     * The id of the browser a cookie value names, if the value is well formed, correctly signed, not expired and was
     * given for {@code user} under {@code loginEpoch}.
     */
    public Optional<String> id(String cookie, String user, String loginEpoch, long nowMillis) {
        if (user == null) {
            return Optional.empty();
        }
        return signed.open(cookie, 4).filter(f -> {
            try {
                return f[0].equals(loginEpoch) && f[3].equals(user) && Long.parseLong(f[1]) > nowMillis;
            } catch (NumberFormatException e) {
                return false;
            }
        }).map(f -> f[2]);
    }
}
