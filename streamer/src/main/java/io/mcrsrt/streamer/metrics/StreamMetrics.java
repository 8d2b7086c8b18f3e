package io.mcrsrt.streamer.metrics;

import static io.mcrsrt.streamer.metrics.BaseUnits.bytesPerSecond;
import static io.mcrsrt.streamer.metrics.BaseUnits.ratio;
import static io.mcrsrt.streamer.metrics.BaseUnits.seconds;

import com.sun.management.OperatingSystemMXBean;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.mcrsrt.streamer.stream.InputCounters;
import io.mcrsrt.streamer.stream.LinkStats;
import io.mcrsrt.streamer.stream.PairView;
import io.mcrsrt.streamer.stream.PeerView;
import io.mcrsrt.streamer.stream.StreamEngine;
import io.mcrsrt.streamer.stream.StreamStatus;
import io.mcrsrt.streamer.stream.StreamView;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The Prometheus view of the streams: per stream and per SRT connection gauges, labelled {@code key}, {@code mode},
 * {@code input_type} (and {@code peer} per connection), per leg of each SMPTE 2022-7 pair (labelled {@code pair},
 * {@code leg} 1 or 2, {@code mode}), per pair for its one input (labelled {@code pair}, {@code input_type}), plus JVM
 * and process metrics. The gauges are refreshed from the
 * engine's snapshots at each scrape; they never touch a socket. Thread-safe: scrapes are serialised.
 */
public final class StreamMetrics implements AutoCloseable {
    private static final String PREFIX = "mcr_srt_";

    /** What one stream gauge reads. */
    private enum StreamGauge {
        CONNECTED("stream_connected", "1 when at least one SRT connection is up",
                v -> connected(v.peers(), v.status())),
        PEERS("stream_peers", "SRT connections of the stream", v -> v.peers().size()),
        INPUT_RATE("stream_input_bytes_per_second", "input rate over the last second, bytes per second",
                v -> bytesPerSecond(v.inputBitrateMbps())),
        UPTIME("stream_uptime_seconds", "seconds since the stream started",
                v -> v.uptimeNanos(System.nanoTime()) / 1e9),
        RECONNECTS("stream_reconnects", "connections lost since the stream started (a caller's link broke, or a caller"
                + " left the listener); only grows", StreamView::linkBreaks),
        SCTE35_CUES("stream_scte35_cues", "SCTE-35 cues (splice_info_sections) the stream has sent since it started,"
                + " decoded or not; only grows", v -> v.scte35().count()),
        INPUT_LOST("stream_input_lost", "1 while a network input is silent (status Input lost)",
                v -> v.status() == StreamStatus.INPUT_LOST ? 1 : 0),
        INPUT_CC_ERRORS("stream_input_continuity_errors", "TS continuity counter errors on a network input since the"
                + " stream started: packets lost or out of order before this service; only grows",
                v -> continuityErrors(v.inputCounters())),
        INPUT_RTP_LOST("stream_input_rtp_lost", "RTP datagrams of an RTP-wrapped network input that never arrived,"
                + " since the stream started", v -> rtpLost(v.inputCounters())),
        SEND_RATE("stream_send_bytes_per_second", "send rate of the primary connection, bytes per second",
                s(l -> bytesPerSecond(l.bitrateMbps()))),
        RTT("stream_rtt_seconds", "round-trip time of the primary connection, seconds", s(l -> seconds(l.rttMs()))),
        LOSS("stream_packet_loss_ratio", "packets sent again / packets sent on the primary connection since it"
                + " started, 0 to 1", s(l -> ratio(l.packetLossPercent()))),
        SENT("stream_packets_sent", "packets sent on the primary connection since it started",
                s(LinkStats::packetsSentTotal)),
        LOST("stream_packets_lost", "packets reported lost on the primary connection since it started",
                s(LinkStats::packetsLostTotal)),
        RETRANSMITTED("stream_packets_retransmitted", "packets retransmitted on the primary connection since it"
                + " started", s(LinkStats::packetsRetransmittedTotal)),
        DROPPED("stream_packets_dropped", "packets the primary connection gave up sending as too late since it"
                + " started (not those the receiver gave up on)", s(LinkStats::packetsDroppedTotal)),
        SEND_BUFFER("stream_send_buffer_seconds", "send buffer level of the primary connection, seconds",
                s(l -> seconds(l.sendBufferLevelMs()))),
        RECV_BUFFER("stream_recv_buffer_seconds", "receive buffer level of the primary connection, seconds",
                s(l -> seconds(l.recvBufferLevelMs()))),
        LATENCY("stream_negotiated_latency_seconds", "SRT latency agreed in the handshake, seconds",
                s(l -> seconds(l.negotiatedLatencyMs())));

