package io.mcrsrt.streamer.engine.output;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which visits of a listener's callers are told one by one, on a clock the test sets. */
class CallerChurnTest {
    private static final long S = 1_000_000_000L;

    @Test
    void pastTheFirstVisitsOfOneAddressTheyAreSummarisedUntilItCalmsDown() {
        CallerChurn churn = new CallerChurn();
        long t = 100 * S;
        for (int i = 0; i < CallerChurn.LISTED; i++) {
            assertThat(churn.arrives("192.0.2.7", t)).isTrue();
            assertThat(churn.leaves("192.0.2.7", false, t + S / 10)).isTrue();
            t += S / 5;
        }
        assertThat(churn.arrives("198.51.100.1", t)).as("another address is told").isTrue();
        for (int i = 0; i < 37; i++) {
            assertThat(churn.arrives("192.0.2.7", t)).isFalse();
            assertThat(churn.leaves("192.0.2.7", true, t + S / 10)).isFalse();
            t += S / 5;
        }
        assertThat(churn.due(t)).as("no summary before a window").isEmpty();
        long firstFolded = 100 * S + CallerChurn.LISTED * S / 5;
        assertThat(churn.due(firstFolded + CallerChurn.WINDOW_NANOS)).containsExactly("192.0.2.7 connected and left"
                + " 37 times in the last 10 s: such short visits from it are counted (connections lost), not listed one"
                + " by one, until 10 s pass without one");

        t = firstFolded + CallerChurn.WINDOW_NANOS;
        assertThat(churn.arrives("192.0.2.7", t)).as("still folding").isFalse();
        churn.stayed("192.0.2.7");
        t += CallerChurn.WINDOW_NANOS;
        assertThat(churn.due(t)).as("a window without a folded visit ending: calm").isEmpty();
        assertThat(churn.arrives("192.0.2.7", t + CallerChurn.WINDOW_NANOS)).as("told again").isTrue();
    }

    @Test
    void theAddressLeavesOutThePortOnly() {
        assertThat(CallerChurn.host("192.0.2.7:40000")).isEqualTo("192.0.2.7");
        assertThat(CallerChurn.host("[2001:db8::7]:40000")).isEqualTo("[2001:db8::7]");
        assertThat(CallerChurn.host("unknown")).isEqualTo("unknown");
    }
}
