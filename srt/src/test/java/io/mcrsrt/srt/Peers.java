package io.mcrsrt.srt;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Real peer processes for a test (srt-live-transmit, ffmpeg), all killed by {@link #close()} with a bounded wait. */
final class Peers implements AutoCloseable {

    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private final List<Process> processes = new ArrayList<>();
    private final List<Path> logs = new ArrayList<>();

    /** Starts {@code command}, its stdout and stderr going to a log file read by {@link #log(Process)}. */
    Process start(String... command) {
        try {
            Path log = Files.createTempFile("peer-", ".log");
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            processes.add(p);
            logs.add(log);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + String.join(" ", command), e);
        }
    }

    String log(Process p) {
        try {
            return Files.readString(logs.get(processes.indexOf(p)));
        } catch (IOException e) {
            return "<log unreadable: " + e + ">";
        }
    }

    /** A UDP port that was free a moment ago on loopback. */
    static int freeUdpPort() {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static InetSocketAddress loopback(int port) {
        return new InetSocketAddress(LOOPBACK, port);
    }

    /** Accepts one caller on {@code listener} on another thread; a failed accept completes the future with it. */
    static CompletableFuture<SrtSocket> acceptAsync(SrtSocket listener) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return listener.accept();
            } catch (SrtException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /**
     * Waits until {@code condition} holds, failing with {@code what} when it still does not after 30 s: a condition
     * that never comes shows as a failed assertion instead of a hung build.
     */
    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("still waiting after 30 s for: " + what);
            }
            Thread.sleep(10);
        }
    }

    /**
     * Waits until the peer has acknowledged every message {@code sender} sent (SNDDATA 0), without waiting for the
     * latency as {@link SrtSocket#drain} does: a close right after leaves the peer holding the last latency's worth.
     */
    static void awaitAcknowledged(SrtSocket sender) throws InterruptedException {
        await("the receiver to acknowledge every message", () -> {
            try {
                return sender.get(SrtOption.SNDDATA) == 0;
            } catch (SrtException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /**
     * Sends {@code count} messages of 1316 bytes, numbered from 0 in their first four bytes, 2 ms apart, then waits until
     * the peer has acknowledged them all ({@link #awaitAcknowledged}): a close right after cuts none of them, and the
     * receiver still holds the last latency's worth.
     */
    static void sendNumbered(SrtSocket sender, int count) throws SrtException, InterruptedException {
        byte[] message = new byte[1316];
        for (int i = 0; i < count; i++) {
            ByteBuffer.wrap(message).putInt(i);
            sender.send(message, 0, message.length);
            Thread.sleep(2);
        }
        awaitAcknowledged(sender);
    }

    /** Connects {@code url} until the peer's listener is up (it may still be starting), for at most 15 s. */
    static SrtSocket connectWhenUp(SrtUrl url) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (true) {
            try {
                return url.with("conntimeo", "1000").open();
            } catch (SrtException e) {
                if (e.rejectReason().orElse(null) != SrtRejectReason.TIMEOUT || System.nanoTime() > deadline) {
                    throw e;
                }
            }
        }
    }

    @Override
    public void close() {
        for (Process p : processes) {
            p.destroy();
        }
        for (Process p : processes) {
            try {
                if (!p.waitFor(5, TimeUnit.SECONDS)) {
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
                // temp file; the OS cleans it up
            }
        }
    }
}
