package io.mcrsrt.streamer.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcrsrt.streamer.engine.testing.Await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Durations of the media folder's files, measured by the real {@code ffprobe} behind a wrapper that logs when each
 * run starts and ends and takes its time, as ffprobe does on a large file or a slow share.
 */
class MediaLibraryTest {
    private static final int FILES = 6;

    @TempDir
    static Path base;
    private static Path media;
    private static Path clip;

    @BeforeAll
    static void oneSecondClip() throws Exception {
        media = Files.createDirectories(base.resolve("media"));
        clip = base.resolve("clip.ts");
        Process ffmpeg = new ProcessBuilder("ffmpeg", "-nostdin", "-loglevel", "error", "-f", "lavfi", "-i",
                "testsrc=size=160x90:rate=25", "-t", "1", "-c:v", "libx264", "-preset", "ultrafast", "-f", "mpegts",
                clip.toString()).redirectErrorStream(true).start();
        String out = new String(ffmpeg.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(ffmpeg.waitFor()).as("ffmpeg: %s", out).isZero();
    }

    /** An ffprobe that appends "start" and "end" lines to {@code log} and sleeps {@code seconds} before probing. */
    private static Path slowFfprobe(Path dir, Path log, String seconds) throws IOException {
        Path script = dir.resolve("ffprobe-slow");
        Files.writeString(script, "#!/bin/sh\necho start >> '" + log + "'\nsleep " + seconds
                + "\nffprobe \"$@\"\nstatus=$?\necho end >> '" + log + "'\nexit $status\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }

    private static Path folderOf(Path dir, int files) throws IOException {
        Path folder = Files.createDirectories(dir);
        for (int i = 0; i < files; i++) {
            Files.copy(clip, folder.resolve("clip-" + i + ".ts"));
        }
        return folder;
    }

    /** Most runs seen going at once, from the start/end lines. */
    private static int mostAtOnce(Path log) throws IOException {
        int running = 0;
        int most = 0;
        for (String line : Files.readAllLines(log)) {
            running += line.equals("start") ? 1 : -1;
            most = Math.max(most, running);
        }
        return most;
    }

    private static long runs(Path log) throws IOException {
        return Files.exists(log) ? Files.readAllLines(log).stream().filter("start"::equals).count() : 0;
    }

    @Test
    void filesAreListedByNameWhateverItsCase() throws Exception {
        Path dir = Files.createDirectories(media.resolve("names"));
        for (String name : List.of("sport.ts", "News.ts", "archive/Promo.ts", "ads.TS", "news.ts", "Zulu.ts")) {
            Files.createDirectories(dir.resolve(name).getParent());
            Files.copy(clip, dir.resolve(name));
        }
        MediaLibrary library = new MediaLibrary(dir);
        assertThat(library.list()).extracting(MediaLibrary.MediaFile::name)
                .containsExactly("ads.TS", "archive/Promo.ts", "News.ts", "news.ts", "sport.ts", "Zulu.ts");
    }

    @Test
    void manyAskingForOneFileMeasureItOnce() throws Exception {
        Path dir = folderOf(media.resolve("one"), 1);
        Path log = base.resolve("one.log");
        MediaLibrary library = new MediaLibrary(dir, slowFfprobe(base, log, "0.5").toString(),
                MediaLibrary.LIST_WAIT_MILLIS);
        Path file = library.resolve("clip-0.ts").orElseThrow();
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> askers = new ArrayList<>();
        List<Double> answers = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < 8; i++) {
            askers.add(Thread.ofPlatform().start(() -> {
                try {
                    go.await();
                    answers.add(library.durationSeconds(file).orElse(-1.0));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        go.countDown();
        for (Thread t : askers) {
            t.join();
        }
        assertThat(answers).hasSize(8).allSatisfy(d -> assertThat(d).isBetween(0.9, 1.2));
        assertThat(runs(log)).as("ffprobe runs for one file asked for by 8 at once").isEqualTo(1);
        library.durationSeconds(file);
        assertThat(runs(log)).as("a cached duration needs no new run").isEqualTo(1);
    }

    @Test
    void aListingDoesNotWaitForSlowMeasurementsAndLaterListingsFillIn() throws Exception {
        Path dir = folderOf(media.resolve("slow"), FILES);
        Path log = base.resolve("slow.log");
        // Each measurement takes 2 s; the listing waits 100 ms in all; the playing times are held back.
        MediaLibrary library = new MediaLibrary(dir, slowFfprobe(base, log, "2").toString(), 100,
                new java.util.concurrent.Semaphore(0));

        List<Map<String, Object>> first = library.listWithDurations();
        assertThat(first).hasSize(FILES);
        assertThat(first).allSatisfy(f -> assertThat(f.get("duration_seconds")).isNull());
        assertThat(first.getFirst()).containsEntry("name", "clip-0.ts").containsEntry("size", Files.size(clip));

        assertThat(Await.until(() -> {
            try {
                return Files.exists(log) && Files.readAllLines(log).stream().filter("end"::equals).count() == FILES;
            } catch (IOException e) {
                return false;
            }
        }, 60_000)).as("all measurements finish in the background").isTrue();
        List<Map<String, Object>> second = library.listWithDurations();
        assertThat(second).allSatisfy(f -> assertThat((Double) f.get("duration_seconds")).isBetween(0.9, 1.2));
        assertThat(second).allSatisfy(f -> assertThat(f.get("duration_estimated")).isEqualTo(true));
        assertThat(runs(log)).as("each file measured once across both listings").isEqualTo(FILES);
        assertThat(mostAtOnce(log)).as("ffprobe runs at once").isBetween(1, MediaLibrary.PROBES_AT_ONCE);
    }

    @Test
    void aFileChangedSinceItsMeasurementIsMeasuredAgain() throws Exception {
        Path dir = folderOf(media.resolve("changed"), 1);
        Path log = base.resolve("changed.log");
        MediaLibrary library = new MediaLibrary(dir, slowFfprobe(base, log, "0").toString(),
                MediaLibrary.LIST_WAIT_MILLIS);
        Path file = library.resolve("clip-0.ts").orElseThrow();
        assertThat(library.durationSeconds(file)).isPresent();
        Files.write(file, new byte[188 * 10]); // no longer a clip: same name, other size
        assertThat(library.durationSeconds(file)).as("garbage has no duration").isEmpty();
        assertThat(runs(log)).isEqualTo(2);
    }

    /**
     * Two recordings of a second joined with {@code cat}, the second's timestamps 1000 s on: ffprobe's duration is the
     * span from the first timestamp to the last, about 1001 s, shown as an estimate while the file is read; then the
     * 2 s it plays, as a stream measures it. Before, the listing showed ffprobe's 1001 s for good.
     */
    @Test
    void twoRecordingsJoinedAreListedWithTheTimeTheyPlayOnceMeasured() throws Exception {
        Path later = base.resolve("later.ts");
        Process ffmpeg = new ProcessBuilder("ffmpeg", "-nostdin", "-loglevel", "error", "-i", clip.toString(), "-c",
                "copy", "-output_ts_offset", "1000", "-f", "mpegts", later.toString()).redirectErrorStream(true)
                .start();
        String out = new String(ffmpeg.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(ffmpeg.waitFor()).as("ffmpeg: %s", out).isZero();
        Path dir = Files.createDirectories(media.resolve("joined"));
        try (var o = Files.newOutputStream(dir.resolve("joined.ts"))) {
            Files.copy(clip, o);
            Files.copy(later, o);
        }
        java.util.concurrent.Semaphore reads = new java.util.concurrent.Semaphore(0);
        MediaLibrary library = new MediaLibrary(dir, "ffprobe", MediaLibrary.LIST_WAIT_MILLIS, reads);

        Map<String, Object> estimated = library.listWithDurations().getFirst();
        assertThat((Double) estimated.get("duration_seconds")).as("ffprobe's span").isGreaterThan(1000.0);
        assertThat(estimated).containsEntry("duration_estimated", true);

        reads.release();
        assertThat(Await.until(() -> library.listWithDurations().getFirst().get("duration_estimated")
                .equals(false), 60_000)).as("the playing time is measured in the background").isTrue();
        assertThat((Double) library.listWithDurations().getFirst().get("duration_seconds")).isBetween(1.9, 2.2);
    }
}
