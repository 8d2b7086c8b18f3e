package io.mcrsrt.ts.rtp;

import static io.mcrsrt.ts.rtp.RtpSequence.Outcome.AFTER_GAP;
import static io.mcrsrt.ts.rtp.RtpSequence.Outcome.DUPLICATE;
import static io.mcrsrt.ts.rtp.RtpSequence.Outcome.FIRST;
import static io.mcrsrt.ts.rtp.RtpSequence.Outcome.JUMP;
import static io.mcrsrt.ts.rtp.RtpSequence.Outcome.LATE;
import static io.mcrsrt.ts.rtp.RtpSequence.Outcome.NEW_SOURCE;
import static io.mcrsrt.ts.rtp.RtpSequence.Outcome.NEXT;
import static io.mcrsrt.ts.rtp.RtpSequence.Outcome.RESTART;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RtpSequenceTest {

    /** Feeds {@code seqs} from one source; returns each datagram's outcome. */
    private static List<RtpSequence.Outcome> feed(RtpSequence s, int... seqs) {
        List<RtpSequence.Outcome> out = new ArrayList<>();
        for (int seq : seqs) {
            out.add(s.accept(7, seq));
        }
        return out;
    }

    @Test
    void aLateDatagramTakesItsLossBackAndACopyOfAnyOfTheNewest64IsADuplicate() {
        RtpSequence s = new RtpSequence();
        assertThat(feed(s, 65534, 65535, 2, 0, 2, 65535, 1, 3))
                .containsExactly(FIRST, NEXT, AFTER_GAP, LATE, DUPLICATE, DUPLICATE, LATE, NEXT);
        assertThat(s.gaps()).isEqualTo(1);
        assertThat(s.lost()).as("0 and 1 came late").isZero();
        assertThat(s.late()).isEqualTo(2);
        assertThat(s.duplicates()).isEqualTo(2);
        assertThat(s.highest()).isEqualTo(3);
    }

    @Test
    void aJumpIsARestartOnlyOnceTheNextDatagramFollowsOnFromIt() {
        RtpSequence s = new RtpSequence();
        // 5000 forward is no loss of 4 999: alone it is set aside; followed by 5001 it is the new numbering
        assertThat(feed(s, 10, 11, 5000, 12, 5000, 5001, 5003))
                .containsExactly(FIRST, NEXT, JUMP, NEXT, JUMP, RESTART, AFTER_GAP);
        assertThat(s.restarts()).isEqualTo(1);
        assertThat(s.lost()).as("5002 only").isEqualTo(1);
        // a step back of 99 is late; of 100 a jump (RFC 3550 A.1's MAX_MISORDER)
        RtpSequence back = new RtpSequence();
        assertThat(feed(back, 1000, 901, 900)).containsExactly(FIRST, LATE, JUMP);
    }

    @Test
    void anotherSsrcOrAForgottenNumberingStartsAfreshWithoutLoss() {
        RtpSequence s = new RtpSequence();
        assertThat(s.accept(1, 100)).isEqualTo(FIRST);
        assertThat(s.accept(2, 40_000)).isEqualTo(NEW_SOURCE);
        assertThat(s.accept(2, 40_001)).isEqualTo(NEXT);
        s.restart();
        assertThat(s.accept(2, 7)).isEqualTo(FIRST);
        assertThat(s.lost()).isZero();
        assertThat(s.restarts()).isEqualTo(1);
        assertThat(s.ssrcChanges()).isEqualTo(1);
        assertThat(s.ssrc()).isEqualTo(2);
    }
}
