package io.mcrsrt.streamer.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mcrsrt.streamer.config.AppConfig;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code HTTP_MAX_CONNECTIONS} against a started server and raw sockets. */
class ConnectionCapTest {
    private static final int CAP = AppConfig.MIN_HTTP_MAX_CONNECTIONS;

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
                // More than the cap, sending nothing: the ones beyond it wait in the accept queue, in order.
                for (int i = 0; i < CAP + 8; i++) {
                    held.add(connect(svc));
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

    @Test
    void theDefaultLeavesAsManyConnectionsForRequestsAsTheLiveEventStreamsMayTake() {
        assertThat(AppConfig.DEFAULT_HTTP_MAX_CONNECTIONS).isGreaterThanOrEqualTo(2 * EventsHub.MAX_SUBSCRIBERS);
    }

    private static Socket connect(TestService svc) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", svc.server.port()), 5_000);
        return s;
    }
}
