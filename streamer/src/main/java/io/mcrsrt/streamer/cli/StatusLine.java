package io.mcrsrt.streamer.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A foreground command's one-line live status on stderr, and everything else written to stderr while it runs (log
 * lines, the command's own messages), which goes through here so that the two do not run into each other.
 *
 * <p>On a terminal the status is drawn in place: a carriage return, the text, and an erase to the end of the line.
 * Other text first erases the status, so that it starts on a line of its own, and the status is drawn again below it
 * once that text has ended its line. Before, a log line was written straight after the status ({@code ... | peers
 * 02026-11-23 09:34:21.836 INFO ...}).
 *
 * <p>When stderr is not a terminal (a file, a pipe, journald), a status redrawn each second would fill it with
 * carriage returns: the status is written as a line of its own when its state changes and every
 * {@link #UNCHANGED_INTERVAL_SECONDS} s otherwise, and once more at the end.
 *
 * <p>While open it is {@link System#err}: the console logger writes to whatever {@code System.err} is at the time, so
 * log lines come through here. Closing it puts the previous stderr back.
 */
final class StatusLine implements AutoCloseable {
    /** How often an unchanged status is written when stderr is not a terminal. */
    static final long UNCHANGED_INTERVAL_SECONDS = 10;

    private static final String ERASE_LINE = "\r\u001b[K";

    private final PrintStream raw;
    private final PrintStream previous;
    private final boolean terminal;
    private final PrintStream shared;
    private final Object lock = new Object();

    /** The status last given; null before the first, and once cleared. */
    private String status;
    /** On a terminal: the status is drawn on the current line. */
    private boolean drawn;
    /** Other text left the cursor in the middle of a line. */
    private boolean midLine;
    /** Not a terminal: the state and text of the status line last written, and when. */
    private String writtenState;
    private String writtenText;
    private long writtenAt;

    private StatusLine(PrintStream raw, boolean terminal) {
        this.raw = raw;
        this.previous = System.err;
        this.terminal = terminal;
        this.shared = new PrintStream(new Others(), true, raw.charset());
    }

    /** Takes over {@link System#err}, drawing in place when the process's stderr is a terminal. */
    static StatusLine onStderr() {
        return install(System.err, stderrIsATerminal());
    }

    /** Takes over {@link System#err}, writing to {@code raw}; {@code terminal} chooses how the status is shown. */
    static StatusLine install(PrintStream raw, boolean terminal) {
        StatusLine s = new StatusLine(raw, terminal);
        System.setErr(s.shared);
        return s;
    }

    /**
     * Whether file descriptor 2 is a terminal. Java has no isatty; Linux names a terminal /dev/pts/N or /dev/ttyN.
     * Anything else, or no /proc, counts as not a terminal: lines are safe anywhere.
     */
    static boolean stderrIsATerminal() {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return false;
        }
    }

    /**
     * Shows the status {@code text}. {@code state} is what makes a change worth a line when stderr is not a
     * terminal (the status word and the number of peers, not the rates that move each second).
     */
    void show(String text, String state) {
        synchronized (lock) {
            status = text;
            if (terminal) {
                draw();
            } else if (!state.equals(writtenState)
                    || System.nanoTime() - writtenAt >= TimeUnit.SECONDS.toNanos(UNCHANGED_INTERVAL_SECONDS)) {
                writeLine(text);
                writtenState = state;
            }
        }
    }

    /** Writes one line of the command's own (a final message) on a line of its own, below the status. */
    void println(String line) {
        shared.println(line);
    }

    /**
     * Leaves the last status on the screen, or in the file, as a line of its own, and stops showing it. For a command
     * that ends with a message of its own instead, call {@link #clear()}.
     */
    void finish() {
        synchronized (lock) {
            if (status == null) {
                return;
            }
            if (terminal) {
                if (drawn) {
                    raw.print('\n');
                    raw.flush();
                }
            } else if (!status.equals(writtenText)) {
                writeLine(status);
            }
            drawn = false;
            status = null;
        }
    }

    /** Erases the status and stops showing it: a final message says what it would have. */
    void clear() {
        synchronized (lock) {
            if (drawn) {
                raw.print(ERASE_LINE);
                raw.flush();
            }
            drawn = false;
            status = null;
        }
    }

    /** Puts the previous stderr back. */
    @Override
    public void close() {
        synchronized (lock) {
            finish();
            if (System.err == shared) {
                System.setErr(previous);
            }
        }
    }

    private void draw() {
        if (midLine) {
            raw.print('\n');
            midLine = false;
        }
        raw.print("\r" + status + "\u001b[K");
        raw.flush();
        drawn = true;
    }

    private void writeLine(String text) {
        if (midLine) {
            raw.print('\n');
            midLine = false;
        }
        raw.print(text + "\n");
        raw.flush();
        writtenText = text;
        writtenAt = System.nanoTime();
    }

    /** Everything written to stderr other than the status: erases the status first, draws it again after a line. */
    private final class Others extends OutputStream {
        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            if (len == 0) {
                return;
            }
            synchronized (lock) {
                if (drawn) {
                    raw.print(ERASE_LINE);
                    drawn = false;
                }
                raw.write(b, off, len);
                midLine = b[off + len - 1] != '\n';
                if (terminal && status != null && !midLine) {
                    draw();
                }
                raw.flush();
            }
        }

        @Override
        public void flush() {
            raw.flush();
        }
    }
}
