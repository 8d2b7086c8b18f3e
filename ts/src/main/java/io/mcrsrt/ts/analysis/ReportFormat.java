package io.mcrsrt.ts.analysis;

import io.mcrsrt.ts.JsonWriter;
import io.mcrsrt.ts.TsPacket;
import io.mcrsrt.ts.rtp.Rtp;
import io.mcrsrt.ts.rtp.RtpUnwrapper;
import java.util.Locale;
import java.util.Objects;

/** Prints an {@link AnalysisReport} as a readable table or as JSON. */
public final class ReportFormat {
    private ReportFormat() {}

    /**
     * A plain-text report: summary, TR 101 290 indicators, packets with the reserved adaptation_field_control (when
     * there were any), PCR, services, PIDs.
     */
    public static String table(AnalysisReport r) {
        Objects.requireNonNull(r, "r must not be null (TsAnalyzer.report())");
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "Packets %d, duration %s, transport rate %s%n", r.packets(),
                r.durationNanos() > 0 ? String.format(Locale.ROOT, "%.3f s", r.durationNanos() / 1e9) : "unknown (no PCR)",
                r.bitrate() > 0 ? String.format(Locale.ROOT, "%.3f Mbit/s", r.bitrate() / 1e6) : "unknown"));
        if (r.packets() == 0) {
            b.append("No MPEG-TS packets found: no run of packets of 188, 192 (M2TS) or 204 bytes starting with the"
                    + " sync byte 0x47. Is this a transport stream?").append(System.lineSeparator());
        } else if (r.packetSize() != TsPacket.SIZE) {
            b.append(String.format(Locale.ROOT, "Packet size %d (%s)%n", r.packetSize(),
                    r.packetSize() == TsPacket.SIZE_M2TS ? "M2TS: the 4-byte timestamp before each packet dropped"
                            : "Reed-Solomon parity stripped"));
        }
        if (r.bytesSkipped() > 0) {
            b.append(String.format(Locale.ROOT, "Bytes skipped looking for sync: %d%n", r.bytesSkipped()));
        }
        if (r.truncatedLastPacket() > 0) {
            b.append(String.format(Locale.ROOT, "Last packet cut short: the input ends %d bytes into packet %d, of %d"
                    + " bytes (a file cut off while it was written or copied); left out%n", r.truncatedLastPacket(),
                    r.packets(), TsPacket.SIZE));
        }
        b.append(String.format(Locale.ROOT, "%nTR 101 290%n%-36s %3s %8s %12s %12s  %s%n", "indicator", "pri", "count",
                "first (s)", "last (s)", "last detail"));
        for (Indicator i : Indicator.values()) {
            AnalysisReport.ErrorSummary e = r.errors().get(i);
            b.append(String.format(Locale.ROOT, "%-36s %3d %8d %12s %12s  %s%n", i.label(), i.priority(), e.count(),
                    time(e.firstNanos(), e.count()), time(e.lastNanos(), e.count()),
                    e.lastDetail() == null ? (e.count() > 0 ? "" : r.packets() == 0 ? "not checked" : "OK")
                            : e.lastDetail()));
        }
        AnalysisReport.ErrorSummary reserved = r.reservedAdaptationFieldControl();
        if (reserved.count() > 0) {
            b.append(String.format(Locale.ROOT, "%nPackets with reserved adaptation_field_control '00' (discarded as a "
                    + "decoder does; continuity not checked against them): %d, first %s s (packet %d), last %s s "
                    + "(packet %d)%n", reserved.count(), time(reserved.firstNanos(), reserved.count()),
                    reserved.firstPacket(), time(reserved.lastNanos(), reserved.count()), reserved.lastPacket()));
            for (AnalysisReport.PidReport pid : r.pids()) {
                if (pid.reservedAdaptationFieldControl() > 0) {
                    b.append(String.format(Locale.ROOT, "  PID 0x%04X: %d%n", pid.pid(),
                            pid.reservedAdaptationFieldControl()));
                }
            }
        }
        if (!r.pcrs().isEmpty()) {
            b.append(String.format(Locale.ROOT, "%n"));
        }
        for (AnalysisReport.PcrReport p : r.pcrs()) {
            b.append(String.format(Locale.ROOT, "PCR on PID 0x%04X (%s): %d PCRs, longest interval %.3f ms, ",
                    p.pid(), p.programNumber() >= 0 ? "PCR_PID of program "
                    + p.programNumber() : p == r.pcr() ? "the first PID with a PCR; no PMT read names it"
                    : "no PMT names it",
                    p.count(), p.maxIntervalNanos() / 1e6));
            b.append(p.accuracyJudged() > 0
                    ? String.format(Locale.ROOT, "largest accuracy deviation %d ns of %d judged", p.maxAccuracyNanos(),
                            p.accuracyJudged())
                    : "accuracy not judged (no steady transport rate around any PCR: a variable-rate stream, or too"
                            + " short)");
            if (p.jitterMaxNanos() >= 0) {
                b.append(String.format(Locale.ROOT, ", arrival jitter p50 %.3f ms p99 %.3f ms max %.3f ms",
                        p.jitterP50Nanos() / 1e6, p.jitterP99Nanos() / 1e6, p.jitterMaxNanos() / 1e6));
            }
            b.append(String.format(Locale.ROOT, "%n"));
        }
        if (!r.timing().isEmpty()) {
            b.append(String.format(Locale.ROOT, "%nDecode time less PCR where each PES starts (0 to 1 s is right)%n"
                    + "%-8s %-28s %8s %10s %10s %6s %8s%n", "PID", "content", "PES", "min (s)", "max (s)", "< 0 s",
                    "> 1 s"));
            for (AnalysisReport.TimingReport t : r.timing()) {
                b.append(String.format(Locale.ROOT, "0x%04X   %-28s %8d %10.3f %10.3f %6d %8d%n", t.pid(),
                        t.description(), t.pes(), t.minNanos() / 1e9, t.maxNanos() / 1e9, t.late(),
                        t.overOneSecond()));
            }
            for (AnalysisReport.TimingReport t : r.timing()) {
                // Those off only because the PCR stepped are told as such: the mux rate is not to blame for them, and
                // the worst value measured may be one of theirs, so it is given only when none is.
                long late = t.late() - t.lateFromPcrStep();
                long early = t.overOneSecond() - t.overOneSecondFromPcrStep();
                if (t.lateFromPcrStep() > 0) {
                    b.append(String.format(Locale.ROOT, "  PID 0x%04X: %d PES reach a decoder after their decode time"
                            + " only because the PCR stepped (PCR discontinuity): against the PCR as it ran before the"
                            + " step they are on time; their timestamps did not step with it%n", t.pid(),
                            t.lateFromPcrStep()));
                }
                if (late > 0) {
                    b.append(String.format(Locale.ROOT, "  PID 0x%04X: %d PES reach a decoder after their decode time"
                            + "%s: the PCR runs slow against the timestamps, as in a stream multiplexed with too low a"
                            + " mux rate%n", t.pid(), late, t.lateFromPcrStep() > 0 ? ""
                            : String.format(Locale.ROOT, " (up to %.3f s late)", -t.minNanos() / 1e9)));
                }
                if (t.overOneSecondFromPcrStep() > 0) {
                    b.append(String.format(Locale.ROOT, "  PID 0x%04X: %d PES reach a decoder more than 1 s before their"
                            + " decode time only because the PCR stepped (PCR discontinuity): against the PCR as it ran"
                            + " before the step they are on time; their timestamps did not step with it%n", t.pid(),
                            t.overOneSecondFromPcrStep()));
                }
                if (early > 0) {
                    b.append(String.format(Locale.ROOT, "  PID 0x%04X: %d PES reach a decoder more than 1 s before their"
                            + " decode time%s: the PCR runs fast against the timestamps, or the multiplexer sends too"
                            + " early%n", t.pid(), early, t.overOneSecondFromPcrStep() > 0 ? ""
                            : String.format(Locale.ROOT, " (up to %.3f s)", t.maxNanos() / 1e9)));
                }
            }
        }
        b.append(String.format(Locale.ROOT, "%nServices%n"));
        if (r.services().isEmpty()) {
            b.append(String.format(Locale.ROOT, "  none (no PAT)%n"));
        }
        for (AnalysisReport.ServiceReport s : r.services()) {
            b.append(String.format(Locale.ROOT, "  program %d  \"%s\"  provider \"%s\"  PMT 0x%04X  PCR %s%n",
                    s.programNumber(), s.serviceName(), s.providerName(), s.pmtPid(),
                    s.pcrPid() < 0 ? "?" : String.format(Locale.ROOT, "0x%04X", s.pcrPid())));
            for (String stream : s.streams()) {
                b.append("    ").append(stream).append(String.format(Locale.ROOT, "%n"));
            }
        }
        b.append(String.format(Locale.ROOT, "%nPIDs%n%-8s %-28s %10s %12s %6s %4s %s%n", "PID", "content", "packets",
                "Mbit/s", "CC err", "PCR", "scrambled"));
        for (AnalysisReport.PidReport pid : r.pids()) {
            b.append(String.format(Locale.ROOT, "0x%04X   %-28s %10d %12s %6d %4s %s%n", pid.pid(), pid.description(),
                    pid.packets(), pid.bitrate() > 0 ? String.format(Locale.ROOT, "%.3f", pid.bitrate() / 1e6) : "-",
                    pid.continuityErrors(), pid.pcr() ? "yes" : "", pid.scrambled() ? "yes" : ""));
        }
        return b.toString();
    }

    /**
     * The RTP accounting of a network input as report lines: datagrams, losses, duplicates, reordering, restarts of the
     * numbering, SSRC changes and timestamp jumps, then one line for each restart kept (time, datagram and packet where
     * the new numbering starts) and each timestamp jump kept (time, datagram and packet of the new timestamp). Packet
     * numbers count the transport stream packets carried in RTP, as the analyzer counts them when every datagram is RTP.
     */
    public static String rtp(RtpUnwrapper.Report rtp) {
        Objects.requireNonNull(rtp, "rtp must not be null (RtpUnwrapper.report())");
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "RTP: %d datagrams, %d lost in %d gaps, %d duplicates, %d out of order, "
                + "%d restarts (%d of them a new SSRC), %d timestamp jumps%n", rtp.datagrams(), rtp.lost(), rtp.gaps(),
                rtp.duplicates(), rtp.reordered(), rtp.restarts(), rtp.ssrcChanges(), rtp.timestampJumps()));
        for (RtpUnwrapper.Restart r : rtp.firstRestarts()) {
            String where = String.format(Locale.ROOT, "at %s (datagram %d, packet %d)",
                    r.atNanos() < 0 ? "unknown time" : String.format(Locale.ROOT, "%.3f s", r.atNanos() / 1e9),
                    r.datagram(), r.packet());
            if (r.newSsrc()) {
                b.append(String.format(Locale.ROOT, "  new SSRC %s: SSRC %s -> %s, sequence %d -> %d%n", where,
                        Rtp.formatSsrc(r.fromSsrc()), Rtp.formatSsrc(r.toSsrc()), r.fromSequence(), r.toSequence()));
            } else {
                b.append(String.format(Locale.ROOT, "  sequence restart %s: sequence %d -> %d, SSRC %s%n", where,
                        r.fromSequence(), r.toSequence(), Rtp.formatSsrc(r.toSsrc())));
            }
        }
        long more = rtp.restarts() - rtp.firstRestarts().size();
        if (more > 0) {
            b.append(String.format(Locale.ROOT, "  %d more restarts not listed (the first %d are)%n", more,
                    rtp.firstRestarts().size()));
        }
        for (RtpUnwrapper.TimestampJump j : rtp.firstTimestampJumps()) {
            b.append(String.format(Locale.ROOT, "  timestamp jump at %.3f s (datagram %d, packet %d): timestamp %d -> "
                    + "%d, %+.3f s at 90 kHz while %.3f s passed, sequence %d, SSRC %s%n", j.atNanos() / 1e9,
                    j.datagram(), j.packet(), Integer.toUnsignedLong(j.fromTimestamp()),
                    Integer.toUnsignedLong(j.toTimestamp()), j.stepNanos() / 1e9, j.elapsedNanos() / 1e9, j.sequence(),
                    Rtp.formatSsrc(j.ssrc())));
        }
        long moreJumps = rtp.timestampJumps() - rtp.firstTimestampJumps().size();
        if (moreJumps > 0) {
            b.append(String.format(Locale.ROOT, "  %d more timestamp jumps not listed (the first %d are)%n", moreJumps,
                    rtp.firstTimestampJumps().size()));
        }
        return b.toString();
    }

    private static String time(long nanos, long count) {
        return count == 0 || nanos < 0 ? "-" : String.format(Locale.ROOT, "%.3f", nanos / 1e9);
    }

    /** The report as JSON, indicator names as TR 101 290 writes them. */
    public static String json(AnalysisReport r) {
        return json(r, null);
    }

    /**
     * The report as JSON, with an {@code rtp} object holding the RTP accounting of the input (as {@link
     * #rtp(RtpUnwrapper.Report)} prints it) when {@code rtp} is not null and saw datagrams.
     */
    public static String json(AnalysisReport r, RtpUnwrapper.Report rtp) {
        return json(r, rtp, -1);
    }

    /**
     * As {@link #json(AnalysisReport, RtpUnwrapper.Report)}, for an input read in datagrams (UDP, SRT): {@code
     * datagrams_ignored} gives how many of them were neither raw TS nor RTP-wrapped TS and were left out of the
     * analysis, 0 included.
     *
     * @param datagramsIgnored datagrams that were not TS, or -1 for an input that has no datagrams (a file), which
     *     leaves the field out
     */
    public static String json(AnalysisReport r, RtpUnwrapper.Report rtp, long datagramsIgnored) {
        return json(r, rtp, datagramsIgnored, datagramsIgnored < 0 ? -1 : 0);
    }

    /**
     * As {@link #json(AnalysisReport, RtpUnwrapper.Report, long)}, with {@code stray_bytes}: bytes of the datagrams
     * that held TS but were in no whole packet (a gateway's trailer after the packets, the tail of a packet before
     * the first), left out of the analysis ({@link io.mcrsrt.ts.rtp.TsDatagram}).
     *
     * @param strayBytes those bytes, or -1 for an input that has no datagrams, which leaves the field out
     */
    public static String json(AnalysisReport r, RtpUnwrapper.Report rtp, long datagramsIgnored, long strayBytes) {
        Objects.requireNonNull(r, "r must not be null (TsAnalyzer.report())");
        JsonWriter w = new JsonWriter();
        w.beginObject().field("packets", r.packets()).field("duration_s", r.durationNanos() / 1e9, 3)
                .field("bitrate_bps", Math.round(r.bitrate())).field("bytes_skipped", r.bytesSkipped())
                .field("truncated_last_packet_bytes", r.truncatedLastPacket()).field("packet_size", r.packetSize());
        if (datagramsIgnored >= 0) {
            w.field("datagrams_ignored", datagramsIgnored);
        }
        if (strayBytes >= 0) {
            w.field("stray_bytes", strayBytes);
        }
        if (rtp != null && rtp.datagrams() > 0) {
            w.name("rtp").beginObject().field("datagrams", rtp.datagrams()).field("lost", rtp.lost())
                    .field("gaps", rtp.gaps()).field("duplicates", rtp.duplicates())
                    .field("out_of_order", rtp.reordered()).field("restarts", rtp.restarts())
                    .field("ssrc_changes", rtp.ssrcChanges());
            w.name("first_restarts").beginArray();
            for (RtpUnwrapper.Restart x : rtp.firstRestarts()) {
                w.beginObject().field("cause", x.newSsrc() ? "new SSRC" : "sequence restart");
                if (x.atNanos() >= 0) {
                    w.field("at_s", x.atNanos() / 1e9, 6);
                }
                w.field("datagram", x.datagram()).field("packet", x.packet())
                        .field("from_sequence", x.fromSequence()).field("to_sequence", x.toSequence())
                        .field("from_ssrc", Rtp.formatSsrc(x.fromSsrc())).field("to_ssrc", Rtp.formatSsrc(x.toSsrc()))
                        .endObject();
            }
            w.endArray();
            w.field("timestamp_jumps", rtp.timestampJumps());
            w.name("first_timestamp_jumps").beginArray();
            for (RtpUnwrapper.TimestampJump j : rtp.firstTimestampJumps()) {
                w.beginObject().field("at_s", j.atNanos() / 1e9, 6).field("datagram", j.datagram())
                        .field("packet", j.packet()).field("sequence", j.sequence())
                        .field("ssrc", Rtp.formatSsrc(j.ssrc()))
                        .field("from_timestamp", Integer.toUnsignedLong(j.fromTimestamp()))
                        .field("to_timestamp", Integer.toUnsignedLong(j.toTimestamp()))
                        .field("step_s", j.stepNanos() / 1e9, 6).field("elapsed_s", j.elapsedNanos() / 1e9, 6)
                        .endObject();
            }
            w.endArray().endObject();
        }
        w.name("tr101290").beginObject();
        for (Indicator i : Indicator.values()) {
            AnalysisReport.ErrorSummary e = r.errors().get(i);
            w.name(i.label()).beginObject().field("priority", i.priority()).field("count", e.count());
            if (e.count() > 0) {
                w.field("first_s", e.firstNanos() / 1e9, 6).field("last_s", e.lastNanos() / 1e9, 6)
                        .field("first_packet", e.firstPacket()).field("last_packet", e.lastPacket())
                        .field("last_detail", e.lastDetail());
            }
            w.endObject();
        }
        w.endObject();
        AnalysisReport.ErrorSummary reserved = r.reservedAdaptationFieldControl();
        w.name("reserved_adaptation_field_control").beginObject().field("count", reserved.count());
        if (reserved.count() > 0) {
            w.field("first_s", reserved.firstNanos() / 1e9, 6).field("last_s", reserved.lastNanos() / 1e9, 6)
                    .field("first_packet", reserved.firstPacket()).field("last_packet", reserved.lastPacket())
                    .field("last_detail", reserved.lastDetail());
        }
        w.endObject();
        if (r.pcr() != null) {
            w.name("pcr");
            pcr(w, r.pcr());
        }
        w.name("pcrs").beginArray();
        for (AnalysisReport.PcrReport p : r.pcrs()) {
            pcr(w, p);
        }
        w.endArray();
        w.name("timing").beginArray();
        for (AnalysisReport.TimingReport t : r.timing()) {
            w.beginObject().field("pid", t.pid()).field("content", t.description()).field("pes", t.pes())
                    .field("min_s", t.minNanos() / 1e9, 3).field("max_s", t.maxNanos() / 1e9, 3)
                    .field("late", t.late()).field("over_1s", t.overOneSecond())
                    .field("late_from_pcr_step", t.lateFromPcrStep())
                    .field("over_1s_from_pcr_step", t.overOneSecondFromPcrStep()).endObject();
        }
        w.endArray();
        w.name("services").beginArray();
        for (AnalysisReport.ServiceReport s : r.services()) {
            w.beginObject().field("program_number", s.programNumber()).field("service_name", s.serviceName())
                    .field("provider_name", s.providerName()).field("pmt_pid", s.pmtPid()).field("pcr_pid", s.pcrPid());
            w.name("streams").beginArray();
            for (String stream : s.streams()) {
                w.value(stream);
            }
            w.endArray().endObject();
        }
        w.endArray();
        w.name("pids").beginArray();
        for (AnalysisReport.PidReport pid : r.pids()) {
            w.beginObject().field("pid", pid.pid()).field("content", pid.description()).field("packets", pid.packets())
                    .field("bitrate_bps", Math.round(pid.bitrate())).field("cc_errors", pid.continuityErrors())
                    .field("pcr", pid.pcr()).field("scrambled", pid.scrambled())
                    .field("reserved_afc", pid.reservedAdaptationFieldControl()).endObject();
        }
        w.endArray();
        return w.endObject().toString();
    }

    /** One PID's PCR statistics as a JSON object. */
    private static void pcr(JsonWriter w, AnalysisReport.PcrReport p) {
        w.beginObject().field("pid", p.pid()).field("program_number", p.programNumber())
                .field("count", p.count())
                .field("max_interval_ms", p.maxIntervalNanos() / 1e6, 3)
                .field("max_accuracy_ns", p.maxAccuracyNanos())
                .field("accuracy_judged", p.accuracyJudged());
        if (p.jitterMaxNanos() >= 0) {
            w.field("jitter_p50_ms", p.jitterP50Nanos() / 1e6, 3).field("jitter_p99_ms", p.jitterP99Nanos() / 1e6, 3)
                    .field("jitter_max_ms", p.jitterMaxNanos() / 1e6, 3);
        }
        w.endObject();
    }
}
