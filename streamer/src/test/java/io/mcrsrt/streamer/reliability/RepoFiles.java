package io.mcrsrt.streamer.reliability;

import java.nio.file.Files;
import java.nio.file.Path;

/** Files of the checkout (deploy/, bin/, docs/), found from the module directory the tests run in. */
public final class RepoFiles {
    private RepoFiles() {
    }

    public static Path root() {
        Path dir = Path.of("").toAbsolutePath();
        for (Path p = dir; p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("deploy")) && Files.isRegularFile(p.resolve("mvnw"))) {
                return p;
            }
        }
        throw new IllegalStateException("no checkout root (with deploy/ and mvnw) above " + dir);
    }
}
