package io.mcrsrt.streamer.engine.output;

import java.util.HashMap;
import java.util.Map;

/**
 * A listener's places for callers ({@code MAX_CALLERS_PER_LISTENER}), counted in the handshake on libsrt's thread:
 * the callers the stream serves, and those admitted in the handshake that the stream's owner thread has not yet taken
 * on or refused. Without the second, callers arriving together (receivers calling back at once after a network
 * outage) all passed the handshake while the stream still served fewer than the cap; those beyond it were then
 * connected and closed at once, never told why, instead of being refused with reject code 1402.
 *
 * <p>A caller admitted in the handshake whose socket never reaches the owner (libsrt gave the handshake up after
 * admitting it) keeps its place for {@link #HOLD_NANOS} only, so no place is lost for good.
 *
 * <p>Thread-safe: {@link #reserve} runs on libsrt's thread, the rest on the owner thread.
 */
final class CallerPlaces {
    /** How long a caller admitted in the handshake holds its place before the owner has taken it on or refused it. */
    static final long HOLD_NANOS = 5_000_000_000L;

    private final int max;
    /** Callers admitted in the handshake and not yet settled by the owner: address to when. */
    private final Map<String, Long> admitted = new HashMap<>();
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
     * @return false when every place is taken: the caller is to be refused
     */
    synchronized boolean reserve(String address, long nowNanos) {
        admitted.values().removeIf(at -> nowNanos - at >= HOLD_NANOS);
        if (served + admitted.size() >= max && !admitted.containsKey(address)) {
            return false;
        }
        admitted.put(address, nowNanos);
        return true;
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
