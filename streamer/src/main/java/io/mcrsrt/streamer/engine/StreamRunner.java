package io.mcrsrt.streamer.engine;

import io.mcrsrt.streamer.engine.input.Input;
import io.mcrsrt.streamer.engine.input.InterfaceMissingException;
import io.mcrsrt.streamer.engine.output.EventSink;
import io.mcrsrt.streamer.engine.output.Output;
import io.mcrsrt.streamer.engine.output.PortHeldException;
import io.mcrsrt.streamer.engine.output.RtpWrapper;
import io.mcrsrt.streamer.engine.output.SrtSettings;
import io.mcrsrt.streamer.engine.stats.Ring;
import io.mcrsrt.streamer.engine.stats.StatsHistory;
import io.mcrsrt.streamer.stream.ConnectionEvent;
import io.mcrsrt.streamer.stream.FailureText;
import io.mcrsrt.streamer.stream.InputCounters;
import io.mcrsrt.streamer.stream.InputSpec;
import io.mcrsrt.streamer.stream.Scte35Cues;
import io.mcrsrt.streamer.stream.StatsSample;
import io.mcrsrt.streamer.stream.StreamConfig;
import io.mcrsrt.streamer.stream.StreamStatus;
import io.mcrsrt.streamer.stream.StreamView;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running stream: its owner thread ({@code stream-<key>}) opens the input and the output, moves every message
 * from one to the other, and holds all of the stream's mutable state. Front ends see it only through the immutable
 * {@link StreamView} it publishes a few times a second.
 */
final class StreamRunner {
    private static final Logger LOG = LoggerFactory.getLogger(StreamRunner.class);
    static final int MAX_EVENTS = 200;
    private static final long INPUT_LOST_NANOS = 1_000_000_000L;
    /** Shortest time between two warnings of datagrams that are not TS among a flowing input's. */
    private static final long IGNORED_TOLD_NANOS = 60_000_000_000L;
    /** RTP source changes that tell two sources sending at once rather than one restarting or a backup taking over. */
    private static final int INTERLEAVED_SOURCE_CHANGES = 4;
    /** The time over which {@link #INTERLEAVED_SOURCE_CHANGES} are counted. */
    private static final long SOURCE_WINDOW_NANOS = 10_000_000_000L;
    /** How often a UDP input that cannot be opened (its interface not up yet, its port taken) is tried again. */
    static final long INPUT_RETRY_MILLIS = 5_000;
    private static final long PUBLISH_NANOS = 200_000_000L;
    /**
     * How long a listener port closed moments ago by this process is waited for ({@link PortHeldException}): libsrt's
     * collector frees it within about 5 s, later on a loaded machine.
     */
    static final long PORT_WAIT_NANOS = 20_000_000_000L;
    private static final long PORT_WAIT_STEP_MILLIS = 200;
    /** At most one {@code input-faults} event in this time. */
    static final long FAULTS_EVENT_NANOS = 10_000_000_000L;

    /** Opens the stream's input on the owner thread (rendering colour bars first if need be). */
    @FunctionalInterface
    interface InputFactory {
        Input open() throws Exception;
    }

    /** Opens the stream's output on the owner thread. */
    @FunctionalInterface
    interface OutputFactory {
        Output open(EventSink events, long bitsPerSecond) throws Exception;
    }

    private final StreamConfig config;
    private final InputFactory inputFactory;
    private final OutputFactory outputFactory;
    private final long tickNanos;
    private final String srtUri;
    private final long startedAt = System.currentTimeMillis();
    private final long startedNanos = System.nanoTime();
    private final StatsHistory history = new StatsHistory();
    private final Ring<ConnectionEvent> events = new Ring<>(MAX_EVENTS);
    /**
     * The {@code scte35} events, kept apart as many as the cues the stream shows: a looped file or a channel with a cue
     * every few seconds would otherwise push the connection events out of {@link #events} within minutes.
     */
    private final Ring<ConnectionEvent> cueEvents = new Ring<>(Scte35Cues.RECENT);
    private final Thread thread;
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile boolean stopRequested;
    private volatile StreamView view;
    /** Connections lost since the stream started ({@link StreamView#linkBreaks}); outputs report from their threads. */
    private final AtomicLong linkBreaks = new AtomicLong();
    /** Why this stand-in could not start ({@link #notStarted}); null for a stream that runs. */
    private String notStartedReason;
    /** What the output tells: events, and departures folded into a summary event, counted all the same. */
    private final EventSink outputEvents = new EventSink() {
        @Override
        public void event(String kind, String detail) {
            StreamRunner.this.event(kind, detail);
        }

        @Override
        public void departureFolded() {
            linkBreaks.incrementAndGet();
        }
    };
    /** Told on the stream's thread when a file played once has ended. */
    private volatile Runnable onEnded = () -> { };

