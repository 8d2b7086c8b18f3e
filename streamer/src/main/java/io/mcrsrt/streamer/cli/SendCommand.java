package io.mcrsrt.streamer.cli;

import static io.mcrsrt.streamer.config.StreamRequestValidator.LATENCY_MAX_MS;
import static io.mcrsrt.streamer.config.StreamRequestValidator.LATENCY_MIN_MS;
import static io.mcrsrt.streamer.config.StreamRequestValidator.OVERHEAD_MAX_PERCENT;
import static io.mcrsrt.streamer.config.StreamRequestValidator.OVERHEAD_MIN_PERCENT;

import io.mcrsrt.srt.SrtUrl;
import io.mcrsrt.streamer.config.AppConfig;
import io.mcrsrt.streamer.engine.LocalStreamEngine;
import io.mcrsrt.streamer.stream.ColorBarFormat;
import io.mcrsrt.streamer.stream.Encryption;
import io.mcrsrt.streamer.stream.EngineSettings;
import io.mcrsrt.streamer.stream.InputCounters;
import io.mcrsrt.streamer.stream.InputSpec;
import io.mcrsrt.streamer.stream.LinkStats;
import io.mcrsrt.streamer.stream.Mode;
import io.mcrsrt.streamer.stream.PrintableText;
import io.mcrsrt.streamer.stream.StreamConfig;
import io.mcrsrt.streamer.stream.StreamException;
import io.mcrsrt.streamer.stream.StreamStatus;
import io.mcrsrt.streamer.stream.StreamView;
import io.mcrsrt.streamer.system.LocalAddresses;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mcr-srt send INPUT SRT_URL}: one stream in the foreground with a live status line. */
@Command(name = "send", mixinStandardHelpOptions = true,
        description = {"Sends one stream over SRT in the foreground until Ctrl-C, with a one-line live status on"
                + " stderr, below the log lines: on a terminal it is redrawn in place each second; otherwise (a file,"
                + " a pipe, journald) it is a line of its own when the status, its reason or the number of peers"
                + " changes, every " + StatusLine.UNCHANGED_INTERVAL_SECONDS + " s otherwise, and at the end.",
                "INPUT: a .ts file, or .m2ts/.mts (paced by its PCRs, looped seamlessly),"
                        + " udp://[source@]group:port[?iface=NAME] (multicast, source-specific or not, or unicast:"
                        + " udp://:PORT on every address; raw or RTP), bars:720p50 or bars:1080i25 (colour bars + 1 kHz"
                        + " tone)."
                        + " A file or bars plays from its start once the first peer has connected.",
                "SRT_URL: srt://:PORT (listener on every address, IPv4 and IPv6; the default without a host),"
                        + " srt://HOST:PORT (caller) or srt://ADDRESS:PORT?mode=listener (listener on that address of"
                        + " this machine only; 0.0.0.0 for every IPv4 address); query options mode, latency, passphrase,"
                        + " pbkeylen, oheadbw (1..99 percent, as --overhead), streamid override the defaults; other"
                        + " options are refused.",
                "A passphrase on the command line (--passphrase, passphrase= in the URL) can be read by every user of"
                        + " this machine in the process list: give it with --passphrase-file FILE or --passphrase-env"
                        + " (from SRT_PASSPHRASE) instead; only one of these may be given.",
                "Example: mcr-srt send news.ts 'srt://:10001?latency=200'",
                "Exit status: 0 when stopped or when a file with --no-loop ended, 1 when the stream failed, 2 for a"
                        + " bad command line. A udp:// input that cannot start yet (an interface not up) is tried"
                        + " again every 5 s until stopped, as the service does."})
public final class SendCommand implements Callable<Integer> {
    /** The SRT URL's query options a stream takes, as named in the help. */
    static final java.util.List<String> URL_KEYS =
            java.util.List.of("mode", "latency", "passphrase", "pbkeylen", "oheadbw", "streamid");

    @Parameters(index = "0", paramLabel = "INPUT", description = "file.ts, udp://..., bars:720p50 or bars:1080i25")
    String input;

