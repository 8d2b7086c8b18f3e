package io.mcrsrt.streamer.api;

import io.javalin.http.Context;
import io.mcrsrt.streamer.stream.Persistence;
import io.mcrsrt.streamer.system.MediaLibrary;
import io.mcrsrt.streamer.system.NetworkInterfaces;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** System status, media library, IPTV channels and network interfaces. */
final class SystemHandlers {
    private static final Logger LOG = LoggerFactory.getLogger(SystemHandlers.class);

    private final ServiceContext ctx;

    SystemHandlers(ServiceContext ctx) {
        this.ctx = ctx;
    }

    void status(Context c) {
        c.json(status(ctx));
    }

    /** The system status: what {@code GET /api/system/status} answers and the live {@code system} event carries. */
    static Map<String, Object> status(ServiceContext ctx) {
        Map<String, Object> body = new LinkedHashMap<>(ctx.system().snapshot());
        body.put("persistence", persistence(ctx.engine().persistence()));
        return body;
    }

    /** Whether stream definitions reach the disk: {@code ok}, the file, the last failure and when it cleared. */
    static Map<String, Object> persistence(Persistence p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ok", !p.failing());
        m.put("file", p.file());
        m.put("last_error", p.failure());
        m.put("failed_at", p.failedAtMillis() == 0 ? null
                : DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochMilli(p.failedAtMillis())));
        m.put("cleared_at", p.clearedAtMillis() == 0 ? null
                : DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochMilli(p.clearedAtMillis())));
        return m;
    }

    void interfaces(Context c) {
        c.json(NetworkInterfaces.list());
    }

    void iptvChannels(Context c) {
        try {
            c.json(ctx.iptv().read());
        } catch (IOException e) {
            LOG.warn("IPTV channel list unreadable: {}", e.getMessage());
            throw new ApiException(500, "The IPTV channel list " + ctx.config().iptvChannelsFile()
                    + " cannot be read: " + e.getMessage() + ". Fix the JSON or remove the file.");
        }
    }

    /** {@code GET /api/media}: name, size and duration of every .ts file. */
    void media(Context c) {
        c.json(ctx.media().listWithDurations());
    }

    /** {@code GET /media}: the original UI's list, name and size only. */
    void mediaCompat(Context c) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (MediaLibrary.MediaFile f : ctx.media().list()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", f.name());
            m.put("size", f.size());
            out.add(m);
        }
        c.json(out);
    }

    /** mediainfo JSON of a file in the media folder ({@code {file}} may contain sub-folders). */
    void mediaInfo(Context c) {
        String name = c.pathParam("file");
        Path file = ctx.media().resolve(name).orElseThrow(() -> new ApiException(404,
                "File '" + name + "' was not found in the media folder."));
        try {
            c.json(ctx.media().mediaInfo(file, name));
        } catch (IOException e) {
            throw new ApiException(500, "mediainfo could not read '" + name + "': " + e.getMessage()
                    + ". Check that mediainfo is installed and the file is a readable transport stream.");
        }
    }
}
