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
     * @return the stream's first snapshot (status {@link StreamStatus#STARTING} or later)
     * @throws StreamException {@code CONFLICT} if the key is in use, {@code LIMIT} if {@code MAX_STREAMS} is reached or
     *                         the listener port is outside the allowed range, {@code START_FAILED} if it cannot start
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

    /** Up to ten minutes of once-a-second statistics of a stream's primary connection, oldest first. */
    List<LinkStats> history(int key);

    /** Stops every stream without forgetting their definitions (they come back on the next start). */
    @Override
    void close();
}
