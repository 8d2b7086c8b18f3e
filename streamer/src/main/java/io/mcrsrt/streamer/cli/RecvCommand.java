package io.mcrsrt.streamer.cli;

import io.mcrsrt.srt.Srt;
import io.mcrsrt.srt.SrtException;
import io.mcrsrt.srt.SrtUrl;
import io.mcrsrt.streamer.stream.PrintableText;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mcr-srt recv SRT_URL [-o FILE]}: live payloads of an SRT connection to stdout or a file. */
@Command(
        name = "recv",
        mixinStandardHelpOptions = true,
        description = {
            "Receive live SRT payloads and write them to stdout (or a file), one after the other.",
            "Example: mcr-srt recv 'srt://192.0.2.10:9000?latency=200' | ffplay -",
            "An encrypted stream's passphrase: --passphrase-file FILE or --passphrase-env (SRT_PASSPHRASE); one as"
                    + " passphrase= in the URL can be read by every user of this machine in the process list.",
            "Without --reconnect, how the connection ended is one line on stderr naming the sender: it closed the"
                    + " connection, or it stopped answering (nothing came for 3/4 of peeridletimeo less the latency, 3.7 s"
                    + " by default, or more before the connection broke: killed, crashed, or the network between"
                    + " failed; SRT gives a silent peer up after peeridletimeo, 5 s by default).",
            "Exit status: 0 when the sender closed the connection (without --reconnect), the reader of stdout quit or"
                    + " recv was stopped (Ctrl-C, SIGTERM), 1 when the connection failed, the sender stopped answering"
                    + " or the output could not be written (named in the message), 2 for a bad command line (also an -o"
                    + " that is a URL or in a folder that does not exist)."
        })
