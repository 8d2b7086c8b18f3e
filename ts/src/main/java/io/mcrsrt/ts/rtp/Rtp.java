package io.mcrsrt.ts.rtp;

import io.mcrsrt.ts.TsPacket;
import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.Objects;

/**
 * RTP framing of MPEG-TS (RFC 2250 over RFC 3550): constants, SSRC parsing and telling an RTP-wrapped datagram from a
 * raw one.
 */
public final class Rtp {
    /** Length of the fixed RTP header. */
    public static final int HEADER_SIZE = 12;
    /** RTP version carried in the two top bits of the first byte. */
    public static final int VERSION = 2;
    /** Static payload type of MPEG-2 transport streams (RFC 3551 Table 5). */
    public static final int PAYLOAD_TYPE_MP2T = 33;
    /** Clock rate of the RTP timestamp for MP2T. */
    public static final long CLOCK_HZ = 90_000;
    /** SSRC used when none is configured, as the original tool's rtpmp2tpay. */
    public static final int DEFAULT_SSRC = 0xABBACAFE;

    /** What a datagram holds. */
    public enum Framing {
        /** 188-byte packets straight in the datagram. */
        RAW_TS,
        /** An RTP header, then 188-byte packets. */
        RTP_TS,
        /** Neither: not transport stream data. */
        UNKNOWN
    }

    private Rtp() {}

    /**
     * Parses an SSRC given as exactly 8 hexadecimal digits, with or without a leading "0x".
     *
     * @throws RtpException naming the value and the expected form
     */
    public static int parseSsrc(String text) {
        String hex = text == null ? "" : text.strip();
        if (hex.startsWith("0x") || hex.startsWith("0X")) {
            hex = hex.substring(2);
        }
        if (!hex.matches("[0-9A-Fa-f]{8}")) {
            throw new RtpException("SSRC '" + text + "' (expected: 8 hexadecimal digits, e.g. ABBACAFE)");
        }
        return (int) Long.parseLong(hex, 16);
    }

    /** The SSRC as 8 upper-case hexadecimal digits. */
    public static String formatSsrc(int ssrc) {
        return String.format(Locale.ROOT, "%08X", ssrc);
    }

    /**
     * Tells what a datagram holds: raw TS starts with a sync byte and is a whole number of packets, of 188 bytes or of
     * 204 with their Reed-Solomon parity ({@link TsPacket#sizeInDatagram}); RTP has version 2
     * and, after its header (CSRCs and extension included) and without its padding, a sync byte and a whole number of
     * packets (RFC 2250 2).
     */
    public static Framing detect(byte[] b, int offset, int length) {
        Objects.requireNonNull(b, "b must not be null");
        if (length >= TsPacket.SIZE && b[offset] == TsPacket.SYNC_BYTE && TsPacket.sizeInDatagram(length) > 0) {
            return Framing.RAW_TS;
        }
        int header = headerLength(b, offset, length);
        int payload = header > 0 ? payloadLength(b, offset, length, header) : -1;
        if (payload >= TsPacket.SIZE && b[offset + header] == TsPacket.SYNC_BYTE && payload % TsPacket.SIZE == 0) {
            return Framing.RTP_TS;
        }
        return Framing.UNKNOWN;
    }

    /**
     * Bytes of payload between a header of {@code header} bytes and the padding, if the padding bit is set (RFC 3550
     * 5.1: the last byte counts the padding, itself included); -1 when that count is 0 or reaches into the header.
     */
    static int payloadLength(byte[] b, int offset, int length, int header) {
        return payloadLength(ByteBuffer.wrap(b, offset, length).slice(), header);
    }

    /** {@link #payloadLength(byte[], int, int, int)} of the datagram from index 0 to {@code d}'s limit. */
    static int payloadLength(ByteBuffer d, int header) {
        int length = d.limit();
        if ((d.get(0) & 0x20) == 0) {
            return length - header;
        }
        int padding = d.get(length - 1) & 0xFF;
        return padding == 0 || padding > length - header ? -1 : length - header - padding;
    }

    /** Length of the RTP header including CSRCs and extension, or -1 if this is not an RTP version 2 header. */
    public static int headerLength(byte[] b, int offset, int length) {
        Objects.requireNonNull(b, "b must not be null");
        return headerLength(ByteBuffer.wrap(b, offset, length).slice());
    }

    /** {@link #headerLength(byte[], int, int)} of the datagram from index 0 to {@code d}'s limit. */
    static int headerLength(ByteBuffer d) {
        int length = d.limit();
        if (length < HEADER_SIZE || ((d.get(0) >> 6) & 0x3) != VERSION) {
            return -1;
        }
        int n = HEADER_SIZE + 4 * (d.get(0) & 0x0F);
        if ((d.get(0) & 0x10) != 0) {
            if (length < n + 4) {
                return -1;
            }
            n += 4 + 4 * (((d.get(n + 2) & 0xFF) << 8) | (d.get(n + 3) & 0xFF));
        }
        return n <= length ? n : -1;
    }
}
