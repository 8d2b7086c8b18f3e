package io.mcrsrt.streamer.cli;

import io.mcrsrt.srt.SrtFileClient;
import java.io.PrintStream;
import java.util.Locale;

/** A one-line progress report on stderr, redrawn at most five times a second. */
final class TransferProgress implements SrtFileClient.Progress {

    private static final long REDRAW_NANOS = 200_000_000L;

    private final String name;
    private final PrintStream err;
    private final long start = System.nanoTime();
    /** When the line was last drawn; 0 before the first time. */
    private long lastDraw;

    TransferProgress(String name, PrintStream err) {
        this.name = name;
        this.err = err;
    }

    @Override
    public void update(long received, long total) {
        long now = System.nanoTime();
        if (received < total && now - lastDraw < REDRAW_NANOS) {
            return;
        }
        lastDraw = now;
        double seconds = Math.max((now - start) / 1e9, 1e-3);
        err.printf(Locale.ROOT, "\r%s: %.1f of %.1f MB (%d%%), %.1f Mbit/s", name, received / 1e6, total / 1e6,
                total == 0 ? 100 : received * 100 / total, received * 8 / seconds / 1e6);
        err.flush();
    }

    /** Ends the progress line, if one was drawn, so that what follows starts on a line of its own. */
    void finish() {
        if (lastDraw != 0) {
            err.println();
        }
    }
}
