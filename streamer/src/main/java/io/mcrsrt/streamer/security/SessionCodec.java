package io.mcrsrt.streamer.security;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;

/**
 * Signs and checks the UI session cookie {@code mcr_session}:
 * {@code base64url(loginEpoch|expiry|csrf|user).base64url(hmac)}, an HMAC-SHA256 over the payload keyed with
 * {@code SECRET_KEY}. The session carries its CSRF token so a forged {@code mcr_csrf} cookie cannot pass, and the
 * login it was issued under so that a change of login ends it. Stateless and thread-safe.
 */
public final class SessionCodec {
    private static final Base64.Encoder ENC = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DEC = Base64.getUrlDecoder();

    private final SecretKeySpec key;

    public SessionCodec(String secretKey) {
        this.key = new SecretKeySpec(secretKey.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    }

    /**
     * A valid session.
     *
     * @param user          logged-in user, or {@code "ui"} when the UI needs no login
     * @param expiresMillis epoch milliseconds after which the session is refused
     * @param csrfToken     the token state-changing requests must echo in {@code X-CSRF-Token}
     * @param loginEpoch    names the UI login configured when the session was issued (see
     *                      {@link WebSecurity#loginEpoch}); a session of another login is refused
     */
    public record Session(String user, long expiresMillis, String csrfToken, String loginEpoch) {
    }

    /** The cookie value for a session. */
    public String encode(Session s) {
        // The user goes last: it is the only part that may itself contain '|'.
        String payload = ENC.encodeToString((s.loginEpoch() + "|" + s.expiresMillis() + "|" + s.csrfToken() + "|"
                + s.user()).getBytes(StandardCharsets.UTF_8));
        return payload + "." + ENC.encodeToString(mac(payload));
    }

    /** The session in a cookie value, if it is well formed, correctly signed and not expired. */
    public Optional<Session> decode(String cookie, long nowMillis) {
        if (cookie == null || cookie.length() > 1024) {
            return Optional.empty();
        }
        int dot = cookie.indexOf('.');
        if (dot <= 0) {
            return Optional.empty();
        }
        String payload = cookie.substring(0, dot);
        try {
            if (!MessageDigest.isEqual(mac(payload), DEC.decode(cookie.substring(dot + 1)))) {
                return Optional.empty();
            }
            String[] parts = new String(DEC.decode(payload), StandardCharsets.UTF_8).split("\\|", 4);
            if (parts.length != 4) {
                return Optional.empty();
            }
            Session s = new Session(parts[3], Long.parseLong(parts[1]), parts[2], parts[0]);
            return s.expiresMillis() > nowMillis ? Optional.of(s) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private byte[] mac(String payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(payload.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JDK", e);
        }
    }
}
