package io.mcrsrt.streamer.security;

import io.mcrsrt.streamer.files.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sessions ended by {@code POST /logout} before they expired, by their token (which a session keeps across its
 * renewals), until the latest any copy of their cookie could expire. A session cookie is signed, not looked up, so
 * without this list a copy of it taken before the logout would open the UI and the API until its expiry, and could be
 * renewed. Kept in a file (mode 0600) so that a restart does not forget a logout. Thread-safe.
 */
public final class LoggedOutSessions {
    private static final Logger LOG = LoggerFactory.getLogger(LoggedOutSessions.class);
    /** More logouts than this within the time they are kept keep the ones that expire last. */
    static final int MAX_ENTRIES = 10_000;

    /** Where the list is kept, or null to keep it in memory only. */
    private final Path file;
    /** Session token to the epoch milliseconds after which no copy of its cookie is valid. Guarded by this. */
    private final Map<String, Long> ended = new HashMap<>();

    private LoggedOutSessions(Path file) {
        this.file = file;
    }

    /** A list kept in memory only: forgotten at a restart (tests, embedded use). */
    public static LoggedOutSessions inMemory() {
        return new LoggedOutSessions(null);
    }

    /**
     * The list kept in {@code file}, read now. A file that cannot be read is logged and the list starts empty: a
     * logout is a protection, and the service must start without it.
     */
    public static LoggedOutSessions in(Path file) {
        LoggedOutSessions s = new LoggedOutSessions(file);
        try {
            long now = System.currentTimeMillis();
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String[] parts = line.strip().split(" ", 2);
                if (parts.length == 2 && parts[0].matches("\\d{1,19}") && Long.parseLong(parts[0]) > now) {
                    s.ended.put(parts[1], Long.parseLong(parts[0]));
                }
            }
        } catch (NoSuchFileException none) {
            // no logout yet
        } catch (IOException | RuntimeException e) {
            LOG.warn("Cannot read the list of ended UI sessions {}: {}; sessions ended before this start count as"
                    + " open again until they expire", file, e.getMessage());
        }
        return s;
    }

    /**
     * Ends {@code session}: its cookies are refused from now on, until {@code untilMillis}, when every copy of them
     * would have expired anyway (a renewed copy can outlive the one that logged out).
     */
    public synchronized void end(SessionCodec.Session session, long untilMillis) {
        long now = System.currentTimeMillis();
        ended.values().removeIf(expires -> expires <= now);
        ended.put(session.csrfToken(), untilMillis);
        while (ended.size() > MAX_ENTRIES) {
            ended.entrySet().stream().min(Map.Entry.comparingByValue()).map(Map.Entry::getKey)
                    .ifPresent(ended::remove);
        }
        save();
    }

    /** Whether {@code session} was ended by a logout. */
    public synchronized boolean ended(SessionCodec.Session session) {
        return ended.containsKey(session.csrfToken());
    }

    private void save() {
        if (file == null) {
            return;
        }
        StringBuilder text = new StringBuilder();
        ended.forEach((token, expires) -> text.append(expires).append(' ').append(token).append('\n'));
        try {
            AtomicFiles.write(file, text.toString().getBytes(StandardCharsets.UTF_8), "rw-------");
        } catch (IOException e) {
            LOG.warn("Cannot save the list of ended UI sessions to {}: {}; the logout holds until the service"
                    + " restarts. Free space in DATA_DIR or make it writable.", file, e.getMessage());
        }
    }
}
