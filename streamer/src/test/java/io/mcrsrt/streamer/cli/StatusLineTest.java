package io.mcrsrt.streamer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StatusLineTest {
    private static final String ERASE = "\r\u001b[K";

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream raw = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    private String written() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void onATerminalALogLineErasesTheStatusStartsOnItsOwnLineAndTheStatusComesBackBelowIt() {
        PrintStream before = System.err;
        try (StatusLine status = StatusLine.install(raw, true)) {
            status.show("Waiting for connection | peers 0", "Waiting 0");
            // as the console logger writes: one line, through whatever System.err is
            byte[] line = "2026-11-23 09:34:21.836 INFO  [stream-30001] connected\n".getBytes(StandardCharsets.UTF_8);
            System.err.write(line, 0, line.length);
            status.show("Connected | peers 1", "Connected 1");
        }
        assertThat(System.err).isSameAs(before);
        assertThat(written()).isEqualTo("\rWaiting for connection | peers 0\u001b[K" + ERASE
                + "2026-11-23 09:34:21.836 INFO  [stream-30001] connected\n"
                + "\rWaiting for connection | peers 0\u001b[K"
                + "\rConnected | peers 1\u001b[K\n");
    }

    @Test
    void onATerminalTextThatLeftALineOpenIsNotOverwrittenByTheStatus() {
        try (StatusLine status = StatusLine.install(raw, true)) {
            System.err.print("half a line");
            status.show("Connected", "Connected 1");
        }
        assertThat(written()).isEqualTo("half a line\n\rConnected\u001b[K\n");
    }

    @Test
    void aFinalMessageReplacesTheStatusRatherThanRepeatingIt() {
        try (StatusLine status = StatusLine.install(raw, true)) {
            status.show("Starting", "Starting 0");
            status.clear();
            status.println("send: Start Error - no packets");
        }
        assertThat(written()).isEqualTo("\rStarting\u001b[K" + ERASE + "send: Start Error - no packets\n");
    }

    @Test
    void withoutATerminalTheStatusIsALineWhenItChangesNotEachSecondAndNeverACarriageReturn() {
        try (StatusLine status = StatusLine.install(raw, false)) {
            for (int second = 0; second < 5; second++) {
                status.show("Waiting for connection | in 5.2" + second + " Mbit/s | peers 0", "Waiting 0");
            }
            System.err.println("2026-11-23 09:34:21.836 INFO  [stream-30001] connected");
            status.show("Connected | in 5.20 Mbit/s | peers 1", "Connected 1");
            status.show("Connected | in 5.21 Mbit/s | peers 1", "Connected 1");
        }
        assertThat(written()).doesNotContain("\r").doesNotContain("\u001b").isEqualTo(
                "Waiting for connection | in 5.20 Mbit/s | peers 0\n"
                + "2026-11-23 09:34:21.836 INFO  [stream-30001] connected\n"
                + "Connected | in 5.20 Mbit/s | peers 1\n"
                // the last status, once more at the end
                + "Connected | in 5.21 Mbit/s | peers 1\n");
    }
}
