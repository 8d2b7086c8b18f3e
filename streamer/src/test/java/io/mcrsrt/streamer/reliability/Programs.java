package io.mcrsrt.streamer.reliability;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/** Installed programs the tests run as real peers (nginx, promtool, systemd-analyze, ...). */
public final class Programs {
    private Programs() {
    }

    /** The program on PATH, else in /usr/sbin (where Debian puts nginx, not on a user's PATH), or null. */
    public static Path find(String program) {
        for (String dir : (System.getenv().getOrDefault("PATH", "/usr/bin:/bin") + File.pathSeparator + "/usr/sbin")
                .split(File.pathSeparator)) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, program);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }
}
