package io.mcrsrt.streamer.api;

import io.javalin.http.Context;
import io.javalin.http.Header;
import io.javalin.http.HttpStatus;
import io.mcrsrt.streamer.security.ClientAddress;
import io.mcrsrt.streamer.security.LoginThrottle;
import io.mcrsrt.streamer.security.SessionCodec;
import io.mcrsrt.streamer.security.WebSecurity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** The UI's HTML pages (static files in {@code web/pages/}), the login form and the session. */
final class PageHandlers {
    private static final Logger LOG = LoggerFactory.getLogger(PageHandlers.class);
    /** The form field of the logout page that carries the session's token. */
    static final String LOGOUT_TOKEN_FIELD = "csrf_token";

    private final ServiceContext ctx;
    private final BuildId build;
    private final LoginThrottle throttle = LoginThrottle.standard();

    PageHandlers(ServiceContext ctx, BuildId build) {
        this.ctx = ctx;
        this.build = build;
    }

    /**
     * A handler that serves {@code web/pages/<file>} to a browser with a session, else redirects to the login, or,
     * with no login configured and a browser elsewhere, answers 403 with {@link #localOnlyPage()}.
     */
    io.javalin.http.Handler page(String file) {
        return c -> {
            switch (ctx.security().ensurePageSession(c)) {
                case ALLOWED -> serve(c, file, ctx.security().loginRequired(), build, serviceValues());
                case LOGIN_REQUIRED -> {
                    String here = c.path() + (c.queryString() == null ? "" : "?" + c.queryString());
                    c.redirect("/login?next=" + URLEncoder.encode(here, StandardCharsets.UTF_8),
                            HttpStatus.SEE_OTHER);
                }
                case LOCAL_ONLY -> {
                    LOG.warn("UI page refused to {}: no UI login is configured and the connection is not local",
                            ClientAddress.of(c));
                    c.status(403).contentType("text/html; charset=utf-8").result(localOnlyPage());
                    c.header("Cache-Control", "no-store");
                }
                case FOREIGN_HOST -> {
                    String host = c.req().getServerName();
                    LOG.warn("UI page refused to {}: no UI login is configured and the request was addressed to '{}', "
                            + "not to this machine (a web site's name pointed at it?)", ClientAddress.of(c), host);
                    c.status(403).contentType("text/html; charset=utf-8").result(foreignHostPage(host,
                            c.req().getLocalPort()));
                    c.header("Cache-Control", "no-store");
                }
            }
        };
    }

    /** The page a browser elsewhere gets when no UI login is configured: what to set to sign in from there. */
    static String localOnlyPage() {
        return messagePage("Sign-in not configured", WebSecurity.LOCAL_ONLY_MESSAGE);
    }

    /** The page a request from this machine addressed to another name gets when no UI login is configured. */
    static String foreignHostPage(String host, int port) {
        return messagePage("Sign-in not configured", escape(WebSecurity.foreignHostMessage(host, port)));
    }

