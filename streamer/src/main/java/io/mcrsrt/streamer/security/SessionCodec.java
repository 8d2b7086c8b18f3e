package io.mcrsrt.streamer.security;

import java.time.Duration;
import java.util.Optional;

/**
 * Signs and checks the UI session cookie {@code mcr_session}:
 * {@code base64url(v2|loginEpoch|expiry|csrf|loginTime|user).base64url(hmac)}, an HMAC-SHA256 over the payload keyed
 * with {@code SECRET_KEY} ({@link SignedFields}). The session carries its CSRF token so a forged {@code mcr_csrf}
 * cookie cannot pass, the login it was issued under so that a change of login ends it, and the time of the sign-in so
 * that renewing it cannot keep it for ever. Cookies of the first format, {@code loginEpoch|expiry|csrf|user}, issued
 * before the sign-in time was carried, are still read. Stateless and thread-safe.
 */
public final class SessionCodec {
    /** The first field of the current format; the first format starts with the login epoch, never this. */
    private static final String FORMAT = "v2";
    /** What a cookie of the first format lived for: it was issued this long before its expiry. */
    static final Duration FIRST_FORMAT_LIFETIME = Duration.ofHours(12);

    private final SignedFields signed;

    public SessionCodec(String secretKey) {
        this.signed = SignedFields.keyedWith(secretKey);
    }

    /**
     * A valid session.
     *
     * @param user          logged-in user, or {@code "ui"} when the UI needs no login
     * @param expiresMillis epoch milliseconds after which the session is refused
     * @param csrfToken     the token state-changing requests must echo in {@code X-CSRF-Token}; it also names the
     *                      session across its renewals
     * @param loginEpoch    names the UI login configured when the session was issued (see
     *                      {@link WebSecurity#loginEpoch}); a session of another login is refused
     * @param loginMillis   epoch milliseconds of the sign-in (or the first page view without a login) that began the
     *                      session; its renewals keep it
     */
    public record Session(String user, long expiresMillis, String csrfToken, String loginEpoch, long loginMillis) {
    }

    /** The cookie value for a session. */
    public String encode(Session s) {
        // The user goes last: it is the only part that may itself contain '|'.
        return signed.sign(FORMAT, s.loginEpoch(), Long.toString(s.expiresMillis()), s.csrfToken(),
                Long.toString(s.loginMillis()), s.user());
    }

    /** The session in a cookie value, if it is well formed, correctly signed and not expired. */
    public Optional<Session> decode(String cookie, long nowMillis) {
        Optional<String[]> current = signed.open(cookie, 6).filter(f -> f[0].equals(FORMAT));
        Optional<Session> s = current.isPresent()
                ? current.flatMap(f -> session(f[5], f[2], f[3], f[1], f[4]))
                : signed.open(cookie, 4).flatMap(f -> session(f[3], f[1], f[2], f[0], null));
        return s.filter(session -> session.expiresMillis() > nowMillis);
    }

    /** A session from its fields; {@code login} null for a cookie of the first format, issued at the sign-in. */
    private static Optional<Session> session(String user, String expires, String csrf, String epoch, String login) {
        try {
            long expiresMillis = Long.parseLong(expires);
            long loginMillis = login == null ? expiresMillis - FIRST_FORMAT_LIFETIME.toMillis() : Long.parseLong(login);
            return Optional.of(new Session(user, expiresMillis, csrf, epoch, loginMillis));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
