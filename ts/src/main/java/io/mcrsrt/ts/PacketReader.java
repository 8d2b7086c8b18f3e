package io.mcrsrt.ts;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;

/**
 * Reads 188-byte packets from a byte stream (a file, a pipe, a socket): finds the packet size (188; 192 of M2TS, whose
 * 4-byte timestamp before each packet is dropped; or 204 with Reed-Solomon parity, which is stripped), recovers sync
 * after garbage and counts what it had to skip. One fixed buffer is allocated at construction; reading a packet
 * allocates nothing.
 *
 * <p>Not thread-safe: one reader belongs to one thread.
 */
public final class PacketReader implements TsSource {
    /** Consecutive sync bytes that must line up before a packet size or a resync position is trusted. */
    private static final int SYNC_CONFIRM = 3;
    private static final int BUFFER_SIZE = 64 * TsPacket.SIZE_WITH_PARITY;
    /** Bytes of the arrival timestamp before each packet of a 192-byte stream. */
    private static final int M2TS_PREFIX = TsPacket.SIZE_M2TS - TsPacket.SIZE;

    /** Where the bytes come from. */
    private final ReadableByteChannel channel;
    /** Fixed read buffer; bytes [pos, limit) are unread. */
    private final byte[] buf = new byte[BUFFER_SIZE];
    /** Wraps {@link #buf} for channel reads. */
    private final ByteBuffer bb = ByteBuffer.wrap(buf);
    /** Start of the next unread byte in {@link #buf}. */
    private int pos;
    /** End of valid bytes in {@link #buf}. */
    private int limit;
    /** The channel reported end of stream. */
    private boolean eof;
    /** 188, 192 or 204 once detected, 0 before. */
    private int packetSize;
    /** The previous packet was followed by a sync byte here, so a sync byte here starts a packet. */
    private boolean expected = true;
    /** Times sync was lost and had to be searched for again (TS_sync_loss). */
    private long syncLosses;
    /** Bytes thrown away while searching for sync, including a partial packet at the end. */
    private long bytesSkipped;
    /** Packets returned so far. */
    private long packets;
    /** Stream offset of {@link #buf}[0]. */
    private long bufferStreamOffset;
    /** A seekable channel's position before the first read has been taken as the stream offset. */
    private boolean positioned;
    /**
     * Stream offset of the first byte read: a 192-byte stream's timestamp there, before the first packet, is the
     * packet's, not garbage, whether the channel was opened at the file's start or at a unit's start further on.
     */
    private long startOffset;
    /** Stream offset of the last packet returned. */
    private long lastPacketOffset = -1;
    /** Stream offset of the first packet returned: where {@link #rewind} goes back to. */
    private long firstPacketOffset = -1;

    private PacketReader(ReadableByteChannel channel) {
        this.channel = channel;
    }

    public static PacketReader open(Path file) throws IOException {
        Objects.requireNonNull(file, "file must not be null (the TS file to read)");
        return new PacketReader(FileChannel.open(file, StandardOpenOption.READ));
    }

    /**
     * Reads from {@code channel}; a seekable one (a {@link FileChannel}) from its position at the first read, the
     * offsets ({@link #lastPacketOffset()}) being positions in it and {@link #rewind()} going back to the first packet
     * found from there.
     */
    public static PacketReader of(ReadableByteChannel channel) {
        Objects.requireNonNull(channel, "channel must not be null");
        return new PacketReader(channel);
    }

    public static PacketReader of(InputStream in) {
        Objects.requireNonNull(in, "in must not be null");
        return new PacketReader(Channels.newChannel(in));
    }

    /** Reads from a byte array (a datagram, a test fixture); the array is not copied. */
    public static PacketReader of(byte[] bytes, int offset, int length) {
        Objects.requireNonNull(bytes, "bytes must not be null");
        return new PacketReader(Channels.newChannel(new java.io.ByteArrayInputStream(bytes, offset, length)));
    }

