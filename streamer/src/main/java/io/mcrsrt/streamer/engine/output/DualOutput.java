package io.mcrsrt.streamer.engine.output;

import io.mcrsrt.srt.AddressText;
import io.mcrsrt.streamer.engine.stats.StatsHistory;
import io.mcrsrt.streamer.stream.LinkStats;
import io.mcrsrt.streamer.stream.StatsSample;
import io.mcrsrt.streamer.stream.Mode;
import io.mcrsrt.streamer.stream.PairConfig;
import io.mcrsrt.streamer.stream.PairView;
import io.mcrsrt.streamer.stream.PeerView;
import io.mcrsrt.streamer.stream.StreamStatus;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The two legs of an SMPTE 2022-7 pair: every (already RTP-wrapped) message goes to both, identical. Each leg keeps
 * its own connections and statistics; {@link #legs()} is a snapshot front ends may read from any thread, and
 * {@link #history} each leg's last ten minutes of statistics, as a stream's.
 */
public final class DualOutput implements Output {
    private static final long PUBLISH_NANOS = 200_000_000L;

    private final PairConfig config;
    private final Output leg1;
    private final Output leg2;
    /** Each leg's {@code srt://} URL, with the address a listener leg bound. */
    private final String uri1;
    private final String uri2;
    private volatile List<PairView.LegView> legs;
    private long lastPublishNanos;
    /** Each leg's statistics, one sample a second, as a stream's. */
    private final List<StatsHistory> histories = List.of(new StatsHistory(), new StatsHistory());

    /** The leg's own interface, else for a listener leg the engine's listener address. */
    private static String local(PairConfig.Leg leg, String listenerAddress) {
        if (leg.interfaceName() != null && !leg.interfaceName().isBlank()) {
            return leg.interfaceName();
        }
        return leg.mode() == Mode.LISTENER ? listenerAddress : null;
    }

    /** What a listener leg bound, as written in its URL: an address as given, an interface's address; else null. */
    private static String bound(PairConfig.Leg leg, String local) throws java.io.IOException {
        if (local == null || leg.mode() != Mode.LISTENER) {
            return null;
        }
        return java.net.NetworkInterface.getByName(local) == null ? local
                : AddressText.of(Outputs.listenAddress(local));
    }

    private DualOutput(PairConfig config, Output leg1, Output leg2, String uri1, String uri2) {
        this.config = config;
        this.leg1 = leg1;
        this.leg2 = leg2;
        this.uri1 = uri1;
        this.uri2 = uri2;
        publish();
    }

    /** {@link Outputs#checkListenerPortFree} for each listener leg, where it would bind. */
    public static void checkListenerPortsFree(PairConfig config, String listenerAddress) throws java.io.IOException {
        for (PairConfig.Leg leg : List.of(config.leg1(), config.leg2())) {
            if (leg.mode() == Mode.LISTENER) {
                Outputs.checkListenerPortFree(leg.port(), local(leg, listenerAddress));
            }
        }
    }

    /** {@link Outputs#checkSendFrom} for each caller leg that names an interface. */
    public static void checkCallerInterfaces(PairConfig config) throws java.io.IOException {
        for (PairConfig.Leg leg : List.of(config.leg1(), config.leg2())) {
            if (leg.mode() == Mode.CALLER) {
                Outputs.checkSendFrom(leg.interfaceName());
            }
        }
    }

    /**
     * Opens both legs; if the second cannot open, the first is closed again.
     *
     * @param listenerAddress the address a listener leg binds when it names no interface of its own; null for every
     *                        address
     */
    public static DualOutput open(PairConfig config, int maxCallers, long bitsPerSecond, EventSink events,
            String listenerAddress) throws Exception {
        String local1 = local(config.leg1(), listenerAddress);
        String local2 = local(config.leg2(), listenerAddress);
        String uri1 = SrtSettings.srtUri(config.legConfig(config.leg1()), bound(config.leg1(), local1));
        String uri2 = SrtSettings.srtUri(config.legConfig(config.leg2()), bound(config.leg2(), local2));
        Output first = Outputs.open(config.legConfig(config.leg1()), maxCallers, bitsPerSecond,
                events.prefixed("leg 1: "), local1);
        try {
            Output second = Outputs.open(config.legConfig(config.leg2()), maxCallers, bitsPerSecond,
                    events.prefixed("leg 2: "), local2);
            return new DualOutput(config, first, second, uri1, uri2);
        } catch (Exception e) {
            first.close();
            throw e;
        }
    }

    /** Both legs' state, in the pair's order. */
    public List<PairView.LegView> legs() {
        return legs;
    }

    /**
     * Up to ten minutes of once-a-second statistics of one leg's primary connection, oldest first; any thread.
     *
     * @param leg 1 or 2, in the pair's order
     */
    public List<StatsSample> history(int leg) {
        if (leg != 1 && leg != 2) {
            throw new IllegalArgumentException("leg " + leg + " (expected: 1 or 2)");
        }
        return histories.get(leg - 1).snapshot();
    }

    @Override
    public void send(ByteBuffer message, long dueNanos) {
        leg1.send(message, dueNanos);
        leg2.send(message, dueNanos);
    }

    @Override
    public void tick(long nowNanos) {
        leg1.tick(nowNanos);
        leg2.tick(nowNanos);
        if (nowNanos - lastPublishNanos >= PUBLISH_NANOS) {
            lastPublishNanos = nowNanos;
            publish();
        }
    }

    private void publish() {
        legs = List.of(legView(config.leg1(), leg1, uri1), legView(config.leg2(), leg2, uri2));
        for (int i = 0; i < 2; i++) {
            histories.get(i).offer(legs.get(i).stats(), System.currentTimeMillis(), System.nanoTime());
        }
    }

    private static PairView.LegView legView(PairConfig.Leg leg, Output out, String uri) {
        return new PairView.LegView(leg, out.status(), out.statusDetail(), out.peers(), out.primaryStats(), uri);
    }

    /** Connected when either leg is: the receiver can rebuild the stream from one path. */
    @Override
    public StreamStatus status() {
        if (leg1.status() == StreamStatus.CONNECTED || leg2.status() == StreamStatus.CONNECTED) {
            return StreamStatus.CONNECTED;
        }
        return leg1.status();
    }

    @Override
    public String statusDetail() {
        return status() == StreamStatus.CONNECTED ? null : leg1.statusDetail();
    }

    @Override
    public boolean hasPeers() {
        return leg1.hasPeers() || leg2.hasPeers();
    }

    @Override
    public List<PeerView> peers() {
        List<PeerView> all = new ArrayList<>(leg1.peers());
        all.addAll(leg2.peers());
        return all;
    }

    @Override
    public LinkStats primaryStats() {
        LinkStats s = leg1.primaryStats();
        return s != null ? s : leg2.primaryStats();
    }

    @Override
    public void inputRate(long bitsPerSecond) {
        leg1.inputRate(bitsPerSecond);
        leg2.inputRate(bitsPerSecond);
    }

    @Override
    public void close() {
        try {
            leg1.close();
        } finally {
            leg2.close();
        }
    }
}
