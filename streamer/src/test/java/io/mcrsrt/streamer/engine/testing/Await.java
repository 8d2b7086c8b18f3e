package io.mcrsrt.streamer.engine.testing;

import io.mcrsrt.streamer.stream.StreamEngine;
import io.mcrsrt.streamer.stream.StreamStatus;
import io.mcrsrt.streamer.stream.StreamView;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/** Polls until something holds; the timeout only stops a hang, it asserts nothing about speed. */
public final class Await {
    private Await() {
    }

    public static boolean until(BooleanSupplier condition, long timeoutMillis) throws InterruptedException {
        long end = System.nanoTime() + timeoutMillis * 1_000_000L;
        while (System.nanoTime() < end) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(50);
        }
        return condition.getAsBoolean();
    }

    /** Waits for the stream to reach a status; returns the last snapshot either way. */
    public static StreamView status(StreamEngine engine, int key, StreamStatus status, long timeoutMillis)
            throws InterruptedException {
        return view(engine, key, v -> v.status() == status, timeoutMillis);
    }

    public static StreamView view(StreamEngine engine, int key, Predicate<StreamView> test, long timeoutMillis)
            throws InterruptedException {
        until(() -> engine.stream(key).map(test::test).orElse(false), timeoutMillis);
        return engine.stream(key).orElseThrow();
    }
}
