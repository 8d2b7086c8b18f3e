package io.mcrsrt.streamer.engine.input;

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
 * <p>It wakes once per tick, not once per message, and hands on every message due by then with its exact due time:
 * the output stamps that time as the SRT source time, so the receiver delivers each message at its due time plus the
 * latency however late in the tick it was sent. Not thread-safe: the stream's owner thread drives it.
 */
public final class FileInput implements Input {
    /** If the sender falls further behind than this (a stall), it resynchronises rather than bursting. */
    private static final long MAX_LATE_NANOS = 1_000_000_000L;

    private final TsPacer pacer;
    private final ByteBuffer message = ByteBuffer.allocateDirect(TsPacer.MESSAGE_SIZE);
    /** nanoTime of the stream's time 0; 0 until the first pump. */
    private long baseNanos;
    private boolean ended;
    private long lastDataNanos = System.nanoTime();

    private final long nominalBitsPerSecond;

    private FileInput(TsPacer pacer, long nominalBitsPerSecond) {
        this.pacer = pacer;
        this.nominalBitsPerSecond = nominalBitsPerSecond;
    }

    /**
     * Opens the file and measures its duration.
     *
     * @param loop play endlessly; when false, {@link #ended()} turns true after one pass
     * @throws IOException if it cannot be read or has no PCR, naming the file
     */
    public static FileInput open(Path path, boolean loop) throws IOException {
        TsLooper looper;
        try {
            looper = TsLooper.open(path, loop ? 0 : 1);
        } catch (IOException e) {
            throw new IOException(path.getFileName() + " cannot be played: " + e.getMessage(), e);
        }
        long bps = looper.durationTicks() <= 0 ? 0
                : Math.round(looper.packetsPerPass() * 188 * 8 * 27_000_000.0 / looper.durationTicks());
        return new FileInput(new TsPacer(looper, PacerSettings.byPcr()), bps);
    }

    @Override
    public int pump(long maxWaitNanos, Sink sink) throws IOException {
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
        if (baseNanos + due > now) {
            LockSupport.parkNanos(maxWaitNanos);
            now = System.nanoTime();
        } else if (now - (baseNanos + due) > MAX_LATE_NANOS) {
            baseNanos = now - due;
        }
        int bytes = 0;
        while (due != TsPacer.END && baseNanos + due <= now) {
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
    public long nominalBitsPerSecond() {
        return nominalBitsPerSecond;
    }

    @Override
    public void close() throws IOException {
        pacer.close();
    }
}
