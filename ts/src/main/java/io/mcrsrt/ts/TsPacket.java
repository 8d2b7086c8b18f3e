package io.mcrsrt.ts;

import java.util.List;
import java.util.Objects;

/**
 * A view of one 188-byte MPEG transport stream packet (ISO/IEC 13818-1 2.4.3.2) inside a byte array. The view is
 * re-pointed with {@link #wrap(byte[], int)} instead of allocating a packet per packet read, so one instance serves a
 * whole stream. Accessors read the bytes each time; nothing is cached, so a view of a reused buffer is always current.
 *
 * <p>Not thread-safe: a view belongs to the thread that reads the stream.
 */
public final class TsPacket {
    /** Size of a transport stream packet in bytes. */
    public static final int SIZE = 188;
    /** Size of a packet followed by 16 bytes of Reed-Solomon parity (DVB, ISDB). */
    public static final int SIZE_WITH_PARITY = 204;
    /**
     * Size of a packet preceded by a 4-byte arrival timestamp (BDAV MPEG-2 TS, as in {@code .m2ts} and {@code .mts}
     * files from Blu-ray discs and AVCHD cameras).
     */
    public static final int SIZE_M2TS = 192;
    /** The packet sizes a byte stream may use, each carrying one 188-byte packet: 188, 192 and 204. */
    public static final List<Integer> STREAM_SIZES = List.of(SIZE, SIZE_M2TS, SIZE_WITH_PARITY);
    /**
     * The size of the packets in a datagram of raw TS {@code length} bytes long: {@link #SIZE} when it holds a whole
     * number of 188-byte packets, else {@link #SIZE_WITH_PARITY} when it holds a whole number of 204-byte packets (as
     * some DVB-ASI gateways send them), else 0.
     */
    public static int sizeInDatagram(int length) {
        if (length % SIZE == 0) {
            return SIZE;
        }
        return length % SIZE_WITH_PARITY == 0 ? SIZE_WITH_PARITY : 0;
    }

    /** The sync byte every packet starts with. */
    public static final int SYNC_BYTE = 0x47;
    /** PID of null (stuffing) packets. */
    public static final int NULL_PID = 0x1FFF;
    /** Largest PID value (13 bits). */
    public static final int MAX_PID = 0x1FFF;
    /** Value returned by {@link #pcr()} and {@link #opcr()} when the packet carries none. */
    public static final long NO_PCR = -1;

    /** The array holding the packet; shared, never copied. */
    private byte[] buf;
    /** Index of the sync byte in {@link #buf}. */
    private int off;

    /** A view of its own 188-byte zeroed storage. */
    public TsPacket() {
        this.buf = new byte[SIZE];
    }

    /** Points this view at the packet starting at {@code offset}; no bytes are copied. */
    public TsPacket wrap(byte[] array, int offset) {
        Objects.requireNonNull(array, "array must not be null");
        if (offset < 0 || offset > array.length - SIZE) {
            throw new IndexOutOfBoundsException("packet offset " + offset + " (expected: 0.." + (array.length - SIZE) + ")");
        }
        this.buf = array;
        this.off = offset;
        return this;
    }

    public byte[] array() {
        return buf;
    }

    public int offset() {
        return off;
    }

    /** The byte at {@code index} (0..187) of the packet, unsigned. */
    public int u8(int index) {
        return buf[off + index] & 0xFF;
    }

    public boolean hasSyncByte() {
        return buf[off] == SYNC_BYTE;
    }

    /** transport_error_indicator (1 bit). */
    public boolean transportError() {
        return (buf[off + 1] & 0x80) != 0;
    }

    /** payload_unit_start_indicator (1 bit): a PES packet or PSI section starts in this packet. */
    public boolean payloadUnitStart() {
        return (buf[off + 1] & 0x40) != 0;
    }

    /** transport_priority (1 bit). */
    public boolean transportPriority() {
        return (buf[off + 1] & 0x20) != 0;
    }

    /** PID (13 bits). */
    public int pid() {
        return ((buf[off + 1] & 0x1F) << 8) | (buf[off + 2] & 0xFF);
    }

    /** transport_scrambling_control (2 bits): 0 = not scrambled. */
    public int scramblingControl() {
        return (buf[off + 3] >> 6) & 0x3;
    }

    /** adaptation_field_control (2 bits): 1 payload only, 2 adaptation field only, 3 both. */
    public int adaptationFieldControl() {
        return (buf[off + 3] >> 4) & 0x3;
    }

    public boolean hasAdaptationField() {
        return (buf[off + 3] & 0x20) != 0;
    }

    public boolean hasPayload() {
        return (buf[off + 3] & 0x10) != 0;
    }

    /** continuity_counter (4 bits). */
    public int continuityCounter() {
        return buf[off + 3] & 0x0F;
    }

    public void setContinuityCounter(int cc) {
        buf[off + 3] = (byte) ((buf[off + 3] & 0xF0) | (cc & 0x0F));
    }

    /** adaptation_field_length (8 bits), or 0 without an adaptation field. */
    public int adaptationFieldLength() {
        return hasAdaptationField() ? buf[off + 4] & 0xFF : 0;
    }

