package io.mcrsrt.ts.scte35;

import io.mcrsrt.ts.TsPacket;
import io.mcrsrt.ts.psi.Crc32Mpeg;
import io.mcrsrt.ts.psi.Pmt;
import io.mcrsrt.ts.psi.PsiTracker;
import io.mcrsrt.ts.psi.SectionAssembler;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Finds SCTE-35 cues in a transport stream: follows the PMTs for streams of type 0x86 (or private sections registered
 * as "CUEI"), reassembles their sections and decodes each one. Every cue, or the error that kept it from decoding, goes
 * to the consumer with the PID, the packet number and the last PCR of the program.
 *
 * <p>Not thread-safe: one monitor belongs to the thread that reads the stream.
 */
public final class Scte35Monitor {
    /**
     * One cue found in the stream.
     *
     * @param pid the SCTE-35 PID
     * @param packetNumber number of the packet that completed the section, from 0
     * @param pcr the last PCR (27 MHz) seen on the program's PCR PID before it, or -1
     * @param section the decoded cue, or null if it could not be decoded
     * @param error why it could not be decoded, or null
     * @param raw the section's bytes
     */
    public record Cue(int pid, long packetNumber, long pcr, SpliceInfoSection section, String error, byte[] raw) {
        public Cue {
            raw = raw.clone();
        }

        @Override
        public byte[] raw() {
            return raw.clone();
        }
    }

    /** Receives each cue. */
    private final Consumer<Cue> sink;
    /** Finds the PMTs: follows the PAT and the PMTs alone, not the DVB tables (an EIT schedule runs to Mbit/s). */
    private final PsiTracker psi = PsiTracker.programsOnly();
    /** Section assemblers of SCTE-35 PIDs; null elsewhere. */
    private final SectionAssembler[] assemblers = new SectionAssembler[TsPacket.MAX_PID + 1];
    /** The SCTE-35 PIDs found so far. */
    private final Set<Integer> pids = new TreeSet<>();
    /** PCR PID of the program each SCTE-35 PID belongs to; -1 elsewhere. */
    private final int[] pcrPidOf = new int[TsPacket.MAX_PID + 1];
    /** PCR PIDs of the programs that carry SCTE-35: the packets {@link #accept(ByteBuffer, int)} reads a PCR from. */
    private final boolean[] pcrFollowed = new boolean[TsPacket.MAX_PID + 1];
    /** Where {@link #accept(ByteBuffer, int)} copies the few packets it looks into. */
    private final byte[] scratch = new byte[TsPacket.SIZE];
    private final TsPacket scratchView = new TsPacket();
    /** Last PCR seen per PID; -1 before one. */
    private final long[] lastPcr = new long[TsPacket.MAX_PID + 1];
    /** Packets seen. */
    private long packets;
    /** Of them, those {@link #accept(ByteBuffer, int)} copied out to look into. */
    private long packetsCopied;
    /** Cues decoded. */
    private long cues;
    /** Sections that failed to decode. */
    private long errors;
    /** Of them, in all: a number to compare, where {@link #unannouncedCues} makes a map. */
    private long unannouncedTotal;
    /** Cue sections found on PIDs no PMT announced as SCTE-35 when they came, per PID. */
    private final Map<Integer, Long> unannounced = new TreeMap<>();

    public Scte35Monitor(Consumer<Cue> sink) {
        Objects.requireNonNull(sink, "sink must not be null (it is handed each cue; cue -> { } to keep none)");
        this.sink = sink;
        Arrays.fill(pcrPidOf, -1);
        Arrays.fill(lastPcr, -1);
        psi.onChange(this::followPmts);
    }

    /** Feeds one packet. */
    public void accept(TsPacket p) {
        Objects.requireNonNull(p, "p must not be null (a TS packet)");
        packets++;
        int pid = p.pid();
        if (p.hasPcr()) {
            lastPcr[pid] = p.pcr();
        }
        psi.accept(p);
        SectionAssembler a = assemblers[pid];
        if (a != null) {
            a.accept(p);
        } else if (p.payloadUnitStart() && pid != TsPacket.NULL_PID && !psi.isPsiPid(pid)) {
            countUnannouncedCue(p, pid);
        }
    }

    /**
     * Feeds the packet at {@code at} in {@code b} (a direct buffer as well), as {@link #accept(TsPacket)} does, and
     * with the same result, but copies out only the packets it needs ({@link #packetsCopied}): the PAT, the PMTs, the
     * SCTE-35 PIDs, and a packet of another PID whose payload starts with table_id 0xFC (a cue on a PID no PMT
     * announces). The PCR of a program that carries SCTE-35 is read where it is. Any other packet, the DVB tables
     * (SDT, EIT, TDT/TOT, NIT) among them, costs a look at its header and is neither copied nor checked: for a stream's
     * thread that sends every packet on and watches them on the way.
     */
    public void accept(ByteBuffer b, int at) {
        int b1 = b.get(at + 1);
        int pid = ((b1 & 0x1F) << 8) | (b.get(at + 2) & 0xFF);
        boolean pusi = (b1 & 0x40) != 0;
        if (assemblers[pid] != null || psi.isPsiPid(pid)
                || pusi && pid != TsPacket.NULL_PID && startsWithCueTableId(b, at)) {
            b.get(at, scratch, 0, TsPacket.SIZE);
            packetsCopied++;
            accept(scratchView.wrap(scratch, 0));
        } else {
            packets++;
            if (pcrFollowed[pid] && carriesPcr(b, at)) {
                lastPcr[pid] = pcr(b, at + 6);
            }
        }
    }

