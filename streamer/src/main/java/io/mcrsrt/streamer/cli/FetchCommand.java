package io.mcrsrt.streamer.cli;

import io.mcrsrt.srt.SrtFileClient;
import io.mcrsrt.srt.SrtUrl;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code mcr-srt fetch SRT_URL REMOTE LOCAL}: one file from an {@code mcr-srt serve-files} server. */
@Command(
        name = "fetch",
        mixinStandardHelpOptions = true,
        description = {
            "Fetch a file from an 'mcr-srt serve-files' server over SRT file mode; progress on stderr.",
            "The file is received beside LOCAL under a temporary name and renamed to LOCAL once whole and of the"
                    + " size announced: a transfer that fails or is stopped (Ctrl-C) leaves LOCAL as it was.",
            "Example: mcr-srt fetch srt://192.0.2.10:9000 clips/promo.ts promo.ts",
            "Exit status: 0 when the file was fetched whole, 1 when the server could not be reached or the transfer"
                    + " failed, 2 for a bad command line (URL, REMOTE name, or a LOCAL that cannot be written), 130"
                    + " (Ctrl-C) or 143 (SIGTERM) when stopped before the end: a stopped fetch is not a success."
        })
public final class FetchCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "SRT_URL", description = "the server, srt://host:port (if it has a passphrase: --passphrase-file or"
            + " --passphrase-env, or passphrase=... here, which every user of this machine can read in the process list)")
    String url;

    @Parameters(index = "1", paramLabel = "REMOTE", description = "file name relative to the served directory")
    String remote;

    @Parameters(index = "2", paramLabel = "LOCAL", description = "where to write it (replaced if it exists)")
    Path local;

    @Mixin
    PassphraseOptions passphraseOptions = new PassphraseOptions();

    @Override
    public Integer call() {
        SrtUrl parsed;
        try {
            parsed = RecvCommand.withPassphrase("mcr-srt fetch", SrtUrl.parse(url), passphraseOptions,
                    System.err::println);
        } catch (IllegalArgumentException badUrl) {
            System.err.println("mcr-srt fetch: " + badUrl.getMessage());
            return 2;
        }
        String badLocal = RecvCommand.checkWritable("LOCAL " + local, local);
        if (badLocal != null) {
            System.err.println("mcr-srt fetch: " + badLocal);
            return 2;
        }
        TransferProgress progress = new TransferProgress(remote, System.err);
        // Ctrl-C or SIGTERM interrupts the transfer, which deletes its temporary file and leaves LOCAL as it was; the
        // exit status is then the shell's for that signal, as a transfer that did not finish is not a success.
        Thread fetching = Thread.currentThread();
        try (StopSignals.Registration stop = StopSignals.onStop(signal -> fetching.interrupt())) {
            try {
                long bytes = SrtFileClient.fetch(parsed, remote, local, progress);
                progress.finish();
                System.err.println("fetched " + remote + " to " + local + " (" + bytes + " bytes)");
                return 0;
            } catch (IllegalArgumentException badName) {
                progress.finish();
                System.err.println("mcr-srt fetch: " + badName.getMessage());
                return 2;
            } catch (IOException e) {
                progress.finish();
                System.err.println("mcr-srt fetch: " + (e.getMessage() != null ? e.getMessage() : e));
                return stop.received().map(StopSignals.Received::exitStatus).orElse(1);
            } finally {
                Thread.interrupted(); // a stop that came as the transfer ended is answered: clear the interrupt
            }
        }
    }
}
