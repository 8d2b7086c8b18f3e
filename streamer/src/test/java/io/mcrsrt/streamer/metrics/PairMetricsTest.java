package io.mcrsrt.streamer.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcrsrt.streamer.engine.LocalStreamEngine;
import io.mcrsrt.streamer.engine.input.UdpTsReceiverTest;
import io.mcrsrt.streamer.engine.testing.Await;
import io.mcrsrt.streamer.engine.testing.CueFile;
import io.mcrsrt.streamer.engine.testing.Peers;
import io.mcrsrt.streamer.engine.testing.TestMedia;
import io.mcrsrt.streamer.stream.EngineSettings;
import io.mcrsrt.streamer.stream.Encryption;
import io.mcrsrt.streamer.stream.InputCounters;
import io.mcrsrt.streamer.stream.InputSpec;
import io.mcrsrt.streamer.stream.Mode;
import io.mcrsrt.streamer.stream.PairConfig;
import io.mcrsrt.streamer.stream.PairView;
import io.mcrsrt.streamer.stream.StreamStatus;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A SMPTE 2022-7 pair's one input in {@code /metrics}: its rate, its silence and its own faults before the service,
 * labelled by pair, from a real engine fed RTP datagrams with one left out; and the SCTE-35 cues the pair sends.
 */
class PairMetricsTest {
    @TempDir
    Path data;

    @Test
    void aPairsInputFaultsBeforeTheServiceAreInItsMetrics() throws Exception {
        int portA = Peers.freePort();
        int portB = Peers.freePort();
        int key = Math.min(portA, portB);
        int udpPort = Peers.freePort();
        Path clip = TestMedia.shortClip();
        EngineSettings settings = new EngineSettings(clip.getParent(), data, 4, 1, 65535, 4);
        PairConfig pair = new PairConfig(new InputSpec.Multicast("127.0.0.1", udpPort, null, null),
                PairConfig.DEFAULT_SSRC, 1000, 25, Encryption.NONE, null, false, 30,
                new PairConfig.Leg(Mode.LISTENER, portA, null, null, "127.0.0.1"),
                new PairConfig.Leg(Mode.LISTENER, portB, null, null, "127.0.0.1"));
        try (LocalStreamEngine engine = LocalStreamEngine.openTransient(settings, 0);
                StreamMetrics metrics = new StreamMetrics(engine);
                DatagramChannel tx = DatagramChannel.open()) {
            engine.startPair(pair);
            Await.until(() -> engine.pairs().getFirst().status() == StreamStatus.INPUT_LOST, 20_000);
            String labels = "{input_type=\"multicast\",pair=\"" + key + "\"}";
            assertThat(metrics.scrape()).as("a silent input, nothing counted yet")
                    .contains("mcr_srt_pair_input_lost" + labels + " 1.0")
                    .contains("mcr_srt_pair_input_continuity_errors" + labels + " 0.0");

            InetSocketAddress to = new InetSocketAddress("127.0.0.1", udpPort);
            for (int seq = 0; seq < 20; seq++) {
                if (seq != 10) {
                    tx.send(ByteBuffer.wrap(UdpTsReceiverTest.rtp(UdpTsReceiverTest.tsDatagram(7, seq * 7), seq)), to);
                }
            }
            Await.until(() -> {
                InputCounters c = engine.pairs().getFirst().inputCounters();
                return c != null && c.rtpDatagramsLost() > 0;
            }, 10_000);
            PairView v = engine.pairs().getFirst();
            assertThat(v.inputCounters()).isEqualTo(new InputCounters(1, true, 1));
            assertThat(metrics.scrape())
                    .contains("mcr_srt_pair_input_continuity_errors" + labels + " 1.0")
                    .contains("mcr_srt_pair_input_rtp_lost" + labels + " 1.0")
                    .contains("mcr_srt_pair_input_bytes_per_second" + labels);
        }
    }

    @Test
    void theCuesAPairSendsAreCountedInItsMetric() throws Exception {
        int portA = Peers.freePort();
        int portB = Peers.freePort();
        int key = Math.min(portA, portB);
        int udpPort = Peers.freePort();
        // three seconds of a stream with a cue each second, its clock and continuity counters running on
        byte[] ts = Files.readAllBytes(CueFile.write(data.resolve("cues.ts"), CueFile.SPLICE_INSERT, 3));
        EngineSettings settings = new EngineSettings(data, data, 4, 1, 65535, 4);
        PairConfig pair = new PairConfig(new InputSpec.Multicast("127.0.0.1", udpPort, null, null),
                PairConfig.DEFAULT_SSRC, 1000, 25, Encryption.NONE, null, false, 30,
                new PairConfig.Leg(Mode.LISTENER, portA, null, null, "127.0.0.1"),
                new PairConfig.Leg(Mode.LISTENER, portB, null, null, "127.0.0.1"));
        try (LocalStreamEngine engine = LocalStreamEngine.openTransient(settings, 0);
                StreamMetrics metrics = new StreamMetrics(engine);
                DatagramChannel tx = DatagramChannel.open()) {
            engine.startPair(pair);
            Await.until(() -> engine.pairs().getFirst().status() == StreamStatus.INPUT_LOST, 20_000);
            String labels = "{input_type=\"multicast\",pair=\"" + key + "\"}";
            assertThat(metrics.scrape()).as("no cue yet").contains("mcr_srt_pair_scte35_cues" + labels + " 0.0");

            InetSocketAddress to = new InetSocketAddress("127.0.0.1", udpPort);
            int datagram = 7 * io.mcrsrt.ts.TsPacket.SIZE;
            for (int at = 0; at < ts.length; at += datagram) {
                tx.send(ByteBuffer.wrap(ts, at, Math.min(datagram, ts.length - at)), to);
            }
            Await.until(() -> engine.pairs().getFirst().scte35().count() >= 2, 10_000);
            long cues = engine.pairs().getFirst().scte35().count();
            assertThat(cues).isGreaterThanOrEqualTo(2);
            assertThat(metrics.scrape()).contains("mcr_srt_pair_scte35_cues" + labels + " " + (double) cues);
        }
    }
}
