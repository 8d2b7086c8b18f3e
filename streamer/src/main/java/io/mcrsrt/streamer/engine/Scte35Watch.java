package io.mcrsrt.streamer.engine;

import io.mcrsrt.streamer.stream.Scte35Cues;
import io.mcrsrt.ts.TsPacket;
import io.mcrsrt.ts.pcr.Pcr;
import io.mcrsrt.ts.scte35.Scte35Json;
import io.mcrsrt.ts.scte35.Scte35Monitor;
import io.mcrsrt.ts.scte35.Scte35Text;
import io.mcrsrt.ts.scte35.SpliceCommand;
import io.mcrsrt.ts.scte35.SpliceDescriptor;
import io.mcrsrt.ts.scte35.SpliceInfoSection;
import io.mcrsrt.ts.scte35.SpliceTime;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * Watches the packets a stream sends for SCTE-35 cues, on the stream's thread as it sends them: the SCTE-35 PIDs its
 * PMTs announce (stream type 0x86), and a cue that fits in one packet on a PID no PMT announces, as
 * {@code mcr-srt scte35} finds them ({@link Scte35Monitor}). A packet of any other PID costs a look at its header; no
 * message is copied. Not thread-safe: it belongs to the stream's thread; {@link #cues} is a snapshot for the others.
 */
final class Scte35Watch {
    /** The kind of the event each cue is told as. */
    static final String EVENT = "scte35";
    private final Scte35Monitor monitor = new Scte35Monitor(this::onCue);
    /** Told each cue: the event's kind and its detail. */
    private final BiConsumer<String, String> events;
    private final ArrayDeque<Scte35Cues.Cue> recent = new ArrayDeque<>();
    private long count;
    private long errors;
    private Scte35Cues cues = Scte35Cues.NONE;
    /** {@link Scte35Monitor#unannouncedCueCount} when last looked at, and the PIDs already told. */
    private long unannouncedSeen;
    private final Set<Integer> unannouncedTold = new HashSet<>();

    /** @param events told {@code ("scte35", detail)} for each cue, on the stream's thread */
    Scte35Watch(BiConsumer<String, String> events) {
        this.events = events;
    }

    /** Looks at the whole packets of {@code message}, from its position to its limit, which are left as they are. */
    void accept(ByteBuffer message) {
        int end = message.limit() - TsPacket.SIZE;
        for (int at = message.position(); at <= end; at += TsPacket.SIZE) {
            if (message.get(at) == TsPacket.SYNC_BYTE) {
                monitor.accept(message, at);
            }
        }
        if (monitor.unannouncedCueCount() != unannouncedSeen) {
            unannouncedSeen = monitor.unannouncedCueCount();
            tellUnannounced();
        }
    }

    /**
     * A {@code warning}, once a PID, when cues go out on a PID no PMT announces as SCTE-35: a splicer that follows the
     * PMT does not see them. They are not decoded or counted as cues, as {@code mcr-srt scte35} does not.
     */
    private void tellUnannounced() {
        monitor.unannouncedCues().forEach((pid, n) -> {
            if (unannouncedTold.add(pid)) {
                events.accept("warning", String.format(Locale.ROOT, "PID 0x%04X carries SCTE-35 cues (table_id 0xFC)"
                        + " but no PMT lists it as SCTE-35 (expected: stream type 0x86 in the PMT; the multiplexer"
                        + " left it out, so a splicer that follows the PMT does not see them)", pid));
            }
        });
    }

    /** The cues so far: an immutable snapshot, taken when the last one came. */
    Scte35Cues cues() {
        return cues;
    }

    private void onCue(Scte35Monitor.Cue c) {
        Scte35Cues.Cue cue = c.section() == null
                ? new Scte35Cues.Cue(System.currentTimeMillis(), c.pid(), null, null, null, null,
                        "cannot decode: " + c.error(), null, c.error())
                : decoded(c.pid(), c.section());
        count++;
        if (c.section() == null) {
            errors++;
        }
        if (recent.size() == Scte35Cues.RECENT) {
            recent.removeFirst();
        }
        recent.addLast(cue);
        cues = new Scte35Cues(count, errors, recent.stream().toList());
        events.accept(EVENT, String.format(Locale.ROOT, "PID 0x%04X: %s", c.pid(), cue.summary()));
    }

    private static Scte35Cues.Cue decoded(int pid, SpliceInfoSection s) {
        Long eventId = null;
        SpliceTime time = null;
        Double duration = null;
        SpliceCommand command = s.encryptedPacket() ? null : s.command();
        if (command instanceof SpliceCommand.SpliceInsert i) {
            eventId = i.spliceEventId();
            time = i.spliceImmediate() ? null : i.spliceTime();
            duration = i.breakDuration() == null ? null : i.breakDuration().seconds();
        } else if (command instanceof SpliceCommand.TimeSignal t) {
            time = t.spliceTime();
        }
        for (SpliceDescriptor d : s.encryptedPacket() ? List.<SpliceDescriptor>of() : s.descriptors()) {
            if (d instanceof SpliceDescriptor.Segmentation g && !g.cancel()) {
                if (eventId == null) {
                    eventId = g.segmentationEventId();
                }
                if (duration == null && g.durationFlag()) {
                    duration = g.segmentationDuration() / 90_000.0;
                }
            }
        }
        Double pts = time == null || !time.timeSpecified() ? null
                : Pcr.addPts(time.ptsTime(), s.ptsAdjustment()) / 90_000.0;
        return new Scte35Cues.Cue(System.currentTimeMillis(), pid, command == null ? "encrypted" : command.name(),
                eventId, pts, duration, Scte35Text.oneLine(s), Scte35Json.toJson(s), null);
    }
}
