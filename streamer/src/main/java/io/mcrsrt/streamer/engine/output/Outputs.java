package io.mcrsrt.streamer.engine.output;

import io.mcrsrt.streamer.stream.Mode;
import io.mcrsrt.streamer.stream.StreamConfig;

/** Opens a stream's SRT output for its mode. */
public final class Outputs {
    private Outputs() {
    }

    /**
     * A listener (bound and listening when this returns) or a caller (connecting in the background).
     *
     * @param bitsPerSecond the input's rate if known before it starts, else 0
     */
    public static Output open(StreamConfig config, int maxCallers, long bitsPerSecond, EventSink events)
            throws Exception {
        return config.mode() == Mode.LISTENER
                ? ListenerOutput.open(config, maxCallers, bitsPerSecond, events)
                : CallerOutput.start(config, bitsPerSecond, events);
    }

    /** See {@link SrtSettings#srtUri(StreamConfig)}. */
    public static String srtUri(StreamConfig config) {
        return SrtSettings.srtUri(config);
    }
}