    /** The PCR (27 MHz) whose six bytes start at {@code i}, as {@link TsPacket#pcr()} reads it. */
    private static long pcr(ByteBuffer b, int i) {
        long base = ((long) (b.get(i) & 0xFF) << 25) | ((b.get(i + 1) & 0xFF) << 17) | ((b.get(i + 2) & 0xFF) << 9)
                | ((b.get(i + 3) & 0xFF) << 1) | ((b.get(i + 4) & 0xFF) >> 7);
        return base * 300 + (((b.get(i + 4) & 0x01) << 8) | (b.get(i + 5) & 0xFF));
    }

    /** The adaptation field of the packet at {@code at} has PCR_flag set. */
    private static boolean carriesPcr(ByteBuffer b, int at) {
        return (b.get(at + 3) & 0x20) != 0 && (b.get(at + 4) & 0xFF) >= 7 && (b.get(at + 5) & 0x10) != 0;
    }

    /** The payload of the packet at {@code at}, a payload_unit_start, has table_id 0xFC where its pointer_field points. */
    private static boolean startsWithCueTableId(ByteBuffer b, int at) {
        int afc = (b.get(at + 3) >> 4) & 0x03;
        if ((afc & 0x01) == 0) {
            return false;
        }
        int payload = 4 + ((afc & 0x02) != 0 ? 1 + (b.get(at + 4) & 0xFF) : 0);
        if (payload >= TsPacket.SIZE) {
            return false;
        }
        int start = payload + 1 + (b.get(at + payload) & 0xFF);
        return start < TsPacket.SIZE && (b.get(at + start) & 0xFF) == Scte35.TABLE_ID;
    }

    /**
     * Counts a cue that starts and ends in {@code p}, a packet of a PID that is not SCTE-35 by the PMT: table_id 0xFC
     * after the pointer_field and a CRC_32 that checks (a PES, which starts 00 00 01, never passes).
     */
    private void countUnannouncedCue(TsPacket p, int pid) {
        int at = p.payloadOffset();
        if (at >= TsPacket.SIZE) {
            return;
        }
        int start = at + 1 + p.u8(at);
        if (start + 3 > TsPacket.SIZE || p.u8(start) != Scte35.TABLE_ID) {
            return;
        }
        int length = 3 + (((p.u8(start + 1) & 0x0F) << 8) | p.u8(start + 2));
        if (start + length <= TsPacket.SIZE && Crc32Mpeg.verify(p.array(), p.offset() + start, length)) {
            unannounced.merge(pid, 1L, Long::sum);
            unannouncedTotal++;
        }
    }

    private void followPmts() {
        for (Pmt pmt : psi.pmts().values()) {
            for (Pmt.Stream s : pmt.streams()) {
                if (s.isScte35() && assemblers[s.pid()] == null) {
                    assemblers[s.pid()] = new SectionAssembler(s.pid(), this::onSection);
                    pcrPidOf[s.pid()] = pmt.pcrPid();
                    if (pmt.pcrPid() >= 0 && pmt.pcrPid() < TsPacket.NULL_PID) {
                        pcrFollowed[pmt.pcrPid()] = true;
                    }
                    pids.add(s.pid());
                }
            }
        }
    }

    private void onSection(int pid, byte[] section, int length) {
        if ((section[0] & 0xFF) != Scte35.TABLE_ID) {
            return;
        }
        byte[] raw = Arrays.copyOf(section, length);
        int pcrPid = pcrPidOf[pid];
        long pcr = pcrPid >= 0 && pcrPid <= TsPacket.MAX_PID ? lastPcr[pcrPid] : -1;
        try {
            SpliceInfoSection s = Scte35.decode(raw);
            cues++;
            sink.accept(new Cue(pid, packets - 1, pcr, s, null, raw));
        } catch (Scte35Exception e) {
            errors++;
            sink.accept(new Cue(pid, packets - 1, pcr, null, e.getMessage(), raw));
        }
    }

    /** The SCTE-35 PIDs announced in the PMTs so far. */
    public Set<Integer> pids() {
        return Collections.unmodifiableSet(pids);
    }

    /**
     * SCTE-35 cues found on PIDs that no PMT announces as SCTE-35 (stream type 0x86), per PID, in PID order: a
     * multiplexer that left the cue PID out of the PMT, so that a splicer following the PMT never sees them. Only cues
     * that fit in one packet (table_id 0xFC, CRC_32 checked) are counted; they are not decoded. A PID announced later
     * is not among them.
     */
    public Map<Integer, Long> unannouncedCues() {
        Map<Integer, Long> left = new TreeMap<>(unannounced);
        left.keySet().removeAll(pids);
        return Collections.unmodifiableMap(left);
    }

    /**
     * How many cues {@link #unannouncedCues} has counted in all, PIDs announced later included: it grows when one
     * more is found, for a caller that says so as it happens.
     */
    public long unannouncedCueCount() {
        return unannouncedTotal;
    }

    /** Packets fed. */
    public long packets() {
        return packets;
    }

    /**
     * Of the packets fed through {@link #accept(ByteBuffer, int)}, those copied out to be looked into: the PAT, the
     * PMTs, the SCTE-35 PIDs and a packet that starts a cue on a PID no PMT announces. What watching a stream costs
     * beyond a look at each header.
     */
    public long packetsCopied() {
        return packetsCopied;
    }

    public long cues() {
        return cues;
    }

    public long errors() {
        return errors;
    }

    /** The PAT and PMTs seen so far ({@link PsiTracker#programsOnly()}: no SDT). */
    public PsiTracker psi() {
        return psi;
    }
}
