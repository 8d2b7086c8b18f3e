package io.mcrsrt.streamer.engine.output;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcrsrt.srt.SrtOption;
import io.mcrsrt.srt.SrtSocket;
import io.mcrsrt.srt.SrtStats;
import io.mcrsrt.srt.SrtTransType;
import io.mcrsrt.streamer.engine.testing.Await;
import io.mcrsrt.streamer.engine.testing.Peers;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A receiver that reads slower than the stream takes what it can each second: its buffer fills, and the sender's
 * libsrt drops the rest as too late. What it did not get is counted in the peer's packets not delivered, against what
 * its program read, through real libsrt on both ends. The sender cannot tell it exactly: it counts what it gave up
 * unacknowledged, and some of those packets reached the receiver, their acknowledgement too late (on loopback, 467
 * given up against 452 missed in most runs, 1192 against 713 in one of seven), while packets the receiver's own libsrt
 * gave up on are not told to it; so the count is held to half to twice what was missed (the count before this was 0).
 * libsrt 1.5.1 itself counted 321, one for each drop of one or more.
 */
class PeerSlowReaderTest {
    private static final int RATE = 800;
    private static final int SECONDS = 8;
    /** Packets of the stream's first seconds, read at half its rate; the rest as fast as they come. */
    private static final int READ_SLOWLY = RATE * 3;

    @Test
    void whatASlowReaderDidNotGetIsCountedAsNotDelivered() throws Exception {
        int port = Peers.freePort();
        try (SrtSocket listener = SrtSocket.create(); SrtSocket receiver = SrtSocket.create()) {
            for (SrtSocket s : new SrtSocket[] {listener, receiver}) {
                s.set(SrtOption.TRANSTYPE, SrtTransType.LIVE);
                s.set(SrtOption.LATENCY, 120);
                s.set(SrtOption.TLPKTDROP, true);
                s.set(SrtOption.FC, 2000);
                s.set(SrtOption.SNDBUF, 2_000_000);
                s.set(SrtOption.RCVBUF, 2_000_000);
            }
            listener.bindListener(new InetSocketAddress("127.0.0.1", port)).listen(1);
            Thread dial = Thread.ofPlatform().start(() -> {
                try {
                    receiver.connect(new InetSocketAddress("127.0.0.1", port));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            try (SrtSocket sending = listener.accept()) {
                dial.join();
                sending.blocking(false);
                Peer peer = new Peer(sending, "slow");
                AtomicLong read = new AtomicLong();
                Thread reader = Thread.ofPlatform().start(() -> readSlowlyThenFast(receiver, read));
                ByteBuffer message = ByteBuffer.allocateDirect(1316);
                long start = System.nanoTime();
                for (int i = 0; i < RATE * SECONDS; i++) {
                    sleepUntil(start + i * 1_000_000_000L / RATE);
                    message.clear();
                    peer.send(message, 0);
                    peer.sample(System.nanoTime());
                }
                // every packet handed over either acknowledged or dropped, and every one received read
                assertThat(Await.until(() -> stats(sending).pktSndBuf() == 0 && stats(receiver).pktRcvBuf() == 0,
                        30_000)).isTrue();
                long readBefore;
                do {
                    readBefore = read.get();
                    Thread.sleep(500);
                } while (read.get() != readBefore);
                peer.sample(System.nanoTime() + 2_000_000_000L);
                SrtStats sent = stats(sending);
                long missed = RATE * SECONDS - read.get();
                assertThat(missed).as("the slow reader missed some: the test's premise").isPositive();
                assertThat(peer.view().packetsNotDelivered())
                        .as("not delivered, against %d handed and %d read (libsrt: %d drops counted, %d bytes,"
                                + " receiver dropped %d)", RATE * SECONDS, read.get(), sent.pktSndDropTotal(),
                                sent.byteSndDropTotal(), stats(receiver).pktRcvDropTotal())
                        .isBetween(missed / 2, missed * 2);
                assertThat(peer.view().stats().packetsDroppedTotal()).as("libsrt's drops, in packets")
                        .isBetween(missed / 2, missed * 2);
            } finally {
                receiver.close();
            }
        }
    }

    private static void readSlowlyThenFast(SrtSocket receiver, AtomicLong read) {
        byte[] buffer = new byte[1500];
        long start = System.nanoTime();
        try {
            while (receiver.receive(buffer, 0, buffer.length) > 0) {
                long got = read.incrementAndGet();
                if (got < READ_SLOWLY) {
                    sleepUntil(start + got * 2_000_000_000L / RATE);
                }
            }
        } catch (Exception closed) {
            // the test closed the socket
        }
    }

    private static SrtStats stats(SrtSocket s) {
        try {
            return s.stats(false);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void sleepUntil(long nanos) {
        long wait = nanos - System.nanoTime();
        if (wait > 0) {
            try {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