    /** Text made safe to put in HTML. */
    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
                .replace("'", "&#39;");
    }

    /** A page of the site's look without its scripts: a heading and {@code body}, which must be escaped HTML. */
    private static String page(String title, String body) {
        return """
                <!DOCTYPE html>
                <html lang="en">
                <head>
                  <meta charset="utf-8">
                  <meta name="viewport" content="width=device-width, initial-scale=1">
                  <title>%s · MCR SRT Streamer</title>
                  <link rel="icon" href="data:,">
                  <link rel="stylesheet" href="/webjars/bootstrap/5.3.8/css/bootstrap.min.css">
                  <link rel="stylesheet" href="/static/css/app.css">
                </head>
                <body>
                <main id="main" class="container py-4">
                  <h1 class="fs-4">MCR SRT Streamer</h1>
                %s</main>
                </body>
                </html>
                """.formatted(title, body);
    }

    /**
     * The login form; without a login configured, the page in {@code next} (else the dashboard), which gives a browser
     * on this machine a new session: a page whose session ended (unused for 12 hours, 7 days old, or a changed
     * SECRET_KEY) comes back to itself rather than to the dashboard.
     */
    void loginPage(Context c) {
        if (!ctx.security().loginRequired()) {
            c.redirect(localPath(c.queryParam("next")), HttpStatus.SEE_OTHER);
            return;
        }
        serve(c, "login.html", true, build, Map.of());
    }

    void login(Context c) {
        if (!ctx.security().loginRequired()) {
            c.redirect("/", HttpStatus.SEE_OTHER);
            return;
        }
        java.util.Map<String, java.util.List<String>> form;
        try {
            form = c.formParamMap();
        } catch (Exception e) {
            // a multipart body the servlet cannot parse (ServletException, undeclared through Javalin); the server
            // closes the connection after the answer, so say so
            c.header(Header.CONNECTION, "close");
            c.status(HttpStatus.BAD_REQUEST).html(messagePage("Sign-in refused", "The sign-in form could not be "
                    + "read. Sign in from the login page."));
            return;
        }
        String user = first(form, "username");
        String next = localPath(first(form, "next"));
        String from = ClientAddress.of(c);
        LoginThrottle.Origin origin = new LoginThrottle.Origin(from, ClientAddress.peerGroup(c),
                ctx.security().knownBrowser(c).orElse(null));
        Duration wait = throttle.begin(origin);
        if (!wait.isZero()) {
            LOG.warn("UI login from {} refused without checking: locked out for another {} s{}", from, seconds(wait),
                    peerNote(origin));
            c.redirect(lockedOut(wait, origin, next), HttpStatus.SEE_OTHER);
            return;
        }
        boolean match;
        try {
            match = ctx.security().credentialsMatch(user, first(form, "password"));
        } catch (RuntimeException e) {
            throttle.failed(origin); // every attempt begun is ended
            throw e;
        }
        if (match) {
            throttle.succeeded(origin);
            ctx.security().issueSession(c, user);
            ctx.security().issueKnownBrowser(c, user);
            LOG.info("UI login by {} from {}", user, from);
            c.redirect(next, HttpStatus.SEE_OTHER);
            return;
        }
        Duration lockout = throttle.failed(origin);
        if (lockout.isZero()) {
            LOG.warn("UI login refused from {}", from);
            c.redirect("/login?error=1&next=" + URLEncoder.encode(next, StandardCharsets.UTF_8), HttpStatus.SEE_OTHER);
        } else {
            LOG.warn("UI login refused from {}: too many failed attempts, locked out for {} s{}", from,
                    seconds(lockout), peerNote(origin));
            c.redirect(lockedOut(lockout, origin, next), HttpStatus.SEE_OTHER);
        }
    }

    /**
     * What a log line adds when every login through the request's peer is locked out, not only its client's: nothing
     * for a browser that has signed in before, which that does not hold back.
     */
    private String peerNote(LoginThrottle.Origin origin) {
        return origin.browser() == null && throttle.peerLockedOut(origin.peer()) ? peerLockedOut(origin) : "";
    }

    private static String peerLockedOut(LoginThrottle.Origin origin) {
        LoginThrottle.Limit limit = LoginThrottle.STANDARD_PEER_LIMIT;
        return " (and every login through " + origin.peer() + " is: its clients together failed " + limit.maxFailures()
                + " times within " + limit.window().toMinutes() + " minutes)";
    }

    private static String first(java.util.Map<String, java.util.List<String>> form, String name) {
        java.util.List<String> values = form.get(name);
        return values == null || values.isEmpty() ? null : values.getFirst();
    }

    /**
     * The login page for a locked-out attempt, told for how long and whose failures locked it ({@code by}): this
     * browser's ({@code browser}, one that has signed in before), every client's through its peer together
     * ({@code all}: a flood, which such a browser is not held back by), or its address's ({@code address}).
     */
    private String lockedOut(Duration wait, LoginThrottle.Origin origin, String next) {
        String by = origin.browser() != null ? "browser" : throttle.peerLockedOut(origin.peer()) ? "all" : "address";
        return "/login?locked=" + seconds(wait) + "&by=" + by + "&next="
                + URLEncoder.encode(next, StandardCharsets.UTF_8);
    }

    private static long seconds(Duration d) {
        return (d.toMillis() + 999) / 1000;
    }

    /**
     * {@code GET /logout} (the original's link): a page whose button signs out. Signing out itself is a POST carrying
     * the session's token, so a link or image on another site cannot end an operator's session. Without a session
     * there is nothing to end: stale cookies are cleared and the browser goes where a logout leads.
     */
    void logoutPage(Context c) {
        Optional<SessionCodec.Session> session = ctx.security().session(c);
        if (session.isEmpty()) {
            WebSecurity.clearSession(c);
            c.redirect(afterLogout(), HttpStatus.SEE_OTHER);
            return;
        }
        c.header("Cache-Control", "no-store").html(logoutPage(session.get().csrfToken()));
    }

    /**
     * {@code POST /logout}: ends the session when the request carries its token (form field {@code csrf_token}, or
     * header {@code X-CSRF-Token} as the API takes it); a session without it is refused with 403 and kept.
     */
    void logout(Context c) {
        Optional<SessionCodec.Session> session = ctx.security().session(c);
        if (session.isPresent()) {
            String token = c.header(WebSecurity.CSRF_HEADER);
            if (token == null && c.isFormUrlencoded()) {
                token = c.formParam(LOGOUT_TOKEN_FIELD);
            }
            if (!WebSecurity.tokenMatches(session.get(), token)) {
                LOG.warn("UI logout refused from {}: the request did not carry the session's token",
                        ClientAddress.of(c));
                c.status(HttpStatus.FORBIDDEN).html(messagePage("Log out refused",
                        "This request to log out did not come from this site's own page, so the session was kept. "
                                + "Use Log out in the navigation bar, or open /logout."));
                return;
            }
            ctx.security().endSession(session.get());
        }
        WebSecurity.clearSession(c);
        c.redirect(afterLogout(), HttpStatus.SEE_OTHER);
    }

    private String afterLogout() {
        return ctx.security().loginRequired() ? "/login?logged_out=1" : "/";
    }

    /** The confirmation page of {@code GET /logout}: one button that posts the session's token. */
    static String logoutPage(String csrfToken) {
        return page("Log out", """
                  <form method="post" action="/logout" id="logout-form">
                    <input type="hidden" name="%s" value="%s">
                    <p>End this browser's session of the web UI?</p>
                    <button type="submit" class="btn btn-primary">Log out</button>
                    <a class="btn btn-link" href="/">Back to the dashboard</a>
                  </form>
                """.formatted(LOGOUT_TOKEN_FIELD, csrfToken));
    }

    private static String messagePage(String title, String message) {
        return page(title, "  <p class=\"alert alert-warning\" role=\"alert\">%s</p>\n".formatted(message));
    }

    /** Where to go after the login: a path of this site only, never another host (no open redirect). */
    static String localPath(String next) {
        if (next == null || !next.startsWith("/") || next.startsWith("//") || next.contains("\\")
                || next.length() > 2000 || next.chars().anyMatch(ch -> ch < 0x20)) {
            return "/";
        }
        return next;
    }

    /**
     * This service's settings a page shows, put in for {@code {{service.NAME}}}: the listener port range (the form's
     * default port and its help), and a second listener port for a 2022-7 pair's other leg.
     */
    private Map<String, String> serviceValues() {
        int min = ctx.config().listenerPortMin();
        int max = ctx.config().listenerPortMax();
        return Map.of("listener_port_min", String.valueOf(min), "listener_port_max", String.valueOf(max),
                "pair_second_port", String.valueOf(Math.min(max, min + 2)));
    }

    void health(Context c) {
        c.contentType("text/plain; charset=utf-8").result("OK");
    }

    /**
     * Serves a page; its {@code <body>} carries the build that served it ({@code data-build}: the page compares it
     * with the {@link BuildId#HEADER} of later answers) and, with a login configured, says so
     * ({@code data-login="required"}), so that the navigation offers "Log out" only where there is something to log
     * out of.
     */
    private static void serve(Context c, String file, boolean loginRequired, BuildId build,
                              Map<String, String> values) {
        String page;
        try {
            page = PageTemplates.render(file);
        } catch (IllegalArgumentException e) {
            throw new ApiException(404, e.getMessage());
        }
        for (Map.Entry<String, String> v : values.entrySet()) {
            page = page.replace("{{service." + v.getKey() + "}}", v.getValue());
        }
        page = page.replaceFirst("<body>", "<body data-build=\"" + build.value() + "\""
                + (loginRequired ? " data-login=\"required\">" : ">"));
        c.contentType("text/html; charset=utf-8").result(page);
        c.header("Cache-Control", "no-store");
    }
}
