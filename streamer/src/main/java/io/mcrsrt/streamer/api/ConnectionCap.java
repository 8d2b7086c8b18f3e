package io.mcrsrt.streamer.api;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Server;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;

/**
 * Caps the web server's open connections ({@code HTTP_MAX_CONNECTIONS}), so that a client opening thousands of them
 * cannot take the file descriptors the SRT streams need, and decides how long an idle one stays open. At the cap the
 * server stops accepting: a further connection waits in the kernel's accept queue until one of the open ones closes
 * (once that queue is full, the kernel leaves a new one unanswered, and its client retries or gives up), and every
 * open connection idle for {@link #IDLE_TIMEOUT_AT_CAP_MILLIS} is closed, so that a health check or a scrape waiting
 * behind connections a script opened and left is answered within seconds. A request under way is not cut off however
 * long it takes (Jetty times a request out only while it waits to read or write), nor a live event stream (it writes
 * at least once a second). Says so in the log, at most once a minute, and counts the open connections against the
 * cap in {@code /metrics}.
 */
final class ConnectionCap extends NetworkConnectionLimit implements Connection.Listener {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionCap.class);
    private static final long WARN_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);
    /**
     * How long a connection stays open with nothing read or written while the cap is not reached: long enough for a
     * browser or the nginx site to send its next request on it. Jetty's default, written out here because the docs
     * name it.
     */
    static final long IDLE_TIMEOUT_MILLIS = 30_000;
    /**
     * How long a connection stays open with nothing read or written once the cap is reached: short enough that a
     * health check (a load balancer's waits 5 s by default) is answered while idle connections hold the cap, long
     * enough that a browser loading a page keeps its connection between two requests.
     */
    static final long IDLE_TIMEOUT_AT_CAP_MILLIS = 3_000;

    private final int max;
    private final long idleTimeoutMillis;
    private final Server server;
    /**
     * Whether the cap is reached. Jetty shortens the idle timeout of the connections open when it is reached; those
     * accepted in the same burst open just after, and {@link #onOpened} shortens theirs.
     */
    private volatile boolean atCap;
    /** When the cap was last reported, by {@link System#nanoTime()}; guarded by this. */
    private long warnedAt;
    private boolean warned;

    /**
     * @param max               most connections open at once
     * @param idleTimeoutMillis how long an idle connection stays open below the cap ({@link #IDLE_TIMEOUT_MILLIS});
     *                          more than {@link #IDLE_TIMEOUT_AT_CAP_MILLIS}
     * @param metrics           where {@code mcr_srt_http_open_connections} and {@code mcr_srt_http_max_connections}
     *                          go
     */
    ConnectionCap(int max, long idleTimeoutMillis, Server server, MeterRegistry metrics) {
        super(max, server);
        if (idleTimeoutMillis <= IDLE_TIMEOUT_AT_CAP_MILLIS) {
            throw new IllegalArgumentException("idle timeout " + idleTimeoutMillis + " ms: must be longer than the "
                    + IDLE_TIMEOUT_AT_CAP_MILLIS + " ms an idle connection stays open at the cap");
        }
        this.max = max;
        this.idleTimeoutMillis = idleTimeoutMillis;
        this.server = server;
        setEndPointIdleTimeout(IDLE_TIMEOUT_AT_CAP_MILLIS);
        Gauge.builder("mcr_srt_http_open_connections", this, ConnectionCap::getNetworkConnectionCount)
                .description("connections the web server has open").register(metrics);
        Gauge.builder("mcr_srt_http_max_connections", () -> max)
                .description("most connections the web server keeps open at once (HTTP_MAX_CONNECTIONS)")
                .register(metrics);
    }

    @Override
    protected void doStart() throws Exception {
        // Before the connectors start: each connection takes the connector's idle timeout when it is accepted, and
        // gets it back when the server drops below the cap.
        for (Connector c : server.getConnectors()) {
            if (c instanceof AbstractConnector connector) {
                connector.setIdleTimeout(idleTimeoutMillis);
            }
        }
        super.doStart();
    }

    @Override
    protected void limit() {
        atCap = true;
        super.limit();
        boolean warn;
        synchronized (this) {
            long now = System.nanoTime();
            warn = !warned || now - warnedAt >= WARN_EVERY_NANOS;
            if (warn) {
                warned = true;
                warnedAt = now;
            }
        }
        if (warn) {
            LOG.warn("The web server has {} connections open, as many as HTTP_MAX_CONNECTIONS allows: further ones"
                    + " wait until one closes. Close unused browser tabs or scripts, or raise HTTP_MAX_CONNECTIONS.",
                    max);
        }
    }

    @Override
    protected void unlimit() {
        atCap = false;
        super.unlimit();
    }

    /**
     * A connection accepted while the cap is reached gets the shorter idle timeout too. Jetty lists a connection among
     * the connector's before it calls this, so one opened as the cap is reached is seen either here or by
     * {@link #limit()}. One opened just as the server drops below the cap may keep the shorter timeout: it closes after
     * a few idle seconds, which its client takes as it takes any server closing a kept-alive connection.
     */
    @Override
    public void onOpened(Connection connection) {
        if (atCap) {
            connection.getEndPoint().setIdleTimeout(IDLE_TIMEOUT_AT_CAP_MILLIS);
        }
    }
}
