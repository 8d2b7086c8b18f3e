package io.mcrsrt.streamer.nettest;

/**
 * What a short SRT connection measured, from libsrt's own statistics on the sending side.
 *
 * @param rttMs libsrt's smoothed RTT, averaged over the samples taken after the first second
 * @param jitterMs mean deviation of those RTT samples
 * @param lossPercent packets lost on the way, per unique packet sent
 * @param lossFromReceiver true when the loss is the receiver's own count (a {@link ProbeResponder} reports it);
 *     false when the listener sent no report and the sender's count of NAK-reported losses is used, which counts a
 *     loss again each time a periodic NAK repeats it before the repair arrives, so it reads high on long paths
 * @param retransmitPercent retransmitted packets per unique packet sent
 * @param bandwidthMbps libsrt's estimate of the link's available bandwidth (packet-pair probing)
 * @param sendRateMbps the rate actually sent, retransmissions included
 * @param packetsSent unique data packets sent
 * @param packetsLost packets reported lost
 * @param packetsRetransmitted packets sent again
 * @param negotiatedLatencyMs the latency agreed in the handshake
 * @param returnLossPercent loss on the way back, which carries SRT's acknowledgements and loss reports, from the
 *     {@link ProbeResponder}'s return messages; null when the listener sent none (not a probe responder)
 * @param deliveredPercent share of the packets sent that reached the listener in time, repairs included, from the
 *     {@link ProbeResponder}'s report; null without one. Well below 100 when the path cannot carry the test rate.
 */
public record SrtProbeResult(
        double rttMs,
        double jitterMs,
        double lossPercent,
        boolean lossFromReceiver,
        double retransmitPercent,
        double bandwidthMbps,
        double sendRateMbps,
        long packetsSent,
        long packetsLost,
        long packetsRetransmitted,
        int negotiatedLatencyMs,
        Double returnLossPercent,
        Double deliveredPercent) {
}
