package io.mcrsrt.streamer.api;

import io.mcrsrt.streamer.security.WebSecurity;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Answers the requests the web server refuses before any route sees them (a path with a bad {@code %} escape or an
 * encoded NUL, headers too large, a request arriving while the server stops) as every other error is answered: JSON
 * {@code {"error": "..."}} with the security headers, instead of the web server's HTML page, which a script reading
 * {@code .error} cannot use.
 */
final class JsonErrorHandler extends ErrorHandler {

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
            Callback callback) {
        String json = "{\"error\":\"" + text(code).replace("\\", "\\\\").replace("\"", "\\\"") + "\"}";
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put("Content-Security-Policy", WebSecurity.CONTENT_SECURITY_POLICY);
        response.getHeaders().put("X-Content-Type-Options", "nosniff");
        response.getHeaders().put("X-Frame-Options", "DENY");
        response.getHeaders().put("Referrer-Policy", "same-origin");
        response.write(true, ByteBuffer.wrap(json.getBytes(StandardCharsets.UTF_8)), callback);
    }

    /** What went wrong and what to do, by status; the web server's own reason is not shown (it may echo input). */
    static String text(int code) {
        return switch (code) {
            case 400 -> "Bad request: the web server could not read the request line or a header (a path with an "
                    + "invalid %-escape or an encoded NUL, %00, for example). Check the URL and the headers.";
            case 414 -> "The URL is too long. Routes and keys are short: check what is being sent.";
            case 431 -> "The request headers are too large. Send fewer or smaller headers (cookies included).";
            case 503 -> "The service is stopping or starting and takes no requests now. Retry in a few seconds.";
            default -> "HTTP " + code + " " + HttpStatus.getMessage(code) + ".";
        };
    }
}
