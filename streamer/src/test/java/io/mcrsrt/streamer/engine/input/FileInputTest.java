package io.mcrsrt.streamer.engine.input;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcrsrt.streamer.engine.testing.TestMedia;
import org.junit.jupiter.api.Test;

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
}
