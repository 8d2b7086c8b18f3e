package io.mcrsrt.streamer.engine.output;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * A listener's places for callers ({@code MAX_CALLERS_PER_LISTENER}), counted in the handshake on libsrt's thread:
 * the callers the stream serves, and those admitted in the handshake that the stream's owner thread has not yet taken
 * on or refused. Without the second, callers arriving together (receivers calling back at once after a network
 * outage) all passed the handshake while the stream still served fewer than the cap; those beyond it were then
 * connected and closed at once, never told why, instead of being refused with reject code 1402.
 *
 * <p>A caller admitted in the handshake whose socket never reaches the owner gives its place back as soon as the owner
 * finds its socket broken or gone ({@link #forgetFailed}): a caller with the wrong key closes the connection at once,
 * before the owner takes it on, and one that calls again at once (srt-live-transmit set up wrong, a hundred times a
 * second) would otherwise hold every place and keep the right callers out. Any other keeps it for {@link #HOLD_NANOS}
 * at most, so no place is lost for good.
 *
 * <p>Thread-safe: {@link #reserve} runs on libsrt's thread, the rest on the owner thread.
 */
final class CallerPlaces {
    /** How long a caller admitted in the handshake holds its place before the owner has taken it on or refused it. */
    static final long HOLD_NANOS = 5_000_000_000L;

    private final int max;
    /** A caller admitted in the handshake: when, and how to tell that its handshake failed after all. */
    private record Admission(long atNanos, BooleanSupplier failed) {
    }

    /** Callers admitted in the handshake and not yet settled by the owner, by address. */
    private final Map<String, Admission> admitted = new HashMap<>();
    /** Callers the stream serves, as the owner last said. */
    private int served;

    CallerPlaces(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("max " + max + " (expected: at least 1 caller)");
        }
        this.max = max;
    }

    /**
     * Takes a place for a caller in the handshake, if one is free.
     *
     * @param address the caller's {@code host:port}; a caller that repeats its handshake keeps the place it has
     * @param failed whether the caller's connection failed after the handshake admitted it; asked by
     *     {@link #forgetFailed} on the owner thread only
     * @return false when every place is taken: the caller is to be refused
     */
    synchronized boolean reserve(String address, long nowNanos, BooleanSupplier failed) {
        admitted.values().removeIf(a -> nowNanos - a.atNanos >= HOLD_NANOS);
        if (served + admitted.size() >= max && !admitted.containsKey(address)) {
            return false;
        }
        admitted.put(address, new Admission(nowNanos, failed));
        return true;
    }

    /**
     * Gives back the places of callers admitted in the handshake whose connection has failed since (see the class).
     * Runs on the owner thread, and asks outside this object's lock: the question goes to libsrt, whose thread may be
     * waiting in {@link #reserve} meanwhile.
     */
    void forgetFailed() {
        List<Map.Entry<String, Admission>> pending;
        synchronized (this) {
            if (admitted.isEmpty()) {
                return;
            }
            pending = new ArrayList<>();
            for (Map.Entry<String, Admission> e : admitted.entrySet()) {
                pending.add(Map.entry(e.getKey(), e.getValue()));
            }
        }
        for (Map.Entry<String, Admission> e : pending) {
            if (e.getValue().failed.getAsBoolean()) {
                synchronized (this) {
                    admitted.remove(e.getKey(), e.getValue());
                }
            }
        }
    }

    /**
     * The owner has taken a caller on or refused it: its handshake place is given back, and the stream now serves
     * {@code servedNow} callers (counting it, if it was taken on). One step, so that no handshake in between counts
     * the caller twice or not at all.
     */
    synchronized void settled(String address, int servedNow) {
        admitted.remove(address);
        served = servedNow;
    }

    /** The stream now serves {@code servedNow} callers (one left, or all were closed). */
    synchronized void served(int servedNow) {
        served = servedNow;
    }

    /** Callers admitted in the handshake and not yet settled, lapsed ones included until the next handshake. */
    synchronized int admittedInHandshake() {
        return admitted.size();
    }

    /** Callers the stream serves, as the owner last said. */
    synchronized int served() {
        return served;
    }
}
