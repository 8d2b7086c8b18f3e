package io.mcrsrt.streamer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcrsrt.streamer.engine.testing.Await;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code mcr-srt} as a process of its own, started as a shell starts it, so that signals reach it as they reach the
 * real command: its stdout and stderr each go to a file. It is killed on close if it is still running.
 */
final class CommandProcess implements AutoCloseable {
    private final Process process;
    private final Path out;
    private final Path err;

    private CommandProcess(Process process, Path out, Path err) {
        this.process = process;
        this.out = out;
        this.err = err;
    }

    /**
     * Starts {@code mcr-srt ARGS} with its output in {@code work}. SIGINT is reset to its default first: a test run
     * started in the background by a shell inherits it ignored, and the JVM leaves an ignored SIGINT ignored.
     */
    static CommandProcess start(Path work, String... args) throws IOException {
        return start(work, java.util.Map.of(), args);
    }

    /** As {@link #start(Path, String...)}, with {@code environment} added to the test's own. */
    static CommandProcess start(Path work, java.util.Map<String, String> environment, String... args)
            throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of("env", "--default-signal=INT", java.toString(),
                "--enable-native-access=ALL-UNNAMED"));
        command.addAll(io.mcrsrt.streamer.engine.testing.TestLocale.jvmOptions());
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(work, "stdout", ".txt");
        Path err = Files.createTempFile(work, "stderr", ".txt");
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().putAll(environment);
        Process p = pb.start();
        return new CommandProcess(p, out, err);
    }

    String stdout() {
        return read(out);
    }

    String stderr() {
        return read(err);
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Waits until stdout or stderr shows {@code text}; fails naming what it printed if the command exits first. */
    void awaitOutput(String text) throws InterruptedException {
        assertThat(Await.until(() -> (stdout() + stderr()).contains(text) || !process.isAlive(), 60_000))
                .as("waiting for '%s'", text).isTrue();
        assertThat(process.isAlive()).as("still running after printing '%s': %s%s", text, stdout(), stderr())
                .isTrue();
    }

    /** Sends {@code signal} (INT, TERM) as {@code kill} does. */
    void signal(String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(kill.exitValue()).isZero();
    }

    /** Its exit status, once it has exited. */
    int exitStatus() throws InterruptedException {
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("exited: %s%s", stdout(), stderr()).isTrue();
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "";
        }
    }
}
