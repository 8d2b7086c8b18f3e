package io.mcrsrt.streamer.system;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * How the service and its commands start other programs (ffmpeg, ffprobe, ping, iperf3): with this process's
 * environment minus its secrets. An environment is the way to keep a secret out of the process list ({@code ps} shows
 * every user each command line; {@code /proc/PID/environ} is its owner's alone), but a child inherits it whole: the
 * passphrase of {@code send --passphrase-env} and the service's API key would sit in every ffmpeg's environment, in
 * its core dumps and in whatever it runs in turn, though none of these programs needs them.
 */
public final class ChildProcesses {
    /**
     * The variables that carry secrets: {@code SRT_PASSPHRASE} ({@code --passphrase-env}), {@code API_KEY},
     * {@code SECRET_KEY}, {@code METRICS_TOKEN} and {@code UI_PASSWORD_HASH} (the service's configuration).
     */
    public static final Set<String> SECRET_VARIABLES =
            Set.of("SRT_PASSPHRASE", "API_KEY", "SECRET_KEY", "METRICS_TOKEN", "UI_PASSWORD_HASH");

    private ChildProcesses() {
    }

    /** A builder for {@code command} whose environment is this process's without {@link #SECRET_VARIABLES}. */
    public static ProcessBuilder builder(List<String> command) {
        ProcessBuilder builder = new ProcessBuilder(Objects.requireNonNull(command, "command"));
        withoutSecrets(builder.environment());
        return builder;
    }

    /** Removes {@link #SECRET_VARIABLES} from {@code environment}, a child's environment about to be started. */
    static void withoutSecrets(Map<String, String> environment) {
        environment.keySet().removeAll(SECRET_VARIABLES);
    }
}
