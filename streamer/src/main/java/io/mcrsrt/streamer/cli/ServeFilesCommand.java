package io.mcrsrt.streamer.cli;

import io.mcrsrt.srt.SrtFileServer;
import io.mcrsrt.srt.SrtUrl;
import io.mcrsrt.streamer.stream.StreamConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mcr-srt serve-files DIR --port N}: serves a directory to {@code mcr-srt fetch} over SRT file mode. */
@Command(
        name = "serve-files",
        mixinStandardHelpOptions = true,
        description = {
            "Serve the files of a directory over SRT file mode until stopped (Ctrl-C).",
            "Names are confined to the directory; '..' and links leading outside are refused.",
            "Each transfer is logged on stderr, one line naming the file: sent, not found, refused or failed.",
            "Example: mcr-srt serve-files /srv/clips --port 9000",
            "Exit status: 0 when stopped, 1 when the port cannot be bound, 2 for a bad command line (DIR not a"
                    + " folder, a bad port, address or passphrase)."
        })
public final class ServeFilesCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "DIR", description = "the directory to serve")
    Path directory;

    @Option(names = {"-p", "--port"}, required = true, paramLabel = "N", description = "UDP port to listen on")
    int port;

    @Option(names = "--bind", paramLabel = "ADDRESS", defaultValue = "",
            description = "local address to listen on (default: every address, IPv4 and IPv6; 0.0.0.0 for IPv4 only)")
    String bind;

    @Option(names = "--passphrase", paramLabel = "TEXT", description = "encrypt transfers (10 to 79 bytes in UTF-8);"
            + " every user of this machine can read it in the process list: prefer --passphrase-file or"
            + " --passphrase-env")
    String passphrase;

    @Mixin
    PassphraseOptions passphraseOptions = new PassphraseOptions();

    @Override
    public Integer call() {
        if (!java.nio.file.Files.isDirectory(directory)) {
            System.err.println("mcr-srt serve-files: DIR " + directory + (java.nio.file.Files.exists(directory)
                    ? " is a file" : " does not exist") + " (expected: the folder whose files should be served)");
            return 2;
        }
        SrtUrl url;
        try {
            url = SrtUrl.parse("srt://" + StreamConfig.hostPort(bind, port) + "?mode=listener");
            PassphraseOptions.Given given = passphraseOptions.resolve(
                    java.util.Collections.singletonMap("--passphrase", passphrase));
            if (given != null) {
                url = url.with("passphrase", given.passphrase());
                String warning = given.warning("mcr-srt serve-files");
                if (warning != null) {
                    System.err.println(warning);
                }
            }
        } catch (IllegalArgumentException bad) {
            System.err.println("mcr-srt serve-files: " + bad.getMessage());
            return 2;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        // Ctrl-C or SIGTERM ends the wait: the server closes (ending transfers under way) and the command exits 0.
        try (StopSignals.Registration stop = StopSignals.onStop(signal -> stopped.countDown());
                SrtFileServer server = SrtFileServer.start(directory, url)) {
            System.err.println("serving " + server.directory() + " on srt://"
                    + StreamConfig.hostPort(bind, server.localAddress().getPort()) + " (Ctrl-C stops)");
            stopped.await();
            return 0;
        } catch (IOException | IllegalArgumentException e) {
            System.err.println("mcr-srt serve-files: " + e.getMessage());
            return e instanceof IllegalArgumentException ? 2 : 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }
}
