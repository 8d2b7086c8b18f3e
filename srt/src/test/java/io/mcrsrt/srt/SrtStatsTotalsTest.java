package io.mcrsrt.srt;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

/**
 * libsrt's packet totals are 32-bit ({@code uint32_t} in srtcore/stats.h), copied into {@code SRT_TRACEBSTATS} as
 * they are: here the struct is laid out as {@code srt_bistats} fills it, sample after sample, with counters passing
 * 2^31 and 2^32 as a link of weeks passes them.
 */
class SrtStatsTotalsTest {
    private static final long TWO_31 = 1L << 31;
    private static final long TWO_32 = 1L << 32;
    private static final long PAYLOAD = 1316;

    private final MemorySegment struct = Arena.ofAuto().allocate(SrtStats.BUFFER_SIZE, 8);
    private final PacketTotals totals = new PacketTotals();

    /**
     * Fills the struct as libsrt 1.5.1 would for {@code sent} packets sent in all (the true count), {@code retrans}
     * of them retransmitted, and as many received, lost, dropped and acknowledged, then reads it.
     */
    private SrtStats sample(long sent, long retrans) {
        int sent32 = (int) sent; // uint32_t m_packets
        int retrans32 = (int) retrans;
        // int64_t fields take the uint32_t as it is: 0 to 2^32 - 1
        struct.set(JAVA_LONG, 8, Integer.toUnsignedLong(sent32));
        struct.set(JAVA_LONG, 16, Integer.toUnsignedLong(sent32));
        struct.set(JAVA_LONG, 432, Integer.toUnsignedLong(sent32));
        struct.set(JAVA_LONG, 440, Integer.toUnsignedLong(sent32));
        // int fields take its bits: negative from 2^31
        for (long offset = 24; offset <= 48; offset += 4) {
            struct.set(JAVA_INT, offset, retrans32);
        }
        struct.set(JAVA_INT, 64, retrans32);
        struct.set(JAVA_INT, 68, retrans32);
        struct.set(JAVA_INT, 72, retrans32);
        for (long offset = 396; offset <= 408; offset += 4) {
            struct.set(JAVA_INT, offset, retrans32);
        }
        // bytesWithHdr(): uint64_t bytes + uint32_t packets x 44
        long sentBytes = sent * PAYLOAD + 44 * Integer.toUnsignedLong(sent32);
        long retransBytes = retrans * PAYLOAD + 44 * Integer.toUnsignedLong(retrans32);
        struct.set(JAVA_LONG, 80, sentBytes);
        struct.set(JAVA_LONG, 88, sentBytes);
        struct.set(JAVA_LONG, 448, sentBytes);
        struct.set(JAVA_LONG, 456, sentBytes);
        for (long offset = 96; offset <= 120; offset += 8) {
            struct.set(JAVA_LONG, offset, retransBytes);
        }
        return SrtStats.read(struct, totals);
    }

    private static void assertTotals(SrtStats s, long sent, long retrans) {
        assertEquals(sent, s.pktSentTotal(), "pktSentTotal");
        assertEquals(sent, s.pktRecvTotal(), "pktRecvTotal");
        assertEquals(sent, s.pktSentUniqueTotal(), "pktSentUniqueTotal");
        assertEquals(sent, s.pktRecvUniqueTotal(), "pktRecvUniqueTotal");
        long[] counts = {s.pktSndLossTotal(), s.pktRcvLossTotal(), s.pktRetransTotal(), s.pktSentACKTotal(),
            s.pktRecvACKTotal(), s.pktSentNAKTotal(), s.pktRecvNAKTotal(), s.pktSndDropTotal(), s.pktRcvDropTotal(),
            s.pktRcvUndecryptTotal(), s.pktSndFilterExtraTotal(), s.pktRcvFilterExtraTotal(),
            s.pktRcvFilterSupplyTotal(), s.pktRcvFilterLossTotal()};
        for (int i = 0; i < counts.length; i++) {
            assertEquals(retrans, counts[i], "int packet total " + i);
        }
        long sentBytes = sent * (PAYLOAD + 44);
        long retransBytes = retrans * (PAYLOAD + 44);
        assertEquals(sentBytes, s.byteSentTotal(), "byteSentTotal");
        assertEquals(sentBytes, s.byteRecvTotal(), "byteRecvTotal");
        assertEquals(sentBytes, s.byteSentUniqueTotal(), "byteSentUniqueTotal");
        assertEquals(sentBytes, s.byteRecvUniqueTotal(), "byteRecvUniqueTotal");
        assertEquals(retransBytes, s.byteRcvLossTotal(), "byteRcvLossTotal");
        assertEquals(retransBytes, s.byteRetransTotal(), "byteRetransTotal");
        assertEquals(retransBytes, s.byteSndDropTotal(), "byteSndDropTotal");
        assertEquals(retransBytes, s.byteRcvDropTotal(), "byteRcvDropTotal");
    }

    @Test
    void totalsKeepCountingPast2To31And2To32() {
        // a second at 90 Mbit/s: about 8 550 packets
        long step = 8_550;
        long[] sents = {1_000, TWO_31 - 3_000, TWO_31 + 5_550, TWO_32 - 4_000, TWO_32 + 4_550, TWO_32 + 13_100,
            2 * TWO_32 + 100, 3 * TWO_32 - 10};
        for (long sent : sents) {
            // the retransmission totals cross 2^31 and 2^32 at the same samples as the sent totals
            SrtStats s = sample(sent, sent);
            assertTotals(s, sent, sent);
        }
        // and a counter that does not move stays where it is
        assertTotals(sample(3 * TWO_32 - 10 + step, 3 * TWO_32 - 10), 3 * TWO_32 - 10 + step, 3 * TWO_32 - 10);
    }

    @Test
    void aFirstSampleTakesTheCountersAsTheyAre() {
        // an int total at 2^31 + 5 reads as a negative int; unsigned it is 2^31 + 5, never negative
        assertTotals(sample(TWO_31 + 5, TWO_31 + 5), TWO_31 + 5, TWO_31 + 5);
    }

    @Test
    void theShareRetransmittedStaysRightAcrossTheWrap() {
        // 1 % of the packets sent again, across 2^32 sent: retransmitted / sent as the stream's loss figure takes it
        SrtStats before = sample(TWO_32 - 100_000, (TWO_32 - 100_000) / 100);
        SrtStats after = sample(TWO_32 + 100_000, (TWO_32 + 100_000) / 100);
        assertEquals(1.0, 100.0 * before.pktRetransTotal() / before.pktSentTotal(), 0.001);
        assertEquals(1.0, 100.0 * after.pktRetransTotal() / after.pktSentTotal(), 0.001);
        assertEquals(200_000, after.pktSentTotal() - before.pktSentTotal());
        assertEquals(200_000 * (PAYLOAD + 44), after.byteSentTotal() - before.byteSentTotal());
    }
}
