package io.mcrsrt.streamer.nettest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mcrsrt.srt.testing.TestHostNames;
import io.mcrsrt.streamer.engine.testing.Peers;
import io.mcrsrt.streamer.impair.Impairment;
import io.mcrsrt.streamer.impair.LinkEmulator;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class SrtProbeTest {

    private static final InetAddress LO = InetAddress.getLoopbackAddress();

    @Test
    void probeThroughA100MillisecondTwoPercentLossPathMeasuresBoth() throws Exception {
        Impairment path = Impairment.delay(50).withLoss(2);
        // The emulated path must keep its delay on a machine busy with other builds.
        ThreadNiceness.runBoosted("probe-test", () -> {
            SrtProbeResult r = probeThrough(path, path);
            assertThat(r.lossPercent()).isBetween(1.0, 3.0);
            assertThat(r.returnLossPercent()).as("return path").isBetween(1.0, 3.0);
            return null;
        });
    }

    @Test
    void aLossyReturnPathIsMeasuredOnItsOwn() throws Exception {
        ThreadNiceness.runBoosted("probe-test", () -> {
            SrtProbeResult r = probeThrough(Impairment.delay(50), Impairment.delay(50).withLoss(4));
            assertThat(r.lossPercent()).as("the way out loses nothing").isLessThan(0.5);
            assertThat(r.returnLossPercent()).as("return path").isBetween(2.5, 5.5);
            return null;
        });
    }

    @Test
    void reorderedPacketsAreNotCountedAsLost() throws Exception {
        // 5 % of the datagrams each way arrive 5 ms late, overtaken by later ones; none is lost.
        Impairment path = Impairment.delay(50).withReorder(5);
        ThreadNiceness.runBoosted("probe-test", () -> {
            SrtProbeResult r = probeThrough(path, path);
            assertThat(r.lossPercent()).as("the way out").isLessThan(0.5);
            assertThat(r.returnLossPercent()).as("return path").isLessThan(0.5);
            return null;
        });
    }

    @Test
    void lossIsMeasuredWithoutTheReorderingOnTheSamePath() throws Exception {
        Impairment path = Impairment.delay(50).withLoss(2).withReorder(5);
        ThreadNiceness.runBoosted("probe-test", () -> {
            SrtProbeResult r = probeThrough(path, path);
            assertThat(r.lossPercent()).as("the way out").isBetween(1.0, 3.0);
            assertThat(r.returnLossPercent()).as("return path").isBetween(1.0, 3.0);
            return null;
        });
    }

    @Test
    void bandwidthEstimateFindsABottleneckFasterThanTheTestStream() throws Exception {
        // 20 Mbit/s each way under a 5 Mbit/s probe: nothing is lost, and the estimate sees the bottleneck.
        Impairment bottleneck = Impairment.NONE.withRate(20);
        ThreadNiceness.runBoosted("probe-test", () -> {
            try (ProbeResponder responder = ProbeResponder.start(new InetSocketAddress(LO, 0), null);
                    LinkEmulator emulator = LinkEmulator.start(new InetSocketAddress(LO, 0),
                            new InetSocketAddress(LO, responder.port()), bottleneck, bottleneck, 5)) {
                SrtProbeResult r = SrtProbe.run(new InetSocketAddress(LO, emulator.listenPort()), 5_000_000, 4, null);
                assertThat(r.lossPercent()).isZero();
                assertThat(r.bandwidthMbps()).isBetween(14.0, 24.0);
            }
            return null;
        });
    }

    private static SrtProbeResult probeThrough(Impairment out, Impairment back) throws Exception {
        try (ProbeResponder responder = ProbeResponder.start(new InetSocketAddress(LO, 0), null);
                LinkEmulator emulator = LinkEmulator.start(new InetSocketAddress(LO, 0),
                        new InetSocketAddress(LO, responder.port()), out, back, 7)) {
            SrtProbeResult r = SrtProbe.run(new InetSocketAddress(LO, emulator.listenPort()), 10_000_000, 6, null);
            double late = Math.max(emulator.toTargetCounters().maxLateMs(), emulator.toClientCounters().maxLateMs());
            boolean inRange = r.rttMs() >= 90 && r.rttMs() <= 110;
            // An RTT off by the time the machine held the relay back measures the machine, not the probe.
            Assumptions.assumeTrue(inRange || late < 5, () -> "The machine was too busy to emulate the path: the"
                    + " relay sent up to " + late + " ms late and the probe measured " + r.rttMs() + " ms");
            assertThat(r.rttMs()).isBetween(90.0, 110.0);
            assertThat(r.lossFromReceiver()).isTrue();
            assertThat(r.packetsSent()).isGreaterThan(4000);
            assertThat(r.packetsRetransmitted()).isGreaterThanOrEqualTo(r.packetsLost());
            assertThat(r.negotiatedLatencyMs()).isEqualTo(250);
            assertThat(emulator.toTargetCounters().lossPercent()).isCloseTo(out.lossPercent(), within(1.0));
            assertThat(emulator.toClientCounters().lossPercent()).isCloseTo(back.lossPercent(), within(1.0));
            assertThat(responder.probesServed()).isEqualTo(1);
            return r;
        }
    }

    @Test
    void probeWorksAgainstAPlainSrtLiveTransmitListener() throws Exception {
        int port;
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(LO, 0))) {
            port = s.getLocalPort();
        }
        Process slt = new ProcessBuilder("srt-live-transmit", "srt://127.0.0.1:" + port + "?mode=listener",
                "file://con").redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            SrtProbeResult r = null;
            for (int attempt = 0; attempt < 20 && r == null; attempt++) {
                try {
                    r = SrtProbe.run(new InetSocketAddress(LO, port), 5_000_000, 2, null);
                } catch (NetworkTestException listenerNotUpYet) {
                    Thread.sleep(250);
                }
            }
            assertThat(r).isNotNull();
            assertThat(r.lossPercent()).isZero();
            assertThat(r.lossFromReceiver()).isFalse();
            assertThat(r.returnLossPercent()).as("a plain listener sends nothing back").isNull();
            assertThat(r.rttMs()).isLessThan(20);
            assertThat(r.packetsSent()).isGreaterThan(800);
        } finally {
            slt.destroy();
            if (!slt.waitFor(5, TimeUnit.SECONDS)) {
                slt.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    /** A name with an IPv4 and an IPv6 address of loopback, IPv4 first as the JDK orders them. */
    private static String bothFamilies(String name) {
        TestHostNames.define(name, InetAddress.ofLiteral("127.0.0.1"), InetAddress.ofLiteral("::1"));
        return name;
    }

    @Test
    void aNameWithBothFamiliesReachesAResponderOnItsIpv6AddressOnly() throws Exception {
        String host = bothFamilies("probe-v6-listens.test");
        int port = Peers.freePort();
        try (ProbeResponder responder = ProbeResponder.start(new InetSocketAddress("::1", port), null)) {
            SrtProbeResult r = SrtProbe.run(host, port, 1_000_000, 1, null);
            assertThat(r.lossFromReceiver()).as("the responder reported").isTrue();
            assertThat(responder.probesServed()).isEqualTo(1);
        }
    }

    @Test
    void aRefusalAtTheFirstAddressIsTheAnswerAndTheOtherIsNotTried() throws Exception {
        String host = bothFamilies("probe-v4-refuses.test");
        int port = Peers.freePort();
        try (ProbeResponder refusing = ProbeResponder.start(new InetSocketAddress("127.0.0.1", port),
                        "the right passphrase");
                ProbeResponder wouldAccept = ProbeResponder.start(new InetSocketAddress("::1", port),
                        "not the right one")) {
            assertThatThrownBy(() -> SrtProbe.run(host, port, 1_000_000, 1, "not the right one"))
                    .isInstanceOf(NetworkTestException.class)
                    .hasMessageStartingWith("SRT connection to " + host + ":" + port + " failed: connecting to"
                            + " 127.0.0.1:" + port + ": ")
                    .hasMessageNotContaining("[::1]");
            assertThat(wouldAccept.probesServed()).isZero();
        }
    }

    @Test
    void whenNoAddressAnswersTheFailureNamesEach() throws Exception {
        String host = bothFamilies("probe-silent.test");
        int port = Peers.freePort();
        assertThatThrownBy(() -> SrtProbe.run(host, port, 1_000_000, 1, null))
                .isInstanceOf(NetworkTestException.class)
                .hasMessageStartingWith("SRT connection to " + host + ":" + port + " failed: none of its 2 addresses"
                        + " answered: connecting to 127.0.0.1:" + port + ": ")
                .hasMessageContaining("; connecting to [::1]:" + port + ": ");
    }

    @Test
    void bitrateOutOfRangeIsRefused() {
        assertThatThrownBy(() -> SrtProbe.run(new InetSocketAddress(LO, 9), 10, 2, null))
                .isInstanceOf(NetworkTestException.class)
                .hasMessageContaining("probe bitrate 10 bit/s is out of range");
    }
}
