package io.mcrsrt.srt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SrtSocketTest {

    private final java.util.List<AutoCloseable> open = new java.util.ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
    }

    private <T extends AutoCloseable> T keep(T c) {
        open.add(c);
        return c;
    }

    /** A connected pair: [0] the caller, [1] the socket the listener accepted. */
    private SrtSocket[] pair(int callerLatency, int listenerLatency) throws Exception {
        SrtSocket listener = keep(SrtSocket.create());
        listener.set(SrtOption.LATENCY, listenerLatency).bind(Peers.loopback(0)).listen(1);
        int port = listener.localAddress().getPort();
        CompletableFuture<SrtSocket> accepted = Peers.acceptAsync(listener);
        SrtSocket caller = keep(SrtSocket.create());
        caller.set(SrtOption.LATENCY, callerLatency).connect(Peers.loopback(port));
        SrtSocket server = keep(accepted.get(10, TimeUnit.SECONDS));
        return new SrtSocket[] {caller, server};
    }

    /**
     * A live receiver drops what it still holds for the latency when the sender closes, acknowledged or not: closed
     * right after its last send, a sender's twenty messages reached the receiving application none of them.
     */
    @org.junit.jupiter.params.ParameterizedTest(name = "stamped {0} ms ahead")
    @org.junit.jupiter.params.provider.ValueSource(ints = {0, 400})
    void aLiveSenderThatDrainsBeforeClosingHasEveryMessageDelivered(int aheadMs) throws Exception {
        // A sender that hands messages on before they are due (stamped with their due time, as a paced sender does
        // to leave retransmissions the whole latency) has them delivered that much later.
        SrtSocket[] p = pair(120, 120);
        SrtSocket sender = p[0];
        SrtSocket receiver = p[1];
        CompletableFuture<Integer> received = CompletableFuture.supplyAsync(() -> {
            byte[] buffer = new byte[1500];
            int count = 0;
            try {
                while (true) {
                    receiver.receive(buffer, 0, buffer.length);
                    count++;
                }
            } catch (SrtException gone) {
                return count; // the sender closed
            }
        }, r -> Thread.ofPlatform().start(r));
        byte[] message = new byte[1316];
        long due = aheadMs == 0 ? 0 : Srt.now() + aheadMs * 1000L;
        for (int i = 0; i < 20; i++) {
            sender.send(message, 0, message.length, due);
        }
        assertThat(sender.drain(java.time.Duration.ofSeconds(30))).isTrue();
        sender.close();
        assertThat(received.get()).isEqualTo(20);
        assertThat(sender.drain(java.time.Duration.ofSeconds(30))).as("drain on a closed socket").isFalse();
    }

    /** One listening socket on the IPv6 wildcard takes an IPv4 caller and an IPv6 one, the IPv4 one as IPv4. */
    @Test
    void aListenerBoundOnTheIpv6WildcardWithBindListenerTakesIpv4AndIpv6Callers() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Srt.everyAddress() instanceof java.net.Inet6Address, "no IPv6");
        SrtSocket listener = keep(SrtSocket.create());
        listener.bindListener(new InetSocketAddress(Srt.everyAddress(), 0)).listen(2);
        int port = listener.localAddress().getPort();
        for (String from : java.util.List.of("127.0.0.1", "::1")) {
            CompletableFuture<SrtSocket> accepted = Peers.acceptAsync(listener);
            keep(SrtSocket.create()).connect(new InetSocketAddress(java.net.InetAddress.ofLiteral(from), port));
            SrtSocket server = keep(accepted.get(10, TimeUnit.SECONDS));
            assertThat(AddressText.of(server.peerAddress().getAddress())).isEqualTo(from);
        }
    }

    /**
     * A zone written as a URI writes it (RFC 6874: {@code %25} for the {@code %}), here {@code lo}'s on {@code ::1},
     * reaches the listener: it was taken for part of an interface name, "25lo", and the host did not resolve.
     */
    @Test
    void aCallerUrlWithAnIpv6ZoneWrittenPercent25ReachesTheListener() throws Exception {
        SrtSocket listener = keep(SrtSocket.create());
        listener.bindListener(new InetSocketAddress(java.net.InetAddress.ofLiteral("::1"), 0)).listen(1);
        int port = listener.localAddress().getPort();
        CompletableFuture<SrtSocket> accepted = Peers.acceptAsync(listener);
        SrtUrl url = SrtUrl.parse("srt://[::1%25lo]:" + port + "?latency=120");
        assertThat(url.host()).isEqualTo("::1%lo");
        SrtSocket caller = keep(url.open());
        SrtSocket server = keep(accepted.get(10, TimeUnit.SECONDS));
        assertThat(AddressText.of(server.peerAddress().getAddress())).isEqualTo("::1");
        assertThat(caller.state()).isEqualTo(SrtSocketState.CONNECTED);
    }

    @Test
    void libraryLoadsTheGnutlsBuildOfVersion15() {
        assertThat(Srt.version()).startsWith("1.5.");
        assertThat(Srt.libraryName()).isEqualTo(NativeLibrary.GNUTLS_SONAME);
    }

    @Test
    void messagesArriveWhole_fromByteArrayByteBufferAndSegment() throws Exception {
        SrtSocket[] p = pair(120, 120);
        byte[] a = new byte[1316];
        a[0] = 1;
        a[1315] = 11;
        ByteBuffer direct = ByteBuffer.allocateDirect(1316).put(0, (byte) 2);
        ByteBuffer heap = ByteBuffer.allocate(1000).put(0, (byte) 3);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment seg = arena.allocate(500).fill((byte) 4);
            assertThat(p[0].send(a, 0, a.length)).isEqualTo(1316);
            assertThat(p[0].send(direct)).isEqualTo(1316);
            assertThat(direct.remaining()).isZero();
            assertThat(p[0].send(heap, 0)).isEqualTo(1000);
            assertThat(p[0].send(seg)).isEqualTo(500);

            byte[] in = new byte[1500];
            assertThat(p[1].receive(in, 0, in.length)).isEqualTo(1316);
            assertThat(in[0]).isEqualTo((byte) 1);
            assertThat(in[1315]).isEqualTo((byte) 11);
            ByteBuffer inDirect = ByteBuffer.allocateDirect(1500);
            assertThat(p[1].receive(inDirect)).isEqualTo(1316);
            assertThat(inDirect.get(0)).isEqualTo((byte) 2);
            ByteBuffer inHeap = ByteBuffer.allocate(1500);
            assertThat(p[1].receive(inHeap)).isEqualTo(1000);
            assertThat(inHeap.position()).isEqualTo(1000);
            assertThat(inHeap.get(0)).isEqualTo((byte) 3);
            MemorySegment inSeg = arena.allocate(1500);
            assertThat(p[1].receive(inSeg)).isEqualTo(500);
            assertThat(inSeg.get(java.lang.foreign.ValueLayout.JAVA_BYTE, 499)).isEqualTo((byte) 4);
        }
    }

    @Test
    void receiveRefusesReadOnlyAndHeapMemoryAndBadRangesWithoutLosingTheMessage() throws Exception {
        SrtSocket[] p = pair(120, 120);
        // Without the checks the first receive takes the message and the next ones return 0 at RCVTIMEO.
        p[1].set(SrtOption.RCVTIMEO, 2000);
        byte[] message = new byte[188];
        message[0] = 42;
        p[0].send(message, 0, message.length);
        try (Arena arena = Arena.ofConfined()) {
            assertThatThrownBy(() -> p[1].receive(ByteBuffer.allocateDirect(1500).asReadOnlyBuffer()))
                    .isInstanceOf(ReadOnlyBufferException.class);
            assertThatThrownBy(() -> p[1].receive(ByteBuffer.allocate(1500).asReadOnlyBuffer()))
                    .isInstanceOf(ReadOnlyBufferException.class);
            assertThatThrownBy(() -> p[1].receive(arena.allocate(1500).asReadOnly()))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("read-only");
            assertThatThrownBy(() -> p[1].receive(MemorySegment.ofArray(new byte[1500])))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("needs a native segment (Arena.allocate) or a direct buffer");
            assertThatThrownBy(() -> p[1].receive(new byte[100], 50, 100))
                    .isInstanceOf(IndexOutOfBoundsException.class);
        }
        byte[] in = new byte[1500];
        assertThat(p[1].receive(in, 0, in.length)).isEqualTo(188);
        assertThat(in[0]).isEqualTo((byte) 42);
    }

    @Test
    void aLiveMessageOverThePayloadSizeOrABufferUnderItIsRefusedNamingBothSizes() throws Exception {
        SrtSocket[] p = pair(120, 120);
        // Before, both said only "Incorrect use of Message API (sendmsg/recvmsg)".
        assertThatThrownBy(() -> p[0].send(new byte[1317], 0, 1317)).isInstanceOfSatisfying(SrtException.class, e -> {
            assertThat(e.code()).isEqualTo(5009);
            assertThat(e.getMessage()).contains("a message of 1317 bytes is longer than this socket's payload size,"
                    + " 1316 bytes").contains("Incorrect use of Message API");
        });
        assertThat(p[0].send(new byte[1316], 0, 1316)).isEqualTo(1316);
        try (Arena arena = Arena.ofConfined()) {
            assertThatThrownBy(() -> p[1].receive(arena.allocate(100))).isInstanceOfSatisfying(SrtException.class,
                    e -> assertThat(e.getMessage()).contains("a buffer of 100 bytes is shorter than this socket's"
                            + " payload size, 1316 bytes"));
        }
        assertThat(p[1].receive(new byte[1500], 0, 1500)).as("the message was left in libsrt").isEqualTo(1316);
    }

    @Test
    void sendRefusesHeapSegmentsBadRangesAndSegmentsBeyond2GiBNamingTheSize() throws Exception {
        SrtSocket[] p = pair(120, 120);
        try (Arena arena = Arena.ofConfined()) {
            // Never read: the size check comes first. Cast to int, this size would be 100 bytes.
            long size = (4L << 30) + 100;
            MemorySegment huge = arena.allocate(188).reinterpret(size);
            assertThatThrownBy(() -> p[0].send(huge))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(size + " bytes");
            assertThatThrownBy(() -> p[0].send(MemorySegment.ofArray(new byte[188])))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("needs a native segment (Arena.allocate) or a direct buffer");
            assertThatThrownBy(() -> p[0].send(new byte[100], 90, 20)).isInstanceOf(IndexOutOfBoundsException.class);
        }
    }

    @Test
    void deliveryTimeIsTheSourceTimePlusTheLatency() throws Exception {
        SrtSocket[] p = pair(120, 120);
        Thread.sleep(20);
        long stamp = Srt.now() - 5_000;
        p[0].send(new byte[188], 0, 188, stamp);
        byte[] in = new byte[1500];
        assertThat(p[1].receive(in, 0, in.length)).isEqualTo(188);
        assertThat(p[1].lastDeliveryTime() - stamp).isBetween(120_000L, 125_000L);
    }

    @Test
    void lateMessagesStampedWithTheirDueTimesKeepTheirSpacingAtTheReceiver() throws Exception {
        SrtSocket[] p = pair(120, 120);
        Thread.sleep(50);
        long base = Srt.now() - 30_000;
        int count = 10;
        for (int i = 0; i < count; i++) {
            p[0].send(new byte[1316], 0, 1316, base + i * 2_000L);
        }
        byte[] in = new byte[1500];
        long[] delivered = new long[count];
        for (int i = 0; i < count; i++) {
            p[1].receive(in, 0, in.length);
            delivered[i] = p[1].lastDeliveryTime();
        }
        for (int i = 1; i < count; i++) {
            assertThat(delivered[i] - delivered[i - 1]).as("gap before message %d", i).isBetween(1_900L, 2_100L);
        }
    }

    @Test
    void sourceTimeBeforeTheConnectionStartedIsRefused() throws Exception {
        SrtSocket[] p = pair(120, 120);
        long beforeConnect = Srt.now() - 60_000_000L;
        assertThatThrownBy(() -> p[0].send(new byte[188], 0, 188, beforeConnect))
                .isInstanceOfSatisfying(SrtException.class, e -> assertThat(e.code()).isEqualTo(5009));
    }

    @Test
    void sourceTimeInTheNearFutureIsAcceptedAndDeliveredAtItsOwnTime() throws Exception {
        SrtSocket[] p = pair(120, 120);
        long future = Srt.now() + 50_000;
        assertThat(p[0].send(new byte[188], 0, 188, future)).isEqualTo(188);
        byte[] in = new byte[1500];
        assertThat(p[1].receive(in, 0, in.length)).isEqualTo(188);
        // The receiver reports the play time: the source time plus the latency, on a time base libsrt estimated
        // from the handshake, which a busy machine makes late by some milliseconds. Stamped "now" instead, the
        // message would play 50 ms earlier than this window.
        assertThat(p[1].lastDeliveryTime() - future).isBetween(120_000L, 160_000L);
    }

    @Test
    void acceptReportsTheCallersAddressAndBothSidesAreConnected() throws Exception {
        SrtSocket[] p = pair(120, 120);
        assertThat(p[1].peerAddress()).isEqualTo(p[0].localAddress());
        assertThat(p[0].state()).isEqualTo(SrtSocketState.CONNECTED);
        assertThat(p[1].state()).isEqualTo(SrtSocketState.CONNECTED);
    }

    @Test
    void statsCountWhatWasSent_andLatencyIsTheLargerSide() throws Exception {
        SrtSocket[] p = pair(250, 120);
        byte[] msg = new byte[1316];
        byte[] in = new byte[1500];
        int count = 300;
        for (int i = 0; i < count; i++) {
            p[0].send(msg, 0, msg.length);
        }
        for (int i = 0; i < count; i++) {
            assertThat(p[1].receive(in, 0, in.length)).isEqualTo(1316);
        }
        SrtStats sent = p[0].stats();
        SrtStats received = p[1].stats();
        assertThat(sent.pktSentUniqueTotal()).isEqualTo(count);
        // libsrt 1.5 counts bytes with the 44 bytes of SRT, UDP and IPv4 headers of each packet.
        assertThat(sent.byteSentUniqueTotal()).isEqualTo((long) count * (1316 + 44));
        assertThat(received.pktRecvUniqueTotal()).isEqualTo(count);
        assertThat(received.byteRecvUniqueTotal()).isEqualTo((long) count * (1316 + 44));
        assertThat(sent.msRTT()).isPositive();
        assertThat(sent.negotiatedLatencyMs()).isEqualTo(250);
        assertThat(received.negotiatedLatencyMs()).isEqualTo(250);
        assertThat(sent.negotiatedReceiveLatencyMs()).isEqualTo(250);
        assertThat(received.negotiatedReceiveLatencyMs()).isEqualTo(250);
        assertThat(p[1].get(SrtOption.RCVLATENCY)).isEqualTo(250);
        assertThat(p[1].get(SrtOption.PEERLATENCY)).isEqualTo(250);
    }

    @Test
    void eachDirectionHasItsOwnNegotiatedLatency_theSendingOneIsNegotiatedLatencyMs() throws Exception {
        SrtSocket listener = keep(SrtSocket.create());
        listener.set(SrtOption.LATENCY, 120).bind(Peers.loopback(0)).listen(1);
        CompletableFuture<SrtSocket> accepted = Peers.acceptAsync(listener);
        SrtSocket caller = keep(SrtSocket.create());
        caller.set(SrtOption.RCVLATENCY, 300).set(SrtOption.PEERLATENCY, 50).dial(listener.localAddress());
        SrtSocket server = keep(accepted.get(10, TimeUnit.SECONDS));
        // Caller to listener: the larger of the listener's 120 and the caller's PEERLATENCY 50. Before, both sides
        // were told 300, the larger of the two directions.
        SrtStats callerStats = caller.stats();
        assertThat(callerStats.negotiatedLatencyMs()).isEqualTo(120).isEqualTo(callerStats.msSndTsbPdDelay());
        assertThat(callerStats.negotiatedReceiveLatencyMs()).isEqualTo(300).isEqualTo(callerStats.msRcvTsbPdDelay());
        SrtStats serverStats = server.stats();
        assertThat(serverStats.negotiatedLatencyMs()).isEqualTo(300);
        assertThat(serverStats.negotiatedReceiveLatencyMs()).isEqualTo(120);
    }

    @Test
    void intervalCountersRestartWhenCleared() throws Exception {
        SrtSocket[] p = pair(120, 120);
        byte[] msg = new byte[100];
        byte[] in = new byte[1500];
        for (int i = 0; i < 10; i++) {
            p[0].send(msg, 0, msg.length);
        }
        for (int i = 0; i < 10; i++) {
            p[1].receive(in, 0, in.length);
        }
        assertThat(p[0].stats(true).pktSentUnique()).isEqualTo(10);
        assertThat(p[0].stats().pktSentUnique()).isZero();
        assertThat(p[0].stats().pktSentUniqueTotal()).isEqualTo(10);
    }

    @Test
    void nonBlockingReceiveWithNothingReadyReturnsZero() throws Exception {
        SrtSocket[] p = pair(120, 120);
        p[1].set(SrtOption.RCVSYN, false);
        assertThat(p[1].receive(new byte[1500], 0, 1500)).isZero();
    }

    /**
     * A blocking receive waits in an epoll set with libsrt's own RCVSYN off: RCVSYN and RCVTIMEO still read and work
     * as set, before and after the first receive.
     */
    @Test
    void blockingAndReceiveTimeoutKeepTheirMeaningAfterABlockingReceive() throws Exception {
        SrtSocket[] p = pair(120, 120);
        byte[] buffer = new byte[1500];
        p[1].set(SrtOption.RCVTIMEO, 100);
        assertThat(p[1].receive(buffer, 0, buffer.length)).as("RCVTIMEO expired").isZero();
        assertThat(p[1].get(SrtOption.RCVSYN)).isTrue();
        p[0].send(new byte[188], 0, 188);
        p[1].set(SrtOption.RCVTIMEO, -1);
        assertThat(p[1].receive(buffer, 0, buffer.length)).as("a message waited for").isEqualTo(188);
        p[1].blocking(false);
        assertThat(p[1].get(SrtOption.RCVSYN)).isFalse();
        assertThat(p[1].receive(buffer, 0, buffer.length)).as("non-blocking, nothing ready").isZero();
        p[1].blocking(true);
        assertThat(p[1].get(SrtOption.RCVSYN)).isTrue();
        p[0].send(new byte[100], 0, 100);
        assertThat(p[1].receive(buffer, 0, buffer.length)).as("blocking again").isEqualTo(100);
    }

    /**
     * libsrt 1.5.1's blocking receive, at RCVTIMEO with a message held for the latency, handed that message out
     * before it was due. RCVTIMEO ends the wait with 0 and the message comes when it is due.
     */
    @Test
    void aReceiveTimeoutLeavesAHeldMessageUntilItIsDue() throws Exception {
        SrtSocket[] p = pair(1000, 1000);
        byte[] buffer = new byte[1500];
        p[1].set(SrtOption.RCVTIMEO, 100);
        p[0].send(new byte[188], 0, 188);
        Peers.awaitAcknowledged(p[0]);
        long sent = Srt.now();
        assertThat(p[1].receive(buffer, 0, buffer.length)).as("RCVTIMEO expired, the message not due").isZero();
        p[1].set(SrtOption.RCVTIMEO, -1);
        assertThat(p[1].receive(buffer, 0, buffer.length)).isEqualTo(188);
        assertThat(Srt.now()).as("received when due").isGreaterThanOrEqualTo(p[1].lastDeliveryTime());
        assertThat(p[1].lastDeliveryTime()).isGreaterThan(sent);
    }

    @Test
    void receiveAfterThePeerClosesSaysTheConnectionIsGone() throws Exception {
        SrtSocket[] p = pair(120, 120);
        p[0].close();
        assertThatThrownBy(() -> p[1].receive(new byte[1500], 0, 1500))
                .isInstanceOfSatisfying(SrtException.class, e -> {
                    assertThat(e.isConnectionGone()).isTrue();
                    assertThat(e.getMessage()).contains("Connection was broken").doesNotContain("this application");
                });
    }

    @Test
    void aReceiveOrSendEndedByThisSidesOwnCloseSaysSo() throws Exception {
        SrtSocket[] p = pair(120, 120);
        CompletableFuture<Throwable> blocked = receiveOn(p[1]);
        Peers.await("the receiver to block", () -> p[1].state() == SrtSocketState.CONNECTED);
        Thread.sleep(100);
        p[1].close();
        // Before: "receiving on SrtSocket[...]: Connection was broken (2001)", as when the peer leaves.
        assertThat(blocked.get(10, TimeUnit.SECONDS)).isInstanceOfSatisfying(SrtException.class, e -> {
            assertThat(e.isConnectionGone()).isTrue();
            assertThat(e.getMessage()).contains("receiving on").contains("closed by this application");
        });
        assertThatThrownBy(() -> p[1].send(new byte[10], 0, 10)).hasMessageContaining("closed by this application");
        assertThatThrownBy(() -> p[1].receive(new byte[1500], 0, 1500))
                .hasMessageContaining("closed by this application");
    }

    /** A receive on {@code socket} on another thread, which completes with what ended it (null if it received). */
    private static CompletableFuture<Throwable> receiveOn(SrtSocket socket) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                socket.receive(new byte[1500], 0, 1500);
                return null;
            } catch (SrtException e) {
                return e;
            }
        });
    }

    @Test
    void messagesSentAndReceivedBySeveralThreadsAtOnceArriveWholeEachOnce() throws Exception {
        // Before, the threads shared one native buffer per direction: a message could leave with another thread's
        // bytes, and a receiver could hand on the message another receiver had just taken.
        SrtSocket[] p = pair(120, 120);
        int senders = 4;
        int perSender = 500;
        java.util.Set<String> received = java.util.concurrent.ConcurrentHashMap.newKeySet();
        java.util.Queue<String> problems = new java.util.concurrent.ConcurrentLinkedQueue<>();
        java.util.List<Thread> threads = new java.util.ArrayList<>();
        for (int r = 0; r < 2; r++) {
            threads.add(Thread.ofPlatform().start(() -> {
                byte[] buffer = new byte[1500];
                try {
                    while (true) {
                        int n = p[1].receive(buffer, 0, buffer.length);
                        String message = sender(buffer, n);
                        if (message == null || !received.add(message)) {
                            problems.add(message == null ? "a mixed message" : "twice: " + message);
                        }
                    }
                } catch (SrtException closed) {
                    // the end of the test
                }
            }));
        }
        java.util.List<Thread> sending = new java.util.ArrayList<>();
        for (int t = 0; t < senders; t++) {
            byte id = (byte) t;
            sending.add(Thread.ofPlatform().start(() -> {
                byte[] message = new byte[1316];
                java.util.Arrays.fill(message, id);
                try {
                    for (int i = 0; i < perSender; i++) {
                        ByteBuffer.wrap(message).putInt(1, i);
                        p[0].send(message, 0, message.length);
                        Thread.sleep(1); // paced: an unpaced live sender can stall libsrt
                    }
                } catch (SrtException | InterruptedException e) {
                    problems.add(e.toString());
                }
            }));
        }
        for (Thread t : sending) {
            t.join();
        }
        Peers.await("every message to arrive", () -> received.size() + problems.size() >= senders * perSender);
        p[1].close();
        for (Thread t : threads) {
            t.join();
        }
        assertThat(problems).isEmpty();
        assertThat(received).hasSize(senders * perSender);
    }

    /** "SENDER/NUMBER" of a message of {@link #messagesSentAndReceivedBySeveralThreadsAtOnceArriveWholeEachOnce}; null when its bytes are mixed. */
    private static String sender(byte[] message, int length) {
        for (int i = 5; i < length; i++) {
            if (message[i] != message[0]) {
                return null;
            }
        }
        return message[0] + "/" + ByteBuffer.wrap(message).getInt(1);
    }

    @Test
    void closeIsIdempotentAndWakesABlockedReceiver() throws Exception {
        SrtSocket[] p = pair(120, 120);
        CompletableFuture<Throwable> blocked = receiveOn(p[1]);
        Thread.sleep(100);
        p[1].close();
        p[1].close();
        assertThat(blocked.get(10, TimeUnit.SECONDS)).isInstanceOf(SrtException.class);
        assertThat(p[1].isClosed()).isTrue();
        assertThat(p[1].state()).isIn(SrtSocketState.CLOSED, SrtSocketState.NONEXIST, SrtSocketState.CLOSING);
    }

    @Test
    void closeWakesABlockedAcceptWithAConnectionGoneError() throws Exception {
        SrtSocket listener = SrtSocket.create().bind(Peers.loopback(0)).listen(1);
        CompletableFuture<Object> accepting = CompletableFuture.supplyAsync(() -> {
            try {
                return listener.accept();
            } catch (SrtException e) {
                return e;
            }
        });
        Peers.await("the acceptor to start waiting", () -> listener.state() == SrtSocketState.LISTENING);
        Thread.sleep(100);
        listener.close();
        assertThat(accepting.join()).isInstanceOfSatisfying(SrtException.class, e -> {
            assertThat(e.isConnectionGone()).as("%s", e).isTrue();
            assertThat(e.getMessage()).contains("accepting a caller on");
        });
        Peers.await("libsrt to remove the closed listener", () -> listener.state() == SrtSocketState.NONEXIST);
    }

    @Test
    void closeWakesASendBlockedOnAFullBufferWithAConnectionGoneError() throws Exception {
        // File mode keeps everything it is given, so a sender whose peer reads nothing ends up blocked in send. LINGER
        // 0: with file mode's 180 s, close() would first wait that long for the peer to take the data.
        SrtSocket listener = keep(SrtSocket.create());
        listener.set(SrtOption.TRANSTYPE, SrtTransType.FILE).set(SrtOption.MESSAGEAPI, false)
                .bind(Peers.loopback(0)).listen(1);
        CompletableFuture<SrtSocket> accepted = Peers.acceptAsync(listener);
        SrtSocket sender = SrtSocket.create();
        sender.set(SrtOption.TRANSTYPE, SrtTransType.FILE).set(SrtOption.MESSAGEAPI, false).set(SrtOption.LINGER, 0)
                .dial(listener.localAddress());
        keep(accepted.join());
        java.util.concurrent.atomic.AtomicLong started = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.atomic.AtomicLong returned = new java.util.concurrent.atomic.AtomicLong();
        CompletableFuture<Throwable> sending = CompletableFuture.supplyAsync(() -> {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment chunk = arena.allocate(1 << 20);
                while (true) {
                    started.incrementAndGet();
                    sender.send(chunk);
                    returned.incrementAndGet();
                }
            } catch (SrtException e) {
                return e;
            }
        });
        Peers.await("a send to stay blocked for 500 ms", () -> {
            long before = returned.get();
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return started.get() > returned.get() && returned.get() == before;
        });
        sender.close();
        assertThat(sending.join()).isInstanceOfSatisfying(SrtException.class, e -> {
            assertThat(e.isConnectionGone()).as("%s", e).isTrue();
            assertThat(e.getMessage()).contains("sending on");
        });
    }

    @Test
    void connectingToNobodyTimesOutWithTheTimeoutReason() throws Exception {
        SrtSocket caller = keep(SrtSocket.create());
        caller.set(SrtOption.CONNTIMEO, 300);
        assertThatThrownBy(() -> caller.connect(Peers.loopback(Peers.freeUdpPort())))
                .isInstanceOfSatisfying(SrtException.class, e -> {
                    assertThat(e.rejectReason()).contains(SrtRejectReason.TIMEOUT);
                    assertThat(e.getMessage()).contains("did not answer in time");
                });
    }

    @Test
    void errorsNameTheAddressAsAUrlWouldWithoutTheJdksSlash() throws Exception {
        InetSocketAddress nobody = Peers.loopback(Peers.freeUdpPort());
        SrtSocket caller = keep(SrtSocket.create());
        caller.set(SrtOption.CONNTIMEO, 300);
        assertThatThrownBy(() -> caller.connect(nobody)).isInstanceOf(SrtException.class)
                .hasMessageStartingWith("connecting to 127.0.0.1:" + nobody.getPort() + ": ");
        SrtSocket ipv6Caller = keep(SrtSocket.create());
        ipv6Caller.set(SrtOption.CONNTIMEO, 300);
        assertThatThrownBy(() -> ipv6Caller.connect(new InetSocketAddress("::1", nobody.getPort())))
                .isInstanceOf(SrtException.class)
                .hasMessageStartingWith("connecting to [::1]:" + nobody.getPort() + ": ");

        SrtSocket first = keep(SrtSocket.create());
        first.bind(new InetSocketAddress(0)).listen(1);
        int port = first.localAddress().getPort();
        SrtSocket second = keep(SrtSocket.create());
        second.set(SrtOption.REUSEADDR, false);
        assertThatThrownBy(() -> second.bind(new InetSocketAddress(port)).listen(1)).isInstanceOf(SrtException.class)
                .hasMessageStartingWith("binding to 0.0.0.0:" + port + " (");
    }

    @Test
    void aLiveListenerThatSendsOnAcceptLosesNothingToACallerOpenedFromAUrl() throws Exception {
        // With libsrt 1.5.1's blocking connect the caller's receiving thread learnt of the new socket only after the
        // packet it was already waiting for, and discarded what the listener sent in between: on loopback the
        // caller reported the first packets lost (and the listener retransmitted them) in most connections.
        SrtSocket listener = keep(SrtSocket.create());
        listener.bind(Peers.loopback(0)).listen(1);
        SrtUrl url = SrtUrl.parse("srt://127.0.0.1:" + listener.localAddress().getPort() + "?latency=20");
        byte[] message = new byte[1316];
        for (int i = 0; i < 20; i++) {
            CompletableFuture<SrtSocket> accepted = Peers.acceptAsync(listener);
            try (SrtSocket caller = url.open(); SrtSocket server = accepted.join()) {
                // A stream that starts at once: the listener sends until the caller has had five messages.
                CompletableFuture<Void> stream = CompletableFuture.runAsync(() -> {
                    try {
                        while (!caller.isClosed() && caller.stats().pktRecvTotal() < 5) {
                            server.send(message, 0, message.length);
                            Thread.sleep(1);
                        }
                    } catch (SrtException e) {
                        throw new IllegalStateException(e);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
                byte[] buffer = new byte[1500];
                for (int k = 0; k < 5; k++) {
                    assertThat(caller.receive(buffer, 0, buffer.length)).isEqualTo(message.length);
                }
                stream.join();
                assertThat(caller.stats().pktRcvLossTotal()).as("packets reported lost on connection %d", i).isZero();
                assertThat(server.stats().pktRetransTotal()).as("packets retransmitted on connection %d", i).isZero();
            }
        }
    }

    @Test
    void dialledConnectionToNobodyTimesOutWithTheTimeoutCodeAndKeepsBlockingOn() throws Exception {
        SrtSocket caller = keep(SrtSocket.create());
        // Longer than libsrt's default of 3 s, so that waiting at least this long shows the option is the one used.
        caller.set(SrtOption.CONNTIMEO, 3_500);
        long start = System.nanoTime();
        assertThatThrownBy(() -> caller.dial(Peers.loopback(Peers.freeUdpPort())))
                .isInstanceOfSatisfying(SrtException.class, e -> {
                    assertThat(e.rejectReason()).contains(SrtRejectReason.TIMEOUT);
                    assertThat(e.code()).isEqualTo(SrtException.NO_SERVER);
                    assertThat(e.getMessage()).contains("connecting to ").contains("did not answer in time");
                });
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start))
                .as("ms until the dial failed: CONNTIMEO 3500, not the default 3000").isGreaterThanOrEqualTo(3_400L);

        SrtSocket listener = keep(SrtSocket.create());
        listener.bind(Peers.loopback(0)).listen(1);
        SrtSocket dialled = keep(SrtSocket.create());
        dialled.set(SrtOption.SNDSYN, false).dial(listener.localAddress());
        assertThat(dialled.state()).isEqualTo(SrtSocketState.CONNECTED);
        assertThat(dialled.peerAddress()).isEqualTo(listener.localAddress());
        assertThat(dialled.get(SrtOption.RCVSYN)).isTrue();
        assertThat(dialled.get(SrtOption.SNDSYN)).isFalse();
    }

    @Test
    void aConnectionTheListenerClosesAtOnceIsDialledLikeABlockingConnectAndItsFirstReceiveReportsItGone()
            throws Exception {
        SrtSocket listener = keep(SrtSocket.create());
        listener.bind(Peers.loopback(0)).listen(8);
        InetSocketAddress address = listener.localAddress();
        Thread.ofPlatform().daemon().name("accept-and-close").start(() -> {
            try {
                while (true) {
                    listener.accept().close();
                }
            } catch (SrtException closed) {
                // the test is over
            }
        });
        java.util.Map<SrtSocketState, Integer> seen = new java.util.TreeMap<>();
        // Before, about half of these dials threw "rejected ... for an unknown reason", and now and then an
        // IllegalStateException from setting RCVSYN back on the broken socket.
        for (int i = 0; i < 30; i++) {
            try (SrtSocket caller = SrtSocket.create()) {
                caller.dial(address);
                seen.merge(caller.state(), 1, Integer::sum);
                assertThat(caller.peerAddress()).isEqualTo(address);
                assertThatThrownBy(() -> caller.receive(new byte[1500], 0, 1500)).as("dial %d", i)
                        .isInstanceOfSatisfying(SrtException.class, e -> assertThat(e.isConnectionGone()).isTrue());
            }
        }
        assertThat(seen.keySet()).as("states dial returned in").isSubsetOf(SrtSocketState.CONNECTED,
                SrtSocketState.BROKEN, SrtSocketState.CLOSED, SrtSocketState.NONEXIST);

        // A connection the listener refuses is still a rejection, with its reason.
        SrtSocket refusing = keep(SrtSocket.create());
        refusing.listenCallback(c -> SrtAdmission.reject(SrtAdmission.FORBIDDEN)).bind(Peers.loopback(0)).listen(8);
        for (int i = 0; i < 5; i++) {
            SrtSocket caller = keep(SrtSocket.create());
            assertThatThrownBy(() -> caller.dial(refusing.localAddress()))
                    .isInstanceOfSatisfying(SrtException.class, e -> {
                        assertThat(e.code()).isEqualTo(SrtException.CONNECTION_REJECTED);
                        assertThat(e.rejectCode()).isEqualTo(SrtAdmission.FORBIDDEN);
                    });
        }
    }

    @Test
    void theListenCallbackNamesTheCallersSocketWhoseStateTellsAConnectionGivenUpBeforeItWasAccepted()
            throws Exception {
        java.util.Queue<SrtCaller> seen = new java.util.concurrent.ConcurrentLinkedQueue<>();
        SrtSocket listener = keep(SrtSocket.create());
        listener.listenCallback(c -> {
            seen.add(c);
            return SrtAdmission.accept();
        }).bind(Peers.loopback(0)).listen(8);
        try (SrtSocket caller = SrtSocket.create()) {
            caller.connect(listener.localAddress());
            SrtCaller c = seen.remove();
            assertThat(c.socketId()).isPositive();
            // the caller's connect can return a moment before libsrt has finished the listener's side
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (c.state().compareTo(SrtSocketState.CONNECTED) < 0 && System.nanoTime() < end) {
                Thread.sleep(1);
            }
            assertThat(c.state()).as("handshake done, not accepted yet").isEqualTo(SrtSocketState.CONNECTED);
            caller.close();
            // the caller gave the connection up before the listener's program took it on
            while (c.state().compareTo(SrtSocketState.BROKEN) < 0 && System.nanoTime() < end) {
                Thread.sleep(10);
            }
            assertThat(c.state()).isGreaterThanOrEqualTo(SrtSocketState.BROKEN);
        }
        SrtCaller unknown = new SrtCaller(new InetSocketAddress(InetAddress.getLoopbackAddress(), 9000), "", 5);
        assertThat(unknown.state()).as("no socket known").isEqualTo(SrtSocketState.NONEXIST);
    }

    @Test
    void closingASocketWhileItDialsEndsTheDialWithTheClosedErrorAndLeavesNothingBehind() throws Exception {
        // Counts of the whole process: nothing else in this class dials or waits in an epoll set meanwhile.
        int epollsBefore = SrtEpoll.openCount();
        SrtSocket caller = SrtSocket.create();
        int conntimeoMs = 30_000;
        caller.set(SrtOption.CONNTIMEO, conntimeoMs);
        InetSocketAddress nobody = Peers.loopback(Peers.freeUdpPort());
        long start = System.nanoTime();
        CompletableFuture<Throwable> dialling = CompletableFuture.supplyAsync(() -> {
            try {
                caller.dial(nobody);
                return null;
            } catch (SrtException | RuntimeException e) {
                return e;
            }
        });
        Peers.await("the dial to start connecting", () -> caller.state() == SrtSocketState.CONNECTING
                || dialling.isDone());
        assertThat(dialling).as("the dial is still waiting for an answer").isNotDone();
        caller.close();

        // Had the dial ignored the close it would end at CONNTIMEO with the timeout reason instead.
        assertThat(dialling.join()).isInstanceOfSatisfying(SrtException.class, e -> {
            assertThat(e.code()).isEqualTo(SrtException.INVALID_SOCKET);
            assertThat(e.isConnectionGone()).isTrue();
            assertThat(e.getMessage()).contains("connecting to " + AddressText.of(nobody)).contains("closed");
        });
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).as("ms until the dial ended")
                .isLessThan(conntimeoMs);
        assertThat(SrtEpoll.openCount()).as("epoll sets left open").isEqualTo(epollsBefore);
        Peers.await("libsrt to remove the closed socket", () -> caller.state() == SrtSocketState.NONEXIST);
    }

    @Test
    void callsOnAClosedSocketSayItWasClosedInsteadOfGuessingAnotherCause() throws Exception {
        SrtSocket socket = SrtSocket.create();
        socket.close();
        // Before: "binding to 127.0.0.1:0 (is the port already used by another listener, ...): Bad parameters" and
        // "connecting to ...: the connection failed for an unknown reason".
        for (org.assertj.core.api.ThrowableAssert.ThrowingCallable call : java.util.List.<
                org.assertj.core.api.ThrowableAssert.ThrowingCallable>of(
                () -> socket.bind(Peers.loopback(0)),
                () -> socket.connect(Peers.loopback(9)),
                () -> socket.rendezvous(Peers.loopback(0), Peers.loopback(9)),
                () -> socket.listen(1),
                () -> socket.accept())) {
            assertThatThrownBy(call).isInstanceOfSatisfying(SrtException.class, e -> {
                assertThat(e.code()).isEqualTo(SrtException.INVALID_SOCKET);
                assertThat(e.getMessage()).contains("the socket was closed by this application")
                        .doesNotContain("already used").doesNotContain("unknown reason");
            });
        }
        // Before, a listener closed after listening took a listen callback without an error.
        SrtSocket listener = SrtSocket.create().bind(Peers.loopback(0)).listen(1);
        listener.close();
        assertThatThrownBy(() -> listener.listenCallback(caller -> SrtAdmission.accept()))
                .hasMessageContaining("installing the listen callback on").hasMessageContaining("closed by this");
    }

    @Test
    void listeningOnAnUnboundSocketReportsTheUnboundError() throws Exception {
        SrtSocket unbound = keep(SrtSocket.create());
        assertThatThrownBy(() -> unbound.listen(1)).isInstanceOfSatisfying(SrtException.class, e -> {
            assertThat(e.code()).isEqualTo(5005); // SRT_EUNBOUNDSOCK, not 2002 from describing the local address
            assertThat(e.isConnectionGone()).isFalse();
            assertThat(e.getMessage()).contains("bind the socket before listen");
        });
    }

    @Test
    void addressesCanBeReadWhileABlockingConnectWaits() throws Exception {
        SrtSocket caller = keep(SrtSocket.create());
        caller.set(SrtOption.CONNTIMEO, 3000).bind(Peers.loopback(0));
        InetSocketAddress bound = caller.localAddress();
        CompletableFuture<Throwable> connecting = CompletableFuture.supplyAsync(() -> {
            try {
                caller.connect(Peers.loopback(Peers.freeUdpPort()));
                return null;
            } catch (SrtException e) {
                return e;
            }
        });
        while (caller.state() != SrtSocketState.CONNECTING && !connecting.isDone()) {
            Thread.sleep(10);
        }
        assertThat(caller.localAddress()).isEqualTo(bound);
        assertThat(caller.peerAddress()).isNull();
        assertThat(connecting).as("the addresses were read before the connect gave up").isNotDone();
        assertThat(connecting.join()).isInstanceOfSatisfying(SrtException.class,
                e -> assertThat(e.rejectReason()).contains(SrtRejectReason.TIMEOUT));
    }

    @Test
    void peerAddressIsNullUntilANonBlockingConnectHasSucceeded() throws Exception {
        SrtSocket unanswered = keep(SrtSocket.create());
        unanswered.set(SrtOption.CONNTIMEO, 500).blocking(false);
        unanswered.connect(Peers.loopback(Peers.freeUdpPort()));
        assertThat(unanswered.peerAddress()).isNull();
        while (unanswered.state() == SrtSocketState.CONNECTING) {
            Thread.sleep(10);
        }
        assertThat(unanswered.state()).isNotEqualTo(SrtSocketState.CONNECTED);
        assertThat(unanswered.peerAddress()).isNull();

        SrtSocket listener = keep(SrtSocket.create());
        listener.bind(Peers.loopback(0)).listen(1);
        SrtSocket caller = keep(SrtSocket.create());
        caller.blocking(false);
        caller.connect(listener.localAddress());
        while (caller.state() == SrtSocketState.CONNECTING) {
            Thread.sleep(10);
        }
        assertThat(caller.state()).isEqualTo(SrtSocketState.CONNECTED);
        assertThat(caller.peerAddress()).isEqualTo(listener.localAddress());
    }

    @Test
    void toStringAndMessagesWriteAddressesAsAddressTextDoes() throws Exception {
        // Before: "peer localhost/127.0.0.1:PORT", "listening on /127.0.0.1:PORT", "/0:0:0:0:0:0:0:1:PORT".
        java.util.List<String> hosts = new java.util.ArrayList<>(java.util.List.of("127.0.0.1"));
        if (Srt.everyAddress() instanceof java.net.Inet6Address) {
            hosts.add("::1");
        }
        for (String host : hosts) {
            SrtSocket listener = keep(SrtSocket.create());
            listener.bind(new InetSocketAddress(java.net.InetAddress.ofLiteral(host), 0)).listen(1);
            InetSocketAddress at = listener.localAddress();
            String written = host.contains(":") ? "[" + host + "]:" + at.getPort() : host + ":" + at.getPort();
            CompletableFuture<SrtSocket> accepted = Peers.acceptAsync(listener);
            SrtSocket caller = keep(SrtSocket.create());
            caller.dial(at);
            keep(accepted.get(10, TimeUnit.SECONDS));
            assertThat(caller.toString()).isEqualTo("SrtSocket[" + caller.id() + " peer " + written + "]");
            SrtSocket second = keep(SrtSocket.create());
            assertThatThrownBy(() -> second.bind(at).listen(1)).isInstanceOf(SrtException.class)
                    .hasMessageStartingWith("listening on " + written + ": ");
        }
    }

    @Test
    void bindingToATakenPortNamesTheAddress() throws Exception {
        SrtSocket first = keep(SrtSocket.create());
        first.bind(Peers.loopback(0)).listen(1);
        InetSocketAddress taken = first.localAddress();
        SrtSocket second = keep(SrtSocket.create());
        second.set(SrtOption.REUSEADDR, false);
        assertThatThrownBy(() -> second.bind(taken).listen(1))
                .isInstanceOf(SrtException.class).hasMessageContaining(String.valueOf(taken.getPort()));
    }

    /**
     * libsrt 1.5.1 fails a receive with "connection broken" as soon as the peer has closed, while the messages of the
     * last latency are still held; a non-blocking receive returns 0 until each is due and delivers them all.
     */
    @Test
    void aNonBlockingReceiveDeliversWhatIsStillHeldWhenThePeerClosesAndThenReportsTheEnd() throws Exception {
        int count = 300;
        try (SrtSocket listener = SrtSocket.create().set(SrtOption.LATENCY, 500).bind(Peers.loopback(0)).listen(1)) {
            CompletableFuture<SrtSocket> accepted = Peers.acceptAsync(listener);
            try (SrtSocket receiver = SrtSocket.create().set(SrtOption.LATENCY, 500)
                    .dial(Peers.loopback(listener.localAddress().getPort()))) {
                receiver.blocking(false);
                try (SrtSocket sender = accepted.get(10, TimeUnit.SECONDS)) {
                    // closed once the receiver has them all, without waiting for the latency as drain() does: the
                    // receiver still holds the last 500 ms of them
                    Peers.sendNumbered(sender, count);
                }
                java.util.List<Integer> received = new java.util.ArrayList<>();
                byte[] buffer = new byte[1500];
                SrtException end = null;
                while (end == null) {
                    try {
                        if (receiver.receive(buffer, 0, buffer.length) > 0) {
                            received.add(ByteBuffer.wrap(buffer).getInt());
                        } else {
                            Thread.sleep(1);
                        }
                    } catch (SrtException e) {
                        end = e;
                    }
                }
                assertThat(end.isConnectionGone()).as("the end: " + end.getMessage()).isTrue();
                assertThat(received).as("message numbers received")
                        .containsExactlyElementsOf(java.util.stream.IntStream.range(0, count).boxed().toList());
            }
        }
    }

    /**
     * libsrt 1.5.1's blocking receive, waiting when the peer closes, took the first message still held for the latency
     * and then reported the broken connection: one message was lost. Waiting when the sender closes, a blocking
     * receive here gets every message, each when it is due, and then the end.
     */
    @Test
    void aBlockingReceiveWaitingWhenThePeerClosesGetsEveryHeldMessage() throws Exception {
        int count = 300;
        try (SrtSocket listener = SrtSocket.create().set(SrtOption.LATENCY, 500).bind(Peers.loopback(0)).listen(1)) {
            CompletableFuture<SrtSocket> accepted = Peers.acceptAsync(listener);
            try (SrtSocket receiver = SrtSocket.create().set(SrtOption.LATENCY, 500)
                    .dial(Peers.loopback(listener.localAddress().getPort()))) {
                java.util.List<Integer> received = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
                CompletableFuture<SrtException> end = CompletableFuture.supplyAsync(() -> {
                    byte[] buffer = new byte[1500];
                    try {
                        while (true) {
                            if (receiver.receive(buffer, 0, buffer.length) > 0) {
                                received.add(ByteBuffer.wrap(buffer).getInt());
                            }
                        }
                    } catch (SrtException e) {
                        return e;
                    }
                }, r -> Thread.ofPlatform().start(r));
                try (SrtSocket sender = accepted.get(10, TimeUnit.SECONDS)) {
                    byte[] message = new byte[1316];
                    for (int i = 0; i < count; i++) {
                        ByteBuffer.wrap(message).putInt(i);
                        sender.send(message, 0, message.length);
                        Thread.sleep(2);
                    }
                    // Closed once the receiver has them all, while it waits for the last 500 ms of them to be due.
                    Peers.awaitAcknowledged(sender);
                }
                SrtException e = end.get(30, TimeUnit.SECONDS);
                assertThat(e.isConnectionGone()).as("the end: " + e.getMessage()).isTrue();
                assertThat(received).as("message numbers received")
                        .containsExactlyElementsOf(java.util.stream.IntStream.range(0, count).boxed().toList());
            }
        }
    }
}
