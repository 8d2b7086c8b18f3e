package io.mcrsrt.ts;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Media made with ffmpeg once per build, under target/ts-fixtures, and shared by the tests that need real streams.
 */
public final class Fixtures {
    private static final Path DIR = Path.of("target", "ts-fixtures");

    private Fixtures() {}

    /**
     * 3.2 s of 720p50 H.264 + AAC at a constant 8 Mbit/s with a PCR every 20 ms, as in PERFORMANCE.md. 3.2 s is a
     * whole number of both video frames (160) and AAC frames (150), so a loop of it has no timestamp overlap.
     */
    public static synchronized Path cbr8M() throws IOException {
        return make("cbr8M.ts", cbr8MArgs());
    }

    /** As {@link #cbr8M()}, with every timestamp {@code seconds} later (ffmpeg's -output_ts_offset). */
    public static synchronized Path cbr8MAt(int seconds) throws IOException {
        List<String> args = new ArrayList<>(cbr8MArgs());
        args.addAll(List.of("-output_ts_offset", Integer.toString(seconds)));
        return make("cbr8M-at-" + seconds + ".ts", args);
    }

    /**
     * As {@link #cbr8MAt(int)}, multiplexed at 12 Mbit/s with its streams from PID {@code startPid} on, the PCR on the
     * first (the video): another recording, with another PCR PID, to join to the first.
     */
    public static synchronized Path cbr12MFromPidAt(int startPid, int seconds) throws IOException {
        List<String> args = new ArrayList<>(cbr8MArgs());
        args.set(args.indexOf("8000k"), "12000k");
        args.addAll(List.of("-mpegts_start_pid", Integer.toString(startPid), "-output_ts_offset",
                Integer.toString(seconds)));
        return make("cbr12M-pid-" + startPid + "-at-" + seconds + ".ts", args);
    }

    private static List<String> cbr8MArgs() {
        return List.of("-f", "lavfi", "-i", "smptehdbars=size=1280x720:rate=50", "-f", "lavfi", "-i",
                "sine=frequency=1000:sample_rate=48000", "-t", "3.2", "-c:v", "libx264", "-preset", "ultrafast",
                "-pix_fmt", "yuv420p", "-b:v", "7000k", "-minrate", "7000k", "-maxrate", "7000k", "-bufsize", "3500k",
                "-x264-params", "nal-hrd=cbr:force-cfr=1", "-g", "50", "-keyint_min", "50", "-sc_threshold", "0",
                "-c:a", "aac", "-b:a", "128k", "-ac", "2", "-f", "mpegts", "-muxrate", "8000k", "-pcr_period", "20");
    }

    /**
     * 3 s of 25 fps video and 1 kHz audio in {@code audioCodec} (aac at 44.1 kHz, mp2 or ac3 at 48 kHz), at a constant
     * 2 Mbit/s with a PCR every 20 ms, as ffmpeg makes it: the audio ends a few tens of milliseconds after the
     * video and the PCRs (its frames do not divide the length), in PES packets of several frames.
     */
    public static synchronized Path uneven(String audioCodec) throws IOException {
        String rate = audioCodec.equals("aac") ? "44100" : "48000";
        return make("uneven-" + audioCodec + ".ts", List.of("-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25",
                "-f", "lavfi", "-i", "sine=frequency=1000:sample_rate=" + rate, "-t", "3", "-c:v", "libx264",
                "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-g", "25", "-c:a", audioCodec, "-b:a", "128k",
                "-f", "mpegts", "-muxrate", "2000k", "-pcr_period", "20"));
    }

