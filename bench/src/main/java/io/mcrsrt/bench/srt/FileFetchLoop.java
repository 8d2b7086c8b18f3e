package io.mcrsrt.bench.srt;

import io.mcrsrt.srt.SrtFileClient;
import io.mcrsrt.srt.SrtFileServer;
import io.mcrsrt.srt.SrtUrl;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Fetches one 3 000 000-byte file COUNT times, one transfer after the other, from an {@link SrtFileServer} on
 * loopback in the same process, and counts the transfers that took over 5 s (a healthy one takes well under a second).
 * Runs from the source with the library's classes:
 *
 * <pre>
 * ./mvnw -q -o -pl srt compile
 * java --enable-native-access=ALL-UNNAMED -cp srt/target/classes bench/src/main/java/io/mcrsrt/bench/srt/FileFetchLoop.java 40
 * </pre>
 */
public final class FileFetchLoop {

    private FileFetchLoop() {}

    public static void main(String[] args) throws Exception {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 40;
        Path dir = Files.createTempDirectory("file-fetch-loop");
        byte[] content = new byte[3_000_000];
        new SplittableRandom(1).nextBytes(content);
        Path source = Files.write(dir.resolve("clip.ts"), content);
        Path target = dir.resolve("fetched.ts");
        int slow = 0;
        long longest = 0;
        try (SrtFileServer server = SrtFileServer.start(dir, 0)) {
            SrtUrl url = SrtUrl.parse("srt://127.0.0.1:" + server.localAddress().getPort());
            for (int i = 0; i < count; i++) {
                long start = System.nanoTime();
                SrtFileClient.fetch(url, "clip.ts", target, SrtFileClient.Progress.NONE);
                long ms = (System.nanoTime() - start) / 1_000_000;
                longest = Math.max(longest, ms);
                if (ms > 5_000) {
                    slow++;
                }
                System.out.println("fetch " + i + ": " + ms + " ms");
            }
        } finally {
            Files.deleteIfExists(target);
            Files.deleteIfExists(source);
            Files.deleteIfExists(dir);
        }
        System.out.println("over 5 s: " + slow + " of " + count + ", longest " + longest + " ms");
    }
}
