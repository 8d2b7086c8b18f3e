package io.mcrsrt.ts.rtp;

import io.mcrsrt.ts.TsPacket;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * The TS of one source's UDP datagrams, taken one after the other: where each datagram's packets are ({@link
 * TsDatagram}), with the raw packets a sender split between datagrams joined again. Some senders cut raw TS into
 * datagrams regardless of packets (ffmpeg's {@code udp://} output without {@code pkt_size}: 1472 bytes, 7 packets
 * and 156 bytes): a datagram then ends with the head of a packet, from its sync byte, and the next begins with its
 * rest, followed by a sync byte (or the end of that datagram), which is how the two are known to belong together. A
 * packet cut into three or more datagrams is joined too. A head whose rest does not come (a datagram lost, or RTP or
 * whole packets next) is left out and counted in {@link #strayBytes()}.
 *
 * <p>RTP-wrapped TS is RFC 2250's whole packets: for an RTP datagram nothing is handed on here, the caller takes its
 * packets from {@link #last()} after whatever it does with the RTP header (sequence numbers, reordering).
 *
 * <p>Not thread-safe: one reader takes one source's datagrams in their order of arrival.
 */
public final class TsDatagramStream {

    /** Takes packets {@code stride} bytes apart (188, or 204 with Reed-Solomon parity after the 188). */
    @FunctionalInterface
    public interface Packets {
        /**
         * @param b holds {@code count} packets from {@code start}, {@code stride} bytes apart; valid only during the
         *     call; a heap buffer when the datagrams were
         * @return false to stop taking datagrams (the reader's own stop); the rest of this datagram is not handed on
         */
        boolean accept(ByteBuffer b, int start, int stride, int count);
    }

    /** What a datagram was. */
    public enum Kind {
        /** Raw TS: its packets were handed on (a joined one first), or it was the middle of a split packet. */
        RAW,
        /** RTP-wrapped TS: its packets are where {@link #last()} says. */
        RTP,
        /** Not TS at all. */
        NONE
    }

    private final ByteBuffer split = ByteBuffer.allocate(TsPacket.SIZE);
    private int splitLength;
    private long strayBytes;
    private TsDatagram last;
    private boolean stopped;

    /**
     * Takes the next datagram, from position 0 to its limit.
     *
     * @param raw takes the packets of raw TS, in order
     */
    public Kind accept(ByteBuffer d, Packets raw) {
        Objects.requireNonNull(d, "d must not be null (a datagram)");
        Objects.requireNonNull(raw, "raw must not be null (it is handed the raw TS packets)");
        stopped = false;
        TsDatagram ts = TsDatagram.in(d);
        last = ts;
        boolean whole = ts != null && ts.start() == 0 && ts.stray() == 0;
        // The rest of a split packet is tried first: a raw datagram cut mid-packet can look like RTP by chance.
        if (splitLength > 0 && !whole && join(d, raw)) {
            return Kind.RAW;
        }
        dropSplit();
        if (ts == null) {
            if (d.limit() > 0 && d.limit() < TsPacket.SIZE && d.get(0) == TsPacket.SYNC_BYTE) {
                keep(d, 0); // shorter than a packet, starting one: its rest may follow
                return Kind.RAW;
            }
            return Kind.NONE;
        }
        strayBytes += ts.stray();
        if (ts.rtp()) {
            return Kind.RTP;
        }
        hand(raw, d, ts.start(), ts.stride(), ts.count());
        int tail = ts.start() + ts.count() * ts.stride();
        if (!stopped && ts.stride() == TsPacket.SIZE && tail < d.limit() && d.get(tail) == TsPacket.SYNC_BYTE) {
            strayBytes -= d.limit() - tail; // not stray unless its rest never comes
            keep(d, tail);
        }
        return Kind.RAW;
    }

    /** Where the packets of the last datagram taken are, or null when it had none (or was the middle of a split one). */
    public TsDatagram last() {
        return last;
    }

    /**
     * Bytes of datagrams holding TS that were in no whole packet and left out: a gateway's trailer after the packets,
     * a header before them, the head of a packet whose rest never came.
     */
    public long strayBytes() {
        return strayBytes;
    }

    /** Whether the last {@link Packets#accept} said to stop. */
    public boolean stopped() {
        return stopped;
    }

    /**
     * Joins the kept head with the rest {@code d} starts with, when a sync byte follows that rest (or {@code d} ends
     * with it), and hands on the whole packets after it; a {@code d} shorter than the rest is kept with the head.
     *
     * @return false when {@code d} does not go on from the kept head
     */
    private boolean join(ByteBuffer d, Packets raw) {
        int len = d.limit();
        int need = TsPacket.SIZE - splitLength;
        if (len < need) {
            if (d.get(0) == TsPacket.SYNC_BYTE) {
                return false;
            }
            split.put(splitLength, d, 0, len); // a packet cut into three or more datagrams
            splitLength += len;
            last = null;
            return true;
        }
        if (len > need && d.get(need) != TsPacket.SYNC_BYTE) {
            return false;
        }
        split.put(splitLength, d, 0, need);
        splitLength = 0;
        int count = (len - need) / TsPacket.SIZE;
        last = new TsDatagram(false, need, TsPacket.SIZE, count, 0);
        hand(raw, split, 0, TsPacket.SIZE, 1);
        hand(raw, d, need, TsPacket.SIZE, count);
        int tail = need + count * TsPacket.SIZE;
        if (!stopped && tail < len) {
            if (d.get(tail) == TsPacket.SYNC_BYTE) {
                keep(d, tail);
            } else {
                strayBytes += len - tail;
            }
        }
        return true;
    }

    private void hand(Packets raw, ByteBuffer b, int start, int stride, int count) {
        if (!stopped && count > 0 && !raw.accept(b, start, stride, count)) {
            stopped = true;
        }
    }

    /** Keeps the bytes of {@code d} from {@code from} on: the head of a packet whose rest the next datagram may hold. */
    private void keep(ByteBuffer d, int from) {
        splitLength = d.limit() - from;
        split.put(0, d, from, splitLength);
    }

    /** Forgets a kept head whose rest did not come: stray bytes. */
    private void dropSplit() {
        strayBytes += splitLength;
        splitLength = 0;
    }
}
