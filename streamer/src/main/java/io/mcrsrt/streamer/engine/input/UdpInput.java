package io.mcrsrt.streamer.engine.input;

import io.mcrsrt.streamer.stream.InputCounters;
import io.mcrsrt.streamer.stream.InputSpec;
import java.io.IOException;

/** A multicast or unicast UDP input, forwarded as it arrives (RTP put back in sequence order), without pacing. */
public final class UdpInput implements Input {
    private final UdpTsReceiver receiver;
    private long lastDataNanos = System.nanoTime();

    private UdpInput(UdpTsReceiver receiver) {
        this.receiver = receiver;
    }

    public static UdpInput open(InputSpec.Multicast spec) throws IOException {
        return new UdpInput(UdpTsReceiver.open(spec));
    }

    @Override
    public int pump(long maxWaitNanos, Sink sink) throws IOException {
        int bytes = receiver.poll(Math.max(1, maxWaitNanos / 1_000_000), m -> sink.accept(m, 0));
        if (bytes > 0) {
            lastDataNanos = System.nanoTime();
        }
        return bytes;
    }

    @Override
    public boolean ended() {
        return false;
    }

    @Override
    public long lastDataNanos() {
        return lastDataNanos;
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
        return 0;
    }

    @Override
    public InputCounters counters() {
        return receiver.counters();
    }

    @Override
    public long ignoredDatagrams() {
        return receiver.ignoredDatagrams();
    }

    @Override
    public long strayBytes() {
        return receiver.strayBytes();
    }

    /** Whether the source is RTP-wrapped (recognised from its datagrams). */
    public boolean rtpDetected() {
        return receiver.rtpDetected();
    }

    @Override
    public void close() throws IOException {
        receiver.close();
    }
}
