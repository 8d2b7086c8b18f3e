package io.mcrsrt.streamer.engine;

import io.mcrsrt.streamer.engine.bars.BarsRenderer;
import io.mcrsrt.streamer.engine.input.FileInput;
import io.mcrsrt.streamer.engine.input.Input;
import io.mcrsrt.streamer.engine.input.UdpInput;
import io.mcrsrt.streamer.engine.output.DualOutput;
import io.mcrsrt.streamer.engine.output.Outputs;
import io.mcrsrt.streamer.engine.output.SrtSettings;
import io.mcrsrt.streamer.engine.store.StreamStore;
import io.mcrsrt.streamer.stream.EngineSettings;
import io.mcrsrt.streamer.stream.InputSpec;
import io.mcrsrt.streamer.stream.LinkStats;
import io.mcrsrt.streamer.stream.Mode;
import io.mcrsrt.streamer.stream.PairConfig;
import io.mcrsrt.streamer.stream.PairView;
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
import java.util.concurrent.atomic.AtomicReference;
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
    /** Batches of due messages sized from each stream's latency ({@link SrtSettings#sendBatchNanos}). */
    static final long DEFAULT_TICK_NANOS = 0;
    private static final long STOP_TIMEOUT_MILLIS = 5_000;

    private final EngineSettings settings;
    private final StreamStore store;
    private final BarsRenderer bars;
    private final long tickNanos;
    private final boolean persistent;
    private final ConcurrentSkipListMap<Integer, StreamRunner> streams = new ConcurrentSkipListMap<>();
    private final ConcurrentSkipListMap<Integer, PairRunner> pairs = new ConcurrentSkipListMap<>();

    /** A dual-path stream: its runner and, once the owner thread opened them, its two legs. */
    private record PairRunner(PairConfig config, StreamRunner runner, AtomicReference<DualOutput> output) {
        PairView view() {
            StreamView v = runner.view();
            DualOutput out = output.get();
            List<PairView.LegView> legs = out != null ? out.legs() : List.of(
                    new PairView.LegView(config.leg1(), v.status(), v.statusDetail(), List.of(), null,
                            SrtSettings.srtUri(config.legConfig(config.leg1()))),
                    new PairView.LegView(config.leg2(), v.status(), v.statusDetail(), List.of(), null,
                            SrtSettings.srtUri(config.legConfig(config.leg2()))));
            return new PairView(config, v.status(), v.startedAt(), legs, v.events(), v.inputBitrateMbps());
        }
    }
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

    /**
     * As {@link #open(EngineSettings)}, waking every {@code tickNanos} to send what is due (benchmarks vary it; 0 sizes
     * it from each stream's latency).
     */
    public static LocalStreamEngine open(EngineSettings settings, long tickNanos) {
        LocalStreamEngine engine = new LocalStreamEngine(settings, tickNanos, true);
        StreamStore.Saved stored = engine.store.load();
        List<StreamConfig> saved = stored.streams();
        for (PairConfig pair : stored.pairs()) {
            try {
                engine.startPairRunner(pair);
                LOG.info("pair {}: restored ({})", pair.key(), pair.input().describe());
            } catch (StreamException e) {
                LOG.error("pair {}: saved in {} but cannot be restored: {}", pair.key(), engine.store.file(),
                        e.getMessage());
            }
        }
        for (StreamConfig config : saved) {
            try {
                engine.startRunner(config);
                LOG.info("stream {}: restored ({})", config.key(), config.input().describe());
            } catch (StreamException e) {
                LOG.error("stream {}: saved in {} but cannot be restored: {}", config.key(), engine.store.file(),
                        e.getMessage());
            }
        }
        if (saved.size() != engine.streams.size() || stored.pairs().size() != engine.pairs.size()) {
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
            checkKeyFree(key, config.mode());
            checkRoomForOneMore();
            checkListenerPort(config.mode(), config.port());
            StreamRunner.InputFactory input = inputFactory(config.input());
            StreamRunner runner = new StreamRunner(config, input,
                    (events, bps) -> Outputs.open(config, settings.maxCallersPerListener(), bps, events),
                    tickNanos, Outputs.srtUri(config));
            streams.put(key, runner);
            runner.start();
            return runner;
        }
    }

    private void checkKeyFree(int key, Mode mode) throws StreamException {
        boolean inPair = pairs.values().stream()
                .anyMatch(p -> p.config().leg1().key() == key || p.config().leg2().key() == key);
        if (streams.containsKey(key) || inPair) {
            throw new StreamException(StreamException.Reason.CONFLICT, "Stream " + key
                    + " is already running; stop it first or use another "
                    + (mode == Mode.LISTENER ? "port" : "target port") + ".");
        }
    }

    private void checkRoomForOneMore() throws StreamException {
        int running = streams.size() + pairs.size();
        if (running >= settings.maxStreams()) {
            throw new StreamException(StreamException.Reason.LIMIT, "Already running " + running
                    + " streams, the maximum (MAX_STREAMS=" + settings.maxStreams() + "); stop one first.");
        }
    }

    private void checkListenerPort(Mode mode, Integer port) throws StreamException {
        if (mode == Mode.LISTENER && (port < settings.listenerPortMin() || port > settings.listenerPortMax())) {
            throw new StreamException(StreamException.Reason.LIMIT, "Listener port " + port
                    + " is outside the allowed range " + settings.listenerPortMin() + "-"
                    + settings.listenerPortMax() + "; pick a port in that range.");
        }
    }

    @Override
    public PairView startPair(PairConfig config) throws StreamException {
        synchronized (lifecycle) {
            PairRunner pair = startPairRunner(config);
            save();
            return pair.view();
        }
    }

    private PairRunner startPairRunner(PairConfig config) throws StreamException {
        synchronized (lifecycle) {
            if (closed) {
                throw new StreamException(StreamException.Reason.START_FAILED, "the stream engine is shut down");
            }
            if (config.input() instanceof InputSpec.File) {
                throw new StreamException(StreamException.Reason.START_FAILED,
                        "Dual path takes a multicast or colour-bars input, not a file.");
            }
            for (PairConfig.Leg leg : List.of(config.leg1(), config.leg2())) {
                checkKeyFree(leg.key(), leg.mode());
                checkListenerPort(leg.mode(), leg.port());
            }
            checkRoomForOneMore();
            PairConfig.Leg first = config.leg1().key() <= config.leg2().key() ? config.leg1() : config.leg2();
            StreamConfig runnerConfig = config.legConfig(first);
            AtomicReference<DualOutput> output = new AtomicReference<>();
            StreamRunner runner = new StreamRunner(runnerConfig, inputFactory(config.input()), (events, bps) -> {
                DualOutput dual = DualOutput.open(config, settings.maxCallersPerListener(), bps, events);
                output.set(dual);
                return dual;
            }, tickNanos, SrtSettings.srtUri(runnerConfig), config.ssrcValue());
            PairRunner pair = new PairRunner(config, runner, output);
            pairs.put(config.key(), pair);
            runner.start();
            return pair;
        }
    }

    @Override
    public void stopPair(int key) throws StreamException {
        PairRunner pair;
        synchronized (lifecycle) {
            pair = pairs.remove(key);
            if (pair == null) {
                throw new StreamException(StreamException.Reason.NOT_FOUND, "Pair " + key
                        + " not found or already stopped.");
            }
            save();
        }
        pair.runner().stop(STOP_TIMEOUT_MILLIS);
    }

    @Override
    public List<PairView> pairs() {
        List<PairView> views = new ArrayList<>(pairs.size());
        for (PairRunner p : pairs.values()) {
            views.add(p.view());
        }
        return views;
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
            for (PairRunner p : pairs.values()) {
                running.add(p.runner());
            }
            streams.clear();
            pairs.clear();
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
        List<PairConfig> pairConfigs = new ArrayList<>();
        for (PairRunner p : pairs.values()) {
            pairConfigs.add(p.config());
        }
        try {
            store.save(configs, pairConfigs);
        } catch (IOException e) {
            LOG.error("Cannot save the running streams to {}: {}; they will not come back after a restart."
                    + " Check that DATA_DIR is writable.", store.file(), e.getMessage());
        }
    }
}
