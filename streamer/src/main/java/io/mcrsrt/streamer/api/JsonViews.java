package io.mcrsrt.streamer.api;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.util.RawValue;
import io.mcrsrt.streamer.stream.InputCounters;
import io.mcrsrt.streamer.stream.InputSpec;
import io.mcrsrt.streamer.stream.LinkStats;
import io.mcrsrt.streamer.stream.PeerView;
import io.mcrsrt.streamer.stream.Scte35Cues;
import io.mcrsrt.streamer.stream.StatsSample;
import io.mcrsrt.streamer.stream.StreamConfig;
import io.mcrsrt.streamer.stream.StreamView;
import io.mcrsrt.streamer.system.SystemStatus;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The API's JSON shapes of a stream, in the original tool's field names: Summary ({@code GET /api/streams}), Stats
 * ({@code GET /api/stats/{key}}) and Debug ({@code GET /api/debug/{key}}). No shape ever carries a passphrase.
 */
public final class JsonViews {
    private static final DateTimeFormatter START_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final LinkStats NO_STATS = new LinkStats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
            0, 0, 0, 0, 0, 0, 0, 0, 0);

    private JsonViews() {
    }

    /**
     * The service's mapper: records in snake_case, map keys as given. A body must be one JSON value and nothing
     * after it: {@code {"port": 10001} {"port": 10002}} (two requests run together by a script) is refused rather
     * than acted on by its first half; a field given twice ({@code {"port": 10001, "port": 10002}}) is refused rather
     * than read as its last value.
     */
    public static ObjectMapper mapper() {
        return new ObjectMapper()
                .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    }

    /**
     * Epoch seconds with milliseconds, written as plain digits ({@code 1795395291.246}) as the original's
     * {@code time.time()} was: a double comes out as {@code 1.795395291246E9}, which a script cutting the text
     * does not expect.
     */
    static java.math.BigDecimal epochSeconds(long millis) {
        return java.math.BigDecimal.valueOf(millis, 3);
    }

    /** {@code {"data": {"<key>": Summary}}}. */
    public static Map<String, Object> streamList(List<StreamView> views) {
        Map<String, Object> data = new LinkedHashMap<>();
        for (StreamView v : views) {
            data.put(String.valueOf(v.key()), summary(v));
        }
        return Map.of("data", data);
    }

    /**
     * The live {@code streams} event's data: {@link #streamList} with each stream's connected peers added as
     * {@code peers} ({@code [{address, stream_id}]}), so that a page showing every caller's address needs no request
     * per stream. {@code GET /api/streams} (the original tool's answer) stays without them.
     */
    static Map<String, Object> streamListWithPeers(List<StreamView> views) {
        Map<String, Object> data = new LinkedHashMap<>();
        for (StreamView v : views) {
            Map<String, Object> m = summary(v);
            m.put("peers", v.peers().stream().map(JsonViews::peerIdentity).toList());
            data.put(String.valueOf(v.key()), m);
        }
        return Map.of("data", data);
    }

    /** One stream's Summary. */
    public static Map<String, Object> summary(StreamView v) {
        StreamConfig c = v.config();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("key", v.key());
        m.put("mode", c.mode().wireName());
        m.put("connection_status", v.connectionStatus());
        m.put("uptime", uptime(v));
        m.put("input_type", inputType(c.input()));
        m.put("source_detail", sourceDetail(c.input()));
        m.put("latency", c.latencyMs());
        m.put("overhead_bandwidth", c.overheadPercent());
        m.put("encryption", c.encryption().wireName());
        m.put("passphrase_set", c.passphraseSet());
        m.put("qos_enabled", c.qos());
        m.put("smoothing_latency_ms", c.smoothingLatencyMs());
        // the original's: a caller's is the port it calls, which is also its key
        m.put("port", c.port() != null ? c.port() : c.targetPort());
        m.put("target", c.targetAddress() == null ? null : StreamConfig.hostPort(c.targetAddress(), c.targetPort()));
        m.put("client_ip", clientIp(v.peers()));
        m.put("srt_uri", v.srtUri());
        m.put("start_time", START_TIME.format(Instant.ofEpochMilli(v.startedAt())));
        m.put("config", config(c));
        m.put("peers_connected", v.peers().size());
        m.put("input_bitrate_mbps", v.inputBitrateMbps());
        putInputCounters(m, v.inputCounters());
        m.put("scte35_cues", v.scte35().count());
        // why the status is what it is (e.g. why a saved stream could not start again), or null
        m.put("status_detail", v.statusDetail());
        return m;
    }

    /** One stream's Stats: the primary connection's statistics, per-caller statistics and the API timestamp. */
    public static Map<String, Object> stats(StreamView v, ObjectMapper json, long nowMillis) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("connection_status", v.connectionStatus());
        m.put("connected_client", clientIp(v.peers()));
        m.put("uptime", uptime(v));
        LinkStats s = orNone(v.stats());
        putLastUpdated(m, s, nowMillis);
        m.put("config", config(v.config()));
        putStatsAndPeers(m, s, v.peers(), json);
        putInputCounters(m, v.inputCounters());
        m.put("scte35_cues", v.scte35().count());
        m.put("timestamp_api", epochSeconds(nowMillis));
        return m;
    }

    /**
     * The SCTE-35 cues a stream has sent ({@code GET /api/streams/{key}/scte35}): {@code count} and {@code errors}
     * since it started, and {@code cues}, the last {@link Scte35Cues#RECENT}, oldest first, each with its time, PID,
     * the figures a table shows, its {@code summary} in words and the whole {@code cue} as {@code mcr-srt scte35
     * --json} gives it (or its {@code error}).
     */
    public static Map<String, Object> scte35(int key, Scte35Cues cues) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("key", key);
        m.put("count", cues.count());
        m.put("errors", cues.errors());
        List<Map<String, Object>> list = new ArrayList<>();
        for (Scte35Cues.Cue c : cues.recent()) {
            Map<String, Object> cm = new LinkedHashMap<>();
            cm.put("timestamp", epochSeconds(c.timeMillis()));
            cm.put("timestamp_millis", c.timeMillis());
            cm.put("pid", c.pid());
            cm.put("command", c.command());
            cm.put("event_id", c.eventId());
            cm.put("pts_s", c.ptsSeconds());
            cm.put("duration_s", c.durationSeconds());
            cm.put("summary", c.summary());
            if (c.json() != null) {
                cm.put("cue", new RawValue(c.json())); // as Scte35Json wrote it once, when the cue went out
            } else {
                cm.put("error", c.error());
            }
            list.add(cm);
        }
        m.put("cues", list);
        return m;
    }

    /**
     * A history sample as the API gives it: its statistics' fields, as a Stats sample, then {@code age_millis}, how
     * long before the request the service kept it by its monotonic clock. Two samples' ages differ by the time that
     * really went by between them, whatever a step of the wall clock did to their {@code timestamp_millis}: the pages
     * tell a clock step from seconds without samples by it.
     */
    public record HistorySample(@JsonUnwrapped LinkStats stats, long ageMillis) {
    }

    /** A history's samples as the API gives them ({@link HistorySample}), their ages reckoned at {@code nowNanos}. */
    public static List<HistorySample> history(List<StatsSample> samples, long nowNanos) {
        List<HistorySample> out = new ArrayList<>(samples.size());
        for (StatsSample s : samples) {
            out.add(new HistorySample(s.stats(), Math.max(0, (nowNanos - s.monotonicNanos()) / 1_000_000L)));
        }
        return out;
    }

    /**
     * A network input's own faults, upstream of SRT: {@code input_continuity_errors} and {@code input_rtp_lost}
     * (RTP-wrapped input only); null where they do not apply (a file, colour bars; RTP lost on raw TS).
     */
    static void putInputCounters(Map<String, Object> m, InputCounters c) {
        m.put("input_continuity_errors", c == null ? null : c.continuityErrors());
        m.put("input_rtp_lost", c == null || !c.rtp() ? null : c.rtpDatagramsLost());
    }

    /** The statistics of a link, or all zero before its first sample. */
    static LinkStats orNone(LinkStats stats) {
        return stats == null ? NO_STATS : stats;
    }

    /**
     * A link's {@code last_updated}, epoch seconds as the original's: when its statistics were sampled, or the time
     * of the answer before the first sample (the original always gave the time of the answer).
     */
    static void putLastUpdated(Map<String, Object> m, LinkStats s, long nowMillis) {
        m.put("last_updated", epochSeconds(s.timestampMillis() == 0 ? nowMillis : s.timestampMillis()));
    }

    /** Who a peer is, {@code {address, stream_id}}: the start of each peer in the statistics and the live list. */
    private static Map<String, Object> peerIdentity(PeerView p) {
        Map<String, Object> pm = new LinkedHashMap<>();
        pm.put("address", p.address());
        pm.put("stream_id", p.streamId());
        return pm;
    }

    /** A link's statistics, flattened, then {@code peers} with each caller's own: shared by streams and pair legs. */
    static void putStatsAndPeers(Map<String, Object> m, LinkStats s, List<PeerView> peerViews, ObjectMapper json) {
        @SuppressWarnings("unchecked")
        Map<String, Object> flat = json.convertValue(s, Map.class);
        m.putAll(flat);
        List<Map<String, Object>> peers = new ArrayList<>();
        for (PeerView p : peerViews) {
            Map<String, Object> pm = peerIdentity(p);
            pm.put("connected_at", p.connectedAt());
            pm.put("stats", p.stats());
            pm.put("packets_not_delivered", p.packetsNotDelivered());
            peers.add(pm);
        }
        m.put("peers", peers);
    }

    /** One stream's Debug view: everything the support desk needs, passphrase masked. */
    public static Map<String, Object> debug(StreamView v, ObjectMapper json, long nowMillis) {
        StreamConfig c = v.config();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("key", v.key());
        m.put("mode", c.mode().wireName());
        m.put("input", inputType(c.input()));
        m.put("src", c.input() instanceof InputSpec.Multicast ? "udp://" + c.input().describe()
                : sourceDetail(c.input()));
        m.put("target", c.targetAddress());
        m.put("uri", v.srtUri());
        m.put("stat", v.connectionStatus());
        m.put("client_ip", clientIp(v.peers()));
        m.put("uptime", uptime(v));
        Map<String, Object> cfg = config(c);
        if (c.passphraseSet()) {
            cfg.put("passphrase", "********");
        }
        m.put("cfg", cfg);
        m.put("hist", v.events());
        m.put("pipeline_state", v.status().name());
        m.put("status_detail", v.statusDetail());
        m.put("raw_stats", v.stats());
        m.put("parsed_stats", stats(v, json, nowMillis));
        return m;
    }

    /** The stream's definition in request field names, without the passphrase. */
    public static Map<String, Object> config(StreamConfig c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mode", c.mode().wireName());
        m.put("input_type", inputType(c.input()));
        m.put("port", c.port());
        m.put("target_address", c.targetAddress());
        m.put("target_port", c.targetPort());
        switch (c.input()) {
            case InputSpec.File f -> {
                m.put("file_path", f.relativePath());
                m.put("loop", f.loop());
            }
            case InputSpec.Multicast mc -> {
                m.put("multicast_address", mc.address());
                m.put("multicast_port", mc.port());
                m.put("multicast_interface", mc.interfaceName());
                m.put("multicast_source", mc.sourceAddress());
            }
            case InputSpec.ColorBars b -> m.put("colorbar_resolution", b.format().label());
        }
        m.put("latency", c.latencyMs());
        m.put("overhead_bandwidth", c.overheadPercent());
        m.put("encryption", c.encryption().wireName());
        m.put("passphrase_set", c.passphraseSet());
        m.put("qos", c.qos());
        m.put("smoothing_latency_ms", c.smoothingLatencyMs());
        m.put("rtp_encapsulation", c.rtpEncapsulation());
        m.put("stream_id", c.effectiveStreamId());
        return m;
    }

    /**
     * A stream's {@code input_type} in answers, the original's: {@code colorbar} for colour bars, whose format is in
     * {@code source_detail} and the config's {@code colorbar_resolution} (a request names it in the input type).
     */
    static String inputType(InputSpec input) {
        return input instanceof InputSpec.ColorBars ? "colorbar" : input.inputType();
    }

    /** A stream's {@code source_detail}: the file, the UDP address, or {@code Colorbars 720p50} as the original. */
    static String sourceDetail(InputSpec input) {
        return input instanceof InputSpec.ColorBars b ? "Colorbars " + b.format().label() : input.describe();
    }

    /**
     * The first connected peer's address without its port, as the original's {@code client_ip} and
     * {@code connected_client} ({@code 192.0.2.7}, {@code 2001:db8::7}); each peer's address with its port is in
     * {@code peers}. Null with no peer.
     */
    static String clientIp(List<PeerView> peers) {
        if (peers.isEmpty()) {
            return null;
        }
        String address = peers.getFirst().address();
        int colon = address.lastIndexOf(':');
        if (address.startsWith("[")) {
            return address.substring(1, address.indexOf(']'));
        }
        return colon > 0 && address.indexOf(':') == colon ? address.substring(0, colon) : address;
    }

    /** By the monotonic clock, which a step of the wall clock (NTP, an operator) does not move. */
    private static String uptime(StreamView v) {
        return SystemStatus.formatUptime(v.uptimeNanos(System.nanoTime()) / 1_000_000_000L);
    }
}
