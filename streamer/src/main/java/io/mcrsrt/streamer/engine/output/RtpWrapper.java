package io.mcrsrt.streamer.engine.output;

import java.nio.ByteBuffer;

/**
 * Wraps 7-packet messages in RTP (RFC 3550 header, RFC 2250 payload type 33 for MPEG-2 TS): sequence numbers count
 * up, the timestamp is the message's due time on a 90 kHz clock. One instance per stream; not thread-safe.
 */
public final class RtpWrapper {
    /** The SSRC the original tool uses by default: {@code ABBACAFE}. */
    public static final int DEFAULT_SSRC = 0xABBACAFE;
    public static final int HEADER_BYTES = 12;
    public static final int PAYLOAD_TYPE_MP2T = 33;

    private final int ssrc;
    private final ByteBuffer out = ByteBuffer.allocateDirect(HEADER_BYTES + 7 * 188);
    private int sequence;

    public RtpWrapper(int ssrc) {
        this.ssrc = ssrc;
    }

    /** The RTP packet for this message, valid until the next call. */
    public ByteBuffer wrap(ByteBuffer message, long dueNanos) {
        out.clear();
        out.put((byte) 0x80);
        out.put((byte) PAYLOAD_TYPE_MP2T);
        out.putShort((short) sequence);
        sequence = (sequence + 1) & 0xFFFF;
        out.putInt((int) (dueNanos * 9L / 100_000L));
        out.putInt(ssrc);
        out.put(message.duplicate());
        out.flip();
        return out;
    }
}
