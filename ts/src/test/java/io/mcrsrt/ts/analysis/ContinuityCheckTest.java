package io.mcrsrt.ts.analysis;

import static io.mcrsrt.ts.analysis.ContinuityCheck.Outcome.CHANGED_WITHOUT_PAYLOAD;
import static io.mcrsrt.ts.analysis.ContinuityCheck.Outcome.GAP;
import static io.mcrsrt.ts.analysis.ContinuityCheck.Outcome.IN_ORDER;
import static io.mcrsrt.ts.analysis.ContinuityCheck.Outcome.REPEATED;
import static io.mcrsrt.ts.analysis.ContinuityCheck.Outcome.STARTS;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class ContinuityCheckTest {

    @Test
    void theCounterStepsByOneWrapsAtSixteenAndIsKeptPerPid() {
        ContinuityCheck c = new ContinuityCheck();
        assertThat(c.check(256, 14, true, false)).isEqualTo(STARTS);
        assertThat(c.check(257, 3, true, false)).isEqualTo(STARTS);
        assertThat(c.check(256, 15, true, false)).isEqualTo(IN_ORDER);
        assertThat(c.check(256, 0, true, false)).isEqualTo(IN_ORDER);
        assertThat(c.check(257, 4, true, false)).isEqualTo(IN_ORDER);
        assertThat(c.errors()).isZero();
    }

    @Test
    void aGapASecondRepeatAndAChangeWithoutPayloadAreErrorsOneDuplicateIsNot() {
        ContinuityCheck c = new ContinuityCheck();
        c.check(100, 5, true, false);
        assertThat(c.check(100, 8, true, false)).isEqualTo(GAP);
        assertThat(c.previous()).isEqualTo(5);
        assertThat(c.check(100, 8, true, false)).as("one duplicate").isEqualTo(IN_ORDER);
        assertThat(c.check(100, 8, true, false)).as("a second").isEqualTo(REPEATED);
        assertThat(c.check(100, 8, false, false)).as("adaptation only, unchanged").isEqualTo(IN_ORDER);
        assertThat(c.check(100, 9, false, false)).isEqualTo(CHANGED_WITHOUT_PAYLOAD);
        assertThat(c.check(100, 3, true, true)).as("discontinuity_indicator").isEqualTo(STARTS);
        assertThat(c.check(100, 4, true, false)).isEqualTo(IN_ORDER);
        assertThat(c.errors()).isEqualTo(3);
    }

    @Test
    void readsThePacketHeaderAndSkipsTheNullPidAndDiscardedPackets() {
        ByteBuffer b = ByteBuffer.allocateDirect(4 * 188);
        packet(b, 0, 0x101, 0x1, 7, false);
        packet(b, 188, 0x101, 0x1, 9, false); // a gap
        packet(b, 2 * 188, 0x1FFF, 0x1, 0, false); // null PID: not checked
        packet(b, 3 * 188, 0x101, 0x3, 2, true); // adaptation field with discontinuity_indicator
        ContinuityCheck c = new ContinuityCheck();
        for (int p = 0; p < 4 * 188; p += 188) {
            c.accept(b, p);
        }
        assertThat(c.errors()).isEqualTo(1);
        packet(b, 0, 0x101, 0x0, 9, false); // adaptation_field_control '00': discarded, not compared
        c.accept(b, 0);
        packet(b, 0, 0x101, 0x1, 3, false);
        c.accept(b, 0);
        assertThat(c.errors()).as("3 follows the 2 before the discarded packet").isEqualTo(1);
    }

    private static void packet(ByteBuffer b, int at, int pid, int afc, int cc, boolean discontinuity) {
        b.put(at, (byte) 0x47);
        b.put(at + 1, (byte) (pid >> 8));
        b.put(at + 2, (byte) pid);
        b.put(at + 3, (byte) (afc << 4 | cc));
        b.put(at + 4, (byte) ((afc & 0x2) != 0 ? 1 : 0xFF));
        b.put(at + 5, (byte) (discontinuity ? 0x80 : 0));
    }
}
