package io.mcrsrt.streamer.stream;

import java.util.List;
import java.util.Optional;

/**
 * What every front end (API, UI, CLI) may ask of the streams. Implementations own all stream state; callers get
 * immutable snapshots. All methods are thread-safe and return quickly: none waits for a network peer.
 */
public interface StreamEngine extends AutoCloseable {

    /**
     * Starts a stream and records its definition so it is restored after a restart.
     *
     * @return the stream's first snapshot (status {@link StreamStatus#STARTING} or later), or, for one that waits for
     *         its listener address to appear on the machine, {@link StreamStatus#START_ERROR} with a detail naming it
     * @throws StreamException {@code CONFLICT} if the key is in use, {@code LIMIT} if {@code MAX_STREAMS} is reached or
     *                         the listener port is outside the allowed range, {@code START_FAILED} if it cannot start,
     *                         {@code INVALID} if it never could, {@code ADDRESS_MISSING} from an engine that saves
     *                         nothing and so cannot wait for an address
     */
    StreamView start(StreamConfig config) throws StreamException;

    /**
     * Stops a stream, closes its connections and forgets its definition.
     *
     * @throws StreamException {@code NOT_FOUND} if no stream has that key
     */
    void stop(int key) throws StreamException;

    /** Snapshots of all streams, by key ascending. */
    List<StreamView> streams();

    /** The snapshot of one stream, if it exists. */
    Optional<StreamView> stream(int key);

    /**
     * Up to ten minutes of once-a-second statistics of a stream's primary connection, oldest first, each with the
     * monotonic time it was kept.
     */
    List<StatsSample> history(int key);

    /**
     * Starts an SMPTE 2022-7 dual-path stream and records it like a stream. Its two leg keys are taken in the stream
     * key namespace; it counts as one stream toward {@code MAX_STREAMS}.
     *
     * @throws StreamException as {@link #start}; {@code START_FAILED} if this engine has no dual path
     */
    default PairView startPair(PairConfig config) throws StreamException {
        throw new StreamException(StreamException.Reason.START_FAILED, "dual path (SMPTE 2022-7) is not available");
    }

    /**
     * Stops a dual-path stream by its key (the smaller leg key) and forgets it.
     *
     * @throws StreamException {@code NOT_FOUND} if no pair has that key
     */
    default void stopPair(int key) throws StreamException {
        throw new StreamException(StreamException.Reason.NOT_FOUND, "Pair " + key + " not found.");
    }

    /** Snapshots of all dual-path streams, by key ascending. */
    default List<PairView> pairs() {
        return List.of();
    }

    /**
     * Up to ten minutes of once-a-second statistics of one leg's primary connection of a dual-path stream, oldest
     * first, as {@link #history} for a stream; empty if no pair has that key.
     *
     * @param key the pair's key
     * @param leg 1 or 2, in the pair's order
     */
    default List<StatsSample> legHistory(int key, int leg) {
        return List.of();
    }

    /**
     * Whether the stream definitions are reaching the disk: the last save's failure (file and the operating system's
     * reason) and when it cleared. A front end reports it with every change it makes.
     */
    default Persistence persistence() {
        return Persistence.NONE;
    }

    /** Stops every stream without forgetting their definitions (they come back on the next start). */
    @Override
    void close();
}
