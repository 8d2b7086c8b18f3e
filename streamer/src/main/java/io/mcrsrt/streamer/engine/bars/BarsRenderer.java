package io.mcrsrt.streamer.engine.bars;

import io.mcrsrt.streamer.files.AtomicFiles;
import io.mcrsrt.streamer.stream.ColorBarFormat;
import io.mcrsrt.streamer.system.ChildProcesses;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renders the colour-bar clips once, with {@code ffmpeg}, into {@code DATA_DIR/bars/}: SMPTE RP 219 bars with a caption
 * naming the format, a 1000 Hz stereo tone at 48 kHz in AAC, H.264 at a constant ~4.5 Mbit/s ({@code nal-hrd=cbr}), in
 * MPEG-TS. The clip lasts {@link #CLIP_SECONDS} seconds: a whole number of GOPs, video frames and AAC frames (1024
 * samples at 48 kHz), so the looper's seam is clean.
 *
 * <p>Beside each clip, {@code NAME.sha256} holds its SHA-256 as {@code sha256sum} writes it. A cached clip is used
 * only if it still has that checksum: one truncated or damaged on disk (a full disk, a crash, a hand copy) is rendered
 * again rather than looped as it is, which would fail the stream, or loop a shorter clip with a jump at its seam.
 *
 * <p>Thread-safe: renders of the same format are serialised, and a finished clip is only ever renamed into place.
 */
public final class BarsRenderer {
    private static final Logger LOG = LoggerFactory.getLogger(BarsRenderer.class);
    /** Multiple of 320 ms: whole frames at 50 and 25 fps and whole AAC frames; 8 GOPs of one second. */
    public static final int CLIP_SECONDS = 8;
    static final String FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf";
    private static final long RENDER_TIMEOUT_SECONDS = 300;
    private static final int CACHE_VERSION = 1;

    private final Path dir;
    private final String ffmpeg;
    /** The clips found whole, as they were then: checked again only once they change (size, time or file). */
    private final Map<ColorBarFormat, Stamp> verified = new ConcurrentHashMap<>();

    /** What tells a clip file apart from another version of it without reading it. */
    private record Stamp(long size, FileTime modified, Object fileKey) {
        static Stamp of(Path file) throws IOException {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return new Stamp(a.size(), a.lastModifiedTime(), a.fileKey());
        }
    }

    public BarsRenderer(Path dataDir) {
        this(dataDir, "ffmpeg");
    }

    BarsRenderer(Path dataDir, String ffmpeg) {
        this.dir = dataDir.resolve("bars");
        this.ffmpeg = ffmpeg;
    }

    /** Where the clip of this format is cached. */
    public Path clipPath(ColorBarFormat format) {
        return dir.resolve("bars-" + format.label() + "-v" + CACHE_VERSION + ".ts");
    }

    /** Where the checksum of the clip of this format is kept. */
    Path checksumPath(ColorBarFormat format) {
        Path clip = clipPath(format);
        return clip.resolveSibling(clip.getFileName() + ".sha256");
    }