public final class RecvCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "SRT_URL",
            description = "srt://host:port?key=value... (caller by default; srt://:port or mode=listener waits for a caller)")
    String url;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "write to FILE instead of stdout")
    String output;

    @Option(names = "--reconnect", description = "keep going when the peer goes away, reconnecting (default: stop)")
    boolean reconnect;

    @Mixin
    PassphraseOptions passphraseOptions = new PassphraseOptions();

    @Override
    public Integer call() {
        String badOutput = checkOutput(output);
        if (badOutput != null) {
            // Before connecting: a caller may wait long for its listener, and only then find it cannot write.
            System.err.println("mcr-srt recv: " + badOutput);
            return 2;
        }
        String withPassphrase;
        ReceivedConnection connection;
        try {
            withPassphrase = withPassphrase("mcr-srt recv", url, passphraseOptions);
            connection = new ReceivedConnection(SrtUrl.parse(withPassphrase));
        } catch (IllegalArgumentException bad) {
            System.err.println("mcr-srt recv: " + bad.getMessage());
            return 2;
        }
        // Ctrl-C or SIGTERM closes the connection, which ends the loop below: a stop is not a failure, exit 0.
        AtomicReference<Stream<byte[]>> open = new AtomicReference<>();
        try (StopSignals.Registration stop = StopSignals.onStop(signal -> {
            Stream<byte[]> p = open.get();
            if (p != null) {
                p.close();
            }
        })) {
            Stream<byte[]> payloads;
            try {
                // Told on the thread that reads the stream: this one for a caller, before datagrams returns.
                payloads = Srt.datagrams(withPassphrase, reconnect,
                        peer -> connection.connected(peer, System.nanoTime()));
            } catch (IllegalArgumentException badUrl) {
                System.err.println("mcr-srt recv: " + badUrl.getMessage());
                return 2;
            } catch (SrtException e) {
                if (stop.received().isPresent()) {
                    return 0;
                }
                System.err.println("mcr-srt recv: " + e.getMessage());
                return 1;
            }
            // The iterator is taken before a stop may close the stream: a closed stream gives none, and closing it
            // later still closes the socket, which ends the loop below.
            Iterator<byte[]> it = payloads.iterator();
            open.set(payloads);
            if (stop.received().isPresent()) {
                payloads.close(); // stopped while connecting
                return 0;
            }
            try (payloads; OutputStream out = open()) {
                while (it.hasNext()) {
                    byte[] payload = it.next();
                    connection.received(payload.length, System.nanoTime());
                    out.write(payload);
                    out.flush();
                }
                if (stop.received().isPresent() || reconnect) {
                    return 0; // stopped: the stream was closed, not ended by the sender
                }
                long now = System.nanoTime();
                System.err.println("mcr-srt recv: " + connection.end(now));
                return connection.lost(now) ? 1 : 0;
            } catch (IOException | UncheckedIOException e) {
                // A closed pipe (the player quit) is the normal way for recv to end, and so is a stop.
                if (isBrokenPipe(e) || stop.received().isPresent()) {
                    return 0;
                }
                if (e instanceof UncheckedIOException u && u.getCause() instanceof SrtException srt) {
                    // From the stream, not the output: a receive libsrt refused, or a listener's failed accept.
                    System.err.println("mcr-srt recv: " + connection.failed(srt, System.nanoTime()));
                    return 1;
                }
                return failedWriting(e);
            }
        }
    }

    /**
     * {@code url} with the one passphrase given to {@code command}, in it or by {@code options} (a command line one
     * warned about on stderr), as the URL text the SRT library parses.
     *
     * @throws IllegalArgumentException naming a malformed URL or what is wrong with the passphrase
     */
    static String withPassphrase(String command, String url, PassphraseOptions options) {
        return withPassphrase(command, SrtUrl.parse(url), options, System.err::println).toStringWithPassphrase();
    }

    /**
     * As {@link #withPassphrase(String, String, PassphraseOptions)}, for a parsed URL; {@code warn} prints the warning
     * line where the command prints its messages.
     */
    static SrtUrl withPassphrase(String command, SrtUrl url, PassphraseOptions options,
            java.util.function.Consumer<String> warn) {
        PassphraseOptions.Given given = options.resolve(
                java.util.Collections.singletonMap("passphrase= in the SRT URL", url.parameter("passphrase").orElse(null)));
        if (given == null) {
            return url;
        }
        String warning = given.warning(command);
        if (warning != null) {
            warn.accept(warning);
        }
        return url.with("passphrase", given.passphrase());
    }

    /**
     * Why {@code -o FILE} cannot be written, or null when it can (or is not given). A URL is refused as such: read as a
     * path, {@code udp://host:port} was a folder {@code udp:} that did not exist.
     */
    static String checkOutput(String file) {
        if (file == null) {
            return null;
        }
        if (file.matches("(?i)[a-z][a-z0-9+.-]*://.*")) {
            return "-o " + PrintableText.visible(file) + " is a URL; recv writes to a file or to stdout (expected: a"
                    + " file name, or no -o and stdout piped on, e.g. mcr-srt recv SRT_URL | ffplay -)";
        }
        return checkWritable("-o " + file, Path.of(file));
    }

    /**
     * Why {@code file} cannot be written, or null when it can; {@code named} is how the command line gave it. Checked
     * before connecting: a caller may wait long for its listener, or a transfer run for minutes, before the write fails.
     */
    static String checkWritable(String named, Path file) {
        if (Files.isDirectory(file)) {
            return named + " is a folder (expected: a file to write)";
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            return named + ": the folder " + parent + " does not exist (create it first)";
        }
        if (!Files.isWritable(parent) && !Files.isWritable(file)) {
            return named + ": cannot write in " + parent;
        }
        return null;
    }

    private OutputStream open() throws IOException {
        OutputStream raw = output == null ? new FileOutputStream(FileDescriptor.out)
                : Files.newOutputStream(Path.of(output));
        return new BufferedOutputStream(raw, 64 * 1024);
    }

    private static boolean isBrokenPipe(Exception e) {
        return String.valueOf(e.getMessage()).contains("Broken pipe");
    }

    /** A write that failed (a disk full, a device error), said with where recv was writing: exit 1. */
    private int failedWriting(Exception e) {
        Throwable cause = e instanceof UncheckedIOException u ? u.getCause() : e;
        // The system's words alone ("No space left on device", or the file name alone when it could not be opened)
        // did not say which output failed, nor, for a file that could not be opened, why.
        String why = switch (cause) {
            case java.nio.file.AccessDeniedException denied -> "permission denied";
            case java.nio.file.FileSystemException f -> f.getReason() != null ? f.getReason()
                    : f.getClass().getSimpleName();
            default -> cause.getMessage();
        };
        System.err.println("mcr-srt recv: writing to " + (output == null ? "stdout" : output) + " failed: " + why);
        return 1;
    }
}
