package io.mcrsrt.streamer.engine.testing;

import java.util.ArrayList;
import java.util.List;

/**
 * The test run's locale as JVM options, for a test that starts {@code mcr-srt} as a process of its own: the build runs
 * the tests in a locale that formats unlike English (test.locale in the parent pom), and the process is held to the
 * same outputs under it.
 */
public final class TestLocale {
    private TestLocale() {
    }

    /** {@code -Duser.language=...} and the like for each locale property this JVM was given; empty if none. */
    public static List<String> jvmOptions() {
        List<String> options = new ArrayList<>();
        for (String property : List.of("user.language", "user.country", "user.script", "user.variant",
                "user.extensions")) {
            String value = System.getProperty(property);
            if (value != null && !value.isEmpty()) {
                options.add("-D" + property + "=" + value);
            }
        }
        return options;
    }
}
