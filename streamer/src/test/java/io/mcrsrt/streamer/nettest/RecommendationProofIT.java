package io.mcrsrt.streamer.nettest;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcrsrt.streamer.impair.Impairment;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The proof that the recommendation holds: for each row of the table (1, 3, 7, 10 % random loss at 100 ms RTT, on the
 * stream's packets and, as on a real link, on the acknowledgements and loss reports coming back) an 8 Mbit/s live
 * stream through the link emulator with the recommended latency and overhead, over a minute; the same stream with a
 * latency of 1 x RTT loses packets, which shows the check can fail. The streams use the engine's own rate control
 * ({@link io.mcrsrt.streamer.engine.output.SrtSettings#applyRateControl}), so the overhead is all that
 * retransmissions may take.
 *
 * <p>What the table buys, measured with libsrt 1.5.1: at 1 and 3 % every packet is repaired in most runs and one is
 * not in some (the 1 and 3 % rows must repair all but {@value #RESIDUAL_PER_100K_UP_TO_3} in 100,000); at 7 % up to one
 * packet a minute is not, at 10 % up to twelve (resends then take nearly all of the 17 % overhead). libsrt resends a lost packet about once per 125 ms at this RTT
 * (one loss report period after its last resend), so 5 x RTT allows three resends, and a packet lost four times in a
 * row at 7 % (0.07^4) is expected about once in 40,000 packets. The 7 % row must repair all but
 * {@value #RESIDUAL_PER_100K} in 100,000 packets, the 10 % row all but {@value #RESIDUAL_PER_100K_AT_10}: bounds that still
 * catch a real regression (a rate cap that starved resends lost 599 in a minute at 10 %); the recommendation warns of
 * the residue there.
 *
 * <p>The four proof streams run at once, each on its own ports, then the four control streams: the controls never
 * share the processor with the proofs. The streams' threads run at a raised scheduling weight when allowed
 * ({@link ThreadNiceness}). A row only counts when the machine ran the path faithfully (the relay never more than
 * 20 ms late, the RTT never up by half); a row that lost packets on an unfaithful path aborts the test as
 * inconclusive, naming the row, instead of blaming SRT or passing.
 */
class RecommendationProofIT {

    private static final long BITRATE = 8_000_000;
    private static final double RTT_MS = 100;
    private static final int PROOF_SECONDS = 61;
    private static final int CONTROL_SECONDS = 12;
    /**
     * Unrepaired packets allowed per 100,000 in the 1 and 3 % rows: one in a minute's 46,352. A packet lost twice in a
     * row (1 in 10,000 at 1 %) gets its second resend close to the 3 x RTT deadline; most runs repair every one, some
     * leave one (measured: docs/network-test.md).
     */
    static final int RESIDUAL_PER_100K_UP_TO_3 = 3;
    /** Unrepaired packets allowed per 100,000 in the 7 % row. */
    static final int RESIDUAL_PER_100K = 10;
    /** Unrepaired packets allowed per 100,000 in the 10 % row, where resends take nearly all of the 17 % overhead. */
    static final int RESIDUAL_PER_100K_AT_10 = 100;

    @Test
    void recommendedSettingsRepairAnEightMegabitStreamWhileOneRttLoses() throws Exception {
        ThreadNiceness.runBoosted("proof", () -> {
            prove();
            return null;
        });
    }

    private static void prove() throws Exception {
        System.out.println("proof threads at nice -10: " + ThreadNiceness.raiseCallingThread(-10));
        Impairment base = Impairment.delay(RTT_MS / 2);
        // -Dnettest.proof.rows=1,10 runs a subset, to investigate one row.
        String rows = System.getProperty("nettest.proof.rows", "1,3,7,10");
        boolean withControls = Boolean.parseBoolean(System.getProperty("nettest.proof.controls", "true"));
        // -Dnettest.proof.return-loss=false keeps the return path free of loss, to compare.
        boolean returnLoss = Boolean.parseBoolean(System.getProperty("nettest.proof.return-loss", "true"));
        // -Dnettest.proof.extra-rtt=1 adds one RTT to every recommended latency, as the 5-10 % warning suggests.
        int extraMs = (int) (Integer.getInteger("nettest.proof.extra-rtt", 0) * RTT_MS);
        List<Double> losses = new ArrayList<>();
        for (String row : rows.split(",")) {
            losses.add(Double.parseDouble(row.strip()));
        }
        Map<Double, Recommendation> recs = new LinkedHashMap<>();
        for (double loss : losses) {
            recs.put(loss, Recommender.recommend(RTT_MS, OptionalDouble.of(loss), BITRATE / 1e6));
        }
        SoftAssertions soft = new SoftAssertions();
        long seed = 1000;
        Map<Double, CompletableFuture<LiveStreamTrial.Outcome>> proofs = new LinkedHashMap<>();
        for (double loss : losses) {
            Recommendation r = recs.get(loss);
            proofs.put(loss, LiveStreamTrial.start("proof-" + loss, base.withLoss(loss),
                    returnLoss ? base.withLoss(loss) : base, seed++, r.latencyMs() + extraMs,
                    r.overheadPercent(), BITRATE, PROOF_SECONDS));
        }
        List<String> unfaithful = new ArrayList<>();
        for (var e : proofs.entrySet()) {
            LiveStreamTrial.Outcome o = e.getValue().get(PROOF_SECONDS + 60, TimeUnit.SECONDS);
            System.out.println("proof " + o);
            String row = "loss " + e.getKey() + " %, " + recs.get(e.getKey()).explanation();
            soft.assertThat(o.toReceiver().lossPercent()).as(row + ": loss the emulator applied")
                    .isBetween(e.getKey() * 0.8, e.getKey() * 1.2);
            soft.assertThat(o.receiverLossBeforeRecovery()).as(row + ": SRT saw the loss").isPositive();
            long allowed = o.messagesSent() * (e.getKey() <= 3 ? RESIDUAL_PER_100K_UP_TO_3
                    : e.getKey() < 10 ? RESIDUAL_PER_100K : RESIDUAL_PER_100K_AT_10) / 100_000;
            if (o.pathHeld(RTT_MS)) {
                soft.assertThat(o.unrepaired()).as(row + ": unrepaired after recovery (at most " + allowed + "), " + o)
                        .isLessThanOrEqualTo(allowed);
                soft.assertThat(o.continuityErrors()).as(row + ": continuity errors, " + o)
                        .isLessThanOrEqualTo(allowed);
            } else if (o.unrepaired() > allowed) {
                unfaithful.add(o.toString());
            }
        }
        if (withControls) {
            Map<Double, CompletableFuture<LiveStreamTrial.Outcome>> controls = new LinkedHashMap<>();
            for (double loss : losses) {
                controls.put(loss, LiveStreamTrial.start("control-" + loss, base.withLoss(loss),
                        returnLoss ? base.withLoss(loss) : base, seed++,
                        (int) RTT_MS, recs.get(loss).overheadPercent(), BITRATE, CONTROL_SECONDS));
            }
            for (var e : controls.entrySet()) {
                LiveStreamTrial.Outcome o = e.getValue().get(CONTROL_SECONDS + 60, TimeUnit.SECONDS);
                System.out.println("control " + o);
                soft.assertThat(o.messagesMissing() + o.receiverDrops())
                        .as("loss " + e.getKey() + " % with latency 1 x RTT must lose packets: " + o).isPositive();
            }
        }
        soft.assertAll();
        // A row that lost packets while the machine delayed the emulated path proves nothing either way.
        Assumptions.assumeTrue(unfaithful.isEmpty(), () -> "The machine was too busy to emulate a 100 ms path"
                + " faithfully (relay sending late, or the RTT grew by half), and these rows lost packets: "
                + unfaithful);
    }
}
