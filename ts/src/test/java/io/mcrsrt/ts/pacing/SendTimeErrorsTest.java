package io.mcrsrt.ts.pacing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SendTimeErrorsTest {

    @Test
    void errorsWithinAFewMillisecondsTakeAFewPagesAndKeepMicrosecondPercentiles() {
        SendTimeErrors h = new SendTimeErrors();
        Random random = new Random(7);
        long[] errors = new long[20_000];
        for (int i = 0; i < errors.length; i++) {
            errors[i] = (long) (Math.abs(random.nextGaussian()) * 400_000); // jitter of a few hundred microseconds
            errors[i] = Math.min(errors[i], 2_999_999);
            h.record(errors[i]);
        }
        // 0-3 ms: three pages of 8 KB, where the whole 100 ms range would take 101 (800 KB)
        assertThat(h.pagesMade()).isLessThanOrEqualTo(3);
        long[] sorted = errors.clone();
        Arrays.sort(sorted);
        for (double p : new double[] {1, 50, 90, 99, 99.9, 100}) {
            long exact = sorted[(int) Math.ceil(p / 100 * sorted.length) - 1];
            assertThat(h.percentileNanos(p)).as("p%s", p)
                    .isEqualTo(Math.min((exact / 1_000 + 1) * 1_000, sorted[sorted.length - 1]));
        }
        assertThat(h.count()).isEqualTo(errors.length);
        assertThat(h.maxNanos()).isEqualTo(sorted[sorted.length - 1]);
    }

    @Test
    void aPercentileIsNeverMoreThanTheLargestError() {
        // Before, the upper edge of the largest error's bucket: analyze printed "p99 46.498 ms max 46.497 ms".
        SendTimeErrors h = new SendTimeErrors();
        h.record(4_294_000);
        h.record(46_497_300);
        assertThat(h.maxNanos()).isEqualTo(46_497_300);
        assertThat(h.percentileNanos(99)).isEqualTo(46_497_300);
        assertThat(h.percentileNanos(50)).isEqualTo(4_295_000);
    }

    @Test
    void anErrorBeyondTheRangeCountsInTheLastBucketAndReportsTheLargest() {
        SendTimeErrors h = new SendTimeErrors();
        h.record(-5);
        h.record(250_000_000);
        assertThat(h.percentileNanos(50)).isEqualTo(1_000);
        assertThat(h.percentileNanos(100)).isEqualTo(250_000_000);
        assertThat(h.pagesMade()).isEqualTo(2);
        h.reset();
        assertThat(h.pagesMade()).isZero();
        assertThat(h.count()).isZero();
        assertThat(h.percentileNanos(99)).isZero();
    }

    /** The summary goes into benchmark logs that are compared between machines: never 4,295 or ٤٫٢٩٥ for 4.295. */
    @Test
    void theSummaryIsWrittenTheSameInEveryDefaultLocale() {
        SendTimeErrors h = new SendTimeErrors();
        h.record(4_294_000);
        h.record(46_497_300);
        Locale before = Locale.getDefault();
        Locale beforeFormat = Locale.getDefault(Locale.Category.FORMAT);
        try {
            for (String tag : List.of("de-DE", "tr-TR", "ar-EG")) {
                Locale.setDefault(Locale.forLanguageTag(tag));
                assertThat(h.toString()).as(tag).isEqualTo("n=2 p50=4.295 ms p99=46.497 ms max=46.497 ms");
            }
        } finally {
            Locale.setDefault(before);
            Locale.setDefault(Locale.Category.FORMAT, beforeFormat);
        }
    }
}
