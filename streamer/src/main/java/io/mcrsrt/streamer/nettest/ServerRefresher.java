package io.mcrsrt.streamer.nettest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import io.mcrsrt.streamer.system.StoppingThreads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps only the iperf3 servers that answer over UDP: every interval, re-reads the list and checks each server with a
 * one-second UDP test, {@value #PARALLEL_CHECKS} at a time, then marks the answering ones usable in the
 * {@link ServerCatalog}. Off unless started; one platform thread, {@code nettest-server-refresh}, stopped by
 * {@link #close()} with a bounded wait.
 */
public final class ServerRefresher implements AutoCloseable {

    /** Whether a server answers over UDP; the default runs a one-second iperf3 UDP test at 1 Mbit/s. */
    @FunctionalInterface
    public interface UdpCheck {
        boolean answers(IperfServer server);
    }

    public static final UdpCheck IPERF_UDP = s -> {
        try {
            return IperfProbe.run(s.host(), s.port(), true, 1_000_000, 1).packets() > 0;
        } catch (NetworkTestException e) {
            return false;
        }
    };

    static final int PARALLEL_CHECKS = 4;
    private static final Logger log = LoggerFactory.getLogger(ServerRefresher.class);
    private static final long STOP_WAIT_MILLIS = 5000;

    private final ServerCatalog catalog;
    private final UdpCheck check;
    private final Duration interval;
    private final Thread thread;
    private volatile boolean running = true;

    private ServerRefresher(ServerCatalog catalog, Duration interval, UdpCheck check) {
        this.catalog = catalog;
        this.interval = interval;
        this.check = check;
        this.thread = Thread.ofPlatform().name("nettest-server-refresh").daemon().unstarted(this::loop);
    }

    /**
     * Starts refreshing now and then every {@code interval} (at least one minute).
     */
    public static ServerRefresher start(ServerCatalog catalog, Duration interval, UdpCheck check) {
        if (interval.compareTo(Duration.ofMinutes(1)) < 0) {
            throw new IllegalArgumentException("server refresh interval " + interval.toSeconds()
                    + " s is too short (expected: at least 60 s; each round tests every server)");
        }
        ServerRefresher r = new ServerRefresher(catalog, interval, check);
        r.thread.start();
        return r;
    }

    /** One round, on the calling thread: reload the list, check every server, keep those that answer. */
    public static List<IperfServer> refresh(ServerCatalog catalog, UdpCheck check) {
        catalog.reload();
        List<IperfServer> all = catalog.all();
        List<IperfServer> answering = answering(all, check);
        catalog.markReachable(answering);
        log.info("iperf3 server refresh: {} of {} answer over UDP", answering.size(), all.size());
        return answering;
    }

    /**
     * Checks every server, {@value #PARALLEL_CHECKS} at a time, waiting at most a minute for each.
     *
     * @return the servers that answered, in the order of {@code servers}
     */
    public static List<IperfServer> answering(List<IperfServer> servers, UdpCheck check) {
        Semaphore slots = new Semaphore(PARALLEL_CHECKS);
        var ok = ConcurrentHashMap.<IperfServer>newKeySet();
        List<Thread> checks = new ArrayList<>();
        for (IperfServer s : servers) {
            checks.add(Thread.ofVirtual().name("nettest-server-check").start(() -> {
                try {
                    slots.acquire();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                try {
                    if (check.answers(s)) {
                        ok.add(s);
                    }
                } finally {
                    slots.release();
                }
            }));
        }
        for (Thread t : checks) {
            try {
                t.join(TimeUnit.SECONDS.toMillis(60));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return servers.stream().filter(ok::contains).toList();
    }

    private void loop() {
        while (running) {
            try {
                refresh(catalog, check);
            } catch (RuntimeException e) {
                log.warn("iperf3 server refresh failed: {}", e.toString());
            }
            try {
                Thread.sleep(interval);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        StoppingThreads.join(thread, STOP_WAIT_MILLIS, log);
    }
}
