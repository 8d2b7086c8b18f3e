package io.mcrsrt.ts;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mcrsrt.ts.analysis.AnalysisReport;
import io.mcrsrt.ts.analysis.ContinuityCheck;
import io.mcrsrt.ts.analysis.ReportFormat;
import io.mcrsrt.ts.analysis.TsAnalyzer;
import io.mcrsrt.ts.pacing.PacerSettings;
import io.mcrsrt.ts.pacing.TsLooper;
import io.mcrsrt.ts.pacing.TsPacer;
import io.mcrsrt.ts.pcr.Pcr;
import io.mcrsrt.ts.psi.Crc32Mpeg;
import io.mcrsrt.ts.psi.Pat;
import io.mcrsrt.ts.psi.Pmt;
import io.mcrsrt.ts.psi.PsiTracker;
import io.mcrsrt.ts.psi.Sdt;
import io.mcrsrt.ts.psi.SectionAssembler;
import io.mcrsrt.ts.rtp.Rtp;
import io.mcrsrt.ts.rtp.RtpUnwrapper;
import io.mcrsrt.ts.rtp.RtpWrapper;
import io.mcrsrt.ts.rtp.TsDatagram;
import io.mcrsrt.ts.rtp.TsDatagramStream;
import io.mcrsrt.ts.scte35.Scte35;
import io.mcrsrt.ts.scte35.Scte35Json;
import io.mcrsrt.ts.scte35.Scte35Monitor;
import io.mcrsrt.ts.scte35.SpliceInfoSection;
import java.io.InputStream;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every reference parameter of the public API that must not be null is refused at entry with a
 * NullPointerException naming it, not by a failure further on (a monitor that fails only when the first cue comes).
 */
class NullArgumentTest {

    /** A cue of the SCTE-35 specification's examples (a time_signal), to have a decoded section at hand. */
    private static final String CUE = "/DA0AAAAAAAA///wBQb+cr0AUAAeAhxDVUVJSAAAjn/PAAGlmbAICAAAAAAsoKGKNAIAmsnRfg==";

