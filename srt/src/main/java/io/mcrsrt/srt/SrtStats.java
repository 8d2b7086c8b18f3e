package io.mcrsrt.srt;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemorySegment;

/**
 * One sample of libsrt's link statistics: every field of {@code SRT_TRACEBSTATS} as filled by {@code srt_bistats}
 * (libsrt 1.5.1), under the same names, plus the negotiated latency of each direction. Fields ending in {@code Total}
 * count since the connection started; the fields without it count since the previous sample that cleared the
 * interval; the rest are instantaneous. Unsigned C counters are exposed as {@code long} and will not exceed its range
 * in practice.
 *
 * <p>The packet totals ({@code pkt...Total}) never go negative and keep counting past 2^32: libsrt keeps them in 32
 * bits, so its own fields return to 0 at 2^32 ({@code int64_t} fields such as {@code pktSentTotal}) or turn negative at
 * 2^31 ({@code int} fields such as {@code pktRetransTotal}); a socket's reads carry them on from one sample to the
 * next ({@link SrtSocket#stats(boolean)}). The byte totals that include 44 header bytes per packet
 * ({@code byteSentTotal}, {@code byteRecvTotal}, {@code byteRetransTotal}, {@code byteRcvLossTotal},
 * {@code byteSndDropTotal}, {@code byteRcvDropTotal}, {@code byteSentUniqueTotal}, {@code byteRecvUniqueTotal}) would
 * fall by 44 x 2^32 when libsrt's packet count returns to 0; they get those bytes back and keep growing. The interval
 * counters without {@code Total} are libsrt's as they are: 32-bit, right while the interval is cleared often (a sample
 * a second, as a stream takes).
 *
 * @param msTimeStamp time since the UDT entity is started, in milliseconds
 * @param pktSentTotal total number of sent data packets, including retransmissions
 * @param pktRecvTotal total number of received packets
 * @param pktSndLossTotal total number of lost packets (sender side)
 * @param pktRcvLossTotal total number of lost packets (receiver side)
 * @param pktRetransTotal total number of retransmitted packets
 * @param pktSentACKTotal total number of sent ACK packets
 * @param pktRecvACKTotal total number of received ACK packets
 * @param pktSentNAKTotal total number of sent NAK packets
 * @param pktRecvNAKTotal total number of received NAK packets
 * @param usSndDurationTotal total time duration when UDT is sending data (idle time exclusive)
 * @param pktSndDropTotal number of too-late-to-send dropped packets
 * @param pktRcvDropTotal number of too-late-to play missing packets
 * @param pktRcvUndecryptTotal number of undecrypted packets
 * @param byteSentTotal total number of sent data bytes, including retransmissions
 * @param byteRecvTotal total number of received bytes
 * @param byteRcvLossTotal total number of lost bytes
 * @param byteRetransTotal total number of retransmitted bytes
 * @param byteSndDropTotal number of too-late-to-send dropped bytes
 * @param byteRcvDropTotal number of too-late-to play missing bytes (estimate based on average packet size)
 * @param byteRcvUndecryptTotal number of undecrypted bytes
 * @param pktSent number of sent data packets, including retransmissions
 * @param pktRecv number of received packets
 * @param pktSndLoss number of lost packets (sender side)
 * @param pktRcvLoss number of lost packets (receiver side)
 * @param pktRetrans number of retransmitted packets
 * @param pktRcvRetrans number of retransmitted packets received
 * @param pktSentACK number of sent ACK packets
 * @param pktRecvACK number of received ACK packets
 * @param pktSentNAK number of sent NAK packets
 * @param pktRecvNAK number of received NAK packets
 * @param mbpsSendRate sending rate in Mb/s
 * @param mbpsRecvRate receiving rate in Mb/s
 * @param usSndDuration busy sending time (i.e., idle time exclusive)
 * @param pktReorderDistance size of order discrepancy in received sequences
 * @param pktRcvAvgBelatedTime average time of packet delay for belated packets (packets with sequence past the ACK)
 * @param pktRcvBelated number of received AND IGNORED packets due to having come too late
 * @param pktSndDrop number of too-late-to-send dropped packets
 * @param pktRcvDrop number of too-late-to play missing packets
 * @param pktRcvUndecrypt number of undecrypted packets
 * @param byteSent number of sent data bytes, including retransmissions
 * @param byteRecv number of received bytes
 * @param byteRcvLoss number of lost bytes (receiver side)
 * @param byteRetrans number of retransmitted bytes
 * @param byteSndDrop number of too-late-to-send dropped bytes
 * @param byteRcvDrop number of too-late-to play missing bytes (estimate based on average packet size)
 * @param byteRcvUndecrypt number of undecrypted bytes
 * @param usPktSndPeriod packet sending period, in microseconds
 * @param pktFlowWindow flow window size, in number of packets
 * @param pktCongestionWindow congestion window size, in number of packets
 * @param pktFlightSize number of packets on flight
 * @param msRTT RTT, in milliseconds
 * @param mbpsBandwidth estimated bandwidth, in Mb/s
 * @param byteAvailSndBuf available UDT sender buffer size
 * @param byteAvailRcvBuf available UDT receiver buffer size
 * @param mbpsMaxBW Transmit Bandwidth ceiling (Mbps)
 * @param byteMSS MTU
 * @param pktSndBuf UnACKed packets in UDT sender
 * @param byteSndBuf UnACKed bytes in UDT sender
 * @param msSndBuf UnACKed timespan (msec) of UDT sender
 * @param msSndTsbPdDelay Timestamp-based Packet Delivery Delay of what this socket sends: the latency at which the
 *     peer delivers it (0 when the peer does not deliver on time); see {@link #negotiatedLatencyMs()}
 * @param pktRcvBuf Undelivered packets in UDT receiver
 * @param byteRcvBuf Undelivered bytes of UDT receiver
 * @param msRcvBuf Undelivered timespan (msec) of UDT receiver
 * @param msRcvTsbPdDelay Timestamp-based Packet Delivery Delay of what this socket receives: the latency at which it
 *     delivers it (0 when it does not deliver on time); see {@link #negotiatedReceiveLatencyMs()}
 * @param pktSndFilterExtraTotal number of control packets supplied by packet filter
 * @param pktRcvFilterExtraTotal number of control packets received and not supplied back
 * @param pktRcvFilterSupplyTotal number of packets that the filter supplied extra (e.g. FEC rebuilt)
 * @param pktRcvFilterLossTotal number of packet loss not coverable by filter
 * @param pktSndFilterExtra number of control packets supplied by packet filter
 * @param pktRcvFilterExtra number of control packets received and not supplied back
 * @param pktRcvFilterSupply number of packets that the filter supplied extra (e.g. FEC rebuilt)
 * @param pktRcvFilterLoss number of packet loss not coverable by filter
 * @param pktReorderTolerance packet reorder tolerance value
 * @param pktSentUniqueTotal total number of data packets sent by the application
 * @param pktRecvUniqueTotal total number of packets to be received by the application
 * @param byteSentUniqueTotal total number of data bytes, sent by the application
 * @param byteRecvUniqueTotal total number of data bytes to be received by the application
 * @param pktSentUnique number of data packets sent by the application
 * @param pktRecvUnique number of packets to be received by the application
 * @param byteSentUnique number of data bytes, sent by the application
 * @param byteRecvUnique number of data bytes to be received by the application
 * @param negotiatedLatencyMs the latency of the stream this socket sends, agreed in the handshake, in milliseconds: the
 *     peer delivers each message this long after its source time. It is the larger of the peer's receive latency
 *     (RCVLATENCY, or LATENCY) and this side's PEERLATENCY (or LATENCY), and is what a sending application shows as
 *     its stream's latency. The same as {@link #msSndTsbPdDelay()}; 0 when the peer does not deliver on time (TSBPD
 *     off, as in file mode). When both sides set LATENCY the two directions agree; they differ when a side sets
 *     RCVLATENCY and PEERLATENCY apart.
 * @param negotiatedReceiveLatencyMs the latency of the stream this socket receives, agreed in the handshake, in
 *     milliseconds: this socket delivers each message this long after its source time, the larger of its own
 *     RCVLATENCY (or LATENCY) and the peer's PEERLATENCY (or LATENCY). What a receiving application shows. The same
 *     as {@link #msRcvTsbPdDelay()}; 0 when this socket does not deliver on time.
 */
