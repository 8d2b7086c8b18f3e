package io.mcrsrt.streamer.engine.input;

import io.mcrsrt.ts.TsException;
import io.mcrsrt.ts.pacing.PacerSettings;
import io.mcrsrt.ts.pacing.TsLooper;
import io.mcrsrt.ts.pacing.TsPacer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.locks.LockSupport;

/**
 * An MPEG-TS file played in real time, paced by its PCRs ({@link TsPacer}) and, by default, looped seamlessly
 * ({@link TsLooper}: PCR/PTS/DTS shifted, continuity counters carried on).
 *
 * <p>It wakes once per tick, not once per message, and hands on every message due before the next wake-up, each with
 * its exact due time: the output stamps that time as the SRT source time (libsrt takes source times in the near
 * future), so the receiver delivers each message at its due time plus the latency. Handing a batch on one tick ahead
 * rather than once it has fallen due keeps the whole latency for repairs: a message sent a tick late would have a tick
 * less for its retransmissions. Not thread-safe: the stream's owner thread drives it.
 */
public final class FileInput implements Input {
    /** If the sender falls further behind than this (a stall), it resynchronises rather than bursting. */
    private static final long MAX_LATE_NANOS = 1_000_000_000L;

    private final TsLooper looper;
    private final TsPacer pacer;
    private final PacerSettings pacerSettings;
    private final ByteBuffer message = ByteBuffer.allocateDirect(TsPacer.MESSAGE_SIZE);
    /** nanoTime of the stream's time 0; 0 until the first pump. */
    private long baseNanos;
    private boolean ended;
    private long lastDataNanos = System.nanoTime();

    /** The file's name, for errors that surface only once playing (no PCR to pace by, a read failure). */
    private final String name;

    private FileInput(TsLooper looper, PacerSettings pacerSettings, String name) {
        this.looper = looper;
        this.pacer = new TsPacer(looper, pacerSettings);
        this.pacerSettings = pacerSettings;
        this.name = name;
    }

    /**
     * Opens the file and measures its duration.
     *
     * @param loop play endlessly; when false, {@link #ended()} turns true after one pass
     * @throws IOException if it cannot be read or has no PCR, naming the file
     */
    public static FileInput open(Path path, boolean loop) throws IOException {
        return open(path, loop, 0);
    }

    /**
     * Opens the file and measures its duration.
     *
     * @param loop               play endlessly; when false, {@link #ended()} turns true after one pass
     * @param smoothingLatencyMs added to every message's due time (the stream's {@code smoothing_latency_ms}, the role
     *                           of {@code tsparse smoothing-latency} in the original file pipeline): the first message
     *                           leaves this long after the start, and every later one as much later than its PCR time
     * @throws IOException if it cannot be read, holds no TS packets or has no PCR, naming the file
     */
    public static FileInput open(Path path, boolean loop, int smoothingLatencyMs) throws IOException {
        if (smoothingLatencyMs < 0) {
            throw new IllegalArgumentException("smoothing latency " + smoothingLatencyMs + " ms (expected: >= 0)");
        }
        TsLooper looper;
        try {
            looper = TsLooper.open(path, loop ? 0 : 1);
        } catch (IOException | TsException e) {
            throw new IOException(path.getFileName() + " cannot be played: " + e.getMessage(), e);
        }
        if (!looper.hasPackets()) {
            // Played, it would end at once and look like a file that ended with loop off.
            looper.close();
            throw new IOException(path.getFileName() + " cannot be played: it holds no MPEG-TS packets (it is empty,"
                    + " or not an MPEG-TS file). Replace it with a .ts file, e.g. one written by ffmpeg -f mpegts.");
        }
        PacerSettings settings = PacerSettings.byPcr().withSmoothingLatencyNanos(smoothingLatencyMs * 1_000_000L);
        FileInput input = new FileInput(looper, settings, path.getFileName().toString());
        try {
            // Times the first packets now, so that a file with no PCR to pace by is refused when the stream starts,
            // not once a peer has connected and it begins to play.
            input.pacer.peekDueNanos();
            if (loop && looper.pcrPid() < 0) {
                // Fewer than two PCRs in the file: looped, its one PCR comes round at every seam, one pass apart, and
                // the pacer would take those as the clock's (PCRs sparse but regular) at a rate that is the looper's
                // measure of the pass from PES timestamps, not the file's clock. Refused as when played once.
                try (TsPacer once = new TsPacer(TsLooper.open(path, 1), settings)) {
                    once.peekDueNanos();
                }
            }
        } catch (IOException | TsException e) {
            input.close();
            throw new IOException(path.getFileName() + " cannot be played: " + e.getMessage(), e);
        }
        return input;
    }

    @Override
    public String warning() {
        String clock = looper.clockWarning().orElse(null);
        String pcr = looper.pcrIntervalWarning().orElse(null);
        if (clock == null || pcr == null) {
            return clock != null ? clock : pcr;
        }
        // both start with the file's name and a colon
        return clock + " Also, " + pcr.substring(name.length() + 2);
    }

    /** How this file is paced: by its PCRs, plus the smoothing latency. */
    PacerSettings pacerSettings() {
        return pacerSettings;
    }

    @Override
    public int pump(long maxWaitNanos, Sink sink) throws IOException {
        try {
            return pumpInner(maxWaitNanos, sink);
        } catch (IOException | TsException e) {
            throw new IOException(name + " cannot be played: " + e.getMessage(), e);
        }
    }

    private int pumpInner(long maxWaitNanos, Sink sink) throws IOException {
        if (ended) {
            LockSupport.parkNanos(maxWaitNanos);
            return 0;
        }
        long now = System.nanoTime();
        if (baseNanos == 0) {
            baseNanos = now;
        }
        long due = pacer.peekDueNanos();
        if (due == TsPacer.END) {
            ended = true;
            return 0;
        }
        if (baseNanos + due > now + maxWaitNanos) {
            // this batch was handed on at the last wake-up: the next falls due after this one's wait
            LockSupport.parkNanos(maxWaitNanos);
            now = System.nanoTime();
        } else if (now - (baseNanos + due) > MAX_LATE_NANOS) {
            baseNanos = now - due;
        }
        long horizon = now + maxWaitNanos;
        int bytes = 0;
        while (due != TsPacer.END && baseNanos + due <= horizon) {
            message.clear();
            pacer.nextMessage(message);
            message.flip();
            bytes += message.remaining();
            sink.accept(message, baseNanos + due);
            due = pacer.peekDueNanos();
        }
        if (due == TsPacer.END) {
            ended = true;
        }
        if (bytes > 0) {
            lastDataNanos = now;
        }
        return bytes;
    }

    @Override
    public String changed() {
        return looper.takeChange().orElse(null);
    }

    @Override
    public boolean ended() {
        return ended;
    }

    @Override
    public long lastDataNanos() {
        return lastDataNanos;
    }

    @Override
    public boolean canBeLost() {
        return false;
    }

    @Override
    public boolean startsWithFirstPeer() {
        return true;
    }

    @Override
    public long peakBitsPerSecond() {
        return looper.peakBitsPerSecond();
    }

    @Override
    public void close() throws IOException {
        pacer.close();
    }
}
