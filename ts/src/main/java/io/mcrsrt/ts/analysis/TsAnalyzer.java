package io.mcrsrt.ts.analysis;

import io.mcrsrt.ts.PesHeader;
import io.mcrsrt.ts.TsPacket;
import io.mcrsrt.ts.pacing.SendTimeErrors;
import io.mcrsrt.ts.pcr.Pcr;
import io.mcrsrt.ts.psi.Pat;
import io.mcrsrt.ts.psi.Pmt;
import io.mcrsrt.ts.psi.PsiTracker;
import io.mcrsrt.ts.psi.Sdt;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Monitors a transport stream the way ETSI TR 101 290 describes: first priority (TS_sync_loss, Sync_byte_error,
 * PAT_error_2, Continuity_count_error, PMT_error_2, PID_error) and the second priority CRC and PCR checks
 * (PCR_repetition_error over 40 ms, PCR_discontinuity_indicator_error, PCR_accuracy_error over 500 ns), plus PCR
 * arrival jitter when packets come with arrival times, per-PID bitrates and the services and streams of the stream.
 * Packets with the reserved adaptation_field_control '00' are counted apart and otherwise ignored, as ISO/IEC 13818-1
 * 2.4.3.3 tells a decoder to discard them: no payload, no PCR, no continuity check against them.
 *
 * <p>Time-based checks run on the stream's own clock: arrival times when the caller gives them (a live input),
 * otherwise the PCRs of the first program (a file). A stream with neither gets no time-based checks.
 *
 * <p>Feed it packets ({@link #accept(TsPacket, long)}) or raw bytes ({@link #acceptBytes(byte[], int, int, long)},
 * which finds and follows packet sync itself so sync errors can be seen). Nothing is allocated per packet except when
 * an error is recorded, a table changes or a PID carries its first PCR.
 *
 * <p>Not thread-safe: one analyzer belongs to the thread that reads the stream; {@link #report()} must be called on
 * that thread too.
 */
public final class TsAnalyzer {
    /** Longest gap allowed between PATs and between PMTs: 0.5 s. */
    public static final long PSI_INTERVAL_NANOS = 500_000_000L;
    /** Longest gap between two SDTs of the transport stream (TR 101 290 3.5.a). */
    public static final long SDT_INTERVAL_NANOS = 2_000_000_000L;
    private static final int SDT_ACTUAL_TABLE_ID = 0x42;
    /** Longest interval allowed between PCRs: 40 ms. */
    public static final long PCR_REPETITION_TICKS = 40 * Pcr.HZ / 1000;
    /** Largest step between consecutive PCRs without discontinuity_indicator: 100 ms. */
    public static final long PCR_DISCONTINUITY_TICKS = 100 * Pcr.HZ / 1000;
    /** Largest step between PCRs sent too seldom, beyond which it is a jump of the clock: one second. */
    private static final long SPARSE_PCR_MAX_TICKS = Pcr.HZ;
    /**
     * Longest a byte may wait in the decoder's buffers before its decode time, 1 s (ISO/IEC 13818-1 2.4.2.6, still
     * pictures aside), on the 90 kHz clock.
     */
    private static final long MAX_DECODE_DELAY_90K = 90_000;
    /** Largest PCR accuracy deviation allowed: 500 ns. */
    public static final long PCR_ACCURACY_NANOS = 500;
    /** Default PID_error timeout: 5 s. */
    public static final long DEFAULT_PID_TIMEOUT_NANOS = 5_000_000_000L;
    /** Good sync bytes in a row needed to regain sync (TR 101 290 1.1). */
    private static final int SYNC_GOOD = 5;
    /** Bad sync bytes in a row that lose sync (TR 101 290 1.1). */
    private static final int SYNC_BAD = 2;
    private static final int PIDS = TsPacket.MAX_PID + 1;

    /** How long a PID listed in a PMT may be absent before PID_error. */
    private final long pidTimeoutNanos;
    /** Follows PAT, PMTs and SDT. */
    private final PsiTracker psi;
    /** Occurrences per indicator. */
    private final Map<Indicator, Occurrences> errors = new EnumMap<>(Indicator.class);
    /** Re-pointed at each packet of the byte feed. */
    private final TsPacket view = new TsPacket();

    /** Packets seen per PID. */
    private final long[] pidPackets = new long[PIDS];
    /** Continuity errors per PID. */
    private final long[] pidCcErrors = new long[PIDS];
    /** Packets with the reserved adaptation_field_control '00' per PID. */
    private final long[] pidReservedAfc = new long[PIDS];
    /** Packets with the reserved adaptation_field_control '00', all PIDs. */
    private final Occurrences reservedAfc = new Occurrences();
    /** The continuity counter rules, per PID. */
    private final ContinuityCheck continuity = new ContinuityCheck();
    /** Whether a PID carried PCR. */
    private final boolean[] pidHasPcr = new boolean[PIDS];
    /** Whether a PID carried scrambled packets. */
    private final boolean[] pidScrambled = new boolean[PIDS];
    /** Last PCR per PID (27 MHz), or -1. */
    private final long[] lastPcr = new long[PIDS];
    /** Packet number of the last PCR per PID. */
    private final long[] lastPcrPacket = new long[PIDS];
    /** Ticks per packet over the last PCR interval of each PID, or 0 when not known. */
    private final double[] pcrRate = new double[PIDS];
    /** Ticks per packet over the last continuous PCR interval of each PID, kept across discontinuities; 0 before one. */
    private final double[] steadyRate = new double[PIDS];
    /** Stream time a PID was last seen, for PID_error; -1 when not watched. */
    private final long[] lastSeen = new long[PIDS];
    /** Stream time of the last PMT per PMT PID; -1 when the PID is not a PMT PID. */
    private final long[] lastPmt = new long[PIDS];
    /** PMT PIDs listed in the PAT. */
    private int[] pmtPids = new int[0];
    /**
     * Programs of the PAT whose PMT PID carries other programs' PMTs too, with the stream time each one's own PMT
     * section was last seen: there a PMT on the PID (what TR 101 290 checks) does not show that every program has one.
     */
    private final Map<Integer, SharedPmt> sharedPmts = new java.util.HashMap<>();
    /** Elementary PIDs listed in the PMTs. */
    private int[] esPids = new int[0];
    /** The PCR_PID of the program an elementary PID belongs to, from its PMT; -1 when not known. */
    private final int[] esPcrPid = new int[PIDS];
    /** PES measured against the PCR, per PID (see {@link AnalysisReport.TimingReport}). */
    private final long[] timingPes = new long[PIDS];
    /** Smallest and largest decode time less PCR per PID, 90 kHz ticks. */
    private final long[] timingMin = new long[PIDS];
    private final long[] timingMax = new long[PIDS];
    /** PES that started after their decode time, per PID. */
    private final long[] timingLate = new long[PIDS];
    /** PES that started more than {@link #MAX_DECODE_DELAY_90K} before their decode time, per PID. */
    private final long[] timingEarly = new long[PIDS];
    /** Of {@link #timingLate} and {@link #timingEarly}, those on time against the PCR less its steps, per PID. */
    private final long[] timingLateFromStep = new long[PIDS];
    private final long[] timingEarlyFromStep = new long[PIDS];
    /**
     * Per PCR PID, what its PCR stepped by (27 MHz ticks: each step's PCR less where the PCR would have been at the
     * rate before it, summed) since the decode times last followed its steps; 0 when they have or it never stepped.
     * A PES off its decode time against the stepped PCR but on time against the PCR less these steps is off because
     * the timestamps did not step with the PCR, which says nothing of the mux rate.
     */
    private final long[] pcrStepTicks = new long[PIDS];

    /** Packets analysed. */
    private long packets;
    /** Bytes skipped looking for sync. */
    private long bytesSkipped;
    /** Bytes of a last packet that the input cut short, left out; 0 when the input ended on a whole packet. */
    private int truncatedLastPacket;
    /** Currently in sync (TR 101 290 1.1 state). */
    private boolean inSync = true;
    /** Consecutive bad sync bytes. */
    private int badRun;
    /** Consecutive good sync bytes while out of sync. */
    private int goodRun;
    /**
     * Since the last sync loss, every packet place after it (the packet size apart, where the packets were) has had a
     * bad sync byte so far: the run of bad sync bytes that lost sync goes on, and the loss's detail is told once it
     * ends. Past the loss those bytes are skipped looking for sync, so without this the detail said only the two
     * that lost it.
     */
    private boolean lossRunOpen;
    /** Bad sync bytes in the run that lost sync, counted so far. */
    private int lossRun;
    /** Where in the byte feed the run's next packet place is (from {@link #pendingStart}), or -1 for packets fed. */
    private long lossNextPlace = -1;
    /** Where in the byte feed the place after the one that lost sync is: where the skipping began. */
    private long lossSkipStart;
    /** Where in the byte feed {@code pending[0]} is: bytes consumed before it. */
    private long pendingStart;
    /** Stream time of the last PAT. */
    private long lastPat;
    /** Stream time of the last SDT (actual) on PID 0x0011, or -1 before the first: its interval is checked from then. */
    private long lastSdt = -1;
    /** Arrival time of the first packet, or -1. */
    private long firstArrival = -1;
    /**
     * Packets at the origin of the stream clock, which took no time on it: those that arrived at the first arrival
     * time (the first datagram), or, on the PCR clock, those up to and including the packet of the first PCR.
     */
    private long originPackets;
    /** Stream time of the packet being analysed. */
    private long now;
    /**
     * PID whose PCR statistics are reported, or -1 before any PCR: the PCR_PID of the first program once its PMT is
     * known, until then the first PID that carried a PCR.
     */
    private int refPid = -1;
    /**
     * PID whose PCRs drive the stream clock when there are no arrival times, or -1: the reference PID, from its first
     * PCR after it became the reference (so the clock never runs on a PID that has no PCR yet).
     */
    private int clockPid = -1;
    /** Stream time at the clock PID's time 0, ns: where the clock stood when it moved to that PID. */
    private long clockOffsetNanos;
    /** PCR statistics per PID, from its first PCR; null on a PID that has carried none. */
    private final PcrStats[] pcrStats = new PcrStats[PIDS];
    /** CRC errors the PSI tracker had counted before the current packet. */
    private long crcSeen;

    /** Byte feed: carried-over bytes of a packet split between calls. */
    private final byte[] pending = new byte[64 * 1024];
    /** Bytes in {@link #pending}. */
    private int pendingLength;
    /** Bytes of the arrival timestamp before each packet of a 192-byte (M2TS) stream. */
    private static final int M2TS_PREFIX = TsPacket.SIZE_M2TS - TsPacket.SIZE;
    /** The arrival time given with the last bytes fed, for what {@link #endOfInput()} analyses. */
    private long lastArrivalNanos = -1;
    /** Set while {@link #endOfInput()} analyses the last bytes: sync may be confirmed by fewer packets. */
    private boolean ended;
    /** Packet size of the byte feed: 188, 192 (M2TS) or 204, 0 before it is found. */
    private int packetSize;

    public TsAnalyzer() {
        this(DEFAULT_PID_TIMEOUT_NANOS);
    }

    /** An analyzer raising PID_error when a PID listed in a PMT is absent for {@code pidTimeoutNanos}. */
    public TsAnalyzer(long pidTimeoutNanos) {
        if (pidTimeoutNanos <= 0) {
            throw new IllegalArgumentException("PID timeout " + pidTimeoutNanos + " ns (expected: > 0)");
        }
        this.pidTimeoutNanos = pidTimeoutNanos;
        this.psi = new PsiTracker(this::onSection);
        psi.onChange(this::onTablesChanged);
        for (Indicator i : Indicator.values()) {
            errors.put(i, new Occurrences());
        }
        Arrays.fill(lastPcr, -1);
        Arrays.fill(lastSeen, -1);
        Arrays.fill(lastPmt, -1);
        Arrays.fill(esPcrPid, -1);
        Arrays.fill(timingMin, Long.MAX_VALUE);
        Arrays.fill(timingMax, Long.MIN_VALUE);
    }

    /**
     * Analyses one packet.
     *
     * @param arrivalNanos when it arrived ({@link System#nanoTime()} or any monotonic clock), or -1 for a file
     */
    public void accept(TsPacket p, long arrivalNanos) {
        Objects.requireNonNull(p, "p must not be null (a TS packet)");
        if (!p.hasSyncByte()) {
            badSync();
            return;
        }
        goodSync();
        analyse(p, arrivalNanos);
    }

    /**
     * Analyses raw bytes: a file read in chunks, or the payload of a datagram. Packet size (188 or 204) and sync are
     * found from five sync bytes in a row; afterwards every packet position is checked (Sync_byte_error) and sync is
     * declared lost after two bad ones (TS_sync_loss) and searched again.
     *
     * @param arrivalNanos when these bytes arrived, or -1
     */
    public void acceptBytes(byte[] b, int offset, int length, long arrivalNanos) {
        Objects.requireNonNull(b, "b must not be null");
        lastArrivalNanos = arrivalNanos;
        int i = offset;
        int end = offset + length;
        while (i < end) {
            int take = Math.min(end - i, pending.length - pendingLength);
            System.arraycopy(b, i, pending, pendingLength, take);
            pendingLength += take;
            i += take;
            int used = consume(pending, 0, pendingLength, arrivalNanos);
            System.arraycopy(pending, used, pending, 0, pendingLength - used);
            pendingLength -= used;
            pendingStart += used;
        }
    }

    /**
     * Processes whole packets from {@code b}, which is {@link #pending} from {@code offset} 0; returns how many bytes
     * were used.
     */
    private int consume(byte[] b, int offset, int length, long arrival) {
        int i = offset;
        int end = offset + length;
        while (true) {
            if (packetSize == 0 || !inSync) {
                int found = findSync(b, i, end);
                if (found < 0) {
                    int keep = Math.min(end - i, (SYNC_GOOD) * TsPacket.SIZE_WITH_PARITY);
                    int drop = Math.max(0, end - i - keep);
                    followLossRun(i + drop, -1);
                    bytesSkipped += drop;
                    return i + drop - offset;
                }
                followLossRun(found, found);
                // the timestamp before the first packet of a 192-byte (M2TS) stream is not garbage
                boolean prefix = packets == 0 && bytesSkipped == 0 && packetSize == TsPacket.SIZE_M2TS
                        && found - i == M2TS_PREFIX;
                bytesSkipped += prefix ? 0 : found - i;
                i = found;
                if (packetSize != 0 && !inSync) {
                    inSync = true;
                    badRun = 0;
                }
            }
            if (end - i < packetSize) {
                if (ended && end - i >= TsPacket.SIZE && b[i] == TsPacket.SYNC_BYTE) {
                    // the last packet of a 192-byte stream (its timestamp came before it), or of a 204-byte stream
                    // that lost its parity: the packet itself is whole
                    goodSync();
                    analyse(view.wrap(b, i), arrival);
                    return end - offset;
                }
                return i - offset;
            }
            if (b[i] != TsPacket.SYNC_BYTE) {
                badSync();
                i += packetSize;
                if (!inSync) {
                    // sync lost here: the places from the next one on are followed while their bytes are skipped
                    lossNextPlace = pendingStart + i;
                    lossSkipStart = lossNextPlace;
                }
                continue;
            }
            goodSync();
            analyse(view.wrap(b, i), arrival);
            i += packetSize;
        }
    }

    /**
     * Finds five sync bytes in a row (learning the packet size the first time), or fewer where the input ended
     * before there was room for five; -1 if not in b[from..end).
     */
    private int findSync(byte[] b, int from, int end) {
        List<Integer> sizes = packetSize == 0 ? TsPacket.STREAM_SIZES : List.of(packetSize);
        for (int i = from; i < end; i++) {
            if (b[i] != TsPacket.SYNC_BYTE) {
                continue;
            }
            for (int size : sizes) {
                int confirm = ended ? Math.min(SYNC_GOOD, (end - i - 1) / size + 1) : SYNC_GOOD;
                if (i + (confirm - 1) * size >= end || !syncsAt(b, i, confirm, size)) {
                    continue;
                }
                packetSize = size;
                if (size == TsPacket.SIZE_M2TS && i + M2TS_PREFIX + (confirm - 1) * size < end
                        && syncsAt(b, i + M2TS_PREFIX, confirm, size)) {
                    // a timestamp that begins with 0x47: the packets are the sync bytes 4 bytes on
                    return i + M2TS_PREFIX;
                }
                return i;
            }
            if (i + (SYNC_GOOD - 1) * TsPacket.SIZE >= end) {
                return -1;
            }
        }
        return -1;
    }

    private static boolean syncsAt(byte[] b, int i, int count, int size) {
        for (int k = 0; k < count; k++) {
            if (b[i + k * size] != TsPacket.SYNC_BYTE) {
                return false;
            }
        }
        return true;
    }

    /**
     * The byte feed ended: analyses what is left that holds whole packets, confirming sync with as many packets as
     * remain (a stream shorter than five packets), and counts the rest as skipped. Call once, before {@link #report()};
     * bytes fed after it are analysed as before.
     */
    public void endOfInput() {
        ended = true;
        int used = consume(pending, 0, pendingLength, lastArrivalNanos);
        int rest = pendingLength - used;
        if (rest > 0 && rest < TsPacket.SIZE && packetSize != 0 && inSync && pending[used] == TsPacket.SYNC_BYTE) {
            // a file cut off while it was written or copied: said as such, not as garbage skipped looking for sync
            truncatedLastPacket = rest;
        } else {
            followLossRun(pendingLength, -1);
            bytesSkipped += rest;
        }
        if (lossRunOpen) {
            endLossRun(lossRunText(", to the end of the input"));
        }
        pendingStart += pendingLength;
        pendingLength = 0;
        ended = false;
    }

    private void badSync() {
        if (!inSync) {
            if (lossRunOpen && goodRun == 0) {
                lossRun++; // a packet fed after the loss with a bad sync byte: the run goes on
            }
            return;
        }
        raise(Indicator.SYNC_BYTE_ERROR, "sync byte is not 0x47");
        goodRun = 0;
        if (++badRun >= SYNC_BAD) {
            inSync = false;
            raise(Indicator.TS_SYNC_LOSS, SYNC_BAD + " bad sync bytes in a row");
            lossRunOpen = true;
            lossRun = SYNC_BAD;
            lossNextPlace = -1;
        }
    }

    /**
     * Follows the run of bad sync bytes that lost sync over the packet places in {@code pending[..upTo)}, bytes
     * skipped looking for sync: it goes on at each place with a bad sync byte and ends at one with a good one, or
     * where sync is found again ({@code found}, -1 when it is not in these bytes). Sync found at none of the places
     * (bytes were lost or added) ends it with the two that lost sync, the rest of it not known.
     */
    private void followLossRun(int upTo, int found) {
        if (!lossRunOpen || lossNextPlace < 0) {
            return;
        }
        while (lossNextPlace < pendingStart + upTo) {
            if (pending[(int) (lossNextPlace - pendingStart)] == TsPacket.SYNC_BYTE) {
                endLossRun(lossRunText(""));
                return;
            }
            lossRun++;
            lossNextPlace += packetSize;
        }
        if (found < 0) {
            return;
        }
        if (lossNextPlace == pendingStart + found) {
            endLossRun(lossRunText(""));
        } else {
            endLossRun(SYNC_BAD + " bad sync bytes in a row; sync was found again off the packets' old places, "
                    + (pendingStart + found - lossSkipStart) + " bytes on (bytes lost or added), those bytes skipped");
        }
    }

    /** The run of bad sync bytes that lost sync as its loss's detail says it, {@code end} after its length. */
    private String lossRunText(String end) {
        String run = lossRun + " bad sync bytes in a row" + end;
        if (lossRun <= SYNC_BAD) {
            return run;
        }
        return run + " (sync was lost at the 2nd; the " + (lossRun - SYNC_BAD) + " packets after it were "
                + (lossNextPlace >= 0 ? "skipped looking for sync, in the bytes skipped)" : "not analysed)");
    }

    /** The run of bad sync bytes that lost sync has ended: the loss's detail says {@code detail}. */
    private void endLossRun(String detail) {
        errors.get(Indicator.TS_SYNC_LOSS).amendLast(detail);
        lossRunOpen = false;
        lossNextPlace = -1;
    }

    private void goodSync() {
        if (lossRunOpen && lossNextPlace < 0) {
            endLossRun(lossRunText("")); // a packet fed after the loss with a good sync byte ends the run
        }
        badRun = 0;
        if (!inSync && ++goodRun >= SYNC_GOOD) {
            inSync = true;
            goodRun = 0;
        }
    }

    private void analyse(TsPacket p, long arrival) {
        long n = packets++;
        if (arrival >= 0 && firstArrival < 0) {
            firstArrival = arrival;
        }
        if (arrival >= 0 && arrival == firstArrival) {
            originPackets = n + 1;
        }
        now = clock(n, arrival);
        int pid = p.pid();
        if (p.transportError()) {
            raise(Indicator.TRANSPORT_ERROR, "PID " + pidName(pid) + " (as its header says): transport_error_indicator "
                    + "set, the packet was corrupted on its way");
        }
        pidPackets[pid]++;
        if (p.adaptationFieldControl() == 0) {
            // Reserved: a decoder discards the packet (ISO/IEC 13818-1 2.4.3.3), so it neither carries data nor counts
            // as the PID being present, and the continuity counter of the next packet is checked against the one before.
            pidReservedAfc[pid]++;
            reservedAfc.add(now, n, "PID " + pidName(pid) + ": adaptation_field_control '00' (reserved), packet "
                    + "discarded");
        } else {
            accepted(p, pid, n, arrival);
        }
        if (hasClock()) {
            timeouts(n);
        }
    }

    /** The checks of a packet a decoder would accept (adaptation_field_control '01', '10' or '11'). */
    private void accepted(TsPacket p, int pid, long n, long arrival) {
        if (lastSeen[pid] >= 0) {
            lastSeen[pid] = now;
        }
        boolean scrambled = p.scramblingControl() != 0;
        if (scrambled) {
            pidScrambled[pid] = true;
            if (pid == Pat.PID) {
                raise(Indicator.PAT_ERROR_2, "PID 0 is scrambled");
            } else if (lastPmt[pid] >= 0) {
                raise(Indicator.PMT_ERROR_2, "PMT PID " + pidName(pid) + " is scrambled");
            }
        }
        if (pid != TsPacket.NULL_PID) {
            continuity(p, pid);
        }
        if (p.hasPcr()) {
            pcr(p, pid, n, arrival);
        }
        if (!scrambled && p.payloadUnitStart() && esPcrPid[pid] >= 0) {
            decodeTime(p, pid, n);
        }
        psi.accept(p);
        long crc = psi.crcErrors();
        if (crc != crcSeen) {
            crcSeen = crc;
            raise(Indicator.CRC_ERROR, "PSI section on PID " + pidName(pid) + " failed its CRC_32");
        }
    }

    /**
     * Measures the decode time (DTS, or PTS without one) of a PES that starts in this packet against the PCR of its
     * program at this packet, extrapolated from the last PCR at the PCR PID's rate; nothing before that rate is known
     * (two PCRs in a row without a jump).
     */
    private void decodeTime(TsPacket p, int pid, long n) {
        int pcrPid = esPcrPid[pid];
        double rate = pcrRate[pcrPid];
        if (lastPcr[pcrPid] < 0 || rate <= 0 || !p.hasPayload()) {
            return;
        }
        long decode = PesHeader.decodeTime(p.array(), p.offset() + p.payloadOffset(), p.offset() + TsPacket.SIZE);
        if (decode < 0) {
            return;
        }
        long pcrNow = Math.floorMod(lastPcr[pcrPid] + Math.round((n - lastPcrPacket[pcrPid]) * rate), Pcr.WRAP);
        long ahead = Pcr.ptsDelta(pcrNow / 300, decode);
        timingPes[pid]++;
        timingMin[pid] = Math.min(timingMin[pid], ahead);
        timingMax[pid] = Math.max(timingMax[pid], ahead);
        boolean late = ahead < 0;
        boolean early = ahead > MAX_DECODE_DELAY_90K;
        if (late) {
            timingLate[pid]++;
        } else if (early) {
            timingEarly[pid]++;
        }
        if (pcrStepTicks[pcrPid] != 0) {
            long unstepped = Pcr.ptsDelta(Math.floorMod(pcrNow - pcrStepTicks[pcrPid], Pcr.WRAP) / 300, decode);
            boolean onTimeUnstepped = unstepped >= 0 && unstepped <= MAX_DECODE_DELAY_90K;
            if (!late && !early && !onTimeUnstepped) {
                pcrStepTicks[pcrPid] = 0; // the timestamps stepped too: what is off from now on is off as measured
            } else if (late && onTimeUnstepped) {
                timingLateFromStep[pid]++;
            } else if (early && onTimeUnstepped) {
                timingEarlyFromStep[pid]++;
            }
        }
    }

    /**
     * Adds to {@link #pcrStepTicks} a step of PID {@code pid}'s PCR to {@code pcr} at packet {@code n}: that less
     * where the PCR would have been at its last steady rate, from {@code last} at packet {@code lastN}. Without a rate
     * known yet nothing is added: where the PCR would have been is not known.
     */
    private void pcrStepped(int pid, long last, long lastN, long pcr, long n) {
        if (steadyRate[pid] > 0) {
            long expected = Pcr.add(last, Math.round((n - lastN) * steadyRate[pid]));
            pcrStepTicks[pid] = Math.floorMod(pcrStepTicks[pid] + Pcr.delta(expected, pcr), Pcr.WRAP);
        }
    }

    private void continuity(TsPacket p, int pid) {
        int cc = p.continuityCounter();
        ContinuityCheck.Outcome outcome = continuity.check(pid, cc, p.hasPayload(), p.discontinuityIndicator());
        int last = continuity.previous();
        switch (outcome) {
            case STARTS, IN_ORDER -> { }
            case CHANGED_WITHOUT_PAYLOAD -> ccError(pid, "PID " + pidName(pid) + ": continuity counter " + cc
                    + " on a packet without payload (expected: " + last + ", unchanged)");
            case REPEATED -> ccError(pid, "PID " + pidName(pid) + ": packet with continuity counter " + cc
                    + " repeated more than once");
            case GAP -> {
                int expected = (last + 1) & 0xF;
                ccError(pid, "PID " + pidName(pid) + ": continuity counter " + cc + " (expected: " + expected + "; "
                        + ((cc - expected) & 0xF) + " packet(s) lost or out of order)");
            }
        }
    }

    private void ccError(int pid, String detail) {
        pidCcErrors[pid]++;
        raise(Indicator.CONTINUITY_COUNT_ERROR, detail);
    }

    private void pcr(TsPacket p, int pid, long n, long arrival) {
        long pcr = p.pcr();
        pidHasPcr[pid] = true;
        if (refPid < 0) {
            Pmt pmt = psi.firstPmt();
            refPid = pmt != null && pmt.pcrPid() != TsPacket.NULL_PID ? pmt.pcrPid() : pid;
        }
        PcrStats stats = pcrStats[pid];
        if (stats == null) {
            stats = new PcrStats();
            pcrStats[pid] = stats;
        }
        long last = lastPcr[pid];
        long lastN = lastPcrPacket[pid];
        double rate = pcrRate[pid];
        lastPcr[pid] = pcr;
        lastPcrPacket[pid] = n;
        boolean continuous = false;
        long d = 0;
        if (last < 0) {
            stats.restartRun(pcr, n);
        } else {
            if (p.discontinuityIndicator()) {
                pcrStepped(pid, last, lastN, pcr, n);
                pcrRate[pid] = 0;
                stats.restartRun(pcr, n);
            } else {
                d = Pcr.delta(last, pcr);
                if (d <= 0 || d > PCR_DISCONTINUITY_TICKS) {
                    raise(Indicator.PCR_DISCONTINUITY_INDICATOR_ERROR, String.format(Locale.ROOT,
                            "PID %s: PCR stepped %+.3f ms (expected: 0..100 ms, or discontinuity_indicator set)",
                            pidName(pid), d / 27_000.0));
                    stats.restartRun(pcr, n);
                    if (sparse(pid, d, n - lastN)) {
                        // PCRs too far apart, not a clock that jumped: the time passed, and the clock counts it
                        raise(Indicator.PCR_REPETITION_ERROR, String.format(Locale.ROOT,
                                "PID %s: %.3f ms between PCRs (expected: <= 40 ms)", pidName(pid), d / 27_000.0));
                        continuous = true;
                        pcrRate[pid] = (double) d / (n - lastN);
                        steadyRate[pid] = pcrRate[pid];
                    } else {
                        pcrStepped(pid, last, lastN, pcr, n);
                        pcrRate[pid] = 0;
                    }
                } else {
                    continuous = true;
                    if (d > PCR_REPETITION_TICKS) {
                        raise(Indicator.PCR_REPETITION_ERROR, String.format(Locale.ROOT,
                                "PID %s: %.3f ms between PCRs (expected: <= 40 ms)", pidName(pid), d / 27_000.0));
                    }
                    stats.continueRun(pcr, n, d, n - lastN);
                    accuracy(pid, stats);
                    pcrRate[pid] = (double) d / (n - lastN);
                    steadyRate[pid] = pcrRate[pid];
                }
            }
        }
        // Every PCR PID keeps its statistics, so those of the first program's PCR_PID are whole when its PMT comes after
        // PCRs (of its own PID or another's) and makes it the reference.
        stats.count++;
        if (continuous) {
            stats.ticks += d;
            stats.maxIntervalTicks = Math.max(stats.maxIntervalTicks, d);
        } else if (last >= 0 && rate > 0) {
            stats.ticks += Math.round((n - lastN) * rate);
        }
        if (arrival >= 0) {
            stats.arrival(arrival - firstArrival);
        }
        // Until the reference has a PCR, the first PID that has one is the clock: a PMT may name a PCR_PID that carries
        // none (a broken multiplex), and the stream is still timed, its tables' timeouts checked.
        if (pid == refPid && clockPid != pid || clockPid < 0 && pcrStats[refPid] == null) {
            if (clockPid < 0 && firstArrival < 0) {
                // The first PCR of the clock is stream time 0: the packets up to it take no time on the clock.
                originPackets = n + 1;
            }
            // The clock moves to the reference, carrying stream time on from where the previous clock PID had it.
            clockOffsetNanos = now - Pcr.toNanos(stats.ticks);
            clockPid = pid;
        }
    }

    /**
     * Whether a forward PCR step over 100 ms is one of PCRs sent too seldom rather than a jump of the clock: no more than
     * a second (as the pacer and the looper take it), and, once the PID's rate is known, about what the packets since
     * the last PCR took at that rate (half to twice it). A stream whose PCRs are all that far apart has no rate to
     * compare with, and is taken at its PCRs' word, as the pacer takes it.
     */
    private boolean sparse(int pid, long d, long packets) {
        if (d <= 0 || d > SPARSE_PCR_MAX_TICKS) {
            return false;
        }
        double expected = packets * steadyRate[pid];
        return steadyRate[pid] <= 0 || d >= expected / 2 && d <= expected * 2;
    }

    /**
     * PCR_AC (TR 101 290 2.4): whether the PCR before last, {@code c} of the run's last five {@code a b c d e}, lies
     * where the transport rate between its neighbours {@code b} and {@code d} puts it, within
     * {@link #PCR_ACCURACY_NANOS}. ISO/IEC 13818-1 2.4.2.2 defines the rate between two PCRs by them, and a
     * variable-rate stream's changes at every PCR (a file multiplexed without a mux rate: the bytes of each picture
     * between two PCRs), which no PCR can be judged against; so a PCR is judged only where the stream runs at one rate
     * around it: the intervals before {@code b} and after {@code d} agree within the same 500 ns, and most of the last
     * {@link PcrStats#RATE_WINDOW} intervals hold one rate ({@link PcrStats#constantRate()}). A run starts again at a
     * discontinuity, flagged or not, so no PCR is judged across one. An error is told when {@code e} comes, two PCRs
     * after the one judged; the PCR after one in error is not judged, so one event (a misplaced PCR, a lost packet) is
     * one error.
     */
    private void accuracy(int pid, PcrStats s) {
        if (s.run < PcrStats.RUN) {
            return;
        }
        if (s.skipNext) {
            s.skipNext = false;
            return;
        }
        long[] v = s.runPcr;
        long[] at = s.runAt;
        double before = (double) Pcr.delta(v[0], v[1]) / (at[1] - at[0]);
        if (Math.abs(Pcr.delta(v[3], v[4]) - before * (at[4] - at[3])) > ACCURACY_TICKS || !s.constantRate()) {
            return;
        }
        double local = (double) Pcr.delta(v[1], v[3]) / (at[3] - at[1]);
        double off = Pcr.delta(v[1], v[2]) - (at[2] - at[1]) * local;
        long offNanos = Math.round(off * 1000.0 / 27.0);
        s.accuracyJudged++;
        s.maxAccuracyNanos = Math.max(s.maxAccuracyNanos, Math.abs(offNanos));
        if (Math.abs(offNanos) > PCR_ACCURACY_NANOS) {
            raise(Indicator.PCR_ACCURACY_ERROR, String.format(Locale.ROOT,
                    "PID %s: PCR off by %+d ns from the transport rate between the PCRs either side (expected: within"
                            + " 500 ns)", pidName(pid), offNanos));
            s.skipNext = true;
        }
    }

    /** {@link #PCR_ACCURACY_NANOS} in 27 MHz ticks. */
    private static final double ACCURACY_TICKS = PCR_ACCURACY_NANOS * 27.0 / 1000;

    private boolean hasClock() {
        return firstArrival >= 0 || clockPid >= 0;
    }

    private long clock(long n, long arrival) {
        if (arrival >= 0) {
            return arrival - firstArrival;
        }
        if (clockPid < 0) {
            return 0;
        }
        return clockOffsetNanos + Pcr.toNanos(pcrStats[clockPid].ticks
                + Math.round((n - lastPcrPacket[clockPid]) * pcrRate[clockPid]));
    }

    private void timeouts(long n) {
        if (now - lastPat > PSI_INTERVAL_NANOS) {
            raise(Indicator.PAT_ERROR_2, String.format(Locale.ROOT,
                    "no PAT for %.0f ms (expected: one at least every 500 ms)",
                    (now - lastPat) / 1e6));
            lastPat = now;
        }
        if (lastSdt >= 0 && now - lastSdt > SDT_INTERVAL_NANOS) {
            raise(Indicator.SDT_ACTUAL_ERROR, String.format(Locale.ROOT,
                    "no SDT for %.0f ms (expected: one at least every 2 s)",
                    (now - lastSdt) / 1e6));
            lastSdt = now;
        }
        for (int pid : pmtPids) {
            if (now - lastPmt[pid] > PSI_INTERVAL_NANOS) {
                raise(Indicator.PMT_ERROR_2, String.format(Locale.ROOT,
                        "no PMT on PID %s for %.0f ms (expected: one at least "
                        + "every 500 ms)", pidName(pid), (now - lastPmt[pid]) / 1e6));
                lastPmt[pid] = now;
                for (SharedPmt program : sharedPmts.values()) {
                    if (program.pid == pid) {
                        program.lastSeen = now; // said for the whole PID: not again for each of its programs
                    }
                }
            }
        }
        for (Map.Entry<Integer, SharedPmt> e : sharedPmts.entrySet()) {
            SharedPmt program = e.getValue();
            // Only once the PID has carried another PMT after this program's was due: a PID gone silent altogether
            // is the PID's error above, said once.
            if (lastPmt[program.pid] - program.lastSeen > PSI_INTERVAL_NANOS) {
                raise(Indicator.PMT_ERROR_2, String.format(Locale.ROOT,
                        "no PMT of program %d on PID %s for %.0f ms, though the PID"
                        + " carries other programs' PMTs (expected: each program's at least every 500 ms)",
                        e.getKey(), pidName(program.pid), (now - program.lastSeen) / 1e6));
                program.lastSeen = now;
            }
        }
        if ((n & 0xFF) == 0) {
            for (int pid : esPids) {
                if (now - lastSeen[pid] > pidTimeoutNanos) {
                    raise(Indicator.PID_ERROR, String.format(Locale.ROOT,
                            "PID %s listed in the PMT not seen for %.1f s "
                            + "(expected: within %.1f s)", pidName(pid), (now - lastSeen[pid]) / 1e9,
                            pidTimeoutNanos / 1e9));
                    lastSeen[pid] = now;
                }
            }
        }
    }

    private void onSection(int pid, byte[] s, int length) {
        int tableId = s[0] & 0xFF;
        if (pid == Pat.PID) {
            if (tableId == Pat.TABLE_ID) {
                lastPat = now;
            } else {
                raise(Indicator.PAT_ERROR_2, String.format(Locale.ROOT,
                        "table_id 0x%02X on PID 0 (expected: 0x00)", tableId));
            }
        } else if (pid == Sdt.PID) {
            switch (tableId) {
                case SDT_ACTUAL_TABLE_ID -> lastSdt = now;
                case 0x46, 0x4A, 0x72 -> { } // the SDT of another transport stream, a BAT, stuffing
                default -> raise(Indicator.SDT_ACTUAL_ERROR, String.format(Locale.ROOT,
                        "table_id 0x%02X on PID 0x0011 (expected:"
                        + " 0x42 SDT, 0x46 SDT of another stream, 0x4A BAT or 0x72 stuffing)", tableId));
            }
        } else if (tableId == Pmt.TABLE_ID && lastPmt[pid] >= 0) {
            lastPmt[pid] = now;
            if (length >= 5) {
                SharedPmt program = sharedPmts.get(((s[3] & 0xFF) << 8) | (s[4] & 0xFF));
                if (program != null && program.pid == pid) {
                    program.lastSeen = now;
                }
            }
        }
    }

    private void onTablesChanged() {
        Pat pat = psi.pat();
        if (pat == null) {
            return;
        }
        List<Integer> pmts = new ArrayList<>();
        for (Pat.Program program : pat.programs()) {
            pmts.add(program.pmtPid());
            if (lastPmt[program.pmtPid()] < 0) {
                lastPmt[program.pmtPid()] = now;
            }
        }
        pmtPids = pmts.stream().mapToInt(Integer::intValue).distinct().toArray();
        Map<Integer, SharedPmt> shared = new java.util.HashMap<>();
        for (Pat.Program program : pat.programs()) {
            if (java.util.Collections.frequency(pmts, program.pmtPid()) > 1) {
                SharedPmt before = sharedPmts.get(program.programNumber());
                shared.put(program.programNumber(), before != null && before.pid == program.pmtPid() ? before
                        : new SharedPmt(program.pmtPid(), now));
            }
        }
        sharedPmts.clear();
        sharedPmts.putAll(shared);
        List<Integer> es = new ArrayList<>();
        Arrays.fill(esPcrPid, -1);
        for (Pmt pmt : psi.pmts().values()) {
            for (Pmt.Stream s : pmt.streams()) {
                es.add(s.pid());
                if (pmt.pcrPid() != TsPacket.NULL_PID) {
                    esPcrPid[s.pid()] = pmt.pcrPid();
                }
                if (lastSeen[s.pid()] < 0) {
                    lastSeen[s.pid()] = now;
                }
            }
        }
        esPids = es.stream().mapToInt(Integer::intValue).distinct().toArray();
        Pmt first = psi.firstPmt();
        if (refPid >= 0 && first != null && first.pcrPid() != TsPacket.NULL_PID) {
            // A PCR came before the PMT, perhaps on another program's PID: the reference is the PMT's PCR_PID.
            refPid = first.pcrPid();
        }
    }

    private void raise(Indicator i, String detail) {
        errors.get(i).add(now, packets - 1, detail);
    }

    private static String pidName(int pid) {
        return String.format(Locale.ROOT, "0x%04X", pid);
    }

    /** Stream time of the last packet analysed, in nanoseconds from the start (0 without a clock). */
    public long streamTimeNanos() {
        return now;
    }

    /** Packets analysed so far. */
    public long packets() {
        return packets;
    }

    /** The PSI found so far. */
    public PsiTracker psi() {
        return psi;
    }

    /** A snapshot of everything found so far. */
    public AnalysisReport report() {
        long duration = packets == 0 ? 0 : clock(packets - 1, -1);
        if (firstArrival >= 0) {
            duration = now;
        }
        double seconds = duration / 1e9;
        // The duration runs from the clock's origin to the last packet: from the first arrival to the last (an arrival
        // time is stamped once a datagram is in, so it marks the end of that datagram's bytes), or from the packet of
        // the first PCR to the last packet. The bytes that took that time are those after the origin: n datagrams
        // span n - 1 intervals, and counting the first datagram's bytes too reads high by one datagram (140 packets
        // in 20 datagrams 2 ms apart: 5.54 Mbit/s for 5.26). On the PCR clock this is the transport rate of ISO/IEC
        // 13818-1 2.4.2.2: the bytes after one PCR up to the other over the time between them.
        double bitrate = seconds > 0 ? (packets - originPackets) * TsPacket.SIZE * 8 / seconds : 0;
        Map<Indicator, AnalysisReport.ErrorSummary> summary = new EnumMap<>(Indicator.class);
        errors.forEach((k, v) -> summary.put(k, v.summary()));
        List<AnalysisReport.PidReport> pids = new ArrayList<>();
        for (int pid = 0; pid < PIDS; pid++) {
            if (pidPackets[pid] > 0) {
                // Each PID's share of the packets at the transport rate, so the PID rates add up to it.
                pids.add(new AnalysisReport.PidReport(pid, describe(pid), pidPackets[pid],
                        bitrate * pidPackets[pid] / packets, pidCcErrors[pid], pidHasPcr[pid], pidScrambled[pid],
                        pidReservedAfc[pid]));
            }
        }
        List<AnalysisReport.ServiceReport> services = new ArrayList<>();
        Pat pat = psi.pat();
        if (pat != null) {
            Sdt sdt = psi.sdt();
            for (Pat.Program program : pat.programs()) {
                String name = "";
                String provider = "";
                if (sdt != null) {
                    for (Sdt.Service s : sdt.services()) {
                        if (s.serviceId() == program.programNumber()) {
                            name = s.serviceName();
                            provider = s.providerName();
                        }
                    }
                }
                Pmt pmt = psi.pmts().get(program.programNumber());
                List<String> streams = new ArrayList<>();
                if (pmt != null) {
                    for (Pmt.Stream s : pmt.streams()) {
                        String lang = s.descriptors().stream().map(d -> d.language()).filter(l -> l != null)
                                .findFirst().map(l -> " [" + l + "]").orElse("");
                        streams.add(pidName(s.pid()) + " " + s.typeName() + lang);
                    }
                }
                services.add(new AnalysisReport.ServiceReport(program.programNumber(), name, provider,
                        program.pmtPid(), pmt == null ? -1 : pmt.pcrPid(), streams));
            }
        }
        List<AnalysisReport.PcrReport> pcrs = new ArrayList<>();
        if (refPid >= 0) {
            pcrs.add(pcrReport(refPid));
        }
        for (int pid = 0; pid < PIDS; pid++) {
            if (pid != refPid && pcrStats[pid] != null) {
                pcrs.add(pcrReport(pid));
            }
        }
        List<AnalysisReport.TimingReport> timing = new ArrayList<>();
        for (int pid = 0; pid < PIDS; pid++) {
            if (timingPes[pid] > 0) {
                timing.add(new AnalysisReport.TimingReport(pid, describe(pid), timingPes[pid],
                        timingMin[pid] * 100_000 / 9, timingMax[pid] * 100_000 / 9, timingLate[pid],
                        timingEarly[pid], timingLateFromStep[pid], timingEarlyFromStep[pid]));
            }
        }
        return new AnalysisReport(packets, duration, bitrate, summary, pids, services, pcrs, bytesSkipped,
                truncatedLastPacket, reservedAfc.summary(),
                packets == 0 ? 0 : packetSize == 0 ? TsPacket.SIZE : packetSize, timing);
    }

    /** The PCR statistics of one PID, named by the first program whose PMT gives it as PCR_PID. */
    private AnalysisReport.PcrReport pcrReport(int pid) {
        PcrStats stats = pcrStats[pid] == null ? new PcrStats() : pcrStats[pid];
        SendTimeErrors jitter = stats.jitter;
        boolean arrivals = jitter != null && jitter.count() > 0;
        int program = -1;
        Pat pat = psi.pat();
        if (pat != null) {
            for (Pat.Program p : pat.programs()) {
                Pmt pmt = psi.pmts().get(p.programNumber());
                if (program < 0 && pmt != null && pmt.pcrPid() == pid) {
                    program = p.programNumber();
                }
            }
        }
        return new AnalysisReport.PcrReport(pid, program, stats.count, Pcr.toNanos(stats.maxIntervalTicks),
                stats.maxAccuracyNanos, stats.accuracyJudged, arrivals ? jitter.percentileNanos(50) : -1,
                arrivals ? jitter.percentileNanos(99) : -1, arrivals ? jitter.maxNanos() : -1);
    }

    private String describe(int pid) {
        if (pid == Pat.PID) {
            return "PAT";
        }
        if (pid == 0x0001) {
            return "CAT";
        }
        if (pid == Sdt.PID) {
            return "SDT/BAT";
        }
        if (pid == 0x0012) {
            return "EIT";
        }
        if (pid == 0x0014) {
            return "TDT/TOT";
        }
        if (pid == TsPacket.NULL_PID) {
            return "null packets";
        }
        for (Pmt pmt : psi.pmts().values()) {
            for (Pmt.Stream s : pmt.streams()) {
                if (s.pid() == pid) {
                    return s.typeName();
                }
            }
        }
        Pat pat = psi.pat();
        if (pat != null) {
            // Several programs' PMTs may share a PID: name them all.
            List<String> programs = new ArrayList<>();
            for (Pat.Program p : pat.programs()) {
                if (p.pmtPid() == pid) {
                    programs.add(Integer.toString(p.programNumber()));
                }
            }
            if (!programs.isEmpty()) {
                return (programs.size() == 1 ? "PMT (program " : "PMT (programs ") + String.join(", ", programs) + ")";
            }
        }
        for (Pmt pmt : psi.pmts().values()) {
            if (pmt.pcrPid() == pid) {
                return "PCR";
            }
        }
        return "not in any PMT";
    }

    /** PCR statistics of one PID, from its first PCR; owned by the analyzer's thread. */
    /** A program whose PMT PID carries other programs' PMTs too, and when its own PMT section was last seen. */
    private static final class SharedPmt {
        private final int pid;
        private long lastSeen;

        private SharedPmt(int pid, long lastSeen) {
            this.pid = pid;
            this.lastSeen = lastSeen;
        }
    }

    private static final class PcrStats {
        /** PCRs of a run {@link TsAnalyzer#accuracy} judges the middle one of. */
        static final int RUN = 5;
        /** Continuous intervals whose rates tell whether the stream runs at one rate. */
        static final int RATE_WINDOW = 16;
        /** The last PCRs, oldest first, with no discontinuity between them, and the packets they came in. */
        private final long[] runPcr = new long[RUN];
        private final long[] runAt = new long[RUN];
        /** PCRs in {@link #runPcr}. */
        private int run;
        /** The ticks and packets of the last {@link #RATE_WINDOW} intervals of the run, a ring. */
        private final long[] windowTicks = new long[RATE_WINDOW];
        private final long[] windowPackets = new long[RATE_WINDOW];
        /** Intervals in the window, up to {@link #RATE_WINDOW}, and the slot the next goes in. */
        private int windowed;
        private int windowNext;
        /** The window's rates sorted, for their median: kept to allocate nothing per PCR. */
        private final double[] sorted = new double[RATE_WINDOW];
        /** The last PCR judged was in error: the next is not judged (see {@link TsAnalyzer#accuracy}). */
        private boolean skipNext;
        /** PCRs seen. */
        private long count;
        /** Unwrapped time of the last PCR from the first, in ticks (discontinuities bridged at the last rate). */
        private long ticks;
        /** Largest interval between consecutive PCRs, ticks. */
        private long maxIntervalTicks;
        /** Largest PCR accuracy deviation, ns, of the PCRs judged. */
        private long maxAccuracyNanos;
        /** PCRs whose accuracy was judged. */
        private long accuracyJudged;
        /** Smallest arrival-minus-PCR offset seen, ns; the jitter baseline. */
        private long minOffsetNanos = Long.MAX_VALUE;
        /** PCR arrival jitter, made at the first PCR that has an arrival time. */
        private SendTimeErrors jitter;

        /** Starts a new run at this PCR: the first, or one after a discontinuity. */
        void restartRun(long pcr, long n) {
            runPcr[0] = pcr;
            runAt[0] = n;
            run = 1;
            windowed = 0;
            windowNext = 0;
            skipNext = false;
        }

        /** Adds this PCR to the run, {@code ticks} and {@code packets} after the one before it. */
        void continueRun(long pcr, long n, long ticks, long packets) {
            if (run == RUN) {
                System.arraycopy(runPcr, 1, runPcr, 0, RUN - 1);
                System.arraycopy(runAt, 1, runAt, 0, RUN - 1);
                run--;
            }
            runPcr[run] = pcr;
            runAt[run] = n;
            run++;
            windowTicks[windowNext] = ticks;
            windowPackets[windowNext] = packets;
            windowNext = (windowNext + 1) % RATE_WINDOW;
            windowed = Math.min(RATE_WINDOW, windowed + 1);
        }

        /**
         * Whether the stream runs at one rate: the window is full and at least three quarters of its intervals hold
         * their median rate within a microsecond (two PCRs each within 500 ns). A variable-rate stream's intervals
         * differ by at least a packet (hundreds of microseconds at the rates a picture takes); a constant-rate
         * one's only where a PCR is off or a packet was lost.
         */
        boolean constantRate() {
            if (windowed < RATE_WINDOW) {
                return false;
            }
            for (int i = 0; i < RATE_WINDOW; i++) {
                sorted[i] = (double) windowTicks[i] / windowPackets[i];
            }
            Arrays.sort(sorted);
            double median = (sorted[RATE_WINDOW / 2 - 1] + sorted[RATE_WINDOW / 2]) / 2;
            int held = 0;
            for (int i = 0; i < RATE_WINDOW; i++) {
                if (Math.abs(windowTicks[i] - median * windowPackets[i]) <= 2 * ACCURACY_TICKS) {
                    held++;
                }
            }
            return held >= RATE_WINDOW * 3 / 4;
        }

        /** Records the arrival of the last PCR, {@code sinceFirstArrival} ns after the first packet's. */
        void arrival(long sinceFirstArrival) {
            if (jitter == null) {
                jitter = new SendTimeErrors();
            }
            long offset = sinceFirstArrival - Pcr.toNanos(ticks);
            minOffsetNanos = Math.min(minOffsetNanos, offset);
            jitter.record(offset - minOffsetNanos);
        }
    }

    /** Occurrences of one indicator; owned by the analyzer's thread. */
    private static final class Occurrences {
        /** Times raised. */
        private long count;
        /** Stream time of the first and last. */
        private long first = -1;
        private long last = -1;
        /** Packet numbers of the first and last. */
        private long firstPacket = -1;
        private long lastPacket = -1;
        /** What was wrong the last time. */
        private String detail;

        void add(long time, long packet, String what) {
            if (count++ == 0) {
                first = time;
                firstPacket = packet;
            }
            last = time;
            lastPacket = packet;
            detail = what;
        }

        /** The last occurrence, found out more about since it was added, is {@code what}. */
        void amendLast(String what) {
            detail = what;
        }

        AnalysisReport.ErrorSummary summary() {
            return new AnalysisReport.ErrorSummary(count, first, last, firstPacket, lastPacket, detail);
        }
    }
}
