package io.mcrsrt.streamer.stream;

import java.nio.file.Path;
import java.util.Objects;

/**
 * What the stream engine needs from the service's configuration, validated once.
 *
 * @param mediaFolder           root of the files a file stream may play ({@code MEDIA_FOLDER}); nothing outside it
 * @param dataDir               where stream definitions and the colour-bar cache live ({@code DATA_DIR})
 * @param maxStreams            most streams running at once ({@code MAX_STREAMS})
 * @param listenerPortMin       lowest port a listener stream may bind (default 10001)
 * @param listenerPortMax       highest port a listener stream may bind (default 10010)
 * @param maxCallersPerListener most callers one listener stream serves at once
 * @param listenerAddress       the local address listener streams bind, written as an address (127.0.0.1, ::1), not a
 *                              name; null for every address of the machine, as the service does
 */
public record EngineSettings(
        Path mediaFolder,
        Path dataDir,
        int maxStreams,
        int listenerPortMin,
        int listenerPortMax,
        int maxCallersPerListener,
        String listenerAddress) {

    /** Settings whose listeners bind every address of the machine. */
    public EngineSettings(Path mediaFolder, Path dataDir, int maxStreams, int listenerPortMin, int listenerPortMax,
            int maxCallersPerListener) {
        this(mediaFolder, dataDir, maxStreams, listenerPortMin, listenerPortMax, maxCallersPerListener, null);
    }

    public EngineSettings {
        Objects.requireNonNull(mediaFolder, "mediaFolder");
        Objects.requireNonNull(dataDir, "dataDir");
        if (maxStreams < 1) {
            throw new IllegalArgumentException("maxStreams " + maxStreams + " (expected: >= 1)");
        }
        if (listenerPortMin < 1 || listenerPortMax > 65535 || listenerPortMin > listenerPortMax) {
            throw new IllegalArgumentException("listener port range " + listenerPortMin + "-" + listenerPortMax
                    + " (expected: 1 <= min <= max <= 65535)");
        }
        if (maxCallersPerListener < 1) {
            throw new IllegalArgumentException("maxCallersPerListener " + maxCallersPerListener + " (expected: >= 1)");
        }
        if (listenerAddress != null && listenerAddress.isBlank()) {
            listenerAddress = null;
        }
    }
}