    @Parameters(index = "1", paramLabel = "SRT_URL", description = "srt://:PORT (listener) or srt://HOST:PORT (caller)")
    String url;

    @Option(names = "--latency", description = "SRT latency in ms, 20..8000 (default: ${DEFAULT-VALUE})",
            defaultValue = "300")
    int latency;

    @Option(names = "--overhead", description = "SRT overhead bandwidth in percent, 1..99, as oheadbw= in the SRT URL"
            + " and overhead_bandwidth in the API; libsrt applies at least 5 (default: ${DEFAULT-VALUE})",
            defaultValue = "25")
    int overhead;

    @Option(names = "--passphrase", description = "encrypt with this passphrase (10..79 bytes in UTF-8: an accented"
            + " letter takes two); every user of this machine can read it in the process list: prefer"
            + " --passphrase-file or --passphrase-env")
    String passphrase;

    @Mixin
    PassphraseOptions passphraseOptions = new PassphraseOptions();

    @Option(names = "--pbkeylen", description = "AES key length in bytes: 16 or 32 (default: ${DEFAULT-VALUE})",
            defaultValue = "16")
    int pbkeylen;

    @Option(names = "--qos", description = "mark packets with DSCP AF41 (IP TOS 0x88)")
    boolean qos;

    @Option(names = "--rtp", description = "wrap each message in RTP (payload type 33)")
    boolean rtp;

    @Option(names = "--no-loop",
            description = "play a file once, from its start when the first peer connects, then stop")
    boolean noLoop;

    @Option(names = "--streamid", description = "SRT stream id a caller sends (default: mcr_stream_<port>)")
    String streamId;

    @Option(names = "--max-callers", description = "most callers a listener serves at once, 1.."
            + AppConfig.MAX_CALLERS_PER_LISTENER_LIMIT + ", as MAX_CALLERS_PER_LISTENER in the service"
            + " (default: ${DEFAULT-VALUE})", defaultValue = "" + AppConfig.DEFAULT_MAX_CALLERS_PER_LISTENER)
    int maxCallers;

    @Option(names = "--tick-ms", description = "how often a file or bars sender wakes to send what is due, in ms, 1..20"
            + " (default: a tenth of the latency, 1 to 10)")
    Integer tickMs;

    @Option(names = "--data-dir", description = "where colour bars are cached (default: $DATA_DIR or ~/.local/share/mcr-srt)")
    Path dataDir;

