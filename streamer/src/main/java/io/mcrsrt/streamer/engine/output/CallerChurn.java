package io.mcrsrt.streamer.engine.output;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Which arrivals and departures of a listener's callers are told as events of their own. A receiver that connects and
 * leaves over and over (a misconfigured decoder restarting every few hundred milliseconds) wrote a {@code connected}
 * and a {@code disconnected} event, and two log lines, per visit: within seconds it pushed every other event out of
 * the stream's bounded list, and it filled the log.
 *
 * <p>Per address, without the port (a receiver that starts again calls from another one): once {@link #LISTED} visits
 * from it have ended within {@link #WINDOW_NANOS}, its next visits are folded: neither their arrival nor their
 * departure is an event; they are counted into a summary told every {@link #WINDOW_NANOS} while they go on
 * ({@code 192.0.2.7 connected and left 37 times in the last 10 s ...}). Once a window passes in which no folded visit
 * ended, the address calms down: its next visits are told again. A folded caller that stays {@link #WINDOW_NANOS} is
 * told then ({@link #stayed}), and its departure as any other. Only events are folded: the owner counts every
 * departure (connections lost) whether told or not.
 *
 * <p>Owned by the listener's owner thread.
 */
final class CallerChurn {
    /** Visits from one address that end within {@link #WINDOW_NANOS} and are still told one by one. */
    static final int LISTED = 3;
    /** The time over which visits are counted, and between two summaries. */
    static final long WINDOW_NANOS = 10_000_000_000L;

    private final Map<String, Address> addresses = new HashMap<>();

    /** One address's recent visits. */
    private static final class Address {
        /** When its visits ended, oldest first, those within {@link #WINDOW_NANOS} only. */
        final ArrayDeque<Long> ended = new ArrayDeque<>();
        /** Folded visits still connected. */
        int open;
        /** Folded visits ended since the last summary. */
        int endedUntold;
        /** When folding began or the last summary was told; 0 while its visits are told. */
        long foldingSince;
    }

    /** The address of a caller's {@code host:port} ({@code 192.0.2.7}, {@code [2001:db8::7]}), without the port. */
    static String host(String address) {
        int colon = address.lastIndexOf(':');
        return colon > 0 && (address.startsWith("[") || address.indexOf(':') == colon)
                ? address.substring(0, colon) : address;
    }

    /**
     * A caller from {@code host} arrives.
     *
     * @return true when its arrival is to be told as an event; false when its visit is folded (its departure is then
     *         folded too, unless it stays: {@link #stayed})
     */
    boolean arrives(String host, long nowNanos) {
        Address a = addresses.get(host);
        if (a == null) {
            return true;
        }
        expire(a, nowNanos);
        if (a.foldingSince == 0) {
            if (a.ended.size() < LISTED) {
                return true;
            }
            a.foldingSince = nowNanos;
        }
        a.open++;
        return false;
    }

    /**
     * A visit from {@code host} ended.
     *
     * @param folded whether its arrival was folded ({@link #arrives} said false, and it did not stay)
     * @return true when its departure is to be told as an event
     */
    boolean leaves(String host, boolean folded, long nowNanos) {
        Address a = addresses.computeIfAbsent(host, h -> new Address());
        a.ended.addLast(nowNanos);
        expire(a, nowNanos);
        if (!folded) {
            return true;
        }
        a.open--;
        a.endedUntold++;
        return false;
    }

    /** A folded caller from {@code host} stayed {@link #WINDOW_NANOS}: it is told now, and its departure will be. */
    void stayed(String host) {
        Address a = addresses.get(host);
        if (a != null && a.open > 0) {
            a.open--;
        }
    }

    /**
     * The summaries due now, one per address whose folded visits went on for a window, and forgets addresses that
     * have calmed down.
     */
    List<String> due(long nowNanos) {
        List<String> summaries = new ArrayList<>();
        for (Iterator<Map.Entry<String, Address>> it = addresses.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Address> e = it.next();
            Address a = e.getValue();
            expire(a, nowNanos);
            if (a.foldingSince != 0 && nowNanos - a.foldingSince >= WINDOW_NANOS) {
                if (a.endedUntold > 0) {
                    summaries.add(e.getKey() + " connected and left " + a.endedUntold + (a.endedUntold == 1 ? " time"
                            : " times") + " in the last " + Math.round((nowNanos - a.foldingSince) / 1e9) + " s: such"
                            + " short visits from it are counted (connections lost), not listed one by one, until "
                            + WINDOW_NANOS / 1_000_000_000L + " s pass without one");
                    a.endedUntold = 0;
                    a.foldingSince = nowNanos;
                } else if (a.open == 0) {
                    a.foldingSince = 0;
                } else {
                    a.foldingSince = nowNanos;
                }
            }
            if (a.foldingSince == 0 && a.ended.isEmpty()) {
                it.remove();
            }
        }
        return summaries;
    }

    private static void expire(Address a, long nowNanos) {
        while (!a.ended.isEmpty() && nowNanos - a.ended.peekFirst() >= WINDOW_NANOS) {
            a.ended.removeFirst();
        }
    }
}
