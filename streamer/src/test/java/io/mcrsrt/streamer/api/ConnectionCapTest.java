package io.mcrsrt.streamer.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mcrsrt.streamer.config.AppConfig;
import io.mcrsrt.streamer.engine.testing.Await;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code HTTP_MAX_CONNECTIONS} against a started server and raw sockets. */
class ConnectionCapTest {
    private static final int CAP = AppConfig.MIN_HTTP_MAX_CONNECTIONS;
    /** Only stops a hang; shorter than {@link #LONG_IDLE_TIMEOUT_MILLIS}. */
    private static final int HANG_MILLIS = 60_000;
    /** An idle timeout below the cap that no test waits for, so that only the cap's own can close a connection. */
    private static final long LONG_IDLE_TIMEOUT_MILLIS = 3_600_000;

    @TempDir
    Path root;

    @Test
    void aConnectionBeyondTheCapWaitsUntilOneClosesAndTheServerAnswersAgainAfterwards() throws IOException {
        var log = new ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent>();
        var logger = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(ConnectionCap.class);
        log.start();
        logger.addAppender(log);
        try (TestService svc = new TestService(root, new FakeEngine(), 10001, 10010, null, null, 64, null, CAP)) {
            List<Socket> held = new ArrayList<>();
            try {
                // More than the cap, each following the live events, so that no idle timeout closes it: the ones
                // beyond the cap wait in the accept queue, in order.
                for (int i = 0; i < CAP + 8; i++) {
                    Socket s = connect(svc);
                    held.add(s);
                    s.getOutputStream().write(("GET /api/events HTTP/1.1\r\nHost: 127.0.0.1\r\nX-API-Key: "
                            + TestService.API_KEY + "\r\nAccept: text/event-stream\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                }
                try (Socket late = connect(svc)) {
                    late.getOutputStream().write(("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                    late.setSoTimeout(2_000);
                    InputStream in = late.getInputStream();
                    assertThatThrownBy(in::read).as("no answer while %d connections are open", CAP)
                            .isInstanceOf(SocketTimeoutException.class);
                    assertThat(log.list).extracting(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage)
                            .containsExactly("The web server has " + CAP + " connections open, as many as"
                                    + " HTTP_MAX_CONNECTIONS allows: further ones wait until one closes. Close unused"
                                    + " browser tabs or scripts, or raise HTTP_MAX_CONNECTIONS.");

                    for (Socket s : held) {
                        s.close();
                    }
                    late.setSoTimeout(30_000);
                    String answer = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
                    assertThat(answer).as("the waiting request is answered once the others closed")
                            .startsWith("HTTP/1.1 200");
                }
            } finally {
                for (Socket s : held) {
                    s.close();
                }
            }
            assertThat(svc.send(svc.request("/health").GET().build()).status()).isEqualTo(200);
        } finally {
            logger.detachAppender(log);
        }
    }

    /**
     * A script that opens connections and leaves them idle holds every one: at the cap they close after a few seconds
     * instead of the usual idle timeout (here made longer than the test waits), so a health check is answered.
     */
    @Test
    void atTheCapIdleConnectionsAreClosedSoonSoThatAHealthCheckIsAnswered() throws IOException {
        try (TestService svc = new TestService(root, new FakeEngine(), 10001, 10010, null, null, 64, null, CAP,
                LONG_IDLE_TIMEOUT_MILLIS)) {
            List<Socket> held = new ArrayList<>();
            try {
                for (int i = 0; i < CAP; i++) {
                    held.add(connect(svc));
                }
                assertThat(healthCheck(svc)).as("a health check behind %d idle connections", CAP)
                        .startsWith("HTTP/1.1 200");
                Socket first = held.getFirst();
                first.setSoTimeout(HANG_MILLIS);
                assertThat(first.getInputStream().read()).as("the server closed the first idle connection")
                        .isEqualTo(-1);
            } finally {
                for (Socket s : held) {
                    s.close();
                }
            }
        }
    }

    /**
     * Connections opened in one burst reach the cap before the server has opened most of them (Jetty shortens the idle
     * timeout only of those open then): they are closed all the same. A live event stream is a request under way,
     * not an idle connection: it goes on.
     */
    @Test
    void atTheCapIdleConnectionsOfABurstAreClosedAndALiveEventStreamGoesOn() throws Exception {
        try (TestService svc = new TestService(root, new FakeEngine(), 10001, 10010, null, null, 64, null, CAP,
                LONG_IDLE_TIMEOUT_MILLIS)) {
            SseClientReader sse = new SseClientReader(svc.http, svc.request("/api/events")
                    .header("X-API-Key", TestService.API_KEY).header("Accept", "text/event-stream").GET().build());
            List<SocketChannel> held = new ArrayList<>();
            try {
                assertThat(sse.next("streams", HANG_MILLIS)).isNotNull();
                // All at once, as a script's burst: the server accepts the last ones before it has opened the first.
                for (int i = 0; i < CAP - 1; i++) {
                    SocketChannel c = SocketChannel.open();
                    held.add(c);
                    c.configureBlocking(false);
                    c.connect(new InetSocketAddress("127.0.0.1", svc.server.port()));
                }
                for (SocketChannel c : held) {
                    c.configureBlocking(true);
                    c.finishConnect();
                }
                assertThat(healthCheck(svc)).as("idle connections were closed at the cap").startsWith("HTTP/1.1 200");
                sse.drain();
                assertThat(sse.next("streams", HANG_MILLIS)).as("the event stream goes on").isNotNull();
            } finally {
                sse.close();
                for (SocketChannel c : held) {
                    c.close();
                }
            }
        }
    }

    /**
     * A client that holds every connection by sending its requests a byte at a time, never idle long enough for any
     * idle timeout (here made longer than the test waits, and the cap's own is never reached between two bytes): each
     * of its connections is closed once it has taken longer than the deadline to send one request, so a health check
     * is answered. A live event stream, a request being answered, goes on.
     */
    @Test
    void aClientSendingItsRequestsAByteAtATimeCannotHoldTheConnections() throws Exception {
        long deadline = 1_000;
        try (TestService svc = new TestService(root, new FakeEngine(), 10001, 10010, null, null, 64, null, CAP,
                LONG_IDLE_TIMEOUT_MILLIS, deadline)) {
            SseClientReader sse = new SseClientReader(svc.http, svc.request("/api/events")
                    .header("X-API-Key", TestService.API_KEY).header("Accept", "text/event-stream").GET().build());
            List<Socket> held = new ArrayList<>();
            java.util.concurrent.atomic.AtomicBoolean sending = new java.util.concurrent.atomic.AtomicBoolean(true);
            Thread trickle = Thread.ofVirtual().start(() -> {
                // A request line, then header lines without end, as slowloris sends them.
                byte[] start = "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n".getBytes(StandardCharsets.US_ASCII);
                byte[] more = "X-a: b\r\n".getBytes(StandardCharsets.US_ASCII);
                int sent = 0;
                while (sending.get()) {
                    synchronized (held) {
                        for (Socket s : held) {
                            try {
                                s.getOutputStream().write(sent < start.length ? start[sent]
                                        : more[(sent - start.length) % more.length]);
                            } catch (IOException closedByTheServer) {
                                // what the test waits for
                            }
                        }
                    }
                    sent++;
                    try {
                        Thread.sleep(Math.min(200, deadline / 4));
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            try {
                assertThat(sse.next("streams", HANG_MILLIS)).isNotNull();
                synchronized (held) {
                    for (int i = 0; i < CAP - 1; i++) {
                        held.add(connect(svc));
                    }
                }
                assertThat(healthCheck(svc)).as("a health check behind %d connections sending a byte at a time",
                        CAP - 1).startsWith("HTTP/1.1 200");
                Socket first = held.getFirst();
                first.setSoTimeout(HANG_MILLIS);
                assertThat(Await.until(() -> {
                    try {
                        return first.getInputStream().read() == -1;
                    } catch (IOException reset) {
                        return true;
                    }
                }, HANG_MILLIS)).as("the server closed the slow connection").isTrue();
                sse.drain();
                assertThat(sse.next("streams", HANG_MILLIS)).as("the event stream goes on").isNotNull();
            } finally {
                sending.set(false);
                trickle.join();
                sse.close();
                for (Socket s : held) {
                    s.close();
                }
            }
        }
    }

    @Test
    void metricsCountTheOpenConnectionsAgainstTheCap() throws Exception {
        try (TestService svc = new TestService(root, new FakeEngine(), 10001, 10010, null, null, 64, null, CAP)) {
            List<Socket> held = new ArrayList<>();
            try {
                for (int i = 0; i < 5; i++) {
                    held.add(connect(svc));
                }
                assertThat(Await.until(() -> scrape(svc).contains("\nmcr_srt_http_open_connections 6.0\n"),
                        HANG_MILLIS)).as("the five held and the scrape's own: %s", scrape(svc)).isTrue();
                assertThat(scrape(svc)).contains("\nmcr_srt_http_max_connections " + CAP + ".0\n");
            } finally {
                for (Socket s : held) {
                    s.close();
                }
            }
            assertThat(Await.until(() -> scrape(svc).contains("\nmcr_srt_http_open_connections 1.0\n"), HANG_MILLIS))
                    .as("the held connections closed: %s", scrape(svc)).isTrue();
        }
    }

    @Test
    void theDefaultLeavesAsManyConnectionsForRequestsAsTheLiveEventStreamsMayTake() {
        assertThat(AppConfig.DEFAULT_HTTP_MAX_CONNECTIONS).isGreaterThanOrEqualTo(2 * EventsHub.MAX_SUBSCRIBERS);
    }

    /** {@code GET /health} on a connection of its own: the whole answer, once the server has sent it. */
    private static String healthCheck(TestService svc) throws IOException {
        return get(svc, "/health");
    }

    /** {@code GET /metrics} on a connection of its own, so that it counts one connection whatever the client pools. */
    private static String scrape(TestService svc) {
        try {
            return get(svc, "/metrics");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String get(TestService svc, String path) throws IOException {
        try (Socket s = connect(svc)) {
            s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            s.setSoTimeout(HANG_MILLIS);
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        }
    }

    private static Socket connect(TestService svc) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", svc.server.port()), 5_000);
        return s;
    }
}
