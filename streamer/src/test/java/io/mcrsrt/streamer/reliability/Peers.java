package io.mcrsrt.streamer.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Peer processes a test starts (srt-live-transmit, ffmpeg, the service), all ended by {@link #close()}. */
final class Peers implements AutoCloseable {
    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private final List<Process> processes = new ArrayList<>();
    private final List<Path> logs = new ArrayList<>();

    /** Starts {@code command} with stdout and stderr going to a log file, read by {@link #log(Process)}. */
    Process start(List<String> command, java.util.Map<String, String> env) {
        try {
            Path log = Files.createTempFile("peer-", ".log");
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            pb.environment().putAll(env);
            Process p = pb.start();
            processes.add(p);
            logs.add(log);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + String.join(" ", command), e);
        }
    }

    Process start(String... command) {
        return start(List.of(command), java.util.Map.of());
    }

    String log(Process p) {
        try {
            return Files.readString(logs.get(processes.indexOf(p)));
        } catch (IOException e) {
            return "<log unreadable: " + e + ">";
        }
    }

    /** Kills {@code p} at once (SIGKILL), as a crash or a pulled cable would end it, and waits for it. */
    static void kill9(Process p) throws InterruptedException {
        p.destroyForcibly();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("process " + p.pid() + " survived SIGKILL for 10 s");
        }
    }

    /** A port free for UDP (and TCP), within {@code test.ports} when it is set ({@link io.mcrsrt.streamer.engine.testing.Peers#freePort}). */
    static int freeUdpPort() {
        return freeTcpPort();
    }

    /** A port free for TCP (and UDP), within {@code test.ports} when it is set. */
    static int freeTcpPort() {
        try {
            return io.mcrsrt.streamer.engine.testing.Peers.freePort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        for (Process p : processes) {
            p.destroy();
        }
        for (Process p : processes) {
            try {
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (Path log : logs) {
            try {
                Files.deleteIfExists(log);
            } catch (IOException ignored) {
                // a temp file; the OS cleans it up
            }
        }
    }
}
