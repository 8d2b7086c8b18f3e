package io.mcrsrt.streamer.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mcrsrt.ts.pacing.TsLooper;
import io.mcrsrt.ts.pcr.Pcr;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The playable files of the media folder, and what {@code ffprobe} and {@code mediainfo} say about them. Every path is
 * confined to the folder. Thread-safe.
 *
 * <p>A listing's duration is the file's playing time as a stream plays it ({@link TsLooper#playingTimeTicks}): for
 * two recordings joined, whose PCR jumps at the join, the time they play, not the span from the first timestamp to
 * the last. That reads the whole file, so it is measured in the background, {@value #READS_AT_ONCE} file at a time
 * (a folder of recordings is not read all at once beside the streams playing from the same disk), and until it is
 * known the listing shows {@code ffprobe}'s estimate (the first-to-last timestamp span, right for a file without a
 * jump), marked as such. {@code ffprobe} runs at most {@value #PROBES_AT_ONCE} files at a time whoever asks. Either
 * measurement is made once per file however many ask at once, and cached by file size and modification time. A
 * listing waits for the estimates at most {@link #LIST_WAIT_MILLIS} ms in all and shows the rest as unknown while
 * they go on in the background, so a folder of hundreds of new files answers at once and fills in over the next
 * listings. {@code mediainfo} runs at most {@value #PROBES_AT_ONCE} at a time too.
 */
public final class MediaLibrary {
    private static final long MEDIAINFO_TIMEOUT_SECONDS = 20;
    private static final long FFPROBE_TIMEOUT_SECONDS = 10;
    private static final int MAX_DEPTH = 8;
    /** External programs of each kind running at once, for every request together. */
    static final int PROBES_AT_ONCE = 2;
    /** Files read whole at once to measure their playing time, for every request together. */
    static final int READS_AT_ONCE = 1;
    /** How long one listing waits, in all, for durations still being measured. */
    static final long LIST_WAIT_MILLIS = 3_000;

    private final Path folder;
    private final String ffprobe;
    private final long listWaitMillis;
    private final ObjectMapper mapper = new ObjectMapper();
    private final Map<Path, CachedDuration> durations = new ConcurrentHashMap<>();
    private final Map<Path, CompletableFuture<CachedDuration>> measuring = new ConcurrentHashMap<>();
    private final Semaphore ffprobeSlots = new Semaphore(PROBES_AT_ONCE);
    private final Semaphore mediainfoSlots = new Semaphore(PROBES_AT_ONCE);
    /** Playing times measured, and the measurements under way, as for {@link #durations} and {@link #measuring}. */
    private final Map<Path, CachedDuration> playingTimes = new ConcurrentHashMap<>();
    private final Map<Path, CompletableFuture<CachedDuration>> measuringPlayingTimes = new ConcurrentHashMap<>();
    private final Semaphore readSlots;
    private final Executor background = task -> Thread.ofVirtual().name("media-duration").start(task);

    private record CachedDuration(long size, long modified, Double seconds) {
    }

    public MediaLibrary(Path folder) {
        this(folder, "ffprobe", LIST_WAIT_MILLIS);
    }

    /** With another ffprobe program and listing wait (tests). */
    MediaLibrary(Path folder, String ffprobe, long listWaitMillis) {
        this(folder, ffprobe, listWaitMillis, new Semaphore(READS_AT_ONCE));
    }

    /** With the slots whole-file reads take (tests: none, to hold the playing times back). */
    MediaLibrary(Path folder, String ffprobe, long listWaitMillis, Semaphore readSlots) {
        this.folder = folder.toAbsolutePath().normalize();
        this.ffprobe = ffprobe;
        this.listWaitMillis = listWaitMillis;
        this.readSlots = readSlots;
    }

    /** A file of the library. */
    public record MediaFile(String name, long size) {
    }

    /**
     * The .ts files under the folder, by name whatever its case, as paths relative to it: those {@link #resolve}
     * accepts, so a symbolic link to a file elsewhere is not listed (a stream would refuse it, and its size is not the
     * library's business).
     */
    public List<MediaFile> list() {
        List<MediaFile> files = new ArrayList<>();
        if (!Files.isDirectory(folder)) {
            return files;
        }
        try (Stream<Path> walk = Files.walk(folder, MAX_DEPTH)) {
            walk.filter(p -> p.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".ts"))
                    .filter(Files::isRegularFile)
                    // a symbolic link to a file outside the folder cannot be played or inspected: do not offer it
                    .filter(p -> resolve(folder.relativize(p).toString()).isPresent())
                    .forEach(p -> files.add(new MediaFile(folder.relativize(p).toString(), size(p))));
        } catch (IOException | java.io.UncheckedIOException e) {
            return files;
        }
        // as a file manager lists them, "Promo.ts" between "news.ts" and "sport.ts", not before every lower case name
        files.sort(java.util.Comparator.comparing(MediaFile::name, String.CASE_INSENSITIVE_ORDER)
                .thenComparing(MediaFile::name));
        return files;
    }

    /** The file under the folder with this relative name, if it exists and does not escape the folder. */
    public Optional<Path> resolve(String name) {
        if (name == null || name.isBlank() || name.startsWith("/") || name.contains("\0")) {
            return Optional.empty();
        }
        try {
            Path p = folder.resolve(name).normalize();
            if (!p.startsWith(folder) || p.equals(folder) || !Files.isRegularFile(p)) {
                return Optional.empty();
            }
            // A symbolic link inside the folder may point anywhere: the file itself must be inside too.
            Path real = p.toRealPath();
            if (!real.startsWith(folder.toRealPath())) {
                return Optional.empty();
            }
            return Optional.of(p);
        } catch (InvalidPathException | IOException e) {
            return Optional.empty();
        }
    }

    /** Duration in seconds from {@code ffprobe}, or empty if it cannot tell; waits for the measurement. */
    public Optional<Double> durationSeconds(Path file) {
        try {
            return Optional.ofNullable(duration(file).get().seconds());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (ExecutionException e) {
            return Optional.empty();
        }
    }

    /** The ffprobe duration of {@code file}: cached if still valid, else the measurement under way or a new one. */
    private CompletableFuture<CachedDuration> duration(Path file) {
        return cachedOrMeasured(file, durations, measuring, this::ffprobeSeconds);
    }

    /** The playing time of {@code file} as {@link #duration} gives its ffprobe duration. */
    private CompletableFuture<CachedDuration> playingTime(Path file) {
        return cachedOrMeasured(file, playingTimes, measuringPlayingTimes, this::playingSeconds);
    }

    private CompletableFuture<CachedDuration> cachedOrMeasured(Path file, Map<Path, CachedDuration> cache,
            Map<Path, CompletableFuture<CachedDuration>> underWay, Function<Path, Double> how) {
        long size = size(file);
        long modified;
        try {
            modified = Files.getLastModifiedTime(file).toMillis();
        } catch (IOException e) {
            return CompletableFuture.completedFuture(new CachedDuration(size, 0, null));
        }
        CachedDuration cached = cache.get(file);
        if (cached != null && cached.size() == size && cached.modified() == modified) {
            return CompletableFuture.completedFuture(cached);
        }
        CompletableFuture<CachedDuration> f = underWay.computeIfAbsent(file,
                k -> CompletableFuture.supplyAsync(() -> {
                    CachedDuration measured = new CachedDuration(size, modified, how.apply(k));
                    cache.put(k, measured);
                    return measured;
                }, background));
        f.whenComplete((r, e) -> underWay.remove(file, f));
        return f;
    }

    /** ffprobe's duration: the span from the file's first timestamp to its last; null if it cannot tell. */
    private Double ffprobeSeconds(Path file) {
        try {
            String out = run(List.of(ffprobe, "-v", "error", "-show_entries", "format=duration", "-of",
                    "default=noprint_wrappers=1:nokey=1", file.toString()), FFPROBE_TIMEOUT_SECONDS, ffprobeSlots);
            return Double.parseDouble(out.strip());
        } catch (IOException | NumberFormatException e) {
            return null;
        }
    }

    /** The playing time of one pass of the file as a stream plays it; null if it cannot be measured so. */
    private Double playingSeconds(Path file) {
        try {
            readSlots.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
        try {
            long ticks = TsLooper.playingTimeTicks(file);
            return ticks > 0 ? ticks / (double) Pcr.HZ : null;
        } catch (IOException | RuntimeException e) {
            // not a transport stream with PCRs or PTS, or unreadable: a stream would refuse it too
            return null;
        } finally {
            readSlots.release();
        }
    }

    /**
     * {@code mediainfo --Output=JSON} of a file, parsed, the file named in it ({@code media."@ref"}) as {@code name},
     * its path in the media folder: mediainfo writes the full path, which would show a client where the service keeps
     * its files.
     *
     * @throws IOException if mediainfo is missing, fails or takes longer than 20 s
     */
    public JsonNode mediaInfo(Path file, String name) throws IOException {
        JsonNode info = mapper.readTree(run(List.of("mediainfo", "--Output=JSON", file.toString()),
                MEDIAINFO_TIMEOUT_SECONDS, mediainfoSlots));
        if (info.path("media") instanceof com.fasterxml.jackson.databind.node.ObjectNode media && media.has("@ref")) {
            media.put("@ref", name);
        }
        return info;
    }

    /** Runs a program once one of {@code slots} is free; the time limit counts from its start. */
    private static String run(List<String> command, long timeoutSeconds, Semaphore slots) throws IOException {
        try {
            slots.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(command.getFirst() + " was interrupted before it started", e);
        }
        try {
            return run(command, timeoutSeconds);
        } finally {
            slots.release();
        }
    }

    private static String run(List<String> command, long timeoutSeconds) throws IOException {
        Process p = ChildProcesses.builder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        java.util.concurrent.atomic.AtomicReference<byte[]> out = new java.util.concurrent.atomic.AtomicReference<>();
        // read while the process runs so a large output cannot fill the pipe and stall it
        Thread reader = Thread.ofVirtual().name(command.getFirst() + "-output").start(() -> {
            try {
                out.set(p.getInputStream().readAllBytes());
            } catch (IOException e) {
                out.set(new byte[0]);
            }
        });
        try {
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                throw new IOException(command.getFirst() + " did not answer within " + timeoutSeconds + " s");
            }
            if (p.exitValue() != 0) {
                throw new IOException(command.getFirst() + " exited with status " + p.exitValue());
            }
            reader.join(TimeUnit.SECONDS.toMillis(timeoutSeconds));
            byte[] bytes = out.get();
            return bytes == null ? "" : new String(bytes, StandardCharsets.UTF_8);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(command.getFirst() + " was interrupted", e);
        } finally {
            p.destroyForcibly();
        }
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return 0;
        }
    }

    /**
     * Name, size and duration for the API: the playing time once measured ({@code duration_estimated} false), else
     * ffprobe's estimate ({@code duration_estimated} true, also for a file that cannot be measured so, which a stream
     * would refuse); an estimate not known within {@link #LIST_WAIT_MILLIS} ms (all files together; the listing wait
     * of this library) is {@code null}. Both go on being measured in the background for the next listing.
     */
    public List<Map<String, Object>> listWithDurations() {
        List<MediaFile> files = list();
        List<CompletableFuture<CachedDuration>> pending = new ArrayList<>(files.size());
        List<CompletableFuture<CachedDuration>> playing = new ArrayList<>(files.size());
        for (MediaFile f : files) {
            Optional<Path> file = resolve(f.name());
            pending.add(file.map(this::duration).orElse(null));
            playing.add(file.map(this::playingTime).orElse(null));
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(listWaitMillis);
        List<Map<String, Object>> out = new ArrayList<>(files.size());
        for (int i = 0; i < files.size(); i++) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", files.get(i).name());
            m.put("size", files.get(i).size());
            Double estimate = secondsBy(pending.get(i), deadline);
            // looked at after the wait for the estimate, which gives a short file's measurement time to finish
            Double measured = secondsNow(playing.get(i));
            m.put("duration_seconds", measured != null ? measured : estimate);
            m.put("duration_estimated", measured == null);
            out.add(m);
        }
        return out;
    }

    /** The seconds of a measurement that has finished, or null. */
    private static Double secondsNow(CompletableFuture<CachedDuration> f) {
        CachedDuration done = f == null || !f.isDone() || f.isCompletedExceptionally() ? null : f.join();
        return done == null ? null : done.seconds();
    }

    private static Double secondsBy(CompletableFuture<CachedDuration> f, long deadline) {
        if (f == null) {
            return null;
        }
        try {
            return f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS).seconds();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (ExecutionException | TimeoutException e) {
            return null;
        }
    }
}
