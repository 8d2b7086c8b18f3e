package io.mcrsrt.streamer.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mcrsrt.srt.SrtException;
import io.mcrsrt.srt.SrtOption;
import io.mcrsrt.srt.SrtSocket;
import io.mcrsrt.streamer.engine.testing.Peers;
import io.mcrsrt.streamer.engine.testing.TestMedia;
import io.mcrsrt.streamer.engine.testing.TsCheck;
import io.mcrsrt.streamer.stream.Encryption;
import io.mcrsrt.streamer.stream.InputCounters;
import io.mcrsrt.streamer.stream.InputSpec;
import io.mcrsrt.streamer.stream.Mode;
import io.mcrsrt.streamer.stream.StreamConfig;
import io.mcrsrt.streamer.stream.StreamStatus;
import io.mcrsrt.streamer.stream.StreamView;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SendCommandTest {
    @TempDir
    Path work;

    @Test
    void theStatusLineNamesANetworkInputsFaultsOnceThereAreAny() {
        StreamConfig udp = new StreamConfig(Mode.LISTENER, new InputSpec.Multicast("127.0.0.1", 5000, null, null),
                10001, null, null, 300, 25, Encryption.NONE, null, false, 30, false, null);
        StreamView clean = new StreamView(udp, StreamStatus.WAITING, null, 0, 0, List.of(), null, List.of(), 8.0,
                "srt://", 0, new InputCounters(0, true, 0));
        assertThat(SendCommand.statusLine(clean)).isEqualTo("Waiting for connection | in 8.00 Mbit/s | peers 0");
        StreamView faulty = new StreamView(udp, StreamStatus.WAITING, null, 0, 0, List.of(), null, List.of(), 8.0,
                "srt://", 0, new InputCounters(4, true, 3));
        assertThat(SendCommand.statusLine(faulty)).isEqualTo(
                "Waiting for connection | in 8.00 Mbit/s (faults before it: 4 cc errors, 3 rtp lost) | peers 0");
        StreamView raw = new StreamView(udp, StreamStatus.WAITING, null, 0, 0, List.of(), null, List.of(), 8.0,
                "srt://", 0, new InputCounters(2, false, 0));
        assertThat(SendCommand.statusLine(raw)).contains("(faults before it: 2 cc errors) | peers 0");
    }

    @Test
    void aChangedStatusDetailIsWorthALineAtOnceButChangedRatesAreNot() {
        // The "not MPEG-TS" reason of an input lost reached a log file only with the next 10 s line.
        StreamConfig udp = new StreamConfig(Mode.LISTENER, new InputSpec.Multicast("127.0.0.1", 5000, null, null),
                10001, null, null, 300, 25, Encryption.NONE, null, false, 30, false, null);
        StreamView silent = new StreamView(udp, StreamStatus.INPUT_LOST, "no data from udp://127.0.0.1:5000 for over a"
                + " second", 0, 0, List.of(), null, List.of(), 0.0, "srt://", 0, new InputCounters(0, false, 0));
        StreamView notTs = new StreamView(udp, StreamStatus.INPUT_LOST, "no TS from udp://127.0.0.1:5000 for over a"
                + " second: the datagrams arriving are not MPEG-TS", 0, 0, List.of(), null, List.of(), 0.0, "srt://", 0,
                new InputCounters(0, false, 0));
        StreamView fasterNotTs = new StreamView(udp, StreamStatus.INPUT_LOST, notTs.statusDetail(), 0, 0, List.of(),
                null, List.of(), 2.5, "srt://", 0, new InputCounters(0, false, 0));
        assertThat(SendCommand.lineState(notTs)).isNotEqualTo(SendCommand.lineState(silent));
        assertThat(SendCommand.lineState(fasterNotTs)).isEqualTo(SendCommand.lineState(notTs));
    }

    @Test
    void sendsAFileOnceToAListenerAndExitsWhenItEnds() throws Exception {
        Path received = sendOnceToAListener(TestMedia.shortClip());
        assertThat(Files.size(received)).isPositive();
        assertThat(TsCheck.of(received).continuityErrors()).isZero();
    }

    @Test
    void sendsAnM2tsFileOf192BytePacketsAs188BytePackets() throws Exception {
        Path m2ts = work.resolve("camera.m2ts");
        Process remux = new ProcessBuilder("ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-i",
                TestMedia.shortClip().toString(), "-c", "copy", "-f", "mpegts", "-mpegts_m2ts_mode", "1",
                m2ts.toString()).redirectErrorStream(true).start();
        assertThat(remux.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(remux.exitValue()).isZero();
        Path received = sendOnceToAListener(m2ts);
        assertThat(Files.size(received)).isPositive();
        assertThat(Files.size(received) % 188).as("188-byte packets only").isZero();
        assertThat(TsCheck.of(received).continuityErrors()).isZero();
    }

    @Test
    void anOverheadBelowLibsrtsFiveInTheUrlIsTakenAsTheOptionIs() throws Exception {
        // ?oheadbw=3 was refused while --overhead 3 was taken (and applied as 5)
        Path received = sendOnceToAListener(TestMedia.shortClip(), "?oheadbw=3");
        assertThat(Files.size(received)).isPositive();
    }

    /**
     * A file whose PCRs are 1.5 s apart is played once, paced by them, with a warning naming the interval and the remux.
     * Before, {@code --no-loop} refused it ("no two PCRs in a row less than a second apart", exit 1), while the same
     * file looped played: only the loop seam gave the pacer a step under a second.
     */
    @Test
    void aFileWithPcrsFurtherApartThanASecondPlaysOnceWithAWarning() throws Exception {
        Path clip = TestMedia.sparsePcrClip();
        int port = Peers.freePort();
        Path received = work.resolve("rx.ts");
        Object[] r;
        try (Peers.Process rx = Peers.receiveToFile("srt://127.0.0.1:" + port + "?mode=listener&latency=1000",
                received, work.resolve("rx.log"))) {
            r = CompletableFuture.supplyAsync(() -> send("--no-loop", "--latency", "1000", "--data-dir",
                    work.toString(), clip.toString(), "srt://127.0.0.1:" + port))
                    .get(60, TimeUnit.SECONDS);
        }
        String err = (String) r[1];
        assertThat(r[0]).as(err).isEqualTo(0);
        assertThat(err).contains("sparse-pcr.ts: its PCRs are up to 1520 ms apart on PID 0x0100")
                .contains("PCR_repetition_error").contains("-pcr_period 20").doesNotContain("cannot pace");
        assertThat(Files.size(received)).isEqualTo(Files.size(clip));
    }

    /** {@code send --no-loop INPUT} to an srt-live-transmit listener; the file it received, once send exited 0. */
    private Path sendOnceToAListener(Path input) throws Exception {
        return sendOnceToAListener(input, "");
    }

    /** As {@link #sendOnceToAListener(Path)}, with {@code query} after the SRT URL. */
    private Path sendOnceToAListener(Path input, String query) throws Exception {
        int port = Peers.freePort();
        Path received = work.resolve("rx.ts");
        try (Peers.Process rx = Peers.receiveToFile("srt://127.0.0.1:" + port + "?mode=listener&latency=1000",
                received, work.resolve("rx.log"))) {
            CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> Main.commandLine().execute("send",
                    "--no-loop", "--latency", "1000", "--data-dir", work.toString(), input.toString(),
                    "srt://127.0.0.1:" + port + query));
            assertThat(exit.get(60, TimeUnit.SECONDS)).isZero();
        }
        return received;
    }

    /** A file of mode 0600 holding {@code passphrase} and a line end. */
    private Path passphraseFile(String passphrase) throws Exception {
        return SecretFiles.ownerOnly(work.resolve("passphrase-" + passphrase.hashCode()), passphrase + "\n");
    }

    /**
     * {@code send --passphrase-file} encrypts with the file's first line: an srt-live-transmit listener with that
     * passphrase receives the file, and nothing warns about the process list.
     */
    @Test
    void aPassphraseFromAFileReachesAListenerWithTheSamePassphrase() throws Exception {
        int port = Peers.freePort();
        Path received = work.resolve("rx.ts");
        Path secret = passphraseFile("long-enough-secret");
        String clip = TestMedia.shortClip().toString();
        Object[] r;
        try (Peers.Process rx = Peers.receiveToFile("srt://127.0.0.1:" + port
                + "?mode=listener&latency=1000&passphrase=long-enough-secret", received, work.resolve("rx.log"))) {
            r = CompletableFuture.supplyAsync(() -> send("--no-loop", "--latency", "1000", "--data-dir",
                    work.toString(), "--passphrase-file", secret.toString(), clip,
                    "srt://127.0.0.1:" + port)).get(60, TimeUnit.SECONDS);
        }
        assertThat(r[0]).as((String) r[1]).isEqualTo(0);
        assertThat((String) r[1]).doesNotContain("warning").doesNotContain("long-enough-secret");
        assertThat(Files.size(received)).isEqualTo(Files.size(TestMedia.shortClip()));
    }

    /** A wrong passphrase in the file: the listener refuses the caller, which says why, and receives nothing. */
    @Test
    void aWrongPassphraseFromAFileIsRefusedByTheListener() throws Exception {
        int port = Peers.freePort();
        Path received = work.resolve("rx.ts");
        Path secret = passphraseFile("not-the-right-one");
        try (Peers.Process rx = Peers.receiveToFile("srt://127.0.0.1:" + port
                + "?mode=listener&latency=1000&passphrase=long-enough-secret", received, work.resolve("rx.log"));
                CommandProcess send = CommandProcess.start(work, "send", "--latency", "1000", "--data-dir",
                        work.toString(), "--passphrase-file", secret.toString(), TestMedia.shortClip().toString(),
                        "srt://127.0.0.1:" + port)) {
            send.awaitOutput("Auth Error");
            assertThat(send.stderr()).contains("passphrase").doesNotContain("not-the-right-one");
        }
        assertThat(Files.size(received)).isZero();
    }

    /**
     * {@code send --passphrase-env} takes SRT_PASSPHRASE from its environment; without the option the variable is
     * not used, and the same command reaches a listener without encryption.
     */
    @Test
    void aPassphraseFromTheEnvironmentIsUsedOnlyWithPassphraseEnv() throws Exception {
        java.util.Map<String, String> env = java.util.Map.of("SRT_PASSPHRASE", "long-enough-secret");
        for (boolean asked : new boolean[] {true, false}) {
            int port = Peers.freePort();
            Path received = work.resolve("rx-" + asked + ".ts");
            String listener = "srt://127.0.0.1:" + port + "?mode=listener&latency=1000"
                    + (asked ? "&passphrase=long-enough-secret" : "");
            List<String> args = new java.util.ArrayList<>(List.of("send", "--no-loop", "--latency", "1000",
                    "--data-dir", work.toString(), TestMedia.shortClip().toString(), "srt://127.0.0.1:" + port));
            if (asked) {
                args.add("--passphrase-env");
            }
            try (Peers.Process rx = Peers.receiveToFile(listener, received, work.resolve("rx.log"));
                    CommandProcess send = CommandProcess.start(work, env, args.toArray(String[]::new))) {
                assertThat(send.exitStatus()).as(send.stderr()).isZero();
                assertThat(send.stderr()).doesNotContain("warning");
            }
            assertThat(Files.size(received)).as("asked: %s", asked).isEqualTo(Files.size(TestMedia.shortClip()));
        }
    }

    /**
     * The programs a command runs get no secret from its environment: the ffmpeg that renders colour bars for
     * {@code send --passphrase-env} sees neither SRT_PASSPHRASE nor the service's API_KEY, though it sees the rest.
     */
    @Test
    void theProgramsItRunsGetNoSecretFromItsEnvironment() throws Exception {
        Path bin = Files.createDirectories(work.resolve("bin"));
        Path seen = work.resolve("ffmpeg-environment.txt");
        Path ffmpeg = bin.resolve("ffmpeg");
        Files.writeString(ffmpeg, "#!/bin/sh\nenv > '" + seen + "'\nexit 1\n");
        assertThat(ffmpeg.toFile().setExecutable(true)).isTrue();
        java.util.Map<String, String> env = java.util.Map.of("SRT_PASSPHRASE", "long-enough-secret",
                "API_KEY", "an-api-key-of-the-service", "PATH", bin + ":" + System.getenv("PATH"),
                "SOMETHING_ELSE", "passed-on");
        try (CommandProcess send = CommandProcess.start(work, env, "send", "--passphrase-env", "--data-dir",
                work.resolve("data").toString(), "bars:720p50", "srt://127.0.0.1:" + Peers.freePort())) {
            assertThat(send.exitStatus()).as(send.stderr()).isNotZero();
            assertThat(send.stderr()).contains("ffmpeg");
        }
        assertThat(Files.readString(seen)).contains("SOMETHING_ELSE=passed-on")
                .doesNotContain("SRT_PASSPHRASE").doesNotContain("long-enough-secret")
                .doesNotContain("API_KEY").doesNotContain("an-api-key-of-the-service");
    }

    /**
     * A passphrase on the command line still works, with one warning line naming the safer options; a second source
     * is refused naming both, and a file others can read is refused naming it and the fix.
     */
    @Test
    void aPassphraseOnTheCommandLineWorksWithOneWarningAndTwoSourcesAreRefused() throws Exception {
        int port = Peers.freePort();
        Path received = work.resolve("rx.ts");
        String clip = TestMedia.shortClip().toString();
        Object[] r;
        try (Peers.Process rx = Peers.receiveToFile("srt://127.0.0.1:" + port
                + "?mode=listener&latency=1000&passphrase=long-enough-secret", received, work.resolve("rx.log"))) {
            r = CompletableFuture.supplyAsync(() -> send("--no-loop", "--latency", "1000", "--data-dir",
                    work.toString(), clip,
                    "srt://127.0.0.1:" + port + "?passphrase=long-enough-secret")).get(60, TimeUnit.SECONDS);
        }
        String err = (String) r[1];
        assertThat(r[0]).as(err).isEqualTo(0);
        assertThat(err.lines().filter(l -> l.contains("warning")).toList()).containsExactly("mcr-srt send: warning: the"
                + " passphrase given by passphrase= in the SRT URL can be read by every user of this machine in the"
                + " process list (ps); give it with --passphrase-file FILE (chmod 600) or --passphrase-env instead");
        assertThat(Files.size(received)).isPositive();

        Path secret = passphraseFile("long-enough-secret");
        Object[] two = send("--passphrase", "long-enough-secret", "--passphrase-file", secret.toString(),
                "bars:720p50", "srt://127.0.0.1:" + port);
        assertThat(two[0]).isEqualTo(2);
        assertThat(((String) two[1]).strip()).isEqualTo("mcr-srt send: the passphrase is given twice, by --passphrase"
                + " and by --passphrase-file " + secret + " (expected: one of them; --passphrase-file or"
                + " --passphrase-env keeps it out of the process list)");
        Files.setPosixFilePermissions(secret, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        Object[] shared = send("--passphrase-file", secret.toString(), "bars:720p50", "srt://127.0.0.1:" + port);
        assertThat(shared[0]).isEqualTo(2);
        assertThat(((String) shared[1]).strip()).isEqualTo("mcr-srt send: --passphrase-file " + secret
                + " can be read by other users (mode rw-r--r--); make it readable by its owner only: chmod 600 "
                + secret);
    }

    @Test
    void aMissingInputFileIsAUsageErrorNamingTheFile() {
        PrintStream saved = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = Main.commandLine().execute("send", work.resolve("nothing.ts").toString(), "srt://:10001");
        } finally {
            System.setErr(saved);
        }
        assertThat(code).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("nothing.ts").contains("does not exist");
    }

    @Test
    void aDirectoryOrAnEmptyFileAsInputIsAUsageErrorSayingWhich() throws Exception {
        Path folder = Files.createDirectory(work.resolve("clips"));
        Path empty = Files.createFile(work.resolve("empty.ts"));
        PrintStream saved = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        int folderCode;
        int emptyCode;
        try {
            folderCode = Main.commandLine().execute("send", folder.toString(), "srt://:" + Peers.freePort());
            emptyCode = Main.commandLine().execute("send", empty.toString(), "srt://:" + Peers.freePort());
            assertThat(Main.commandLine().execute("send", "", "srt://:" + Peers.freePort())).isEqualTo(2);
        } finally {
            System.setErr(saved);
        }
        assertThat(folderCode).isEqualTo(2);
        assertThat(emptyCode).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("mcr-srt send: input file " + folder + " is a directory (expected: a .ts file)")
                .contains("mcr-srt send: input file " + empty + " is empty (expected: an MPEG-TS file)")
                .contains("mcr-srt send: INPUT is empty (expected: a .ts file, udp://group:port, bars:720p50 or"
                        + " bars:1080i25)")
                .doesNotContain("does not exist");
    }

    @Test
    void aDataDirThatIsAFileIsAUsageErrorForColourBars() throws Exception {
        Path file = Files.writeString(work.resolve("cache"), "x");
        PrintStream saved = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = Main.commandLine().execute("send", "--data-dir", file.toString(), "bars:720p50",
                    "srt://:" + Peers.freePort());
        } finally {
            System.setErr(saved);
        }
        assertThat(code).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8).strip()).isEqualTo("mcr-srt send: --data-dir " + file
                + " is a file (expected: a directory to cache the colour bars in, created if missing)");
    }

    @Test
    void anOptionTheStreamDoesNotTakeOrAListenerHostNotOfThisMachineIsRefusedNotIgnored() throws Exception {
        int port = Peers.freePort();
        PrintStream saved = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        int hostCode;
        int optionCode;
        int unknownCode;
        try {
            // 192.0.2.1 is a documentation address: no interface of a test machine has it
            hostCode = Main.commandLine().execute("send", "bars:720p50",
                    "srt://192.0.2.1:" + port + "?mode=listener&passphrase=long-enough-secret");
            optionCode = Main.commandLine().execute("send", "bars:720p50", "srt://:" + port + "?maxbw=1000000");
            unknownCode = Main.commandLine().execute("send", "bars:720p50", "srt://:" + port + "?latency=200&foo=1");
        } finally {
            System.setErr(saved);
        }
        assertThat(hostCode).isEqualTo(2);
        assertThat(optionCode).isEqualTo(2);
        assertThat(unknownCode).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .as("a key libsrt does not know either gets the keys send takes, not every libsrt option")
                .contains("mcr-srt send: SRT URL parameter foo is not used by send (expected only mode, latency,")
                .doesNotContain("expected one of")
                .contains("mcr-srt send: the listener's host 192.0.2.1 is not an address of this machine, so it cannot"
                        + " listen there (expected: one of its addresses, such as 127.0.0.1, or srt://:PORT to listen"
                        + " on every address)")
                .contains("mcr-srt send: SRT URL parameter maxbw is not used by send (expected only mode, latency,"
                        + " passphrase, pbkeylen, oheadbw, streamid;")
                .doesNotContain("long-enough-secret");
    }

    @Test
    void aListenerWithAHostListensOnThatAddressOnly() throws Exception {
        // Before, a host on a listener URL was refused: a listener could only listen on every address.
        Path clip = TestMedia.shortClip();
        int port = Peers.freePort();
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path console = work.resolve("send.log");
        Process send = new ProcessBuilder(java.toString(), "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), Main.class.getName(), "send", "--data-dir", work.toString(),
                clip.toString(), "srt://127.0.0.2:" + port + "?mode=listener")
                .redirectErrorStream(true).redirectOutput(console.toFile()).start();
        Path received = work.resolve("rx.ts");
        try {
            assertThat(io.mcrsrt.streamer.engine.testing.Await.until(
                    () -> read(console).contains("Waiting for connection") || !send.isAlive(), 60_000)).isTrue();
            assertThat(send.isAlive()).as("listening: %s", read(console)).isTrue();
            try (Peers.Process rx = Peers.receiveToFile("srt://127.0.0.2:" + port, received,
                    work.resolve("rx.log"))) {
                assertThat(io.mcrsrt.streamer.engine.testing.Await.until(() -> size(received) > 100_000, 60_000))
                        .as("received from 127.0.0.2: %s", read(console)).isTrue();
            }
            try (SrtSocket other = SrtSocket.create()) {
                other.set(SrtOption.CONNTIMEO, 1000);
                assertThatThrownBy(() -> other.connect(new InetSocketAddress("127.0.0.1", port)))
                        .as("nothing listens on 127.0.0.1:%d", port).isInstanceOf(SrtException.class);
            }
            send.destroy();
            assertThat(send.waitFor(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            send.destroyForcibly();
        }
        assertThat(TsCheck.of(received).continuityErrors()).isZero();
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (java.io.IOException e) {
            return 0;
        }
    }

    @Test
    void aBadSrtUrlIsAUsageError() {
        PrintStream saved = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = Main.commandLine().execute("send", "bars:720p50", "http://example.com/");
        } finally {
            System.setErr(saved);
        }
        assertThat(code).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("http://example.com/");
    }

    /** Runs {@code send} with these arguments; returns the exit status and what it printed on stderr. */
    private static Object[] send(String... args) {
        PrintStream saved = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        int code;
        try {
            String[] all = new String[args.length + 1];
            all[0] = "send";
            System.arraycopy(args, 0, all, 1, args.length);
            code = Main.commandLine().execute(all);
        } finally {
            System.setErr(saved);
        }
        return new Object[] {code, err.toString(StandardCharsets.UTF_8)};
    }

    /**
     * {@code send} serves as many callers by default as a listener of the service does, and its help says so. Before,
     * it served 10 and the service 8.
     */
    @Test
    void maxCallersDefaultsToWhatTheServiceTakesAndTheHelpSaysIt() throws Exception {
        SendCommand send = new SendCommand();
        new picocli.CommandLine(send).parseArgs("bars:720p50", "srt://:10001");
        int service = io.mcrsrt.streamer.config.AppConfig.fromEnvironment(java.util.Map.of()).maxCallersPerListener();
        assertThat(send.maxCallers).isEqualTo(service).isEqualTo(8);
        String help = Main.commandLine().getSubcommands().get("send").getUsageMessage();
        assertThat(help.replaceAll("\\s+", " ")).contains("--max-callers=<maxCallers>")
                .contains("as MAX_CALLERS_PER_LISTENER in the service (default: 8)");
        Object[] tooMany = send("bars:720p50", "srt://:" + Peers.freePort(), "--max-callers", "1001");
        assertThat(tooMany[0]).isEqualTo(2);
        assertThat((String) tooMany[1]).contains("--max-callers 1001 is out of range (expected: 1 to 1000)");
    }

    /**
     * A link-local target without its zone is a bad command line naming the fix, for a caller and a listener alike.
     * Before, the caller timed out as if the peer did not answer, and the listener failed to bind blaming another
     * program.
     */
    @Test
    void aLinkLocalAddressWithoutItsZoneIsAUsageErrorNamingTheFix() {
        for (String url : new String[] {"srt://[fe80::1]:22030", "srt://[fe80::1]:22030?mode=listener"}) {
            Object[] r = send("bars:720p50", url);
            assertThat(r[0]).as(url).isEqualTo(2);
            assertThat((String) r[1]).as(url).contains("IPv6 address fe80::1 is link-local, so it needs the interface"
                    + " it is reached on after a '%' (expected: fe80::1%").doesNotContain("\tat ");
        }
    }

    /**
     * What send quotes from its own checks of the command line shows control characters written out. Before, an ESC in
     * a query key and a line break in oheadbw= reached the terminal raw, and a bad bars: label was quoted without
     * saying what was wrong with it.
     */
    @Test
    void controlCharactersInWhatSendQuotesAreWrittenOut() {
        Object[] key = send("bars:720p50", "srt://:22031?fo\u001bo=1");
        assertThat(key[0]).isEqualTo(2);
        assertThat((String) key[1]).contains("SRT URL parameter fo\\u001Bo is not used by send");
        Object[] oh = send("bars:720p50", "srt://:22031?oheadbw=1%0A2");
        assertThat(oh[0]).isEqualTo(2);
        assertThat((String) oh[1]).contains("SRT URL parameter oheadbw=1\\n2 is not a whole number");
        Object[] bars = send("bars:720\u0000p50", "srt://:22031");
        assertThat(bars[0]).isEqualTo(2);
        assertThat((String) bars[1]).contains("mcr-srt send: INPUT bars:720\\0p50 is not a colour bar format (expected:"
                + " bars:720p50 or bars:1080i25)");
    }

    @Test
    void srtSettingsOutOfRangeAreUsageErrorsNamingTheValue() throws Exception {
        String url = "srt://:" + Peers.freePort();
        Object[] callers = send("bars:720p50", url, "--max-callers", "0");
        assertThat(callers[0]).isEqualTo(2);
        assertThat((String) callers[1]).contains("--max-callers 0 is out of range").doesNotContain("\tat ");
        Object[] latency = send("bars:720p50", url, "--latency", "5");
        assertThat(latency[0]).isEqualTo(2);
        assertThat((String) latency[1]).contains("latency 5 ms is out of range (expected: 20 to 8000 ms");
        Object[] urlLatency = send("bars:720p50", url + "?latency=9000");
        assertThat(urlLatency[0]).isEqualTo(2);
        assertThat((String) urlLatency[1]).contains("latency 9000 ms is out of range");
        Object[] overhead = send("bars:720p50", url, "--overhead", "200");
        assertThat(overhead[0]).isEqualTo(2);
        assertThat((String) overhead[1]).contains("--overhead 200 is out of range (expected: 1 to 99 percent)");
        Object[] keyLength = send("bars:720p50", url, "--passphrase", "long enough secret", "--pbkeylen", "24");
        assertThat(keyLength[0]).isEqualTo(2);
        assertThat((String) keyLength[1]).contains("key length 24 is not supported");
    }

    @Test
    void aPassphraseIsCountedInBytesAsLibsrtCountsIt() throws Exception {
        // 45 x é is 45 characters but 90 bytes: before, send took it and the stream failed to start (exit 1)
        String url = "srt://:" + Peers.freePort();
        Object[] tooLong = send("--passphrase", "é".repeat(45), "bars:720p50", url);
        assertThat(tooLong[0]).isEqualTo(2);
        assertThat(((String) tooLong[1]).strip()).isEqualTo("mcr-srt send: --passphrase is 90 bytes long in UTF-8,"
                + " from 45 characters (expected: 10 to 79 bytes, as SRT counts them; a letter such as é takes two)");
        Object[] tooShort = send("--passphrase", "short", "bars:720p50", url);
        assertThat(tooShort[0]).isEqualTo(2);
        assertThat((String) tooShort[1]).contains("mcr-srt send: --passphrase is 5 bytes long in UTF-8 (expected:"
                + " 10 to 79 bytes");
        Object[] inUrl = send("bars:720p50", url + "?passphrase=" + "%C3%A9".repeat(45));
        assertThat(inUrl[0]).isEqualTo(2);
        assertThat((String) inUrl[1]).contains("10 to 79 bytes").doesNotContain("é");
    }

    @Test
    void oheadbwInTheUrlTakesWhatOverheadTakes() throws Exception {
        // Before, ?oheadbw= was checked against libsrt's 5..100: 100 was taken, which --overhead refuses, and 3 refused.
        String url = "srt://127.0.0.1:" + Peers.freePort() + "?latency=200&oheadbw=";
        Object[] hundred = send("bars:720p50", url + "100");
        assertThat(hundred[0]).isEqualTo(2);
        assertThat(((String) hundred[1]).strip()).isEqualTo("mcr-srt send: oheadbw=100 in the SRT URL is out of range"
                + " (expected: 1 to 99 percent, as --overhead)");
        assertThat(((String) send("bars:720p50", url + "0")[1])).contains("oheadbw=0 in the SRT URL is out of range");
        Object[] word = send("bars:720p50", url + "lots");
        assertThat(word[0]).isEqualTo(2);
        assertThat((String) word[1]).contains("SRT URL parameter oheadbw=lots is not a whole number (expected: 1 to 99"
                + " percent, as --overhead)");
        Object[] twice = send("bars:720p50", url + "3&oheadbw=4");
        assertThat(twice[0]).isEqualTo(2);
        assertThat(((String) twice[1]).strip()).as("SrtUrl's words for any parameter given twice")
                .isEqualTo("mcr-srt send: SRT URL parameter oheadbw is given twice in \"" + url + "3&oheadbw=4\""
                        + " (expected: each parameter once; remove one)");
    }

    @Test
    void oheadbwInTheUrlIsTheStreamsOverheadAppliedAsAtLeastFive() {
        SendCommand.OverheadInUrl taken = SendCommand.OverheadInUrl.takeFrom("srt://h:9000?latency=200&OHEADBW=3"
                + "&passphrase=long%26enough-secret");
        assertThat(taken.percent()).isEqualTo(3);
        assertThat(taken.rest()).isEqualTo("srt://h:9000?latency=200&passphrase=long%26enough-secret");
        assertThat(SendCommand.OverheadInUrl.takeFrom("srt://:9000?oheadbw=25"))
                .isEqualTo(new SendCommand.OverheadInUrl("srt://:9000", 25));
        assertThat(SendCommand.OverheadInUrl.takeFrom("srt://:9000").percent()).isNull();
        assertThat(SendCommand.OverheadInUrl.takeFrom("srt://:9000?oheadbw=%32%35&latency=200"))
                .as("percent-encoded, as every SRT URL value may be")
                .isEqualTo(new SendCommand.OverheadInUrl("srt://:9000?latency=200", 25));
    }

    @Test
    void aUdpInputWithoutPortOrWithAStrayWordIsAUsageErrorNamingTheForm() throws Exception {
        String url = "srt://:" + Peers.freePort();
        String[][] cases = {
            {"udp://239.1.1.1", "has no port"},
            {"udp://239.1.1.1:5000 x", "has the port '5000 x', which is not 1 to 65535"},
            {"udp://239.1.1.1:5000?ifac=lo", "has the unknown option 'ifac' (options: iface=NAME, sources=ADDRESS)"},
        };
        for (String[] c : cases) {
            Object[] r = send(c[0], url);
            assertThat(r[0]).as(c[0]).isEqualTo(2);
            // one form and one wording with analyze and scte35 (TsCommandsTest)
            assertThat(((String) r[1]).strip()).as(c[0])
                    .isEqualTo("mcr-srt send: UDP input '" + c[0] + "' " + c[1] + " (expected: " + UdpUrl.FORM + ")");
        }
    }

    @Test
    void theUdpFormsReadAsTheServiceTakesThem() {
        String every = io.mcrsrt.streamer.system.LocalAddresses.ipv6() ? "::" : "0.0.0.0";
        assertThat(UdpUrl.parse("udp://:5004")).isEqualTo(new InputSpec.Multicast(every, 5004, null, null));
        assertThat(UdpUrl.parse("udp://@239.1.1.1:5004")).isEqualTo(new InputSpec.Multicast("239.1.1.1", 5004,
                null, null));
        assertThat(UdpUrl.parse("udp://10.0.0.5@232.1.1.1:5004?iface=eth1"))
                .isEqualTo(new InputSpec.Multicast("232.1.1.1", 5004, "eth1", "10.0.0.5"));
        assertThat(UdpUrl.parse("udp://232.1.1.1:5004?sources=10.0.0.5&interface=10.1.1.1"))
                .as("ffmpeg's way of naming the source").isEqualTo(new InputSpec.Multicast("232.1.1.1", 5004,
                        "10.1.1.1", "10.0.0.5"));
        assertThat(UdpUrl.parse("udp://[2001:db8::5]@[ff3e::1]:5004"))
                .isEqualTo(new InputSpec.Multicast("ff3e::1", 5004, null, "2001:db8::5"));
        assertThat(org.assertj.core.api.Assertions.catchThrowable(
                () -> UdpUrl.parse("udp://10.0.0.5@232.1.1.1:5004?sources=10.0.0.6")))
                .hasMessageContaining("names a source twice");
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> UdpUrl.parse("udp://10.0.0.5@:5004")))
                .hasMessageContaining("names a source but no group to join");
        // Before, these were taken, and the kernel's refusal of the join was asked for again every 5 s.
        assertThat(org.assertj.core.api.Assertions.catchThrowable(
                () -> UdpUrl.parse("udp://192.0.2.5@[ff3e::8000:1]:5004")))
                .hasMessage("UDP input 'udp://192.0.2.5@[ff3e::8000:1]:5004' names the source 192.0.2.5, an IPv4"
                        + " address, for the IPv6 group ff3e::8000:1: a source-specific join names the sender by an"
                        + " address of the group's family (expected: " + UdpUrl.FORM + ")");
        assertThat(org.assertj.core.api.Assertions.catchThrowable(
                () -> UdpUrl.parse("udp://232.1.1.1:5004?sources=2001:db8::5")))
                .hasMessageContaining("names the source 2001:db8::5, an IPv6 address, for the IPv4 group 232.1.1.1");
    }

    @Test
    void aMulticastInputThatCannotStartIsRetriedAsItsStatusSaysUntilStopped() throws Exception {
        // Before, the status said "trying again every 5 s" and the command exited 1 at once.
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path console = work.resolve("send.log");
        Process send = new ProcessBuilder(java.toString(), "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), Main.class.getName(), "send", "--data-dir", work.toString(),
                "udp://239.1.1.1:5000?iface=nosuch0", "srt://:" + Peers.freePort())
                .redirectErrorStream(true).redirectOutput(console.toFile()).start();
        try {
            // the log line, then the status line at once and again 10 s later (stderr is a file here): three
            // mentions are ten seconds of trying
            assertThat(io.mcrsrt.streamer.engine.testing.Await.until(() -> mentions(console,
                    "waiting for it: looked for every 5 s") >= 3 || !send.isAlive(), 60_000)).isTrue();
            assertThat(send.isAlive()).as("still trying, as its status says: %s", read(console)).isTrue();
            assertThat(read(console)).contains("network interface nosuch0 does not exist");
            send.destroy(); // SIGTERM, as Ctrl-C or systemd would
            assertThat(send.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(send.exitValue()).as("stopped, not failed: %s", read(console)).isZero();
        } finally {
            send.destroyForcibly();
        }
    }

    /** A log line's start: its timestamp and level. */
    private static final java.util.regex.Pattern LOG_LINE =
            java.util.regex.Pattern.compile("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3} (INFO|WARN|ERROR)");

    @Test
    void onATerminalEachLogLineStartsOnALineOfItsOwnNotAfterTheStatus() throws Exception {
        // Before: "... | peers 02026-11-23 09:34:21.836 INFO [stream-30001] StreamRunner - stream 30001: connected"
        int port = Peers.freePort();
        Path javaBin = Path.of(System.getProperty("java.home"), "bin", "java");
        String command = String.join(" ", java.util.List.of(javaBin.toString(), "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), Main.class.getName(), "send", "--data-dir", work.toString(),
                "bars:720p50", "srt://127.0.0.1:" + port + "?mode=listener").stream()
                .map(a -> "'" + a.replace("'", "'\\''") + "'").toList());
        Path terminal = work.resolve("terminal.txt");
        // script(1) runs the command on a terminal of its own and copies what it shows to the file
        Process script = new ProcessBuilder("script", "-qfec", "exec env --default-signal=INT " + command, "/dev/null")
                .redirectErrorStream(true).redirectOutput(terminal.toFile()).start();
        try {
            assertThat(io.mcrsrt.streamer.engine.testing.Await.until(
                    () -> read(terminal).contains("Waiting for connection |") || !script.isAlive(), 60_000))
                    .as("status shown: %s", read(terminal)).isTrue();
            try (Peers.Process rx = Peers.receiveToFile("srt://127.0.0.1:" + port, work.resolve("rx.ts"),
                    work.resolve("rx.log"))) {
                assertThat(io.mcrsrt.streamer.engine.testing.Await.until(
                        () -> read(terminal).contains("Connected | in") || !script.isAlive(), 60_000))
                        .as("connected: %s", read(terminal)).isTrue();
            }
            assertThat(io.mcrsrt.streamer.engine.testing.Await.until(
                    () -> read(terminal).contains(" disconnected: ") || !script.isAlive(), 60_000))
                    .as("disconnection logged: %s", read(terminal)).isTrue();
            ProcessHandle send = script.descendants().filter(h -> h.info().command().orElse("").endsWith("java"))
                    .findFirst().orElseThrow();
            new ProcessBuilder("kill", "-TERM", Long.toString(send.pid())).start().waitFor(10, TimeUnit.SECONDS);
            assertThat(script.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(script.exitValue()).as(read(terminal)).isZero();
        } finally {
            script.descendants().forEach(ProcessHandle::destroyForcibly);
            script.destroyForcibly();
        }
        String shown = read(terminal);
        java.util.regex.Matcher m = LOG_LINE.matcher(shown);
        int logLines = 0;
        while (m.find()) {
            logLines++;
            String before = shown.substring(0, m.start());
            assertThat(before.isEmpty() || before.endsWith("\n") || before.endsWith("\r\u001b[K"))
                    .as("log line at %d starts a line: ...%s", m.start(),
                            before.substring(Math.max(0, before.length() - 80)))
                    .isTrue();
        }
        assertThat(logLines).as("the connection and the disconnection are logged: %s", shown).isGreaterThanOrEqualTo(2);
        assertThat(shown).contains("Connected | in");
    }

    @Test
    void withoutATerminalTheStatusIsWrittenAsLinesWithoutCarriageReturns() throws Exception {
        int port = Peers.freePort();
        try (CommandProcess send = CommandProcess.start(work, "send", "--data-dir", work.toString(), "bars:720p50",
                "srt://127.0.0.1:" + port + "?mode=listener")) {
            send.awaitOutput("Waiting for connection |");
            try (Peers.Process rx = Peers.receiveToFile("srt://127.0.0.1:" + port, work.resolve("rx.ts"),
                    work.resolve("rx.log"))) {
                send.awaitOutput("Connected | in");
            }
            send.signal("TERM");
            assertThat(send.exitStatus()).isZero();
            String err = send.stderr();
            assertThat(err).doesNotContain("\r").doesNotContain("\u001b");
            assertThat(err.lines().filter(l -> l.startsWith("Waiting for connection |")).count())
                    .as("a line when the status changes, not one each second: %s", err).isBetween(1L, 3L);
            assertThat(err.lines().filter(l -> l.startsWith("Connected |"))).isNotEmpty();
            assertThat(err.lines().filter(l -> l.matches(".* stream \\d+: \\S+ connected( .*)?")))
                    .singleElement().asString().matches(LOG_LINE.pattern() + ".*");
        }
    }

    @Test
    void aFileThatIsNotATransportStreamIsExplainedOnceInTheLogAndOnceInTheLastLine() throws Exception {
        // Before: four times (two log lines, the status line, the last line).
        Path noise = work.resolve("noise.ts");
        byte[] random = new byte[100_000];
        new java.util.Random(1).nextBytes(random);
        Files.write(noise, random);
        Object[] r = send(noise.toString(), "srt://:" + Peers.freePort());
        String err = (String) r[1];
        assertThat(r[0]).as(err).isEqualTo(1);
        assertThat(mentions(err, "holds no MPEG-TS packets")).as(err).isEqualTo(2);
        assertThat(err.strip().lines().toList().getLast()).startsWith("mcr-srt send: Start Error - noise.ts cannot"
                + " be played");
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            return "";
        }
    }

    private static int mentions(Path file, String text) {
        return mentions(read(file), text);
    }

    private static int mentions(String all, String text) {
        return all.split(java.util.regex.Pattern.quote(text), -1).length - 1;
    }
}
