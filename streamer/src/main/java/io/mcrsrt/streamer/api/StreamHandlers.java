package io.mcrsrt.streamer.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.mcrsrt.streamer.config.ValidationResult;
import io.mcrsrt.streamer.stream.Mode;
import io.mcrsrt.streamer.stream.PairView;
import io.mcrsrt.streamer.stream.Persistence;
import io.mcrsrt.streamer.stream.StreamConfig;
import io.mcrsrt.streamer.stream.StreamException;
import io.mcrsrt.streamer.stream.StreamStatus;
import io.mcrsrt.streamer.stream.StreamView;
import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The stream routes of the original API: list, stats, debug, start, stop, history. */
final class StreamHandlers {
    private static final Logger LOG = LoggerFactory.getLogger(StreamHandlers.class);

    /** How long a rendered stream list is reused: statistics change once a second, scripts may poll far faster. */
    private static final long LIST_REUSE_MILLIS = 250;

    private final ServiceContext ctx;
    /** Counts starts and stops: a list rendered from an earlier count is not reused. */
    private final AtomicLong listGeneration = new AtomicLong();
    private final AtomicReference<RenderedList> lastList = new AtomicReference<>(new RenderedList(-1, 0, new byte[0]));

    private record RenderedList(long generation, long renderedAtMillis, byte[] json) {
    }

    StreamHandlers(ServiceContext ctx) {
        this.ctx = ctx;
    }

    void list(Context c) throws IOException {
        long now = System.currentTimeMillis();
        // Read before the streams: a render that a start or stop overtakes carries the old count and is not reused,
        // even when it is stored after that start or stop forgot the list.
        long generation = listGeneration.get();
        RenderedList last = lastList.get();
        if (last.generation() != generation || now - last.renderedAtMillis() >= LIST_REUSE_MILLIS
                || now < last.renderedAtMillis()) {
            byte[] json = ctx.json().writeValueAsBytes(JsonViews.streamList(ctx.engine().streams()));
            last = new RenderedList(generation, now, json);
            lastList.set(last);
        }
        c.contentType("application/json").result(last.json());
    }

    /** Forgets the rendered list so the next request sees a start or stop at once. */
    private void invalidateList() {
        listGeneration.incrementAndGet();
    }

    void stats(Context c) {
        StreamView v = find(c, "Invalid key format: ");
        c.json(JsonViews.stats(v, ctx.json(), System.currentTimeMillis()));
    }

    void debug(Context c) {
        StreamView v = find(c, "Invalid key format: ");
        c.json(JsonViews.debug(v, ctx.json(), System.currentTimeMillis()));
    }

