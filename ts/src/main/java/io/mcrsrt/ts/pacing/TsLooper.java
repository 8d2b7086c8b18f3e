package io.mcrsrt.ts.pacing;

import io.mcrsrt.ts.PacketReader;
import io.mcrsrt.ts.PesHeader;
import io.mcrsrt.ts.TsException;
import io.mcrsrt.ts.TsPacket;
import io.mcrsrt.ts.TsSource;
import io.mcrsrt.ts.pcr.Pcr;
import io.mcrsrt.ts.psi.Crc32Mpeg;
import io.mcrsrt.ts.psi.Pat;
import io.mcrsrt.ts.psi.Pmt;
import io.mcrsrt.ts.psi.PsiTracker;
import io.mcrsrt.ts.psi.Sdt;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;
import java.util.stream.IntStream;

/**
 * Plays a transport stream file endlessly (or a set number of times) as one continuous stream: on every pass after the
 * first, PCR, OPCR, PTS and DTS are shifted (wrapping at 33 bits) so that the pass starts where the previous one
 * ended, and continuity counters carry on per PID from where the previous pass ended. PSI is replayed unchanged, so
 * table versions stay stable. SCTE-35 cues get the same shift in their pts_adjustment, a cue split over packets as
 * well ({@link SpliceInfoShifter}). A decoder or a monitor downstream sees no seam.
 *
 * <p>The duration is measured once, from the PCRs of the PCR PID (from the PMT): the PCR rate
 * extended over every packet of the file, or, when an elementary stream plays on after that (audio that ends a frame
 * or two after the PCRs), until it has finished, so that timestamps never go back at the loop point: the pass is then
 * extended by null packets, with a PCR-only packet on the PCR PID at the file's PCR interval and the PAT and PMTs as
 * last sent every {@link #PSI_FILL_INTERVAL_TICKS}. Between a pass's last PCR and the next pass's first, fill or not,
 * the packets go out at the file's rate, a PCR-only packet among them on each program's PCR PID wherever its PCR would
 * otherwise step further than the file's longest interval or 40 ms, and never over 100 ms (a variable-rate file whose
 * first or last picture is large). The discontinuity_indicator of a file's first PCR (one cut out of a longer
 * recording) goes out as it is on the first pass only: the passes after it carry the clock on. A file whose PCR jumps
 * inside it (two recordings joined, a discontinuity flagged or not: a step back, or forward by more than a second)
 * is measured on its continuous stretches only, so its bitrate and playing time come out right; each pass is then
 * shifted by where the file's clock ends against where it starts, the jump inside is played as it is, and the seam
 * between passes stays continuous; the pacer times the packets across the jump at the rate measured
 * ({@link #jumpTicksPerPacket()}), so that each pass lasts its playing time.
 *
 * <p>A file is measured as a whole, which for a recording of many gigabytes takes as long as reading it. So that it
 * starts at once, {@link #open} measures only its first {@link #PROBE_BYTES} (its bitrate, {@link #bitsPerSecond()},
 * comes from them) and a background thread ({@code ts-scan-NAME}) measures the whole file while the first pass plays;
 * the first loop point waits for that measurement only if it has not finished by then (a file read more slowly than
 * it plays). A file played once is not measured beyond its first bytes, unless {@link #durationTicks()} or
 * {@link #packetsPerPass()} is asked for, which then reads it all.
 *
 * <p>A file changed on disk while it plays (written over in place, or replaced by another under its name) is taken up
 * at the next loop point: its new content plays from its start, measured afresh, the program clock carried on from
 * the last PCR sent, the first PCR of each PCR PID flagged as a discontinuity (its content is another recording) and
 * continuity counters carried on as at any seam, a PAT, PMT or SDT (of the actual transport stream) that changed under
 * the version_number of the one it replaces sent as the next version ({@link TableVersions}); {@link #takeChange()}
 * says so once. The new content's first {@link #CHANGE_PROBE_BYTES} are measured on a thread of their own
 * ({@code ts-change-NAME}), from the first look that finds the change (a replacement's, in the middle of the pass
 * before), so that slow storage does not hold up the thread that paces the stream: until they have been, the fill of
 * null packets, PCRs and tables goes out, as it does for content that cannot be played yet (a copy under way,
 * garbage), for at most {@link #CHANGE_WAIT_TICKS} in all. A file replaced by another that cannot be played leaves the
 * one opened playing on, after the fill if its measurement was waited for. Only a change before the first PCR was
 * sent, with nothing to time a fill by, is measured while the stream waits.
 *
 * <p>Not thread-safe: a looper belongs to the thread that paces the stream.
 */
public final class TsLooper implements TsSource {
    /** How much of a file {@link #open} reads before it returns: 32 MiB, half a minute at 8 Mbit/s. */
    public static final long PROBE_BYTES = 32L << 20;

    private final Path file;
    /** Reads the file, rewound at the end of each pass; opened again when the file changes on disk. */
    private PacketReader reader;
    /** Passes to play; 0 for endless. */
    private final long passes;
    /** What the first {@link #PROBE_BYTES} say: the whole file when it is no longer. */
    private Scan probe;
    /** The background measurement of the whole file, under way or done; null when there is none. */
    private CompletableFuture<Scan> whole;
    /** Tells the background measurement to stop: the looper was closed, or the file changed and is measured anew. */
    private AtomicBoolean stopMeasuring = new AtomicBoolean();
    /** How far the background measurement under way has got, published by its thread; see {@link Progress}. */
    private AtomicReference<Progress> progress = new AtomicReference<>(Progress.NONE);
    /** Run on the background measurement's thread each time it publishes {@link #progress}: for tests of slow storage. */
    private final LongConsumer measuredSoFar;
    /** The file as last opened, or null if it could not be told: a change on disk is a change of this. */
    private FileState opened;
    /** A change found unplayable in a file replaced by another: not tried again until the file changes once more. */
    private FileState refused;
    /** The change last read and found unplayable during a wait: not read again until it changes once more. */
    private FileState tried;
    /** Packets read since the file on disk was last looked at in the middle of a pass. */
    private long packetsSinceLook;
    /** The file as last looked at while it differed from the one opened, and since when it has looked so. */
    private FileState lastSeen;
    private long lastSeenNanos;
    /** What {@link #takeChange()} has to say, or null. */
    private String change;
    /** Fill packets still to send while a changed file is not playable yet, or 0; see {@link #CHANGE_WAIT_TICKS}. */
    private long changeWaitLeft;
    /** Why the changed file did not play at the last try, while {@link #changeWaitLeft} runs. */
    private String changeWaitReason;
    /** Whether {@link #takeChange()} has been given the wait under way: one for a measurement alone is not told. */
    private boolean waitAnnounced;
    /** The file opened has been written over in place since: its content is gone, a replacement is waited for too. */
    private boolean openedOverwritten;
    /** The measurement of the file as changed on disk, under way or done, until it is taken up or refused; or null. */
    private Measuring measuring;
    /** Run on a changed file's measuring thread before it reads: what a test makes slow storage with. */
    private Runnable beforeMeasuring = () -> {};
    /** How the fill between passes, or while a changed file is waited for, is timed; null while none is due. */
    private FillPlan fill;
    /** The whole file's measurement once taken from {@link #whole}, by the owner thread. */
    private Scan scan;
    /** The shift of the current pass. */
    private long shift27;
    /**
     * Per PID: its next PCR gets discontinuity_indicator, as the first of a pass in a file whose PCR PID changes
     * ({@link Scan#pcrPidChanges}): shifted to keep the program's clock going, it still steps from that PID's last PCR.
     */
    private final boolean[] flagNextPcr = new boolean[TsPacket.MAX_PID + 1];
    /**
     * Per PID: its next PCR is the first of a pass that carries the clock on from the pass before, whose
     * discontinuity_indicator (a file that starts with its first PCR flagged) is cleared: the clock does not break
     * there.
     */
    private final boolean[] continuousNextPcr = new boolean[TsPacket.MAX_PID + 1];
    /** Packets of the current pass read from the file so far: where it is against its first and last PCRs. */
    private long readInPass;
    /**
     * The current pass follows the one before with its clock carried on by the shift: the packets before the first PCR
     * of a PCR PID are timed across the seam, PCR-only packets among them ({@link #writeSeamPcr}).
     */
    private boolean seamHead;
    /** Continuity counter last sent on each PID (after rewriting), or -1. */
    private final int[] lastOutCc = new int[TsPacket.MAX_PID + 1];
    /**
     * Continuity counter of the last packet sent on each PID, with payload or without, or -1: what a PCR-only packet of
     * the fill repeats. A PID that carries only PCRs, in packets without payload, may keep any counter there.
     */
    private final int[] lastSentCc = new int[TsPacket.MAX_PID + 1];
    /** Added to each PID's continuity counter on the current pass. */
    private final int[] ccOffset = new int[TsPacket.MAX_PID + 1];
    /** View used to rewrite packets in the caller's buffer. */
    private final TsPacket view = new TsPacket();
    /** The version_number the PAT and PMTs of a file's new content go out with: see {@link TableVersions}. */
    private final TableVersions versions = new TableVersions();
    /**
     * Whether packets are rewritten (shifted, continuity carried on): from the second pass on, or since the file's new
     * content took over in the first.
     */
    private boolean rewriting;
    /** Per SCTE-35 PID, what shifts its cues' pts_adjustment packet by packet; made at its first cue packet. */
    private final SpliceInfoShifter[] spliceShifters = new SpliceInfoShifter[TsPacket.MAX_PID + 1];
    /** Current pass, from 0. */
    private long pass;
    /** Packets of the longest table the fill replays: a PMT of about 1.4 KB. */
    private static final int MAX_TABLE_PACKETS = 8;
    /** Filler packets still to send before the next pass ({@link Scan#fillerPackets}). */
    private long fillerLeft;
    /** The fill between passes has ended: the next read starts the next pass, or the file's new content. */
    private boolean fillEnded;
    /** Packets sent since the last PCR on the PCR PID, the fill's included: when the fill's next PCR is due. */
    private long packetsSincePcr;
    /**
     * The last PCR of the file sent (shifted), or -1 before one, and packets sent since, fill included: a filler's PCR
     * is timed from it, so that rounding does not add up over a long fill.
     */
    private long lastFilePcr = -1;
    private long packetsSinceFilePcr;
    /** Packets handed out so far, the fill's included: where the PCRs of {@link #otherPcrs} went out. */
    private long sent;
    /** The PCRs of the other programs of a multi-program file, which the fill carries on too. */
    private OtherPcrs otherPcrs;
    /**
     * The packets of the last whole table sent on PID 0 (the PAT) and on each PMT PID, one packet or several (a PMT of
     * many streams and descriptors spans two or more); null until one has been sent. The fill between passes replays
     * them, so a long fill is not a gap in the tables. On PID 0x0011, the last SDT of the actual transport stream, kept
     * only to number the new content's against ({@link TableVersions}): the fill does not replay it.
     */
    private final byte[][] lastPsi = new byte[TsPacket.MAX_PID + 1][];
    /**
     * {@link #lastPsi} as it was when the file was last found unchanged: what the content playing sent. A file written
     * over in place is read at the old content's place until the next look, which may send a table of the new content
     * under the old one's version; the new content's tables are numbered against these ({@link TableVersions}).
     */
    private final byte[][] confirmedPsi = new byte[TsPacket.MAX_PID + 1][];
    /** The packets of a table being sent over several packets, per PID, or null; see {@link #keepTable}. */
    private final byte[][] psiBuilding = new byte[TsPacket.MAX_PID + 1][];
    /** Packets in {@link #psiBuilding} so far, and the section's bytes still to come after them. */
    private final int[] psiBuiltPackets = new int[TsPacket.MAX_PID + 1];
    private final int[] psiBytesToCome = new int[TsPacket.MAX_PID + 1];
    /** Packets sent since the PAT was last sent, by the file or by the fill. */
    private long packetsSincePsi;
    /** Index in {@link Scan#psiPids} of the next table the fill replays, or -1 while none is due. */
    private int psiNext = -1;
    /** The packet of that table the fill replays next. */
    private int psiPart;

