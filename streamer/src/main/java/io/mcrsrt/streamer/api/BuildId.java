package io.mcrsrt.streamer.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Which build of the service answers: sent on every answer as {@link #HEADER} and put in every page, so that a page
 * left open across an upgrade can tell that the service runs other code than the scripts it loaded with.
 *
 * @param value letters, digits, '.', '_' or '-', at most 64
 */
public record BuildId(String value) {
    /** The header every answer carries. */
    public static final String HEADER = "X-MCR-Build";
    private static final Pattern FORM = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    public BuildId {
        if (value == null || !FORM.matcher(value).matches()) {
            throw new IllegalArgumentException("A build id is 1 to 64 letters, digits, '.', '_' or '-' (got '"
                    + value + "').");
        }
    }

    /**
     * This build's id, worked out once per process: the first 12 hex digits of a SHA-256 over what the jar the service
     * runs from holds (its code and its web files), each file's name, size and CRC-32 as the jar's directory lists
     * them, so that another content has another id and a rebuild of the same one the same, read without unpacking the
     * jar; run from a folder of classes (a development build), over the files under {@code web/}, names and bytes.
     */
    public static BuildId current() {
        return Current.ID;
    }

    private static final class Current {
        static final BuildId ID = compute();
    }

    private static BuildId compute() {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            Path code = Path.of(BuildId.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isRegularFile(code)) {
                try (ZipFile jar = new ZipFile(code.toFile())) {
                    List<? extends ZipEntry> entries = jar.stream().sorted(Comparator.comparing(ZipEntry::getName))
                            .toList();
                    for (ZipEntry entry : entries) {
                        sha.update((entry.getName() + "\0" + entry.getSize() + "\0" + entry.getCrc() + "\n")
                                .getBytes(StandardCharsets.UTF_8));
                    }
                }
            } else {
                Path web = code.resolve("web");
                List<Path> files;
                try (Stream<Path> walk = Files.walk(web)) {
                    files = walk.filter(Files::isRegularFile).sorted().toList();
                }
                for (Path file : files) {
                    sha.update(web.relativize(file).toString().getBytes(StandardCharsets.UTF_8));
                    sha.update((byte) 0);
                    digestFile(sha, file);
                }
            }
            return new BuildId(HexFormat.of().formatHex(sha.digest()).substring(0, 12));
        } catch (IOException e) {
            throw new UncheckedIOException("The build id cannot be worked out: its files cannot be read ("
                    + e.getMessage() + ")", e);
        } catch (NoSuchAlgorithmException | URISyntaxException e) {
            throw new IllegalStateException("The build id cannot be worked out: " + e.getMessage(), e);
        }
    }

    private static void digestFile(MessageDigest sha, Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                sha.update(buffer, 0, n);
            }
        }
    }
}