    void history(Context c) {
        int key = parseKey(c.pathParam("key"), "Invalid key format: " + c.pathParam("key"));
        if (ctx.engine().stream(key).isEmpty()) {
            throw new ApiException(404, "Stream " + key + " not found"
                    + (pairHint(key).isEmpty() ? "" : "." + pairHint(key)));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("key", key);
        body.put("samples", JsonViews.history(ctx.engine().history(key), System.nanoTime()));
        c.json(body);
    }

    void scte35(Context c) {
        StreamView v = find(c, "Invalid key format: ");
        c.json(JsonViews.scte35(v.key(), v.scte35()));
    }

    void start(Context c) throws StreamException {
        JsonNode body = JsonRequestBody.read(c, ctx.json(), "a JSON object of stream fields",
                "e.g. {\"input_type\": \"colorbar_720p50\", \"port\": " + ctx.config().listenerPortMin() + "}");
        StreamConfig config = switch (ctx.validator().validate(body)) {
            case ValidationResult.Invalid invalid -> throw new ApiException(400, "Validation failed", invalid.errors());
            case ValidationResult.Valid valid -> valid.config();
        };
        int key = config.key();
        refuseKeyInUse(key, config.mode() == Mode.CALLER);
        // MAX_STREAMS is the engine's to refuse, under its lock, in the words every path uses (MaxStreams)
        StreamView started;
        try {
            started = ctx.engine().start(config);
        } catch (StreamException e) {
            if (e.reason() == StreamException.Reason.CONFLICT) {
                // A request at the same time took the key after the check above; the engine's check, under its lock,
                // is the one that decides, and this route words the refusal as it would have.
                refuseKeyInUse(key, config.mode() == Mode.CALLER);
            }
            throw e;
        }
        invalidateList();
        LOG.info("[{}] started from the API: {}", key, config);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("message", "Stream " + key + " is starting.");
        answer.put("stream_key", key);
        answer.put("status", "starting");
        putWarning(answer, warnings(waitingWarning(started.status(), started.statusDetail()),
                ctx.engine().persistence().startWarning(Persistence.stream(key))));
        c.status(201).json(answer);
    }

    /** 409 when a stream or a leg of a pair has {@code key}, naming which. */
    private void refuseKeyInUse(int key, boolean caller) {
        if (ctx.engine().stream(key).isPresent()) {
            throw conflict(key, caller);
        }
        // A pair's leg ports are stream keys too; name the pair rather than a stream that does not exist.
        Optional<PairView> pair = PairRoutes.withLeg(ctx.engine(), key);
        if (pair.isPresent()) {
            throw PairRoutes.usedByPair(key, pair.get().key(), "another port");
        }
    }

    void stop(Context c) throws StreamException {
        int key = parseKey(c.pathParam("key"), "Invalid stream key format or value");
        try {
            ctx.engine().stop(key);
            invalidateList();
        } catch (StreamException e) {
            if (e.reason() == StreamException.Reason.NOT_FOUND) {
                throw new ApiException(404, "Stream " + key + " not found or already stopped." + pairHint(key));
            }
            throw e;
        }
        LOG.info("[{}] stopped from the API", key);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("message", "Stream " + key + " stop initiated.");
        answer.put("status", "stopping");
        putWarning(answer, ctx.engine().persistence().stopWarning(Persistence.stream(key)));
        c.json(answer);
    }

    /**
     * Adds {@code "warning"} to an answer when the change just made did not reach the disk (additive: the answer's
     * other fields stay as they are).
     */
    /**
     * The warning of a start answered while the stream waits for an address of the machine (a listener address missing
     * during a NIC flap): listed with status Start Error and that detail, it starts by itself once the address is back.
     * Null for a stream that started.
     */
    static String waitingWarning(StreamStatus status, String detail) {
        return status == StreamStatus.START_ERROR && detail != null ? "Accepted but not started yet: " + detail : null;
    }

    /** The warnings given, the null ones left out, in one text; null when none is given. */
    static String warnings(String... warnings) {
        String joined = Arrays.stream(warnings).filter(Objects::nonNull).collect(Collectors.joining(" "));
        return joined.isEmpty() ? null : joined;
    }

    static void putWarning(Map<String, Object> answer, String warning) {
        if (warning != null) {
            answer.put("warning", warning);
        }
    }

    /**
     * 409 for a key in use. A caller cannot choose another port (the far end has it): it is told why its port is a
     * key, as the original keyed streams.
     */
    static ApiException conflict(int key, boolean caller) {
        return new ApiException(409, "Stream " + key + " is already running. Stop it first or choose another port."
                + (caller ? " A caller's key is the port it calls, so one caller to port " + key + " (on any host) and"
                        + " a listener on port " + key + " cannot run at once." : ""));
    }

    private StreamView find(Context c, String invalidPrefix) {
        String raw = c.pathParam("key");
        int key = parseKey(raw, invalidPrefix + raw);
        return ctx.engine().stream(key).orElseThrow(() -> new ApiException(404, "Stream " + key + " not found"
                + (pairHint(key).isEmpty() ? "" : "." + pairHint(key))));
    }

    /**
     * For a key that is a leg of an SMPTE 2022-7 pair, the sentence that points to the pair's routes (the stream
     * routes do not serve legs); empty otherwise, so the original messages stay as they were for every other key.
     */
    private String pairHint(int key) {
        return PairRoutes.withLeg(ctx.engine(), key).map(p -> " Port " + key + " is a leg of pair " + p.key()
                + ": see GET /api/pairs/" + p.key() + ", stop it with DELETE /api/pairs/" + p.key() + ".").orElse("");
    }

    /** A stream or pair key: a whole number 1..65535 written in plain digits. */
    static int parseKey(String raw, String message) {
        // digits as Python's int() reads them, leading zeros included ("010001" is 10001), within 1..65535
        boolean plain = raw != null && !raw.isEmpty() && raw.chars().allMatch(ch -> ch >= '0' && ch <= '9');
        String digits = plain ? raw.replaceFirst("^0+(?=.)", "") : "";
        int key = digits.isEmpty() || digits.length() > 5 ? 0 : Integer.parseInt(digits);
        if (key < 1 || key > 65535) {
            throw new ApiException(400, message, Map.of("key", "'" + raw + "' is not a key: keys are ports (a"
                    + " listener's, a caller's target port, a pair's smaller leg port), in plain digits from 1 to"
                    + " 65535; GET /api/streams and GET /api/pairs list them."));
        }
        return key;
    }
}
