package io.mcrsrt.streamer.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcrsrt.streamer.engine.input.Input;
import io.mcrsrt.streamer.engine.output.Output;
import io.mcrsrt.streamer.engine.output.Outputs;
import io.mcrsrt.streamer.engine.testing.Await;
import io.mcrsrt.streamer.engine.testing.Peers;
import io.mcrsrt.streamer.stream.LinkStats;
import io.mcrsrt.streamer.stream.PeerView;
import io.mcrsrt.streamer.stream.StreamConfig;
import io.mcrsrt.streamer.stream.StreamStatus;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * A live input that climbs (a multicast feed from a statistical multiplex going from a quiet scene to a busy one) has
 * its SRT rate cap raised within a fraction of a second: until then libsrt holds back what goes over the cap, and what
 * it holds back reaches the receiver with that much less of the latency, or too late to be played.
 */
class LiveRateRiseTest {
    private static final long LOW = 2_000_000;
    private static final long HIGH = 8_000_000;
    /** Pumps at the low rate before the climb: past the first once-a-second decisions. */
    private static final int STEP_AT_PUMP = 150;

    @Test
    void aLiveInputsClimbRaisesTheRateCapWithinAFewTicksNotAtTheEndOfItsSecond() throws Exception {
        StreamConfig config = EngineLifecycleTest.listener(Peers.freePort(), "clip.ts");
        SteppingInput input = new SteppingInput();
        List<long[]> caps = new CopyOnWriteArrayList<>(); // {bits per second, the input's pump count then}
        StreamRunner runner = new StreamRunner(config, () -> input,
                (events, bps) -> new RecordingOutput(Outputs.open(config, 4, bps, events), input, caps),
                10_000_000L, Outputs.srtUri(config));
        runner.start();
        try {
            assertThat(Await.until(() -> caps.stream().anyMatch(c -> c[0] >= HIGH * 0.95), 30_000))
                    .as("the cap reaches the climbed rate; caps set: %s", text(caps)).isTrue();
            long[] first = caps.stream().filter(c -> c[0] >= HIGH * 0.95).findFirst().orElseThrow();
            // a window is 100 ms, ten pumps of 10 ms: the climb is caught in the window it ends or the next one; a
            // slow machine pumps less often, never more. Once a second, it took 100-200 pumps.
            assertThat(first[1] - STEP_AT_PUMP).as("pumps from the climb to the raise; caps set: %s", text(caps))
                    .isLessThanOrEqualTo(30);
            assertThat(caps.stream().filter(c -> c[1] < STEP_AT_PUMP).mapToLong(c -> c[0]).max().orElse(0))
                    .as("before the climb the cap follows the low rate; caps set: %s", text(caps))
                    .isLessThan(LOW * 3 / 2);
        } finally {
            assertThat(runner.stop(5_000)).isTrue();
        }
    }

    private static String text(List<long[]> caps) {
        return caps.stream().map(c -> c[0] / 1000 + " kbit/s at pump " + c[1]).toList().toString();
    }

    /** Messages at {@link #LOW} bits a second for {@link #STEP_AT_PUMP} pumps, then at {@link #HIGH}, as a clock runs. */
    private static final class SteppingInput implements Input {
        private final ByteBuffer message = ByteBuffer.allocateDirect(1316);
        private volatile int pumps;
        private long lastNanos;
        private double owedBits;

        @Override
        public int pump(long maxWaitNanos, Sink sink) {
            LockSupport.parkNanos(maxWaitNanos);
            long now = System.nanoTime();
            if (lastNanos != 0) {
                owedBits += (pumps < STEP_AT_PUMP ? LOW : HIGH) * ((now - lastNanos) / 1e9);
            }
            lastNanos = now;
            pumps++;
            int bytes = 0;
            while (owedBits >= 1316 * 8) {
                owedBits -= 1316 * 8;
                sink.accept(message.clear(), 0);
                bytes += 1316;
            }
            return bytes;
        }

        @Override
        public boolean ended() {
            return false;
        }

        @Override
        public long lastDataNanos() {
            return System.nanoTime();
        }

        @Override
        public boolean canBeLost() {
            return true;
        }

        @Override
        public boolean startsWithFirstPeer() {
            return false;
        }

        @Override
        public long peakBitsPerSecond() {
            return 0; // live: no peak known ahead
        }

        @Override
        public void close() {
        }
    }

    /** A real SRT listener output that notes each rate cap set, with the input's pump count at the time. */
    private record RecordingOutput(Output inner, SteppingInput input, List<long[]> caps) implements Output {
        @Override
        public void inputRate(long bitsPerSecond) {
            caps.add(new long[] {bitsPerSecond, input.pumps});
            inner.inputRate(bitsPerSecond);
        }

        @Override
        public void send(ByteBuffer message, long dueNanos) {
            inner.send(message, dueNanos);
        }

        @Override
        public void tick(long nowNanos) {
            inner.tick(nowNanos);
        }

        @Override
        public StreamStatus status() {
            return inner.status();
        }

        @Override
        public String statusDetail() {
            return inner.statusDetail();
        }

        @Override
        public List<PeerView> peers() {
            return inner.peers();
        }

        @Override
        public LinkStats primaryStats() {
            return inner.primaryStats();
        }

        @Override
        public void close() {
            inner.close();
        }
    }
}