    /**
     * The clip of this format, rendered first if it is not cached yet, or no longer matches its checksum (this takes
     * seconds).
     *
     * @throws IOException if ffmpeg is missing or fails; the message says which and what to install
     */
    public Path clip(ColorBarFormat format) throws IOException, InterruptedException {
        Path clip = clipPath(format);
        synchronized (lockFor(format)) {
            if (Files.isRegularFile(clip) && cachedClipIsWhole(format, clip)) {
                return clip;
            }
            verified.remove(format);
            Files.createDirectories(dir);
            Path tmp = dir.resolve(clip.getFileName() + ".partial-" + ProcessHandle.current().pid());
            Path log = dir.resolve(clip.getFileName() + ".log");
            List<String> cmd = command(format, tmp);
            LOG.info("Rendering {} colour bars into {}", format.label(), clip);
            Process p;
            try {
                p = ChildProcesses.builder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            } catch (IOException e) {
                throw new IOException("cannot run ffmpeg to render colour bars (" + e.getMessage()
                        + "); install the Debian package ffmpeg", e);
            }
            boolean rendered = false;
            try {
                if (!p.waitFor(RENDER_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    throw new IOException("ffmpeg did not finish rendering " + format.label() + " colour bars in "
                            + RENDER_TIMEOUT_SECONDS + " s; see " + log);
                }
                if (p.exitValue() != 0) {
                    throw new IOException("ffmpeg failed rendering " + format.label() + " colour bars (exit "
                            + p.exitValue() + "): " + lastLine(log) + "; check that ffmpeg has libx264 and the"
                            + " font " + FONT + " (Debian fonts-dejavu-core) is installed");
                }
                String checksum = sha256(tmp);
                try {
                    Files.move(tmp, clip, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, clip, StandardCopyOption.REPLACE_EXISTING);
                }
                rendered = true;
                // written after the clip: a crash between the two leaves a clip without a checksum, rendered again
                AtomicFiles.write(checksumPath(format), (checksum + "  " + clip.getFileName() + "\n")
                        .getBytes(StandardCharsets.UTF_8), "rw-r--r--");
                verified.put(format, Stamp.of(clip));
            } finally {
                if (p.isAlive()) {
                    p.destroyForcibly();
                    p.waitFor(5, TimeUnit.SECONDS);
                }
                if (!rendered) {
                    Files.deleteIfExists(tmp);
                }
            }
            Files.deleteIfExists(log);
            return clip;
        }
    }

    /**
     * Whether the cached clip still has the checksum saved when it was rendered; if not, says so in the log, as it is
     * rendered again. Called with the format's lock held.
     */
    private boolean cachedClipIsWhole(ColorBarFormat format, Path clip) throws IOException {
        Stamp now = Stamp.of(clip);
        if (now.equals(verified.get(format))) {
            return true;
        }
        Path sum = checksumPath(format);
        String why;
        if (!Files.isRegularFile(sum)) {
            why = "it has no checksum " + sum.getFileName() + " (rendered by an earlier version, or interrupted)";
        } else {
            String expected = Files.readString(sum, StandardCharsets.US_ASCII).strip().split("\\s+")[0];
            String actual = sha256(clip);
            if (actual.equalsIgnoreCase(expected)) {
                verified.put(format, now);
                return true;
            }
            why = "it does not match its checksum in " + sum.getFileName() + " (" + now.size()
                    + " bytes: truncated or damaged on disk)";
        }
        LOG.warn("Cached {} colour bars {} cannot be used: {}; rendering them again", format.label(), clip, why);
        return false;
    }

    /** The SHA-256 of a file, in lower-case hex as {@code sha256sum} prints it. */
    private static String sha256(Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buf)) > 0; ) {
                digest.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static Object lockFor(ColorBarFormat format) {
        return LOCKS[format.ordinal()];
    }

    private static final Object[] LOCKS = {new Object(), new Object()};

    List<String> command(ColorBarFormat f, Path out) {
        int fontSize = f.height() / 15;
        String caption = "MCR-SRT-STREAMER " + f.label();
        String video = "smptehdbars=size=" + f.width() + "x" + f.height() + ":rate=" + f.frameRate()
                + ",drawtext=fontfile=" + FONT + ":text='" + caption + "':fontcolor=white:fontsize=" + fontSize
                + ":x=(w-tw)/2:y=h/8:box=1:boxcolor=black@0.6:boxborderw=" + (fontSize / 4)
                + (f.interlaced() ? ",setfield=tff" : "");
        // 0.187 is the original tool's tone level (about -14.6 dBFS)
        String tone = "aevalsrc=0.187*sin(1000*2*PI*t)|0.187*sin(1000*2*PI*t):s=48000:c=stereo";
        int gop = f.frameRate();
        List<String> cmd = new ArrayList<>(List.of(ffmpeg, "-nostdin", "-y", "-loglevel", "error",
                "-f", "lavfi", "-i", video, "-f", "lavfi", "-i", tone, "-t", Integer.toString(CLIP_SECONDS),
                "-map", "0:v", "-map", "1:a",
                "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p",
                "-b:v", "4500k", "-minrate", "4500k", "-maxrate", "4500k", "-bufsize", "2250k"));
        if (f.interlaced()) {
            cmd.addAll(List.of("-flags", "+ildct+ilme", "-top", "1", "-field_order", "tt",
                    "-x264-params", "nal-hrd=cbr:force-cfr=1:interlaced=1:tff=1"));
        } else {
            cmd.addAll(List.of("-x264-params", "nal-hrd=cbr:force-cfr=1"));
        }
        cmd.addAll(List.of("-g", Integer.toString(gop), "-keyint_min", Integer.toString(gop), "-sc_threshold", "0",
                "-c:a", "aac", "-b:a", "128k", "-ac", "2", "-ar", "48000",
                "-f", "mpegts", "-muxrate", "5200k", "-pcr_period", "20", out.toString()));
        return cmd;
    }

    private static String lastLine(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return lines.isEmpty() ? "no output" : lines.getLast();
        } catch (IOException e) {
            return "no output";
        }
    }
}
