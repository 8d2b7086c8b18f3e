package io.mcrsrt.ts.rtp;

import io.mcrsrt.ts.TsPacket;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * Where the TS packets of one UDP datagram are: raw, or after an RTP header (RFC 2250), found by their sync bytes. The
 * service's UDP input and the command line's {@code analyze} and {@code scte35} read datagrams by it alike.
 *
 * <p>A datagram of whole packets that starts with a sync byte, raw or right after its RTP header, and has at least half
 * of its packets' sync bytes, is taken as it is (a packet in it whose sync byte was damaged is then the only one left
 * out); other data that starts with 0x47 by chance is not TS. Otherwise the whole packets are looked
 * for: a sync byte at the start of each, a packet apart, as far as whole packets fit, and the bytes around them are
 * stray: a trailer some gateways append after the packets, or the tail of a packet the sender split. Raw, the first
 * packet may start anywhere in the datagram's first packet length, but a lone packet only at its very start, since
 * one 0x47 elsewhere proves nothing. After an RTP header the packets must start at once, and only bytes after them are
 * stray: an RTP datagram of MP2T or of a dynamic payload type whose payload does not start with a packet is something
 * else sent to the port (SMPTE 2022-1 FEC: its own header, then the XOR of TS, whose sync bytes an odd number of
 * packets leaves at 0x47), and is not searched for raw TS either.
 *
 * @param rtp    whether the packets follow an RTP header
 * @param start  offset of the first packet in the datagram
 * @param stride bytes from the start of one packet to the next: 188, or 204 for packets that carry 16 bytes of
 *               Reed-Solomon parity after their 188 (raw only)
 * @param count  whole packets
 * @param stray  bytes of the datagram that are in none of them: neither packet, parity, RTP header nor RTP padding
 */
public record TsDatagram(boolean rtp, int start, int stride, int count, int stray) {

    /** Dynamic RTP payload types (RFC 3551 3) start here; senders of MP2T and of FEC use them. */
    private static final int FIRST_DYNAMIC_PAYLOAD_TYPE = 96;
    private static final int[] STRIDES = {TsPacket.SIZE, TsPacket.SIZE_WITH_PARITY};

    /** The TS packets in {@code d} (position 0 to its limit), or null when there are none: the datagram is not TS. */
    public static TsDatagram in(ByteBuffer d) {
        Objects.requireNonNull(d, "d must not be null (a datagram)");
        int len = d.limit();
        int size = TsPacket.sizeInDatagram(len);
        if (len >= TsPacket.SIZE && size > 0 && mostlySynced(d, 0, size, len / size)) {
            return new TsDatagram(false, 0, size, len / size, 0);
        }
        int start = len >= Rtp.HEADER_SIZE + TsPacket.SIZE ? Rtp.headerLength(d) : -1;
        if (start > 0) {
            int payload = Rtp.payloadLength(d, start);
            if (payload >= TsPacket.SIZE && d.get(start) == TsPacket.SYNC_BYTE) {
                int count = payload / TsPacket.SIZE;
                int stray = payload % TsPacket.SIZE;
                boolean packets = stray == 0 ? mostlySynced(d, start, TsPacket.SIZE, count)
                        : aligned(d, start, TsPacket.SIZE, count);
                if (packets) {
                    return new TsDatagram(true, start, TsPacket.SIZE, count, stray);
                }
            }
            int payloadType = d.get(1) & 0x7F;
            if (payloadType == Rtp.PAYLOAD_TYPE_MP2T || payloadType >= FIRST_DYNAMIC_PAYLOAD_TYPE) {
                return null;
            }
        }
        return resync(d, len);
    }

    /**
     * The most whole packets, of 188 or 204 bytes, found a packet apart from a sync byte in the datagram's first
     * packet length; null for none.
     */
    private static TsDatagram resync(ByteBuffer d, int len) {
        TsDatagram best = null;
        for (int stride : STRIDES) {
            for (int start = 0; start < stride && start + stride <= len; start++) {
                if (d.get(start) != TsPacket.SYNC_BYTE) {
                    continue;
                }
                int count = (len - start) / stride;
                if ((count > 1 || start == 0) && (best == null || count > best.count())
                        && aligned(d, start, stride, count)) {
                    best = new TsDatagram(false, start, stride, count, len - count * stride);
                }
            }
        }
        return best;
    }

    /**
     * Whether the first of the {@code count} packets from {@code start}, {@code stride} bytes apart, and at least half
     * of them have their sync byte: a datagram of TS with a damaged sync byte is, but not one of other data that
     * happens to start with 0x47 (one in 256), whose packets would otherwise be taken as TS that came back.
     */
    private static boolean mostlySynced(ByteBuffer d, int start, int stride, int count) {
        if (d.get(start) != TsPacket.SYNC_BYTE) {
            return false;
        }
        int synced = 0;
        for (int i = 0, p = start; i < count; i++, p += stride) {
            if (d.get(p) == TsPacket.SYNC_BYTE) {
                synced++;
            }
        }
        return 2 * synced >= count;
    }

    /** Whether each of the {@code count} packets from {@code start}, {@code stride} bytes apart, has its sync byte. */
    private static boolean aligned(ByteBuffer d, int start, int stride, int count) {
        for (int i = 0, p = start; i < count; i++, p += stride) {
            if (d.get(p) != TsPacket.SYNC_BYTE) {
                return false;
            }
        }
        return true;
    }
}