    private int adaptationFlags() {
        return hasAdaptationField() && (buf[off + 4] & 0xFF) > 0 ? buf[off + 5] & 0xFF : 0;
    }

    /** discontinuity_indicator of the adaptation field. */
    public boolean discontinuityIndicator() {
        return (adaptationFlags() & 0x80) != 0;
    }

    /** random_access_indicator of the adaptation field. */
    public boolean randomAccessIndicator() {
        return (adaptationFlags() & 0x40) != 0;
    }

    /** elementary_stream_priority_indicator of the adaptation field. */
    public boolean esPriorityIndicator() {
        return (adaptationFlags() & 0x20) != 0;
    }

    /** PCR_flag, and the adaptation field is long enough to hold the PCR. */
    public boolean hasPcr() {
        return (adaptationFlags() & 0x10) != 0 && (buf[off + 4] & 0xFF) >= 7;
    }

    /** OPCR_flag, and the adaptation field is long enough to hold the OPCR. */
    public boolean hasOpcr() {
        int need = (adaptationFlags() & 0x10) != 0 ? 13 : 7;
        return (adaptationFlags() & 0x08) != 0 && (buf[off + 4] & 0xFF) >= need;
    }

    /** splicing_point_flag of the adaptation field. */
    public boolean hasSpliceCountdown() {
        return (adaptationFlags() & 0x04) != 0;
    }

    /** program_clock_reference as a 27 MHz count (base * 300 + extension), or {@link #NO_PCR}. */
    public long pcr() {
        return hasPcr() ? readClock(off + 6) : NO_PCR;
    }

    /** original_program_clock_reference as a 27 MHz count, or {@link #NO_PCR}. */
    public long opcr() {
        if (!hasOpcr()) {
            return NO_PCR;
        }
        return readClock(off + ((adaptationFlags() & 0x10) != 0 ? 12 : 6));
    }

    /** Rewrites the PCR in place; the packet must carry one. */
    public void setPcr(long pcr27MHz) {
        if (!hasPcr()) {
            throw new IllegalStateException("packet on PID " + pid() + " carries no PCR to rewrite");
        }
        writeClock(off + 6, pcr27MHz);
    }

    /**
     * Sets discontinuity_indicator in place: the next PCR of this PID starts a new time base (ISO/IEC 13818-1
     * 2.4.3.5), so a decoder or monitor takes its step as intended. The packet must carry a PCR, as a packet that
     * rewrites a clock does.
     */
    public void setDiscontinuityIndicator() {
        if (!hasPcr()) {
            throw new IllegalStateException("packet on PID " + pid() + " carries no PCR to flag as discontinuous");
        }
        buf[off + 5] |= (byte) 0x80;
    }

    /**
     * Clears discontinuity_indicator in place, if the packet has an adaptation field with flags: its PCR goes on from
     * the one before on this PID after all (a file looped with its clock carried on across the seam).
     */
    public void clearDiscontinuityIndicator() {
        if (hasAdaptationField() && (buf[off + 4] & 0xFF) > 0) {
            buf[off + 5] &= (byte) 0x7F;
        }
    }

    /** Rewrites the OPCR in place; the packet must carry one. */
    public void setOpcr(long pcr27MHz) {
        if (!hasOpcr()) {
            throw new IllegalStateException("packet on PID " + pid() + " carries no OPCR to rewrite");
        }
        writeClock(off + ((adaptationFlags() & 0x10) != 0 ? 12 : 6), pcr27MHz);
    }

    /** Offset of the first payload byte from the start of the packet, or 188 when there is no payload. */
    public int payloadOffset() {
        if (!hasPayload()) {
            return SIZE;
        }
        int start = hasAdaptationField() ? 5 + (buf[off + 4] & 0xFF) : 4;
        return Math.min(start, SIZE);
    }

    public int payloadLength() {
        return SIZE - payloadOffset();
    }

    private long readClock(int i) {
        long base = ((long) (buf[i] & 0xFF) << 25) | ((buf[i + 1] & 0xFF) << 17) | ((buf[i + 2] & 0xFF) << 9)
                | ((buf[i + 3] & 0xFF) << 1) | ((buf[i + 4] & 0xFF) >> 7);
        int ext = ((buf[i + 4] & 0x01) << 8) | (buf[i + 5] & 0xFF);
        return base * 300 + ext;
    }

    private void writeClock(int i, long pcr27MHz) {
        long base = pcr27MHz / 300;
        int ext = (int) (pcr27MHz % 300);
        buf[i] = (byte) (base >> 25);
        buf[i + 1] = (byte) (base >> 17);
        buf[i + 2] = (byte) (base >> 9);
        buf[i + 3] = (byte) (base >> 1);
        buf[i + 4] = (byte) (((base & 1) << 7) | 0x7E | (ext >> 8));
        buf[i + 5] = (byte) ext;
    }

    @Override
    public String toString() {
        return "TsPacket[pid=" + pid() + ", pusi=" + payloadUnitStart() + ", cc=" + continuityCounter()
                + (hasPcr() ? ", pcr=" + pcr() : "") + "]";
    }
}
