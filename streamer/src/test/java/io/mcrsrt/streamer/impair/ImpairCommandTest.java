package io.mcrsrt.streamer.impair;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.mcrsrt.streamer.cli.Main;
import io.mcrsrt.streamer.engine.testing.Await;
import io.mcrsrt.streamer.engine.testing.Peers;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ImpairCommandTest {

    /** Within {@code test.ports} when it is set, so that runs side by side keep to their own ports. */
    private static int freeUdpPort() throws java.io.IOException {
        return Peers.freePort();
    }

    @Test
    void relaysForTheGivenTimeAndPrintsWhatItDid() throws Exception {
        InetAddress lo = InetAddress.getLoopbackAddress();
        try (DatagramSocket target = new DatagramSocket(new InetSocketAddress(lo, 0));
                DatagramSocket client = new DatagramSocket(new InetSocketAddress(lo, 0))) {
            target.setSoTimeout(5000);
            int listen = freeUdpPort();
            StringWriter text = new StringWriter();
            CompletableFuture<Integer> run = impairInBackground(text,
                    "--listen", Integer.toString(listen), "--bind", "127.0.0.1",
                    "--to", "127.0.0.1:" + target.getLocalPort(), "--delay", "5", "--loss", "0.0001", "--duration", "2",
                    "--stats", "0");
            assertThat(sendUntilRelayed(client, target, lo, listen).getLength()).isEqualTo(3);
            assertThat(run.get(30, TimeUnit.SECONDS)).isZero();
            assertThat(text.toString())
                    .contains("Relaying UDP 127.0.0.1:" + listen + " <-> 127.0.0.1:" + target.getLocalPort() + " with")
                    // written plainly: it said "loss 1.0E-4 %"
                    .contains("with loss 0.0001 % (bursts of 1), delay 5 ms +/- 0 ms, reorder 0 %, rate unlimited,"
                            + " queue 200 ms each way")
                    .containsPattern("\\[final\\] to target: received \\d+, forwarded [1-9]");
        }
    }

    @Test
    void byDefaultItTakesIpv4AndIpv6ClientsAndSaysSo() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(
                io.mcrsrt.srt.Srt.everyAddress() instanceof java.net.Inet6Address, "no IPv6 here");
        InetAddress v4 = InetAddress.ofLiteral("127.0.0.1");
        InetAddress v6 = InetAddress.ofLiteral("::1");
        try (DatagramSocket target = new DatagramSocket(new InetSocketAddress(v4, 0));
                DatagramSocket client4 = new DatagramSocket(new InetSocketAddress(v4, 0));
                DatagramSocket client6 = new DatagramSocket(new InetSocketAddress(v6, 0))) {
            target.setSoTimeout(5000);
            int listen = freeUdpPort();
            StringWriter text = new StringWriter();
            CompletableFuture<Integer> run = impairInBackground(text,
                    "--listen", Integer.toString(listen), "--to", "127.0.0.1:" + target.getLocalPort(),
                    "--duration", "3", "--stats", "0");
            assertThat(sendUntilRelayed(client4, target, v4, listen).getLength()).isEqualTo(3);
            assertThat(sendUntilRelayed(client6, target, v6, listen).getLength()).isEqualTo(3);
            assertThat(run.get(30, TimeUnit.SECONDS)).isZero();
            // it said "Relaying UDP 0.0.0.0:PORT", which reads as IPv4 only, as srt-live-transmit's 0.0.0.0 is
            assertThat(text.toString()).contains("Relaying UDP [::]:" + listen
                    + " (every address, IPv4 and IPv6) <-> 127.0.0.1:");
        }
    }

    @Test
    void zeroAddressTakesIpv4ClientsOnlyAsSrtLiveTransmitsDoes() throws Exception {
        try (DatagramSocket target = new DatagramSocket(new InetSocketAddress(InetAddress.ofLiteral("127.0.0.1"), 0))) {
            int listen = freeUdpPort();
            StringWriter text = new StringWriter();
            CompletableFuture<Integer> run = impairInBackground(text,
                    "--listen", Integer.toString(listen), "--bind", "0.0.0.0",
                    "--to", "127.0.0.1:" + target.getLocalPort(), "--duration", "2", "--stats", "0");
            assertThat(Await.until(() -> text.toString().contains("Relaying UDP"), 10_000)).isTrue();
            // an IPv6 socket on the same port: it could not bind if the relay held the IPv6 wildcard too
            try (DatagramSocket v6 = new DatagramSocket(new InetSocketAddress(InetAddress.ofLiteral("::1"), listen))) {
                assertThat(v6.getLocalPort()).isEqualTo(listen);
            }
            assertThat(run.get(30, TimeUnit.SECONDS)).isZero();
            assertThat(text.toString()).contains("Relaying UDP 0.0.0.0:" + listen + " (every IPv4 address) <-> ");
        }
    }

    @Test
    void overIpv6ItRelaysAndWritesEveryAddressInBracketsBeforeItsPort() throws Exception {
        InetAddress lo = InetAddress.ofLiteral("::1");
        var log = new ListAppender<ILoggingEvent>();
        var logger = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(LinkEmulator.class);
        log.start();
        logger.addAppender(log);
        try (DatagramSocket target = new DatagramSocket(new InetSocketAddress(lo, 0));
                DatagramSocket client = new DatagramSocket(new InetSocketAddress(lo, 0))) {
            int listen = freeUdpPort();
            StringWriter text = new StringWriter();
            CompletableFuture<Integer> run = impairInBackground(text,
                    "--listen", Integer.toString(listen), "--bind", "::1",
                    "--to", "[::1]:" + target.getLocalPort(), "--duration", "2", "--stats", "0");
            assertThat(sendUntilRelayed(client, target, lo, listen).getLength()).isEqualTo(3);
            assertThat(run.get(30, TimeUnit.SECONDS)).isZero();
            // it said "Relaying UDP ::1:PORT", where the port reads as the address's last group
            assertThat(text.toString()).contains("Relaying UDP [::1]:" + listen + " <-> [::1]:"
                    + target.getLocalPort() + " with");
            List<String> lines = log.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
            // the JDK's /[0:0:0:0:0:0:0:1]:PORT matches nothing an engineer typed
            assertThat(lines).anySatisfy(l -> assertThat(l).contains("relaying to [::1]:" + target.getLocalPort()))
                    .anySatisfy(l -> assertThat(l).contains("new client [::1]:" + client.getLocalPort() + " "))
                    .noneSatisfy(l -> assertThat(l).contains("0:0:0:0"));
        } finally {
            logger.detachAppender(log);
        }
    }

    @Test
    void badTargetIsRejectedNamingTheExpectedForm() {
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute("impair", "--listen", "9000", "--to", "localhost");
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("'localhost' is not HOST:PORT");
    }

    @Test
    void lossAboveOneHundredPercentIsRejected() {
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute("impair", "--listen", "9000", "--to", "127.0.0.1:9001", "--loss", "150");
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("loss 150 is out of range (expected: 0 to 100 %)");
    }

    @Test
    void aRateTooLowToPassOneDatagramWithinTheQueueIsRefusedWithTheLeastThatWorks() {
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setErr(new PrintWriter(err, true));
        // It relayed nothing at all: every datagram waited longer than the queue holds and was dropped.
        int code = cli.execute("impair", "--listen", "9000", "--to", "127.0.0.1:9001", "--rate", "0.000001");
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("rate 0.000001 Mbit/s takes 12000000 ms to pass one 1500-byte datagram,"
                + " longer than the 200 ms queue holds it, so every full-size datagram would be dropped (expected: at"
                + " least 0.06 Mbit/s with this queue, or a longer queue)");
        assertThat(new Impairment(0, 1, 0, 0, 0, 0.06, 200).rateMbps()).isEqualTo(0.06);
    }

    @Test
    void burstLossWithoutLossIsRefusedSayingWhatItNeeds() {
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute("impair", "--listen", "9000", "--to", "127.0.0.1:9001", "--burst-loss", "10");
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("--burst-loss 10 has no effect without --loss: --loss is the share of"
                + " datagrams lost, --burst-loss how many of them in a row (e.g. --loss 2 --burst-loss 10)");
    }

    @Test
    void aListenPortInUseIsReportedInOneLineWithoutAStackTrace() throws Exception {
        InetAddress lo = InetAddress.getLoopbackAddress();
        try (DatagramSocket taken = new DatagramSocket(new InetSocketAddress(lo, 0))) {
            StringWriter err = new StringWriter();
            CommandLine cli = Main.commandLine();
            cli.setErr(new PrintWriter(err, true));
            int code = cli.execute("impair", "--listen", Integer.toString(taken.getLocalPort()), "--bind", "127.0.0.1",
                    "--to", "127.0.0.1:9001", "--duration", "1");
            assertThat(code).isEqualTo(1);
            assertThat(err.toString())
                    .contains("mcr-srt impair: cannot listen on UDP 127.0.0.1:" + taken.getLocalPort())
                    .contains("choose another --listen port")
                    .doesNotContain("\tat ");
        }
    }

    @Test
    void aBindAddressThatDoesNotResolveIsAUsageError() {
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute("impair", "--listen", "9000", "--bind", "no-such-host.invalid", "--to", "127.0.0.1:9001");
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("--bind 'no-such-host.invalid' is not an address")
                .doesNotContain("\tat ");
    }

    @Test
    void negativeDurationAndStatsAreUsageErrors() {
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setErr(new PrintWriter(err, true));
        assertThat(cli.execute("impair", "--listen", "9000", "--to", "127.0.0.1:9001", "--duration", "-5"))
                .isEqualTo(2);
        assertThat(cli.execute("impair", "--listen", "9000", "--to", "127.0.0.1:9001", "--stats", "-1"))
                .isEqualTo(2);
        assertThat(err.toString()).contains("--duration -5 is not a number of seconds")
                .contains("--stats -1 is not a number of seconds");
    }

    /**
     * Sends a 3-byte datagram to the relay on {@code listen} every 100 ms, up to 50 times, until {@code target} receives
     * one (the command may still be starting); returns what arrived, 100 bytes long if nothing did.
     */
    /** Runs {@code impair ARGS} on another thread, its standard output into {@code out}; its exit code when done. */
    private static CompletableFuture<Integer> impairInBackground(StringWriter out, String... args) {
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        String[] command = new String[args.length + 1];
        command[0] = "impair";
        System.arraycopy(args, 0, command, 1, args.length);
        return CompletableFuture.supplyAsync(() -> cli.execute(command));
    }

    private static DatagramPacket sendUntilRelayed(DatagramSocket client, DatagramSocket target, InetAddress lo,
            int listen) throws java.io.IOException {
        DatagramPacket got = new DatagramPacket(new byte[100], 100);
        target.setSoTimeout(100);
        for (int i = 0; i < 50 && got.getLength() == 100; i++) {
            client.send(new DatagramPacket(new byte[] {1, 2, 3}, 3, lo, listen));
            try {
                target.receive(got);
            } catch (java.net.SocketTimeoutException notYetListening) {
                // the command may still be starting
            }
        }
        return got;
    }
}
