package io.mcrsrt.srt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SrtFileTransferTest {

    @TempDir
    Path temp;

    private Path served;
    private SrtFileServer server;
    private String url;

    @BeforeEach
    void startServer() throws IOException {
        served = Files.createDirectory(temp.resolve("served"));
        server = SrtFileServer.start(served, 0);
        url = "srt://127.0.0.1:" + server.localAddress().getPort();
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Test
    void fiftyMegabytesArriveWithTheSameSha256() throws Exception {
        Path source = served.resolve("clip.ts");
        writeRandom(source, 50L * 1024 * 1024 + 123);
        Path local = temp.resolve("fetched.ts");
        AtomicLong lastProgress = new AtomicLong();
        long received = SrtFileClient.fetch(SrtUrl.parse(url), "clip.ts", local,
                (done, total) -> lastProgress.set(done));
        assertThat(received).isEqualTo(Files.size(source));
        assertThat(lastProgress.get()).isEqualTo(Files.size(source));
        assertThat(sha256(local)).isEqualTo(sha256(source));
    }

    @Test
    void theServersFirstReplyReachesTheClientWithoutBeingReportedLost() throws Exception {
        // With libsrt 1.5.1's blocking connect the caller's receiving thread learnt of the new socket only after the
        // packet it was already waiting for. About one connection in ten that packet was the server's status byte:
        // discarded, reported lost once the size arrived, and the server's file congestion control, with nothing
        // measured yet, fell to 16 packets/s. Sixty connections make a miss at that rate all but certain.
        Files.write(served.resolve("tiny.bin"), new byte[3000]);
        SrtUrl fileMode = SrtFileServer.fileMode(SrtUrl.parse(url));
        for (int i = 0; i < 60; i++) {
            try (SrtSocket socket = fileMode.open(); Arena arena = Arena.ofConfined()) {
                FileTransferProtocol.writeName(socket, "tiny.bin");
                assertThat(FileTransferProtocol.readByte(socket)).isEqualTo(FileTransferProtocol.OK);
                MemorySegment content = arena.allocate(FileTransferProtocol.readLong(socket));
                FileTransferProtocol.readFully(socket, content);
                // Before the confirmation: the server closes once it has it, and a broken socket has no statistics.
                assertThat(socket.stats().pktRcvLossTotal()).as("packets reported lost on connection %d", i).isZero();
                FileTransferProtocol.writeByte(socket, FileTransferProtocol.ACK);
            }
        }
    }

    @Test
    void fetchingFromAPortWithoutServerFailsWithTheTimeoutReason() {
        String nobody = "srt://127.0.0.1:" + Peers.freeUdpPort() + "?conntimeo=500";
        assertThatThrownBy(() -> Srt.fetch(nobody, "clip.ts", temp.resolve("x")))
                .isInstanceOfSatisfying(SrtException.class, e -> {
                    assertThat(e.rejectReason()).contains(SrtRejectReason.TIMEOUT);
                    assertThat(e.code()).isEqualTo(SrtException.NO_SERVER);
                    assertThat(e.getMessage()).contains("connecting to ").contains("did not answer in time");
                });
        assertThat(temp.resolve("x")).doesNotExist();
    }

    @Test
    void aFetchGivenAListenerOrRendezvousUrlIsRefusedNamingTheCallerUrlMeantInsteadOfWaitingForAServerToCall() throws Exception {
        // A listener URL used to wait in accept for a server to call, which a file server never does: for ever, and
        // neither an interrupt nor a timeout ended it.
        int port = server.localAddress().getPort();
        assertThatThrownBy(() -> Srt.fetch("srt://:" + port, "clip.ts", temp.resolve("x")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cannot fetch from srt://:" + port + ": it is a listener URL, and a file server only "
                        + "listens, so the client calls it: write srt://SERVER:" + port + " with the server's address"
                        + " (and no mode=)");
        assertThatThrownBy(() -> Srt.fetch("srt://127.0.0.1:" + port + "?mode=rendezvous", "clip.ts",
                temp.resolve("x")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("it is a rendezvous URL")
                .hasMessageContaining("write srt://127.0.0.1:" + port + " with the server's address");
        assertThat(temp.resolve("x")).doesNotExist();
    }

    @Test
    void aTransferThatOutlastsTheConfirmationWaitIsStillConfirmedByTheServer() throws Exception {
        // libsrt takes the whole 3 MB into its send buffer at once; at MAXBW 1 MB/s delivering it takes about 3 s,
        // three times the 1 s the server grants a client that acknowledges nothing. The wait must run from the last
        // progress of the delivery, not from the moment the last byte was queued.
        Files.write(served.resolve("slow.ts"), new byte[3_000_000]);
        BlockingQueue<SrtFileServer.Outcome> outcomes = new LinkedBlockingQueue<>();
        int port = Peers.freeUdpPort();
        try (SrtFileServer slow = SrtFileServer.start(served,
                SrtUrl.parse("srt://127.0.0.1:" + port + "?mode=listener&maxbw=1000000"), Duration.ofSeconds(1),
                outcomes::add)) {
            assertThat(Srt.fetch("srt://127.0.0.1:" + port, "slow.ts", temp.resolve("slow.ts"))).isEqualTo(3_000_000);
            assertThat(outcomes.take()).isEqualTo(new SrtFileServer.Outcome("slow.ts", 3_000_000, true, null));
        }
    }

    @Test
    void aClientThatVanishesMidTransferEndsTheServersWaitWhenLibsrtDeclaresItGone() throws Exception {
        // The client's network goes away after the first bytes: no SHUTDOWN reaches the server, no acknowledgement
        // either. The server's wait must end when libsrt's peer idle timeout (shortened here) breaks the connection,
        // not only when 30 s without progress have passed.
        Files.write(served.resolve("slow.ts"), new byte[3_000_000]);
        BlockingQueue<SrtFileServer.Outcome> outcomes = new LinkedBlockingQueue<>();
        int port = Peers.freeUdpPort();
        try (SrtFileServer slow = SrtFileServer.start(served,
                SrtUrl.parse("srt://127.0.0.1:" + port + "?mode=listener&maxbw=1000000&peeridletimeo=1000"),
                SrtFileServer.ACK_TIMEOUT, outcomes::add);
                Relay relay = new Relay(port)) {
            SrtUrl viaRelay = SrtUrl.parse("srt://127.0.0.1:" + relay.port() + "?peeridletimeo=1000");
            assertThatThrownBy(() -> SrtFileClient.fetch(viaRelay, "slow.ts", temp.resolve("slow.ts"),
                    (done, total) -> relay.cut())).isInstanceOf(IOException.class);
            SrtFileServer.Outcome outcome = outcomes.take();
            assertThat(outcome.confirmed()).isFalse();
            assertThat(outcome.problem()).doesNotContain("acknowledged nothing");
        }
    }

    @Test
    void closingTheServerCutsATransferInProgressInsteadOfDeliveringItFirst() throws Exception {
        // At MAXBW 300 kB/s the 3 MB need 10 s; libsrt holds all of it in its send buffer. Closing the server must
        // end the transfer, not linger until libsrt has delivered the rest.
        Files.write(served.resolve("slow.ts"), new byte[3_000_000]);
        BlockingQueue<SrtFileServer.Outcome> outcomes = new LinkedBlockingQueue<>();
        int port = Peers.freeUdpPort();
        SrtFileServer slow = SrtFileServer.start(served,
                SrtUrl.parse("srt://127.0.0.1:" + port + "?mode=listener&maxbw=300000"), SrtFileServer.ACK_TIMEOUT,
                outcomes::add);
        AtomicBoolean closedOnce = new AtomicBoolean();
        SrtFileClient.Progress closeOnFirstBytes = (done, total) -> {
            if (closedOnce.compareAndSet(false, true)) {
                slow.close();
            }
        };
        Files.writeString(temp.resolve("slow.ts"), "the copy fetched the day before");
        assertThatThrownBy(() -> SrtFileClient.fetch(SrtUrl.parse("srt://127.0.0.1:" + port), "slow.ts",
                temp.resolve("slow.ts"), closeOnFirstBytes)).isInstanceOf(IOException.class)
                .hasMessageContaining("is as it was");
        assertThat(outcomes.take().confirmed()).isFalse();
        assertThat(temp.resolve("slow.ts")).as("cut off, so the file there before is kept as it was")
                .hasContent("the copy fetched the day before");
        try (var left = Files.list(temp)) {
            assertThat(left.map(p -> p.getFileName().toString())).as("no partial file left behind")
                    .noneMatch(n -> n.endsWith(".part"));
        }
    }

    @Test
    void closingTheServerReturnsWhileAClientThatReadsNothingHasItsSendBlocked() throws Exception {
        // 40 MB is more than libsrt's send buffer and the client's receive buffer together: the server's worker ends
        // up blocked in send. Cutting that transfer used to set LINGER 0 first, which libsrt makes wait for the
        // blocked send to return: with a client that reads nothing, never, and close() with it.
        writeRandom(served.resolve("big.ts"), 40L * 1024 * 1024);
        SrtSocket client = SrtFileServer.fileMode(SrtUrl.parse(url)).open();
        try {
            FileTransferProtocol.writeName(client, "big.ts");
            assertThat(FileTransferProtocol.readByte(client)).isEqualTo(FileTransferProtocol.OK);
            FileTransferProtocol.readLong(client);
            AtomicLong received = new AtomicLong(-1);
            Peers.await("the client's receive buffer to fill up", () -> {
                try {
                    long now = client.get(SrtOption.RCVDATA);
                    Thread.sleep(500);
                    return now > 0 && received.getAndSet(now) == now;
                } catch (SrtException | InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            java.util.concurrent.CompletableFuture<Void> closing =
                    java.util.concurrent.CompletableFuture.runAsync(server::close);
            Peers.await("server.close() to return", closing::isDone);
            closing.join();
            assertThat(client.state()).as("the transfer was cut").isNotEqualTo(SrtSocketState.CONNECTED);
        } finally {
            client.close();
        }
    }

    @Test
    void aClientThatStopsReadingEndsItsTransferAfterTheAckTimeoutWithoutLingering() throws Exception {
        // The server gives up on the client after 1 s without progress. Its connection must then close at once: with
        // file mode's linger the close waited up to 180 s for the client to take the rest, and reported the outcome
        // only after that.
        writeRandom(served.resolve("big.ts"), 40L * 1024 * 1024);
        BlockingQueue<SrtFileServer.Outcome> outcomes = new LinkedBlockingQueue<>();
        int port = Peers.freeUdpPort();
        try (SrtFileServer impatient = SrtFileServer.start(served,
                SrtUrl.parse("srt://127.0.0.1:" + port + "?mode=listener"), Duration.ofSeconds(1), outcomes::add);
                SrtSocket client = SrtFileServer.fileMode(SrtUrl.parse("srt://127.0.0.1:" + port)).open()) {
            FileTransferProtocol.writeName(client, "big.ts");
            assertThat(FileTransferProtocol.readByte(client)).isEqualTo(FileTransferProtocol.OK);
            FileTransferProtocol.readLong(client);
            Peers.await("the server to report the transfer's end", () -> !outcomes.isEmpty());
            SrtFileServer.Outcome outcome = outcomes.take();
            assertThat(outcome.confirmed()).isFalse();
            assertThat(outcome.problem()).contains("the client took nothing for 1 s");
        }
    }

    @Test
    void filesInSubdirectoriesAndEmptyFilesAreServed() throws Exception {
        Files.createDirectories(served.resolve("day1"));
        Files.writeString(served.resolve("day1/notes.txt"), "line up at 10:00");
        Files.write(served.resolve("empty.bin"), new byte[0]);
        assertThat(Srt.fetch(url, "day1/notes.txt", temp.resolve("notes.txt"))).isEqualTo(16);
        assertThat(Files.readString(temp.resolve("notes.txt"))).isEqualTo("line up at 10:00");
        assertThat(Srt.fetch(url, "empty.bin", temp.resolve("empty.bin"))).isZero();
    }

    @Test
    void aNameWithDotDotIsRefused() throws Exception {
        Files.writeString(temp.resolve("secret.txt"), "not for you");
        Path local = temp.resolve("stolen.txt");
        assertThatThrownBy(() -> Srt.fetch(url, "../secret.txt", local))
                .isInstanceOf(IOException.class).hasMessageContaining("refused")
                .hasMessageContaining("\"..\" may not leave the served directory");
        assertThat(local).doesNotExist();
    }

    @Test
    void anAbsoluteNameIsRefused() {
        assertThatThrownBy(() -> Srt.fetch(url, "/etc/passwd", temp.resolve("x")))
                .isInstanceOf(IOException.class).hasMessageContaining("refused");
    }

    @Test
    void aLinkLeadingOutsideIsRefused() throws Exception {
        Files.writeString(temp.resolve("secret.txt"), "not for you");
        Files.createSymbolicLink(served.resolve("link.txt"), temp.resolve("secret.txt"));
        assertThatThrownBy(() -> Srt.fetch(url, "link.txt", temp.resolve("x")))
                .isInstanceOf(IOException.class).hasMessageContaining("links outside the served directory");
    }

    @Test
    void aNameOutsideTheProtocolsOneTo4096BytesIsRefusedBeforeSending() {
        String tooLong = "\u00fc".repeat(2049); // 2049 characters, 4098 bytes in UTF-8
        assertThatThrownBy(() -> Srt.fetch(url, tooLong, temp.resolve("x")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("4098 bytes")
                .hasMessageContaining("1 to 4096 bytes");
        assertThatThrownBy(() -> Srt.fetch(url, "", temp.resolve("x")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0 bytes");
        assertThat(temp.resolve("x")).doesNotExist();
    }

    @Test
    void aFetchIntoAFolderThatDoesNotExistOrIntoAFolderFailsBeforeAskingTheServer() throws Exception {
        Files.write(served.resolve("clip.ts"), new byte[100_000]);
        AtomicLong accepted = new AtomicLong();
        int port = Peers.freeUdpPort();
        try (SrtFileServer counting = SrtFileServer.start(served, SrtUrl.parse("srt://127.0.0.1:" + port
                + "?mode=listener"), Duration.ofSeconds(30), outcome -> { }, accepted::incrementAndGet)) {
            String at = "srt://127.0.0.1:" + port;
            Path missing = temp.resolve("no-such-folder");
            // Before, the file was requested and sent, and only writing it failed, naming the temporary file.
            assertThatThrownBy(() -> Srt.fetch(at, "clip.ts", missing.resolve("clip.ts")))
                    .isInstanceOf(java.nio.file.NoSuchFileException.class)
                    .hasMessage(missing + ": the folder to fetch \"clip.ts\" into does not exist (create it first, or"
                            + " fetch into a folder that exists)");
            Path file = Files.write(temp.resolve("a-file"), new byte[1]);
            assertThatThrownBy(() -> Srt.fetch(at, "clip.ts", file.resolve("clip.ts")))
                    .isInstanceOf(java.nio.file.FileSystemException.class).hasMessageContaining("is not a folder");
            assertThatThrownBy(() -> Srt.fetch(at, "clip.ts", temp))
                    .isInstanceOf(java.nio.file.FileSystemException.class)
                    .hasMessageContaining(temp + ": is a folder")
                    .hasMessageContaining(temp.resolve("clip.ts").toString());
            assertThat(accepted.get()).as("connections the server accepted").isZero();
            assertThat(Srt.fetch(at, "clip.ts", temp.resolve("clip.ts"))).isEqualTo(100_000);
            assertThat(accepted.get()).isEqualTo(1);
        }
    }

    @Test
    void anInterruptedFetchEndsKeepsNothingAndLeavesTheInterruptStatusSet() throws Exception {
        Files.write(served.resolve("long.ts"), new byte[20 << 20]); // twenty of the client's 1 MiB receives at least
        Path local = temp.resolve("long.ts");
        SrtFileClient.Progress interruptOnFirstBytes = (done, total) -> Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(() -> SrtFileClient.fetch(SrtUrl.parse(url), "long.ts", local, interruptOnFirstBytes))
                    .isInstanceOfSatisfying(InterruptedIOException.class, e -> {
                        assertThat(e.getMessage()).contains("interrupted after").contains("of " + (20 << 20) + " bytes")
                                .contains("nothing kept");
                        assertThat(e.bytesTransferred).isPositive().isLessThan(20 << 20);
                    });
            assertThat(Thread.currentThread().isInterrupted()).as("interrupt status kept").isTrue();
        } finally {
            Thread.interrupted();
        }
        assertThat(local).doesNotExist();
        assertThat(Srt.fetch(url, "long.ts", local)).as("the server serves on").isEqualTo(20 << 20);
    }

    @Test
    void anInterruptFromAnotherThreadAtAnyMomentEndsTheFetchTheSameWay() throws Exception {
        // Interrupted at random moments of a transfer under way: in libsrt's receive, between receives, or while the
        // interruptible file channel writes (which closes it and throws ClosedByInterruptException, message null).
        Files.write(served.resolve("steady.ts"), new byte[20 << 20]);
        int port = Peers.freeUdpPort();
        SplittableRandom random = new SplittableRandom(11);
        try (SrtFileServer paced = SrtFileServer.start(served,
                SrtUrl.parse("srt://127.0.0.1:" + port + "?mode=listener&maxbw=4000000"), SrtFileServer.ACK_TIMEOUT,
                outcome -> { })) {
            for (int i = 0; i < 20; i++) {
                Path local = temp.resolve("steady-" + i + ".ts");
                AtomicReference<Throwable> thrown = new AtomicReference<>();
                Thread fetching = Thread.ofPlatform().name("fetch-" + i).start(() -> {
                    try {
                        Srt.fetch("srt://127.0.0.1:" + port, "steady.ts", local);
                    } catch (Throwable t) {
                        thrown.set(t);
                    }
                });
                Peers.await("the first bytes of fetch " + i, () -> receivedSoFar(local) > 0 || !fetching.isAlive());
                Thread.sleep(random.nextInt(30));
                fetching.interrupt();
                fetching.join();
                assertThat(thrown.get()).as("fetch %d", i).isInstanceOf(InterruptedIOException.class)
                        .hasMessageContaining("interrupted after");
                assertThat(local).doesNotExist();
                assertThat(receivedSoFar(local)).as("a partial file left behind").isEqualTo(-1);
            }
        }
    }

    @Test
    void aFetchFromAListenerThatNeverAnswersEndsNamingWhatIsExpectedThere() throws Exception {
        int port = Peers.freeUdpPort();
        try (SrtSocket silent = SrtFileServer.fileMode(SrtUrl.parse("srt://127.0.0.1:" + port + "?mode=listener"))
                .listen(1)) {
            java.util.concurrent.CompletableFuture<SrtSocket> accepted = Peers.acceptAsync(silent);
            try {
                assertThatThrownBy(() -> Srt.fetch("srt://127.0.0.1:" + port, "clip.ts", temp.resolve("clip.ts")))
                        .isInstanceOf(IOException.class).hasMessageContaining("no answer from 127.0.0.1:" + port)
                        .hasMessageContaining("sent nothing for 10 s").hasMessageContaining("mcr-srt serve-files");
            } finally {
                accepted.join().close();
            }
        }
        assertThat(temp.resolve("clip.ts")).doesNotExist();
    }

    @Test
    void aCallerAcceptedWhileTheServerClosesIsCutOffInsteadOfServed() throws Exception {
        Files.write(served.resolve("small.ts"), new byte[188 * 1000]);
        CountDownLatch acceptedOne = new CountDownLatch(1);
        AtomicReference<Thread> closer = new AtomicReference<>();
        // Holds the accepted caller back from registration until close() has cut the registered callers and waits
        // for the accepting thread: the moment a caller accepted then used to be served in full.
        Runnable holdUntilCloseWaits = () -> {
            acceptedOne.countDown();
            try {
                Peers.await("close() to wait for the accepting thread", () -> closer.get() != null
                        && closer.get().getState() == Thread.State.TIMED_WAITING);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        int port = Peers.freeUdpPort();
        SrtFileServer racing = SrtFileServer.start(served, SrtUrl.parse("srt://127.0.0.1:" + port + "?mode=listener"),
                SrtFileServer.ACK_TIMEOUT, outcome -> { }, holdUntilCloseWaits);
        Path local = temp.resolve("small.ts");
        java.util.concurrent.CompletableFuture<Long> fetch = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return Srt.fetch("srt://127.0.0.1:" + port, "small.ts", local);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        acceptedOne.await();
        Thread closing = Thread.ofPlatform().name("closing").unstarted(racing::close);
        closer.set(closing);
        closing.start();
        assertThatThrownBy(fetch::join).hasCauseInstanceOf(UncheckedIOException.class);
        closing.join();
        assertThat(local).doesNotExist();
    }

    @Test
    void aMissingFileIsReportedAsNotFound() {
        assertThatThrownBy(() -> Srt.fetch(url, "nothing.ts", temp.resolve("x")))
                .isInstanceOf(IOException.class).hasMessageContaining("no file \"nothing.ts\"");
    }

    @Test
    void aFileThatShrinksWhileBeingSentEndsThatTransferAndTheServerKeepsServing() throws Exception {
        Path source = served.resolve("rotating.log");
        long size = 64L << 20; // well beyond what libsrt's send and receive buffers hold, so the server is still reading
        try (RandomAccessFile f = new RandomAccessFile(source.toFile(), "rw")) {
            f.setLength(size);
        }
        Files.writeString(served.resolve("after.txt"), "still serving");
        Path local = temp.resolve("cut.log");
        AtomicBoolean truncated = new AtomicBoolean();
        // Cut the file to 1 MiB once the first bytes arrive: the server has read at least its first 1 MiB chunk.
        SrtFileClient.Progress truncateOnce = (done, total) -> {
            if (truncated.compareAndSet(false, true)) {
                try (FileChannel channel = FileChannel.open(source, StandardOpenOption.WRITE)) {
                    channel.truncate(1 << 20);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        };
        assertThatThrownBy(() -> SrtFileClient.fetch(SrtUrl.parse(url), "rotating.log", local, truncateOnce))
                .isInstanceOf(IOException.class).hasMessageContaining(" of " + size + " bytes");
        assertThat(truncated).isTrue();
        assertThat(local).doesNotExist();
        assertThat(Srt.fetch(url, "after.txt", temp.resolve("after.txt"))).isEqualTo(13);
    }

    /** Forwards UDP between one caller and a server on loopback until {@link #cut()}, then drops everything. */
    private static final class Relay implements AutoCloseable {
        private final DatagramSocket front = new DatagramSocket(new InetSocketAddress(Peers.LOOPBACK, 0));
        private final DatagramSocket back = new DatagramSocket(new InetSocketAddress(Peers.LOOPBACK, 0));
        private volatile SocketAddress caller;
        private volatile boolean cut;

        Relay(int serverPort) throws IOException {
            back.connect(Peers.loopback(serverPort));
            Thread.ofPlatform().daemon().name("relay-to-server").start(() -> pump(front, true));
            Thread.ofPlatform().daemon().name("relay-to-caller").start(() -> pump(back, false));
        }

        int port() {
            return front.getLocalPort();
        }

        void cut() {
            cut = true;
        }

        private void pump(DatagramSocket from, boolean towardsServer) {
            byte[] buffer = new byte[2048];
            try {
                while (true) {
                    DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                    from.receive(packet);
                    if (towardsServer) {
                        caller = packet.getSocketAddress();
                    }
                    if (cut) {
                        continue;
                    }
                    if (towardsServer) {
                        back.send(new DatagramPacket(buffer, packet.getLength()));
                    } else if (caller != null) {
                        front.send(new DatagramPacket(buffer, packet.getLength(), caller));
                    }
                }
            } catch (IOException closed) {
                // close() ends the relay
            }
        }

        @Override
        public void close() {
            front.close();
            back.close();
        }
    }

    private static void writeRandom(Path file, long size) throws IOException {
        SplittableRandom random = new SplittableRandom(42);
        byte[] chunk = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long left = size; left > 0; left -= chunk.length) {
                random.nextBytes(chunk);
                out.write(chunk, 0, (int) Math.min(chunk.length, left));
            }
        }
    }

    private static String sha256(Path file) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 20];
            for (int n; (n = in.read(buf)) > 0; ) {
                digest.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** Bytes of {@code local} received so far: the size of its temporary file beside it; -1 when there is none. */
    static long receivedSoFar(Path local) {
        String prefix = "." + local.getFileName() + ".";
        try (var files = Files.list(local.getParent())) {
            return files.filter(p -> p.getFileName().toString().startsWith(prefix)
                    && p.getFileName().toString().endsWith(".part")).mapToLong(p -> p.toFile().length()).max()
                    .orElse(-1);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