    // Owned by the stream thread.
    private Output output;
    private StreamStatus inputStatus = StreamStatus.STARTING;
    private String inputDetail;
    private long bytesThisSecond;
    private long secondStartNanos;
    private double inputMbps;
    private InputCounters inputCounters;
    /** The input's faults as the last {@code input-faults} event told them (none before the first). */
    private InputCounters faultsTold = new InputCounters(0, false, 0);
    private long faultsToldNanos;
    /** The input plays: it does not wait for a first peer, or one has connected ({@link Input#startsWithFirstPeer}). */
    private boolean inputStarted;
    /** What the SRT rate cap is set from, decided once a second and on a live input's rise. */
    private final InputRateCap rateCap = new InputRateCap();
    /** A live input (no peak known ahead): its climbs are caught within a window ({@link #catchRise}). */
    private boolean catchRises;
    private long bytesThisWindow;
    private long windowStartNanos;
    private long lastPublishNanos;
    private RtpWrapper rtp;
    private boolean inputLost;
    /** The input's {@link Input#ignoredDatagrams()} when last looked at, and when it last grew. */
    private long ignoredSeen;
    private long ignoredGrewNanos;
    /** Whether the input's {@link Input#strayBytes()} have been told (once a run: see {@link #watchInput}). */
    private boolean strayTold;
    /** The input's {@link Input#ignoredDatagrams()} when a warning last told them, and when. */
    private long ignoredTold;
    private long ignoredToldNanos;
    /** The input's {@link Input#rtpSourceChanges()} when the window they are counted over began, and when. */
    private long sourceChangesBase;
    private long sourceWindowNanos;
    /** When a warning last told RTP source changes; 0 before the first. */
    private long sourceChangesToldNanos;
    /** The SCTE-35 cues among the packets sent ({@link #forward}). */
    private final Scte35Watch scte35 = new Scte35Watch(this::event);

    private final int ssrc;
    /** Whether an input that cannot be opened is tried again until it opens ({@link #openInput}). */
    private final boolean retriesInput;

    StreamRunner(StreamConfig config, InputFactory inputFactory, OutputFactory outputFactory, long tickNanos,
            String srtUri) {
        this(config, inputFactory, outputFactory, tickNanos, srtUri, RtpWrapper.DEFAULT_SSRC, false);
    }

    /**
     * A stream whose RTP packets (if any) carry {@code ssrc}.
     *
     * @param restored started from the saved definitions when the service started: its file, if it plays one, is
     *                 tried again until it opens, as nobody is there to see it fail and start it again
     */
    StreamRunner(StreamConfig config, InputFactory inputFactory, OutputFactory outputFactory, long tickNanos,
            String srtUri, int ssrc, boolean restored) {
        this.ssrc = ssrc;
        // Not colour bars: a clip ffmpeg cannot render would be rendered again, seconds of CPU, every few seconds.
        this.retriesInput = config.input() instanceof InputSpec.Multicast
                || (restored && config.input() instanceof InputSpec.File);
        this.config = config;
        this.inputFactory = inputFactory;
        this.outputFactory = outputFactory;
        this.tickNanos = tickNanos > 0 ? tickNanos : SrtSettings.sendBatchNanos(config.latencyMs());
        this.srtUri = srtUri;
        this.view = snapshot(StreamStatus.STARTING, null);
        this.thread = Thread.ofPlatform().name("stream-" + config.key()).daemon(true).unstarted(this::run);
    }

    /**
     * A saved stream that cannot start now: listed with status Start Error and {@code detail}, never runs, and is
     * already finished, so stopping it returns at once.
     *
     * @param reason why it cannot start, as {@link #notStartedReason()} tells it
     */
    static StreamRunner notStarted(StreamConfig config, String srtUri, String reason, String detail) {
        StreamRunner r = new StreamRunner(config, () -> {
            throw new IllegalStateException("a stream that was not started has no input");
        }, (events, bps) -> {
            throw new IllegalStateException("a stream that was not started has no output");
        }, 0, srtUri);
        r.events.add(new ConnectionEvent(System.currentTimeMillis(), "error", detail));
        r.view = r.snapshot(StreamStatus.START_ERROR, detail);
        r.notStartedReason = reason;
        r.finished.countDown();
        return r;
    }

