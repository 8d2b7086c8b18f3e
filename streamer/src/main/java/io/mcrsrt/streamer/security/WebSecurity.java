package io.mcrsrt.streamer.security;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.mcrsrt.streamer.config.PasswordHash;
import io.mcrsrt.streamer.config.Secrets;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Optional;

/**
 * Who may call what: API calls carry {@code X-API-Key} (compared in constant time) or the UI session cookie, and a
 * session's state-changing calls must echo the CSRF cookie in {@code X-CSRF-Token}. Also sets the security headers
 * every response carries. Immutable and thread-safe.
 */
public final class WebSecurity {
    public static final String SESSION_COOKIE = "mcr_session";
    public static final String CSRF_COOKIE = "mcr_csrf";
    public static final String API_KEY_HEADER = "X-API-Key";
    public static final String CSRF_HEADER = "X-CSRF-Token";
    public static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";
    private static final Duration SESSION_LIFETIME = Duration.ofHours(12);
    private static final String NO_LOGIN_USER = "ui";

    /** Outcome of checking an API request. */
    public enum Verdict {
        /** Allowed. */
        ALLOWED,
        /** No valid key and no valid session: 401. */
        UNAUTHENTICATED,
        /** A session without a matching CSRF token on a state change: 403. */
        CSRF_FAILED
    }

    private final byte[] apiKey;
    private final SessionCodec sessions;
    private final String username;
    private final String passwordHash;

    /**
     * @param username     UI login user, or null when the UI needs no login
     * @param passwordHash its {@link PasswordHash}, or null
     */
    public WebSecurity(Secrets secrets, String username, String passwordHash) {
        this.apiKey = secrets.apiKey().getBytes(StandardCharsets.UTF_8);
        this.sessions = new SessionCodec(secrets.secretKey());
        this.username = username;
        this.passwordHash = passwordHash;
    }

    /** Whether pages need a login first. */
    public boolean loginRequired() {
        return username != null;
    }

    /** Sets the headers every response carries. */
    public static void applySecurityHeaders(Context ctx) {
        ctx.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("Referrer-Policy", "same-origin");
    }

    /** Checks an API request. */
    public Verdict check(Context ctx) {
        String key = ctx.header(API_KEY_HEADER);
        if (key != null) {
            return apiKeyMatches(key) ? Verdict.ALLOWED : Verdict.UNAUTHENTICATED;
        }
        Optional<SessionCodec.Session> session = session(ctx);
        if (session.isEmpty()) {
            return Verdict.UNAUTHENTICATED;
        }
        HandlerType m = ctx.method();
        boolean stateChange = m == HandlerType.POST || m == HandlerType.PUT || m == HandlerType.PATCH
                || m == HandlerType.DELETE;
        if (stateChange) {
            String header = ctx.header(CSRF_HEADER);
            String cookie = ctx.cookie(CSRF_COOKIE);
            String expected = session.get().csrfToken();
            if (header == null || cookie == null || !constantTimeEquals(header, expected)
                    || !constantTimeEquals(cookie, expected)) {
                return Verdict.CSRF_FAILED;
            }
        }
        return Verdict.ALLOWED;
    }

    /** Whether the key equals the API key, in time independent of where they differ. */
    public boolean apiKeyMatches(String key) {
        return MessageDigest.isEqual(apiKey, key.getBytes(StandardCharsets.UTF_8));
    }

    /** The request's valid session, if any. */
    public Optional<SessionCodec.Session> session(Context ctx) {
        return sessions.decode(ctx.cookie(SESSION_COOKIE), System.currentTimeMillis());
    }

    /** Whether the user name and password match the configured login. */
    public boolean credentialsMatch(String user, String password) {
        if (username == null || user == null || password == null) {
            return false;
        }
        boolean userOk = constantTimeEquals(user, username);
        boolean passwordOk = PasswordHash.verify(password.toCharArray(), passwordHash);
        return userOk & passwordOk;
    }

    /**
     * Makes sure a page request has a session: when no login is configured one is issued if missing. Returns false
     * when a login is required and the request has no session (the caller redirects to {@code /login}).
     */
    public boolean ensurePageSession(Context ctx) {
        if (session(ctx).isPresent()) {
            return true;
        }
        if (loginRequired()) {
            return false;
        }
        issueSession(ctx, NO_LOGIN_USER);
        return true;
    }

    /** Sets a fresh session cookie and its CSRF cookie. */
    public void issueSession(Context ctx, String user) {
        String csrf = Secrets.randomToken(24);
        long expires = System.currentTimeMillis() + SESSION_LIFETIME.toMillis();
        String value = sessions.encode(new SessionCodec.Session(user, expires, csrf));
        long maxAge = SESSION_LIFETIME.toSeconds();
        ctx.res().addHeader("Set-Cookie", SESSION_COOKIE + "=" + value + "; Path=/; Max-Age=" + maxAge
                + "; HttpOnly; SameSite=Strict");
        ctx.res().addHeader("Set-Cookie", CSRF_COOKIE + "=" + csrf + "; Path=/; Max-Age=" + maxAge
                + "; SameSite=Strict");
    }

    /** Clears the session cookies. */
    public static void clearSession(Context ctx) {
        ctx.res().addHeader("Set-Cookie", SESSION_COOKIE + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict");
        ctx.res().addHeader("Set-Cookie", CSRF_COOKIE + "=; Path=/; Max-Age=0; SameSite=Strict");
    }

    private static boolean constantTimeEquals(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
