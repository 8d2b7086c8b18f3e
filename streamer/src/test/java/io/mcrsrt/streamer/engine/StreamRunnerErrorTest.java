package io.mcrsrt.streamer.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcrsrt.streamer.engine.input.FileInput;
import io.mcrsrt.streamer.engine.input.Input;
import io.mcrsrt.streamer.engine.output.Outputs;
import io.mcrsrt.streamer.engine.testing.Await;
import io.mcrsrt.streamer.engine.testing.Peers;
import io.mcrsrt.streamer.engine.testing.TestMedia;
import io.mcrsrt.streamer.stream.StreamConfig;
import io.mcrsrt.streamer.stream.StreamStatus;
import org.junit.jupiter.api.Test;

/** An Error in a stream's thread ends the stream visibly: status Error with the reason, never "Starting" for ever. */
class StreamRunnerErrorTest {

    @Test
    void anErrorOpeningTheInputShowsAsTheStreamsError() throws Exception {
        StreamConfig config = EngineLifecycleTest.caller(Peers.freePort(), "clip.ts");
        StreamRunner runner = new StreamRunner(config, () -> {
            throw new UnsatisfiedLinkError("libfake.so.1: cannot open shared object file");
        }, (events, bps) -> Outputs.open(config, 4, bps, events), 0, Outputs.srtUri(config));
        runner.start();
        try {
            assertThat(Await.until(() -> runner.view().status() == StreamStatus.ERROR, 20_000)).isTrue();
            assertThat(runner.view().connectionStatus())
                    .isEqualTo("Error: UnsatisfiedLinkError: libfake.so.1: cannot open shared object file");
            assertThat(runner.view().events()).extracting(e -> e.kind()).contains("error");
        } finally {
            assertThat(runner.stop(5_000)).isTrue();
        }
    }

    @Test
    void anErrorWithoutMessageShowsItsCauseWithoutJavaPackageNames() throws Exception {
        StreamConfig config = EngineLifecycleTest.caller(Peers.freePort(), "clip.ts");
        StreamRunner runner = new StreamRunner(config, () -> {
            throw new ExceptionInInitializerError(new IllegalStateException("libsrt 1.4.4 is too old (expected: 1.5)"));
        }, (events, bps) -> Outputs.open(config, 4, bps, events), 0, Outputs.srtUri(config));
        runner.start();
        try {
            assertThat(Await.until(() -> runner.view().status() == StreamStatus.ERROR, 20_000)).isTrue();
            assertThat(runner.view().statusDetail()).isEqualTo("ExceptionInInitializerError, caused by"
                    + " IllegalStateException: libsrt 1.4.4 is too old (expected: 1.5)");
        } finally {
            assertThat(runner.stop(5_000)).isTrue();
        }
    }

    @Test
    void anErrorWhilePlayingShowsAsTheStreamsError() throws Exception {
        StreamConfig config = EngineLifecycleTest.caller(Peers.freePort(), "clip.ts");
        StreamRunner runner = new StreamRunner(config, () -> new FailingInput(FileInput.open(TestMedia.shortClip(),
                true)), (events, bps) -> Outputs.open(config, 4, bps, events), 0, Outputs.srtUri(config));
        runner.start();
        try {
            assertThat(Await.until(() -> runner.view().status() == StreamStatus.ERROR, 20_000)).isTrue();
            assertThat(runner.view().statusDetail()).isEqualTo("OutOfMemoryError: Direct buffer memory");
        } finally {
            assertThat(runner.stop(5_000)).isTrue();
        }
    }

    /**
     * A stop while the input opens interrupts the open, which fails as a file channel does
     * ({@code ClosedByInterruptException}, no message): that is the stop, not an input error to log or show.
     */
    @Test
    void aStopWhileTheInputOpensIsNeitherLoggedNorShownAsAnError() throws Exception {
        StreamConfig config = EngineLifecycleTest.caller(Peers.freePort(), "clip.ts");
        java.util.concurrent.CountDownLatch opening = new java.util.concurrent.CountDownLatch(1);
        StreamRunner runner = new StreamRunner(config, () -> {
            opening.countDown();
            try {
                Thread.sleep(600_000);
            } catch (InterruptedException e) {
                throw new java.nio.channels.ClosedByInterruptException();
            }
            throw new AssertionError("not interrupted");
        }, (events, bps) -> Outputs.open(config, 4, bps, events), 0, Outputs.srtUri(config));
        var log = new ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent>();
        var logger = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(StreamRunner.class);
        log.start();
        logger.addAppender(log);
        try {
            runner.start();
            assertThat(opening.await(20, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            assertThat(runner.stop(5_000)).isTrue();
        } finally {
            logger.detachAppender(log);
        }
        assertThat(log.list).filteredOn(e -> e.getLevel().isGreaterOrEqual(ch.qos.logback.classic.Level.WARN))
                .extracting(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage).isEmpty();
        assertThat(runner.view().status()).isNotEqualTo(StreamStatus.START_ERROR);
        assertThat(runner.view().events()).extracting(e -> e.kind()).doesNotContain("error");
    }

    /** A real file input that runs out of memory on its third pump. */
    private static final class FailingInput implements Input {
        private final Input inner;
        private int pumps;

        FailingInput(Input inner) {
            this.inner = inner;
        }

        @Override
        public int pump(long maxWaitNanos, Sink sink) throws java.io.IOException {
            if (++pumps == 3) {
                throw new OutOfMemoryError("Direct buffer memory");
            }
            return inner.pump(maxWaitNanos, sink);
        }

        @Override
        public boolean ended() {
            return inner.ended();
        }

        @Override
        public long peakBitsPerSecond() {
            return inner.peakBitsPerSecond();
        }

        @Override
        public boolean canBeLost() {
            return inner.canBeLost();
        }

        @Override
        public boolean startsWithFirstPeer() {
            return false; // plays at once: the error while playing is under test, not the wait for a peer
        }

        @Override
        public long lastDataNanos() {
            return inner.lastDataNanos();
        }

        @Override
        public void close() throws java.io.IOException {
            inner.close();
        }
    }
}