    /**
     * Points {@code packet} at the next packet, inside this reader's buffer: the view is valid until the next call.
     *
     * @return false at the end of the stream
     */
    public boolean next(TsPacket packet) throws IOException {
        Objects.requireNonNull(packet, "packet must not be null (new TsPacket() to be filled)");
        int at = nextPacketIndex();
        if (at < 0) {
            return false;
        }
        packet.wrap(buf, at);
        return true;
    }

    @Override
    public boolean read(byte[] dst, int offset) throws IOException {
        Objects.requireNonNull(dst, "dst must not be null");
        int at = nextPacketIndex();
        if (at < 0) {
            return false;
        }
        System.arraycopy(buf, at, dst, offset, TsPacket.SIZE);
        return true;
    }

    private int nextPacketIndex() throws IOException {
        if (packetSize == 0 && !detectPacketSize()) {
            return -1;
        }
        while (true) {
            if (!ensure(packetSize)) {
                if (!ensure(TsPacket.SIZE) || buf[pos] != TsPacket.SYNC_BYTE) {
                    bytesSkipped += limit - pos;
                    pos = limit;
                    return -1;
                }
                // The last packet of a 192-byte stream (its timestamp came before it), or of a 204-byte stream
                // that lost its parity: the packet itself is whole.
                int at = pos;
                pos += TsPacket.SIZE;
                return deliver(at);
            }
            if (buf[pos] == TsPacket.SYNC_BYTE) {
                boolean nextInSync = !ensure(packetSize + 1) || buf[pos + packetSize] == TsPacket.SYNC_BYTE;
                if (nextInSync || expected) {
                    expected = nextInSync;
                    int at = pos;
                    pos += packetSize;
                    return deliver(at);
                }
            }
            syncLosses++;
            if (!resync()) {
                return -1;
            }
        }
    }

    private int deliver(int at) {
        packets++;
        lastPacketOffset = bufferStreamOffset + at;
        if (firstPacketOffset < 0) {
            firstPacketOffset = lastPacketOffset;
        }
        return at;
    }

    /** Skips to the next position where {@link #SYNC_CONFIRM} sync bytes line up, or to the end. */
    private boolean resync() throws IOException {
        while (true) {
            int span = packetSize * (SYNC_CONFIRM - 1) + 1;
            boolean more = ensure(span);
            int last = more ? limit - span : limit - 1;
            for (int i = pos + 1; i <= last; i++) {
                if (buf[i] == TsPacket.SYNC_BYTE && syncsAt(i, more ? SYNC_CONFIRM : 1, packetSize)) {
                    bytesSkipped += i - pos;
                    pos = i;
                    expected = true;
                    return true;
                }
            }
            if (!more) {
                bytesSkipped += limit - pos;
                pos = limit;
                return false;
            }
            bytesSkipped += last + 1 - pos;
            pos = last + 1;
        }
    }

    /** Whether {@code count} sync bytes stand {@code size} bytes apart from {@code buf[i]} on. */
    private boolean syncsAt(int i, int count, int size) {
        for (int k = 0; k < count; k++) {
            if (buf[i + k * size] != TsPacket.SYNC_BYTE) {
                return false;
            }
        }
        return true;
    }

