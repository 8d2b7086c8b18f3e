package io.mcrsrt.streamer.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcrsrt.streamer.engine.testing.Await;
import io.mcrsrt.streamer.engine.testing.Peers;
import io.mcrsrt.srt.testing.TestHostNames;
import io.mcrsrt.streamer.engine.testing.TestMedia;
import io.mcrsrt.streamer.stream.EngineSettings;
import io.mcrsrt.streamer.stream.Encryption;
import io.mcrsrt.streamer.stream.InputSpec;
import io.mcrsrt.streamer.stream.Mode;
import io.mcrsrt.streamer.stream.StreamConfig;
import io.mcrsrt.streamer.stream.StreamStatus;
import io.mcrsrt.streamer.stream.StreamView;
import java.net.InetAddress;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A caller whose target is a host name with an IPv4 and an IPv6 address, as a receiver's DNS name often has: the
 * resolver gives the IPv4 address first, and a listener that listens on the IPv6 one only must still be reached.
 * The names are the tests' own ({@link TestHostNames}), both addresses loopback.
 */
class CallerAddressesTest {
    private static final InetAddress V4 = InetAddress.ofLiteral("127.0.0.1");
    private static final InetAddress V6 = InetAddress.ofLiteral("::1");

    @TempDir
    Path data;

    private static StreamConfig caller(String host, int port, Encryption enc, String passphrase) throws Exception {
        return new StreamConfig(Mode.CALLER, new InputSpec.File(TestMedia.shortClip().getFileName().toString(), true),
                null, host, port, 300, 25, enc, passphrase, false, 30, false, null);
    }

    private EngineSettings settings() throws Exception {
        return new EngineSettings(TestMedia.shortClip().getParent(), data, 4, 10001, 10010, 4);
    }

    @Test
    void aNameWithBothFamiliesReachesAListenerOnItsIpv6AddressOnly() throws Exception {
        TestHostNames.define("both-v6-listens.test", V4, V6);
        int port = Peers.freePort();
        Path received = data.resolve("rx.ts");
        try (LocalStreamEngine engine = LocalStreamEngine.open(settings());
                Peers.Process rx = Peers.receiveToFile("srt://[::1]:" + port + "?mode=listener", received,
                        data.resolve("rx.log"))) {
            engine.start(caller("both-v6-listens.test", port, Encryption.NONE, null));
            StreamView up = Await.status(engine, port, StreamStatus.CONNECTED, 30_000);
            assertThat(up.status()).as("%s", up.statusDetail()).isEqualTo(StreamStatus.CONNECTED);
            assertThat(up.peers()).singleElement().satisfies(p -> assertThat(p.address()).isEqualTo("[::1]:" + port));
            assertThat(Await.until(() -> received.toFile().length() > 100_000, 10_000)).isTrue();
        }
    }

    @Test
    void aRefusalAtTheFirstAddressIsTheAnswerAndTheOtherIsNotTried() throws Exception {
        TestHostNames.define("both-v4-refuses.test", V4, V6);
        int port = Peers.freePort();
        try (LocalStreamEngine engine = LocalStreamEngine.open(settings());
                Peers.Process rx = Peers.receiveToFile("srt://127.0.0.1:" + port
                        + "?mode=listener&passphrase=the+right+passphrase", data.resolve("rx.ts"),
                        data.resolve("rx.log"))) {
            engine.start(caller("both-v4-refuses.test", port, Encryption.AES_128, "not the right one"));
            StreamView v = Await.status(engine, port, StreamStatus.AUTH_ERROR, 30_000);
            assertThat(v.status()).as("%s", v.statusDetail()).isEqualTo(StreamStatus.AUTH_ERROR);
            // the address that answered is named, and no other was tried after it
            assertThat(v.statusDetail()).isEqualTo("127.0.0.1:" + port + ": the passphrase does not match the peer's"
                    + " (check both sides use the same passphrase)");
        }
    }

    @Test
    void whenNoAddressAnswersEachIsNamedWithWhatItSaid() throws Exception {
        TestHostNames.define("both-silent.test", V4, V6);
        int port = Peers.freePort();
        try (LocalStreamEngine engine = LocalStreamEngine.open(settings())) {
            engine.start(caller("both-silent.test", port, Encryption.NONE, null));
            StreamView v = Await.view(engine, port, s -> s.statusDetail() != null, 30_000);
            assertThat(v.status()).isEqualTo(StreamStatus.CONNECTION_FAILED);
            assertThat(v.statusDetail()).isEqualTo("both-silent.test:" + port + ": none of its 2 addresses answered: "
                    + "127.0.0.1:" + port + ": the peer did not answer in time (is it running, reachable, and on the"
                    + " right port?); [::1]:" + port + ": the peer did not answer in time (is it running, reachable,"
                    + " and on the right port?)");
        }
    }
}
