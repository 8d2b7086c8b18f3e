package io.mcrsrt.streamer.nettest;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * A network test's outcome, in the original API's field names. On failure only {@code server}, {@code test_time},
 * {@code mechanism} and {@code error} are set; the measurements are null.
 *
 * @param bandwidthType "udp", "tcp", "srt" (libsrt's estimate of available bandwidth) or null when not measured
 * @param testTime "YYYY-MM-DD HH:MM:SS UTC"
 * @param lossMeasured false when the recommendation rests on an assumed loss (see {@code warnings})
 * @param retransmitPercent SRT retransmissions per packet sent (srt mechanism only)
 */
public record NetworkTestResult(
        @JsonProperty("server") String server,
        @JsonProperty("server_location") String serverLocation,
        @JsonProperty("rtt_ms") Double rttMs,
        @JsonProperty("loss_percent") Double lossPercent,
        @JsonProperty("jitter_ms") Double jitterMs,
        @JsonProperty("bandwidth_mbps") Double bandwidthMbps,
        @JsonProperty("bandwidth_type") String bandwidthType,
        @JsonProperty("latency_recommendation") Integer latencyRecommendation,
        @JsonProperty("overhead_recommendation") Integer overheadRecommendation,
        @JsonProperty("rtt_multiplier") Integer rttMultiplier,
        @JsonProperty("test_time") String testTime,
        @JsonProperty("error") String error,
        @JsonProperty("explanation") String explanation,
        @JsonProperty("warnings") List<String> warnings,
        @JsonProperty("mechanism") String mechanism,
        @JsonProperty("loss_measured") Boolean lossMeasured,
        @JsonProperty("retransmit_percent") Double retransmitPercent,
        @JsonProperty("return_loss_percent") Double returnLossPercent) {

    public NetworkTestResult {
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
    }

    /**
     * True when an iperf test ran but iperf3 measured nothing (no iperf3 server answered, or its report had no
     * result): the recommendation then rests on ping alone, and {@code warnings} says what iperf3 reported.
     */
    @JsonIgnore
    public boolean iperfGaveNoResult() {
        return error == null && Mechanism.IPERF.wireName().equals(mechanism) && bandwidthMbps == null;
    }

    /** A test that could not be carried out. */
    public static NetworkTestResult failed(String server, String location, Mechanism mechanism, String testTime,
            String error) {
        return new NetworkTestResult(server, location, null, null, null, null, null, null, null, null, testTime,
                error, null, List.of(), mechanism.wireName(), null, null, null);
    }
}
