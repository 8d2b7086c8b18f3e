package io.mcrsrt.streamer.engine.input;

import io.mcrsrt.streamer.stream.InputCounters;
import io.mcrsrt.streamer.stream.InputSpec;
import java.io.IOException;

/**
 * A multicast or unicast UDP input, forwarded as it arrives (RTP put back in sequence order), without pacing. While it
 * is silent it looks every {@link #JOIN_CHECK_NANOS} whether its multicast group must be joined again, or why nothing
 * can arrive (its interface, or the unicast address it is bound to, gone: {@link UdpTsReceiver#rejoinIfMoved}): a
 * silent source and a lost join look alike from the socket.
 */
public final class UdpInput implements Input {
    /** Silence after which the join is looked at. */
    private static final long SILENT_NANOS = 1_000_000_000L;
    /** How often a silent input looks at its join; each look asks the kernel for the interfaces once. */
    static final long JOIN_CHECK_NANOS = 2_000_000_000L;

    private final UdpTsReceiver receiver;
    private long lastDataNanos = System.nanoTime();
    private long joinCheckedNanos = lastDataNanos;
    /** What {@link #recovered()} tells next; null when nothing. */
    private String recovered;
    /** Why the input is silent, from the last look at its join; null when that found nothing wrong. */
    private String silenceReason;

    private UdpInput(UdpTsReceiver receiver) {
        this.receiver = receiver;
    }

    public static UdpInput open(InputSpec.Multicast spec) throws IOException {
        return new UdpInput(UdpTsReceiver.open(spec));
    }

    @Override
    public int pump(long maxWaitNanos, Sink sink) throws IOException {
        int bytes = receiver.poll(Math.max(1, maxWaitNanos / 1_000_000), m -> sink.accept(m, 0));
        long now = System.nanoTime();
        if (bytes > 0) {
            lastDataNanos = now;
            silenceReason = null;
        } else if (now - lastDataNanos > SILENT_NANOS && now - joinCheckedNanos >= JOIN_CHECK_NANOS) {
            joinCheckedNanos = now;
            checkJoin();
        }
        return bytes;
    }

    private void checkJoin() {
        try {
            UdpTsReceiver.JoinCheck check = receiver.rejoinIfMoved();
            if (check.rejoined() != null) {
                recovered = check.rejoined();
            }
            silenceReason = check.lost();
        } catch (IOException e) {
            // the interface is back but cannot be joined on yet (not up, no address yet): looked at again next time
            silenceReason = e.getMessage();
        }
    }

    @Override
    public String recovered() {
        String r = recovered;
        recovered = null;
        return r;
    }

    @Override
    public String silenceReason() {
        return silenceReason;
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
    public String lastIgnored() {
        return receiver.lastIgnored();
    }

    @Override
    public long rtpSourceChanges() {
        return receiver.rtpSourceChanges();
    }

    @Override
    public String lastRtpSourceChange() {
        return receiver.lastRtpSourceChange();
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
