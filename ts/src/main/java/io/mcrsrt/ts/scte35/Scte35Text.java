package io.mcrsrt.ts.scte35;

import io.mcrsrt.ts.pcr.Pcr;
import java.util.Locale;

/**
 * Cues in words, as {@code mcr-srt scte35} prints them and the service's streams tell them: the command, where it
 * splices, each descriptor.
 */
public final class Scte35Text {
    private Scte35Text() {
    }

    /**
     * One line for an event list: {@link #describe} with its descriptors after the command, each after "; ".
     */
    public static String oneLine(SpliceInfoSection s) {
        return describe(s).replace("\n  ", "; ");
    }

    /**
     * A readable summary of one cue: the command and its times on the first line (a splice time with a pts_adjustment
     * also as their sum), then each descriptor on a line of its own, indented by two spaces.
     */
    public static String describe(SpliceInfoSection s) {
        StringBuilder b = new StringBuilder();
        if (s.encryptedPacket()) {
            return String.format(Locale.ROOT, "encrypted cue (%s, cw_index %d): command and descriptors not decoded",
                    s.encryptionAlgorithmName(), s.cwIndex());
        }
        SpliceCommand c = s.command();
        b.append(c.name());
        switch (c) {
            case SpliceCommand.TimeSignal t -> b.append(time(t.spliceTime(), s.ptsAdjustment()));
            case SpliceCommand.SpliceInsert i -> {
                b.append(String.format(Locale.ROOT, " event %d", i.spliceEventId()));
                if (i.cancel()) {
                    b.append(" cancelled");
                } else {
                    b.append(i.outOfNetwork() ? " out of network" : " back to network");
                    if (i.spliceImmediate()) {
                        b.append(" immediate");
                    } else if (i.spliceTime() != null) {
                        b.append(time(i.spliceTime(), s.ptsAdjustment()));
                    }
                    if (i.breakDuration() != null) {
                        b.append(String.format(Locale.ROOT, " break %.6f s%s", i.breakDuration().seconds(),
                                i.breakDuration().autoReturn() ? " auto-return" : ""));
                    }
                    b.append(String.format(Locale.ROOT, " program %d avail %d/%d", i.uniqueProgramId(), i.availNum(),
                            i.availsExpected()));
                }
            }
            case SpliceCommand.SpliceSchedule sc -> b.append(" ").append(sc.events().size()).append(" event(s)");
            case SpliceCommand.PrivateCommand p -> b.append(String.format(Locale.ROOT, " identifier 0x%08X, %d bytes",
                    p.identifier(), p.privateBytes().length));
            default -> { }
        }
        if (s.ptsAdjustment() != 0) {
            b.append(String.format(Locale.ROOT, " (pts_adjustment %.6f s)", s.ptsAdjustment() / 90_000.0));
        }
        for (SpliceDescriptor d : s.descriptors()) {
            b.append("\n  ").append(d.name());
            switch (d) {
                case SpliceDescriptor.Segmentation g -> {
                    b.append(String.format(Locale.ROOT, " event 0x%08X: %s (0x%02X)", g.segmentationEventId(),
                            g.segmentationMessage(), g.segmentationTypeId()));
                    if (!g.cancel()) {
                        if (g.durationFlag()) {
                            b.append(String.format(Locale.ROOT, ", duration %.6f s", g.segmentationDuration() / 90_000.0));
                        }
                        b.append(", UPID ").append(g.upid().typeName());
                        if (!g.upid().value().isEmpty()) {
                            b.append(" ").append(g.upid().value());
                        }
                        b.append(String.format(Locale.ROOT, ", segment %d/%d", g.segmentNum(), g.segmentsExpected()));
                    } else {
                        b.append(" cancelled");
                    }
                }
                case SpliceDescriptor.Avail a -> b.append(" provider_avail_id ").append(a.providerAvailId());
                case SpliceDescriptor.Dtmf t -> b.append(" \"").append(t.dtmfChars()).append("\" preroll ")
                        .append(t.preroll());
                case SpliceDescriptor.Time t -> b.append(" TAI ").append(t.taiSeconds()).append(" s ")
                        .append(t.taiNs()).append(" ns, UTC offset ").append(t.utcOffset());
                default -> { }
            }
        }
        return b.toString();
    }

    /**
     * Where a splice_time points. With a pts_adjustment the splice is at pts_time plus it, modulo 2^33 (ANSI/SCTE 35
     * 9.6): that time is given beside pts_time, which alone did not match the stream's PTS.
     */
    private static String time(SpliceTime t, long ptsAdjustment) {
        if (!t.timeSpecified()) {
            return " immediate";
        }
        String at = String.format(Locale.ROOT, " at pts %.6f s", t.seconds());
        return ptsAdjustment == 0 ? at : at + String.format(Locale.ROOT, " (%.6f s with pts_adjustment)",
                Pcr.addPts(t.ptsTime(), ptsAdjustment) / 90_000.0);
    }
}
