package io.mcrsrt.streamer.engine;

import io.mcrsrt.streamer.engine.bars.BarsRenderer;
import io.mcrsrt.streamer.engine.input.FileInput;
import io.mcrsrt.streamer.engine.input.Input;
import io.mcrsrt.streamer.engine.input.UdpInput;
import io.mcrsrt.streamer.engine.output.Outputs;
import io.mcrsrt.streamer.engine.store.StreamStore;
import io.mcrsrt.streamer.stream.EngineSettings;
import io.mcrsrt.streamer.stream.InputSpec;
import io.mcrsrt.streamer.stream.LinkStats;
import io.mcrsrt.streamer.stream.Mode;
import io.mcrsrt.streamer.stream.StreamConfig;
import io.mcrsrt.streamer.stream.StreamEngine;
import io.mcrsrt.streamer.stream.StreamException;
import io.mcrsrt.streamer.stream.StreamView;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stream engine of one process: runs every stream on its own owner thread, enforces the limits, and keeps the
 * running streams' definitions in {@code DATA_DIR/streams.json} so {@link #open} brings them back after a restart.
 *
 * <p>Thread-safe. {@link #start}, {@link #stop} and {@link #close} are serialised; reads never wait for them.
 */
public final class LocalStreamEngine implements StreamEngine {
    private static final Logger LOG = LoggerFactory.getLogger(LocalStreamEngine.class);
    /** How long the owner thread waits between batches of due messages. */
    static final long DEFAULT_TICK_NANOS = 5_000_000L;
    private static final long STOP_TIMEOUT_MILLIS = 5_000;

    private final EngineSettings settings;
    private final StreamStore store;
    private final BarsRenderer bars;
    private final long tickNanos;
    private final boolean persistent;
    private final ConcurrentSkipListMap<Integer, StreamRunner> streams = new ConcurrentSkipListMap<>();
    private final Object lifecycle = new Object();
    private boolean closed;

    private LocalStreamEngine(EngineSettings settings, long tickNanos, boolean persistent) {
        this.settings = settings;
        this.persistent = persistent;
        this.store = new StreamStore(settings.dataDir());
        this.bars = new BarsRenderer(settings.dataDir());
        this.tickNanos = tickNanos;
    }

    /**
     * Opens the engine and restores the streams saved in {@code DATA_DIR/streams.json}. A saved stream that cannot
     * start again is logged and forgotten; an unreadable file is logged and moved aside. Neither stops the engine.
     */
    public static LocalStreamEngine open(EngineSettings settings) {
        return open(settings, DEFAULT_TICK_NANOS);
    }

    /** As {@link #open(EngineSettings)}, waking every {@code tickNanos} to send what is due (benchmarks vary it). */
    public static LocalStreamEngine open(EngineSettings settings, long tickNanos) {
        LocalStreamEngine engine = new LocalStreamEngine(settings, tickNanos, true);
        List<StreamConfig> saved = engine.store.load();
        for (StreamConfig config : saved) {
            try {
                engine.startRunner(config);
                LOG.info("stream {}: restored ({})", config.key(), config.input().describe());
            } catch (StreamException e) {
                LOG.error("stream {}: saved in {} but cannot be restored: {}", config.key(), engine.store.file(),
                        e.getMessage());
            }
        }
        if (saved.size() != engine.streams.size()) {
            engine.save();
        }
        return engine;
    }

    /**
     * An engine that neither restores nor saves stream definitions: for the {@code send} command and benchmarks,
     * which must not disturb the service's saved streams. The colour-bar cache in {@code DATA_DIR} is still shared.
     */
    public static LocalStreamEngine openTransient(EngineSettings settings, long tickNanos) {
        return new LocalStreamEngine(settings, tickNanos, false);
    }

    @Override
    public StreamView start(StreamConfig config) throws StreamException {
        synchronized (lifecycle) {
            StreamRunner runner = startRunner(config);
            save();
            return runner.view();
        }
    }

    private StreamRunner startRunner(StreamConfig config) throws StreamException {
        synchronized (lifecycle) {
            if (closed) {
                throw new StreamException(StreamException.Reason.START_FAILED, "the stream engine is shut down");
            }
            int key = config.key();
            if (streams.containsKey(key)) {
                throw new StreamException(StreamException.Reason.CONFLICT, "Stream " + key
                        + " is already running; stop it first or use another "
                        + (config.mode() == Mode.LISTENER ? "port" : "target port") + ".");
            }
            if (streams.size() >= settings.maxStreams()) {
                throw new StreamException(StreamException.Reason.LIMIT, "Already running " + streams.size()
                        + " streams, the maximum (MAX_STREAMS=" + settings.maxStreams() + "); stop one first.");
            }
            if (config.mode() == Mode.LISTENER
                    && (config.port() < settings.listenerPortMin() || config.port() > settings.listenerPortMax())) {
                throw new StreamException(StreamException.Reason.LIMIT, "Listener port " + config.port()
                        + " is outside the allowed range " + settings.listenerPortMin() + "-"
                        + settings.listenerPortMax() + "; pick a port in that range.");
            }
            StreamRunner.InputFactory input = inputFactory(config.input());
            StreamRunner runner = new StreamRunner(config, input,
                    (events, bps) -> Outputs.open(config, settings.maxCallersPerListener(), bps, events),
                    tickNanos, Outputs.srtUri(config));
            streams.put(key, runner);
            runner.start();
            return runner;
        }
    }

    private StreamRunner.InputFactory inputFactory(InputSpec spec) throws StreamException {
        return switch (spec) {
            case InputSpec.File f -> {
                Path file = resolveMediaFile(f.relativePath());
                yield () -> FileInput.open(file, f.loop());
            }
            case InputSpec.Multicast m -> () -> UdpInput.open(m);
            case InputSpec.ColorBars b -> () -> FileInput.open(bars.clip(b.format()), true);
        };
    }

    /**
     * The real path of a media file, checked to be a {@code .ts} file inside {@code MEDIA_FOLDER} even after
     * following symbolic links.
     */
    Path resolveMediaFile(String relative) throws StreamException {
        if (!relative.toLowerCase(Locale.ROOT).endsWith(".ts")) {
            throw new StreamException(StreamException.Reason.START_FAILED,
                    "Only .ts files are supported: " + relative);
        }
        try {
            Path root = settings.mediaFolder().toRealPath();
            Path candidate = root.resolve(relative).normalize();
            if (!candidate.startsWith(root) || !Files.isRegularFile(candidate)) {
                throw new StreamException(StreamException.Reason.START_FAILED, "File " + relative
                        + " not found in the media folder " + root + "; give a path relative to it.");
            }
            Path real = candidate.toRealPath();
            if (!real.startsWith(root)) {
                throw new StreamException(StreamException.Reason.START_FAILED, "File " + relative
                        + " points outside the media folder " + root + "; copy the file into the media folder.");
            }
            return real;
        } catch (IOException e) {
            throw new StreamException(StreamException.Reason.START_FAILED, "File " + relative
                    + " cannot be read in the media folder " + settings.mediaFolder() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void stop(int key) throws StreamException {
        StreamRunner runner;
        synchronized (lifecycle) {
            runner = streams.remove(key);
            if (runner == null) {
                throw new StreamException(StreamException.Reason.NOT_FOUND,
                        "Stream " + key + " not found or already stopped.");
            }
            save();
        }
        runner.stop(STOP_TIMEOUT_MILLIS);
    }

    @Override
    public List<StreamView> streams() {
        List<StreamView> views = new ArrayList<>(streams.size());
        for (StreamRunner r : streams.values()) {
            views.add(r.view());
        }
        return views;
    }

    @Override
    public Optional<StreamView> stream(int key) {
        StreamRunner r = streams.get(key);
        return r == null ? Optional.empty() : Optional.of(r.view());
    }

    @Override
    public List<LinkStats> history(int key) {
        StreamRunner r = streams.get(key);
        return r == null ? List.of() : r.history();
    }

    /** Stops every stream in parallel, each with a bounded wait, keeping their saved definitions. */
    @Override
    public void close() {
        List<StreamRunner> running;
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
            running = new ArrayList<>(streams.values());
            streams.clear();
        }
        for (StreamRunner r : running) {
            r.requestStop();
        }
        for (StreamRunner r : running) {
            r.stop(STOP_TIMEOUT_MILLIS);
        }
    }

    private void save() {
        if (!persistent) {
            return;
        }
        List<StreamConfig> configs = new ArrayList<>();
        for (StreamRunner r : streams.values()) {
            configs.add(r.config());
        }
        try {
            store.save(configs);
        } catch (IOException e) {
            LOG.error("Cannot save the running streams to {}: {}; they will not come back after a restart."
                    + " Check that DATA_DIR is writable.", store.file(), e.getMessage());
        }
    }
}
