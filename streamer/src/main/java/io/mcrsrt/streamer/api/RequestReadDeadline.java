package io.mcrsrt.streamer.api;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.internal.HttpConnection;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes a connection whose client takes longer than a deadline to send a request's header, or its body. The idle
 * timeout alone does not: a client that sends a byte every few seconds (slowloris) is never idle, and so held its
 * connections for as long as it liked, at {@code HTTP_MAX_CONNECTIONS} all of them. Only the reading of a request is
 * timed, from its first byte to its last (the body's time starts when the header is read): a connection waiting for its
 * next request is the idle timeout's, and a request being answered, however long (a live event stream), is not cut off.
 * Every request the service takes is small (bodies of at most 64 KiB), so a client that cannot send one within the
 * deadline is broken or hostile.
 */
final class RequestReadDeadline extends AbstractLifeCycle implements Connection.Listener {
    private static final Logger LOG = LoggerFactory.getLogger(RequestReadDeadline.class);
    /** How long a client may take to send a request's header, and then its body. */
    static final long DEADLINE_MILLIS = 10_000;

    private final long deadlineMillis;
    private final long checkEveryMillis;
    private final Server server;
    /** The HTTP/1 connections open, each with what was last seen of it; its values are owned by the check task. */
    private final Map<HttpConnection, Reading> open = new ConcurrentHashMap<>();
    private volatile Scheduler.Task task;

    /** What the check last saw of a connection: the request it was reading and since when, or none. */
    private static final class Reading {
        long messages = -1;
        long sinceNanos;
        boolean reading;
    }

    /**
     * @param deadlineMillis how long a client may take to send one request ({@link #DEADLINE_MILLIS}); at least 100
     */
    RequestReadDeadline(long deadlineMillis, Server server) {
        if (deadlineMillis < 100) {
            throw new IllegalArgumentException("request read deadline " + deadlineMillis + " ms: at least 100");
        }
        this.deadlineMillis = deadlineMillis;
        this.checkEveryMillis = Math.max(50, Math.min(1_000, deadlineMillis / 10));
        this.server = server;
    }

    @Override
    protected void doStart() throws Exception {
        for (Connector c : server.getConnectors()) {
            if (c instanceof AbstractConnector connector) {
                connector.addEventListener(this);
            }
        }
        schedule();
        super.doStart();
    }

    @Override
    protected void doStop() throws Exception {
        Scheduler.Task t = task;
        if (t != null) {
            t.cancel();
        }
        open.clear();
        super.doStop();
    }

    @Override
    public void onOpened(Connection connection) {
        if (connection instanceof HttpConnection http) {
            open.put(http, new Reading());
        }
    }

    @Override
    public void onClosed(Connection connection) {
        open.remove(connection);
    }

    private void schedule() {
        task = server.getScheduler().schedule(this::check, checkEveryMillis, TimeUnit.MILLISECONDS);
    }

    private void check() {
        try {
            long now = System.nanoTime();
            open.forEach((connection, seen) -> {
                if (tooSlow(connection, seen, now)) {
                    LOG.warn("HTTP client {} took more than {} ms to send a request's header or body: its"
                            + " connection is closed", connection.getEndPoint().getRemoteSocketAddress(),
                            deadlineMillis);
                    open.remove(connection);
                    connection.getEndPoint().close();
                }
            });
        } catch (RuntimeException e) {
            LOG.warn("Checking the HTTP connections for slow requests failed", e);
        } finally {
            if (isRunning()) {
                schedule();
            }
        }
    }

    /**
     * Whether {@code connection} has been reading one request for longer than the deadline: its parser between a
     * request's first byte and its end, on the same request as at the check that first saw it so.
     */
    private boolean tooSlow(HttpConnection connection, Reading seen, long now) {
        HttpParser parser = connection.getParser();
        boolean reading = !parser.isStart() && (parser.inHeaderState() || parser.inContentState());
        long messages = connection.getMessagesIn();
        if (!reading) {
            seen.reading = false;
            return false;
        }
        if (!seen.reading || seen.messages != messages) {
            seen.reading = true;
            seen.messages = messages;
            seen.sinceNanos = now;
            return false;
        }
        return now - seen.sinceNanos > TimeUnit.MILLISECONDS.toNanos(deadlineMillis);
    }
}
