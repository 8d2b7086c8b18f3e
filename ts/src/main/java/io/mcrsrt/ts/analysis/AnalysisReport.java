package io.mcrsrt.ts.analysis;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a {@link TsAnalyzer} found, at the moment {@link TsAnalyzer#report()} was called. Times are nanoseconds from
 * the start of the stream on the stream's own clock (arrival times when given, otherwise the PCR).
 *
 * @param packets packets analysed
 * @param durationNanos length of the stream analysed, or 0 if it had no clock (no PCR, no arrival times)
 * @param bitrate transport rate in bit/s: the bytes after the clock's origin (the first datagram, or the packet of the
 *     first PCR) over the duration, or 0
 * @param errors one entry per indicator, in {@link Indicator} order, counts 0 included
 * @param pids one entry per PID seen, by PID
 * @param services one entry per program in the PAT
 * @param pcr PCR statistics of the reference PCR PID, or null without PCR
 * @param bytesSkipped bytes thrown away while looking for sync
 * @param truncatedLastPacket bytes of the last packet when the input ended part way through it (a file cut off while
 *     it was written or copied), left out and not in {@code bytesSkipped}; 0 when it ended on a whole packet
 * @param reservedAdaptationFieldControl packets with the reserved adaptation_field_control '00', which a decoder
 *     discards (ISO/IEC 13818-1 2.4.3.3): not a TR 101 290 indicator, so apart from {@code errors}; the PIDs they were on
 *     are in {@link PidReport#reservedAdaptationFieldControl()}
 * @param packetSize bytes per packet in the input: 188; 192 for M2TS (a timestamp before each packet, dropped); 204
 *     with Reed-Solomon parity (stripped); 0 when no packet was found
 * @param timing one entry per elementary PID whose PES were measured against the PCR, by PID
 */
public record AnalysisReport(long packets, long durationNanos, double bitrate, Map<Indicator, ErrorSummary> errors,
        List<PidReport> pids, List<ServiceReport> services, List<PcrReport> pcrs, long bytesSkipped,
        int truncatedLastPacket, ErrorSummary reservedAdaptationFieldControl, int packetSize, List<TimingReport> timing) {
    public AnalysisReport {
        pcrs = List.copyOf(pcrs);
        timing = List.copyOf(timing);
        errors = Map.copyOf(errors);
        pids = List.copyOf(pids);
        services = List.copyOf(services);
    }

    /**
     * PCR statistics of the reference PID (the first program's PCR_PID, which times the analysis), or null when no PCR
     * came; {@link #pcrs()} has every PCR PID's.
     */
    public PcrReport pcr() {
        return pcrs.isEmpty() ? null : pcrs.getFirst();
    }

    /** The count of one indicator. */
    public long count(Indicator i) {
        Objects.requireNonNull(i, "i must not be null (an Indicator)");
        ErrorSummary s = errors.get(i);
        return s == null ? 0 : s.count();
    }

    /**
     * Occurrences of one indicator.
     *
     * @param count how many times it was raised
     * @param firstNanos stream time of the first, or -1
     * @param lastNanos stream time of the last, or -1
     * @param firstPacket packet number of the first, or -1
     * @param lastPacket packet number of the last, or -1
     * @param lastDetail what was wrong the last time, in words, or null
     */
    public record ErrorSummary(long count, long firstNanos, long lastNanos, long firstPacket, long lastPacket,
            String lastDetail) {}

    /**
     * One PID.
     *
     * @param pid the PID
     * @param description what it carries: "PAT", "PMT", the stream type from the PMT, "null packets"...
     * @param packets packets seen, those with the reserved adaptation_field_control included
     * @param bitrate bit/s: its share of the packets at the transport rate, or 0
     * @param continuityErrors Continuity_count_errors on this PID
     * @param pcr it carries PCRs
     * @param scrambled packets with transport_scrambling_control other than 0 were seen
     * @param reservedAdaptationFieldControl packets with the reserved adaptation_field_control '00' (discarded)
     */
    public record PidReport(int pid, String description, long packets, double bitrate, long continuityErrors,
            boolean pcr, boolean scrambled, long reservedAdaptationFieldControl) {}

    /**
     * One program.
     *
     * @param programNumber program_number (service_id)
     * @param serviceName service name from the SDT, or ""
     * @param providerName provider name from the SDT, or ""
     * @param pmtPid PID of its PMT
     * @param pcrPid its PCR_PID, or -1 before the PMT
     * @param streams its elementary streams as "0x0100 H.264/AVC video"
     */
    public record ServiceReport(int programNumber, String serviceName, String providerName, int pmtPid, int pcrPid,
            List<String> streams) {
        public ServiceReport {
            streams = List.copyOf(streams);
        }
    }

    /**
     * How far ahead of its program's PCR each PES of one elementary stream starts: its decode time (DTS, or PTS without
     * one) less the PCR at the packet where it starts, extrapolated from the last PCR at the PCR PID's rate. That is how
     * long its first byte waits in a decoder's buffers, which ISO/IEC 13818-1 2.4.2.6 bounds to 0..1 s (still pictures
     * aside). Below 0, the PCR runs slow against the timestamps (a stream multiplexed with too low a mux rate, "dts <
     * pcr" to ffmpeg): the data reaches a decoder after its decode time. Scrambled PES are not measured.
     *
     * @param pid the elementary PID
     * @param description what it carries, as in {@link PidReport#description()}
     * @param pes PES measured: those with a PTS that started once the PCR PID's rate was known
     * @param minNanos smallest decode time less PCR
     * @param maxNanos largest decode time less PCR
     * @param late PES that started after their decode time (below 0)
     * @param overOneSecond PES that started more than a second before their decode time
     * @param lateFromPcrStep of {@code late}, those on time (0 to 1 s) against the PCR as it would have run without its
     *     steps (PCR discontinuities, signalled or not) since the timestamps last followed one: late only because the
     *     PCR stepped and their timestamps did not, not because of the mux rate
     * @param overOneSecondFromPcrStep of {@code overOneSecond}, those on time against the PCR without its steps
     */
    public record TimingReport(int pid, String description, long pes, long minNanos, long maxNanos, long late,
            long overOneSecond, long lateFromPcrStep, long overOneSecondFromPcrStep) {}

    /**
     * PCR statistics of one PID that carried PCRs: the reference (the first program's PCR_PID, or, before its PMT was
     * read, the first PID that carried a PCR) comes first in {@link #pcrs()}, then every other PCR PID, in PID order
     * (the other programs' of a multi-program stream). The statistics count from the PID's first PCR, also when it
     * became the reference later.
     *
     * @param pid the PCR PID
     * @param programNumber the first program whose PCR_PID it is, or -1 when no PMT read names it
     * @param count PCRs seen
     * @param maxIntervalNanos longest interval between consecutive PCRs
     * @param maxAccuracyNanos largest PCR accuracy deviation measured (absolute), of the PCRs judged
     * @param accuracyJudged PCRs whose accuracy was judged: those where the stream ran at one rate around them (none in
     *     a variable-rate stream, whose rate changes at every PCR; see {@link TsAnalyzer})
     * @param jitterP50Nanos median PCR arrival jitter, or -1 without arrival times
     * @param jitterP99Nanos 99th percentile PCR arrival jitter, or -1
     * @param jitterMaxNanos largest PCR arrival jitter, or -1
     */
    public record PcrReport(int pid, int programNumber, long count, long maxIntervalNanos, long maxAccuracyNanos,
            long accuracyJudged, long jitterP50Nanos, long jitterP99Nanos, long jitterMaxNanos) {}
}
