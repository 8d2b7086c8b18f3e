package io.mcrsrt.streamer.nettest;

import io.mcrsrt.srt.Srt;
import io.mcrsrt.srt.SrtException;
import io.mcrsrt.srt.SrtOption;
import io.mcrsrt.srt.SrtSocket;
import io.mcrsrt.srt.SrtStats;
import io.mcrsrt.streamer.engine.output.SrtSettings;
import io.mcrsrt.streamer.impair.DirectionCounters;
import io.mcrsrt.streamer.impair.Impairment;
import io.mcrsrt.streamer.impair.LinkEmulator;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One live SRT stream through a {@link LinkEmulator}: a paced sender of 1316-byte messages of seven TS packets (PID
 * 0x100, continuity counters running, a message counter in the first packet's payload) and a receiver that checks
 * every message and every continuity counter. Sender and receiver each run on their own platform thread.
 */
final class LiveStreamTrial {

    static final int TS = 188;
    static final int PER_MESSAGE = 7;
    static final int PAYLOAD = TS * PER_MESSAGE;

    /** What one trial saw. */
    record Outcome(
            String name,
            long messagesSent,
            long messagesReceived,
            long messagesMissing,
            long continuityErrors,
            long receiverLossBeforeRecovery,
            long receiverDrops,
            long senderDrops,
            long retransmitted,
            int negotiatedLatencyMs,
            double rttMs,
            double rttMaxMs,
            DirectionCounters toReceiver,
            DirectionCounters toSender) {

        /**
         * Whether the machine ran the emulated path faithfully: the relay sent nothing more than 20 ms late and
         * libsrt never saw the RTT grow by half.
         */
        boolean pathHeld(double rttMs) {
            return rttMaxMs < rttMs * 1.5 && toReceiver.maxLateMs() < 20 && toSender.maxLateMs() < 20;
        }

        /** Messages that SRT did not repair in time: missing at the receiver, or dropped by either side. */
        long unrepaired() {
            return Math.max(Math.max(messagesMissing, receiverDrops), messagesSent - messagesReceived) + senderDrops;
        }

        @Override
        public String toString() {
            return String.format(java.util.Locale.ROOT,
                    "%s: sent %d, received %d, missing %d, CC errors %d, receiver loss before recovery %d,"
                            + " receiver drops %d, sender drops %d, retransmitted %d, latency %d ms, RTT %.1f ms"
                            + " (at most %.1f ms);"
                            + " path to receiver: %s; path to sender: %s",
                    name, messagesSent, messagesReceived, messagesMissing, continuityErrors,
                    receiverLossBeforeRecovery, receiverDrops, senderDrops, retransmitted, negotiatedLatencyMs, rttMs,
                    rttMaxMs, toReceiver, toSender);
        }
    }

    private LiveStreamTrial() {
    }

    /**
     * Runs a stream of {@code bitsPerSecond} for {@code seconds} through a path that impairs the stream's packets by
     * {@code toReceiver} and the receiver's acknowledgements and loss reports by {@code toSender},
     * with the given SRT latency and overhead, and returns what the receiver saw.
     */
    static CompletableFuture<Outcome> start(String name, Impairment toReceiver, Impairment toSender, long seed,
            int latencyMs,
            int overheadPercent, long bitsPerSecond, int seconds) throws Exception {
        InetAddress lo = InetAddress.getLoopbackAddress();
        SrtSocket listener = SrtSocket.create();
        LinkEmulator emulator;
        try {
            // Receive buffer: at least bitrate x (latency + RTT), with a margin of four.
            int packets = (int) Math.max(1024, bitsPerSecond / 8 / PAYLOAD * (latencyMs + 200) / 1000 * 4);
            listener.set(SrtOption.FC, packets);
            listener.set(SrtOption.RCVBUF, packets * 1456);
            listener.set(SrtOption.LATENCY, latencyMs);
            listener.bind(new InetSocketAddress(lo, 0));
            listener.listen(1);
            emulator = LinkEmulator.start(new InetSocketAddress(lo, 0),
                    new InetSocketAddress(lo, listener.localAddress().getPort()), toReceiver, toSender, seed);
        } catch (Exception e) {
            listener.close();
            throw e;
        }
        long messages = bitsPerSecond * seconds / 8 / PAYLOAD;
        CompletableFuture<Outcome> outcome = new CompletableFuture<>();
        CompletableFuture<SrtStats> senderStats = new CompletableFuture<>();
        double[] rttMax = new double[1];
        Receiver receiver = new Receiver(listener, messages, latencyMs);
        Thread rx = Thread.ofPlatform().name("trial-" + name + "-receiver").unstarted(() -> {
            try {
                receiver.run();
                SrtStats sent = senderStats.get(latencyMs + 30_000L, TimeUnit.MILLISECONDS);
                outcome.complete(new Outcome(name, messages, receiver.received, receiver.missing,
                        receiver.ccErrors, receiver.last == null ? -1 : receiver.last.pktRcvLossTotal(),
                        receiver.last == null ? -1 : receiver.last.pktRcvDropTotal(), sent.pktSndDropTotal(),
                        sent.pktRetransTotal(), sent.negotiatedLatencyMs(), sent.msRTT(), rttMax[0],
                        emulator.toTargetCounters(), emulator.toClientCounters()));
            } catch (Throwable t) {
                outcome.completeExceptionally(t);
            } finally {
                receiver.close();
                listener.close();
                emulator.close();
            }
        });
        Thread tx = Thread.ofPlatform().name("trial-" + name + "-sender").unstarted(() -> {
            try (SrtSocket s = SrtSocket.create()) {
                s.set(SrtOption.LATENCY, latencyMs);
                // The rate control a stream of the engine uses: the overhead is all retransmissions may take.
                SrtSettings.applyRateControl(s, bitsPerSecond, false, overheadPercent);
                Integer algo = Integer.getInteger("nettest.proof.retransmitalgo");
                if (algo != null) {
                    s.set(SrtOption.RETRANSMITALGO, algo);
                }
                s.set(SrtOption.CONNTIMEO, 5000);
                s.connect(new InetSocketAddress(lo, emulator.listenPort()));
                rttMax[0] = send(s, messages, bitsPerSecond, latencyMs);
                // Let the last repairs and acknowledgements cross the path before reading the totals.
                Thread.sleep(latencyMs + 1500L);
                senderStats.complete(s.stats());
            } catch (Throwable t) {
                senderStats.completeExceptionally(t);
                receiver.close();
            }
        });
        rx.start();
        tx.start();
        return outcome;
    }

    /**
     * Sends {@code messages} counted messages, then goes on for a second: a lost message is only noticed (and
     * repaired) when a later one arrives, and a live stream always has a later one.
     *
     * <p>Sends as a stream of the engine sends ({@code FileInput}, {@code StreamRunner}): wakes once per batch
     * ({@link SrtSettings#sendBatchNanos}: 10 ms at these latencies) and hands on every message due before the next
     * wake-up, each stamped with its due time as the SRT source time, so that the repairs get the budget a real
     * stream gets.
     *
     * @return the largest RTT libsrt reported while sending, sampled every half second after the first two
     */
    private static double send(SrtSocket s, long messages, long bitsPerSecond, int latencyMs) throws SrtException {
        long total = messages + bitsPerSecond / 8 / PAYLOAD;
        ByteBuffer msg = ByteBuffer.allocate(PAYLOAD);
        byte[] bytes = msg.array();
        int cc = 0;
        long batch = SrtSettings.sendBatchNanos(latencyMs);
        long clockOffsetMicros = Srt.now() - System.nanoTime() / 1000;
        double nanosPerMessage = PAYLOAD * 8.0 * 1e9 / bitsPerSecond;
        long start = System.nanoTime();
        long n = 0;
        double rttMax = 0;
        long nextSample = start + 2_000_000_000L;
        while (n < total) {
            if (System.nanoTime() >= nextSample) {
                rttMax = Math.max(rttMax, s.stats().msRTT());
                nextSample += 500_000_000L;
            }
            long horizon = System.nanoTime() + batch;
            long due;
            while (n < total && (due = start + (long) (n * nanosPerMessage)) <= horizon) {
                for (int p = 0; p < PER_MESSAGE; p++) {
                    int o = p * TS;
                    bytes[o] = 0x47;
                    bytes[o + 1] = 0x01;
                    bytes[o + 2] = 0x00;
                    bytes[o + 3] = (byte) (0x10 | cc);
                    cc = (cc + 1) & 0x0f;
                }
                msg.putLong(4, n);
                s.send(bytes, 0, PAYLOAD, due / 1000 + clockOffsetMicros);
                n++;
            }
            LockSupport.parkNanos(batch);
        }
        return rttMax;
    }

    /** Checks what arrives; runs on the receiver thread only. */
    private static final class Receiver {
        private final SrtSocket listener;
        private final long expected;
        private final int latencyMs;
        private volatile SrtSocket peer;
        private volatile boolean closed;
        long received;
        long missing;
        long ccErrors;
        SrtStats last;

        Receiver(SrtSocket listener, long expected, int latencyMs) {
            this.listener = listener;
            this.expected = expected;
            this.latencyMs = latencyMs;
        }

        void run() throws SrtException {
            SrtSocket s = listener.accept();
            peer = s;
            if (closed) {
                return;
            }
            s.set(SrtOption.RCVTIMEO, 500);
            byte[] buf = new byte[1500];
            ByteBuffer view = ByteBuffer.wrap(buf);
            long next = 0;
            int cc = -1;
            long quietSince = -1;
            while (!closed) {
                int len;
                try {
                    len = s.receive(buf, 0, buf.length);
                } catch (SrtException e) {
                    if (e.isConnectionGone()) {
                        break;
                    }
                    throw e;
                }
                if (len == 0) {
                    try {
                        last = s.stats();
                    } catch (SrtException e) {
                        // the sender closed between the receive timing out and this read: the last sample stands
                        if (e.isConnectionGone()) {
                            break;
                        }
                        throw e;
                    }
                    long now = System.nanoTime();
                    quietSince = quietSince < 0 ? now : quietSince;
                    if (now - quietSince > TimeUnit.MILLISECONDS.toNanos(latencyMs + 3000L)) {
                        break;
                    }
                    continue;
                }
                quietSince = -1;
                long counter = len == PAYLOAD ? view.getLong(4) : -1;
                if (counter >= expected) {
                    continue; // the trailing second
                }
                received++;
                if (len != PAYLOAD) {
                    ccErrors++;
                    continue;
                }
                if (counter > next) {
                    missing += counter - next;
                }
                next = Math.max(next, counter + 1);
                for (int p = 0; p < PER_MESSAGE; p++) {
                    int c = buf[p * TS + 3] & 0x0f;
                    if (buf[p * TS] != 0x47 || (cc >= 0 && c != ((cc + 1) & 0x0f))) {
                        ccErrors++;
                    }
                    cc = c;
                }
                if (next == expected) {
                    last = s.stats();
                    break;
                }
            }
            missing += expected - next;
            if (last == null) {
                last = s.stats();
            }
        }

        void close() {
            closed = true;
            SrtSocket p = peer;
            if (p != null) {
                p.close();
            }
        }
    }
}
