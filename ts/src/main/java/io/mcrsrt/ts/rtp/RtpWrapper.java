package io.mcrsrt.ts.rtp;

import java.util.Objects;

/**
 * Puts transport stream messages into RTP (RFC 2250): version 2, payload type 33, a sequence number that increases by
 * one per datagram (wrapping at 16 bits), a 90 kHz timestamp and a fixed SSRC. Nothing is allocated per datagram.
 *
 * <p>Not thread-safe: one wrapper per output stream, used by its sending thread.
 */
public final class RtpWrapper {
    /** Synchronization source identifier written in every header. */
    private final int ssrc;
    /** Sequence number of the next datagram (16 bits). */
    private int sequence;

    /** A wrapper with the given SSRC whose first sequence number is {@code firstSequence} (0..65535). */
    public RtpWrapper(int ssrc, int firstSequence) {
        if (firstSequence < 0 || firstSequence > 0xFFFF) {
            throw new RtpException("first sequence number " + firstSequence + " (expected: 0..65535)");
        }
        this.ssrc = ssrc;
        this.sequence = firstSequence;
    }

    /** A wrapper with the default SSRC 0xABBACAFE, starting at sequence number 0. */
    public RtpWrapper() {
        this(Rtp.DEFAULT_SSRC, 0);
    }

    /**
     * Writes an RTP header and then the payload into {@code dst}.
     *
     * @param dueNanos the message's due time in nanoseconds from the stream start; becomes the 90 kHz timestamp
     * @return the datagram's length: 12 + {@code length}
     */
    public int wrap(byte[] payload, int offset, int length, long dueNanos, byte[] dst, int dstOffset) {
        Objects.requireNonNull(payload, "payload must not be null");
        Objects.requireNonNull(dst, "dst must not be null");
        if (dst.length - dstOffset < Rtp.HEADER_SIZE + length) {
            throw new RtpException("datagram buffer has " + (dst.length - dstOffset) + " bytes (expected: >= "
                    + (Rtp.HEADER_SIZE + length) + ")");
        }
        writeHeader(dst, dstOffset, timestamp(dueNanos));
        System.arraycopy(payload, offset, dst, dstOffset + Rtp.HEADER_SIZE, length);
        return Rtp.HEADER_SIZE + length;
    }

    /**
     * Writes only the 12-byte header for the next datagram at {@code dst[offset]}, for callers that place the payload
     * themselves.
     */
    public void writeHeader(byte[] dst, int offset, int timestamp90kHz) {
        Objects.requireNonNull(dst, "dst must not be null");
        dst[offset] = (byte) (Rtp.VERSION << 6);
        dst[offset + 1] = (byte) Rtp.PAYLOAD_TYPE_MP2T;
        dst[offset + 2] = (byte) (sequence >> 8);
        dst[offset + 3] = (byte) sequence;
        dst[offset + 4] = (byte) (timestamp90kHz >> 24);
        dst[offset + 5] = (byte) (timestamp90kHz >> 16);
        dst[offset + 6] = (byte) (timestamp90kHz >> 8);
        dst[offset + 7] = (byte) timestamp90kHz;
        dst[offset + 8] = (byte) (ssrc >> 24);
        dst[offset + 9] = (byte) (ssrc >> 16);
        dst[offset + 10] = (byte) (ssrc >> 8);
        dst[offset + 11] = (byte) ssrc;
        sequence = (sequence + 1) & 0xFFFF;
    }

    /** The 32-bit 90 kHz RTP timestamp of a time in nanoseconds. */
    public static int timestamp(long nanos) {
        return (int) (nanos / 1_000_000_000L * Rtp.CLOCK_HZ + nanos % 1_000_000_000L * Rtp.CLOCK_HZ / 1_000_000_000L);
    }

    /** Sequence number the next datagram will carry. */
    public int nextSequence() {
        return sequence;
    }

    public int ssrc() {
        return ssrc;
    }
}