        final String name;
        final String help;
        final ToDoubleFunction<StreamView> read;

        StreamGauge(String name, String help, ToDoubleFunction<StreamView> read) {
            this.name = name;
            this.help = help;
            this.read = read;
        }

        static ToDoubleFunction<StreamView> s(ToDoubleFunction<LinkStats> f) {
            return v -> v.stats() == null ? Double.NaN : f.applyAsDouble(v.stats());
        }
    }

    /** What one per-connection gauge reads. */
    private enum PeerGauge {
        SEND_RATE("connection_send_bytes_per_second", "send rate, bytes per second",
                s(l -> bytesPerSecond(l.bitrateMbps()))),
        RTT("connection_rtt_seconds", "round-trip time, seconds", s(l -> seconds(l.rttMs()))),
        LOSS("connection_packet_loss_ratio", "packets sent again / packets sent since the connection started,"
                + " 0 to 1", s(l -> ratio(l.packetLossPercent()))),
        SENT("connection_packets_sent", "packets sent since the connection started", s(LinkStats::packetsSentTotal)),
        RETRANSMITTED("connection_packets_retransmitted", "packets retransmitted since the connection started",
                s(LinkStats::packetsRetransmittedTotal)),
        DROPPED("connection_packets_dropped", "packets given up sending as too late since the connection started"
                + " (not those the receiver gave up on)", s(LinkStats::packetsDroppedTotal)),
        NOT_DELIVERED("connection_packets_not_delivered", "packets a listener's caller was not given since it"
                + " connected: refused by a full send buffer, or given up unacknowledged as too late",
                PeerView::packetsNotDelivered),
        SEND_BUFFER("connection_send_buffer_seconds", "send buffer level, seconds",
                s(l -> seconds(l.sendBufferLevelMs()))),
        LATENCY("connection_negotiated_latency_seconds", "SRT latency agreed in the handshake, seconds",
                s(l -> seconds(l.negotiatedLatencyMs())));

        final String name;
        final String help;
        final ToDoubleFunction<PeerView> read;

        PeerGauge(String name, String help, ToDoubleFunction<PeerView> read) {
            this.name = name;
            this.help = help;
            this.read = read;
        }

        static ToDoubleFunction<PeerView> s(ToDoubleFunction<LinkStats> f) {
            return p -> f.applyAsDouble(p.stats());
        }
    }

    /**
     * What one gauge of a SMPTE 2022-7 pair's input reads (the one input both legs carry), and of what both legs send
     * of it; NaN is left out.
     */
    private enum PairGauge {
        INPUT_RATE("pair_input_bytes_per_second", "the pair's input rate over the last second, bytes per second",
                p -> bytesPerSecond(p.inputBitrateMbps())),
        INPUT_LOST("pair_input_lost", "1 while the pair's network input is silent (status Input lost)",
                p -> p.status() == StreamStatus.INPUT_LOST ? 1 : 0),
        INPUT_CC_ERRORS("pair_input_continuity_errors", "TS continuity counter errors on the pair's network input"
                + " since it started: packets lost or out of order before this service; only grows",
                p -> continuityErrors(p.inputCounters())),
        INPUT_RTP_LOST("pair_input_rtp_lost", "RTP datagrams of the pair's RTP-wrapped network input that never"
                + " arrived, since it started", p -> rtpLost(p.inputCounters())),
        SCTE35_CUES("pair_scte35_cues", "SCTE-35 cues (splice_info_sections) the pair has sent since it started,"
                + " decoded or not; only grows", p -> p.scte35().count());

        final String name;
        final String help;
        final ToDoubleFunction<PairView> read;

