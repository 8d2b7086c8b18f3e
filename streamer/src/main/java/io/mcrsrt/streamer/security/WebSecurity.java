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
 *
 * <p>With no UI login configured, sessions are issued and accepted only when the connection comes from this machine
 * (a browser on the host, or the nginx site in {@code deploy/}, which asks for its own password first): otherwise
 * anyone who can reach the port would get a session that drives the API. Nor when the request was addressed to a name
 * that is not this machine's ({@link RequestHost}): a web site elsewhere could otherwise point its own name at
 * 127.0.0.1 and drive the service from the operator's browser. A session names the login it was issued under
 * ({@link #loginEpoch}), so setting, changing or removing the UI login ends every session of the old one.
 *
 * <p>A session lives {@link #SESSION_LIFETIME} from its last renewal: an answer to a request that uses it carries a
 * renewed cookie once the one sent is {@link #RENEW_AFTER} old ({@link #renewal}), so a page left open, which polls or
 * reopens its event streams, stays signed in, and a browser left unused is signed out. However often it is renewed, a
 * session ends {@link #MAX_SESSION_AGE} after the sign-in that began it, so a copy of its cookie cannot be kept alive
 * for ever.
 */
public final class WebSecurity {
    public static final String SESSION_COOKIE = "mcr_session";
    public static final String CSRF_COOKIE = "mcr_csrf";
    public static final String API_KEY_HEADER = "X-API-Key";
    public static final String CSRF_HEADER = "X-CSRF-Token";
    public static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";
    /** How long a session lives after it was issued or last renewed. */
    public static final Duration SESSION_LIFETIME = Duration.ofHours(12);
    /** How old a session's cookie is when a request that uses it gets a renewed one. */
    public static final Duration RENEW_AFTER = Duration.ofHours(1);
    /** How long a session lives at most after the sign-in that began it, however often it is renewed. */
    public static final Duration MAX_SESSION_AGE = Duration.ofDays(7);
    private static final String NO_LOGIN_USER = "ui";
    /** The request attribute that holds the session renewed on its answer, if it was. */
    private static final String RENEWED_ATTRIBUTE = "mcr.renewedSession";

    /** What a page request may see. */
    public enum PageAccess {
        /** The page, with a session (an existing one, or one just issued). */
        ALLOWED,
        /** A login is configured and the request has no session: redirect to {@code /login}. */
        LOGIN_REQUIRED,
        /** No login is configured and the request does not come from this machine: {@link #LOCAL_ONLY_MESSAGE}. */
        LOCAL_ONLY,
        /**
         * No login is configured and the request comes from this machine but was addressed to a name that is not this
         * machine's ({@link RequestHost}): {@link #foreignHostMessage}.
         */
        FOREIGN_HOST
    }

    /** What a page answers, with 403, to a browser elsewhere when no UI login is configured. */
    public static final String LOCAL_ONLY_MESSAGE = "No UI login is configured, so the web UI answers only on this "
            + "machine or through the nginx site. Set UI_USERNAME and UI_PASSWORD_HASH (mcr-srt hash-password) to sign "
            + "in from elsewhere.";

    /**
     * What a page answers, with 403, to a request from this machine addressed to {@code host}, a name that is not this
     * machine's, when no UI login is configured.
     *
     * @param host the request's host, as it named it
     * @param port the port the service listens on
     */
    public static String foreignHostMessage(String host, int port) {
        return "No UI login is configured, so the web UI answers only when it is opened by this machine's address or "
                + "name (http://127.0.0.1:" + port + "/ or http://localhost:" + port + "/), and this request was "
                + "addressed to '" + host + "': a web site elsewhere could point such a name at this machine to drive"
                + " the service from this browser. Open the UI by address, or set UI_USERNAME and UI_PASSWORD_HASH "
                + "(mcr-srt hash-password).";
    }

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
    private final KnownBrowsers knownBrowsers;
    private final String username;
    private final String passwordHash;
    private final String loginEpoch;
    private final LoggedOutSessions loggedOut;
    /** This machine's host name, a name {@link RequestHost} accepts; empty when unknown. */
    private final String machineName = RequestHost.machineName();

    /**
     * Security whose logouts are remembered in memory only.
     *
     * @param username     UI login user, or null when the UI needs no login
     * @param passwordHash its {@link PasswordHash}, or null
     */
    public WebSecurity(Secrets secrets, String username, String passwordHash) {
        this(secrets, username, passwordHash, LoggedOutSessions.inMemory());
    }

    /**
     * @param username     UI login user, or null when the UI needs no login
     * @param passwordHash its {@link PasswordHash}, or null
     * @param loggedOut    the sessions ended by a logout, refused until they expire
     */
    public WebSecurity(Secrets secrets, String username, String passwordHash, LoggedOutSessions loggedOut) {
        this.loggedOut = loggedOut;
        this.apiKey = secrets.apiKey().getBytes(StandardCharsets.UTF_8);
        this.sessions = new SessionCodec(secrets.secretKey());
        this.knownBrowsers = new KnownBrowsers(secrets.secretKey());
        this.username = username;
        this.passwordHash = passwordHash;
        this.loginEpoch = loginEpoch(username, passwordHash);
    }

    /**
     * Names a UI login configuration in a session: {@code "none"} without a login, else a short digest of the user and
     * the password hash (the hash is salted, so the digest tells nothing about the password). A new password hash, even
     * for the same password, gives another epoch.
     */
    static String loginEpoch(String username, String passwordHash) {
        if (username == null) {
            return "none";
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest((username + "\n" + passwordHash)
                    .getBytes(StandardCharsets.UTF_8));
            return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, 16);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
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

    /**
     * Checks an API request. A session allowed here is renewed on the answer when it is due ({@link #renewal}): call
     * this before the answer's headers are sent (an event stream sends them as it opens).
     */
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
            if (!tokenMatches(session.get(), ctx.header(CSRF_HEADER))
                    || !tokenMatches(session.get(), ctx.cookie(CSRF_COOKIE))) {
                return Verdict.CSRF_FAILED;
            }
        }
        renew(ctx, session.get());
        return Verdict.ALLOWED;
    }

    /** Whether {@code token} is the session's CSRF token, in time independent of where they differ. */
    public static boolean tokenMatches(SessionCodec.Session session, String token) {
        return token != null && constantTimeEquals(token, session.csrfToken());
    }

    /** Whether the key equals the API key, in time independent of where they differ. */
    public boolean apiKeyMatches(String key) {
        return MessageDigest.isEqual(apiKey, key.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The request's valid session, if any: correctly signed, not expired, begun less than {@link #MAX_SESSION_AGE}
     * ago, issued under the login configured now (for its user), not logged out, and, when no login is configured, on
     * a connection from this machine.
     */
    public Optional<SessionCodec.Session> session(Context ctx) {
        long now = System.currentTimeMillis();
        return sessions.decode(ctx.cookie(SESSION_COOKIE), now)
                .filter(s -> now < endOfLife(s) && accepts(s, fromThisMachine(ctx)) && !loggedOut.ended(s));
    }

    /**
     * Ends {@code session} on the server: a copy of its cookie, renewed or not, is refused from now on, until the
     * latest any copy could have lived ({@link #endOfLife}).
     */
    public void endSession(SessionCodec.Session session) {
        loggedOut.end(session, endOfLife(session));
    }

    /** Epoch milliseconds at which a session ends however it is renewed: {@link #MAX_SESSION_AGE} after its sign-in. */
    static long endOfLife(SessionCodec.Session s) {
        return s.loginMillis() + MAX_SESSION_AGE.toMillis();
    }

    /**
     * The renewed session a valid session's request is answered with at {@code nowMillis}, if due: the same user,
     * login, token and sign-in, living {@link #SESSION_LIFETIME} from now but not past its {@link #endOfLife}. Due when
     * that moves its expiry on by at least {@link #RENEW_AFTER}: once its cookie is that old, and never again once
     * its end of life is that near.
     */
    static Optional<SessionCodec.Session> renewal(SessionCodec.Session s, long nowMillis) {
        long expires = Math.min(nowMillis + SESSION_LIFETIME.toMillis(), endOfLife(s));
        if (expires - s.expiresMillis() < RENEW_AFTER.toMillis()) {
            return Optional.empty();
        }
        return Optional.of(new SessionCodec.Session(s.user(), expires, s.csrfToken(), s.loginEpoch(),
                s.loginMillis()));
    }

    /**
     * When an event stream this request opens is to be ended, in epoch milliseconds. An open stream's answer can set
     * no cookie, so a page that only follows one would be signed out when its cookie expired: the stream ends
     * {@link #RENEW_AFTER} before the expiry of the session it was opened with (as renewed on its answer), and the
     * browser reopens it with that cookie, due for renewal by then. A session that cannot be renewed further (its
     * {@link #endOfLife} is near) ends its stream at its expiry, so that the page finds it ended. Never
     * ({@link Long#MAX_VALUE}) for a request that carries the API key or no session.
     */
    public long eventStreamEnd(Context ctx) {
        if (ctx.header(API_KEY_HEADER) != null) {
            return Long.MAX_VALUE;
        }
        SessionCodec.Session renewed = ctx.attribute(RENEWED_ATTRIBUTE);
        return Optional.ofNullable(renewed).or(() -> session(ctx)).map(WebSecurity::eventStreamEnd)
                .orElse(Long.MAX_VALUE);
    }

    /** {@link #eventStreamEnd(Context)} for a stream whose browser holds the cookie of {@code held}. */
    static long eventStreamEnd(SessionCodec.Session held) {
        long reopen = held.expiresMillis() - RENEW_AFTER.toMillis();
        return renewal(held, reopen).isPresent() ? reopen : held.expiresMillis();
    }

    /**
     * Sets the renewed cookies of the request's valid {@code session} on the answer, when it is due, and keeps the
     * renewed session in the request ({@link #RENEWED_ATTRIBUTE}) for {@link #eventStreamEnd(Context)}.
     */
    private void renew(Context ctx, SessionCodec.Session session) {
        long now = System.currentTimeMillis();
        renewal(session, now).ifPresent(renewed -> {
            setCookies(ctx, renewed, now);
            ctx.attribute(RENEWED_ATTRIBUTE, renewed);
        });
    }

    /**
     * Whether the request comes from this machine ({@link ClientAddress#directPeerIsLoopback}) and was addressed to it
     * ({@link RequestHost#namesThisMachine}): what a session without a login needs.
     */
    private boolean fromThisMachine(Context ctx) {
        return ClientAddress.directPeerIsLoopback(ctx) && hostIsThisMachine(ctx);
    }

    private boolean hostIsThisMachine(Context ctx) {
        return RequestHost.namesThisMachine(ctx.req().getServerName(), machineName);
    }

    /**
     * Whether a correctly signed, unexpired session is still good under the login configured now.
     *
     * @param loopbackPeer whether the request comes from this machine and was addressed to it; a session issued
     *                     without a login needs it
     */
    boolean accepts(SessionCodec.Session s, boolean loopbackPeer) {
        if (!constantTimeEquals(s.loginEpoch(), loginEpoch)) {
            return false;
        }
        if (loginRequired()) {
            return constantTimeEquals(s.user(), username);
        }
        return loopbackPeer && s.user().equals(NO_LOGIN_USER);
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
     * Makes sure a page request has a session: when no login is configured, one is issued if missing to a request
     * from this machine ({@link ClientAddress#directPeerIsLoopback}) addressed to this machine
     * ({@link RequestHost#namesThisMachine}). Says what to answer otherwise.
     */
    public PageAccess ensurePageSession(Context ctx) {
        Optional<SessionCodec.Session> session = session(ctx);
        if (session.isPresent()) {
            renew(ctx, session.get());
            return PageAccess.ALLOWED;
        }
        PageAccess access = pageAccess(loginRequired(), ClientAddress.directPeerIsLoopback(ctx),
                hostIsThisMachine(ctx));
        if (access == PageAccess.ALLOWED) {
            issueSession(ctx, NO_LOGIN_USER);
        }
        return access;
    }

    /** What a page request without a session gets. */
    static PageAccess pageAccess(boolean loginRequired, boolean loopbackPeer, boolean hostIsThisMachine) {
        if (loginRequired) {
            return PageAccess.LOGIN_REQUIRED;
        }
        if (!loopbackPeer) {
            return PageAccess.LOCAL_ONLY;
        }
        return hostIsThisMachine ? PageAccess.ALLOWED : PageAccess.FOREIGN_HOST;
    }

    /** Sets a fresh session cookie and its CSRF cookie. */
    public void issueSession(Context ctx, String user) {
        long now = System.currentTimeMillis();
        setCookies(ctx, newSession(user, now), now);
    }

    /** Sets the cookies of {@code session}, the browser to keep them until it expires. */
    private void setCookies(Context ctx, SessionCodec.Session session, long nowMillis) {
        long maxAge = Math.max(1, (session.expiresMillis() - nowMillis) / 1000);
        String secure = overHttps(ctx) ? "; Secure" : "";
        ctx.res().addHeader("Set-Cookie", SESSION_COOKIE + "=" + sessions.encode(session) + "; Path=/; Max-Age="
                + maxAge + "; HttpOnly; SameSite=Strict" + secure);
        ctx.res().addHeader("Set-Cookie", CSRF_COOKIE + "=" + session.csrfToken() + "; Path=/; Max-Age=" + maxAge
                + "; SameSite=Strict" + secure);
    }

    /** A fresh session for a user under the login configured now, signed in at {@code nowMillis}. */
    SessionCodec.Session newSession(String user, long nowMillis) {
        return new SessionCodec.Session(user, nowMillis + SESSION_LIFETIME.toMillis(), Secrets.randomToken(24),
                loginEpoch, nowMillis);
    }

    /**
     * The id of the request's {@link KnownBrowsers} cookie, when the browser has signed in as the configured user
     * before, under the login configured now.
     */
    public Optional<String> knownBrowser(Context ctx) {
        if (username == null) {
            return Optional.empty();
        }
        return knownBrowsers.id(ctx.cookie(KnownBrowsers.COOKIE), username, loginEpoch, System.currentTimeMillis());
    }

    /**
     * Marks the browser as one that has signed in as {@code user} ({@link KnownBrowsers}), for
     * {@link KnownBrowsers#LIFETIME}. Sent to the login only, and never readable by scripts.
     */
    public void issueKnownBrowser(Context ctx, String user) {
        String secure = overHttps(ctx) ? "; Secure" : "";
        ctx.res().addHeader("Set-Cookie", KnownBrowsers.COOKIE + "=" + knownBrowsers.issue(user, loginEpoch,
                System.currentTimeMillis()) + "; Path=/login; Max-Age=" + KnownBrowsers.LIFETIME.toSeconds()
                + "; HttpOnly; SameSite=Strict" + secure);
    }

    /** Clears the session cookies. */
    public static void clearSession(Context ctx) {
        String secure = overHttps(ctx) ? "; Secure" : "";
        ctx.res().addHeader("Set-Cookie", SESSION_COOKIE + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict" + secure);
        ctx.res().addHeader("Set-Cookie", CSRF_COOKIE + "=; Path=/; Max-Age=0; SameSite=Strict" + secure);
    }

    /** Whether the browser reached this request over HTTPS, directly or through the local proxy. */
    private static boolean overHttps(Context ctx) {
        return secureCookies(ctx.scheme(), ClientAddress.directPeerIsLoopback(ctx),
                ctx.header("X-Forwarded-Proto"));
    }

    /**
     * Whether cookies get {@code Secure}: when the request came over HTTPS, or when a proxy on this machine (the nginx
     * site in {@code deploy/}) says in {@code X-Forwarded-Proto} that the browser used HTTPS. The header is believed
     * from a loopback peer only: anyone else could send it. Over plain HTTP the cookies must stay without
     * {@code Secure}, or the browser would not keep them.
     */
    static boolean secureCookies(String scheme, boolean loopbackPeer, String forwardedProto) {
        if ("https".equalsIgnoreCase(scheme)) {
            return true;
        }
        if (!loopbackPeer || forwardedProto == null) {
            return false;
        }
        // a proxy chain may list several, the first is the browser's
        String first = forwardedProto.split(",", 2)[0].strip();
        return first.equalsIgnoreCase("https");
    }

    private static boolean constantTimeEquals(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
