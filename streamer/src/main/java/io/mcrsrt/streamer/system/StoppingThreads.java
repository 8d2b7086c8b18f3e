package io.mcrsrt.streamer.system;

import org.slf4j.Logger;

/** Ending the threads of a component being closed (the link emulator's, the probe responder's, the server refresher's). */
public final class StoppingThreads {
    private StoppingThreads() {
    }

    /**
     * Waits up to {@code millis} for {@code thread}, told to stop, to end, and warns on {@code log} (the owner's) if it
     * has not; an interrupt ends the wait and is kept for the caller.
     */
    public static void join(Thread thread, long millis, Logger log) {
        try {
            thread.join(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            log.warn("Thread {} did not stop within {} ms", thread.getName(), millis);
        }
    }
}
