package io.mcrsrt.streamer.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * What a process holds, read from /proc: open file descriptors and threads by name (Java and native threads alike,
 * so libsrt's own threads are counted too).
 *
 * @param fds            open file descriptors
 * @param threadsByName  thread count per name, digits folded to '#' so "stream-10001-pacer" and "-10002-" group
 * @param rssKb          resident set size
 */
record ProcessResources(int fds, Map<String, Integer> threadsByName, long rssKb) {

    static ProcessResources ofSelf() {
        return of("self");
    }

    static ProcessResources of(long pid) {
        return of(Long.toString(pid));
    }

    private static ProcessResources of(String pid) {
        Path proc = Path.of("/proc", pid);
        try {
            int fds;
            try (Stream<Path> s = Files.list(proc.resolve("fd"))) {
                fds = (int) s.count();
            }
            Map<String, Integer> threads = new TreeMap<>();
            try (Stream<Path> s = Files.list(proc.resolve("task"))) {
                for (Path task : s.toList()) {
                    try {
                        String name = Files.readString(task.resolve("comm")).strip().replaceAll("[0-9]+", "#");
                        threads.merge(name, 1, Integer::sum);
                    } catch (IOException gone) {
                        // the thread ended while we looked
                    }
                }
            }
            long rss = 0;
            for (String line : Files.readAllLines(proc.resolve("status"))) {
                if (line.startsWith("VmRSS:")) {
                    rss = Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
            return new ProcessResources(fds, threads, rss);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + proc, e);
        }
    }

    int threads() {
        return threadsByName.values().stream().mapToInt(Integer::intValue).sum();
    }
}
