package io.mcrsrt.ts.pacing;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcrsrt.ts.Fixtures;
import io.mcrsrt.ts.TsPacket;
import io.mcrsrt.ts.analysis.AnalysisReport;
import io.mcrsrt.ts.analysis.Indicator;
import io.mcrsrt.ts.analysis.TsAnalyzer;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Files as ffmpeg writes them, whose audio plays on a little after their PCRs end: looped, every stream's decode
 * times keep increasing across the seams (the next pass waits for the audio to finish), with the PCR interval and
 * continuity intact through the fill between passes. Before, each pass started where the PCRs ended, and the audio's
 * timestamps went back by the overhang at every seam.
 */
class TsLooperSeamTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"aac", "mp2", "ac3"})
    void everyStreamsDecodeTimesKeepIncreasingAcrossTheSeams(String audioCodec) throws IOException {
        Path file = Fixtures.uneven(audioCodec);
        Path looped = dir.resolve("looped-" + audioCodec + ".ts");
        try (TsLooper looper = TsLooper.open(file, 3); OutputStream out = Files.newOutputStream(looped)) {
            byte[] b = new byte[TsPacket.SIZE];
            while (looper.read(b, 0)) {
                out.write(b);
            }
        }
        String warnings = Fixtures.run(List.of("ffmpeg", "-hide_banner", "-v", "warning", "-i", looped.toString(),
                "-f", "null", "-"), 120);
        assertThat(warnings).doesNotContainIgnoringCase("monoton").doesNotContainIgnoringCase("timestamp")
                .doesNotContainIgnoringCase("discontinuity");

        // decode times per stream, in ffprobe's order (one line a packet, frames split out of PES)
        String packets = Fixtures.run(List.of("ffprobe", "-v", "error", "-show_entries",
                "packet=stream_index,dts,duration", "-of", "csv=p=0", looped.toString()), 120);
        Map<String, long[]> last = new HashMap<>();
        long largestGap = 0;
        for (String line : packets.lines().filter(l -> !l.isBlank()).toList()) {
            String[] f = line.split(",");
            if (f.length < 3 || f[1].equals("N/A")) {
                continue;
            }
            long dts = Long.parseLong(f[1]);
            long[] before = last.get(f[0]);
            if (before != null) {
                assertThat(dts).as("stream %s: dts after %d", f[0], before[0]).isGreaterThan(before[0]);
                largestGap = Math.max(largestGap, dts - before[0] - before[1]);
            }
            last.put(f[0], new long[] {dts, f[2].equals("N/A") ? 0 : Long.parseLong(f[2])});
        }
        assertThat(last).hasSize(2);
        assertThat(largestGap).as("largest gap between a frame's end and the next frame, 90 kHz")
                .isLessThan(3600 * 2);

        TsAnalyzer analyzer = new TsAnalyzer();
        byte[] all = Files.readAllBytes(looped);
        analyzer.acceptBytes(all, 0, all.length, -1);
        analyzer.endOfInput();
        AnalysisReport r = analyzer.report();
        for (Indicator i : Indicator.values()) {
            assertThat(r.count(i)).as("%s: %s", i.label(), r.errors().get(i) == null ? ""
                    : r.errors().get(i).lastDetail()).isZero();
        }
    }
}