    private TsLooper(Path file, PacketReader reader, long passes, Scan probe, FileState opened,
            LongConsumer measuredSoFar) {
        this.file = file;
        this.measuredSoFar = measuredSoFar;
        this.reader = reader;
        this.passes = passes;
        this.probe = probe;
        this.opened = opened;
        this.otherPcrs = new OtherPcrs(probe);
        Arrays.fill(lastOutCc, -1);
        Arrays.fill(lastSentCc, -1);
        if (probe.complete) {
            scan = probe;
        }
        whole = probe.complete || passes == 1 ? null : measureInBackground(stopMeasuring);
    }

    /**
     * Opens {@code file} for looped playback, after reading at most its first {@link #PROBE_BYTES}.
     *
     * @param passes how many times to play the file; 0 plays it endlessly
     * @throws TsException if there are neither PCRs nor PTS to measure the file's duration in what was read
     */
    public static TsLooper open(Path file, long passes) throws IOException {
        Objects.requireNonNull(file, "file must not be null (the TS file to loop)");
        return open(file, passes, PROBE_BYTES);
    }

    /** As {@link #open(Path, long)}, reading at most {@code probeBytes} before it returns. */
    static TsLooper open(Path file, long passes, long probeBytes) throws IOException {
        return open(file, passes, probeBytes, packets -> {});
    }

    /**
     * As {@link #open(Path, long, long)}, {@code measuredSoFar} being run on the thread that measures the whole file
     * each time it publishes how far it has got, with the packets it has read: for tests of slow storage.
     */
    static TsLooper open(Path file, long passes, long probeBytes, LongConsumer measuredSoFar) throws IOException {
        if (passes < 0) {
            throw new IllegalArgumentException("passes " + passes + " (expected: 0 for endless, or more)");
        }
        FileState opened = FileState.of(file);
        Scan probe = Scan.of(file, Math.max(1, probeBytes / TsPacket.SIZE), () -> false, null);
        PacketReader reader = PacketReader.open(file);
        return new TsLooper(file, reader, passes, probe, opened, measuredSoFar);
    }

    /**
     * The playing time of one pass of {@code file} on the 27 MHz clock, as a looper of it measures it
     * ({@link #durationTicks()}): for a file whose PCR jumps inside it (two recordings joined), the time its continuous
     * stretches play, not the span from its first timestamp to its last. Reads the whole file, which for a recording
     * of many gigabytes takes as long as reading it; 0 for a file without a packet.
     *
     * @throws TsException if the file has neither PCRs nor PTS to measure its duration
     */
    public static long playingTimeTicks(Path file) throws IOException {
        Objects.requireNonNull(file, "file must not be null (the TS file to measure)");
        return Scan.of(file, Long.MAX_VALUE, () -> false, null).durationTicks;
    }

