package io.mcrsrt.streamer.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The playable files of the media folder, and what {@code ffprobe} and {@code mediainfo} say about them. Every path is
 * confined to the folder. Durations are cached by file size and modification time. Thread-safe.
 */
public final class MediaLibrary {
    private static final long MEDIAINFO_TIMEOUT_SECONDS = 20;
    private static final long FFPROBE_TIMEOUT_SECONDS = 10;
    private static final int MAX_DEPTH = 8;

    private final Path folder;
    private final ObjectMapper mapper = new ObjectMapper();
    private final Map<Path, CachedDuration> durations = new ConcurrentHashMap<>();

    private record CachedDuration(long size, long modified, Double seconds) {
    }

    public MediaLibrary(Path folder) {
        this.folder = folder.toAbsolutePath().normalize();
    }

    /** A file of the library. */
    public record MediaFile(String name, long size) {
    }

    /** The .ts files under the folder, by name, as paths relative to it. */
    public List<MediaFile> list() {
        List<MediaFile> files = new ArrayList<>();
        if (!Files.isDirectory(folder)) {
            return files;
        }
        try (Stream<Path> walk = Files.walk(folder, MAX_DEPTH)) {
            walk.filter(p -> p.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".ts"))
                    .filter(Files::isRegularFile)
                    .forEach(p -> files.add(new MediaFile(folder.relativize(p).toString(), size(p))));
        } catch (IOException | java.io.UncheckedIOException e) {
            return files;
        }
        files.sort((a, b) -> a.name().compareTo(b.name()));
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

    /** Duration in seconds from {@code ffprobe}, or empty if it cannot tell. */
    public Optional<Double> durationSeconds(Path file) {
        long size = size(file);
        long modified;
        try {
            modified = Files.getLastModifiedTime(file).toMillis();
        } catch (IOException e) {
            return Optional.empty();
        }
        CachedDuration cached = durations.get(file);
        if (cached == null || cached.size() != size || cached.modified() != modified) {
            Double seconds = null;
            try {
                String out = run(List.of("ffprobe", "-v", "error", "-show_entries", "format=duration", "-of",
                        "default=noprint_wrappers=1:nokey=1", file.toString()), FFPROBE_TIMEOUT_SECONDS);
                seconds = Double.parseDouble(out.strip());
            } catch (IOException | NumberFormatException e) {
                // unknown duration
            }
            cached = new CachedDuration(size, modified, seconds);
            durations.put(file, cached);
        }
        return Optional.ofNullable(cached.seconds());
    }

    /**
     * {@code mediainfo --Output=JSON} of a file, parsed.
     *
     * @throws IOException if mediainfo is missing, fails or takes longer than 20 s
     */
    public JsonNode mediaInfo(Path file) throws IOException {
        return mapper.readTree(run(List.of("mediainfo", "--Output=JSON", file.toString()), MEDIAINFO_TIMEOUT_SECONDS));
    }

    private static String run(List<String> command, long timeoutSeconds) throws IOException {
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
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

    /** Name, size and duration for the API. */
    public List<Map<String, Object>> listWithDurations() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (MediaFile f : list()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", f.name());
            m.put("size", f.size());
            m.put("duration_seconds", resolve(f.name()).flatMap(this::durationSeconds).orElse(null));
            out.add(m);
        }
        return out;
    }
}
