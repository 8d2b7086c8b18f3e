package io.mcrsrt.streamer.engine.output;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Retransmissions weighed against the overhead, over ten once-a-second samples, said at most every five minutes. */
class RepairBudgetTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void retransmissionsAboveTheOverheadForTenSecondsAreSaidOnce() {
        RepairBudget budget = new RepairBudget(2);
        String said = null;
        for (int s = 0; s < RepairBudget.WINDOW_SECONDS; s++) {
            // 760 packets a second of stream, 23 of them sent again: 3.0 % against 2 %
            said = budget.sample(783, 23, s * SECOND);
            if (s < RepairBudget.WINDOW_SECONDS - 1) {
                assertThat(said).as("second %d: a window not yet full says nothing", s).isNull();
            }
        }
        assertThat(said).startsWith("retransmissions were 3.0 % of the stream over the last 10 s, more than its"
                + " overhead of 2 % lets through").contains("raise the overhead");
        assertThat(budget.sample(783, 23, 11 * SECOND)).as("said again at once").isNull();
        assertThat(budget.sample(783, 23, 10 * SECOND + RepairBudget.TELL_EVERY_NANOS)).as("five minutes later")
                .isNotNull();
    }

    @Test
    void retransmissionsWithinTheOverheadOrTooFewPacketsSayNothing() {
        RepairBudget within = new RepairBudget(25);
        RepairBudget slow = new RepairBudget(2);
        for (int s = 0; s < 3 * RepairBudget.WINDOW_SECONDS; s++) {
            assertThat(within.sample(783, 23, s * SECOND)).isNull();
            // 40 packets a second: 400 in the window, too few to judge, even at 10 % resent
            assertThat(slow.sample(44, 4, s * SECOND)).isNull();
        }
    }

    @Test
    void aBurstOfLossIsWeighedOverTheWholeWindow() {
        RepairBudget budget = new RepairBudget(5);
        for (int s = 0; s < 2 * RepairBudget.WINDOW_SECONDS; s++) {
            // one second in ten loses 30 %: 3 % over the window, within 5 %
            long resent = s % RepairBudget.WINDOW_SECONDS == 0 ? 228 : 0;
            assertThat(budget.sample(760 + resent, resent, s * SECOND)).as("second %d", s).isNull();
        }
    }
}