    /**
     * 3 s of 2.5 Mbit/s video and AAC multiplexed at a mux rate of 1 Mbit/s, which ffmpeg writes while warning "dts <
     * pcr, TS is invalid": its PCRs cover 8.8 s.
     */
    public static synchronized Path slowPcr() throws IOException {
        return make("slow-pcr.ts", List.of("-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25", "-f", "lavfi", "-i",
                "sine=frequency=1000:sample_rate=48000", "-t", "3", "-c:v", "libx264", "-preset", "ultrafast",
                "-b:v", "2500k", "-minrate", "2500k", "-maxrate", "2500k", "-bufsize", "1000k", "-pix_fmt", "yuv420p",
                "-g", "25", "-c:a", "aac", "-b:a", "128k", "-f", "mpegts", "-muxrate", "1000k", "-pcr_period", "20"));
    }

    /**
     * 3 s of video and twenty MPEG audio streams, each with its language: a PMT of 241 bytes, sent in two packets, as
     * from a playout server with many languages.
     */
    public static synchronized Path manyAudio() throws IOException {
        List<String> args = new ArrayList<>(List.of("-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25", "-f", "lavfi",
                "-i", "sine=frequency=1000:sample_rate=48000", "-t", "3", "-map", "0:v"));
        for (int i = 0; i < 20; i++) {
            args.addAll(List.of("-map", "1:a", "-metadata:s:a:" + i, String.format(Locale.ROOT, "language=l%02d", i)));
        }
        args.addAll(List.of("-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-g", "25", "-c:a", "mp2",
                "-b:a", "64k", "-f", "mpegts", "-muxrate", "4000k", "-pcr_period", "20"));
        return make("many-audio.ts", args);
    }

    /**
     * 4 s of H.264 (libx264's default rate control) and AAC multiplexed at a variable rate ({@code -muxrate 0}, as
     * ffmpeg's default): no null packets, a PCR with each video frame and as many packets between two PCRs as the
     * pictures take; {@code seconds} later (ffmpeg's -output_ts_offset) when not 0.
     */
    public static synchronized Path vbrAt(int seconds) throws IOException {
        return make("vbr-at-" + seconds + ".ts", List.of("-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25", "-f",
                "lavfi", "-i", "sine=frequency=1000:sample_rate=48000", "-t", "4", "-c:v", "libx264", "-preset",
                "ultrafast", "-pix_fmt", "yuv420p", "-g", "50", "-c:a", "aac", "-b:a", "128k", "-f", "mpegts",
                "-muxrate", "0", "-output_ts_offset", Integer.toString(seconds)));
    }

    /** 2 s of small video at a variable bitrate, default ffmpeg muxing. */
    public static synchronized Path small() throws IOException {
        return make("small.ts", List.of("-f", "lavfi", "-i", "testsrc=size=320x240:rate=25", "-f", "lavfi", "-i",
                "sine=frequency=1000:sample_rate=48000", "-t", "1.92", "-c:v", "libx264", "-preset", "ultrafast",
                "-pix_fmt", "yuv420p", "-g", "25", "-c:a", "aac", "-b:a", "64k", "-f", "mpegts",
                "-mpegts_service_id", "7", "-metadata", "service_provider=MCR Test", "-metadata",
                "service_name=Bars One"));
    }

    private static Path make(String name, List<String> args) throws IOException {
        Path out = DIR.resolve(name);
        if (Files.exists(out) && Files.size(out) > 0) {
            return out;
        }
        Files.createDirectories(DIR);
        Path tmp = DIR.resolve(name + ".part");
        List<String> cmd = new ArrayList<>(List.of("ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-threads", "2"));
        cmd.addAll(args);
        cmd.add(tmp.toString());
        run(cmd, 300);
        Files.move(tmp, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return out;
    }

    /** Runs a command to completion; its output (stdout and stderr together) is returned. */
    public static String run(List<String> cmd, long timeoutSeconds) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                throw new IOException(cmd.getFirst() + " did not finish within " + timeoutSeconds + " s");
            }
            String text = new String(out, java.nio.charset.StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new IOException(String.join(" ", cmd) + " failed with " + p.exitValue() + ": " + text);
            }
            return text;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + cmd.getFirst(), e);
        } finally {
            p.destroyForcibly();
            try {
                p.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