    @Override
    public Integer call() throws Exception {
        PrintStream err = System.err;
        SrtUrl srt;
        OverheadInUrl urlOverhead;
        String notTaken = SrtUrl.queryKeys(url).stream().filter(k -> !URL_KEYS.contains(k)).findFirst().orElse(null);
        if (notTaken != null) {
            // Checked before SrtUrl, which knows every libsrt option and would offer all of them as the choice
            err.println("mcr-srt send: SRT URL parameter " + PrintableText.visible(notTaken) + " is not used by send"
                    + " (expected only " + String.join(", ", URL_KEYS) + "; the others are set by the stream itself)");
            return 2;
        }
        try {
            urlOverhead = OverheadInUrl.takeFrom(url);
            srt = SrtUrl.parse(urlOverhead.rest());
        } catch (IllegalArgumentException e) {
            err.println("mcr-srt send: " + e.getMessage());
            return 2;
        }
        if (srt.mode() == SrtUrl.Mode.RENDEZVOUS) {
            err.println("mcr-srt send: mode=rendezvous is not supported (expected: listener or caller)");
            return 2;
        }
        Mode mode = srt.mode() == SrtUrl.Mode.LISTENER ? Mode.LISTENER : Mode.CALLER;
        String host = srt.host();
        String listenerAddress = null;
        if (mode == Mode.LISTENER && !host.isEmpty()) {
            try {
                listenerAddress = listenerAddress(host);
            } catch (IllegalArgumentException e) {
                err.println("mcr-srt send: " + e.getMessage());
                return 2;
            }
        }
        int lat = srt.parameter("latency").map(Integer::parseInt).orElse(latency);
        Integer ohInUrl = urlOverhead.percent();
        PassphraseOptions.Given given;
        try {
            java.util.Map<String, String> onCommandLine = new java.util.LinkedHashMap<>();
            onCommandLine.put("passphrase= in the SRT URL", srt.parameter("passphrase").orElse(null));
            onCommandLine.put("--passphrase", passphrase);
            given = passphraseOptions.resolve(onCommandLine);
        } catch (IllegalArgumentException e) {
            err.println("mcr-srt send: " + e.getMessage());
            return 2;
        }
        String pass = given == null ? null : given.passphrase();
        int keyLen = srt.parameter("pbkeylen").map(Integer::parseInt).orElse(pbkeylen);
        if (lat < LATENCY_MIN_MS || lat > LATENCY_MAX_MS) {
            err.println("mcr-srt send: latency " + lat + " ms is out of range (expected: " + LATENCY_MIN_MS + " to "
                    + LATENCY_MAX_MS + " ms, with --latency or ?latency= in the SRT URL)");
            return 2;
        }
        if (overhead < OVERHEAD_MIN_PERCENT || overhead > OVERHEAD_MAX_PERCENT) {
            err.println("mcr-srt send: --overhead " + overhead + " is out of range (expected: " + OVERHEAD_MIN_PERCENT
                    + " to " + OVERHEAD_MAX_PERCENT + " percent)");
            return 2;
        }
        if (ohInUrl != null && (ohInUrl < OVERHEAD_MIN_PERCENT || ohInUrl > OVERHEAD_MAX_PERCENT)) {
            err.println("mcr-srt send: oheadbw=" + ohInUrl + " in the SRT URL is out of range (expected: "
                    + OVERHEAD_MIN_PERCENT + " to " + OVERHEAD_MAX_PERCENT + " percent, as --overhead)");
            return 2;
        }
        int oh = ohInUrl != null ? ohInUrl : overhead;
        if (keyLen != 16 && keyLen != 32) {
            err.println("mcr-srt send: key length " + keyLen + " is not supported (expected: --pbkeylen 16 for AES-128"
                    + " or 32 for AES-256)");
            return 2;
        }
        if (maxCallers < 1 || maxCallers > AppConfig.MAX_CALLERS_PER_LISTENER_LIMIT) {
            err.println("mcr-srt send: --max-callers " + maxCallers + " is out of range (expected: 1 to "
                    + AppConfig.MAX_CALLERS_PER_LISTENER_LIMIT + ")");
            return 2;
        }
        // libsrt counts bytes: the length was checked with the source, before the stream would fail to start
        Encryption enc = pass == null ? Encryption.NONE : keyLen == 32 ? Encryption.AES_256 : Encryption.AES_128;
        if (input.isBlank()) {
            err.println("mcr-srt send: INPUT is empty (expected: a .ts file, udp://group:port, bars:720p50 or"
                    + " bars:1080i25)");
            return 2;
        }
        Path media = Path.of(".").toAbsolutePath().normalize();
        InputSpec spec;
        if (input.startsWith("bars:")) {
            ColorBarFormat f = ColorBarFormat.fromLabel(input.substring(5)).orElse(null);
            if (f == null) {
                err.println("mcr-srt send: INPUT " + PrintableText.visible(input) + " is not a colour bar format"
                        + " (expected: bars:720p50 or bars:1080i25)");
                return 2;
            }
            spec = new InputSpec.ColorBars(f);
            if (Files.exists(dataDir()) && !Files.isDirectory(dataDir())) {
                err.println("mcr-srt send: --data-dir " + dataDir() + " is a file (expected: a directory to cache the"
                        + " colour bars in, created if missing)");
                return 2;
            }
        } else if (input.startsWith("udp://")) {
            try {
                spec = UdpUrl.parse(input);
            } catch (IllegalArgumentException e) {
                err.println("mcr-srt send: " + e.getMessage());
                return 2;
            }
        } else {
            Path file = Path.of(input).toAbsolutePath().normalize();
            String problem = inputFileProblem(file);
            if (problem != null) {
                err.println("mcr-srt send: input file " + file + " " + problem);
                return 2;
            }
            media = file.getParent();
            spec = new InputSpec.File(file.getFileName().toString(), !noLoop);
        }
        int port = srt.port();
        StreamConfig config = new StreamConfig(mode, spec, mode == Mode.LISTENER ? port : null,
                mode == Mode.CALLER ? host : null, mode == Mode.CALLER ? port : null, lat, oh, enc, pass, qos, 30,
                rtp, srt.parameter("streamid").orElse(streamId));
        EngineSettings settings = new EngineSettings(media, dataDir(), 1, 1, 65535, maxCallers, listenerAddress);
        if (tickMs != null && (tickMs < 1 || tickMs > 20)) {
            err.println("mcr-srt send: --tick-ms " + tickMs + " (expected: 1 to 20, or leave it out for a tenth of the"
                    + " latency)");
            return 2;
        }
        String warning = given == null ? null : given.warning("mcr-srt send");
        if (warning != null) {
            err.println(warning);
        }
        LocalStreamEngine engine = LocalStreamEngine.openTransient(settings, tickMs == null ? 0 : tickMs * 1_000_000L);
        CountDownLatch stopped = new CountDownLatch(1);
        // Ctrl-C or SIGTERM ends the loop below, which stops the stream and returns 0: a stop is not a failure.
        // The status and the log share stderr: StatusLine keeps each log line on a line of its own.
        try (StopSignals.Registration stop = StopSignals.onStop(signal -> stopped.countDown());
                StatusLine status = StatusLine.onStderr()) {
            try {
                engine.start(config);
            } catch (StreamException e) {
                status.println("mcr-srt send: " + e.getMessage());
                return 1;
            }
            while (!stopped.await(1, TimeUnit.SECONDS)) {
                StreamView v = engine.stream(config.key()).orElse(null);
                if (v == null) {
                    break;
                }
                // A multicast input that cannot start yet (an interface not up) is retried by the engine, as its
                // status says, in the foreground as in the service; any other start error ends the command.
                boolean retried = v.status() == StreamStatus.START_ERROR
                        && config.input() instanceof InputSpec.Multicast;
                boolean failed = v.status() == StreamStatus.ERROR || v.status() == StreamStatus.BIND_ERROR
                        || v.status() == StreamStatus.START_ERROR && !retried;
                if (failed) {
                    // the reason once, in the last line, rather than in the status line too (the log has it)
                    status.clear();
                    status.println("mcr-srt send: " + v.connectionStatus()
                            + (v.statusDetail() != null ? " - " + v.statusDetail() : ""));
                    return 1;
                }
                status.show(statusLine(v), lineState(v));
                if (v.status() == StreamStatus.ENDED) {
                    // let the receiver's latency window drain before the sockets close
                    Thread.sleep(lat + 200L);
                    break;
                }
            }
            return 0;
        } finally {
            engine.close();
        }
    }

