package io.mcrsrt.streamer.engine;

import io.mcrsrt.srt.AddressText;
import io.mcrsrt.srt.Srt;
import io.mcrsrt.streamer.engine.bars.BarsRenderer;
import io.mcrsrt.streamer.engine.input.FileInput;
import io.mcrsrt.streamer.engine.input.Input;
import io.mcrsrt.streamer.engine.input.UdpInput;
import io.mcrsrt.streamer.engine.output.AddressMissingException;
import io.mcrsrt.streamer.engine.output.DualOutput;
import io.mcrsrt.streamer.engine.output.Outputs;
import io.mcrsrt.streamer.engine.output.RtpWrapper;
import io.mcrsrt.streamer.engine.output.SrtSettings;
import io.mcrsrt.streamer.engine.store.StreamStore;
import io.mcrsrt.streamer.stream.EngineSettings;
import io.mcrsrt.streamer.stream.FailureText;
import io.mcrsrt.streamer.stream.InputSpec;
import io.mcrsrt.streamer.stream.StatsSample;
import io.mcrsrt.streamer.stream.MaxStreams;
import io.mcrsrt.streamer.stream.Mode;
import io.mcrsrt.streamer.stream.PairConfig;
import io.mcrsrt.streamer.stream.PairView;
import io.mcrsrt.streamer.stream.Persistence;
import io.mcrsrt.streamer.stream.StreamConfig;
import io.mcrsrt.streamer.stream.StreamEngine;
import io.mcrsrt.streamer.stream.StreamException;
import io.mcrsrt.streamer.stream.StreamStatus;
import io.mcrsrt.streamer.stream.StreamView;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.ToIntFunction;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stream engine of one process: runs every stream on its own owner thread, enforces the limits, and keeps the
 * running streams' definitions in {@code DATA_DIR/streams.json} so {@link #open} brings them back after a restart.
 * A definition leaves that file only when its stream is stopped: one that cannot start when restored stays listed, with
 * status Start Error, and saved.
 *
 * <p>Thread-safe. {@link #start}, {@link #stop} and {@link #close} are serialised; reads never wait for them.
 */
public final class LocalStreamEngine implements StreamEngine {
    private static final Logger LOG = LoggerFactory.getLogger(LocalStreamEngine.class);
    /** Batches of due messages sized from each stream's latency ({@link SrtSettings#sendBatchNanos}). */
    static final long DEFAULT_TICK_NANOS = 0;
    private static final long STOP_TIMEOUT_MILLIS = 5_000;
    /** How often saved streams that could not start are tried again (a media folder mounted late, say). */
    static final long RESTORE_RETRY_MILLIS = 5_000;

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
            return new PairView(config, v.status(), v.startedAt(), v.startedNanos(), legs, v.events(),
                    v.inputBitrateMbps(), v.inputCounters(), v.scte35());
        }
    }
    private final Object lifecycle = new Object();
    private boolean closed;
    /**
     * Restored definitions that cannot be listed under their key (the file held the key twice): never started, kept in
     * every save so that nothing saved is lost by a restart.
     */
    private final List<StreamConfig> heldStreams = new ArrayList<>();
    private final List<PairConfig> heldPairs = new ArrayList<>();
    private volatile Persistence persistence;
    /**
     * Keys of streams (and pair legs) being stopped: no longer listed, but their runner may still hold the port until
     * its stop returns, so a start on such a key is refused as a conflict rather than failing with Bind Error.
     */
    private final Set<Integer> stopping = ConcurrentHashMap.newKeySet();
    /** When this engine's listeners last left each port ({@link #releasedLately}). */
    private final Map<Integer, Long> released = new ConcurrentHashMap<>();
    /** How long a port a listener left counts as this engine's: libsrt's collector runs every second. */
    private static final long PORT_RELEASE_NANOS = 15_000_000_000L;
    /**
     * Listed saved streams that could not start for a reason that may go away by itself (a media file missing because
     * the media folder is not mounted yet): tried again every {@link #RESTORE_RETRY_MILLIS}. A limit (MAX_STREAMS, the
     * port range) is not retried: a stream that started by itself when another was stopped would take the room the
     * operator just made.
     */
    private final Set<StreamRunner> retrying = new HashSet<>();
    private Thread restoreRetry;
    private final Restorable<StreamConfig, StreamRunner> restorableStreams = new Restorable<>("stream", streams,
            StreamConfig::key, StreamRunner::config, r -> r, c -> startRunner(c, true),
            (config, e) -> notStarted(config, Outputs.srtUri(config), e));
    private final Restorable<PairConfig, PairRunner> restorablePairs = new Restorable<>("pair", pairs,
            PairConfig::key, PairRunner::config, PairRunner::runner, this::startPairRunner, (pair, e) -> {
                StreamConfig first = pair.legConfig(pair.leg1().key() <= pair.leg2().key() ? pair.leg1()
                        : pair.leg2());
                return new PairRunner(pair, notStarted(first, SrtSettings.srtUri(first), e), new AtomicReference<>());
            });

    /**
     * How restoring handles one kind of saved definition, a single stream or a dual-path pair, so that listing one
     * that cannot start and trying it again are written once. Its functions are called with the lifecycle lock held.
     *
     * @param noun "stream" or "pair", as the log names it
     * @param listed where this kind is listed, by key
     * @param key the key a definition is listed under
     * @param config the saved definition of a listed entry
     * @param runner the runner of a listed entry, whose view shows its status
     * @param start starts a definition and lists it
     * @param standIn a listed stand-in for a definition that cannot start, showing why ({@link #notStarted})
     */
    private record Restorable<C, R>(String noun, Map<Integer, R> listed, ToIntFunction<C> key,
            Function<R, C> config, Function<R, StreamRunner> runner, Start<C> start,
            BiFunction<C, StreamException, R> standIn) {
    }

    /** Starts a saved definition and lists it, or says why it cannot start. */
    @FunctionalInterface
    private interface Start<C> {
        void start(C config) throws StreamException;
    }

    private LocalStreamEngine(EngineSettings settings, long tickNanos, boolean persistent) {
        this.settings = settings;
        this.persistent = persistent;
        this.store = new StreamStore(settings.dataDir());
        this.bars = new BarsRenderer(settings.dataDir());
        this.tickNanos = tickNanos;
        this.persistence = persistent ? new Persistence(store.file().toString(), null, 0, 0, Set.of())
                : Persistence.NONE;
    }

    /**
     * Opens the engine and restores the streams saved in {@code DATA_DIR/streams.json}. A saved stream that cannot
     * start now (its media file missing, its listener address or a pair leg's interface not there yet on a machine
     * that has just booted, its port outside the range, {@code MAX_STREAMS} lowered) is logged and listed with status
     * Start Error and the reason, and stays saved. Unless a limit stopped it, it is tried again every
     * {@link #RESTORE_RETRY_MILLIS} until it starts, with a {@code restored} event then; a limit needs the setting
     * changed and a restart. It is forgotten only when it is stopped. Unreadable entries are logged and set aside
     * ({@link StreamStore#load}). Neither stops the engine.
     *
     * @throws UnsatisfiedLinkError if libsrt cannot be loaded, with a message saying what to install: loaded here,
     *                              once, rather than failing in every stream's thread
     */
    public static LocalStreamEngine open(EngineSettings settings) {
        return open(settings, DEFAULT_TICK_NANOS);
    }

    /**
     * As {@link #open(EngineSettings)}, waking every {@code tickNanos} to send what is due (benchmarks vary it; 0 sizes
     * it from each stream's latency).
     */
    public static LocalStreamEngine open(EngineSettings settings, long tickNanos) {
        Srt.ensureLoaded();
        LocalStreamEngine engine = new LocalStreamEngine(settings, tickNanos, true);
        StreamStore.Saved stored = engine.store.load();
        engine.persistence = new Persistence(engine.store.file().toString(), null, 0, 0,
                onDisk(stored.streams(), stored.pairs()));
        for (PairConfig pair : stored.pairs()) {
            try {
                engine.startPairRunner(pair);
                LOG.info("pair {}: restored ({})", pair.key(), pair.input().describe());
            } catch (StreamException e) {
                engine.keepNotStarted(pair, e);
            }
        }
        for (StreamConfig config : stored.streams()) {
            try {
                engine.startRunner(config, true);
                LOG.info("stream {}: restored ({})", config.key(), config.input().describe());
            } catch (StreamException e) {
                engine.keepNotStarted(config, e);
            }
        }
        if (stored.differsFromFile()) {
            engine.save();
        }
        engine.startRestoreRetry();
        return engine;
    }

    /** Starts the thread that tries again, if there is something to try and it is not running. */
    private void startRestoreRetry() {
        synchronized (lifecycle) {
            if (!retrying.isEmpty() && restoreRetry == null) {
                restoreRetry = Thread.ofPlatform().name("restore-retry").daemon(true).start(this::retryNotStarted);
            }
        }
    }

    /**
     * Every {@link #RESTORE_RETRY_MILLIS}, starts each listed saved stream that could not start, if it can start now;
     * otherwise it stays listed with the current reason. Ends when none is left or the engine closes.
     */
    private void retryNotStarted() {
        while (true) {
            try {
                Thread.sleep(RESTORE_RETRY_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            synchronized (lifecycle) {
                if (closed) {
                    return;
                }
                // those stopped meanwhile are no longer listed, and so forgotten here
                Set<StreamRunner> due = new HashSet<>(retrying);
                retrying.clear();
                retryDue(restorableStreams, due);
                retryDue(restorablePairs, due);
                if (retrying.isEmpty()) {
                    // under the lock: a stream listed waiting from now on starts a new thread
                    restoreRetry = null;
                    return;
                }
            }
        }
    }

    /** Tries again each listed entry of this kind whose runner is due. Called with the lifecycle lock held. */
    private <C, R> void retryDue(Restorable<C, R> kind, Set<StreamRunner> due) {
        for (R listed : List.copyOf(kind.listed().values())) {
            if (due.contains(kind.runner().apply(listed))) {
                retry(kind, listed);
            }
        }
    }

    /**
     * Tries to start a listed saved stream or pair that could not start; if it still cannot, it stays listed (the
     * same stand-in while the reason is the same). Called with the lifecycle lock held.
     */
    private <C, R> void retry(Restorable<C, R> kind, R notStarted) {
        C config = kind.config().apply(notStarted);
        int key = kind.key().applyAsInt(config);
        StreamRunner shown = kind.runner().apply(notStarted);
        kind.listed().remove(key);
        try {
            kind.start().start(config);
            String before = shown.notStartedReason();
            LOG.info("{} {}: started now; it could not start before: {}", kind.noun(), key, before);
            kind.runner().apply(kind.listed().get(key)).record("restored", "the saved " + kind.noun()
                    + " has started now; it could not start before: " + before);
        } catch (StreamException e) {
            if (notRestoredDetail(e).equals(shown.view().statusDetail())) {
                kind.listed().put(key, notStarted);
                retrying.add(shown);
            } else {
                kind.listed().put(key, kind.standIn().apply(config, e));
            }
        }
    }

    /** The detail shown for a saved stream that cannot start: the reason, and what to do once it is fixed. */
    private String notRestoredDetail(StreamException e) {
        return e.getMessage() + " (saved in " + store.file() + (retriedLater(e)
                ? "; it starts by itself within " + RESTORE_RETRY_MILLIS / 1000 + " s once this is fixed,"
                : "; once this is fixed, restart the service,") + " or delete the stream to forget it)";
    }

    private static boolean retriedLater(StreamException e) {
        return e.reason() == StreamException.Reason.START_FAILED
                || e.reason() == StreamException.Reason.ADDRESS_MISSING;
    }

    /** A listed stand-in for a saved stream that cannot start; called with the lifecycle lock held. */
    private StreamRunner notStarted(StreamConfig config, String srtUri, StreamException e) {
        StreamRunner r = StreamRunner.notStarted(config, srtUri, e.getMessage(), notRestoredDetail(e));
        if (retriedLater(e)) {
            retrying.add(r);
        }
        return r;
    }

    private void keepNotStarted(StreamConfig config, StreamException e) {
        synchronized (lifecycle) {
            if (streams.containsKey(config.key()) || inPair(config.key())) {
                heldStreams.add(config);
                LOG.error("stream {}: saved twice in {}; the second definition cannot be listed and is kept in the file"
                        + " unstarted: remove one of them from the file", config.key(), store.file());
                return;
            }
            listNotStarted(restorableStreams, config, e);
        }
    }

    private void keepNotStarted(PairConfig pair, StreamException e) {
        synchronized (lifecycle) {
            if (pairs.containsKey(pair.key()) || inPair(pair.leg1().key()) || inPair(pair.leg2().key())
                    || streams.containsKey(pair.leg1().key()) || streams.containsKey(pair.leg2().key())) {
                heldPairs.add(pair);
                LOG.error("pair {}: its leg keys are saved twice in {}; this definition cannot be listed and is kept"
                        + " in the file unstarted: remove one of them from the file", pair.key(), store.file());
                return;
            }
            listNotStarted(restorablePairs, pair, e);
        }
    }

    /** Lists a saved stream or pair that cannot start, with the reason. Called with the lifecycle lock held. */
    private <C, R> void listNotStarted(Restorable<C, R> kind, C config, StreamException e) {
        int key = kind.key().applyAsInt(config);
        LOG.error("{} {}: saved in {} but cannot start: {}; it stays saved and is listed with status {} until it"
                + " starts or is deleted", kind.noun(), key, store.file(), e.getMessage(),
                StreamStatus.START_ERROR.text());
        kind.listed().put(key, kind.standIn().apply(config, e));
    }

    /**
     * An engine that neither restores nor saves stream definitions: for the {@code send} command and benchmarks,
     * which must not disturb the service's saved streams. The colour-bar cache in {@code DATA_DIR} is still shared.
     */
    public static LocalStreamEngine openTransient(EngineSettings settings, long tickNanos) {
        Srt.ensureLoaded();
        return new LocalStreamEngine(settings, tickNanos, false);
    }

    /**
     * Starts a stream and saves it. One whose listener address ({@code SRT_LISTEN_ADDRESS}) is not on the machine now
     * is listed and saved as a restored one would be, with status Start Error and a detail naming the address, and
     * starts by itself within {@link #RESTORE_RETRY_MILLIS} of its appearing: during a NIC flap an operator gets the
     * stream that a restart would have given, not a refusal.
     */
    @Override
    public StreamView start(StreamConfig config) throws StreamException {
        synchronized (lifecycle) {
            StreamView view;
            try {
                view = startRunner(config, false).view();
            } catch (StreamException e) {
                listWaiting(restorableStreams, config, e);
                view = streams.get(config.key()).view();
            }
            save();
            return view;
        }
    }

    /**
     * Lists a definition asked for now that cannot start only because an address it binds is missing, as a restored
     * one is, and has it tried again; rethrows {@code e} for anything else, or from an engine that saves nothing.
     * Called with the lifecycle lock held.
     */
    private <C, R> void listWaiting(Restorable<C, R> kind, C config, StreamException e) throws StreamException {
        if (e.reason() != StreamException.Reason.ADDRESS_MISSING || !persistent) {
            throw e;
        }
        listNotStarted(kind, config, e);
        startRestoreRetry();
    }

    /**
     * Starts a runner for {@code config}.
     *
     * @param restored from the saved definitions (at start, or tried again since): its file input is tried again
     *                 until it opens, as a missing one is
     */
    private StreamRunner startRunner(StreamConfig config, boolean restored) throws StreamException {
        synchronized (lifecycle) {
            if (closed) {
                throw new StreamException(StreamException.Reason.START_FAILED, "the stream engine is shut down");
            }
            int key = config.key();
            checkKeyFree(key);
            checkRoomForOneMore();
            checkListenerPort(config.mode(), config.port());
            checkJoinPossible(config.input());
            checkUnicastInputFree(config.input());
            StreamRunner.InputFactory input = inputFactory(config.input(), config.smoothingLatencyMs());
            String bind = config.mode() == Mode.LISTENER ? settings.listenerAddress() : null;
            if (config.mode() == Mode.LISTENER && !releasedLately(config.port())) {
                checkFree(() -> Outputs.checkListenerPortFree(config.port(), bind));
            }
            StreamRunner runner = new StreamRunner(config, input,
                    (events, bps) -> Outputs.open(config, settings.maxCallersPerListener(), bps, events, bind),
                    tickNanos, Outputs.srtUri(config, bind), RtpWrapper.DEFAULT_SSRC, restored);
            streams.put(key, runner);
            runner.whenEnded(this::saveAfterAnEnd);
            runner.start();
            return runner;
        }
    }

    /**
     * Whether this engine's own listener left {@code port} within {@link #PORT_RELEASE_NANOS}: libsrt keeps a closed
     * socket's UDP port bound until its garbage collector runs (4 to 4.75 s later in storms of stops and starts on
     * this machine; later still on a loaded one), and binds it again for this process while it does, so a stream
     * stopped and started again at once must not be taken for another program. The cost of the margin: another
     * program that takes the port within it is found when the stream binds (Bind Error), not when it is asked for.
     */
    private boolean releasedLately(int port) {
        Long at = released.get(port);
        return at != null && System.nanoTime() - at < PORT_RELEASE_NANOS;
    }

    /** Notes the listener ports of {@code config} as just released ({@link #releasedLately}). */
    private void noteReleased(StreamConfig config) {
        if (config.mode() == Mode.LISTENER) {
            released.put(config.port(), System.nanoTime());
        }
    }

    /**
     * A listener port or interface check as the API answers it: 400 with the reason, tried again later for a restored
     * stream; an address missing now is {@link StreamException.Reason#ADDRESS_MISSING}, for the stream to wait for.
     */
    private static void checkFree(PortCheck check) throws StreamException {
        try {
            check.run();
        } catch (AddressMissingException e) {
            throw new StreamException(StreamException.Reason.ADDRESS_MISSING, e.getMessage());
        } catch (java.io.IOException e) {
            throw new StreamException(StreamException.Reason.START_FAILED, e.getMessage());
        }
    }

    @FunctionalInterface
    private interface PortCheck {
        void run() throws java.io.IOException;
    }

    private boolean inPair(int key) {
        return pairs.values().stream().anyMatch(p -> p.config().leg1().key() == key || p.config().leg2().key() == key);
    }

    /** Refuses a key in use, in the API's words: two requests for one key at once reach this check, not the API's. */
    private void checkKeyFree(int key) throws StreamException {
        if (stopping.contains(key)) {
            throw new StreamException(StreamException.Reason.CONFLICT, "Stream " + key
                    + " is still stopping; try again in a moment.");
        }
        if (streams.containsKey(key) || inPair(key)) {
            throw new StreamException(StreamException.Reason.CONFLICT, "Stream " + key
                    + " is already running. Stop it first or choose another port.");
        }
    }

    /**
     * A unicast UDP input's port can serve one stream only (Linux would hand each datagram to one of the sockets), so
     * a second stream on it is refused here, naming the stream that has it.
     */
    private void checkUnicastInputFree(InputSpec input) throws StreamException {
        if (!(input instanceof InputSpec.Multicast m) || isMulticast(m.address())) {
            return;
        }
        for (StreamRunner r : streams.values()) {
            if (sameUnicastPort(r.config().input(), m)) {
                throw unicastPortTaken(m, "stream " + r.config().key(), r.config().input());
            }
        }
        for (PairRunner p : pairs.values()) {
            if (sameUnicastPort(p.config().input(), m)) {
                throw unicastPortTaken(m, "pair " + p.config().key(), p.config().input());
            }
        }
    }

    /**
     * Refuses a source-specific input whose source and group are of different families, as the API does: the kernel
     * refuses that join whatever the state of the machine, so a saved one (from before the API refused it) is listed
     * with the reason and not tried again every few seconds with the JDK's words.
     */
    private static void checkJoinPossible(InputSpec input) throws StreamException {
        if (input instanceof InputSpec.Multicast m && m.sourceFamilyMismatch() != null) {
            throw new StreamException(StreamException.Reason.INVALID, m.sourceFamilyMismatch());
        }
    }

    private static boolean sameUnicastPort(InputSpec other, InputSpec.Multicast m) {
        return other instanceof InputSpec.Multicast o && o.port() == m.port() && !isMulticast(o.address())
                && (o.address().equals(m.address()) || isWildcard(o.address()) || isWildcard(m.address()));
    }

    private static StreamException unicastPortTaken(InputSpec.Multicast m, String owner, InputSpec ownerInput) {
        return new StreamException(StreamException.Reason.CONFLICT, "UDP port " + m.port() + " is already in use by "
                + owner + " (its input " + ownerInput.describe() + "); each unicast input needs a port of its own:"
                + " stop that stream or send to another port.");
    }

    private static boolean isMulticast(String address) {
        InetAddress literal = AddressText.literal(address);
        return literal != null && literal.isMulticastAddress();
    }

    private static boolean isWildcard(String address) {
        InetAddress literal = AddressText.literal(address);
        return literal != null && literal.isAnyLocalAddress();
    }

    /**
     * {@link MaxStreams#checkRoomForOneMore}, under the lifecycle lock: the one check of {@code MAX_STREAMS}, so two
     * requests at once cannot both take the last place.
     */
    private void checkRoomForOneMore() throws StreamException {
        int listed = streams.size() + pairs.size();
        long notRunning = listed < settings.maxStreams() ? 0
                : streams.values().stream().filter(r -> r.view().status().notRunning()).count();
        MaxStreams.checkRoomForOneMore(settings.maxStreams(), listed, notRunning);
    }

    private void checkListenerPort(Mode mode, Integer port) throws StreamException {
        if (mode == Mode.LISTENER && (port < settings.listenerPortMin() || port > settings.listenerPortMax())) {
            throw new StreamException(StreamException.Reason.LIMIT, "Listener port " + port
                    + " is outside the allowed range " + settings.listenerPortMin() + "-"
                    + settings.listenerPortMax() + "; pick a port in that range.");
        }
    }

    /**
     * Starts a pair and saves it; one whose leg interface or listener address is not on the machine now is listed and
     * waits for it, as {@link #start} has a stream wait. An interface that can never be this machine's (a multicast
     * address, a name no interface can have) is refused.
     */
    @Override
    public PairView startPair(PairConfig config) throws StreamException {
        synchronized (lifecycle) {
            PairView view;
            try {
                view = startPairRunner(config).view();
            } catch (StreamException e) {
                listWaiting(restorablePairs, config, e);
                view = pairs.get(config.key()).view();
            }
            save();
            return view;
        }
    }

    private PairRunner startPairRunner(PairConfig config) throws StreamException {
        synchronized (lifecycle) {
            if (closed) {
                throw new StreamException(StreamException.Reason.START_FAILED, "the stream engine is shut down");
            }
            if (config.input() instanceof InputSpec.File) {
                // INVALID, not START_FAILED: a saved pair like this (only a hand-edited file holds one) would
                // otherwise be retried every few seconds with a promise that it starts once fixed
                throw new StreamException(StreamException.Reason.INVALID,
                        "Dual path takes a multicast or colour-bars input, not a file.");
            }
            for (PairConfig.Leg leg : List.of(config.leg1(), config.leg2())) {
                checkKeyFree(leg.key());
                checkListenerPort(leg.mode(), leg.port());
                if (Outputs.neverLocal(leg.interfaceName()) != null) {
                    throw new StreamException(StreamException.Reason.INVALID, "Leg " + leg.key() + ": "
                            + Outputs.neverLocal(leg.interfaceName()));
                }
            }
            checkRoomForOneMore();
            checkJoinPossible(config.input());
            checkUnicastInputFree(config.input());
            // as a listener leg's address: waited for, whether the pair is new or restored
            checkFree(() -> DualOutput.checkCallerInterfaces(config));
            if (Stream.of(config.leg1(), config.leg2())
                    .noneMatch(leg -> leg.mode() == Mode.LISTENER && releasedLately(leg.port()))) {
                checkFree(() -> DualOutput.checkListenerPortsFree(config, settings.listenerAddress()));
            }
            PairConfig.Leg first = config.leg1().key() <= config.leg2().key() ? config.leg1() : config.leg2();
            StreamConfig runnerConfig = config.legConfig(first);
            AtomicReference<DualOutput> output = new AtomicReference<>();
            StreamRunner runner = new StreamRunner(runnerConfig, inputFactory(config.input(),
                    config.smoothingLatencyMs()), (events, bps) -> {
                DualOutput dual = DualOutput.open(config, settings.maxCallersPerListener(), bps, events,
                        settings.listenerAddress());
                output.set(dual);
                return dual;
            }, tickNanos, SrtSettings.srtUri(runnerConfig), config.ssrcValue(), false);
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
            stopping.add(pair.config().leg1().key());
            stopping.add(pair.config().leg2().key());
        }
        saveThenStop(pair.runner(), pair.config().legConfig(pair.config().leg1()),
                pair.config().legConfig(pair.config().leg2()));
    }

    @Override
    public List<PairView> pairs() {
        List<PairView> views = new ArrayList<>(pairs.size());
        for (PairRunner p : pairs.values()) {
            views.add(p.view());
        }
        return views;
    }

    /**
     * @param smoothingLatencyMs the stream's {@code smoothing_latency_ms}: applied to a file, as the original applied
     *                           {@code tsparse smoothing-latency} in its file pipeline only; multicast is forwarded as
     *                           it arrives and colour bars were a live source in the original
     */
    private StreamRunner.InputFactory inputFactory(InputSpec spec, int smoothingLatencyMs) throws StreamException {
        return switch (spec) {
            case InputSpec.File f -> {
                Path file = resolveMediaFile(f.relativePath());
                yield () -> FileInput.open(file, f.loop(), smoothingLatencyMs);
            }
            case InputSpec.Multicast m -> () -> UdpInput.open(m);
            case InputSpec.ColorBars b -> () -> FileInput.open(bars.clip(b.format()), true);
        };
    }

    /**
     * The real path of a media file, checked to be a transport stream file ({@code .ts}, or {@code .m2ts} /
     * {@code .mts} from {@code send}: the API takes {@code .ts} only, as the original did) inside {@code MEDIA_FOLDER}
     * even after following symbolic links.
     */
    Path resolveMediaFile(String relative) throws StreamException {
        String lower = relative.toLowerCase(Locale.ROOT);
        if (!lower.endsWith(".ts") && !lower.endsWith(".m2ts") && !lower.endsWith(".mts")) {
            throw new StreamException(StreamException.Reason.START_FAILED,
                    "Only .ts files are supported (and .m2ts or .mts from the command line): " + relative);
        }
        try {
            Path root = settings.mediaFolder().toRealPath();
            Path candidate = root.resolve(relative).normalize();
            if (!candidate.startsWith(root) || !Files.isRegularFile(candidate)) {
                throw new StreamException(StreamException.Reason.START_FAILED, "File " + relative
                        + " not found in the media folder " + root + "; put it there or mount the folder");
            }
            Path real = candidate.toRealPath();
            if (!real.startsWith(root)) {
                throw new StreamException(StreamException.Reason.START_FAILED, "File " + relative
                        + " points outside the media folder " + root + "; copy the file into the media folder");
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
            stopping.add(key);
        }
        saveThenStop(runner, runner.config());
    }

    /**
     * Saves the listing without a runner just removed from it, then stops the runner, keeping the keys of
     * {@code released} (the stream, or a pair's legs) reserved ({@link #stopping}) until it has released them.
     * Whatever the save does, the runner is stopped: it is no longer listed, so nobody could stop it later.
     */
    private void saveThenStop(StreamRunner runner, StreamConfig... released) {
        try {
            synchronized (lifecycle) {
                save();
            }
        } finally {
            try {
                runner.stop(STOP_TIMEOUT_MILLIS);
            } finally {
                for (StreamConfig config : released) {
                    // Noted before the key is free again: a start on it at once must find libsrt's lingering hold on
                    // the port to be this engine's, not another program's.
                    noteReleased(config);
                    stopping.remove(config.key());
                }
            }
        }
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
    public List<StatsSample> history(int key) {
        StreamRunner r = streams.get(key);
        return r == null ? List.of() : r.history();
    }

    @Override
    public List<StatsSample> legHistory(int key, int leg) {
        PairRunner p = pairs.get(key);
        DualOutput out = p == null ? null : p.output().get();
        return out == null ? List.of() : out.history(leg);
    }

    /**
     * Stops every stream in parallel, each with a bounded wait, keeping their saved definitions. They stay listed: a
     * stop that races this close saves the listing without its own stream only.
     */
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
            // Not cleared: a stop that removed its stream just before this close saves the listing after it, and an
            // emptied listing would have written streams.json without every other stream.
            if (restoreRetry != null) {
                restoreRetry.interrupt();
            }
        }
        for (StreamRunner r : running) {
            r.requestStop();
        }
        for (StreamRunner r : running) {
            r.stop(STOP_TIMEOUT_MILLIS);
        }
    }

    @Override
    public Persistence persistence() {
        return persistence;
    }

    /** Saves the listing without a stream whose file, played once, has just ended. */
    private void saveAfterAnEnd() {
        synchronized (lifecycle) {
            if (!closed) {
                save();
            }
        }
    }

    /**
     * Writes every listed stream's definition (and the held ones). A failure does not stop anything: the streams keep
     * running, the failure is logged and kept in {@link #persistence()} for the API to report, until a save succeeds.
     */
    private void save() {
        if (!persistent) {
            return;
        }
        List<StreamConfig> configs = new ArrayList<>();
        for (StreamRunner r : streams.values()) {
            // A file played once that has ended stays listed, but is not played again after a restart.
            if (r.view().status() != StreamStatus.ENDED) {
                configs.add(r.config());
            }
        }
        configs.addAll(heldStreams);
        List<PairConfig> pairConfigs = new ArrayList<>();
        for (PairRunner p : pairs.values()) {
            pairConfigs.add(p.config());
        }
        pairConfigs.addAll(heldPairs);
        Persistence before = persistence;
        try {
            store.save(configs, pairConfigs);
            Set<String> onDisk = onDisk(configs, pairConfigs);
            if (before.failing()) {
                persistence = new Persistence(before.file(), null, before.failedAtMillis(), System.currentTimeMillis(),
                        onDisk);
                LOG.info("The running streams are saved to {} again", store.file());
            } else {
                persistence = new Persistence(before.file(), null, before.failedAtMillis(), before.clearedAtMillis(),
                        onDisk);
            }
        } catch (IOException | RuntimeException e) {
            String reason = reasonOf(e);
            persistence = new Persistence(store.file().toString(), reason,
                    before.failing() ? before.failedAtMillis() : System.currentTimeMillis(), 0, before.onDisk());
            LOG.error("Cannot save the running streams to {}: {}; they will not come back after a restart."
                    + " Check that DATA_DIR is writable.", store.file(), reason);
        }
    }

    /** What a file of these definitions holds, as {@link Persistence#onDisk()} names it. */
    private static Set<String> onDisk(List<StreamConfig> streams, List<PairConfig> pairs) {
        Set<String> names = new HashSet<>();
        streams.forEach(s -> names.add(Persistence.stream(s.key())));
        pairs.forEach(p -> names.add(Persistence.pair(p.key())));
        return names;
    }

    /** The operating system's reason for a failed save, e.g. "No space left on device", naming the path it hit. */
    private static String reasonOf(Exception e) {
        if (e instanceof FileSystemException fse) {
            String why = fse.getReason() != null ? fse.getReason() : e.getClass().getSimpleName();
            return fse.getFile() != null ? why + " (" + fse.getFile() + ")" : why;
        }
        return FailureText.describe(e);
    }
}
