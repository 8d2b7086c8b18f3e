package io.mcrsrt.ts.pacing;

import io.mcrsrt.ts.TsException;
import io.mcrsrt.ts.TsPacket;
import io.mcrsrt.ts.TsSource;
import io.mcrsrt.ts.pcr.Pcr;
import io.mcrsrt.ts.psi.Pmt;
import io.mcrsrt.ts.psi.PsiTracker;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * Turns a stream of packets into 1316-byte messages of 7 packets (as {@code tsparse alignment=7}), each with the time
 * it is due, interpolated between the PCRs of the PCR PID: the time of a packet between two PCRs is proportional to
 * its position between them, so a constant-bitrate file comes out at exactly its bitrate. Packets before the first PCR
 * are timed back from the first PCR interval; a PCR gap longer than the look-ahead, a discontinuity (flagged, or a PCR
 * going back or jumping forward further than {@link #steady} allows) and the end of the stream are bridged at the last
 * measured rate, so due times never go back. PCRs further apart than ISO/IEC 13818-1's 100 ms (and than a second) are
 * still paced by, as long as they come at a regular interval: a file that breaks that limit plays as its clock says,
 * and only a stream with no two usable PCRs is refused. Unless {@link PacerSettings#pcrPid()} names one, the PCR PID
 * follows the first program's PMT: when a new PMT names another (two recordings joined), the pacer changes to it, the
 * step between the two clocks bridged as a discontinuity. When that program has no PCR (PCR_PID 0x1FFF), when no PMT
 * comes in the first {@value #PMT_WAIT_PACKETS} packets, or when the PID it names has carried no PCR by the time the
 * look-ahead fills or the stream ends, the stream is paced by the first PID that carries a PCR, from its first packet.
 *
 * <p>The pacer only computes: the caller sends. {@link #nextMessage(ByteBuffer)} fills a message and returns its due
 * time in nanoseconds from the start of the stream; {@link #peekDueNanos()} tells when the next one is due without
 * taking it. A sender may wake every few milliseconds and take every message due by then (stamping each with its
 * exact due time), or wait for each one with a {@link PreciseWaiter}. Nothing is allocated per message.
 *
 * <p>Not thread-safe: a pacer belongs to the thread that sends the stream.
 */
public final class TsPacer implements AutoCloseable {
    /** Packets per message, as tsparse alignment=7 and every SRT/UDP TS sender. */
    public static final int PACKETS_PER_MESSAGE = 7;
    /** Bytes per full message. */
    public static final int MESSAGE_SIZE = PACKETS_PER_MESSAGE * TsPacket.SIZE;
    /** Returned by the message methods at the end of the stream. */
    public static final long END = -1;
    /** Packets read while waiting for the PMT before falling back to the first PID carrying a PCR. */
    private static final int PMT_WAIT_PACKETS = 4096;
    /** A forward PCR step up to this is always a stretch of the clock, not a jump: one second. */
    static final long MAX_PCR_STEP = Pcr.HZ;
    /**
     * The longest forward PCR step that can be a stretch of the clock, not a jump: ten seconds. Beyond a second, a step
     * is one only when the step before it was at least half as long (a file muxed with sparse PCRs); after PCRs 40 ms
     * apart, a step of two seconds is two recordings joined.
     */
    static final long MAX_SPARSE_PCR_STEP = 10 * Pcr.HZ;

    /** Where packets come from. */
    private final TsSource source;
    /** How to time them. */
    private final PacerSettings settings;
    /** Ring of look-ahead packets, 188 bytes each. */
    private final byte[] ring;
    /** Time of each packet in the ring on the unwrapped 27 MHz timeline, in ticks; valid below {@link #timed}. */
    private final double[] times;
    /** Ring capacity in packets. */
    private final int capacity;
    /** Reads PSI to find the PCR PID. */
    private final PsiTracker psi = new PsiTracker();
    /** Re-pointed at each packet read. */
    private final TsPacket view = new TsPacket();
    /** Re-pointed at the packets read again when the PCR PID falls back to the first PID carrying a PCR. */
    private final TsPacket replay = new TsPacket();
    /** Absolute number of the next packet to send. */
    private long head;
    /** Absolute number of the next packet to read into the ring. */
    private long read;
    /** Packets below this absolute number have a time. */
    private long timed;
    /** The PCR PID in use, or -1 until known. */
    private int pcrPid;
    /** PCR_PID of the first program's PMT as last read (0x1FFF: the program has no PCR), or -1 before a PMT. */
    private int namedPcrPid = -1;
    /** The PMT named another PCR PID since the last PCR used: the next PCR starts a new clock. */
    private boolean clockChanged;
    /** First PID seen carrying a PCR, the fallback when there is no PMT. */
    private int firstPcrPid = -1;
    /** Absolute number of the packet holding the last PCR used, or -1 before the first. */
    private long anchorN = -1;
    /** The last PCR used, as read. */
    private long anchorPcr;
    /** Time of the packet holding the last PCR used, in ticks. */
    private double anchorTime;
    /** Ticks per packet: the last measured rate, or 0 before two PCRs. */
    private double ticksPerPacket;
    /** The last forward step between PCRs, in ticks, when it was no longer than {@link #MAX_SPARSE_PCR_STEP}; else 0. */
    private long lastStep;
    /**
     * Before the first rate: the rate of the first forward step that {@link #steady} did not take (a first step longer
     * than a second has no step before it to compare with), in ticks per packet, or 0. Used only when the stream ends
     * or the look-ahead fills before a steady step comes: a short file with two PCRs 1.5 s apart is paced by them.
     */
    private double firstLongStepTicksPerPacket;
    /** The source is exhausted. */
    private boolean eof;
    /** Length in bytes of the last message returned. */
    private int lastLength;
    /** PCR discontinuities bridged. */
    private long discontinuities;

    public TsPacer(TsSource source, PacerSettings settings) {
        Objects.requireNonNull(source, "source must not be null (e.g. PacketReader.open(file))");
        Objects.requireNonNull(settings, "settings must not be null (PacerSettings.byPcr() paces by the PCRs)");
        this.source = source;
        this.settings = settings;
        this.capacity = settings.maxLookaheadPackets();
        this.ring = new byte[capacity * TsPacket.SIZE];
        this.times = new double[capacity];
        this.pcrPid = settings.pcrPid();
        if (settings.constantBitrate() > 0) {
            ticksPerPacket = TsPacket.SIZE * 8.0 * Pcr.HZ / settings.constantBitrate();
            anchorN = 0;
            anchorTime = 0;
        }
    }

    /**
     * Due time of the next message, in nanoseconds from the start of the stream, without taking it.
     *
     * @return the due time, or {@link #END}
     * @throws TsException if the stream has no PCR and no constant bitrate was declared
     */
    public long peekDueNanos() throws IOException {
        if (!ensureTimed(head + 1)) {
            return END;
        }
        return dueNanos(head);
    }

    /**
     * Copies the next message (7 packets, fewer only at the end of the stream) to {@code dst} at its position,
     * advancing the position.
     *
     * @return the message's due time in nanoseconds from the start of the stream, or {@link #END}
     * @throws TsException if the stream has no PCR and no constant bitrate was declared
     */
    public long nextMessage(ByteBuffer dst) throws IOException {
        Objects.requireNonNull(dst, "dst must not be null");
        int n = takeable();
        if (n == 0) {
            return END;
        }
        if (dst.remaining() < n * TsPacket.SIZE) {
            throw new IllegalArgumentException("message buffer has " + dst.remaining() + " bytes free (expected: >= "
                    + MESSAGE_SIZE + ")");
        }
        long due = dueNanos(head);
        for (int k = 0; k < n; k++) {
            dst.put(ring, slot(head + k) * TsPacket.SIZE, TsPacket.SIZE);
        }
        return advance(n, due);
    }

    /**
     * Copies the next message to {@code dst} at {@code offset}; its length is then {@link #lastMessageLength()}.
     *
     * @return the message's due time in nanoseconds from the start of the stream, or {@link #END}
     */
    public long nextMessage(MemorySegment dst, long offset) throws IOException {
        Objects.requireNonNull(dst, "dst must not be null");
        int n = takeable();
        if (n == 0) {
            return END;
        }
        long due = dueNanos(head);
        for (int k = 0; k < n; k++) {
            MemorySegment.copy(ring, slot(head + k) * TsPacket.SIZE, dst, ValueLayout.JAVA_BYTE,
                    offset + (long) k * TsPacket.SIZE, TsPacket.SIZE);
        }
        return advance(n, due);
    }

    /** Copies the next message to {@code dst} at {@code offset}; its length is then {@link #lastMessageLength()}. */
    public long nextMessage(byte[] dst, int offset) throws IOException {
        Objects.requireNonNull(dst, "dst must not be null");
        int n = takeable();
        if (n == 0) {
            return END;
        }
        long due = dueNanos(head);
        for (int k = 0; k < n; k++) {
            System.arraycopy(ring, slot(head + k) * TsPacket.SIZE, dst, offset + k * TsPacket.SIZE, TsPacket.SIZE);
        }
        return advance(n, due);
    }

    private long advance(int n, long due) {
        head += n;
        lastLength = n * TsPacket.SIZE;
        return due;
    }

    private int takeable() throws IOException {
        if (!ensureTimed(head + PACKETS_PER_MESSAGE) && timed <= head) {
            lastLength = 0;
            return 0;
        }
        return (int) Math.min(PACKETS_PER_MESSAGE, timed - head);
    }

    /** Length in bytes of the last message returned: 1316, less only for the last one. */
    public int lastMessageLength() {
        return lastLength;
    }

    /** The PCR PID in use, or -1 when not known yet or pacing at a constant bitrate. */
    public int pcrPid() {
        return pcrPid;
    }

    /** The last measured rate in bits per second, or 0 before two PCRs. */
    public double bitrate() {
        return ticksPerPacket <= 0 ? 0 : TsPacket.SIZE * 8.0 * Pcr.HZ / ticksPerPacket;
    }

    /** PCR discontinuities and gaps bridged at the last rate. */
    public long discontinuities() {
        return discontinuities;
    }

    /** Packets handed out so far. */
    public long packetsSent() {
        return head;
    }

    private long dueNanos(long n) {
        double ticks = times[slot(n)];
        return settings.smoothingLatencyNanos() + Math.round(ticks * (1e9 / Pcr.HZ));
    }

    private int slot(long n) {
        return (int) (n % capacity);
    }

    /** Reads and times packets until {@code target} packets are timed; false if the stream ends first. */
    private boolean ensureTimed(long target) throws IOException {
        while (timed < target) {
            if (eof) {
                return false;
            }
            if (read - head == capacity) {
                bridge(read);
                continue;
            }
            int s = slot(read);
            if (!source.read(ring, s * TsPacket.SIZE)) {
                eof = true;
                if (read == 0) {
                    throw new TsException("cannot pace this stream: it holds no MPEG-TS packet (expected: 188-, 192- or"
                            + " 204-byte packets, each starting with the sync byte 0x47). Is it a transport stream? An"
                            + " MP4 or MKV file can be remuxed with: ffmpeg -i IN -c copy -f mpegts OUT.ts");
                }
                bridge(read);
                continue;
            }
            long n = read++;
            view.wrap(ring, s * TsPacket.SIZE);
            if (settings.constantBitrate() > 0) {
                times[s] = n * ticksPerPacket;
                timed = read;
                continue;
            }
            onPacket(n);
        }
        return true;
    }

    private void onPacket(long n) {
        psi.accept(view);
        if (firstPcrPid < 0 && view.hasPcr()) {
            firstPcrPid = view.pid();
        }
        if (settings.pcrPid() < 0) {
            Pmt pmt = psi.firstPmt();
            int named = pmt == null ? -1 : pmt.pcrPid();
            if (named != namedPcrPid) {
                namedPcrPid = named;
                if (named >= 0 && named != TsPacket.NULL_PID && named != pcrPid) {
                    // A PMT that names another PCR PID (two recordings joined, a playout switching source) brings
                    // another clock: its first PCR cannot be measured against the last one of the old PID, so it is
                    // bridged.
                    clockChanged = pcrPid >= 0 && anchorN >= 0;
                    pcrPid = named;
                }
            }
            // No PCR yet on the PID to pace by, and the PMT says its program has none (PCR_PID 0x1FFF), or no PMT came
            // in the first packets: the first PID that carries one. A PMT naming a PID that carries none is given up
            // when the look-ahead fills or the stream ends (bridge).
            if (anchorN < 0 && firstPcrPid >= 0 && firstPcrPid != pcrPid
                    && (named == TsPacket.NULL_PID || named < 0 && n >= PMT_WAIT_PACKETS)) {
                fallBackToFirstPcrPid(n);
            }
        }
        if (view.hasPcr() && view.pid() == pcrPid) {
            onPcr(n, view.pcr(), view.discontinuityIndicator());
        }
    }

    /**
     * Paces by the first PID that carried a PCR, from the start: the packets read before {@code upTo}, none of which
     * is timed yet (no PCR of the PID in use came), are timed by its PCRs among them, as if it had been the PCR PID
     * from the first packet. Timed back from its first PCR interval after the switch instead, a variable-rate stream
     * would play all of them at the rate of that one interval.
     */
    private void fallBackToFirstPcrPid(long upTo) {
        pcrPid = firstPcrPid;
        for (long i = timed; i < upTo; i++) {
            replay.wrap(ring, slot(i) * TsPacket.SIZE);
            if (replay.hasPcr() && replay.pid() == pcrPid) {
                onPcr(i, replay.pcr(), replay.discontinuityIndicator());
            }
        }
    }

    /** A PCR of the PCR PID, in packet {@code n}: times the packets up to it. */
    private void onPcr(long n, long pcr, boolean flagged) {
        if (anchorN < 0) {
            anchorN = n;
            anchorPcr = pcr;
            return;
        }
        long d = Pcr.delta(anchorPcr, pcr);
        boolean broken = flagged || clockChanged;
        clockChanged = false;
        boolean continuous = steady(d, lastStep, broken);
        lastStep = !broken && d > 0 && d <= MAX_SPARSE_PCR_STEP ? d : 0;
        if (timed <= anchorN) {
            if (!continuous) {
                if (lastStep > 0 && firstLongStepTicksPerPacket <= 0) {
                    firstLongStepTicksPerPacket = (double) d / (n - anchorN);
                }
                anchorN = n;
                anchorPcr = pcr;
                return;
            }
            // Second PCR: the first rate is known, so everything read so far can be timed, from 0.
            ticksPerPacket = (double) d / (n - anchorN);
            for (long i = timed; i <= n; i++) {
                times[slot(i)] = i * ticksPerPacket;
            }
            timed = n + 1;
            anchorN = n;
            anchorPcr = pcr;
            anchorTime = n * ticksPerPacket;
            return;
        }
        double target;
        if (continuous) {
            target = anchorTime + d;
            ticksPerPacket = (double) d / (n - anchorN);
        } else {
            discontinuities++;
            // Timed at the last interval's rate alone, the packets across a join of two recordings (the first's tail,
            // the second's head) made each pass of a looped file longer or shorter than its playing time by as much
            // as that rate was off the file's (9 ms a pass for a 2 Mbit/s clip joined to an 8 Mbit/s one).
            double jumpRate = source.jumpTicksPerPacket();
            target = anchorTime + (n - anchorN) * (jumpRate > 0 ? jumpRate : ticksPerPacket);
        }
        double fromTime = timed > 0 ? times[slot(timed - 1)] : 0;
        long fromN = timed - 1;
        if (target < fromTime) {
            target = fromTime;
        }
        double step = (target - fromTime) / (n - fromN);
        for (long i = timed; i <= n; i++) {
            times[slot(i)] = fromTime + (i - fromN) * step;
        }
        timed = n + 1;
        anchorN = n;
        anchorPcr = pcr;
        anchorTime = target;
    }

    /** Times every packet read so far at the last measured rate: the look-ahead is full, or the stream ended. */
    private void bridge(long upTo) {
        if (timed >= upTo) {
            return;
        }
        if (ticksPerPacket <= 0 && anchorN < 0 && settings.pcrPid() < 0 && firstPcrPid >= 0 && firstPcrPid != pcrPid) {
            // the stream ended, or the look-ahead filled, before a PCR came on the PCR PID the PMT names, but another
            // PID carries them
            fallBackToFirstPcrPid(upTo);
            if (timed >= upTo) {
                return;
            }
        }
        if (ticksPerPacket <= 0 && firstLongStepTicksPerPacket > 0) {
            ticksPerPacket = firstLongStepTicksPerPacket;
        }
        if (ticksPerPacket <= 0) {
            throw new TsException(noPcrMessage());
        }
        double fromTime = timed > 0 ? times[slot(timed - 1)] : 0;
        for (long i = timed; i < upTo; i++) {
            times[slot(i)] = fromTime + (i - timed + 1) * ticksPerPacket;
        }
        if (anchorN >= timed && anchorN < upTo) {
            // the last PCR was read before the first rate was known (a first step longer than a second): the next PCR
            // is timed from where it was bridged to
            anchorTime = times[slot(anchorN)];
        }
        if (!eof) {
            discontinuities++;
        }
        timed = upTo;
    }

    /**
     * Whether a step of {@code d} ticks between two PCRs of the PCR PID is a stretch of the stream's clock to pace by,
     * rather than a discontinuity to bridge: not flagged, forward, and no longer than a second, or (PCRs muxed sparsely,
     * beyond the 100 ms ISO/IEC 13818-1 allows) no longer than {@link #MAX_SPARSE_PCR_STEP} nor than twice the step
     * before it.
     *
     * @param previousStep the forward step before this one in ticks, or 0 when there was none or it was a jump
     */
    static boolean steady(long d, long previousStep, boolean discontinuityFlagged) {
        if (discontinuityFlagged || d <= 0) {
            return false;
        }
        return d <= MAX_PCR_STEP || d <= MAX_SPARSE_PCR_STEP && previousStep > 0 && d <= 2 * previousStep;
    }

    private String noPcrMessage() {
        String where = pcrPid >= 0 ? String.format(java.util.Locale.ROOT, "on PCR PID 0x%04X", pcrPid) : "on any PID";
        // No advice to declare a constant bitrate: the service and the command line take none. A library user finds
        // PacerSettings.constantBitrate in its documentation.
        return "cannot pace this stream: no two PCRs in a row at most 10 s apart " + where + " in the first "
                + read + " packets read (expected: a PCR at least every 100 ms). Remux it so that it has them: "
                + "ffmpeg -i IN -c copy -f mpegts -pcr_period 20 OUT.ts";
    }

    @Override
    public void close() throws IOException {
        source.close();
    }
}
