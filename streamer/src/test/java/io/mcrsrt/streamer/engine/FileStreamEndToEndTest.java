package io.mcrsrt.streamer.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcrsrt.streamer.engine.testing.Await;
import io.mcrsrt.streamer.engine.testing.Peers;
import io.mcrsrt.streamer.engine.testing.Probe;
import io.mcrsrt.streamer.engine.testing.TestMedia;
import io.mcrsrt.streamer.engine.testing.TsCheck;
import io.mcrsrt.streamer.stream.EngineSettings;
import io.mcrsrt.streamer.stream.Encryption;
import io.mcrsrt.streamer.stream.InputSpec;
import io.mcrsrt.streamer.stream.Mode;
import io.mcrsrt.streamer.stream.StreamConfig;
import io.mcrsrt.streamer.stream.StreamStatus;
import io.mcrsrt.streamer.stream.StreamView;
import io.mcrsrt.ts.analysis.AnalysisReport;
import io.mcrsrt.ts.analysis.Indicator;
import io.mcrsrt.ts.analysis.TsAnalyzer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileStreamEndToEndTest {
    @TempDir
    Path data;

    static StreamConfig listener(int port, InputSpec input) {
        return new StreamConfig(Mode.LISTENER, input, port, null, null, 1000, 25, Encryption.NONE, null, false, 30,
                false, null);
    }

    @Test
    void loopedFileReachesSrtLiveTransmitWithoutContinuityErrorsAcrossTwoLoopPoints() throws Exception {
        Path clip = TestMedia.shortClip();
        int port = Peers.freePort();
        EngineSettings settings = new EngineSettings(clip.getParent(), data, 4, port, port, 4);
        Path received = data.resolve("received.ts");
        try (LocalStreamEngine engine = LocalStreamEngine.open(settings)) {
            engine.start(listener(port, new InputSpec.File(clip.getFileName().toString(), true)));
            assertThat(Await.status(engine, port, StreamStatus.WAITING, 20_000).status())
                    .isEqualTo(StreamStatus.WAITING);
            try (Peers.Process rx = Peers.receiveToFile("srt://127.0.0.1:" + port + "?mode=caller&latency=1000",
                    received, data.resolve("rx.log"))) {
                StreamView v = Await.status(engine, port, StreamStatus.CONNECTED, 20_000);
                assertThat(v.status()).isEqualTo(StreamStatus.CONNECTED);
                assertThat(v.peers()).hasSize(1);
                // 2.4 s clip: more than two loop points
                // 6 s at 2.5 Mbit/s
                Await.until(() -> sizeOf(received) > 6 * 2_500_000 / 8, 30_000);
                StreamView later = engine.stream(port).orElseThrow();
                assertThat(later.inputBitrateMbps()).isBetween(2.0, 3.0);
                assertThat(later.events()).anyMatch(e -> e.kind().equals("connected"));
            }
            // Seconds without a link (after the receiver left) are samples too, with every figure 0.
            assertThat(engine.history(port)).anyMatch(s -> s.stats().negotiatedLatencyMs() == 1000);
        }
        TsCheck check = TsCheck.of(received);
        assertThat(check.pcrSpanSeconds()).isGreaterThan(5.5);
        assertThat(check.continuityErrors()).isZero();
        assertThat(check.pcrBackwards()).isZero();
        assertThat(check.maxPcrIntervalMs()).isLessThanOrEqualTo(40.0);
        assertThat(Probe.streams(received)).contains("codec_name=h264").contains("codec_name=aac");

        TsAnalyzer analyzer = new TsAnalyzer();
        byte[] bytes = Files.readAllBytes(received);
        analyzer.acceptBytes(bytes, 0, bytes.length, -1);
        AnalysisReport report = analyzer.report();
        assertThat(report.count(Indicator.CONTINUITY_COUNT_ERROR)).isZero();
        assertThat(report.count(Indicator.PCR_REPETITION_ERROR)).isZero();
        assertThat(report.count(Indicator.PCR_DISCONTINUITY_INDICATOR_ERROR)).isZero();
        assertThat(report.count(Indicator.PAT_ERROR_2)).isZero();
        assertThat(report.count(Indicator.PMT_ERROR_2)).isZero();
    }

    @Test
    void aFilePlayedOnceWaitsForItsFirstCallerAndReachesItWholeThenEnds() throws Exception {
        Path clip = TestMedia.shortClip();
        int port = Peers.freePort();
        EngineSettings settings = new EngineSettings(clip.getParent(), data, 4, port, port, 4);
        Path received = data.resolve("once.ts");
        try (LocalStreamEngine engine = LocalStreamEngine.open(settings)) {
            engine.start(listener(port, new InputSpec.File(clip.getFileName().toString(), false)));
            assertThat(Await.status(engine, port, StreamStatus.WAITING, 20_000).status())
                    .isEqualTo(StreamStatus.WAITING);
            Thread.sleep(4000); // longer than the 2.4 s clip: it would have ended unseen had it started
            StreamView waiting = engine.stream(port).orElseThrow();
            assertThat(waiting.status()).as(waiting.connectionStatus()).isEqualTo(StreamStatus.WAITING);
            assertThat(waiting.inputBitrateMbps()).isZero();
            try (Peers.Process rx = Peers.receiveToFile("srt://127.0.0.1:" + port + "?mode=caller&latency=1000",
                    received, data.resolve("rx-once.log"))) {
                StreamView v = Await.status(engine, port, StreamStatus.ENDED, 20_000);
                assertThat(v.status()).isEqualTo(StreamStatus.ENDED);
                assertThat(v.connectionStatus()).isEqualTo("Ended");
                Await.until(() -> sizeOf(received) >= sizeOf(clip), 10_000);
            }
            // Played once: listed as Ended until stopped, but not played again after a restart.
            assertThat(Await.until(() -> savedKeys().isEmpty(), 10_000)).as("saved: %s", savedKeys()).isTrue();
            assertThat(engine.stream(port)).isPresent();
        }
        try (LocalStreamEngine restarted = LocalStreamEngine.open(settings)) {
            assertThat(restarted.streams()).as("restored after a restart").isEmpty();
        }
        assertThat(Files.mismatch(received, clip)).as("first byte where what the caller got differs from the file")
                .isEqualTo(-1);
    }

    @Test
    void aFileWrittenOverWhileItPlaysIsTakenUpAtTheLoopPointAndReachesTheCallerWithoutAnError() throws Exception {
        Path media = Files.createDirectories(data.resolve("media"));
        Path file = media.resolve("play.ts");
        Files.copy(TestMedia.shortClip(), file);
        int port = Peers.freePort();
        EngineSettings settings = new EngineSettings(media, data, 4, port, port, 4);
        Path received = data.resolve("changed.ts");
        long atChange;
        try (LocalStreamEngine engine = LocalStreamEngine.open(settings)) {
            engine.start(listener(port, new InputSpec.File("play.ts", true)));
            try (Peers.Process rx = Peers.receiveToFile("srt://127.0.0.1:" + port + "?mode=caller&latency=1000",
                    received, data.resolve("rx-changed.log"))) {
                Await.status(engine, port, StreamStatus.CONNECTED, 20_000);
                Await.until(() -> sizeOf(received) > 3 * 2_500_000 / 8, 30_000);
                // as cp writes over a file: the same file, truncated and written again; then left alone
                Files.write(file, Files.readAllBytes(TestMedia.laterClip()));
                Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.fromMillis(
                        System.currentTimeMillis() - 5_000));
                StreamView v = Await.view(engine, port, s -> s.events().stream().anyMatch(e -> e.kind().equals(
                        "input-changed") && e.detail().contains("its new content plays")), 20_000);
                assertThat(v.events()).filteredOn(e -> e.kind().equals("input-changed")).last()
                        .satisfies(e -> assertThat(e.detail()).matches("input: play\\.ts changed on disk( and is"
                                + " playable now)?: its new content plays from its start \\(3\\.\\d\\d Mbit/s\\), the"
                                + " clock carried on and its first PCR flagged as a discontinuity"));
                long seen = sizeOf(received);
                // the caller plays a latency (1 s) behind: two seconds on, what it writes is the new content's
                Await.until(() -> sizeOf(received) > seen + 2 * 3_000_000 / 8, 30_000);
                atChange = sizeOf(received);
                // two passes of the new content
                Await.until(() -> sizeOf(received) > atChange + 6 * 3_000_000 / 8, 30_000);
                StreamView after = engine.stream(port).orElseThrow();
                assertThat(after.status()).isEqualTo(StreamStatus.CONNECTED);
                assertThat(after.inputBitrateMbps()).as("the new content's rate").isBetween(2.7, 3.3);
            }
        }
        // From the new content on, as at any loop point; before it went out what was there while it was being written:
        // the new content at the old one's place until the next look at the file, then the fill.
        byte[] all = Files.readAllBytes(received);
        int from = (int) (atChange / 188 * 188);
        TsAnalyzer analyzer = new TsAnalyzer();
        analyzer.acceptBytes(all, from, all.length - from, -1);
        AnalysisReport report = analyzer.report();
        assertThat(report.count(Indicator.CONTINUITY_COUNT_ERROR)).isZero();
        assertThat(report.count(Indicator.PCR_DISCONTINUITY_INDICATOR_ERROR))
                .as(report.errors().get(Indicator.PCR_DISCONTINUITY_INDICATOR_ERROR).lastDetail()).isZero();
        assertThat(report.count(Indicator.PAT_ERROR_2)).isZero();
        assertThat(report.count(Indicator.PMT_ERROR_2)).isZero();
        assertThat(Probe.streams(received)).contains("codec_name=h264").contains("codec_name=aac");
    }

    @Test
    void aFileReplacedByOneWithOtherStreamsUnderTheSameTableVersionsReachesTheCallerWithItsOwnPmt() throws Exception {
        Path media = Files.createDirectories(data.resolve("media"));
        Path file = media.resolve("play.ts");
        Files.copy(TestMedia.shortClip(), file);
        Path staged = Files.copy(TestMedia.otherStreamsClip(), media.resolve("staged.ts.part"));
        int port = Peers.freePort();
        EngineSettings settings = new EngineSettings(media, data, 4, port, port, 4);
        Path received = data.resolve("replaced.ts");
        try (LocalStreamEngine engine = LocalStreamEngine.open(settings)) {
            engine.start(listener(port, new InputSpec.File("play.ts", true)));
            try (Peers.Process rx = Peers.receiveToFile("srt://127.0.0.1:" + port + "?mode=caller&latency=1000",
                    received, data.resolve("rx-replaced.log"))) {
                Await.status(engine, port, StreamStatus.CONNECTED, 20_000);
                Await.until(() -> sizeOf(received) > 2_500_000 / 8, 30_000);
                // as rsync or mv put a file in place: another under the name, taken up at the next loop point
                Files.move(staged, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                Await.view(engine, port, s -> s.events().stream().anyMatch(e -> e.kind().equals("input-changed")),
                        20_000);
                long seen = sizeOf(received);
                // a latency behind, then two passes of the new content
                Await.until(() -> sizeOf(received) > seen + 6 * 2_500_000 / 8, 30_000);
            }
        }
        byte[] all = Files.readAllBytes(received);
        List<Integer> pmtVersions = new ArrayList<>();
        io.mcrsrt.ts.psi.PsiTracker tracker = new io.mcrsrt.ts.psi.PsiTracker((pid, s, length) -> {
            if (pid == 0x1000 && s[0] == 0x02 && (pmtVersions.isEmpty()
                    || pmtVersions.getLast() != ((s[5] >> 1) & 0x1F))) {
                pmtVersions.add((s[5] >> 1) & 0x1F);
            }
        });
        io.mcrsrt.ts.TsPacket p = new io.mcrsrt.ts.TsPacket();
        int firstNew = -1;
        for (int i = 0; i + 188 <= all.length; i += 188) {
            tracker.accept(p.wrap(all, i));
            if (firstNew < 0 && p.pid() == 0x200) {
                firstNew = i;
            }
        }
        assertThat(pmtVersions).as("the PMT as the caller got it").containsExactly(0, 1);
        assertThat(tracker.crcErrors()).isZero();
        assertThat(tracker.firstPmt().streams()).extracting(io.mcrsrt.ts.psi.Pmt.Stream::pid)
                .containsExactly(0x200, 0x201);
        assertThat(firstNew).as("the new content's streams").isPositive();
        // what a receiver joining there, or one that took up the new PMT, sees
        Path after = data.resolve("after.ts");
        Files.write(after, java.util.Arrays.copyOfRange(all, firstNew, all.length));
        assertThat(Probe.streams(after)).contains("codec_name=h264").contains("codec_name=mp2")
                .doesNotContain("codec_name=aac");
        TsAnalyzer analyzer = new TsAnalyzer();
        analyzer.acceptBytes(all, 0, all.length, -1);
        AnalysisReport report = analyzer.report();
        assertThat(report.count(Indicator.CONTINUITY_COUNT_ERROR)).isZero();
        assertThat(report.count(Indicator.PCR_DISCONTINUITY_INDICATOR_ERROR)).isZero();
    }

    private java.util.List<Integer> savedKeys() {
        return new io.mcrsrt.streamer.engine.store.StreamStore(data).load().streams().stream().map(StreamConfig::key)
                .toList();
    }

    private static long sizeOf(Path p) {
        try {
            return Files.size(p);
        } catch (Exception e) {
            return 0;
        }
    }
}