        PairGauge(String name, String help, ToDoubleFunction<PairView> read) {
            this.name = name;
            this.help = help;
            this.read = read;
        }
    }

    /** What one gauge of a SMPTE 2022-7 pair's leg reads; NaN (left out) while the leg has no statistics. */
    private enum LegGauge {
        CONNECTED("pair_leg_connected", "1 when the leg has an SRT connection up",
                l -> connected(l.peers(), l.status())),
        PEERS("pair_leg_peers", "SRT connections of the leg", l -> l.peers().size()),
        SEND_RATE("pair_leg_send_bytes_per_second", "send rate of the leg's primary connection, bytes per second",
                s(l -> bytesPerSecond(l.bitrateMbps()))),
        RTT("pair_leg_rtt_seconds", "round-trip time of the leg's primary connection, seconds",
                s(l -> seconds(l.rttMs()))),
        LOSS("pair_leg_packet_loss_ratio", "packets sent again / packets sent on the leg's primary connection since"
                + " it started, 0 to 1", s(l -> ratio(l.packetLossPercent()))),
        RETRANSMITTED("pair_leg_packets_retransmitted", "packets retransmitted on the leg's primary connection since"
                + " it started", s(LinkStats::packetsRetransmittedTotal)),
        DROPPED("pair_leg_packets_dropped", "packets the leg's primary connection gave up sending as too"
                + " late since it started (not those the receiver gave up on)", s(LinkStats::packetsDroppedTotal)),
        LATENCY("pair_leg_negotiated_latency_seconds", "SRT latency agreed in the leg's handshake, seconds",
                s(l -> seconds(l.negotiatedLatencyMs())));

        final String name;
        final String help;
        final ToDoubleFunction<PairView.LegView> read;

        LegGauge(String name, String help, ToDoubleFunction<PairView.LegView> read) {
            this.name = name;
            this.help = help;
            this.read = read;
        }

        static ToDoubleFunction<PairView.LegView> s(ToDoubleFunction<LinkStats> f) {
            return l -> l.stats() == null ? Double.NaN : f.applyAsDouble(l.stats());
        }
    }

    /** A network input's continuity errors; NaN (left out) for an input with no path before the service. */
    private static double continuityErrors(InputCounters c) {
        return c == null ? Double.NaN : c.continuityErrors();
    }

    /** An RTP-wrapped network input's lost datagrams; NaN (left out) for raw TS and inputs with no path. */
    private static double rtpLost(InputCounters c) {
        return c == null || !c.rtp() ? Double.NaN : c.rtpDatagramsLost();
    }

    /** 1 when a stream or leg has a connection up: a peer, or a caller's link that reports itself connected. */
    private static double connected(List<PeerView> peers, StreamStatus status) {
        return peers.isEmpty() && status != StreamStatus.CONNECTED ? 0 : 1;
    }

    private final StreamEngine engine;
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<StreamGauge, MultiGauge> streamGauges = new EnumMap<>(StreamGauge.class);
    private final Map<PeerGauge, MultiGauge> peerGauges = new EnumMap<>(PeerGauge.class);
    private final Map<LegGauge, MultiGauge> legGauges = new EnumMap<>(LegGauge.class);
    private final Map<PairGauge, MultiGauge> pairGauges = new EnumMap<>(PairGauge.class);
    private final JvmGcMetrics gc = new JvmGcMetrics();

    public StreamMetrics(StreamEngine engine) {
        this.engine = engine;
        // First: a filter applies only to the meters registered after it, and Micrometer warns in the log at every
        // start of a filter configured after any meter.
        micrometersMetersInPrometheusNames(registry);
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        Gauge.builder(PREFIX + "streams", engine, e -> e.streams().size())
                .description("streams listed, running or not (pairs not included)").register(registry);
        for (StreamGauge g : StreamGauge.values()) {
            streamGauges.put(g, MultiGauge.builder(PREFIX + g.name).description(g.help).register(registry));
        }
        for (PeerGauge g : PeerGauge.values()) {
            peerGauges.put(g, MultiGauge.builder(PREFIX + g.name).description(g.help).register(registry));
        }
        Gauge.builder(PREFIX + "pairs", engine, e -> e.pairs().size())
                .description("SMPTE 2022-7 pairs running").register(registry);
        for (LegGauge g : LegGauge.values()) {
            legGauges.put(g, MultiGauge.builder(PREFIX + g.name).description(g.help).register(registry));
        }
        for (PairGauge g : PairGauge.values()) {
            pairGauges.put(g, MultiGauge.builder(PREFIX + g.name).description(g.help).register(registry));
        }
    }

