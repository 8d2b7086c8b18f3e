package io.mcrsrt.streamer.nettest;

import java.util.List;

/**
 * SRT settings recommended for a measured link, with the reasoning in words.
 *
 * @param latencyMs SRT latency in milliseconds, 20..8000
 * @param overheadPercent SRT bandwidth overhead (oheadbw) in percent, 5..99
 * @param rttMultiplier how many round trips the latency holds, 3..20
 * @param lossUsedPercent the loss the rule was applied to: measured, or the stated assumption
 * @param lossMeasured false when no loss measurement was available and {@code lossUsedPercent} is an assumption
 * @param burstToleranceMs the longest burst of loss the settings recover from: latency x overhead / 100
 * @param requiredCapacityMbps stream bitrate x (1 + overhead / 100), or 0 when no bitrate was given
 * @param explanation one sentence that shows the arithmetic
 * @param warnings what the engineer must know before trusting the numbers; empty when nothing
 */
public record Recommendation(
        int latencyMs,
        int overheadPercent,
        int rttMultiplier,
        double lossUsedPercent,
        boolean lossMeasured,
        double burstToleranceMs,
        double requiredCapacityMbps,
        String explanation,
        List<String> warnings) {

    public Recommendation {
        warnings = List.copyOf(warnings);
    }
}
