package io.mcrsrt.streamer.nettest;

import io.mcrsrt.srt.SrtStats;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What a {@link ProbeResponder} received, sent back to the probing caller over the same SRT connection as one text
 * message: {@code MCRSRT-PROBE-REPORT 1 recv_unique=N rcv_loss=N rcv_drop=N}. The receiver counts each lost packet
 * once; the sender's count repeats losses reported again by periodic NAKs.
 *
 * @param receivedUnique data packets received, each once
 * @param lost packets the path lost: whose first sending never arrived ({@link #lostOnTheWay})
 * @param dropped packets never recovered in time
 */
record ProbeReport(long receivedUnique, long lost, long dropped) {

    static final String MAGIC = "MCRSRT-PROBE-REPORT 1";

    static ProbeReport of(SrtStats s) {
        return new ProbeReport(s.pktRecvUniqueTotal(), lostOnTheWay(s), s.pktRcvDropTotal());
    }

    /**
     * Data packets a receiver accounted for (received, or given up as too late) whose first sending never arrived:
     * what the path lost. libsrt's own loss count ({@code pktRcvLossTotal}) counts every gap in the sequence, so a
     * packet that a later one overtook counts as lost though it arrives a moment after; here it arrives as an
     * original (no retransmission flag) and is not counted. Reads {@code pktRcvRetrans}, an interval counter: right
     * only for statistics read without clearing the interval, as {@link io.mcrsrt.srt.SrtSocket#stats()} reads them.
     */
    static long lostOnTheWay(SrtStats s) {
        long accounted = s.pktRecvUniqueTotal() + s.pktRcvDropTotal();
        long originals = s.pktRecvTotal() - s.pktRcvRetrans();
        return Math.max(0, accounted - originals);
    }

    byte[] encode() {
        return (MAGIC + " recv_unique=" + receivedUnique + " rcv_loss=" + lost + " rcv_drop=" + dropped)
                .getBytes(StandardCharsets.US_ASCII);
    }

    /** The report in a received message, or empty when the message is something else. */
    static Optional<ProbeReport> decode(byte[] message, int length) {
        String text = new String(message, 0, length, StandardCharsets.US_ASCII);
        if (!text.startsWith(MAGIC + " ")) {
            return Optional.empty();
        }
        Map<String, Long> fields = new HashMap<>();
        for (String part : text.substring(MAGIC.length() + 1).split(" ")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                try {
                    fields.put(part.substring(0, eq), Long.parseLong(part.substring(eq + 1)));
                } catch (NumberFormatException e) {
                    return Optional.empty();
                }
            }
        }
        Long unique = fields.get("recv_unique");
        Long lost = fields.get("rcv_loss");
        Long dropped = fields.get("rcv_drop");
        if (unique == null || lost == null || dropped == null) {
            return Optional.empty();
        }
        return Optional.of(new ProbeReport(unique, lost, dropped));
    }
}