    /**
     * Finds the packet size and the first packet: {@link #SYNC_CONFIRM} sync bytes lined up at 188, 192 or 204
     * bytes, or fewer only where the stream ends before there is room for them. Leading garbage longer than the
     * buffer is read through (and counted), not taken for the end of the stream; the 4-byte timestamp before the first
     * packet of a 192-byte stream is not garbage.
     */
    private boolean detectPacketSize() throws IOException {
        if (!positioned) {
            positioned = true;
            // A channel opened at a position (a long recording read from its middle): offsets counted from it would
            // send a rewind to that count from the start.
            if (channel instanceof SeekableByteChannel seekable && bufferStreamOffset == 0 && limit == 0) {
                bufferStreamOffset = seekable.position();
            }
            startOffset = bufferStreamOffset + pos;
        }
        boolean skipped = false;
        while (true) {
            ensure(BUFFER_SIZE);
            for (int start = pos; start < limit; start++) {
                if (buf[start] != TsPacket.SYNC_BYTE) {
                    continue;
                }
                for (int size : TsPacket.STREAM_SIZES) {
                    int confirm = Math.min(SYNC_CONFIRM, (limit - start - 1) / size + 1);
                    // Short of room for all the confirmations: decide only at the very end of the stream.
                    if (confirm < SYNC_CONFIRM && !eof) {
                        continue;
                    }
                    if (!syncsAt(start, confirm, size)) {
                        continue;
                    }
                    int first = start;
                    if (size == TsPacket.SIZE_M2TS && start + M2TS_PREFIX + (confirm - 1) * size < limit
                            && syncsAt(start + M2TS_PREFIX, confirm, size)) {
                        // a timestamp that begins with 0x47: the packets are the sync bytes 4 bytes on
                        first = start + M2TS_PREFIX;
                    }
                    packetSize = size;
                    int prefix = size == TsPacket.SIZE_M2TS && !skipped && first - pos == M2TS_PREFIX
                            && bufferStreamOffset + pos == startOffset ? M2TS_PREFIX : 0;
                    if (first - prefix > pos || skipped) {
                        syncLosses++;
                        bytesSkipped += first - pos - prefix;
                    }
                    pos = first;
                    return true;
                }
            }
            if (eof) {
                bytesSkipped += limit - pos;
                pos = limit;
                return false;
            }
            // Keep the tail that may start packets not yet confirmable, and read on.
            int keep = Math.min(limit - pos, TsPacket.SIZE_WITH_PARITY * SYNC_CONFIRM);
            bytesSkipped += limit - pos - keep;
            skipped |= limit - pos > keep;
            pos = limit - keep;
        }
    }

    /** Makes at least {@code n} unread bytes available; false if the stream ends first. */
    private boolean ensure(int n) throws IOException {
        if (limit - pos >= n) {
            return true;
        }
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, limit - pos);
            bufferStreamOffset += pos;
            limit -= pos;
            pos = 0;
        }
        while (limit < n && !eof) {
            bb.limit(buf.length).position(limit);
            int r = channel.read(bb);
            if (r < 0) {
                eof = true;
            } else {
                limit += r;
            }
        }
        return limit - pos >= n;
    }

    /**
     * Goes back to the first packet of a seekable source (a file) for another pass: where the first pass found it,
     * so that bytes before it (a partial packet where a recording was cut, garbage) are not taken for a packet on the
     * next pass. Packet size and counters are kept.
     *
     * @throws TsException if the source is not seekable
     */
    public void rewind() throws IOException {
        if (!(channel instanceof SeekableByteChannel seekable)) {
            throw new TsException("this input cannot be rewound (expected: a file), so it cannot be looped");
        }
        // Before any packet was found: from the start (a 192-byte stream's first timestamp stepped over as the
        // others are).
        long start = firstPacketOffset >= 0 ? firstPacketOffset : packetSize == TsPacket.SIZE_M2TS ? M2TS_PREFIX : 0;
        seekable.position(start);
        pos = 0;
        limit = 0;
        eof = false;
        expected = true;
        bufferStreamOffset = start;
    }

    /** 188, 192 or 204 once known, 0 before the first packet. */
    public int packetSize() {
        return packetSize;
    }

    public long syncLosses() {
        return syncLosses;
    }

    public long bytesSkipped() {
        return bytesSkipped;
    }

    public long packets() {
        return packets;
    }

    /** Byte offset in the stream of the last packet returned, or -1. */
    public long lastPacketOffset() {
        return lastPacketOffset;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
