package io.mcrsrt.streamer.engine.output;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Ending an output's helper thread (the accept or connect thread) from the stream's owner thread. */
final class HelperThreads {
    private static final Logger LOG = LoggerFactory.getLogger(HelperThreads.class);
    private static final long JOIN_MILLIS = 3_000;

    private HelperThreads() {
    }

    /**
     * Waits up to 3 s for {@code helper} to end, then logs if it has not. Stopping a stream interrupts its owner, the
     * thread that closes the output and calls this: with the flag still set join() would return at once, and a
     * connection the helper made just then would never be closed. So the flag is cleared for the wait and set again
     * afterwards.
     */
    static void awaitEnd(Thread helper, String what, int streamKey) {
        boolean interrupted = Thread.interrupted();
        try {
            helper.join(JOIN_MILLIS);
            if (helper.isAlive()) {
                LOG.warn("stream {}: {} did not stop within {} s", streamKey, what, JOIN_MILLIS / 1000);
            }
        } catch (InterruptedException e) {
            interrupted = true;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
