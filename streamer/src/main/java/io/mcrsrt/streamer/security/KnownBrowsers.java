package io.mcrsrt.streamer.security;

import io.mcrsrt.streamer.config.Secrets;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs and checks the cookie {@code mcr_known_browser} that a successful UI login leaves in the browser, so that the
 * {@link LoginThrottle} can tell that browser's later attempts from a guesser's: only the right password gets one.
 * {@code base64url(loginEpoch|expiry|id|user).base64url(hmac)}, the HMAC-SHA256 keyed with a key derived from
 * {@code SECRET_KEY} for this use alone, so that the cookie can never pass for a session. It gives no access by
 * itself: the password is checked as always. A change of login (user or password hash) makes it worthless, as it ends
 * the sessions. Stateless and thread-safe.
 */
public final class KnownBrowsers {
    public static final String COOKIE = "mcr_known_browser";
    /** How long a browser stays known after its last successful login. */
    public static final Duration LIFETIME = Duration.ofDays(30);
    private static final Base64.Encoder ENC = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DEC = Base64.getUrlDecoder();

    private final SecretKeySpec key;

    /** @param secretKey {@code SECRET_KEY}; the cookie's key is derived from it */
    public KnownBrowsers(String secretKey) {
        this.key = new SecretKeySpec(hmac(new SecretKeySpec(secretKey.getBytes(StandardCharsets.UTF_8), "HmacSHA256"),
                "mcr-srt known browser cookie v1"), "HmacSHA256");
    }

    /** A new cookie value for a browser that has just signed in as {@code user} under {@code loginEpoch}. */
    public String issue(String user, String loginEpoch, long nowMillis) {
        String payload = ENC.encodeToString((loginEpoch + "|" + (nowMillis + LIFETIME.toMillis()) + "|"
                + Secrets.randomToken(16) + "|" + user).getBytes(StandardCharsets.UTF_8));
        return payload + "." + ENC.encodeToString(hmac(key, payload));
    }

    /**
     * The id of the browser a cookie value names, if the value is well formed, correctly signed, not expired and was
     * given for {@code user} under {@code loginEpoch}.
     */
    public Optional<String> id(String cookie, String user, String loginEpoch, long nowMillis) {
        if (cookie == null || user == null || cookie.length() > 1024) {
            return Optional.empty();
        }
        int dot = cookie.indexOf('.');
        if (dot <= 0) {
            return Optional.empty();
        }
        String payload = cookie.substring(0, dot);
        try {
            if (!MessageDigest.isEqual(hmac(key, payload), DEC.decode(cookie.substring(dot + 1)))) {
                return Optional.empty();
            }
            String[] parts = new String(DEC.decode(payload), StandardCharsets.UTF_8).split("\\|", 4);
            if (parts.length != 4 || !parts[0].equals(loginEpoch) || !parts[3].equals(user)
                    || Long.parseLong(parts[1]) <= nowMillis) {
                return Optional.empty();
            }
            return Optional.of(parts[2]);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static byte[] hmac(SecretKeySpec key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JDK", e);
        }
    }
}
