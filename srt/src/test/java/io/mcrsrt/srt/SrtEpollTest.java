package io.mcrsrt.srt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SrtEpollTest {

    @Test
    void anEmptySetTimesOutWithZeroInsteadOfFailing() throws Exception {
        try (SrtEpoll epoll = SrtEpoll.create(4)) {
            assertThat(epoll.await(10)).isZero();
        }
    }

    @Test
    void eventsOutsideInOutErrEtAreRefusedNamingTheBadBits() throws Exception {
        try (SrtEpoll epoll = SrtEpoll.create(4); SrtSocket socket = SrtSocket.create()) {
            assertThatThrownBy(() -> epoll.add(socket, SrtEpoll.IN | 1 << 20))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("adding " + socket + " to epoll: events 0x100001 hold bits 0x100000")
                    .hasMessageContaining("SrtEpoll.IN 0x1, OUT 0x4, ERR 0x8 and ET 0x80000000");
            epoll.add(socket, SrtEpoll.IN | SrtEpoll.OUT | SrtEpoll.ERR | SrtEpoll.ET);
            assertThatThrownBy(() -> epoll.update(socket, 0x10))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("updating " + socket + " in epoll: events 0x10 hold bits 0x10");
            epoll.update(socket, SrtEpoll.ERR);
        }
    }

    @Test
    void closeWakesAThreadWaitingForeverAndLaterWaitsSayTheSetIsClosed() throws Exception {
        int epollsBefore = SrtEpoll.openCount();
        SrtEpoll epoll = SrtEpoll.create(4);
        CompletableFuture<Object> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return epoll.await(-1);
            } catch (SrtException e) {
                return e;
            }
        });
        Thread.sleep(100);
        epoll.close();
        Peers.await("the waiting thread to wake", waiting::isDone);
        assertThat(waiting.join()).isInstanceOfSatisfying(SrtException.class,
                e -> assertThat(e.getMessage()).contains("closed"));
        assertThatThrownBy(() -> epoll.await(0)).isInstanceOf(SrtException.class)
                .hasMessageContaining("the epoll set is closed");
        assertThat(SrtEpoll.openCount()).isEqualTo(epollsBefore);
    }

    @Test
    void nonBlockingConnectAcceptAndReceiveAreReportedByEpoll() throws Exception {
        try (SrtEpoll epoll = SrtEpoll.create(8);
                SrtSocket listener = SrtSocket.create();
                SrtSocket caller = SrtSocket.create()) {
            listener.blocking(false).bind(Peers.loopback(0)).listen(4);
            epoll.add(listener, SrtEpoll.IN);
            caller.blocking(false).connect(Peers.loopback(listener.localAddress().getPort()));
            epoll.add(caller, SrtEpoll.OUT | SrtEpoll.ERR);

            SrtSocket accepted = null;
            boolean connected = false;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while ((accepted == null || !connected) && System.nanoTime() < deadline) {
                int n = epoll.await(100);
                for (int i = 0; i < n; i++) {
                    if (epoll.socketId(i) == listener.id()) {
                        accepted = listener.accept();
                    } else if (epoll.socketId(i) == caller.id()) {
                        assertThat(epoll.events(i) & SrtEpoll.ERR).isZero();
                        connected = (epoll.events(i) & SrtEpoll.OUT) != 0;
                    }
                }
            }
            assertThat(accepted).isNotNull();
            assertThat(connected).isTrue();
            try (SrtSocket server = accepted) {
                epoll.remove(caller).remove(listener);
                epoll.add(server, SrtEpoll.IN);
                assertThat(server.receive(new byte[1500], 0, 1500)).isZero();
                caller.send(new byte[] {1, 2, 3}, 0, 3);
                int ready = 0;
                while (ready == 0 && System.nanoTime() < deadline) {
                    ready = epoll.await(100);
                }
                assertThat(ready).isEqualTo(1);
                assertThat(epoll.socketId(0)).isEqualTo(server.id());
                assertThat(epoll.events(0) & SrtEpoll.IN).isNotZero();
                assertThat(server.receive(new byte[1500], 0, 1500)).isEqualTo(3);

                // the entry filled above is not ready any more: a wait that times out leaves none to read
                assertThat(epoll.await(0)).isZero();
                assertThatThrownBy(() -> epoll.socketId(0)).isInstanceOf(IndexOutOfBoundsException.class)
                        .hasMessage("epoll entry 0 does not exist (the last await() returned no ready socket)");
                assertThatThrownBy(() -> epoll.events(8)).isInstanceOf(IndexOutOfBoundsException.class)
                        .hasMessageStartingWith("epoll entry 8 does not exist");
            }
        }
    }

    @Test
    void aFailedNonBlockingConnectIsReportedAsError() throws Exception {
        try (SrtEpoll epoll = SrtEpoll.create(4); SrtSocket caller = SrtSocket.create()) {
            caller.set(SrtOption.CONNTIMEO, 300).blocking(false).connect(Peers.loopback(Peers.freeUdpPort()));
            epoll.add(caller, SrtEpoll.OUT | SrtEpoll.ERR);
            int n = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (n == 0 && System.nanoTime() < deadline) {
                n = epoll.await(100);
            }
            assertThat(n).isEqualTo(1);
            assertThat(epoll.events(0) & SrtEpoll.ERR).isNotZero();
            assertThat(caller.rejectReason()).isEqualTo(SrtRejectReason.TIMEOUT);
        }
    }

    @Test
    void rendezvousPeersMeetFromBothSides() throws Exception {
        int portA = Peers.freeUdpPort();
        int portB = Peers.freeUdpPort();
        try (SrtSocket a = SrtSocket.create(); SrtSocket b = SrtSocket.create()) {
            // Non-blocking, so no thread is left inside libsrt's connect if the peers never meet.
            a.blocking(false).rendezvous(Peers.loopback(portA), Peers.loopback(portB));
            b.blocking(false).rendezvous(Peers.loopback(portB), Peers.loopback(portA));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while ((a.state() != SrtSocketState.CONNECTED || b.state() != SrtSocketState.CONNECTED)
                    && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(a.state()).isEqualTo(SrtSocketState.CONNECTED);
            assertThat(b.state()).isEqualTo(SrtSocketState.CONNECTED);
            a.blocking(true);
            b.blocking(true).set(SrtOption.RCVTIMEO, 10_000);
            a.send(new byte[] {42}, 0, 1);
            byte[] in = new byte[1500];
            assertThat(b.receive(in, 0, in.length)).isEqualTo(1);
            assertThat(in[0]).isEqualTo((byte) 42);
        }
    }
}