    /** Why a stand-in made by {@link #notStarted} could not start; null for a stream that runs. */
    String notStartedReason() {
        return notStartedReason;
    }

    void start() {
        thread.start();
    }

    /** Runs {@code r} on the stream's thread once its input has ended (a file with loop off), status Ended. */
    void whenEnded(Runnable r) {
        onEnded = r;
    }

    StreamView view() {
        return view;
    }

    List<StatsSample> history() {
        return history.snapshot();
    }

    StreamConfig config() {
        return config;
    }

    /** Asks the owner thread to stop, without waiting. */
    void requestStop() {
        stopRequested = true;
        thread.interrupt();
    }

    /** Asks the owner thread to stop and waits up to {@code timeoutMillis} for it. */
    boolean stop(long timeoutMillis) {
        requestStop();
        try {
            if (!finished.await(timeoutMillis, TimeUnit.MILLISECONDS)) {
                LOG.warn("stream {}: did not stop within {} ms", config.key(), timeoutMillis);
                return false;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        return true;
    }

    private void run() {
        String prefix = "stream " + config.key() + ": ";
        try {
            Throwable ended;
            try {
                ended = runInner();
            } catch (Throwable t) {
                // An Error (libsrt missing, out of memory, a stack overflow) must not end the thread unseen, leaving
                // the stream "Starting" for ever with nothing in the log.
                ended = t;
            }
            if (ended != null && stopRequested) {
                LOG.debug("stream {}: closed while stopping: {}", config.key(), ended.toString());
                view = snapshot(StreamStatus.STOPPED, null);
            } else if (ended != null) {
                String detail = FailureText.describe(ended);
                LOG.error("{}stopped by error: {}", prefix, ended.toString(), ended);
                event("error", detail);
                view = snapshot(StreamStatus.ERROR, detail);
            } else {
                view = snapshot(stopRequested ? StreamStatus.STOPPED : view.status(), view.statusDetail());
            }
        } finally {
            try {
                if (output != null) {
                    output.close();
                }
            } catch (RuntimeException | Error e) {
                LOG.error("{}closing the output failed: {}", prefix, e.toString(), e);
            } finally {
                finished.countDown();
            }
        }
    }

    /** Runs the stream until asked to stop; returns the error that ended it, or null. */
    private Throwable runInner() {
        Input input = openInput();
        if (input == null) {
            return null;
        }
        try (input) {
            if (stopRequested) {
                return null;
            }
            output = openOutput(input.peakBitsPerSecond());
            if (output == null) {
                return null;
            }
            if (config.rtpEncapsulation()) {
                rtp = new RtpWrapper(ssrc);
            }
            inputStatus = null;
            secondStartNanos = System.nanoTime();
            windowStartNanos = secondStartNanos;
            catchRises = input.peakBitsPerSecond() == 0;
            Input.Sink sink = this::forward;
            while (!stopRequested) {
                long now = step(input, sink);
                if (input.ended()) {
                    inputStatus = StreamStatus.ENDED;
                    publish(input, now);
                    event("ended", "the input file ended (loop is off)");
                    onEnded.run();
                    while (!stopRequested) {
                        parkTick();
                        output.tick(System.nanoTime());
                        publish(input, System.nanoTime());
                    }
                }
            }
            return null;
        } catch (Exception e) {
            return e;
        }
    }

    /**
     * Opens the input; null when it cannot be opened, or the stream is stopped meanwhile. A UDP input that cannot be
     * opened (the interface it joins on does not exist yet, another program holds the port) is tried again every
     * {@link #INPUT_RETRY_MILLIS} ms, the stream showing Start Error with the reason meanwhile: the network of a
     * machine that has just booted, or a program on its way out, fixes itself. So is the file of a stream restored at
     * start (emptied, or not yet copied whole, while the service was down): put right, it plays by itself, as a
     * missing one does. Otherwise a file or colour bars that cannot be opened end the stream at once.
     */
    private Input openInput() {
        boolean retries = retriesInput;
        boolean reported = false;
        while (!stopRequested) {
            try {
                Input input = inputFactory.open();
                if (reported) {
                    event("input-opened", "input: " + config.input().describe() + " opened");
                    LOG.info("stream {}: input {} opened", config.key(), config.input().describe());
                }
                String warning = input.warning();
                if (warning != null) {
                    // it plays, but not as its receivers expect: said once, where the operator looks
                    record("warning", "input: " + warning);
                    LOG.warn("stream {}: input: {}", config.key(), warning);
                }
                return input;
            } catch (InterruptedException e) {
                return null;
            } catch (Exception e) {
                if (stopRequested) {
                    // the stop's interrupt closed the file under the open (ClosedByInterruptException, no message):
                    // not the input's fault, so neither an error logged nor a Start Error shown
                    return null;
                }
                String reason = e.getMessage();
                String retry = !retries ? "" : (e instanceof InterfaceMissingException
                        ? "; waiting for it: looked for every " : "; trying again every ")
                        + INPUT_RETRY_MILLIS / 1000 + " s";
                if (!reported) {
                    // one log line, the ERROR below: the event is for the API and the UI, not logged again at INFO
                    record("error", "input: " + reason);
                    LOG.error("stream {}: input cannot start: {}{}", config.key(), reason, retry);
                    reported = true;
                }
                if (!retries) {
                    view = snapshot(StreamStatus.START_ERROR, reason);
                    return null;
                }
                view = snapshot(StreamStatus.START_ERROR, reason + retry);
                try {
                    Thread.sleep(INPUT_RETRY_MILLIS);
                } catch (InterruptedException stop) {
                    return null; // requestStop interrupts
                }
            }
        }
        return null;
    }

    /**
     * Opens the output, waiting up to {@link #PORT_WAIT_NANOS} for a listener port that a socket of this process
     * closed moments ago still holds ({@link PortHeldException}); null when it cannot start (its status then says why)
     * or the stream is being stopped.
     */
    private Output openOutput(long bitsPerSecond) {
        long deadline = System.nanoTime() + PORT_WAIT_NANOS;
        boolean waiting = false;
        while (!stopRequested) {
            try {
                return outputFactory.open(outputEvents, bitsPerSecond);
            } catch (PortHeldException e) {
                if (System.nanoTime() - deadline >= 0) {
                    failOutput(StreamStatus.BIND_ERROR, "cannot bind " + e.getMessage() + ", and it was not released "
                            + "within " + PORT_WAIT_NANOS / 1_000_000_000L
                            + " s: stop the stream and start it again in a few seconds");
                    return null;
                }
                if (!waiting) {
                    waiting = true;
                    view = snapshot(StreamStatus.STARTING, e.getMessage() + "; waiting for it");
                    LOG.info("stream {}: {}; waiting for it", config.key(), e.getMessage());
                }
                try {
                    Thread.sleep(PORT_WAIT_STEP_MILLIS);
                } catch (InterruptedException stop) {
                    return null; // requestStop interrupts
                }
            } catch (Exception e) {
                failOutput(e.getMessage() != null && e.getMessage().contains("bind")
                        ? StreamStatus.BIND_ERROR : StreamStatus.START_ERROR, e.getMessage());
                return null;
            }
        }
        return null;
    }

    private void failOutput(StreamStatus status, String reason) {
        view = snapshot(status, reason);
        event("error", "output: " + reason);
        LOG.error("stream {}: output cannot start: {}", config.key(), reason);
    }

    /**
     * One tick: what is due from the input to the output, then the watchdogs. A method of its own so that the JIT
     * compiles it: the loop that calls it runs a hundred times a second, too slowly to be compiled in place.
     *
     * @return the time after the input handed over what was due
     */
    private long step(Input input, Input.Sink sink) throws IOException {
        if (!inputStarted) {
            inputStarted = !input.startsWithFirstPeer() || output.hasPeers();
        }
        int bytes;
        if (inputStarted) {
            bytes = input.pump(tickNanos, sink);
        } else {
            LockSupport.parkNanos(tickNanos); // a file waits for its first peer, to play to it from its start
            bytes = 0;
        }
        long now = System.nanoTime();
        bytesThisSecond += bytes;
        if (catchRises) {
            bytesThisWindow += bytes;
            if (now - windowStartNanos >= InputRateCap.RISE_WINDOW_NANOS) {
                catchRise(now);
            }
        }
        watchInput(input, now);
        String changed = input.changed();
        if (changed != null) {
            event("input-changed", "input: " + changed);
        }
        output.tick(now);
        if (now - lastPublishNanos >= PUBLISH_NANOS) {
            publish(input, now);
        }
        return now;
    }

    /** Raises the SRT rate cap at once when a live input climbs above it, not at the end of the second. */
    private void catchRise(long now) {
        long cap = rateCap.rise((long) (bytesThisWindow * 8e9 / (now - windowStartNanos)));
        if (cap > 0) {
            output.inputRate(cap);
        }
        bytesThisWindow = 0;
        windowStartNanos = now;
    }

    private void parkTick() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            if (!stopRequested) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void forward(ByteBuffer message, long dueNanos) {
        scte35.accept(message);
        if (rtp != null) {
            output.send(rtp.wrap(message, dueNanos == 0 ? System.nanoTime() : dueNanos), dueNanos);
        } else {
            output.send(message, dueNanos);
        }
    }

    private void watchInput(Input input, long now) {
        if (!input.canBeLost()) {
            return;
        }
        long ignored = input.ignoredDatagrams();
        if (ignored != ignoredSeen) {
            ignoredSeen = ignored;
            ignoredGrewNanos = now;
        }
        long stray = input.strayBytes();
        if (stray > 0 && !strayTold) {
            // Once: a gateway that appends a trailer does so to every datagram, and the TS loses nothing by it.
            strayTold = true;
            String warning = "datagrams from " + config.input().describe() + " carry bytes that are in no whole 188-"
                    + " or 204-byte TS packet (" + stray + " so far: a trailer after the packets, or the tail of a"
                    + " packet before the first); their whole packets are sent on and those bytes left out. Expected:"
                    + " whole packets only, raw or after an RTP header; check what the sender or gateway adds";
            record("warning", "input: " + warning);
            LOG.warn("stream {}: input: {}", config.key(), warning);
        }
        String recovered = input.recovered();
        if (recovered != null) {
            event("input-rejoined", "input: " + recovered);
        }

        boolean silent = now - input.lastDataNanos() > INPUT_LOST_NANOS;
        if (!silent && ignored > ignoredTold && (ignoredTold == 0 || now - ignoredToldNanos >= IGNORED_TOLD_NANOS)) {
            // Something besides the source sends to the port (another sender set to this address, a scan): its
            // datagrams are left out and the stream's own TS goes on, but the operator should know. Once a minute at
            // most, a sender that never stops would otherwise fill the stream's events.
            event("warning", "input: " + (ignored - ignoredTold) + " datagrams that are not MPEG-TS arrived at "
                    + config.input().describe() + " among the stream's own and were left out (the last: "
                    + input.lastIgnored() + "); the stream's TS goes on. Expected: only the source sends to this"
                    + " port; find what else does, or give the stream a port or group of its own (or a source"
                    + " address, for multicast)");
            ignoredTold = ignored;
            ignoredToldNanos = now;
        }
        long changes = input.rtpSourceChanges();
        if (now - sourceWindowNanos >= SOURCE_WINDOW_NANOS) {
            sourceWindowNanos = now;
            sourceChangesBase = changes;
        }
        if (!silent && changes - sourceChangesBase >= INTERLEAVED_SOURCE_CHANGES
                && (sourceChangesToldNanos == 0 || now - sourceChangesToldNanos >= IGNORED_TOLD_NANOS)) {
            // One change is a source restarted or a backup taking over; back and forth within seconds, two send at
            // once (two encoders set to one group on a shared network).
            event("warning", "input: the RTP source at " + config.input().describe() + " changed "
                    + (changes - sourceChangesBase) + " times within " + SOURCE_WINDOW_NANOS / 1_000_000_000L
                    + " s (the last: " + input.lastRtpSourceChange() + "): two senders send to this port or group at"
                    + " once, and the TS of both goes on mixed. Expected: one source; stop the other, or give the"
                    + " stream a port or group of its own (or a source address, for multicast)");
            sourceChangesToldNanos = now;
            sourceWindowNanos = now;
            sourceChangesBase = changes;
        }
        if (silent) {
            // Datagrams that keep coming but are not TS are a sender or a port set up wrong, not a silent source.
            String reason = input.silenceReason();
            String detail = ignored > 0 && now - ignoredGrewNanos <= INPUT_LOST_NANOS
                    ? "no TS from " + config.input().describe() + " for over a second: the datagrams arriving are not"
                            + " MPEG-TS (" + ignored + " so far; expected: whole 188- or 204-byte packets starting with"
                            + " 0x47, raw or after an RTP header)"
                    : "no data from " + config.input().describe() + " for over a second"
                            + (reason == null ? "" : ": " + reason);
            if (!inputLost) {
                inputLost = true;
                inputStatus = StreamStatus.INPUT_LOST;
                event("input-lost", detail);
            }
            inputDetail = detail;
        } else if (!silent && inputLost) {
            inputLost = false;
            inputStatus = null;
            inputDetail = null;
            event("input-resumed", "data from " + config.input().describe() + " again");
        }
    }

    private void publish(Input input, long now) {
        lastPublishNanos = now;
        long elapsed = now - secondStartNanos;
        inputCounters = input.counters();
        if (elapsed >= 1_000_000_000L) {
            inputMbps = bytesThisSecond * 8.0 / (elapsed / 1e9) / 1e6;
            long cap = rateCap.next((long) (inputMbps * 1e6), input.peakBitsPerSecond());
            if (cap > 0) {
                output.inputRate(cap);
            }
            bytesThisSecond = 0;
            secondStartNanos = now;
            tellFaults(now);
        }
        history.offer(output.primaryStats(), System.currentTimeMillis(), System.nanoTime());
        StreamStatus status = inputStatus != null ? inputStatus : output.status();
        String detail = inputStatus != null ? inputDetail : output.statusDetail();
        view = snapshot(status, detail);
    }

    /**
     * An {@code input-faults} event when a network input's faults before the service have grown, at most one every
     * {@link #FAULTS_EVENT_NANOS}: the events say when the feed went wrong, the counters how much, and a feed that
     * stays faulty does not push every other event out of the bounded list.
     */
    private void tellFaults(long now) {
        InputCounters c = inputCounters;
        if (c == null || c.continuityErrors() == faultsTold.continuityErrors()
                && c.rtpDatagramsLost() <= faultsTold.rtpDatagramsLost()
                || faultsToldNanos != 0 && now - faultsToldNanos < FAULTS_EVENT_NANOS) {
            return;
        }
        long cc = c.continuityErrors() - faultsTold.continuityErrors();
        long rtp = Math.max(0, c.rtpDatagramsLost() - faultsTold.rtpDatagramsLost());
        event("input-faults", "input: " + cc + " continuity error" + (cc == 1 ? "" : "s")
                + (c.rtp() ? ", " + rtp + " RTP datagram" + (rtp == 1 ? "" : "s") + " lost" : "")
                + " before this service on " + config.input().describe()
                + (faultsToldNanos == 0 ? "" : " since the last report") + " (" + c.continuityErrors() + " in all)");
        faultsTold = c;
        faultsToldNanos = now;
    }

    private StreamView snapshot(StreamStatus status, String detail) {
        Output o = output;
        return new StreamView(config, status, detail, startedAt, startedNanos,
                o == null ? List.of() : o.peers(), o == null ? null : o.primaryStats(),
                eventsOldestFirst(), inputMbps, srtUri, linkBreaks.get(), inputCounters, scte35.cues());
    }

    /** The connection events and the cue events together, oldest first. */
    private List<ConnectionEvent> eventsOldestFirst() {
        List<ConnectionEvent> cues = cueEvents.snapshot();
        if (cues.isEmpty()) {
            return events.snapshot();
        }
        List<ConnectionEvent> all = new ArrayList<>(events.snapshot());
        all.addAll(cues);
        all.sort(Comparator.comparingLong(ConnectionEvent::timestampMillis)); // stable: same-millisecond order kept
        return all;
    }

    private void event(String kind, String detail) {
        ConnectionEvent e = record(kind, detail);
        if (kind.equals("warning")) {
            LOG.warn("stream {}: {}", config.key(), e.detail());
        } else if (e.detail().contains(kind)) {
            // "127.0.0.1:5000 connected (stream id ...)": the kind would only say it twice
            LOG.info("stream {}: {}", config.key(), e.detail());
        } else {
            LOG.info("stream {}: {}: {}", config.key(), kind, e.detail());
        }
    }

    /**
     * Keeps an event for the API and the UI without logging it: for one the caller logs in its own words (this
     * runner's, or the engine's, as when it starts a saved stream that could not start before); any thread.
     */
    ConnectionEvent record(String kind, String detail) {
        if (kind.equals("broken") || kind.equals("disconnected")) {
            linkBreaks.incrementAndGet();
        }
        ConnectionEvent e = new ConnectionEvent(System.currentTimeMillis(), kind, detail);
        (kind.equals(Scte35Watch.EVENT) ? cueEvents : events).add(e);
        return e;
    }
}
