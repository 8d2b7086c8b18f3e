package io.mcrsrt.streamer.cli;

import io.mcrsrt.streamer.stream.PassphraseRule;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Option;

/**
 * The ways to give a command its SRT passphrase that no other user of the machine can read: {@code --passphrase-file}
 * and {@code --passphrase-env}. A passphrase written on the command line ({@code --passphrase}, {@code passphrase=} in
 * an SRT URL) is in {@code /proc/PID/cmdline}, which every user reads ({@code ps aux}); a file of mode 0600 and the
 * process's environment ({@code /proc/PID/environ}, mode 0400) are readable by its owner only.
 *
 * <p>The environment variable is read only when {@code --passphrase-env} asks for it: one left exported in a shell
 * would otherwise encrypt, or change the key of, every later command without a word on its command line, and a
 * command meant to send in clear would be refused by its peer for a reason nobody could see.
 */
public final class PassphraseOptions {
    /** The environment variable {@code --passphrase-env} reads. */
    public static final String VARIABLE = "SRT_PASSPHRASE";
    static final String FILE_OPTION = "--passphrase-file";
    static final String ENV_OPTION = "--passphrase-env";
    /** More than a passphrase can be (79 bytes): enough to say how long a wrong file's first line is. */
    private static final int MAX_LINE_BYTES = 4096;

    @Option(names = FILE_OPTION, paramLabel = "FILE", description = "read the passphrase from the first line of FILE,"
            + " which only its owner may read (chmod 600 FILE); unlike a passphrase on the command line, which every"
            + " user of this machine can read in the process list")
    Path file;

    @Option(names = ENV_OPTION, description = "take the passphrase from the environment variable " + VARIABLE
            + " (read only with this option)")
    boolean fromEnvironment;

    /**
     * A passphrase and how it was given.
     *
     * @param source how the command line gave it, for messages: {@code --passphrase}, {@code --passphrase-file F}
     * @param onCommandLine whether it was written on the command line, where every user can read it
     */
    public record Given(String passphrase, String source, boolean onCommandLine) {
        @Override
        public String toString() {
            // never the passphrase itself
            return "Given[" + source + "]";
        }

        /** The one-line warning a command prints for a passphrase on its command line, or null for one that is not. */
        public String warning(String command) {
            return !onCommandLine ? null : command + ": warning: the passphrase given by " + source + " can be read by"
                    + " every user of this machine in the process list (ps); give it with " + FILE_OPTION
                    + " FILE (chmod 600) or " + ENV_OPTION + " instead";
        }
    }

    /** Whether {@code --passphrase-file} or {@code --passphrase-env} was given. */
    boolean given() {
        return file != null || fromEnvironment;
    }

    /** As {@link #resolve(Map, Map)} with the process's environment. */
    public Given resolve(Map<String, String> onCommandLine) {
        return resolve(onCommandLine, System.getenv());
    }

    /**
     * The one passphrase the command was given, its length checked as libsrt counts it.
     *
     * @param onCommandLine the ways the command line itself carries one, how each is named to its value (null: not
     *     given), e.g. {@code "--passphrase"} or {@code "passphrase= in the SRT URL"}
     * @return the passphrase, or null when none was given
     * @throws IllegalArgumentException one sentence naming what is wrong (two sources, the file, the variable, the
     *     length) and the fix
     */
    Given resolve(Map<String, String> onCommandLine, Map<String, String> environment) {
        Map<String, String> given = new LinkedHashMap<>();
        onCommandLine.forEach((name, value) -> {
            if (value != null) {
                given.put(name, value);
            }
        });
        List<String> sources = new ArrayList<>(given.keySet());
        if (file != null) {
            sources.add(FILE_OPTION + " " + file);
        }
        if (fromEnvironment) {
            sources.add(ENV_OPTION);
        }
        if (sources.size() > 1) {
            throw new IllegalArgumentException("the passphrase is given twice, by " + sources.get(0) + " and by "
                    + sources.get(1) + " (expected: one of them; " + FILE_OPTION + " or " + ENV_OPTION + " keeps it"
                    + " out of the process list)");
        }
        if (sources.isEmpty()) {
            return null;
        }
        Given g;
        if (file != null) {
            g = new Given(readFile(file), "the first line of " + FILE_OPTION + " " + file, false);
        } else if (fromEnvironment) {
            g = new Given(fromEnvironment(environment), VARIABLE + " (" + ENV_OPTION + ")", false);
        } else {
            String name = sources.getFirst();
            g = new Given(given.get(name), name, true);
        }
        String problem = PassphraseRule.problem(g.source(), g.passphrase());
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        return g;
    }

