package io.mcrsrt.streamer.engine.output;

/** Where an output records what happened to its links (connected, rejected, broken). */
@FunctionalInterface
public interface EventSink {
    void event(String kind, String detail);
}
