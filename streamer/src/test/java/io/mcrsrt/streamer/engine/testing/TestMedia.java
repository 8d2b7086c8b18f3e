package io.mcrsrt.streamer.engine.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Short TS fixtures made with ffmpeg once per test run, so nothing large is committed. */
public final class TestMedia {
    private static Path dir;

    private TestMedia() {
    }

    /** A shared directory for this test run's fixtures (also used as the colour-bar cache). */
    public static synchronized Path dir() throws IOException {
        if (dir == null) {
            dir = Files.createTempDirectory("mcr-engine-media");
        }
        return dir;
    }

    /**
     * 2.4 s of 640x360 25 fps H.264 + AAC at a constant 2.5 Mbit/s with a PCR every 20 ms: short, so two loop points
     * pass in five seconds.
     */
    public static synchronized Path shortClip() throws IOException, InterruptedException {
        Path out = dir().resolve("clip.ts");
        if (Files.exists(out)) {
            return out;
        }
        run(List.of("ffmpeg", "-nostdin", "-y", "-loglevel", "error",
                "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25",
                "-f", "lavfi", "-i", "sine=frequency=1000:sample_rate=48000", "-t", "2.4",
                "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-b:v", "1500k",
                "-minrate", "1500k", "-maxrate", "1500k", "-bufsize", "750k", "-x264-params", "nal-hrd=cbr",
                "-g", "25", "-keyint_min", "25", "-sc_threshold", "0",
                "-c:a", "aac", "-b:a", "128k", "-ac", "2",
                "-f", "mpegts", "-muxrate", "2500k", "-pcr_period", "20", out.toString()));
        return out;
    }

    /**
     * {@link #shortClip()} as another programme multiplexed alike: its streams from PID 0x200 on, its sound in MPEG-1
     * Layer II instead of AAC, its PAT and PMT (PID 0x1000) at version 0 as every ffmpeg file's.
     */
    public static synchronized Path otherStreamsClip() throws IOException, InterruptedException {
        Path out = dir().resolve("other-streams.ts");
        if (Files.exists(out)) {
            return out;
        }
        run(List.of("ffmpeg", "-nostdin", "-y", "-loglevel", "error", "-i", shortClip().toString(), "-c:v", "copy",
                "-c:a", "mp2", "-b:a", "128k", "-f", "mpegts", "-mpegts_start_pid", "0x200", "-muxrate", "2500k",
                "-pcr_period", "20", out.toString()));
        return out;
    }

    /**
     * {@link #shortClip()} multiplexed again at a mux rate of 700 kbit/s, below its content's: its PCRs run slower
     * than its timestamps (ffmpeg: "dts < pcr, TS is invalid").
     */
    public static synchronized Path slowPcrClip() throws IOException, InterruptedException {
        Path out = dir().resolve("slow-pcr.ts");
        if (Files.exists(out)) {
            return out;
        }
        run(List.of("ffmpeg", "-nostdin", "-y", "-loglevel", "error", "-i", shortClip().toString(), "-c", "copy",
                "-f", "mpegts", "-muxrate", "700k", "-pcr_period", "20", out.toString()));
        return out;
    }

    /**
     * {@link #shortClip()} as another recording: multiplexed again at 3 Mbit/s, its clock 100 s later.
     */
    public static synchronized Path laterClip() throws IOException, InterruptedException {
        Path out = dir().resolve("later.ts");
        if (Files.exists(out)) {
            return out;
        }
        run(List.of("ffmpeg", "-nostdin", "-y", "-loglevel", "error", "-i", shortClip().toString(), "-c", "copy",
                "-f", "mpegts", "-muxrate", "3000k", "-pcr_period", "20", "-output_ts_offset", "100", out.toString()));
        return out;
    }

    /**
     * 4.5 s of 320x240 MPEG-2 video whose PCRs are about 1.5 s apart (0.70, 2.22 and 3.70 s), far beyond the 100 ms of
     * ISO/IEC 13818-1: a file muxed without care for its PCR interval.
     */
    public static synchronized Path sparsePcrClip() throws IOException, InterruptedException {
        Path out = dir().resolve("sparse-pcr.ts");
        if (Files.exists(out)) {
            return out;
        }
        run(List.of("ffmpeg", "-nostdin", "-y", "-loglevel", "error", "-f", "lavfi", "-i",
                "testsrc=size=320x240:rate=25", "-t", "4.5", "-c:v", "mpeg2video", "-g", "250", "-b:v", "500k",
                "-f", "mpegts", "-pcr_period", "1500", out.toString()));
        return out;
    }

    static void run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        try {
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("fixture command failed: " + String.join(" ", cmd));
            }
        } finally {
            p.destroyForcibly();
        }
    }
}
