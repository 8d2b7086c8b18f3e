package io.mcrsrt.streamer.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.mcrsrt.streamer.config.PairRequestValidator;
import io.mcrsrt.streamer.stream.Persistence;
import io.mcrsrt.streamer.stream.LinkStats;
import io.mcrsrt.streamer.stream.Mode;
import io.mcrsrt.streamer.stream.PairConfig;
import io.mcrsrt.streamer.stream.PairView;
import io.mcrsrt.streamer.stream.StreamConfig;
import io.mcrsrt.streamer.stream.StreamEngine;
import io.mcrsrt.streamer.stream.StreamException;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The SMPTE 2022-7 dual-path routes: {@code GET /api/pairs}, {@code GET /api/pairs/{key}}, {@code POST /api/pairs},
 * {@code DELETE /api/pairs/{key}}, {@code GET /api/pairs/{key}/legs/{leg}/history} and
 * {@code GET /api/pairs/{key}/scte35}. A pair's key
 * ({@code pair_id}) is the smaller of its legs' ports; both leg ports are taken in the stream key namespace, so a leg
 * port in use by a stream or another pair is a conflict.
 */
public final class PairRoutes implements RouteGroup {
    private static final Logger LOG = LoggerFactory.getLogger(PairRoutes.class);
    private static final DateTimeFormatter START_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC);

    @Override
    public void register(Router router, ServiceContext context) {
        Handlers h = new Handlers(context, new PairRequestValidator(context.validator()));
        router.get("/api/pairs", h::list);
        router.post("/api/pairs", h::start);
        router.get("/api/pairs/{key}", h::detail);
        router.delete("/api/pairs/{key}", h::stop);
        router.get("/api/pairs/{key}/legs/{leg}/history", h::legHistory);
        router.get("/api/pairs/{key}/scte35", h::scte35);
    }

    private record Handlers(ServiceContext ctx, PairRequestValidator validator) {

        void list(Context c) {
            Map<String, Object> data = new LinkedHashMap<>();
            for (PairView p : ctx.engine().pairs()) {
                data.put(String.valueOf(p.key()), summary(p));
            }
            c.json(Map.of("data", data));
        }

        void detail(Context c) {
            PairView p = find(c.pathParam("key"));
            long now = System.currentTimeMillis();
            Map<String, Object> m = summary(p);
            List<Map<String, Object>> legs = new ArrayList<>();
            for (PairView.LegView leg : p.legs()) {
                legs.add(legDetail(leg));
            }
            m.put("legs", legs);
            m.put("events", p.events());
            m.put("timestamp_api", JsonViews.epochSeconds(now));
            c.json(m);
        }

        /**
         * One leg's statistics history, as {@code GET /api/streams/{key}/history} for a stream: the pair, the leg's
         * number and key, and its samples, oldest first.
         */
        void legHistory(Context c) {
            int key = parseKey(c.pathParam("key"));
            String raw = c.pathParam("leg");
            if (!raw.equals("1") && !raw.equals("2")) {
                throw new ApiException(400, "Invalid leg: " + raw + " (a pair has legs 1 and 2)");
            }
            int leg = Integer.parseInt(raw);
            PairView p = find(key);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("pair_id", p.key());
            body.put("leg", leg);
            body.put("key", (leg == 1 ? p.config().leg1() : p.config().leg2()).key());
            body.put("samples", JsonViews.history(ctx.engine().legHistory(p.key(), leg), System.nanoTime()));
            c.json(body);
        }

        void start(Context c) throws StreamException {
            JsonNode body = JsonRequestBody.read(c, ctx.json(), "a JSON object of pair fields",
                    "with 'input_type' and two 'legs'");
            PairConfig config = switch (validator.validate(body)) {
                case PairRequestValidator.Result.Invalid invalid ->
                        throw new ApiException(400, "Validation failed", invalid.errors());
                case PairRequestValidator.Result.Valid valid -> valid.config();
            };
            checkLegsFree(config);
            // MAX_STREAMS is the engine's to refuse, as for a stream (MaxStreams)
            PairView started;
            try {
                started = ctx.engine().startPair(config);
            } catch (StreamException e) {
                if (e.reason() == StreamException.Reason.CONFLICT) {
                    // a request at the same time took a leg's port after the check above: named as it would have been
                    checkLegsFree(config);
                }
                throw e;
            }
            LOG.info("pair {}: started from the API: {}", config.key(), config);
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("message", "Pair " + config.key() + " is starting.");
            answer.put("pair_id", config.key());
            answer.put("status", "starting");
            StreamHandlers.putWarning(answer, StreamHandlers.warnings(
                    StreamHandlers.waitingWarning(started.status(), started.legs().getFirst().detail()),
                    ctx.engine().persistence().startWarning(Persistence.pair(config.key()))));
            c.status(201).json(answer);
        }

        void stop(Context c) throws StreamException {
            int key = StreamHandlers.parseKey(c.pathParam("key"), "Invalid pair key format or value");
            try {
                ctx.engine().stopPair(key);
            } catch (StreamException e) {
                if (e.reason() == StreamException.Reason.NOT_FOUND) {
                    throw new ApiException(404, "Pair " + key + " not found or already stopped." + otherHint(key));
                }
                throw e;
            }
            LOG.info("pair {}: stopped from the API", key);
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("message", "Pair " + key + " stop initiated.");
            answer.put("status", "stopping");
            StreamHandlers.putWarning(answer, ctx.engine().persistence().stopWarning(Persistence.pair(key)));
            c.json(answer);
        }

        /** 409 for the first leg whose port a stream or another pair has ({@link #checkFree}). */
        private void checkLegsFree(PairConfig config) {
            List<PairConfig.Leg> legs = List.of(config.leg1(), config.leg2());
            for (int i = 0; i < legs.size(); i++) {
                checkFree(legs.get(i).key(), "legs[" + i + "]." + (legs.get(i).mode() == Mode.LISTENER ? "port"
                        : "target_port"));
            }
        }

        /** 409 when a leg's key is taken, naming the leg's field in {@code details} so a form can mark it. */
        private void checkFree(int key, String field) {
            Optional<PairView> pair = withLeg(ctx.engine(), key);
            String taken = pair.isPresent()
                    ? usedByPair(key, pair.get().key(), "another port for this leg").getMessage()
                    : ctx.engine().stream(key).isPresent() ? "Port " + key + " is already used by stream " + key
                    + ". Stop it first or choose another port for this leg." : null;
            if (taken != null) {
                throw new ApiException(409, taken, Map.of(field, taken));
            }
        }

        /** The SCTE-35 cues the pair's input has sent, as {@code GET /api/streams/{key}/scte35} for a stream. */
        void scte35(Context c) {
            PairView p = find(c.pathParam("key"));
            c.json(JsonViews.scte35(p.key(), p.scte35()));
        }

        private static int parseKey(String raw) {
            return StreamHandlers.parseKey(raw, "Invalid key format: " + raw);
        }

        private PairView find(String raw) {
            return find(parseKey(raw));
        }

        private PairView find(int key) {
            Optional<PairView> found = ctx.engine().pairs().stream().filter(p -> p.key() == key).findFirst();
            return found.orElseThrow(() -> new ApiException(404, "Pair " + key + " not found"
                    + (otherHint(key).isEmpty() ? "" : "." + otherHint(key))));
        }

        /**
         * What a key that is no pair's is instead: the other leg of a pair (a pair is keyed by its smaller leg port),
         * or a stream; empty when it is neither.
         */
        private String otherHint(int key) {
            Optional<PairView> pair = withLeg(ctx.engine(), key);
            if (pair.isPresent()) {
                int p = pair.get().key();
                return " Port " + key + " is a leg of pair " + p + ", which is keyed by its smaller leg port: see GET"
                        + " /api/pairs/" + p + ", stop it with DELETE /api/pairs/" + p + ".";
            }
            return ctx.engine().stream(key).isPresent() ? " " + key + " is a stream: see GET /api/streams/" + key
                    + ", stop it with DELETE /api/streams/" + key + "." : "";
        }

        private Map<String, Object> legDetail(PairView.LegView leg) {
            Map<String, Object> m = legSummary(leg);
            m.put("srt_uri", leg.srtUri());
            m.put("connected_client", JsonViews.clientIp(leg.peers()));
            LinkStats s = JsonViews.orNone(leg.stats());
            JsonViews.putLastUpdated(m, s, System.currentTimeMillis());
            JsonViews.putStatsAndPeers(m, s, leg.peers(), ctx.json());
            return m;
        }
    }

    /** The pair one of whose legs has {@code key} (a listener's port, a caller's target port), if any. */
    static Optional<PairView> withLeg(StreamEngine engine, int key) {
        return engine.pairs().stream()
                .filter(p -> p.config().leg1().key() == key || p.config().leg2().key() == key).findFirst();
    }

    /** 409 for a port one of a pair's legs holds; {@code instead} says what to choose instead. */
    static ApiException usedByPair(int port, int pair, String instead) {
        return new ApiException(409, "Port " + port + " is already used by pair " + pair + ". Stop it first or choose "
                + instead + ".");
    }

    /** A pair's PairSummary: its shared settings and each leg's status. */
    static Map<String, Object> summary(PairView p) {
        PairConfig c = p.config();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("pair_id", p.key());
        m.put("connection_status", p.status().text());
        m.put("uptime", io.mcrsrt.streamer.system.SystemStatus.formatUptime(
                p.uptimeNanos(System.nanoTime()) / 1_000_000_000L));
        m.put("start_time", START_TIME.format(Instant.ofEpochMilli(p.startedAt())));
        m.put("input_type", c.input().inputType());
        m.put("source_detail", c.input().describe());
        m.put("ssrc", c.ssrc());
        m.put("latency", c.latencyMs());
        m.put("overhead_bandwidth", c.overheadPercent());
        m.put("encryption", c.encryption().wireName());
        m.put("passphrase_set", c.passphrase() != null);
        m.put("qos_enabled", c.qos());
        m.put("smoothing_latency_ms", c.smoothingLatencyMs());
        m.put("input_bitrate_mbps", p.inputBitrateMbps());
        JsonViews.putInputCounters(m, p.inputCounters());
        m.put("scte35_cues", p.scte35().count());
        List<Map<String, Object>> legs = new ArrayList<>();
        for (PairView.LegView leg : p.legs()) {
            legs.add(legSummary(leg));
        }
        m.put("legs", legs);
        return m;
    }

    private static Map<String, Object> legSummary(PairView.LegView view) {
        PairConfig.Leg leg = view.leg();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("key", leg.key());
        m.put("mode", leg.mode().wireName());
        m.put("port", leg.port());
        m.put("target_address", leg.targetAddress());
        m.put("target_port", leg.targetPort());
        m.put("target", leg.targetAddress() == null ? null
                : StreamConfig.hostPort(leg.targetAddress(), leg.targetPort()));
        m.put("interface", leg.interfaceName());
        m.put("connection_status", view.status().display(view.detail()));
        m.put("status_detail", view.detail());
        m.put("peers_connected", view.peers().size());
        return m;
    }
}
