package io.mcrsrt.streamer.cli;

import io.mcrsrt.streamer.config.PasswordHash;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;

/** {@code mcr-srt hash-password}: reads a password from standard input, prints its hash for UI_PASSWORD_HASH. */
@Command(name = "hash-password",
        mixinStandardHelpOptions = true,
        description = {"Read a password from standard input (first line) and print its PBKDF2-SHA256 hash.",
                "Set it as UI_PASSWORD_HASH, with UI_USERNAME, to require a login for the web UI.",
                "Example: printf '%%s' 'my password' | mcr-srt hash-password",
                "Exit status: 0 when the hash was printed, 2 when the password is shorter than 8 characters."})
public final class HashPasswordCommand implements Callable<Integer> {
    private static final int MIN_LENGTH = 8;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        char[] password;
        if (System.console() != null && System.in.available() == 0) {
            password = System.console().readPassword("Password: ");
        } else {
            String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            password = line == null ? new char[0] : line.toCharArray();
        }
        if (password == null || password.length < MIN_LENGTH) {
            spec.commandLine().getErr().println("mcr-srt hash-password: the password must have at least " + MIN_LENGTH
                    + " characters; nothing was hashed.");
            return 2;
        }
        spec.commandLine().getOut().println(PasswordHash.hash(password));
        java.util.Arrays.fill(password, '\0');
        return 0;
    }
}
