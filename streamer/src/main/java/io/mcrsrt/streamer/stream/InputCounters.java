package io.mcrsrt.streamer.stream;

/**
 * What a network input's own packets say about the path before this service: faults upstream of the SRT link, which
 * SRT cannot repair and its statistics do not show. Counted since the stream started; they only grow.
 *
 * @param continuityErrors TS continuity counter errors (TR 101 290 1.4): TS packets lost, repeated or out of order on
 *                         their way in
 * @param rtp              whether the input has been RTP-wrapped (at any time: one that went on raw keeps the RTP
 *                         datagrams it lost), so that {@code rtpDatagramsLost} means something
 * @param rtpDatagramsLost RTP sequence numbers that never arrived (less those that arrived late); 0 for raw TS
 */
public record InputCounters(long continuityErrors, boolean rtp, long rtpDatagramsLost) {
}
