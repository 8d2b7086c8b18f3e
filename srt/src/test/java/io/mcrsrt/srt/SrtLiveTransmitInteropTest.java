package io.mcrsrt.srt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Interoperability with srt-live-transmit, the reference SRT application, in both directions. */
class SrtLiveTransmitInteropTest {

    private static final String PASSPHRASE = "correct horse battery";
    private static final int COUNT = 200;

    private final Peers peers = new Peers();
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
        peers.close();
    }

    private static String encryption(String pbkeylen) {
        return pbkeylen.equals("none") ? "" : "&passphrase=" + PASSPHRASE.replace(" ", "%20") + "&pbkeylen=" + pbkeylen;
    }

    private static byte[] payload(int i) {
        byte[] b = new byte[1316];
        ByteBuffer.wrap(b).putInt(i).putInt(1312, ~i);
        b[100] = (byte) i;
        return b;
    }

    @ParameterizedTest(name = "encryption {0}")
    @CsvSource({"none", "16", "32"})
    void ourCallerSendsToItsListener(String pbkeylen) throws Exception {
        int srtPort = Peers.freeUdpPort();
        try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(Peers.LOOPBACK, 0))) {
            udp.setSoTimeout(10_000);
            udp.setReceiveBufferSize(4 << 20);
            Process slt = peers.start("srt-live-transmit", "-a:no", "-q",
                    "srt://127.0.0.1:" + srtPort + "?mode=listener" + encryption(pbkeylen).replace("%20", " "),
                    "udp://127.0.0.1:" + udp.getLocalPort());
            SrtSocket caller = Peers.connectWhenUp(SrtUrl.parse("srt://127.0.0.1:" + srtPort + "?latency=120"
                    + encryption(pbkeylen)));
            open.add(caller);
            if (!pbkeylen.equals("none")) {
                assertThat(caller.get(SrtOption.SNDKMSTATE)).isEqualTo(SrtKmState.SECURED);
                assertThat(caller.get(SrtOption.PBKEYLEN)).isEqualTo(Integer.parseInt(pbkeylen));
            }
            for (int i = 0; i < COUNT; i++) {
                caller.send(payload(i), 0, 1316);
                Thread.sleep(1);
            }
            byte[] buf = new byte[2048];
            for (int i = 0; i < COUNT; i++) {
                DatagramPacket packet = new DatagramPacket(buf, buf.length);
                udp.receive(packet);
                assertThat(packet.getLength()).isEqualTo(1316);
                assertThat(java.util.Arrays.copyOf(buf, 1316)).as("message %d (peer log: %s)", i, "")
                        .isEqualTo(payload(i));
            }
            assertThat(caller.stats().pktSentUniqueTotal()).isEqualTo(COUNT);
            assertThat(slt.isAlive()).as(peers.log(slt)).isTrue();
        }
    }

    @Test
    void theLatencyOurCallerIsToldForWhatItSendsIsTheOneItsListenerDeliversAt() throws Exception {
        int srtPort = Peers.freeUdpPort();
        try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(Peers.LOOPBACK, 0))) {
            udp.setSoTimeout(10_000);
            // Different latencies each way: it receives at 120 ms and asks 200 ms of what it sends; we receive at
            // 300 ms and ask 50 ms. Its statistics (every 10 packets, JSON) name the latency it delivers at.
            Process slt = peers.start("srt-live-transmit", "-a:no", "-s:10", "-pf:json",
                    "srt://127.0.0.1:" + srtPort + "?mode=listener&rcvlatency=120&peerlatency=200",
                    "udp://127.0.0.1:" + udp.getLocalPort());
            SrtSocket caller = Peers.connectWhenUp(SrtUrl.parse("srt://127.0.0.1:" + srtPort
                    + "?rcvlatency=300&peerlatency=50"));
            open.add(caller);
            byte[] buf = new byte[2048];
            for (int i = 0; i < 20; i++) {
                caller.send(payload(i), 0, 1316);
                udp.receive(new DatagramPacket(buf, buf.length));
            }
            Peers.await("srt-live-transmit's statistics", () -> peers.log(slt).contains("\"msTsbPdDelay\""));
            assertThat(peers.log(slt)).contains("\"recv\":{").contains("\"msTsbPdDelay\":120}");
            SrtStats stats = caller.stats();
            assertThat(stats.negotiatedLatencyMs()).as("what we send is delivered at").isEqualTo(120);
            assertThat(stats.negotiatedReceiveLatencyMs()).as("what we receive is delivered at").isEqualTo(300);
        }
    }

    @ParameterizedTest(name = "encryption {0}")
    @CsvSource({"none", "16", "32"})
    void itsCallerSendsToOurListener(String pbkeylen) throws Exception {
        SrtSocket listener = SrtUrl.parse("srt://127.0.0.1:" + Peers.freeUdpPort() + "?mode=listener"
                + encryption(pbkeylen)).listen(1);
        open.add(listener);
        int srtPort = listener.localAddress().getPort();
        int udpPort = Peers.freeUdpPort();
        peers.start("srt-live-transmit", "-a:no", "-q", "udp://127.0.0.1:" + udpPort,
                "srt://127.0.0.1:" + srtPort + "?mode=caller" + encryption(pbkeylen).replace("%20", " "));
        SrtSocket accepted = Peers.acceptAsync(listener).get(20, TimeUnit.SECONDS);
        open.add(accepted);

        AtomicBoolean stop = new AtomicBoolean();
        Thread feeder = Thread.ofPlatform().name("udp-feeder").start(() -> {
            try (DatagramSocket out = new DatagramSocket()) {
                for (int i = 0; !stop.get() && i < 100_000; i++) {
                    out.send(new DatagramPacket(payload(i), 1316, Peers.loopback(udpPort)));
                    Thread.sleep(1);
                }
            } catch (Exception e) {
                // the test fails on what it did not receive
            }
        });
        try {
            accepted.set(SrtOption.RCVTIMEO, 10_000);
            byte[] in = new byte[1500];
            int first = -1;
            for (int i = 0; i < COUNT; i++) {
                assertThat(accepted.receive(in, 0, in.length)).as("message %d arrived", i).isEqualTo(1316);
                int number = ByteBuffer.wrap(in).getInt(0);
                if (first < 0) {
                    first = number;
                }
                assertThat(java.util.Arrays.copyOf(in, 1316)).isEqualTo(payload(first + i));
            }
            if (!pbkeylen.equals("none")) {
                assertThat(accepted.get(SrtOption.RCVKMSTATE)).isEqualTo(SrtKmState.SECURED);
                assertThat(accepted.stats().pktRcvUndecryptTotal()).isZero();
            }
        } finally {
            stop.set(true);
            feeder.join(5_000);
        }
    }

    @Test
    void wrongPassphraseIsRejectedWithWrongPassphraseReason() throws Exception {
        int srtPort = Peers.freeUdpPort();
        peers.start("srt-live-transmit", "-a:no", "-q",
                "srt://127.0.0.1:" + srtPort + "?mode=listener&passphrase=" + PASSPHRASE.replace(" ", ""),
                "udp://127.0.0.1:" + Peers.freeUdpPort());
        assertThatThrownBy(() -> Peers.connectWhenUp(SrtUrl.parse("srt://127.0.0.1:" + srtPort
                + "?passphrase=not-the-right-one")))
                .isInstanceOfSatisfying(SrtException.class, e -> {
                    assertThat(e.rejectReason()).contains(SrtRejectReason.WRONG_PASSPHRASE);
                    assertThat(e.getMessage()).contains("passphrase does not match");
                });
    }

    /**
     * A listener without enforced encryption (the streamer's own listeners, many gateways) lets the handshake finish
     * its key exchange; libsrt 1.5.1 then refuses on the caller's side with SRT_REJ_UNSECURE (11, "Password required
     * or unexpected"), though both sides have a passphrase and the caller's key state says BADSECRET.
     */
    @Test
    void wrongPassphraseToAListenerWithoutEnforcedEncryptionIsReportedAsWrongPassphrase() throws Exception {
        int srtPort = Peers.freeUdpPort();
        peers.start("srt-live-transmit", "-a:no", "-q",
                "srt://127.0.0.1:" + srtPort + "?mode=listener&enforcedencryption=false&passphrase="
                        + PASSPHRASE.replace(" ", ""),
                "udp://127.0.0.1:" + Peers.freeUdpPort());
        assertThatThrownBy(() -> Peers.connectWhenUp(SrtUrl.parse("srt://127.0.0.1:" + srtPort
                + "?passphrase=not-the-right-one")))
                .isInstanceOfSatisfying(SrtException.class, e -> {
                    assertThat(e.rejectReason()).contains(SrtRejectReason.WRONG_PASSPHRASE);
                    assertThat(e.getMessage()).contains("passphrase does not match")
                            .doesNotContain("only one side is encrypted");
                });
    }

    @Test
    void passphraseToAListenerWithoutEncryptionIsReportedAsOneSideEncrypted() throws Exception {
        int srtPort = Peers.freeUdpPort();
        peers.start("srt-live-transmit", "-a:no", "-q",
                "srt://127.0.0.1:" + srtPort + "?mode=listener&enforcedencryption=false",
                "udp://127.0.0.1:" + Peers.freeUdpPort());
        assertThatThrownBy(() -> Peers.connectWhenUp(SrtUrl.parse("srt://127.0.0.1:" + srtPort
                + "?passphrase=not-the-right-one")))
                .isInstanceOfSatisfying(SrtException.class,
                        e -> assertThat(e.rejectReason()).contains(SrtRejectReason.MISSING_PASSPHRASE));
    }

    @Test
    void missingPassphraseIsRejectedWithMissingPassphraseReason() throws Exception {
        int srtPort = Peers.freeUdpPort();
        peers.start("srt-live-transmit", "-a:no", "-q",
                "srt://127.0.0.1:" + srtPort + "?mode=listener&passphrase=" + PASSPHRASE.replace(" ", ""),
                "udp://127.0.0.1:" + Peers.freeUdpPort());
        assertThatThrownBy(() -> Peers.connectWhenUp(SrtUrl.parse("srt://127.0.0.1:" + srtPort)))
                .isInstanceOfSatisfying(SrtException.class,
                        e -> assertThat(e.rejectReason()).contains(SrtRejectReason.MISSING_PASSPHRASE));
    }

    @Test
    void streamIdOfItsCallerReachesOurListenCallbackAndAcceptedSocket() throws Exception {
        AtomicReference<SrtCaller> seen = new AtomicReference<>();
        SrtSocket listener = SrtSocket.create();
        open.add(listener);
        listener.listenCallback(caller -> {
            seen.set(caller);
            return SrtAdmission.accept();
        }).bind(Peers.loopback(0)).listen(1);
        int srtPort = listener.localAddress().getPort();
        peers.start("srt-live-transmit", "-a:no", "-q", "udp://127.0.0.1:" + Peers.freeUdpPort(),
                "srt://127.0.0.1:" + srtPort + "?streamid=#!::r=studio-1,m=publish");
        SrtSocket accepted = Peers.acceptAsync(listener).get(20, TimeUnit.SECONDS);
        open.add(accepted);
        assertThat(seen.get().streamId()).isEqualTo("#!::r=studio-1,m=publish");
        assertThat(seen.get().address().getAddress()).isEqualTo(Peers.LOOPBACK);
        assertThat(seen.get().handshakeVersion()).isEqualTo(5);
        assertThat(accepted.get(SrtOption.STREAMID)).isEqualTo("#!::r=studio-1,m=publish");
    }

    @Test
    void listenCallbackRejectionIsSeenByItsCaller() throws Exception {
        SrtSocket listener = SrtSocket.create();
        open.add(listener);
        listener.listenCallback(caller -> SrtAdmission.reject(SrtAdmission.NOT_FOUND))
                .bind(Peers.loopback(0)).listen(1);
        int srtPort = listener.localAddress().getPort();
        Process slt = peers.start("srt-live-transmit", "-a:no", "udp://127.0.0.1:" + Peers.freeUdpPort(),
                "srt://127.0.0.1:" + srtPort + "?streamid=nope");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!peers.log(slt).toLowerCase(java.util.Locale.ROOT).contains("reject") && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(peers.log(slt)).containsIgnoringCase("reject");
    }

    @Test
    void listenCallbackRejectionGivesOurCallerTheCode() throws Exception {
        SrtSocket listener = SrtSocket.create();
        open.add(listener);
        listener.listenCallback(caller -> caller.streamId().equals("allowed") ? SrtAdmission.accept()
                : SrtAdmission.reject(SrtAdmission.NOT_FOUND)).bind(Peers.loopback(0)).listen(1);
        int srtPort = listener.localAddress().getPort();
        assertThatThrownBy(() -> SrtUrl.parse("srt://127.0.0.1:" + srtPort + "?streamid=other").open())
                .isInstanceOfSatisfying(SrtException.class, e -> {
                    assertThat(e.rejectReason()).contains(SrtRejectReason.SERVER_REJECTED);
                    assertThat(e.rejectCode()).isEqualTo(1404);
                });
    }

    @Test
    void listenCallbackThatThrowsRejectsInsteadOfCrashing() throws Exception {
        SrtSocket listener = SrtSocket.create();
        open.add(listener);
        listener.listenCallback(caller -> {
            throw new IllegalStateException("application bug");
        }).bind(Peers.loopback(0)).listen(1);
        int srtPort = listener.localAddress().getPort();
        assertThatThrownBy(() -> SrtUrl.parse("srt://127.0.0.1:" + srtPort).open())
                .isInstanceOfSatisfying(SrtException.class, e -> assertThat(e.rejectCode()).isEqualTo(1503));
    }
}