    private static String fromEnvironment(Map<String, String> environment) {
        String value = environment.get(VARIABLE);
        if (value == null) {
            throw new IllegalArgumentException(ENV_OPTION + ": the environment variable " + VARIABLE + " is not set"
                    + " (set and export it first, e.g. read -rs " + VARIABLE + " && export " + VARIABLE
                    + "; or give " + FILE_OPTION + " FILE)");
        }
        if (value.isEmpty()) {
            throw new IllegalArgumentException(ENV_OPTION + ": the environment variable " + VARIABLE + " is empty"
                    + " (expected: the passphrase, 10 to 79 bytes in UTF-8)");
        }
        return value;
    }

    /** The first line of {@code file}, without its line end ({@code \n} or {@code \r\n}). */
    static String readFile(Path file) {
        String named = FILE_OPTION + " " + file;
        if (Files.isDirectory(file)) {
            throw new IllegalArgumentException(named + " is a folder (expected: a file holding the passphrase on its"
                    + " first line)");
        }
        String readable = readableByOthers(file);
        if (readable != null) {
            throw new IllegalArgumentException(named + " can be read by other users (" + readable + "); make it"
                    + " readable by its owner only: chmod 600 " + file);
        }
        byte[] line;
        try (InputStream in = Files.newInputStream(file)) {
            // Byte by byte up to the line end: FILE may be a pipe (<(pass show srt)) that has more, or never ends.
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            int c;
            while ((c = in.read()) >= 0 && c != '\n' && b.size() < MAX_LINE_BYTES) {
                b.write(c);
            }
            line = b.toByteArray();
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(named + " does not exist (expected: a file holding the passphrase on"
                    + " its first line, readable by its owner only: chmod 600 " + file + ")");
        } catch (IOException e) {
            throw new IllegalArgumentException(named + " cannot be read (" + e.getMessage() + ")");
        }
        int length = line.length > 0 && line[line.length - 1] == '\r' ? line.length - 1 : line.length;
        if (length == 0) {
            throw new IllegalArgumentException(named + " is empty or its first line is (expected: the passphrase on"
                    + " its first line)");
        }
        try {
            // a byte that is not UTF-8 would otherwise become U+FFFD, a passphrase other than the one in the file
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(line, 0, length)).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(named + ": its first line is not UTF-8 text (expected: the passphrase"
                    + " saved as UTF-8)");
        }
    }

    /**
     * The file's permissions when its group or others may read it, or null when they may not or when the file system
     * has no POSIX permissions to check (then nothing can be said about who reads it).
     */
    private static String readableByOthers(Path file) {
        if (Files.getFileAttributeView(file, PosixFileAttributeView.class) == null) {
            return null;
        }
        Set<PosixFilePermission> p;
        try {
            p = Files.getPosixFilePermissions(file);
        } catch (UnsupportedOperationException | IOException e) {
            return null; // a missing or unreadable file is reported when it is read
        }
        return p.contains(PosixFilePermission.GROUP_READ) || p.contains(PosixFilePermission.OTHERS_READ)
                ? "mode " + PosixFilePermissions.toString(p) : null;
    }
}
