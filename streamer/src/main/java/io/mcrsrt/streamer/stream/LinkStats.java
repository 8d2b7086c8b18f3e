package io.mcrsrt.streamer.stream;

/**
 * One sample of an SRT connection's statistics, in the original API's field names (serialised in snake_case:
 * {@code bitrateMbps} is {@code bitrate_mbps}). Totals are since the connection started; rates over the last interval.
 * {@code packetLossPercent} and {@code lossRate} are the share of packets sent that were sent again (retransmitted /
 * sent, in total and over the last interval): the path's loss as the sending side sees it.
 */
public record LinkStats(
        long timestampMillis,
        double bitrateMbps,
        double rttMs,
        double lossRate,
        double packetLossPercent,
        long packetsSentTotal,
        long packetsLostTotal,
        long packetsRetransmittedTotal,
        long packetsDroppedTotal,
        long bytesSentTotal,
        double estimatedBandwidthMbps,
        long packetsReceivedTotal,
        int sendBufferLevelMs,
        int recvBufferLevelMs,
        int flowWindow,
        long packetsReceivedLost,
        long packetsReceivedRetransmitted,
        long packetsReceivedDropped,
        long bytesSent,
        long bytesReceived,
        long bytesRetransmitted,
        long bytesSentDropped,
        long bytesReceivedLost,
        long packetAckReceived,
        long packetNackReceived,
        long packetAckSent,
        long packetNackSent,
        int negotiatedLatencyMs) {

    /** A second without a link (nobody called, or the caller is still dialling): its time, and every figure 0. */
    public static LinkStats noLink(long timestampMillis) {
        return new LinkStats(timestampMillis, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                0, 0, 0);
    }
}