    private CompletableFuture<Scan> measureInBackground(AtomicBoolean stop) {
        CompletableFuture<Scan> result = new CompletableFuture<>();
        // a measurement of its own: one stopped (the file changed) publishes nothing the next one is read for
        AtomicReference<Progress> sofar = new AtomicReference<>(Progress.NONE);
        progress = sofar;
        LongConsumer hook = measuredSoFar;
        Thread.ofPlatform().daemon().name("ts-scan-" + file.getFileName()).start(() -> {
            try {
                result.complete(Scan.of(file, Long.MAX_VALUE, stop::get, p -> {
                    sofar.set(p);
                    hook.accept(p.packets());
                }));
            } catch (IOException | RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    /** The whole file's measurement: waits for the background one, or takes it now for a file played once. */
    private Scan scan() throws IOException {
        if (scan == null) {
            scan = whole == null ? Scan.of(file, Long.MAX_VALUE, stopMeasuring::get, null) : awaitWhole();
        }
        return scan;
    }

    private Scan awaitWhole() throws IOException {
        try {
            return whole.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    @Override
    public boolean read(byte[] dst, int offset) throws IOException {
        Objects.requireNonNull(dst, "dst must not be null");
        if (fillerLeft > 0) {
            writeFiller(dst, offset);
            if (--fillerLeft == 0) {
                fill = null;
                fillEnded = true;
            }
            return true;
        }
        if (fillEnded) {
            fillEnded = false;
            // a file changed during the fill: its new content, not the old one's next pass, comes next
            if (takeUpChange(Moment.LOOP_POINT) || changeWaitLeft > 0) {
                return read(dst, offset);
            }
            startNextPass(scan);
        }
        if (changeWaitLeft > 0) {
            // looked at once a PCR interval (a stat of the file, and a measurement only when it changed again), and as
            // soon as a measurement under way has finished
            if ((changeWaitLeft % fill.pcrEveryPackets == 0 || measuring != null && measuring.result().isDone())
                    && takeUpChange(Moment.WAITING)) {
                changeWaitLeft = 0;
                fill = null;
                return read(dst, offset);
            }
            writeFiller(dst, offset);
            if (--changeWaitLeft == 0) {
                throw notPlayableInTime();
            }
            return true;
        }
        if (writeSeamPcr(dst, offset)) {
            return true;
        }
        if (!reader.read(dst, offset)) {
            pass++;
            if (passes > 0 && pass >= passes) {
                return false;
            }
            // Audio of the pass that plays past its last PCR is filled out first, as before any pass: the new content's
            // timestamps then start after it. A change is then taken up at the end of the fill.
            if (!(scan != null && endsWithFill(scan)) && takeUpChange(Moment.LOOP_POINT)) {
                return read(dst, offset);
            }
            if (changeWaitLeft > 0) {
                return read(dst, offset);
            }
            Scan s = scan();
            if (s.packets == 0) {
                return false;
            }
            if (endsWithFill(s)) {
                fillerLeft = s.fillerPackets;
                fill = new FillPlan(s.ticksPerPacket, s.pcrEveryPackets, s.psiEveryPackets, s.firstPcrAt);
                return read(dst, offset);
            }
            startNextPass(s);
            if (writeSeamPcr(dst, offset)) {
                return true;
            }
            if (!reader.read(dst, offset)) {
                return false;
            }
        }
        readInPass++;
        if (++packetsSinceLook >= LOOK_EVERY_PACKETS && passes != 1) {
            packetsSinceLook = 0;
            // the packet read is the new content at the old one's place: the new content, or the fill, instead
            if (takeUpChange(Moment.MID_PASS) || changeWaitLeft > 0) {
                return read(dst, offset);
            }
        }
        view.wrap(dst, offset);
        int pid = view.pid();
        if (rewriting) {
            shift(dst, offset, pid);
        }
        if (view.hasPayload() && pid != TsPacket.NULL_PID) {
            lastOutCc[pid] = view.continuityCounter();
        }
        lastSentCc[pid] = view.continuityCounter();
        if (pid == probe.pcrPid && view.hasPcr()) {
            packetsSincePcr = 0;
            lastFilePcr = view.pcr();
            packetsSinceFilePcr = 0;
        } else {
            packetsSincePcr++;
            packetsSinceFilePcr++;
            if (view.hasPcr()) {
                otherPcrs.sent(pid, view.pcr(), sent);
            }
        }
        sent++;
        packetsSincePsi = pid == 0 ? 0 : packetsSincePsi + 1;
        if (pid == 0 || probe.pmtPid[pid] || pid == Sdt.PID) {
            versions.rewrite(dst, view, pid);
            keepTable(dst, offset, pid);
        }
        return true;
    }

    /**
     * Keeps the packets of the table a PSI PID is sending: from a packet whose payload starts a section (the one its
     * pointer_field points at) to the packet in which that section ends. The packet {@link #view} is on.
     */
    private void keepTable(byte[] b, int offset, int pid) {
        if (!view.hasPayload() || view.payloadOffset() >= TsPacket.SIZE) {
            return;
        }
        int payload = offset + view.payloadOffset();
        int end = offset + TsPacket.SIZE;
        if (view.payloadUnitStart()) {
            psiBuilding[pid] = null;
            int section = payload + 1 + (b[payload] & 0xFF);
            if (section + 3 > end) {
                return; // the section header itself is split: not worth keeping
            }
            if (pid == Sdt.PID && (b[section] & 0xFF) != Sdt.TABLE_ID_ACTUAL) {
                return; // the SDT of another transport stream, or the BAT: not renumbered
            }
            int length = 3 + (((b[section + 1] & 0x0F) << 8) | (b[section + 2] & 0xFF));
            if (section + length <= end) {
                if (lastPsi[pid] == null || lastPsi[pid].length != TsPacket.SIZE) {
                    lastPsi[pid] = new byte[TsPacket.SIZE];
                }
                System.arraycopy(b, offset, lastPsi[pid], 0, TsPacket.SIZE);
                return;
            }
            psiBuilding[pid] = new byte[MAX_TABLE_PACKETS * TsPacket.SIZE];
            System.arraycopy(b, offset, psiBuilding[pid], 0, TsPacket.SIZE);
            psiBuiltPackets[pid] = 1;
            psiBytesToCome[pid] = section + length - end;
            return;
        }
        byte[] building = psiBuilding[pid];
        if (building == null) {
            return;
        }
        int n = psiBuiltPackets[pid];
        if (n == MAX_TABLE_PACKETS) {
            psiBuilding[pid] = null; // longer than any PAT or PMT this looper replays
            return;
        }
        System.arraycopy(b, offset, building, n * TsPacket.SIZE, TsPacket.SIZE);
        psiBuiltPackets[pid] = ++n;
        psiBytesToCome[pid] -= end - payload;
        if (psiBytesToCome[pid] <= 0) {
            lastPsi[pid] = Arrays.copyOf(building, n * TsPacket.SIZE);
            psiBuilding[pid] = null;
        }
    }

    /** Whether a pass measured by {@code s} is followed by the fill (see {@link Scan#fillerPackets}). */
    private boolean endsWithFill(Scan s) {
        return s.fillerPackets > 0 && lastFilePcr >= 0;
    }

    /** Rewinds the file and takes the shift and continuity offsets of the next pass. */
    private void startNextPass(Scan s) throws IOException {
        reader.rewind();
        readInPass = 0;
        seamHead = true;
        System.arraycopy(s.carriesPcr, 0, continuousNextPcr, 0, continuousNextPcr.length);
        rewriting = true;
        forgetSpliceSections();
        psiNext = -1;
        psiPart = 0;
        shift27 = Pcr.add(shift27, s.shiftPerPass);
        if (s.pcrPidChanges) {
            System.arraycopy(s.carriesPcr, 0, flagNextPcr, 0, flagNextPcr.length);
        }
        carryContinuity(s);
    }

    /** The cue sections under way belong to the pass, or the content, that has ended: none is carried on. */
    private void forgetSpliceSections() {
        for (SpliceInfoShifter cues : spliceShifters) {
            if (cues != null) {
                cues.reset();
            }
        }
    }

    private void carryContinuity(Scan s) {
        for (int pid = 0; pid <= TsPacket.MAX_PID; pid++) {
            if (lastOutCc[pid] >= 0 && s.firstCc[pid] >= 0) {
                ccOffset[pid] = (lastOutCc[pid] + 1 - s.firstCc[pid]) & 0xF;
            }
        }
    }

    /**
     * When the file on disk is no longer the one opened, opens it again and makes its start the next pass (see the
     * class). Content that cannot be played yet, is still being written, or is still being read on its measuring
     * thread ({@link Measuring}), starts or goes on with the wait; in a file replaced by another it is refused and the
     * one opened plays on.
     *
     * @param moment where the looper is: at a loop point, in the middle of a pass (where only a file written over in
     *     place is taken up at once: the reader is reading its new content at the old one's place; a file replaced by
     *     another is measured meanwhile, for the loop point), or waiting
     * @return whether the next packet comes from the file's new content, or, after a wait for a replacement that is
     *     then refused, from the next pass of the file opened
     */
    private boolean takeUpChange(Moment moment) throws IOException {
        FileState now = FileState.of(file);
        boolean inPlace = now != null && opened != null && now.sameFile(opened);
        if (now != null && now.equals(opened) && moment != Moment.WAITING) {
            confirmTables();
        }
        if (now == null || now.equals(opened) || now.equals(refused)
                || moment == Moment.WAITING && now.equals(tried)) {
            return false;
        }
        if (!now.equals(lastSeen)) {
            lastSeen = now;
            lastSeenNanos = System.nanoTime();
        }
        openedOverwritten |= inPlace;
        // a copy under way: taken up once it has been left alone for a moment, not at every write; by its modification
        // time, or, where that is ahead of this machine's clock (a file server's clock), by looks that found it alike
        boolean settled = now.settled() || System.nanoTime() - lastSeenNanos >= SETTLE_MILLIS * 1_000_000L;
        if (!settled) {
            return inPlace && awaitChange(moment, "it is being written", true);
        }
        if (measuring != null && !measuring.state().equals(now)) {
            measuring.abandon();
            measuring = null;
        }
        if (measuring == null) {
            measuring = Measuring.start(file, now, beforeMeasuring);
        }
        if (moment == Moment.MID_PASS && !inPlace) {
            return false; // measured meanwhile: taken up at the loop point
        }
        if (!measuring.result().isDone()) {
            if (canFill() || moment == Moment.WAITING) {
                return awaitChange(moment, "reading its first " + (CHANGE_PROBE_BYTES >> 20) + " MiB has not finished",
                        false);
            }
            measuring.awaitDone(); // nothing to fill with before the first PCR: waited for here
        }
        Measured measured;
        try {
            measured = measuring.take();
        } catch (IOException | TsException e) {
            tried = now;
            if (!inPlace && !openedOverwritten) {
                // another file under the name: the one opened is still there to play
                refused = now;
                change = file.getFileName() + " was replaced on disk by a file that cannot be played (" + e.getMessage()
                        + "); the one opened before plays on. Put a playable .ts file in its place";
                if (moment != Moment.WAITING) {
                    return false;
                }
                // it was waited for at the loop point: the next pass of the one opened starts instead, its clock on
                // from the fill's as the new content's would have been
                changeWaitLeft = 0;
                fill = null;
                Scan pass = scan();
                startNextPass(pass);
                shift27 = Pcr.forward(pass.firstPcr, Pcr.add(lastFilePcr, Math.round(
                        (packetsSinceFilePcr + 1 + pass.firstPcrAt) * pass.averageTicksPerPacket())));
                return true;
            }
            return awaitChange(moment, e.getMessage(), true);
        } finally {
            measuring = null;
        }
        playChanged(now, measured.scan(), measured.reader(), inPlace);
        return true;
    }

    /** Whether there is a fill to send while a change is waited for: a rate, and a PCR to time it from. */
    private boolean canFill() {
        return probe.durationTicks > 0 && lastFilePcr >= 0;
    }

    /**
     * A changed file's first {@link #CHANGE_PROBE_BYTES} being measured, and opened, on a thread of its own
     * ({@code ts-change-NAME}), so that slow storage holds up the measurement, not the stream: the looper's thread
     * sends the fill meanwhile. The thread only completes {@link #result}; the looper's thread owns the rest.
     *
     * @param state the file as it was when the measurement started: one that changes again is measured anew
     */
    private record Measuring(FileState state, CompletableFuture<Measured> result, AtomicBoolean stop) {

        static Measuring start(Path file, FileState state, Runnable before) {
            Measuring m = new Measuring(state, new CompletableFuture<>(), new AtomicBoolean());
            Thread.ofPlatform().daemon().name("ts-change-" + file.getFileName()).start(() -> {
                try {
                    before.run();
                    Scan fresh = Scan.of(file, CHANGE_PROBE_BYTES / TsPacket.SIZE, m.stop::get, null);
                    if (fresh.packets == 0) {
                        throw new TsException("it holds no MPEG-TS packets");
                    }
                    if (fresh.pcrPid < 0) {
                        throw new TsException("it has no PCR to be paced by");
                    }
                    PacketReader reader = PacketReader.open(file);
                    if (!m.result.complete(new Measured(fresh, reader))) {
                        reader.close(); // abandoned meanwhile
                    }
                } catch (Throwable e) {
                    // an Error too: a measurement left unfinished would be waited for until the wait runs out
                    m.result.completeExceptionally(e);
                }
            });
            return m;
        }

        /** What was measured; throws what the measurement threw. */
        Measured take() throws IOException {
            try {
                return result.join();
            } catch (CompletionException e) {
                if (e.getCause() instanceof IOException io) {
                    throw io;
                }
                throw e.getCause() instanceof RuntimeException r ? r : e;
            }
        }

        void awaitDone() {
            result.handle((m, e) -> null).join();
        }

        /** Stops the measurement, and closes what it opened if it had finished. */
        void abandon() throws IOException {
            stop.set(true);
            if (!result.cancel(false) && !result.isCompletedExceptionally()) {
                result.join().reader().close();
            }
        }
    }

    /** A changed file's first bytes measured, and the file opened at its start to play them. */
    private record Measured(Scan scan, PacketReader reader) {}

    /** Takes {@link #confirmedPsi} from the tables last sent: the file was found unchanged. */
    private void confirmTables() {
        for (int pid : probe.psiPids) {
            confirmTable(pid);
        }
        confirmTable(Sdt.PID);
    }

    private void confirmTable(int pid) {
        if (!Arrays.equals(confirmedPsi[pid], lastPsi[pid])) {
            confirmedPsi[pid] = lastPsi[pid] == null ? null : lastPsi[pid].clone();
        }
    }

    /**
     * Starts the wait for a changed file whose content cannot be played yet, or is still being measured, or goes on
     * with it; at the end of the wait, or where there is nothing to fill with, the stream ends naming the reason.
     *
     * @param announce whether {@link #takeChange()} tells the operator (once a wait): not for a measurement alone
     * @return false: the next packet is the fill's
     */
    private boolean awaitChange(Moment moment, String reason, boolean announce) throws TsException {
        changeWaitReason = reason;
        if (moment == Moment.WAITING) {
            if (changeWaitLeft == 0) {
                throw notPlayableInTime();
            }
        } else {
            if (!canFill()) {
                throw new TsException(file.getFileName() + " changed on disk and cannot be played: " + reason
                        + ". Put a playable .ts file in its place, then start the stream again");
            }
            fill = FillPlan.of(probe);
            changeWaitLeft = Math.max(1, Math.round(CHANGE_WAIT_TICKS / fill.ticksPerPacket));
        }
        if (announce && !waitAnnounced) {
            waitAnnounced = true;
            change = file.getFileName() + " changed on disk and cannot be played yet (" + reason + "): null packets"
                    + " with PCRs and tables go out meanwhile, for at most " + CHANGE_WAIT_TICKS / Pcr.HZ + " s";
        }
        return false;
    }

    /** Makes the file's new content, measured by {@code fresh}, the next pass: its clock carried on, the seam flagged. */
    private void playChanged(FileState now, Scan fresh, PacketReader freshReader, boolean inPlace) throws IOException {
        boolean waited = waitAnnounced;
        waitAnnounced = false;
        openedOverwritten = false;
        stopMeasuring.set(true);
        reader.close();
        // the new content's first PCR where the last one sent, and the packets since, put the clock now: those of the
        // old content at its rate, those of the new one before its first PCR at the new one's
        double newTicksPerPacket = fresh.durationTicks / (double) fresh.packets;
        double oldTicksPerPacket = probe.durationTicks > 0 && probe.packets > 0
                ? probe.averageTicksPerPacket() : newTicksPerPacket;
        long next = lastFilePcr < 0 ? fresh.firstPcr : Pcr.add(lastFilePcr, Math.round(
                (packetsSinceFilePcr + 1) * oldTicksPerPacket + fresh.firstPcrAt * newTicksPerPacket));
        shift27 = Pcr.forward(fresh.firstPcr, next);
        reader = freshReader;
        readInPass = 0;
        seamHead = false;
        Arrays.fill(continuousNextPcr, false);
        rewriting = true;
        forgetSpliceSections();
        probe = fresh;
        otherPcrs = new OtherPcrs(fresh);
        scan = fresh.complete ? fresh : null;
        stopMeasuring = new AtomicBoolean();
        whole = fresh.complete ? null : measureInBackground(stopMeasuring);
        opened = now;
        refused = null;
        tried = null;
        packetsSinceLook = 0;
        psiNext = -1;
        psiPart = 0;
        // replaced by another file, the one opened was read to the end: what went out last is the old content's
        byte[][] oldTables = lastPsi;
        if (inPlace) {
            oldTables = lastPsi.clone();
            for (int pid = 0; pid <= TsPacket.MAX_PID; pid++) {
                oldTables[pid] = confirmedPsi[pid] != null ? confirmedPsi[pid] : lastPsi[pid];
            }
        }
        versions.takeUp(fresh.firstTable, oldTables);
        System.arraycopy(fresh.carriesPcr, 0, flagNextPcr, 0, flagNextPcr.length);
        carryContinuity(fresh);
        change = String.format(Locale.ROOT, "%s changed on disk%s: its new content plays from its start (%.2f Mbit/s),"
                + " the clock carried on and its first PCR flagged as a discontinuity", file.getFileName(),
                waited ? " and is playable now" : "", bitsPerSecond() / 1e6);
    }

    private TsException notPlayableInTime() {
        return new TsException(file.getFileName() + " changed on disk and has not become playable within "
                + CHANGE_WAIT_TICKS / Pcr.HZ + " s: " + changeWaitReason + ". Put a playable .ts file in its place,"
                + " then start the stream again");
    }

    /**
     * What happened to the file on disk since last asked, in words for the operator, once: its new content taken up,
     * or a replacement refused; empty when nothing did.
     */
    public Optional<String> takeChange() {
        String c = change;
        change = null;
        return Optional.ofNullable(c);
    }

    /**
     * One packet of the fill between passes: a PCR-only packet on the PCR PID (no payload, so its continuity counter
     * stays) where the file's PCR interval has passed since the last PCR, timed at the file's rate, and as the fill's
     * last packet when the next pass's packets before its first PCR would otherwise stretch the step to it beyond
     * that interval (a file cut in the middle of a PCR interval); by the same rule, one on each other program's PCR
     * PID ({@link OtherPcrs}); the PAT and the PMTs again, each as last sent with its continuity counter carried on,
     * every {@link #PSI_FILL_INTERVAL_TICKS} since the PAT was; else a null packet.
     */
    private void writeFiller(byte[] dst, int offset) {
        Arrays.fill(dst, offset, offset + TsPacket.SIZE, (byte) 0xFF);
        dst[offset] = TsPacket.SYNC_BYTE;
        long distance = packetsSincePcr + 1;
        packetsSinceFilePcr++;
        long index = sent++;
        if (psiNext < 0 && ++packetsSincePsi >= fill.psiEveryPackets) {
            psiNext = 0;
        }
        boolean pcrDue = distance >= fill.pcrEveryPackets
                || fillerLeft == 1 && distance + fill.packetsBeforeNextPcr + 1 > fill.pcrEveryPackets;
        if (!pcrDue) {
            packetsSincePcr = distance;
            if (otherPcrs.writeDue(dst, offset, index)) {
                return;
            }
            if (psiNext >= 0) {
                writePsi(dst, offset);
            } else {
                nullPacketHeader(dst, offset);
            }
            return;
        }
        packetsSincePcr = 0;
        writePcrOnly(dst, offset, probe.pcrPid, fromLastFilePcr(fill.ticksPerPacket));
    }

    /** The PCR {@link #packetsSinceFilePcr} packets at {@code ticksPerPacket} after the last PCR of the file sent. */
    private long fromLastFilePcr(double ticksPerPacket) {
        return Pcr.add(lastFilePcr, Math.round(packetsSinceFilePcr * ticksPerPacket));
    }

    /**
     * Makes the packet at {@code offset} a PCR-only packet of {@code pid} carrying {@code pcr}: adaptation field only,
     * no payload, so its continuity counter repeats that of the PID's last packet.
     */
    private void writePcrOnly(byte[] dst, int offset, int pid, long pcr) {
        Arrays.fill(dst, offset, offset + TsPacket.SIZE, (byte) 0xFF);
        dst[offset] = TsPacket.SYNC_BYTE;
        dst[offset + 1] = (byte) (pid >> 8);
        dst[offset + 2] = (byte) pid;
        dst[offset + 3] = (byte) (0x20 | Math.max(0, lastSentCc[pid]));
        dst[offset + 4] = (byte) (TsPacket.SIZE - 5);
        dst[offset + 5] = 0x10;
        view.wrap(dst, offset).setPcr(pcr);
    }

    /**
     * Between the last PCR of a pass and the first of the next, on the PCR PID and each other program's: where the
     * stretch is longer than {@link Scan#seamPcrEveryPackets} at the rate the shift puts it at (a variable-rate file
     * whose last picture, or first, is large), makes the packet at {@code offset} a PCR-only packet of a PID whose PCR
     * is due, timed as the fill's are, before the file's next packet; false if none is. Such a packet is not counted as
     * a packet of the pass, its PCR the time of the packet before it, so the next pass's clock is where its shift puts
     * it. Not on the last pass, whose end the pacer bridges, nor after a file's new content took over (its first PCR
     * is flagged as a discontinuity).
     */
    private boolean writeSeamPcr(byte[] dst, int offset) {
        Scan s = scan;
        if (s == null && whole != null && whole.isDone() && !whole.isCompletedExceptionally()) {
            s = scan = whole.join();
        }
        if (s == null || s.ticksPerPacket <= 0 || lastFilePcr < 0 || probe.pcrPid != s.pcrPid) {
            return false;
        }
        boolean tail = passes == 0 || pass + 1 < passes;
        if (packetsSincePcr >= s.seamPcrEveryPackets
                && (seamHead && readInPass < s.firstPcrAt || tail && readInPass > s.lastPcrAt)) {
            packetsSincePcr = 0;
            writePcrOnly(dst, offset, s.pcrPid, fromLastFilePcr(s.ticksPerPacket));
            return true;
        }
        return otherPcrs.writeSeamDue(dst, offset, s, seamHead, tail);
    }

    /**
     * The PCR PIDs of a multi-program file's other programs (those its PMTs name, carrying PCRs, besides
     * {@link Scan#pcrPid}), each on a clock of its own: the fill between passes, and while a changed file is waited
     * for, carries their PCRs on as it does the first program's, each from that PID's last PCR at the fill's rate, so
     * no program's PCR stops for the fill. Owned by the looper's thread.
     */
    private final class OtherPcrs {
        private final int[] pids;
        /** Packets of the file before each PID's first PCR: the step into the next pass runs over them. */
        private final long[] head;
        /** Per PID: the last PCR of the file sent (shifted), and where it went out ({@link #sent}); -1 before one. */
        private final long[] filePcr;
        private final long[] filePcrAt;
        /** Per PID: where its last PCR went out, the fill's included. */
        private final long[] lastAt;
        /**
         * The measurement {@link #writeSeamDue} last compared its PIDs with, and whether they were these: asked before
         * every packet read, it compares them once per measurement.
         */
        private Scan compared;
        private boolean samePids;

        OtherPcrs(Scan s) {
            pids = s.otherPcrPids;
            head = s.otherFirstPcrAt;
            filePcr = new long[pids.length];
            filePcrAt = new long[pids.length];
            lastAt = new long[pids.length];
            Arrays.fill(filePcr, -1);
        }

        void sent(int pid, long pcr, long at) {
            for (int k = 0; k < pids.length; k++) {
                if (pids[k] == pid) {
                    filePcr[k] = pcr;
                    filePcrAt[k] = at;
                    lastAt[k] = at;
                }
            }
        }

        /**
         * Makes the fill packet at {@code offset}, the {@code index}th handed out, a PCR-only packet of the PID whose
         * PCR is most overdue (by the rule of {@link #writeFiller}), if one is; false if none is.
         */
        boolean writeDue(byte[] dst, int offset, long index) {
            int due = -1;
            long longest = 0;
            for (int k = 0; k < pids.length; k++) {
                if (filePcr[k] < 0) {
                    continue;
                }
                long distance = index - lastAt[k];
                boolean now = distance >= fill.pcrEveryPackets
                        || fillerLeft == 1 && distance + head[k] + 1 > fill.pcrEveryPackets;
                if (now && distance > longest) {
                    due = k;
                    longest = distance;
                }
            }
            if (due < 0) {
                return false;
            }
            write(dst, offset, due, index, fill.ticksPerPacket);
            return true;
        }

        /**
         * Makes the packet at {@code offset} a PCR-only packet of the PID whose PCR is most overdue between the passes
         * measured by {@code s}, by the rule of {@link #writeSeamPcr}, if one is; false if none is.
         *
         * @param head whether the pass follows the one before with its clock carried on
         * @param tail whether another pass follows this one
         */
        boolean writeSeamDue(byte[] dst, int offset, Scan s, boolean head, boolean tail) {
            if (s != compared) {
                compared = s;
                samePids = Arrays.equals(pids, s.otherPcrPids);
            }
            if (!samePids) {
                return false;
            }
            // timed as the packet sent before it, which is where its PCR was due
            long index = sent - 1;
            int due = -1;
            long longest = 0;
            for (int k = 0; k < pids.length; k++) {
                long distance = index - lastAt[k];
                boolean seam = head && readInPass < s.otherFirstPcrAt[k] || tail && readInPass > s.otherLastPcrAt[k];
                if (filePcr[k] >= 0 && seam && distance >= s.seamPcrEveryPackets && distance > longest) {
                    due = k;
                    longest = distance;
                }
            }
            if (due < 0) {
                return false;
            }
            write(dst, offset, due, index, s.ticksPerPacket);
            return true;
        }

        /** A PCR-only packet of the {@code k}th PID, as the {@code index}th packet sent, at its last PCR's rate. */
        private void write(byte[] dst, int offset, int k, long index, double ticksPerPacket) {
            writePcrOnly(dst, offset, pids[k], Pcr.add(filePcr[k],
                    Math.round((index - filePcrAt[k]) * ticksPerPacket)));
            lastAt[k] = index;
        }
    }

    /** Makes the 0xFF-filled packet at {@code offset} a null packet (PID 0x1FFF, payload only). */
    private static void nullPacketHeader(byte[] dst, int offset) {
        dst[offset + 1] = (byte) (TsPacket.NULL_PID >> 8);
        dst[offset + 2] = (byte) TsPacket.NULL_PID;
        dst[offset + 3] = 0x10;
    }

    /**
     * The next packet of the tables of {@link Scan#psiPids} that have been sent, as last sent (a table of several
     * packets in order, one a call), or a null packet if none has.
     */
    private void writePsi(byte[] dst, int offset) {
        int[] pids = probe.psiPids;
        // A table of several packets is begun only when the fill has room for all of it (and a PCR on the way):
        // one cut off by the next pass would leave a monitor a section it cannot finish.
        while (psiNext < pids.length && (lastPsi[pids[psiNext]] == null || psiPart == 0
                && lastPsi[pids[psiNext]].length / TsPacket.SIZE > 1
                && lastPsi[pids[psiNext]].length / TsPacket.SIZE >= Math.max(fillerLeft, changeWaitLeft))) {
            psiNext++;
        }
        if (psiNext < pids.length) {
            int pid = pids[psiNext];
            byte[] table = lastPsi[pid];
            System.arraycopy(table, psiPart * TsPacket.SIZE, dst, offset, TsPacket.SIZE);
            lastOutCc[pid] = (lastOutCc[pid] + 1) & 0xF;
            lastSentCc[pid] = lastOutCc[pid];
            view.wrap(dst, offset).setContinuityCounter(lastOutCc[pid]);
            if (pid == 0 && psiPart == 0) {
                packetsSincePsi = 0;
            }
            if (++psiPart * TsPacket.SIZE >= table.length) {
                psiPart = 0;
                psiNext++;
            }
        } else {
            nullPacketHeader(dst, offset);
        }
        if (psiNext >= pids.length) {
            psiNext = -1;
        }
    }

    private void shift(byte[] dst, int offset, int pid) {
        if (pid != TsPacket.NULL_PID) {
            view.setContinuityCounter(view.continuityCounter() + ccOffset[pid]);
        }
        if (view.hasPcr()) {
            view.setPcr(Pcr.add(view.pcr(), shift27));
            if (continuousNextPcr[pid]) {
                view.clearDiscontinuityIndicator();
                continuousNextPcr[pid] = false;
            }
            if (flagNextPcr[pid]) {
                view.setDiscontinuityIndicator();
                flagNextPcr[pid] = false;
            }
        }
        if (view.hasOpcr()) {
            view.setOpcr(Pcr.add(view.opcr(), shift27));
        }
        if ((scan != null ? scan : probe).scte35Pid[pid]) {
            if (view.hasPayload()) {
                SpliceInfoShifter cues = spliceShifters[pid];
                if (cues == null) {
                    cues = spliceShifters[pid] = new SpliceInfoShifter();
                }
                cues.accept(dst, offset, view.payloadOffset(), view.payloadUnitStart(), view.scramblingControl() != 0,
                        view.continuityCounter(), shift27 / 300);
            }
        } else if (view.payloadUnitStart() && view.scramblingControl() == 0) {
            shiftPes(dst, offset + view.payloadOffset(), offset + TsPacket.SIZE, shift27 / 300);
        }
    }

    /** Shifts PTS and DTS of a PES header starting at {@code i} (ISO/IEC 13818-1 2.4.3.6). */
    static void shiftPes(byte[] b, int i, int end, long shift90) {
        int flags = PesHeader.timestampFlags(b, i, end);
        if (flags >= 2) {
            Pcr.writeTimestamp(b, i + 9, Pcr.addPts(Pcr.readTimestamp(b, i + 9), shift90));
        }
        if (flags == 3) {
            Pcr.writeTimestamp(b, i + 14, Pcr.addPts(Pcr.readTimestamp(b, i + 14), shift90));
        }
    }

    /**
     * For a file whose clock jumps inside it, its average rate over its continuous stretches, the rate its playing time
     * ({@link #durationTicks()}) is measured at: timed so, the packets across the jump make each pass last that playing
     * time. From the whole file's measurement once it is done (0 for a file whose clock does not jump). Before, while
     * the first pass plays, from what the background measurement has read so far, or from the first
     * {@link #PROBE_BYTES} until it has read more: a jump further in than those was otherwise bridged at the rate of
     * the last PCR interval before it, the first pass lasting longer or shorter than the next ones. The pacer asks at
     * a jump it meets, which that part of the file may not hold yet; its average is the file's as far as it is known.
     * Only a measurement that has not reached the file's end when the pacer reaches the jump (a file of many gigabytes
     * on storage read not much faster than it plays) leaves the first pass off its playing time, by the packets across
     * the jump times the difference between that average and the whole file's.
     */
    @Override
    public double jumpTicksPerPacket() {
        Scan s = scan;
        if (s == null && whole != null && whole.isDone() && !whole.isCompletedExceptionally()) {
            s = whole.join();
        }
        if (s == null && probe.complete) {
            s = probe;
        }
        if (s != null) {
            return s.clockJumps ? s.averageTicksPerPacket() : 0;
        }
        Progress sofar = progress.get();
        if (sofar.packets() > probe.packets && sofar.ticksPerPacket() > 0) {
            return sofar.ticksPerPacket();
        }
        return probe.durationTicks > 0 && probe.packets > 0 ? probe.averageTicksPerPacket() : 0;
    }

    /** Playing time of one pass on the 27 MHz clock; waits for the measurement of a large file (see the class). */
    public long durationTicks() throws IOException {
        return scan().durationTicks;
    }

    /** Packets in one pass of the file; waits for the measurement of a large file (see the class). */
    public long packetsPerPass() throws IOException {
        return scan().packets;
    }

    /**
     * Whether the file holds any TS packet in its first {@link #PROBE_BYTES}. A file that holds none (empty, or not a
     * transport stream) opens, and ends at once; a {@link TsPacer} given it refuses it at its first read.
     */
    public boolean hasPackets() {
        return probe.packets > 0;
    }

    /**
     * The file's rate in bits per second (188-byte packets) from the PCRs (or PES timestamps) of its first
     * {@link #PROBE_BYTES}, all of it when it is no longer; 0 when that part holds no packet.
     */
    public long bitsPerSecond() {
        return probe.durationTicks <= 0 ? 0
                : Math.round(rate(probe.packets + probe.fillerPackets, probe.durationTicks));
    }

    /**
     * The file's highest rate over one second of its PCR clock ({@link #PEAK_WINDOW_TICKS}), in bits per second
     * (188-byte packets): what a variable-rate file needs from a link that a constant-rate one does not, where
     * {@link #bitsPerSecond()} is its average. From the whole file once the background measurement has finished, from
     * its first {@link #PROBE_BYTES} until then; never below the average, and the average for a file with no PCR or
     * shorter than a second. It may rise while the file plays: ask again.
     */
    public long peakBitsPerSecond() {
        Scan measured = scan;
        if (measured == null && whole != null && whole.isDone() && !whole.isCompletedExceptionally()) {
            measured = whole.join();
        }
        long peak = measured != null ? measured.peakBitsPerSecond : probe.peakBitsPerSecond;
        return Math.max(peak, bitsPerSecond());
    }

    /** The pass being played, from 0. */
    public long pass() {
        return pass;
    }

    /**
     * Why the file will not play as its content expects, or empty: its PCR runs slower than its PES timestamps (a file
     * multiplexed at too low a mux rate; ffmpeg warns "dts < pcr, TS is invalid" while writing it). Paced by its PCRs
     * as every file is, it then plays slower than real time, a decoder's buffer runs dry, and the timestamps jump
     * forward at every loop point. Measured on the first {@link #PROBE_BYTES}.
     */
    public Optional<String> clockWarning() {
        if (probe.slowClockContentTicks <= 0) {
            return Optional.empty();
        }
        double content = probe.slowClockContentTicks / (double) Pcr.HZ;
        double clock = probe.slowClockPcrTicks / (double) Pcr.HZ;
        return Optional.of(String.format(Locale.ROOT, "%s: its PCR runs slower than its timestamps (%.1f s of pictures"
                + " and sound over %.1f s of PCR time%s), so it plays at %.0f %% of its speed and a decoder gets its"
                + " frames late; looped, its timestamps also jump %.1f s forward at each loop point. It was"
                + " multiplexed with too low a mux rate: remux it, e.g. ffmpeg -i IN -c copy -f mpegts OUT.ts", file.getFileName(), content, clock,
                probe.complete ? "" : " in its first " + probe.packets + " packets", 100 * content / clock,
                clock - content));
    }

    /**
     * Why a receiver may not take the file as it plays, or empty: its PCRs come further apart than the 100 ms that
     * ISO/IEC 13818-1 allows (TR 101 290's PCR_repetition_error). The pacer still plays it by them when they come at a
     * regular interval ({@link TsPacer}); a decoder's clock recovery or a monitor downstream may not. Measured on the
     * steady steps of the PCR PID in the first {@link #PROBE_BYTES}: a jump (two recordings joined) is not an interval.
     */
    public Optional<String> pcrIntervalWarning() {
        if (probe.pcrIntervalTicks <= MAX_PCR_INTERVAL_TICKS) {
            return Optional.empty();
        }
        return Optional.of(String.format(Locale.ROOT, "%s: its PCRs are up to %d ms apart on PID 0x%04X, beyond the"
                + " 100 ms of ISO/IEC 13818-1 (TR 101 290 PCR_repetition_error): it is paced by them, but a decoder or"
                + " a monitor downstream may lose its clock or raise that error. Remux it with PCRs 20 ms apart:"
                + " ffmpeg -i IN -c copy -f mpegts -pcr_period 20 OUT.ts", file.getFileName(),
                Math.round(probe.pcrIntervalTicks * 1000.0 / Pcr.HZ), probe.pcrPid));
    }

    /** The PCR PID the duration was measured on, or -1 if the file has no PCR. */
    public int pcrPid() {
        return probe.pcrPid;
    }

    /** Closes the file, and stops a measurement still running in the background. */
    @Override
    public void close() throws IOException {
        stopMeasuring.set(true);
        if (measuring != null) {
            measuring.abandon();
            measuring = null;
        }
        reader.close();
    }

    /** Whether a changed file is being measured: the fill goes out until it has been (see {@link Measuring}). */
    boolean measuringChange() {
        return measuring != null && !measuring.result().isDone();
    }

    /** Runs {@code hook} on the thread that measures a changed file, before it reads: for tests of slow storage. */
    void beforeMeasuringChange(Runnable hook) {
        beforeMeasuring = Objects.requireNonNull(hook, "hook must not be null");
    }

    /**
     * How often the file is looked at in the middle of a pass, for one written over in place: every 256 packets, 50 ms
     * at 8 Mbit/s, a stat of the file each time. What it read of the new content at the old one's place meanwhile
     * has gone out; the rest of the pass does not.
     */
    static final int LOOK_EVERY_PACKETS = 256;
    /** How much of a changed file is read before its new content plays: 4 MiB, four seconds at 8 Mbit/s. */
    static final long CHANGE_PROBE_BYTES = 4L << 20;
    /**
     * How long a file changed on disk in place is waited for when its new content cannot be played yet, on the PCR
     * clock: ten seconds, for a copy of a large file to finish. Meanwhile the fill keeps the stream going.
     */
    static final long CHANGE_WAIT_TICKS = 10 * Pcr.HZ;

    /** A forward PCR step beyond this is a jump, not a stretch of the file's clock: one second, as the pacer says. */
    private static final long MAX_PCR_STEP = Pcr.HZ;
    /** The longest interval between PCRs ISO/IEC 13818-1 allows, and TR 101 290 checks: 100 ms. */
    static final long MAX_PCR_INTERVAL_TICKS = Pcr.HZ / 10;
    /**
     * The span of PCR time a peak rate is measured over: one second, as a rate is usually stated and as the stream
     * engine measures what it sends. Shorter bursts are what an SRT sender's overhead and latency absorb.
     */
    static final long PEAK_WINDOW_TICKS = Pcr.HZ;
    /**
     * How often the fill between passes sends the PAT and the PMTs: every 100 ms, as ffmpeg and most multiplexers do,
     * well within the 500 ms after which TR 101 290 raises PAT_error_2 and PMT_error_2.
     */
    static final long PSI_FILL_INTERVAL_TICKS = Pcr.HZ / 10;
    /**
     * How much less time a file's PES timestamps may cover than its PCRs before {@link #clockWarning()} speaks: a
     * second (and a tenth of the PCR time), well above the frame or two of audio a muxer leaves at either end.
     */
    static final long SLOW_CLOCK_MIN_TICKS = Pcr.HZ;

    /** What one pass over the file, or over its first packets, tells the looper. */
    private static final class Scan {
        /** The whole file was read. */
        boolean complete;
        long packets;
        long durationTicks;
        long shiftPerPass;
        /**
         * Packets to add after each pass, before the next, so that every elementary stream has ended before the next
         * pass starts (audio that runs on after the last PCR): null packets, with a PCR-only packet on the PCR PID
         * every {@link #pcrEveryPackets} so that the PCR interval stays within the file's. 0 for most files.
         */
        long fillerPackets;
        /**
         * The file's rate on the PCR clock, in ticks per packet, that the shift of each pass puts the packets between
         * its last PCR and the next pass's first at; what filler packets, and the PCR-only packets between passes, are
         * timed at. 0 where the seam is not timed so (a file whose PCR PID changes): nothing is added there.
         */
        double ticksPerPacket;
        /** The packet holding the last PCR of {@link #pcrPid}, and of each of {@link #otherPcrPids}. */
        long lastPcrAt = -1;
        long[] otherLastPcrAt = {};

        /** A pass's PCR ticks per packet, its fill included: the rate {@link TsLooper#bitsPerSecond()} states. */
        double averageTicksPerPacket() {
            return (double) durationTicks / (packets + fillerPackets);
        }
        /**
         * How often a filler carries a PCR: the packets of the file's longest PCR interval (at most 100 ms) at
         * {@link #ticksPerPacket}, rounded down, so that no step of the PCR through the fill is longer than the file's.
         * Counted in time, not in the packets of an interval of the file: in a variable-rate file, an interval dense
         * with a large picture holds several times the packets of an average one.
         */
        long pcrEveryPackets;
        /**
         * How often a packet between passes (after the last PCR of a pass, before the first of the next) carries a
         * PCR: the packets of the file's longest PCR interval, or of 40 ms ({@link #FILL_PCR_INTERVAL_TICKS}) if that
         * is longer, at most 100 ms, at {@link #ticksPerPacket}, rounded down. A file cut a little after its last PCR
         * steps a little further than its own interval there, which is not worth a PCR more.
         */
        long seamPcrEveryPackets;

        /**
         * Times the packets between passes at {@code ticksPerPacket}, with a PCR at least every
         * {@link #pcrEveryPackets} of them in a fill and every {@link #seamPcrEveryPackets} of the file's, and takes
         * where the last PCR of each PCR PID is.
         */
        void timeSeam(double ticksPerPacket, long lastPcrAt, long[] lastPcrAtPerPid) {
            this.ticksPerPacket = ticksPerPacket;
            long pcrInterval = pcrIntervalTicks > 0 ? Math.min(pcrIntervalTicks, MAX_PCR_INTERVAL_TICKS)
                    : MAX_PCR_INTERVAL_TICKS;
            pcrEveryPackets = Math.max(1, (long) Math.floor(pcrInterval / ticksPerPacket));
            long seamInterval = Math.min(Math.max(pcrIntervalTicks, FILL_PCR_INTERVAL_TICKS), MAX_PCR_INTERVAL_TICKS);
            seamPcrEveryPackets = Math.max(1, (long) Math.floor(seamInterval / ticksPerPacket));
            this.lastPcrAt = lastPcrAt;
            otherLastPcrAt = Arrays.stream(otherPcrPids).mapToLong(pid -> lastPcrAtPerPid[pid]).toArray();
        }

        /** Packets of {@link #PSI_FILL_INTERVAL_TICKS} at the file's rate: how often the fill sends the tables. */
        long psiEveryPackets = Long.MAX_VALUE;
        /** The PMT PIDs of the PAT. */
        final boolean[] pmtPid = new boolean[TsPacket.MAX_PID + 1];
        /** PID 0, then the PMT PIDs of the PAT: the tables the fill replays, in that order. */
        int[] psiPids = {0};
        /** The highest rate over {@link #PEAK_WINDOW_TICKS} of continuous PCR time on the PCR PID; 0 if none. */
        long peakBitsPerSecond;
        /**
         * How far the PES timestamps reach (the longest stream's span plus its last PES), on the 27 MHz clock, when
         * that falls short of the PCR time of the same packets by more than {@link #SLOW_CLOCK_MIN_TICKS} and a tenth;
         * 0 otherwise. Such a file's PCR runs slower than its content.
         */
        long slowClockContentTicks;
        /** The PCR time of the packets read, when {@link #slowClockContentTicks} is set. */
        long slowClockPcrTicks;
        int pcrPid = -1;
        /** The first PCR of {@link #pcrPid}, and the packet it came in (from 0); -1 without one. */
        long firstPcr = -1;
        long firstPcrAt = -1;
        /** The longest step between PCRs of the PCR PID that the pacer paces by ({@link TsPacer#steady}); 0 if none. */
        long pcrIntervalTicks;
        final int[] firstCc = new int[TsPacket.MAX_PID + 1];
        final boolean[] scte35Pid = new boolean[TsPacket.MAX_PID + 1];
        /**
         * Per PID: the first PAT (PID 0), PMT or SDT actual (PID 0x0011) section read there, CRC_32 checked; null where
         * there was none.
         */
        final byte[][] firstTable = new byte[TsPacket.MAX_PID + 1][];
        /** The PIDs that carry a PCR somewhere in the file. */
        final boolean[] carriesPcr = new boolean[TsPacket.MAX_PID + 1];
        /**
         * The PCR_PIDs of the other programs, as their PMTs last name them, that carry PCRs; and the packets before
         * the first PCR of each.
         */
        int[] otherPcrPids = {};
        long[] otherFirstPcrAt = {};
        /**
         * The PMT changes the PCR PID inside the file: at each seam, every PID that carries PCRs steps from where it
         * last had one (in the other recording's part of the pass) while the program's clock goes on.
         */
        boolean pcrPidChanges;
        /**
         * The program's clock jumps inside the file (a step back or too far forward, flagged or not, or a change of
         * PCR PID): it is measured on its continuous stretches, at {@link #averageTicksPerPacket()}.
         */
        boolean clockJumps;

        /**
         * Reads at most {@code maxPackets} packets of {@code file}, stopping early when {@code stop} says so (then the
         * result is not {@link #complete}).
         */
        static Scan of(Path file, long maxPackets, BooleanSupplier stop, java.util.function.Consumer<Progress> progress)
                throws IOException {
            Scan s = new Scan();
            Arrays.fill(s.firstCc, -1);
            long[] firstPcr = new long[TsPacket.MAX_PID + 1];
            long[] firstPcrAt = new long[TsPacket.MAX_PID + 1];
            long[] lastPcr = new long[TsPacket.MAX_PID + 1];
            long[] lastPcrAt = new long[TsPacket.MAX_PID + 1];
            // Per PID: PCR ticks and packets over continuous steps only, and the steps that were not.
            long[] steadyTicks = new long[TsPacket.MAX_PID + 1];
            long[] steadyPackets = new long[TsPacket.MAX_PID + 1];
            long[] jumps = new long[TsPacket.MAX_PID + 1];
            // Per PID: the window of continuous steps being summed for the peak rate, and the highest rate so far.
            long[] windowTicks = new long[TsPacket.MAX_PID + 1];
            long[] windowPackets = new long[TsPacket.MAX_PID + 1];
            double[] peak = new double[TsPacket.MAX_PID + 1];
            long[] firstTs = new long[TsPacket.MAX_PID + 1];
            long[] lastTs = new long[TsPacket.MAX_PID + 1];
            long[] step = new long[TsPacket.MAX_PID + 1];
            // Per PID: the last forward step within TsPacer.MAX_SPARSE_PCR_STEP (else 0), and the longest steady one.
            long[] lastStep = new long[TsPacket.MAX_PID + 1];
            long[] longestSteadyStep = new long[TsPacket.MAX_PID + 1];
            // Per PID: the PES stream_id, and for audio the elementary stream bytes of its last PES so far.
            int[] streamId = new int[TsPacket.MAX_PID + 1];
            byte[][] lastPes = new byte[TsPacket.MAX_PID + 1][];
            int[] lastPesLength = new int[TsPacket.MAX_PID + 1];
            Arrays.fill(firstPcr, -1);
            Arrays.fill(firstTs, -1);
            int firstPcrPid = -1;
            ProgramClock clock = new ProgramClock();
            PsiTracker psi = new PsiTracker((pid, section, length) -> {
                int tableId = section[0] & 0xFF;
                if (s.firstTable[pid] == null && length >= 12 && Crc32Mpeg.verify(section, 0, length)
                        && tableId == TableVersions.renumberedTableId(pid)) {
                    s.firstTable[pid] = Arrays.copyOf(section, length);
                }
            });
            TsPacket p = new TsPacket();
            try (PacketReader r = PacketReader.open(file)) {
                while (true) {
                    if (s.packets >= maxPackets || (s.packets & 0xFFF) == 0 && stop.getAsBoolean()) {
                        break;
                    }
                    if (progress != null && (s.packets & 0xFFF) == 0 && s.packets > 0) {
                        progress.accept(new Progress(s.packets, clock.steadyTicks, clock.steadyPackets));
                    }
                    if (!r.next(p)) {
                        s.complete = true;
                        break;
                    }
                    long n = s.packets++;
                    int pid = p.pid();
                    psi.accept(p);
                    if (p.hasPayload() && s.firstCc[pid] < 0) {
                        s.firstCc[pid] = p.continuityCounter();
                    }
                    if (p.hasPcr()) {
                        long pcr = p.pcr();
                        Pmt current = psi.firstPmt();
                        if (current != null && current.pcrPid() == pid) {
                            clock.accept(pid, pcr, n, p.discontinuityIndicator());
                        }
                        s.carriesPcr[pid] = true;
                        if (firstPcr[pid] < 0) {
                            firstPcr[pid] = pcr;
                            firstPcrAt[pid] = n;
                            if (firstPcrPid < 0) {
                                firstPcrPid = pid;
                            }
                        } else {
                            long d = Pcr.delta(lastPcr[pid], pcr);
                            if (TsPacer.steady(d, lastStep[pid], p.discontinuityIndicator())) {
                                longestSteadyStep[pid] = Math.max(longestSteadyStep[pid], d);
                                if (lastStep[pid] <= 2 * d) {
                                    // the step before, at most twice this one, was of the same run: a first step
                                    // longer than a second, which had none before it to be steady with
                                    longestSteadyStep[pid] = Math.max(longestSteadyStep[pid], lastStep[pid]);
                                }
                            }
                            lastStep[pid] = !p.discontinuityIndicator() && d > 0 && d <= TsPacer.MAX_SPARSE_PCR_STEP
                                    ? d : 0;
                            if (!p.discontinuityIndicator() && d > 0 && d <= MAX_PCR_STEP) {
                                steadyTicks[pid] += d;
                                steadyPackets[pid] += n - lastPcrAt[pid];
                                windowTicks[pid] += d;
                                windowPackets[pid] += n - lastPcrAt[pid];
                                if (windowTicks[pid] >= PEAK_WINDOW_TICKS) {
                                    peak[pid] = Math.max(peak[pid], rate(windowPackets[pid], windowTicks[pid]));
                                    windowTicks[pid] = 0;
                                    windowPackets[pid] = 0;
                                }
                            } else {
                                jumps[pid]++;
                                windowTicks[pid] = 0;
                                windowPackets[pid] = 0;
                            }
                        }
                        lastPcr[pid] = pcr;
                        lastPcrAt[pid] = n;
                    }
                    int payload = p.offset() + p.payloadOffset();
                    int end = p.offset() + TsPacket.SIZE;
                    if (p.payloadUnitStart() && p.scramblingControl() == 0) {
                        long ts = PesHeader.decodeTime(p.array(), payload, end);
                        if (ts >= 0) {
                            if (firstTs[pid] < 0) {
                                firstTs[pid] = ts;
                            } else {
                                step[pid] = Pcr.ptsDelta(lastTs[pid], ts);
                            }
                            lastTs[pid] = ts;
                            streamId[pid] = p.array()[payload + 3] & 0xFF;
                            if (isAudio(streamId[pid])) {
                                int es = payload + 9 + (p.array()[payload + 8] & 0xFF);
                                lastPes[pid] = append(lastPes[pid], 0, p.array(), es, end);
                                lastPesLength[pid] = Math.max(0, end - es);
                            }
                        }
                    } else if (p.hasPayload() && lastPes[pid] != null && lastPesLength[pid] < MAX_AUDIO_PES) {
                        lastPes[pid] = append(lastPes[pid], lastPesLength[pid], p.array(), payload, end);
                        // what append kept: a PES longer than MAX_AUDIO_PES is measured on its first bytes
                        lastPesLength[pid] = Math.min(MAX_AUDIO_PES, lastPesLength[pid] + end - payload);
                    }
                }
            }
            if (psi.pat() != null) {
                s.psiPids = IntStream.concat(IntStream.of(0),
                        psi.pat().programs().stream().mapToInt(Pat.Program::pmtPid).distinct()).toArray();
                for (int i = 1; i < s.psiPids.length; i++) {
                    s.pmtPid[s.psiPids[i]] = true;
                }
            }
            for (Pmt program : psi.pmts().values()) {
                for (Pmt.Stream stream : program.streams()) {
                    s.scte35Pid[stream.pid()] = stream.isScte35();
                }
            }
            Pmt pmt = psi.firstPmt();
            int pcrPid = pmt != null && pmt.pcrPid() != TsPacket.NULL_PID && firstPcr[pmt.pcrPid()] >= 0
                    ? pmt.pcrPid() : firstPcrPid;
            s.otherPcrPids = psi.pmts().values().stream().mapToInt(Pmt::pcrPid)
                    .filter(pid -> pid != pcrPid && pid != TsPacket.NULL_PID && firstPcr[pid] >= 0).distinct()
                    .toArray();
            s.otherFirstPcrAt = Arrays.stream(s.otherPcrPids).mapToLong(pid -> firstPcrAt[pid]).toArray();
            long pcrDuration = 0;
            if (pcrPid >= 0 && lastPcrAt[pcrPid] > firstPcrAt[pcrPid]) {
                s.pcrPid = pcrPid;
                s.firstPcr = firstPcr[pcrPid];
                s.firstPcrAt = firstPcrAt[pcrPid];
                s.pcrIntervalTicks = longestSteadyStep[pcrPid];
                s.peakBitsPerSecond = Math.round(peak[pcrPid]);
                long span = Pcr.forward(firstPcr[pcrPid], lastPcr[pcrPid]);
                pcrDuration = Math.round((double) span * s.packets / (lastPcrAt[pcrPid] - firstPcrAt[pcrPid]));
            }
            long tsDuration = 0;
            long tsStartSpan = 0;
            long tsEnd = 0;
            for (int pid = 0; pid <= TsPacket.MAX_PID; pid++) {
                if (firstTs[pid] >= 0 && step[pid] > 0) {
                    long span = Pcr.ptsDelta(firstTs[pid], lastTs[pid]);
                    tsDuration = Math.max(tsDuration, (span + step[pid]) * 300);
                    tsStartSpan = Math.max(tsStartSpan, (span + 1) * 300);
                    tsEnd = Math.max(tsEnd, (span + lastPesDuration(streamId[pid], step[pid], lastPes[pid],
                            lastPesLength[pid])) * 300);
                }
            }
            if (pcrDuration > 0 && tsEnd > 0 && jumps[pcrPid] == 0
                    && pcrDuration - tsEnd > Math.max(SLOW_CLOCK_MIN_TICKS, pcrDuration / 10)) {
                s.slowClockContentTicks = tsEnd;
                s.slowClockPcrTicks = pcrDuration;
            }
            if (s.pcrPid >= 0 && clock.pidChanges > 0 && clock.steadyPackets > 0) {
                // The PMT changed the PCR PID inside the file (two recordings joined, each with its own): each PID's
                // PCRs cover only part of it, so it is measured, and shifted, on the clock the PMT named as it went,
                // the change a jump like any other.
                double ticksPerPacket = (double) clock.steadyTicks / clock.steadyPackets;
                long outside = s.packets - (clock.lastAt - clock.firstAt);
                s.peakBitsPerSecond = Math.round(clock.peak);
                s.durationTicks = Math.round(ticksPerPacket * s.packets);
                s.shiftPerPass = Pcr.add(Pcr.forward(clock.firstPcr, clock.lastPcr),
                        Math.round(ticksPerPacket * outside));
                s.pcrPidChanges = true;
                s.clockJumps = true;
                return s;
            }
            if (s.pcrPid >= 0 && jumps[pcrPid] > 0 && steadyPackets[pcrPid] > 0) {
                // The PCR jumps inside the file: its rate comes from the continuous stretches, the seam from where
                // its clock ends (the last PCR plus the packets after it) against where it starts (the first PCR
                // less the packets before it). PES timestamps jump with it, so their span says nothing here.
                double ticksPerPacket = (double) steadyTicks[pcrPid] / steadyPackets[pcrPid];
                long outside = s.packets - (lastPcrAt[pcrPid] - firstPcrAt[pcrPid]);
                s.durationTicks = Math.round(ticksPerPacket * s.packets);
                s.shiftPerPass = Pcr.add(Pcr.forward(firstPcr[pcrPid], lastPcr[pcrPid]),
                        Math.round(ticksPerPacket * outside));
                s.timeSeam(ticksPerPacket, lastPcrAt[pcrPid], lastPcrAt);
                s.clockJumps = true;
                return s;
            }
            // With PCRs, the PCR duration is the pass length: a muxer that packs several audio frames in one PES
            // (ffmpeg: ~170 ms of AAC) makes "last PES + one step" overshoot it, which would open a PCR gap of that
            // much at every seam. PES timestamps only need to keep going forward.
            s.durationTicks = pcrDuration > 0 ? Math.max(pcrDuration, tsStartSpan) : tsDuration;
            if (pcrDuration > 0 && s.durationTicks == pcrDuration) {
                s.timeSeam((double) pcrDuration / s.packets, lastPcrAt[pcrPid], lastPcrAt);
            }
            if (pcrDuration > 0 && tsEnd > s.durationTicks && s.complete) {
                // An elementary stream plays on after the PCR time ends (ffmpeg's audio often does, by a frame or
                // two): shifting the next pass by the PCR time alone would start it before that audio has finished,
                // its timestamps going back. Extend the pass by whole packets at the file's rate, filled in.
                s.timeSeam((double) pcrDuration / s.packets, lastPcrAt[pcrPid], lastPcrAt);
                s.fillerPackets = (long) Math.ceil((tsEnd - pcrDuration) / s.ticksPerPacket);
                s.psiEveryPackets = Math.max(1, Math.round(PSI_FILL_INTERVAL_TICKS / s.ticksPerPacket));
                s.durationTicks = pcrDuration + Math.round(s.fillerPackets * s.ticksPerPacket);
            }
            s.shiftPerPass = Math.floorMod(s.durationTicks, Pcr.WRAP);
            if (s.packets > 0 && s.durationTicks <= 0) {
                throw new TsException("cannot loop " + file.getFileName() + ": it has neither PCRs nor PTS to measure "
                        + "its duration" + (s.complete ? "" : " in its first " + s.packets + " packets")
                        + " (expected: an MPEG-TS file with a PCR PID)");
            }
            return s;
        }
    }

    /** How long a changed file must have been left alone before its new content is read: a copy has finished. */
    static final long SETTLE_MILLIS = 500;

    /** The longest interval between the PCRs of the fill while a changed file is waited for: 40 ms. */
    static final long FILL_PCR_INTERVAL_TICKS = Pcr.HZ / 25;

    /** Where the looper is when it looks at the file on disk. */
    private enum Moment { LOOP_POINT, MID_PASS, WAITING }

    /**
     * How fill packets are timed: the file's rate in PCR ticks per packet, and every how many packets a PCR and the
     * tables are sent.
     *
     * @param packetsBeforeNextPcr for the fill between passes, the packets of the next pass before its first PCR: the
     *     fill's last packet carries a PCR too when they would otherwise make the step to that PCR longer than
     *     {@code pcrEveryPackets}; 0 for a wait on a changed file
     */
    private record FillPlan(double ticksPerPacket, long pcrEveryPackets, long psiEveryPackets,
            long packetsBeforeNextPcr) {

        /**
         * For a wait on a changed file: at the rate of what played, a PCR at its interval or every 40 ms, whichever
         * is sooner (TR 101 290's PCR_repetition_error; a file's 100 ms, rounded to whole packets, could pass 100).
         */
        static FillPlan of(Scan s) {
            double ticksPerPacket = s.averageTicksPerPacket();
            long pcrInterval = s.pcrIntervalTicks > 0 ? Math.min(s.pcrIntervalTicks, FILL_PCR_INTERVAL_TICKS)
                    : FILL_PCR_INTERVAL_TICKS;
            return new FillPlan(ticksPerPacket, Math.max(1, Math.round(pcrInterval / ticksPerPacket)),
                    Math.max(1, Math.round(PSI_FILL_INTERVAL_TICKS / ticksPerPacket)), 0);
        }
    }

    /** A file as found on disk: which file (device and inode), how long, when last written. */
    private record FileState(Object key, long size, java.nio.file.attribute.FileTime modified) {

        /** The file at {@code path} now, or null when it is not there or cannot be read. */
        static FileState of(Path path) {
            try {
                var a = java.nio.file.Files.readAttributes(path, java.nio.file.attribute.BasicFileAttributes.class);
                return new FileState(a.fileKey(), a.size(), a.lastModifiedTime());
            } catch (IOException e) {
                return null;
            }
        }

        /**
         * Whether nothing has written the file for {@link #SETTLE_MILLIS}: a copy that is not under way. Compares its
         * modification time with this machine's clock, which the file system stamps it by.
         */
        boolean settled() {
            return System.currentTimeMillis() - modified.toMillis() >= SETTLE_MILLIS;
        }

        /** Whether {@code other} is the same file, perhaps written since; false when either cannot tell. */
        boolean sameFile(FileState other) {
            return key != null && key.equals(other.key);
        }
    }

    /**
     * How far a measurement of the whole file has got: the packets read, and the PCR ticks and packets of the
     * continuous steps among them of the first program's clock ({@link ProgramClock}), whose average is the file's rate
     * as far as it is known. Published by the measuring thread every 4096 packets, read by the looper's.
     */
    private record Progress(long packets, long steadyTicks, long steadyPackets) {
        static final Progress NONE = new Progress(0, 0, 0);

        /** The average rate over the continuous steps read, in ticks per packet; 0 before one. */
        double ticksPerPacket() {
            return steadyPackets > 0 ? (double) steadyTicks / steadyPackets : 0;
        }
    }

    /**
     * The clock of the first program as its PMT names it while the file goes on: the PCRs of the PID its PCR_PID is at
     * the time, a change of that PID counted as a jump. What a file whose PCR PID changes is measured on.
     */
    private static final class ProgramClock {
        long firstPcr = -1;
        long firstAt;
        long lastPcr;
        long lastAt;
        /** The PID of the last PCR taken, or -1. */
        int pid = -1;
        /** Changes of the PCR PID between two PCRs taken. */
        long pidChanges;
        /** PCR ticks and packets over continuous steps only. */
        long steadyTicks;
        long steadyPackets;
        /** The window of continuous steps being summed for the peak rate, and the highest rate so far. */
        long windowTicks;
        long windowPackets;
        double peak;

        void accept(int pcrPid, long pcr, long n, boolean discontinuity) {
            if (firstPcr < 0) {
                firstPcr = pcr;
                firstAt = n;
            } else {
                long d = Pcr.delta(lastPcr, pcr);
                if (pcrPid != pid) {
                    pidChanges++;
                    windowTicks = 0;
                    windowPackets = 0;
                } else if (!discontinuity && d > 0 && d <= MAX_PCR_STEP) {
                    steadyTicks += d;
                    steadyPackets += n - lastAt;
                    windowTicks += d;
                    windowPackets += n - lastAt;
                    if (windowTicks >= PEAK_WINDOW_TICKS) {
                        peak = Math.max(peak, rate(windowPackets, windowTicks));
                        windowTicks = 0;
                        windowPackets = 0;
                    }
                } else {
                    windowTicks = 0;
                    windowPackets = 0;
                }
            }
            pid = pcrPid;
            lastPcr = pcr;
            lastAt = n;
        }
    }

    /** Most of an audio PES kept to measure how long it plays: far more than any muxer puts in one. */
    private static final int MAX_AUDIO_PES = 1 << 16;

    /** PES stream_ids of audio: MPEG audio streams, and private_stream_1 (AC-3, E-AC-3 in DVB). */
    private static boolean isAudio(int streamId) {
        return streamId >= 0xC0 && streamId <= 0xDF || streamId == 0xBD;
    }

    /** {@code dst} (grown when needed) with {@code src[from, to)} written at {@code at}. */
    private static byte[] append(byte[] dst, int at, byte[] src, int from, int to) {
        int n = Math.min(Math.max(0, to - from), MAX_AUDIO_PES - at);
        byte[] out = dst == null ? new byte[4096] : dst;
        if (at + n > out.length) {
            out = Arrays.copyOf(out, Math.min(MAX_AUDIO_PES, Math.max(out.length * 2, at + n)));
        }
        System.arraycopy(src, from, out, at, n);
        return out;
    }

    /**
     * How long a PID's last PES plays, on the 90 kHz clock: one step for video (a frame a PES); the frames counted for
     * audio, which a muxer packs several to a PES; one tick for anything else, whose end is not known (subtitles,
     * teletext), so that its timestamps at least never repeat.
     */
    private static long lastPesDuration(int streamId, long step, byte[] pes, int length) {
        if (streamId >= 0xE0 && streamId <= 0xEF) {
            return step;
        }
        long audio = pes == null ? -1 : AudioFrames.duration90k(pes, 0, length);
        return audio > 0 ? audio : 1;
    }

    /** Bits per second of {@code packets} 188-byte packets over {@code ticks} of the 27 MHz clock. */
    private static double rate(long packets, long ticks) {
        return packets * TsPacket.SIZE * 8 * (double) Pcr.HZ / ticks;
    }
}
