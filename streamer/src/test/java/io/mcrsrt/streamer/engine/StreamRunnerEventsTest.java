package io.mcrsrt.streamer.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcrsrt.streamer.engine.output.Outputs;
import io.mcrsrt.streamer.engine.testing.Await;
import io.mcrsrt.streamer.engine.testing.Peers;
import io.mcrsrt.streamer.stream.ConnectionEvent;
import io.mcrsrt.streamer.stream.Scte35Cues;
import io.mcrsrt.streamer.stream.StreamConfig;
import io.mcrsrt.streamer.stream.StreamStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a stream's event list keeps. */
class StreamRunnerEventsTest {

    /**
     * A channel with a cue every few seconds, or a short looped file with one a pass, tells hundreds of cues an hour:
     * they are kept apart, as many as the cues the stream shows, so that they never push the connection events (who
     * connected, broke, was refused) out of the list.
     */
    @Test
    void cuesNeverPushTheConnectionEventsOut() throws Exception {
        StreamConfig config = EngineLifecycleTest.caller(Peers.freePort(), "clip.ts");
        StreamRunner runner = new StreamRunner(config, () -> {
            throw new IllegalStateException("no input in this test");
        }, (events, bps) -> Outputs.open(config, 4, bps, events), 0, Outputs.srtUri(config));
        runner.record("connected", "192.0.2.7:5000 connected");
        for (int i = 0; i < StreamRunner.MAX_EVENTS + 50; i++) {
            runner.record(Scte35Watch.EVENT, "PID 0x01F0: Time Signal " + i);
        }
        runner.start();
        try {
            assertThat(Await.until(() -> runner.view().status() == StreamStatus.START_ERROR, 20_000)).isTrue();
            List<ConnectionEvent> events = runner.view().events();
            assertThat(events).extracting(ConnectionEvent::kind).startsWith("connected");
            assertThat(events).filteredOn(e -> e.kind().equals(Scte35Watch.EVENT)).hasSize(Scte35Cues.RECENT)
                    .last().satisfies(e -> assertThat(e.detail()).endsWith("Time Signal 249"));
        } finally {
            assertThat(runner.stop(5_000)).isTrue();
        }
    }
}