    static Stream<Arguments> calls() {
        SpliceInfoSection section = Scte35.decodeCue(CUE);
        AnalysisReport report = new TsAnalyzer().report();
        return Stream.of(
                call("new Scte35Monitor(null)", "sink", () -> new Scte35Monitor(null)),
                call("Scte35Monitor.accept(null)", "p", () -> new Scte35Monitor(cue -> { }).accept(null)),
                call("Scte35Json.toJson(null)", "s", () -> Scte35Json.toJson(null)),
                call("Scte35Json.write(null, s)", "w", () -> Scte35Json.write(null, section)),
                call("Scte35Json.write(w, null)", "s", () -> Scte35Json.write(new JsonWriter(), null)),
                call("Scte35.decodeCue(null)", "cue", () -> Scte35.decodeCue(null)),
                call("Scte35.decodeBase64(null)", "cue", () -> Scte35.decodeBase64(null)),
                call("Scte35.decodeHex(null)", "cue", () -> Scte35.decodeHex(null)),
                call("Scte35.decode(null)", "section", () -> Scte35.decode(null)),
                call("Scte35.decode(null, 0, 0)", "bytes", () -> Scte35.decode(null, 0, 0)),
                call("TsLooper.open(null, 1)", "file", () -> TsLooper.open(null, 1)),
                call("TsLooper.playingTimeTicks(null)", "file", () -> TsLooper.playingTimeTicks(null)),
                call("new TsPacer(null, settings)", "source", () -> new TsPacer(null, PacerSettings.byPcr())),
                call("new TsPacer(source, null)", "settings", () -> new TsPacer(empty(), null)),
                call("TsPacer.nextMessage((ByteBuffer) null)", "dst",
                        () -> new TsPacer(empty(), PacerSettings.byPcr()).nextMessage((ByteBuffer) null)),
                call("TsPacer.nextMessage((MemorySegment) null, 0)", "dst",
                        () -> new TsPacer(empty(), PacerSettings.byPcr()).nextMessage((MemorySegment) null, 0)),
                call("TsPacer.nextMessage((byte[]) null, 0)", "dst",
                        () -> new TsPacer(empty(), PacerSettings.byPcr()).nextMessage((byte[]) null, 0)),
                call("PacketReader.open(null)", "file", () -> PacketReader.open((Path) null)),
                call("PacketReader.of((ReadableByteChannel) null)", "channel",
                        () -> PacketReader.of((ReadableByteChannel) null)),
                call("PacketReader.of((InputStream) null)", "in", () -> PacketReader.of((InputStream) null)),
                call("PacketReader.of((byte[]) null, 0, 0)", "bytes", () -> PacketReader.of(null, 0, 0)),
                call("PacketReader.next(null)", "packet", () -> empty().next(null)),
                call("PacketReader.read(null, 0)", "dst", () -> empty().read(null, 0)),
                call("TsPacket.wrap(null, 0)", "array", () -> new TsPacket().wrap(null, 0)),
                call("PesHeader.timestampFlags(null, 0, 0)", "b", () -> PesHeader.timestampFlags(null, 0, 0)),
                call("PesHeader.decodeTime(null, 0, 0)", "b", () -> PesHeader.decodeTime(null, 0, 0)),
                call("JsonWriter.name(null)", "name", () -> new JsonWriter().beginObject().name(null)),
                call("JsonWriter.field(null, 1)", "name", () -> new JsonWriter().beginObject().field(null, 1)),
                call("Pcr.readTimestamp(null, 0)", "b", () -> Pcr.readTimestamp(null, 0)),
                call("Pcr.writeTimestamp(null, 0, 0)", "b", () -> Pcr.writeTimestamp(null, 0, 0)),
                call("Pat.parse(null, 0, 0)", "b", () -> Pat.parse(null, 0, 0)),
                call("Pmt.parse(null, 0, 0)", "b", () -> Pmt.parse(null, 0, 0)),
                call("Sdt.parse(null, 0, 0)", "b", () -> Sdt.parse(null, 0, 0)),
                call("Crc32Mpeg.compute(null, 0, 0)", "b", () -> Crc32Mpeg.compute(null, 0, 0)),
                call("Crc32Mpeg.verify(null, 0, 0)", "b", () -> Crc32Mpeg.verify(null, 0, 0)),
                call("PsiTracker.onChange(null)", "r", () -> new PsiTracker().onChange(null)),
                call("PsiTracker.accept(null)", "p", () -> new PsiTracker().accept(null)),
                call("new SectionAssembler(pid, null)", "listener", () -> new SectionAssembler(0, null)),
                call("SectionAssembler.accept(null)", "p",
                        () -> new SectionAssembler(0, (pid, bytes, length) -> { }).accept(null)),
                call("RtpWrapper.wrap(null, ...)", "payload",
                        () -> new RtpWrapper().wrap(null, 0, 0, 0, new byte[Rtp.HEADER_SIZE], 0)),
                call("RtpWrapper.wrap(..., null, 0)", "dst", () -> new RtpWrapper().wrap(new byte[0], 0, 0, 0, null, 0)),
                call("RtpWrapper.writeHeader(null, 0, 0)", "dst", () -> new RtpWrapper().writeHeader(null, 0, 0)),
                call("Rtp.detect(null, 0, 0)", "b", () -> Rtp.detect(null, 0, 0)),
                call("Rtp.headerLength(null, 0, 0)", "b", () -> Rtp.headerLength(null, 0, 0)),
                call("RtpUnwrapper.unwrap(null, 0, 0)", "b", () -> new RtpUnwrapper().unwrap(null, 0, 0)),
                call("RtpUnwrapper.unwrap(null, 0, 0, 0)", "b", () -> new RtpUnwrapper().unwrap(null, 0, 0, 0)),
                call("TsDatagram.in(null)", "d", () -> TsDatagram.in(null)),
                call("TsDatagramStream.accept(null, raw)", "d",
                        () -> new TsDatagramStream().accept(null, (d, at, stride, count) -> true)),
                call("TsDatagramStream.accept(d, null)", "raw",
                        () -> new TsDatagramStream().accept(ByteBuffer.allocate(TsPacket.SIZE), null)),
                call("AnalysisReport.count(null)", "i", () -> report.count(null)),
                call("ContinuityCheck.accept(null, 0)", "b", () -> new ContinuityCheck().accept(null, 0)),
                call("TsAnalyzer.accept(null, 0)", "p", () -> new TsAnalyzer().accept(null, 0)),
                call("TsAnalyzer.acceptBytes(null, 0, 0, 0)", "b", () -> new TsAnalyzer().acceptBytes(null, 0, 0, 0)),
                call("ReportFormat.table(null)", "r", () -> ReportFormat.table(null)),
                call("ReportFormat.rtp(null)", "rtp", () -> ReportFormat.rtp(null)),
                call("ReportFormat.json(null)", "r", () -> ReportFormat.json(null)),
                call("ReportFormat.json(null, rtp, -1, -1)", "r",
                        () -> ReportFormat.json(null, new RtpUnwrapper().report(), -1, -1)));
    }

    private static PacketReader empty() {
        return PacketReader.of(new byte[0], 0, 0);
    }

    private static Arguments call(String shown, String parameter, Executable call) {
        return Arguments.of(Named.of(shown, call), parameter);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("calls")
    void aNullArgumentIsRefusedAtEntryNamingTheParameter(Executable call, String parameter) {
        assertThatThrownBy(call::execute)
                .isInstanceOf(NullPointerException.class)
                .hasMessageStartingWith(parameter + " must not be null");
    }
}
