package io.mcrsrt.streamer.engine.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** ffprobe's view of a file's streams, one line per stream in compact form. */
public final class Probe {
    private Probe() {
    }

    public static String streams(Path file) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(List.of("ffprobe", "-v", "error", "-show_entries",
                "stream=codec_name,width,height,r_frame_rate,field_order,sample_rate,channels", "-of", "compact",
                file.toString())).redirectErrorStream(true).start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(30, TimeUnit.SECONDS);
            return out;
        } finally {
            p.destroyForcibly();
        }
    }
}
