package io.mcrsrt.streamer.security;

import java.util.Optional;

/**
 * Signs and checks the UI session cookie {@code mcr_session}:
 * {@code base64url(loginEpoch|expiry|csrf|user).base64url(hmac)}, an HMAC-SHA256 over the payload keyed with
 * {@code SECRET_KEY} ({@link SignedFields}). The session carries its CSRF token so a forged {@code mcr_csrf} cookie
 * cannot pass, and the login it was issued under so that a change of login ends it. Stateless and thread-safe.
 */
public final class SessionCodec {
    private final SignedFields signed;

    public SessionCodec(String secretKey) {
        this.signed = SignedFields.keyedWith(secretKey);
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
        return signed.sign(s.loginEpoch(), Long.toString(s.expiresMillis()), s.csrfToken(), s.user());
    }

    /** The session in a cookie value, if it is well formed, correctly signed and not expired. */
    public Optional<Session> decode(String cookie, long nowMillis) {
        return signed.open(cookie, 4).flatMap(f -> {
            try {
                Session s = new Session(f[3], Long.parseLong(f[1]), f[2], f[0]);
                return s.expiresMillis() > nowMillis ? Optional.of(s) : Optional.empty();
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        });
    }
}