    /**
     * The SRT URL's {@code oheadbw=}, taken out ({@link SrtUrl#takeOut}) before the rest is parsed. It means what
     * {@code --overhead} means, the stream's overhead bandwidth in percent (1 to 99, applied as at least libsrt's 5),
     * as the API's {@code overhead_bandwidth} does; SrtUrl would check it against libsrt's own 5 to 100 and take 100,
     * which the option refuses, and refuse 3, which the option takes.
     *
     * @param rest the URL without {@code oheadbw=}
     * @param percent its value, or null when the URL has none
     */
    record OverheadInUrl(String rest, Integer percent) {
        /**
         * @throws IllegalArgumentException naming the value when it is not a whole number or is given twice
         */
        static OverheadInUrl takeFrom(String url) {
            SrtUrl.TakenOut taken = SrtUrl.takeOut(url, "oheadbw");
            String value = taken.value();
            if (value == null) {
                return new OverheadInUrl(url, null);
            }
            if (!value.matches("[0-9]{1,9}")) {
                throw new IllegalArgumentException("SRT URL parameter oheadbw=" + PrintableText.visible(value)
                        + " is not a whole number"
                        + " (expected: " + OVERHEAD_MIN_PERCENT + " to " + OVERHEAD_MAX_PERCENT + " percent, as"
                        + " --overhead)");
            }
            return new OverheadInUrl(taken.rest(), Integer.parseInt(value));
        }
    }

