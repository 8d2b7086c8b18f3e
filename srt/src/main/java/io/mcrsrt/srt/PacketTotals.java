package io.mcrsrt.srt;

/**
 * Carries libsrt's packet totals past 2^32 from one statistics sample to the next.
 *
 * <p>libsrt (1.5.1 to at least 1.5.5) counts packets in {@code uint32_t} ({@code srt::stats::Packets},
 * {@code BytesPackets}, srtcore/stats.h) and copies them into {@code SRT_TRACEBSTATS} as they are: into
 * {@code int64_t} fields ({@code pktSentTotal}, {@code pktRecvTotal}, the unique totals), where they return to 0 at
 * 2^32, and into {@code int} fields (losses, retransmissions, drops, ACK/NAK, filter totals), where they turn negative
 * at 2^31. At 90 Mbit/s (about 8 550 packets a second) {@code pktSentTotal} passes 2^31 in under 3 days and 2^32 in
 * under 6. Each byte total that includes headers ({@code bytesWithHdr}: payload bytes plus 44 for each counted
 * packet) falls by 44 x 2^32 when its packet count returns to 0.
 *
 * <p>Each read takes every packet total's low 32 bits and adds, to the total of the previous read, how far they moved
 * modulo 2^32; a byte total gets back the 44 bytes of every packet its count lost to a wrap. This is right as long as
 * no counter moves by 2^32 or more between two reads: at a read a second that would take 4 billion packets a second.
 * Owned by one socket and used under its statistics lock; the first read takes the counters as they are.
 */
final class PacketTotals {
    /** libsrt's {@code CPacket::SRT_DATA_HDR_SIZE}: IPv4 (20) + UDP (8) + SRT data header (16), added per packet. */
    static final long HEADER_BYTES = 44;
    private static final long LOW_32 = 0xFFFF_FFFFL;

    // indexes of the packet totals
    static final int SENT = 0;
    static final int RECV = 1;
    static final int SND_LOSS = 2;
    static final int RCV_LOSS = 3;
    static final int RETRANS = 4;
    static final int SENT_ACK = 5;
    static final int RECV_ACK = 6;
    static final int SENT_NAK = 7;
    static final int RECV_NAK = 8;
    static final int SND_DROP = 9;
    static final int RCV_DROP = 10;
    static final int RCV_UNDECRYPT = 11;
    static final int SND_FILTER_EXTRA = 12;
    static final int RCV_FILTER_EXTRA = 13;
    static final int RCV_FILTER_SUPPLY = 14;
    static final int RCV_FILTER_LOSS = 15;
    static final int SENT_UNIQUE = 16;
    static final int RECV_UNIQUE = 17;
    private static final int COUNT = 18;

    /** Each counter's low 32 bits at the last read. */
    private final long[] raw = new long[COUNT];
    /** Each counter unwrapped, at the last read. */
    private final long[] total = new long[COUNT];
    /** Which counters have been read once. */
    private final boolean[] seen = new boolean[COUNT];

    /**
     * The packet total {@code counter} unwrapped.
     *
     * @param value the field as libsrt wrote it; of an {@code int} field, its (possibly negative) value
     */
    long packets(int counter, long value) {
        long low = value & LOW_32;
        if (seen[counter]) {
            total[counter] += (low - raw[counter]) & LOW_32;
        } else {
            total[counter] = low;
            seen[counter] = true;
        }
        raw[counter] = low;
        return total[counter];
    }

    /**
     * A byte total libsrt counts with 44 header bytes per packet of {@code counter}, with those of the packets lost to
     * wraps of that counter put back. Call after {@link #packets} for the same sample.
     */
    long bytesWithHeaders(int counter, long value) {
        return value + HEADER_BYTES * (total[counter] - raw[counter]);
    }
}
