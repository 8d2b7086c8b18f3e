package io.mcrsrt.streamer.engine.input;

import io.mcrsrt.ts.TsPacket;
import io.mcrsrt.ts.rtp.RtpSequence;
import java.nio.ByteBuffer;

/**
 * Puts RTP datagrams a network reordered back in sequence-number order, holding those that come after a missing one
 * until it comes, for a moment only.
 *
 * <p>A datagram that follows on from the last one sent on goes on at once, then any held ones it now leads: input in
 * order waits for nothing. One ahead by less than {@link #WINDOW} is held. The wait for what is missing before the
 * held ones ends when it comes; when a datagram comes that is {@link #WINDOW} or more ahead (the held ones are sent on
 * up to where it fits); or when a held datagram has waited {@link #WAIT_NANOS}, the source having gone silent
 * included, since the owner calls {@link #expire} whenever it looks for input, no later than {@link #waitNanos} says.
 * Given up, the held ones go on up to the next gap, and the gap shows as lost to the RTP accounting they then reach.
 *
 * <p>Everything is handed to a {@link Release} in the order to send on, also what is behind the last datagram sent
 * on (a copy, or one whose wait was given up), for the release to count and leave out; and what is far from it either
 * way (a sender that restarted its numbering), after whatever was held. Another SSRC sends what was held on first.
 *
 * <p>Not thread-safe: the receiver's, on its owner thread.
 */
final class RtpReorder {
    /**
     * Most datagrams ahead of the one expected, plus one, that are held: 31 at most. At 10 Mbit/s (950 datagrams of 7
     * packets a second) 31 datagrams last longer than {@link #WAIT_NANOS}; at 40 Mbit/s they last 8 ms. It bounds the
     * memory held (about 41 kB at 7 packets a datagram), and only at high rates the wait.
     */
    static final int WINDOW = 32;

    /**
     * Longest a datagram is held, 10 ms. A network that reorders (parallel links, ECMP, queues in a switch) lets a
     * datagram be overtaken by the few sent just after it, well within a millisecond at stream rates, so this covers it
     * many times over. What it costs is paid only when a datagram is missing: the input is sent on without pacing, so
     * the datagrams held meanwhile reach libsrt together and the far end up to 10 ms later than their neighbours. That
     * is no more than a paced file sender gathers into one batch for libsrt (SrtSettings' longest), and a small part of
     * the jitter an SRT latency and a receiver's buffer take up.
     */
    static final long WAIT_NANOS = 10_000_000L;

    /** Takes datagrams' TS packets in the order they are to go on. */
    @FunctionalInterface
    interface Release {
        /**
         * @param packets holds {@code count} 188-byte packets one after the other from {@code start}; valid only
         *     during the call
         */
        void accept(ByteBuffer packets, int start, int count, int ssrc, int seq);
    }

    /** A held datagram: its packets, copied. Slot {@code seq % WINDOW}. */
    private static final class Slot {
        private ByteBuffer packets = ByteBuffer.allocate(7 * TsPacket.SIZE);
        private boolean used;
        private int seq;
        private int ssrc;
        private int count;
        private long arrivalNanos;
    }

    private final Release release;
    private final Slot[] slots = new Slot[WINDOW];
    /** Sequence number expected next: the last sent on, plus one; -1 before the first, or after {@link #restart}. */
    private int next = -1;
    /** SSRC of the last datagram sent on. */
    private int ssrc;
    /** Datagrams held. */
    private int held;

    RtpReorder(Release release) {
        this.release = release;
        for (int i = 0; i < WINDOW; i++) {
            slots[i] = new Slot();
        }
    }

    /**
     * Takes a datagram that arrived at {@code nowNanos}: its packets go on now, with any held ones they lead, or are
     * held.
     *
     * @param d holds {@code count} 188-byte packets one after the other from {@code start}; not kept
     */
    void offer(ByteBuffer d, int start, int count, int source, int seq, long nowNanos) {
        if (next >= 0 && source != ssrc) {
            flush(); // another source: what the last one left waiting goes first
            next = -1;
        }
        while (next >= 0) {
            int ahead = (seq - next) & 0xFFFF;
            if (ahead == 0) {
                sendOn(d, start, count, source, seq);
                sendOnReady();
                return;
            }
            if (ahead < WINDOW) {
                hold(d, start, count, source, seq, nowNanos);
                return;
            }
            if (0x10000 - ahead < RtpSequence.MAX_MISORDER) {
                // behind the last sent on: nothing to wait for, and nothing held needs to go on for it
                release.accept(d, start, count, source, seq);
                return;
            }
            if (held == 0) {
                break;
            }
            giveUpFront();
        }
        sendOn(d, start, count, source, seq);
    }

    /** Sends on what has waited {@link #WAIT_NANOS} by {@code nowNanos}, and what it leads. */
    void expire(long nowNanos) {
        while (held > 0 && nowNanos - oldestArrival() >= WAIT_NANOS) {
            giveUpFront();
        }
    }

    /** Nanoseconds from {@code nowNanos} until {@link #expire} has something to send on (0: now); -1 when nothing is held. */
    long waitNanos(long nowNanos) {
        return held == 0 ? -1 : Math.max(0, oldestArrival() + WAIT_NANOS - nowNanos);
    }

    /** Sends everything held on, in order, and forgets the numbering: the next datagram goes on as the first. */
    void restart() {
        flush();
        next = -1;
    }

    private void flush() {
        while (held > 0) {
            giveUpFront();
        }
    }

    /** Gives up what is missing before the first datagram held: it goes on, with those that follow it. */
    private void giveUpFront() {
        while (!slots[next % WINDOW].used) {
            next = (next + 1) & 0xFFFF;
        }
        sendOnReady();
    }

    /** Sends on the held datagrams that follow on from the last one sent on. */
    private void sendOnReady() {
        for (Slot s = slots[next % WINDOW]; s.used; s = slots[next % WINDOW]) {
            s.used = false;
            held--;
            sendOn(s.packets, 0, s.count, s.ssrc, s.seq);
        }
    }

    private void sendOn(ByteBuffer d, int start, int count, int source, int seq) {
        release.accept(d, start, count, source, seq);
        next = (seq + 1) & 0xFFFF;
        ssrc = source;
    }

    private void hold(ByteBuffer d, int start, int count, int source, int seq, long nowNanos) {
        Slot s = slots[seq % WINDOW];
        if (s.used) {
            return; // a copy of one held: the window holds one sequence number per slot
        }
        int bytes = count * TsPacket.SIZE;
        if (s.packets.capacity() < bytes) {
            s.packets = ByteBuffer.allocate(bytes);
        }
        s.packets.put(0, d, start, bytes);
        s.used = true;
        s.seq = seq;
        s.ssrc = source;
        s.count = count;
        s.arrivalNanos = nowNanos;
        held++;
    }

    private long oldestArrival() {
        long oldest = Long.MAX_VALUE;
        for (Slot s : slots) {
            if (s.used && s.arrivalNanos < oldest) {
                oldest = s.arrivalNanos;
            }
        }
        return oldest;
    }
}
