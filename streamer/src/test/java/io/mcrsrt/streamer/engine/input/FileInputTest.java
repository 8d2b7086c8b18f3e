package io.mcrsrt.streamer.engine.input;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mcrsrt.streamer.engine.testing.TestMedia;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How a file input hands its messages on: by their due times, one batch ahead, plus the smoothing latency. */
class FileInputTest {

    @Test
    void theSmoothingLatencyIsAddedToEveryDueTime() throws Exception {
        try (FileInput plain = FileInput.open(TestMedia.shortClip(), true, 0);
                FileInput smoothed = FileInput.open(TestMedia.shortClip(), true, 3000)) {
            assertThat(plain.pacerSettings().smoothingLatencyNanos()).isZero();
            assertThat(smoothed.pacerSettings().smoothingLatencyNanos()).isEqualTo(3_000_000_000L);

            long[] firstDue = new long[2];
            long start = System.nanoTime();
            int plainBytes = 0;
            for (int i = 0; i < 100 && plainBytes == 0; i++) {
                plainBytes = plain.pump(10_000_000, (m, due) -> firstDue[0] = firstDue[0] == 0 ? due : firstDue[0]);
            }
            int smoothedBytes = smoothed.pump(10_000_000, (m, due) -> firstDue[1] = due);
            assertThat(plainBytes).as("the first message of a file is due at once").isPositive();
            assertThat(firstDue[0] - start).isLessThan(1_000_000_000L);
            assertThat(smoothedBytes).as("nothing is due in the first 3 s with 3000 ms smoothing").isZero();
        }
    }

    /**
     * Each call hands on every message due before the next call (one wait on): a message sent once it has fallen due
     * would leave up to a batch late and have that much less of the latency for its retransmissions. Before, what fell
     * due during the wait was left for the next call.
     */
    @Test
    void eachBatchIsHandedOnBeforeItsMessagesFallDue() throws Exception {
        long wait = 10_000_000;
        try (FileInput file = FileInput.open(TestMedia.shortClip(), true, 0)) {
            long previousCallStart = 0;
            int messages = 0;
            for (int call = 0; call < 30; call++) {
                long callStart = System.nanoTime();
                long[] earliest = {Long.MAX_VALUE};
                long[] latest = {Long.MIN_VALUE};
                int bytes = file.pump(wait, (m, due) -> {
                    earliest[0] = Math.min(earliest[0], due);
                    latest[0] = Math.max(latest[0], due);
                });
                long callEnd = System.nanoTime();
                if (bytes > 0) {
                    messages++;
                    assertThat(latest[0]).as("nothing more than one wait ahead of the call's end")
                            .isLessThanOrEqualTo(callEnd + wait);
                    if (previousCallStart != 0) {
                        assertThat(earliest[0]).as("nothing due before the last call's start + one wait was left")
                                .isGreaterThan(previousCallStart + wait);
                    }
                }
                previousCallStart = callStart;
            }
            assertThat(messages).as("calls that handed messages on").isGreaterThan(10);
        }
    }

    /**
     * A file with a single PCR (the test clip with every PCR after its first removed) cannot be paced. Looped, that
     * PCR comes round again every pass, so the refusal must not say there are fewer than two; and it must name a
     * remedy that a user of the service or of {@code send} has: neither takes a bitrate to pace by. Before, the error
     * advised declaring the file's constant bitrate.
     */
    @Test
    void aFileWithOnePcrIsRefusedWithTheRemuxCommandAndNoSettingItCannotHave(@TempDir Path dir) throws Exception {
        byte[] file = Files.readAllBytes(TestMedia.shortClip());
        boolean first = true;
        for (int o = 0; o + 188 <= file.length; o += 188) {
            boolean pcr = (file[o + 3] & 0x20) != 0 && (file[o + 4] & 0xFF) >= 7 && (file[o + 5] & 0x10) != 0;
            if (pcr && !first) {
                // PCR_flag off, the 6 bytes of the PCR become stuffing at the end of the adaptation field
                int end = o + 5 + (file[o + 4] & 0xFF);
                file[o + 5] &= ~0x10;
                System.arraycopy(file, o + 12, file, o + 6, end - (o + 12));
                java.util.Arrays.fill(file, end - 6, end, (byte) 0xFF);
            }
            first &= !pcr;
        }
        Path onePcr = Files.write(dir.resolve("onepcr.ts"), file);

        assertThatThrownBy(() -> FileInput.open(onePcr, true, 0).close()).isInstanceOf(IOException.class)
                .hasMessageStartingWith("onepcr.ts cannot be played: cannot pace this stream: no two PCRs in a row"
                        + " at most 10 s apart on PCR PID 0x0100")
                .hasMessageContaining("ffmpeg -i IN -c copy -f mpegts -pcr_period 20 OUT.ts")
                .hasMessageNotContaining("bitrate");
    }
}