    /**
     * The address a listener written {@code srt://HOST:PORT?mode=listener} binds: HOST as written when it is an
     * address, else the address it resolves to; a wildcard as written ({@code 0.0.0.0}: every IPv4 address;
     * {@code ::}: every address, as {@code srt://:PORT}).
     *
     * @throws IllegalArgumentException naming HOST when it does not resolve or is not an address of this machine
     */
    static String listenerAddress(String host) {
        InetAddress address;
        try {
            address = InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("the listener's host " + host + " does not resolve (expected: an address"
                    + " of this machine, or srt://:PORT to listen on every address)");
        }
        if (!LocalAddresses.isLocal(address)) {
            throw new IllegalArgumentException("the listener's host " + host + " is not an address of this machine, so"
                    + " it cannot listen there (expected: one of its addresses, such as 127.0.0.1, or srt://:PORT to"
                    + " listen on every address)");
        }
        boolean literal = host.equals(address.getHostAddress()) || host.indexOf(':') >= 0;
        return literal ? host : address.getHostAddress();
    }

    /**
     * Why {@code file} cannot be sent, or null. An empty file is refused here: the engine would report it as a file
     * that ended, and {@code send} would exit 0 having sent nothing, even with looping on.
     */
    static String inputFileProblem(Path file) {
        if (Files.isDirectory(file)) {
            return "is a directory (expected: a .ts file)";
        }
        if (!Files.exists(file)) {
            return "does not exist (check the path)";
        }
        if (!Files.isRegularFile(file)) {
            return "is not a regular file (expected: a .ts file; for a live input use udp://group:port)";
        }
        if (!Files.isReadable(file)) {
            return "cannot be read (give this user read permission)";
        }
        try {
            if (Files.size(file) == 0) {
                return "is empty (expected: an MPEG-TS file)";
            }
        } catch (java.io.IOException e) {
            return "cannot be read (" + e.getMessage() + ")";
        }
        return null;
    }

    private Path dataDir() {
        if (dataDir != null) {
            return dataDir;
        }
        String env = System.getenv("DATA_DIR");
        return env != null && !env.isEmpty() ? Path.of(env)
                : Path.of(System.getProperty("user.home"), ".local", "share", "mcr-srt");
    }

    /**
     * The live status: status word, input rate (and a network input's faults before it, once there are any), peers,
     * and the primary link's RTT, loss and rate.
     */
    /**
     * What makes a new status line worth writing at once when stderr is not a terminal: the status word, its detail
     * (why an input is lost, why a caller failed: steady texts) and the number of peers; not the rates.
     */
    static String lineState(StreamView v) {
        return v.connectionStatus() + " " + v.peers().size() + " " + v.statusDetail();
    }

    static String statusLine(StreamView v) {
        StringBuilder b = new StringBuilder(v.connectionStatus());
        if (v.status() != StreamStatus.ERROR && v.statusDetail() != null) {
            b.append(" (").append(v.statusDetail()).append(')');
        }
        b.append(String.format(Locale.ROOT, " | in %.2f Mbit/s", v.inputBitrateMbps()));
        InputCounters in = v.inputCounters();
        if (in != null && (in.continuityErrors() > 0 || in.rtpDatagramsLost() > 0)) {
            b.append(" (faults before it: ").append(in.continuityErrors()).append(" cc errors");
            if (in.rtp()) {
                b.append(", ").append(in.rtpDatagramsLost()).append(" rtp lost");
            }
            b.append(')');
        }
        b.append(" | peers ").append(v.peers().size());
        LinkStats s = v.stats();
        if (s != null) {
            b.append(String.format(Locale.ROOT, " | out %.2f Mbit/s | rtt %.1f ms | loss %.2f%% | retrans %d"
                    + " | latency %d ms", s.bitrateMbps(), s.rttMs(), s.packetLossPercent(),
                    s.packetsRetransmittedTotal(), s.negotiatedLatencyMs()));
        }
        return b.toString();
    }
}
