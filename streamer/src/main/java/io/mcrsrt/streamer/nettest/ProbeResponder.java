package io.mcrsrt.streamer.nettest;

import io.mcrsrt.srt.AddressText;
import io.mcrsrt.srt.SrtException;
import io.mcrsrt.srt.SrtOption;
import io.mcrsrt.srt.SrtSocket;
import java.net.InetSocketAddress;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import io.mcrsrt.streamer.system.StoppingThreads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers {@link SrtProbe}s: an SRT listener that accepts callers and reads and discards what they send. Each caller
 * gets a platform thread ({@code probe-responder-PORT-peer-N}); at most {@link #MAX_PEERS} at a time, others wait in
 * the backlog. {@link #close()} closes the listener and every connection and waits a bounded time for the threads.
 */
public final class ProbeResponder implements AutoCloseable {

    public static final int MAX_PEERS = 8;
    private static final Logger log = LoggerFactory.getLogger(ProbeResponder.class);
    private static final long STOP_WAIT_MILLIS = 3000;
    private static final long REPORT_INTERVAL_NANOS = 250_000_000L;
    /** Return-path probe messages: one every 4 ms, 250 a second, ~8 kB/s. */
    private static final long RETURN_INTERVAL_NANOS = 4_000_000L;

    private final SrtSocket listener;
    private final int port;
    private final Thread acceptor;
    private final Set<SrtSocket> peers = ConcurrentHashMap.newKeySet();
    private final Set<Thread> peerThreads = ConcurrentHashMap.newKeySet();
    private final AtomicInteger peerNumber = new AtomicInteger();
    private final AtomicLong probesServed = new AtomicLong();
    private volatile boolean running = true;

    private ProbeResponder(SrtSocket listener, int port) {
        this.listener = listener;
        this.port = port;
        this.acceptor = Thread.ofPlatform().name("probe-responder-" + port + "-accept").daemon()
                .unstarted(this::acceptLoop);
    }

    /**
     * Listens for probes.
     *
     * @param bind address and port; port 0 picks a free one ({@link #port()}); {@code ::} takes IPv4 probes too
     * @param passphrase required of callers, or null for none
     */
    public static ProbeResponder start(InetSocketAddress bind, String passphrase) throws SrtException {
        SrtSocket l = SrtSocket.create();
        try {
            // Probes may run at 50 Mbit/s with a 1 s latency: room for 2 s of it.
            l.set(SrtOption.FC, 32768);
            l.set(SrtOption.RCVBUF, 32768 * 1456);
            l.set(SrtOption.LATENCY, SrtProbe.PROBE_LATENCY_MS);
            if (passphrase != null && !passphrase.isEmpty()) {
                l.set(SrtOption.PASSPHRASE, passphrase);
            }
            l.bindListener(bind); // on the IPv6 wildcard: IPv4 probes too
            l.listen(MAX_PEERS);
            int port = l.localAddress().getPort();
            ProbeResponder r = new ProbeResponder(l, port);
            r.acceptor.start();
            log.info("Answering SRT network-test probes on {}",
                    AddressText.of(new InetSocketAddress(bind.getAddress(), port)));
            return r;
        } catch (SrtException | RuntimeException e) {
            l.close();
            throw e;
        }
    }

    public int port() {
        return port;
    }

    /** Callers served since start, finished or not. */
    public long probesServed() {
        return probesServed.get();
    }

    private void acceptLoop() {
        while (running) {
            SrtSocket peer;
            try {
                peer = listener.accept();
            } catch (SrtException e) {
                if (running) {
                    log.warn("Probe responder on port {} stopped accepting: {}", port, e.getMessage());
                }
                return;
            }
            if (peer == null) {
                continue;
            }
            if (!running || peers.size() >= MAX_PEERS) {
                log.warn("Probe responder on port {}: refusing {}, {} probes already running", port,
                        shown(peer), MAX_PEERS);
                peer.close();
                continue;
            }
            probesServed.incrementAndGet();
            peers.add(peer);
            Thread t = Thread.ofPlatform().name("probe-responder-" + port + "-peer-" + peerNumber.incrementAndGet())
                    .daemon().unstarted(() -> drain(peer));
            peerThreads.add(t);
            t.start();
        }
    }

    /**
     * Reads and discards the probe's messages and, every {@link #REPORT_INTERVAL_NANOS}, sends back what this side
     * received ({@link ProbeReport}): the caller's own loss count includes repeats of periodic NAK reports. All along it
     * also sends 250 small messages a second back ({@link SrtProbe#RETURN_MESSAGE}), so that the caller's receiver
     * counts the loss of the return path, which carries SRT's acknowledgements and loss reports.
     */
    private void drain(SrtSocket peer) {
        byte[] buf = new byte[1500];
        long bytes = 0;
        try {
            peer.set(SrtOption.RCVTIMEO, 100);
            long nextReport = System.nanoTime() + REPORT_INTERVAL_NANOS;
            long nextReturn = System.nanoTime();
            while (running) {
                bytes += peer.receive(buf, 0, buf.length);
                long now = System.nanoTime();
                // After a blocking receive the messages due meanwhile go out together; each is counted on arrival.
                while (now - nextReturn >= 0) {
                    peer.send(SrtProbe.RETURN_MESSAGE, 0, SrtProbe.RETURN_MESSAGE.length);
                    nextReturn += RETURN_INTERVAL_NANOS;
                }
                if (now - nextReport >= 0) {
                    byte[] report = ProbeReport.of(peer.stats()).encode();
                    peer.send(report, 0, report.length);
                    nextReport += REPORT_INTERVAL_NANOS;
                }
            }
        } catch (SrtException e) {
            if (!e.isConnectionGone() && running) {
                log.warn("Probe from {} ended: {}", shown(peer), e.getMessage());
            }
        } finally {
            log.info("Probe from {} finished after {} bytes", shown(peer), bytes);
            peer.close();
            peers.remove(peer);
            peerThreads.remove(Thread.currentThread());
        }
    }

    @Override
    public void close() {
        if (!running) {
            return;
        }
        running = false;
        listener.close();
        peers.forEach(SrtSocket::close);
        join(acceptor);
        for (Thread t : Set.copyOf(peerThreads)) {
            join(t);
        }
    }

    /** A probe's sender as engineers write it ({@code [::1]:40000}), not as the JDK does ({@code /[0:0:0:0:0:0:0:1]:40000}). */
    private static String shown(SrtSocket peer) {
        InetSocketAddress a = peer.peerAddress();
        return a == null ? "an unknown address" : AddressText.of(a);
    }

    private static void join(Thread t) {
        StoppingThreads.join(t, STOP_WAIT_MILLIS, log);
    }
}