public record SrtStats(
        long msTimeStamp,
        long pktSentTotal,
        long pktRecvTotal,
        long pktSndLossTotal,
        long pktRcvLossTotal,
        long pktRetransTotal,
        long pktSentACKTotal,
        long pktRecvACKTotal,
        long pktSentNAKTotal,
        long pktRecvNAKTotal,
        long usSndDurationTotal,
        long pktSndDropTotal,
        long pktRcvDropTotal,
        long pktRcvUndecryptTotal,
        long byteSentTotal,
        long byteRecvTotal,
        long byteRcvLossTotal,
        long byteRetransTotal,
        long byteSndDropTotal,
        long byteRcvDropTotal,
        long byteRcvUndecryptTotal,
        long pktSent,
        long pktRecv,
        int pktSndLoss,
        int pktRcvLoss,
        int pktRetrans,
        int pktRcvRetrans,
        int pktSentACK,
        int pktRecvACK,
        int pktSentNAK,
        int pktRecvNAK,
        double mbpsSendRate,
        double mbpsRecvRate,
        long usSndDuration,
        int pktReorderDistance,
        double pktRcvAvgBelatedTime,
        long pktRcvBelated,
        int pktSndDrop,
        int pktRcvDrop,
        int pktRcvUndecrypt,
        long byteSent,
        long byteRecv,
        long byteRcvLoss,
        long byteRetrans,
        long byteSndDrop,
        long byteRcvDrop,
        long byteRcvUndecrypt,
        double usPktSndPeriod,
        int pktFlowWindow,
        int pktCongestionWindow,
        int pktFlightSize,
        double msRTT,
        double mbpsBandwidth,
        int byteAvailSndBuf,
        int byteAvailRcvBuf,
        double mbpsMaxBW,
        int byteMSS,
        int pktSndBuf,
        int byteSndBuf,
        int msSndBuf,
        int msSndTsbPdDelay,
        int pktRcvBuf,
        int byteRcvBuf,
        int msRcvBuf,
        int msRcvTsbPdDelay,
        long pktSndFilterExtraTotal,
        long pktRcvFilterExtraTotal,
        long pktRcvFilterSupplyTotal,
        long pktRcvFilterLossTotal,
        int pktSndFilterExtra,
        int pktRcvFilterExtra,
        int pktRcvFilterSupply,
        int pktRcvFilterLoss,
        int pktReorderTolerance,
        long pktSentUniqueTotal,
        long pktRecvUniqueTotal,
        long byteSentUniqueTotal,
        long byteRecvUniqueTotal,
        long pktSentUnique,
        long pktRecvUnique,
        long byteSentUnique,
        long byteRecvUnique,
        int negotiatedLatencyMs,
        int negotiatedReceiveLatencyMs) {

    /** Bytes libsrt 1.5.1 writes; newer versions may append fields, so callers allocate {@link #BUFFER_SIZE}. */
    static final long STRUCT_SIZE = 496;

    /** Room for a newer libsrt that appends fields to the struct. */
    static final long BUFFER_SIZE = 1024;

    /**
     * Reads a sample from a {@code SRT_TRACEBSTATS} struct filled by {@code srt_bistats}, its packet totals unwrapped
     * by {@code t}, which holds them from the previous read of the same socket.
     */
    static SrtStats read(MemorySegment s, PacketTotals t) {
        int sndDelay = s.get(JAVA_INT, 376);
        int rcvDelay = s.get(JAVA_INT, 392);
        return new SrtStats(
                s.get(JAVA_LONG, 0),
                t.packets(PacketTotals.SENT, s.get(JAVA_LONG, 8)),
                t.packets(PacketTotals.RECV, s.get(JAVA_LONG, 16)),
                t.packets(PacketTotals.SND_LOSS, s.get(JAVA_INT, 24)),
                t.packets(PacketTotals.RCV_LOSS, s.get(JAVA_INT, 28)),
                t.packets(PacketTotals.RETRANS, s.get(JAVA_INT, 32)),
                t.packets(PacketTotals.SENT_ACK, s.get(JAVA_INT, 36)),
                t.packets(PacketTotals.RECV_ACK, s.get(JAVA_INT, 40)),
                t.packets(PacketTotals.SENT_NAK, s.get(JAVA_INT, 44)),
                t.packets(PacketTotals.RECV_NAK, s.get(JAVA_INT, 48)),
                s.get(JAVA_LONG, 56),
                t.packets(PacketTotals.SND_DROP, s.get(JAVA_INT, 64)),
                t.packets(PacketTotals.RCV_DROP, s.get(JAVA_INT, 68)),
                t.packets(PacketTotals.RCV_UNDECRYPT, s.get(JAVA_INT, 72)),
                t.bytesWithHeaders(PacketTotals.SENT, s.get(JAVA_LONG, 80)),
                t.bytesWithHeaders(PacketTotals.RECV, s.get(JAVA_LONG, 88)),
                t.bytesWithHeaders(PacketTotals.RCV_LOSS, s.get(JAVA_LONG, 96)),
                t.bytesWithHeaders(PacketTotals.RETRANS, s.get(JAVA_LONG, 104)),
                t.bytesWithHeaders(PacketTotals.SND_DROP, s.get(JAVA_LONG, 112)),
                t.bytesWithHeaders(PacketTotals.RCV_DROP, s.get(JAVA_LONG, 120)),
                s.get(JAVA_LONG, 128),
                s.get(JAVA_LONG, 136),
                s.get(JAVA_LONG, 144),
                s.get(JAVA_INT, 152),
                s.get(JAVA_INT, 156),
                s.get(JAVA_INT, 160),
                s.get(JAVA_INT, 164),
                s.get(JAVA_INT, 168),
                s.get(JAVA_INT, 172),
                s.get(JAVA_INT, 176),
                s.get(JAVA_INT, 180),
                s.get(JAVA_DOUBLE, 184),
                s.get(JAVA_DOUBLE, 192),
                s.get(JAVA_LONG, 200),
                s.get(JAVA_INT, 208),
                s.get(JAVA_DOUBLE, 216),
                s.get(JAVA_LONG, 224),
                s.get(JAVA_INT, 232),
                s.get(JAVA_INT, 236),
                s.get(JAVA_INT, 240),
                s.get(JAVA_LONG, 248),
                s.get(JAVA_LONG, 256),
                s.get(JAVA_LONG, 264),
                s.get(JAVA_LONG, 272),
                s.get(JAVA_LONG, 280),
                s.get(JAVA_LONG, 288),
                s.get(JAVA_LONG, 296),
                s.get(JAVA_DOUBLE, 304),
                s.get(JAVA_INT, 312),
                s.get(JAVA_INT, 316),
                s.get(JAVA_INT, 320),
                s.get(JAVA_DOUBLE, 328),
                s.get(JAVA_DOUBLE, 336),
                s.get(JAVA_INT, 344),
                s.get(JAVA_INT, 348),
                s.get(JAVA_DOUBLE, 352),
                s.get(JAVA_INT, 360),
                s.get(JAVA_INT, 364),
                s.get(JAVA_INT, 368),
                s.get(JAVA_INT, 372),
                s.get(JAVA_INT, 376),
                s.get(JAVA_INT, 380),
                s.get(JAVA_INT, 384),
                s.get(JAVA_INT, 388),
                s.get(JAVA_INT, 392),
                t.packets(PacketTotals.SND_FILTER_EXTRA, s.get(JAVA_INT, 396)),
                t.packets(PacketTotals.RCV_FILTER_EXTRA, s.get(JAVA_INT, 400)),
                t.packets(PacketTotals.RCV_FILTER_SUPPLY, s.get(JAVA_INT, 404)),
                t.packets(PacketTotals.RCV_FILTER_LOSS, s.get(JAVA_INT, 408)),
                s.get(JAVA_INT, 412),
                s.get(JAVA_INT, 416),
                s.get(JAVA_INT, 420),
                s.get(JAVA_INT, 424),
                s.get(JAVA_INT, 428),
                t.packets(PacketTotals.SENT_UNIQUE, s.get(JAVA_LONG, 432)),
                t.packets(PacketTotals.RECV_UNIQUE, s.get(JAVA_LONG, 440)),
                t.bytesWithHeaders(PacketTotals.SENT_UNIQUE, s.get(JAVA_LONG, 448)),
                t.bytesWithHeaders(PacketTotals.RECV_UNIQUE, s.get(JAVA_LONG, 456)),
                s.get(JAVA_LONG, 464),
                s.get(JAVA_LONG, 472),
                s.get(JAVA_LONG, 480),
                s.get(JAVA_LONG, 488),
                sndDelay,
                rcvDelay);
    }
}
