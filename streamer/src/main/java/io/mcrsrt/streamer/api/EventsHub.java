package io.mcrsrt.streamer.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.javalin.http.sse.SseClient;
import io.mcrsrt.streamer.security.WebSecurity;
import io.mcrsrt.streamer.stream.StreamView;
import io.micrometer.core.instrument.Gauge;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Server-sent events. One ticker thread takes the engine's snapshots once a second and offers events to every
 * subscriber's own bounded queue; each subscriber has its own sender thread. A slow browser fills only its own queue:
 * further events for it are dropped and counted, never waited for.
 *
 * <ul>
 *   <li>{@code /api/events}: event {@code streams} (the {@code GET /api/streams} JSON, plus each stream's
 *       {@code peers} as {@code [{address, stream_id}]}) on every change and at least every 5 s; event
 *       {@code system} (the {@code GET /api/system/status} JSON) every 5 s.</li>
 *   <li>{@code /api/streams/{key}/events}: event {@code stats} (the {@code GET /api/stats/{key}} JSON) every second;
 *       event {@code end} when the stream stops, or at once if there is no such stream.</li>
 * </ul>
 */
final class EventsHub implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EventsHub.class);
    private static final int QUEUE_CAPACITY = 32;
    private static final int PERIODIC_EVERY_TICKS = 5;
    /** Most event streams open at once; each holds a connection and a thread. */
    static final int MAX_SUBSCRIBERS = 256;

    private final ServiceContext ctx;
    private final Set<Subscriber> subscribers = new CopyOnWriteArraySet<>();
    private final ScheduledExecutorService ticker;
    private final AtomicLong dropped = new AtomicLong();
    /** Set by {@link #close()}: no subscriber is taken after it, so the web server's stop need not wait for one. */
    private volatile boolean hubClosed;
    private long tick;
    private String lastStreamsSignature = "";

    private record Event(String name, String json) {
    }

    /** Offered at {@link #close()} so that a subscriber waiting for its next event ends at once. */
    private static final Event WAKE = new Event("", "");

    /** One connected browser. {@code key} is null for the global stream. */
    private final class Subscriber {
        final SseClient client;
        final Integer key;
        final BlockingQueue<Event> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
        volatile boolean closed;
        /** The stream was there once: its end is a stop, not a key that never existed. */
        volatile boolean streamSeen;
        /** Epoch milliseconds at which the connection is ended ({@link WebSecurity#eventStreamEnd}). */
        final long endsAtMillis;

        Subscriber(SseClient client, Integer key, long endsAtMillis) {
            this.client = client;
            this.key = key;
            this.endsAtMillis = endsAtMillis;
        }

        void offer(Event e) {
            if (!queue.offer(e)) {
                long n = dropped.incrementAndGet();
                if (n == 1 || n % 100 == 0) {
                    LOG.warn("SSE client {} is too slow: {} events dropped so far", client.ctx().ip(), n);
                }
            }
        }

        void run() {
            try {
                while (!closed && !client.terminated()) {
                    Event e = queue.poll(1, TimeUnit.SECONDS);
                    if (closed) {
                        break;
                    }
                    if (System.currentTimeMillis() >= endsAtMillis) {
                        // the pages open the stream again at once on this event (another browser's EventSource
                        // after its retry delay), and the session is renewed on that answer
                        write("event: reopen\ndata: {}\n\n");
                        break;
                    }
                    String frame = e == null ? ": keep-alive\n\n"
                            : "event: " + e.name() + "\ndata: " + e.json() + "\n\n";
                    if (!write(frame) || (e != null && e.name().equals("end"))) {
                        break;
                    }
                }
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            } finally {
                subscribers.remove(this);
                try {
                    client.close();
                } catch (RuntimeException ignored) {
                    // the request is already gone
                }
            }
        }

        /**
         * Writes one frame straight to the response. False once the browser has gone or the request has ended: any
         * failure ends this subscriber, so a dead connection never keeps its thread.
         */
        private boolean write(String frame) {
            try {
                var out = client.ctx().res().getOutputStream();
                out.write(frame.getBytes(StandardCharsets.UTF_8));
                out.flush();
                return true;
            } catch (IOException | RuntimeException ex) {
                return false;
            }
        }
    }

    EventsHub(ServiceContext ctx) {
        this.ctx = ctx;
        Gauge.builder("mcr_srt_sse_dropped_events", dropped, AtomicLong::get)
                .description("live events dropped because a client read too slowly, since the service started")
                .register(ctx.metrics().registry());
        Gauge.builder("mcr_srt_sse_clients", subscribers, Set::size)
                .description("open live event connections").register(ctx.metrics().registry());
        this.ticker = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("sse-ticker").daemon(true).factory());
        ticker.scheduleAtFixedRate(this::tickSafely, 1, 1, TimeUnit.SECONDS);
    }

    /** Handler of {@code GET /api/events}. */
    void streams(SseClient client) {
        Subscriber s = subscribe(client, null);
        if (s == null) {
            return;
        }
        s.offer(new Event("streams", streamsJson()));
        s.offer(new Event("system", json(SystemHandlers.status(ctx))));
    }

    /** Handler of {@code GET /api/streams/{key}/events}. */
    void stream(SseClient client) {
        int key = StreamHandlers.parseKey(client.ctx().pathParam("key"),
                "Invalid key format: " + client.ctx().pathParam("key"));
        Subscriber s = subscribe(client, key);
        if (s == null) {
            return;
        }
        Optional<StreamView> v = ctx.engine().stream(key);
        s.streamSeen = v.isPresent();
        s.offer(v.isPresent() ? new Event("stats", statsJson(v.get())) : endEvent(key, false));
    }

    /** Registers a client and starts its sender; null (after telling the client why) when too many are open. */
    private Subscriber subscribe(SseClient client, Integer key) {
        if (subscribers.size() >= MAX_SUBSCRIBERS) {
            client.sendEvent("error", "{\"error\":\"Too many live event connections (" + MAX_SUBSCRIBERS
                    + "). Close some browser tabs or scripts and retry.\"}");
            client.close();
            return null;
        }
        client.keepAlive();
        Subscriber s = new Subscriber(client, key, ctx.security().eventStreamEnd(client.ctx()));
        client.onClose(() -> s.closed = true);
        subscribers.add(s);
        // checked after the add: either close() sees this subscriber or this sees close()
        if (hubClosed) {
            s.closed = true;
        }
        Thread.ofVirtual().name(key == null ? "sse-events" : "sse-stream-" + key).start(s::run);
        return s;
    }

    private void tickSafely() {
        try {
            tick();
        } catch (RuntimeException e) {
            LOG.warn("SSE tick failed: {}", e.toString());
        }
    }

    private void tick() {
        tick++;
        if (subscribers.isEmpty()) {
            return;
        }
        List<StreamView> views = ctx.engine().streams();
        Map<Integer, StreamView> byKey = views.stream().collect(Collectors.toMap(StreamView::key, v -> v));
        String signature = streamsSignature(views);
        boolean periodic = tick % PERIODIC_EVERY_TICKS == 0;
        boolean changed = !signature.equals(lastStreamsSignature);
        lastStreamsSignature = signature;
        Event streams = changed || periodic ? new Event("streams", json(JsonViews.streamListWithPeers(views))) : null;
        Event system = periodic ? new Event("system", json(SystemHandlers.status(ctx))) : null;
        for (Subscriber s : subscribers) {
            if (s.key == null) {
                if (streams != null) {
                    s.offer(streams);
                }
                if (system != null) {
                    s.offer(system);
                }
            } else {
                StreamView v = byKey.get(s.key);
                if (v != null) {
                    s.streamSeen = true;
                }
                s.offer(v == null ? endEvent(s.key, s.streamSeen) : new Event("stats", statsJson(v)));
            }
        }
    }

    /**
     * What decides whether the stream list changed since the last tick: each stream's key, status, connected
     * peers by address and stream id (the event carries both), so that a caller replaced by another (same count)
     * reaches the pages within a second too, and its count of SCTE-35 cues, so that a cue sent does.
     */
    static String streamsSignature(List<StreamView> views) {
        return views.stream().map(v -> v.key() + ":" + v.connectionStatus() + ":"
                + v.peers().stream().map(p -> p.address() + "/" + p.streamId()).collect(Collectors.joining("|"))
                + ":" + v.scte35().count())
                .collect(Collectors.joining(","));
    }

    /** The last event of a stream's events: it was stopped while watched, or there was no such stream. */
    private Event endEvent(int key, boolean stopped) {
        return new Event("end", json(Map.of("key", key, "message",
                "Stream " + key + (stopped ? " was stopped" : " not found"))));
    }

    private String streamsJson() {
        return json(JsonViews.streamListWithPeers(ctx.engine().streams()));
    }

    private String statsJson(StreamView v) {
        return json(JsonViews.stats(v, ctx.json(), System.currentTimeMillis()));
    }

    private String json(Object o) {
        try {
            return ctx.json().writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise an event", e);
        }
    }

    /** Events dropped because a browser was too slow. */
    long droppedEvents() {
        return dropped.get();
    }

    @Override
    public void close() {
        hubClosed = true;
        ticker.shutdownNow();
        for (Subscriber s : subscribers) {
            s.closed = true;
            s.queue.offer(WAKE);
        }
        try {
            if (!ticker.awaitTermination(2, TimeUnit.SECONDS)) {
                LOG.warn("sse-ticker did not stop within 2 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