    /**
     * Names Micrometer's two process and system meters that break Prometheus's naming rules as Prometheus expects, so
     * that the whole scrape lints clean: {@code process_cpu_time_ns_total}, counted in nanoseconds, is
     * {@code process_cpu_seconds_total}, as Prometheus's own client libraries name it, and {@code system_cpu_count}, a
     * gauge with the suffix of a histogram's count, is {@code system_cpus}. Called before the meters are bound: a
     * filter applies to the meters registered after it.
     */
    private static void micrometersMetersInPrometheusNames(MeterRegistry registry) {
        registry.config()
                .meterFilter(MeterFilter.deny(id -> id.getName().equals("process.cpu.time")))
                .meterFilter(new MeterFilter() {
                    @Override
                    public Meter.Id map(Meter.Id id) {
                        return id.getName().equals("system.cpu.count") ? id.withName("system.cpus") : id;
                    }
                });
        if (ManagementFactory.getOperatingSystemMXBean() instanceof OperatingSystemMXBean os) {
            FunctionCounter.builder("process.cpu", os, b -> {
                long nanos = b.getProcessCpuTime();
                return nanos < 0 ? Double.NaN : nanos / 1e9;
            }).baseUnit("seconds").description("CPU time the Java virtual machine process has used").register(registry);
        }
    }

    /** Refreshes the stream gauges from the engine and renders everything in the Prometheus text format. */
    public synchronized String scrape() {
        List<StreamView> views = engine.streams();
        for (StreamGauge g : StreamGauge.values()) {
            List<MultiGauge.Row<?>> rows = new ArrayList<>();
            for (StreamView v : views) {
                double value = g.read.applyAsDouble(v);
                if (!Double.isNaN(value)) {
                    rows.add(MultiGauge.Row.of(tags(v), value));
                }
            }
            streamGauges.get(g).register(rows, true);
        }
        for (PeerGauge g : PeerGauge.values()) {
            List<MultiGauge.Row<?>> rows = new ArrayList<>();
            for (StreamView v : views) {
                for (PeerView p : v.peers()) {
                    if (p.stats() != null) {
                        rows.add(MultiGauge.Row.of(tags(v).and("peer", p.address()), g.read.applyAsDouble(p)));
                    }
                }
            }
            peerGauges.get(g).register(rows, true);
        }
        List<PairView> pairs = engine.pairs();
        for (LegGauge g : LegGauge.values()) {
            List<MultiGauge.Row<?>> rows = new ArrayList<>();
            for (PairView pair : pairs) {
                for (int i = 0; i < pair.legs().size(); i++) {
                    PairView.LegView leg = pair.legs().get(i);
                    double value = g.read.applyAsDouble(leg);
                    if (!Double.isNaN(value)) {
                        rows.add(MultiGauge.Row.of(Tags.of("pair", String.valueOf(pair.key()), "leg",
                                String.valueOf(i + 1), "mode", leg.leg().mode().wireName()), value));
                    }
                }
            }
            legGauges.get(g).register(rows, true);
        }
        for (PairGauge g : PairGauge.values()) {
            List<MultiGauge.Row<?>> rows = new ArrayList<>();
            for (PairView pair : pairs) {
                double value = g.read.applyAsDouble(pair);
                if (!Double.isNaN(value)) {
                    rows.add(MultiGauge.Row.of(Tags.of("pair", String.valueOf(pair.key()), "input_type",
                            pair.config().input().inputType()), value));
                }
            }
            pairGauges.get(g).register(rows, true);
        }
        return registry.scrape();
    }

    /** The registry, for the service's own meters. */
    public PrometheusMeterRegistry registry() {
        return registry;
    }

    private static Tags tags(StreamView v) {
        return Tags.of("key", String.valueOf(v.key()), "mode", v.config().mode().wireName(), "input_type",
                v.config().input().inputType());
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
