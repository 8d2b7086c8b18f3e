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
 * <p>A caller whose key does not match gives its place back as soon as libsrt hands its socket over, on the accept
 * thread ({@link #keyWrong}), not when the owner comes to it: a program calling with the wrong key in a tight loop,
 * a thousand times a second, otherwise held every place of a small cap between two of the owner's ticks, and right
 * callers arriving then were refused. libsrt settles the key after the listen callback has admitted the caller, so a
 * handshake that finds every place taken while some of them are held by callers whose key is not yet checked waits,
 * briefly ({@link #KEY_CHECK_WAIT_NANOS} at most), for the accept thread to check them ({@link #keyChecked}).
 *
 * <p>A caller admitted in the handshake whose socket never reaches the owner gives its place back as soon as the owner
 * finds its socket broken or gone ({@link #forgetFailed}): one that gave up between the handshake and the accept.
 * Any other keeps it for {@link #HOLD_NANOS} at most, so no place is lost for good.
 *
 * <p>Thread-safe: {@link #reserve} runs on libsrt's thread, {@link #keyChecked} and {@link #keyWrong} on the accept
 * thread, the rest on the owner thread.
 */
final class CallerPlaces {
    /** How long a caller admitted in the handshake holds its place before the owner has taken it on or refused it. */
    static final long HOLD_NANOS = 5_000_000_000L;
    /**
     * How long a handshake that finds every place taken waits at most for the accept thread to check the keys of the
     * callers holding them. The accept thread takes a caller a few microseconds after libsrt has settled its key;
     * the bound is for an accept thread held up, and keeps libsrt's thread (this port's traffic) from waiting long.
     */
    static final long KEY_CHECK_WAIT_NANOS = 50_000_000L;

    private final int max;
    /**
     * A caller admitted in the handshake: when, how to tell that its handshake failed after all, and whether the
     * accept thread has found its key right (or could not tell, and left it to the owner).
     */
    private record Admission(long atNanos, BooleanSupplier failed, boolean keyChecked) {
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
     * Takes a place for a caller in the handshake, if one is free, or becomes free within {@code waitNanos} because
     * the accept thread finds that a caller holding one has the wrong key ({@link #keyWrong}). Waits only while some
     * place is held by a caller whose key is not yet checked.
     *
     * @param address the caller's {@code host:port}; a caller that repeats its handshake keeps the place it has
     * @param failed whether the caller's connection failed after the handshake admitted it; asked by
     *     {@link #forgetFailed} on the owner thread only
     * @param waitNanos how long to wait at most for such a check; 0 not to wait
     * @return false when every place is taken: the caller is to be refused
     */
    synchronized boolean reserve(String address, long nowNanos, BooleanSupplier failed, long waitNanos) {
        admitted.values().removeIf(a -> nowNanos - a.atNanos >= HOLD_NANOS);
        long deadline = System.nanoTime() + waitNanos;
        while (served + admitted.size() >= max && !admitted.containsKey(address)) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || admitted.values().stream().allMatch(Admission::keyChecked)) {
                return false;
            }
            try {
                wait(Math.max(1, left / 1_000_000L));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        admitted.put(address, new Admission(nowNanos, failed, false));
        return true;
    }

    /**
     * The accept thread found the key of the caller from {@code address} right, or could not tell: it goes to the
     * owner, and keeps its place until the owner settles it.
     */
    synchronized void keyChecked(String address) {
        Admission a = admitted.get(address);
        if (a != null && !a.keyChecked) {
            admitted.put(address, new Admission(a.atNanos, a.failed, true));
            notifyAll();
        }
    }

    /** The accept thread refused the caller from {@code address} for its key: its place is free at once. */
    synchronized void keyWrong(String address) {
        if (admitted.remove(address) != null) {
            notifyAll();
        }
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
                    if (admitted.remove(e.getKey(), e.getValue())) {
                        notifyAll();
                    }
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
        notifyAll();
    }

    /** The stream now serves {@code servedNow} callers (one left, or all were closed). */
    synchronized void served(int servedNow) {
        served = servedNow;
        notifyAll();
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
