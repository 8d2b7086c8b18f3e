package io.mcrsrt.streamer.api;

import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Server;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;

/**
 * Caps the web server's open connections ({@code HTTP_MAX_CONNECTIONS}), so that a client opening thousands of them
 * cannot take the file descriptors the SRT streams need. At the cap the server stops accepting: a further connection
 * waits in the kernel's accept queue until one of the open ones closes (once that queue is full, the kernel leaves a
 * new one unanswered, and its client retries or gives up); none is cut off. Says so in the log, at most once a minute.
 */
final class ConnectionCap extends NetworkConnectionLimit {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionCap.class);
    private static final long WARN_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final int max;
    /** When the cap was last reported, by {@link System#nanoTime()}; guarded by this. */
    private long warnedAt;
    private boolean warned;

    ConnectionCap(int max, Server server) {
        super(max, server);
        this.max = max;
    }

    @Override
    protected void limit() {
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
}
