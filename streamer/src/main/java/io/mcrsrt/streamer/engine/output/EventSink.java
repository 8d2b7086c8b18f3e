package io.mcrsrt.streamer.engine.output;

/** Where an output records what happened to its links (connected, rejected, broken). */
@FunctionalInterface
public interface EventSink {
    void event(String kind, String detail);

    /**
     * A caller left without a {@code disconnected} event of its own: its visit was folded into a summary
     * ({@link CallerChurn}). Counted among the stream's connections lost as that event would have been. A sink that
     * counts nothing (a test's) need not; one that passes events on passes this on too ({@link #prefixed}).
     */
    default void departureFolded() {
    }

    /** This sink, with {@code prefix} put before every detail ({@code "leg 1: "}). */
    default EventSink prefixed(String prefix) {
        EventSink to = this;
        return new EventSink() {
            @Override
            public void event(String kind, String detail) {
                to.event(kind, prefix + detail);
            }

            @Override
            public void departureFolded() {
                to.departureFolded();
            }
        };
    }
}
