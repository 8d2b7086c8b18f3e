package io.mcrsrt.streamer.engine.input;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcrsrt.streamer.engine.testing.TestMedia;
import org.junit.jupiter.api.Test;

/** A file stream's smoothing_latency_ms reaches the pacer and delays the first message by that much. */
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
}
