package io.mcrsrt.streamer.cli;

import io.mcrsrt.streamer.stream.PrintableText;
import io.mcrsrt.ts.JsonWriter;
import io.mcrsrt.ts.PacketReader;
import io.mcrsrt.ts.TsPacket;
import io.mcrsrt.ts.scte35.Scte35;
import io.mcrsrt.ts.scte35.Scte35Exception;
import io.mcrsrt.ts.scte35.Scte35Json;
import io.mcrsrt.ts.scte35.Scte35Monitor;
import io.mcrsrt.ts.scte35.Scte35Text;
import io.mcrsrt.ts.scte35.SpliceInfoSection;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code mcr-srt scte35}: decodes SCTE-35 cues from a stream, or one cue given as base64 or hex. */
@Command(
        name = "scte35",
        mixinStandardHelpOptions = true,
        description = {
            "Decodes SCTE-35 splice information (ANSI/SCTE 35): every cue on the SCTE-35 PIDs the PMT announces, or "
                    + "one cue given as base64 or hex.",
            "INPUT is a .ts file, udp://[source@]group:port[?iface=NAME] (as for analyze), an SRT URL, or a cue "
                    + "such as "
                    + "/DAvAAAAAAAA///wFAVIAACPf+/+c2nALv4AUsz1AAAAAAAKAAhDVUVJAAABNWLbowo=",
            "Exit status: 0 when every cue decoded, 1 when one did not or none was found, 2 on bad usage (also a "
                    + "malformed udp:// or srt:// URL), 3 when the input could not be opened or read (also an SRT "
                    + "listener that no caller connected to within --duration, a UDP input on which nothing arrived "
                    + "within it, and a name that is neither a file nor a cue)."
        })
public final class Scte35Command implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "INPUT", description = "a .ts file, udp://group:port, srt://host:port?..., or a cue")
    private String input;

    @picocli.CommandLine.Mixin
    private PassphraseOptions passphraseOptions = new PassphraseOptions();

    @Option(names = "--json", description = "print the cues as JSON with the standard's field names")
    private boolean json;

    @Option(names = "--duration", paramLabel = "S",
            description = "seconds to listen to a network input (default: ${DEFAULT-VALUE}). A file is read to its"
                    + " end whatever S is; -1 for no limit: the whole of a file (refused for a network input, which"
                    + " has no end)", defaultValue = "10")
    private double duration;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        String lower = input.toLowerCase(Locale.ROOT);
        boolean stream = lower.startsWith("udp://") || lower.startsWith("srt://") || Files.isRegularFile(Path.of(input));
        if (passphraseOptions.given() && !lower.startsWith("srt://")) {
            // a file or a cue is read without one: the option would be ignored without a word
            return refuse(TsInput.EXIT_USAGE, "--passphrase-file and --passphrase-env are for an srt:// INPUT"
                    + " (expected: leave them out for a file, udp:// or a cue)");
        }
        if (input.isBlank()) {
            return refuse(TsInput.EXIT_USAGE, "INPUT is empty (expected: a .ts file, udp://group:port,"
                    + " srt://host:port, or one cue in base64 or hex)");
        }
        if (!stream && Files.isDirectory(Path.of(input))) {
            return refuse(TsInput.EXIT_INPUT, "input '" + input + "' is a directory (expected: a .ts file, "
                    + "udp://group:port, srt://host:port, or one cue in base64 or hex)");
        }
        if (!stream && input.contains(".")) {
            // Neither base64 nor hex has a '.': this is a file name that names no file, not a cue.
            return refuse(TsInput.EXIT_INPUT, "input '" + PrintableText.visible(input) + "' "
                    + (Files.exists(Path.of(input)) ? "is not a file" : "does not exist (check the path;")
                    + " expected: a .ts file, udp://group:port, srt://host:port, or one cue in base64 or hex)");
        }
        if (!stream) {
            SpliceInfoSection s;
            try {
                s = Scte35.decodeCue(input);
            } catch (Scte35Exception e) {
                if (!startsLikeACue(input)) {
                    // Most likely a file name mistyped: say that there is no such file, and why it is no cue either.
                    return refuse(TsInput.EXIT_INPUT, "input '" + input + "' is neither a file (there is none of that"
                            + " name) nor a cue (decoded as one: " + e.getMessage() + "); expected a .ts file,"
                            + " udp://group:port, srt://host:port, or one cue in base64 or hex");
                }
                return refuse(1, "cannot decode the cue '" + input + "': " + e.getMessage());
            }
            out.println(json ? Scte35Json.toJson(s) : Scte35Text.describe(s));
            out.flush();
            return 0;
        }
        String badDuration = TsInput.checkDuration(duration, TsInput.isNetwork(input));
        if (badDuration != null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), badDuration);
        }
        return TsInput.read(spec.qualifiedName(), spec.commandLine().getErr(), () -> stream(out));
    }

    private int stream(PrintWriter out) throws IOException {
        List<Scte35Monitor.Cue> cues = new ArrayList<>();
        Scte35Monitor monitor = new Scte35Monitor(cue -> {
            if (json) {
                cues.add(cue);
            } else {
                out.println(header(cue));
                out.println(cue.section() == null ? "  cannot decode: " + cue.error() : indent(Scte35Text.describe(cue.section())));
                out.flush();
            }
        });
        TsPacket packet = new TsPacket();
        Path file = Path.of(input);
        if (Files.isRegularFile(file)) {
            // The reader finds the packet size (188 or 204) and keeps sync through garbage.
            try (PacketReader reader = PacketReader.open(file)) {
                while (reader.next(packet)) {
                    monitor.accept(packet);
                }
            }
        } else {
            try (TsInput in = TsInput.open(input, passphraseOptions, spec.qualifiedName(),
                    spec.commandLine().getErr())) {
                // A datagram holds whole packets, of 188 bytes or of 204 with their Reed-Solomon parity, by the
                // rule the analyzer and the stream engine use; anything else (0) holds no packet to read.
                in.run((b, off, len, arrival) -> {
                    int size = TsPacket.sizeInDatagram(len);
                    for (int i = off; size > 0 && i + TsPacket.SIZE <= off + len; i += size) {
                        if (b[i] == TsPacket.SYNC_BYTE) {
                            monitor.accept(packet.wrap(b, i));
                        }
                    }
                    return true;
                }, System.nanoTime() + (long) (duration * 1e9));
            }
        }
        if (json) {
            JsonWriter w = new JsonWriter().beginArray();
            for (Scte35Monitor.Cue c : cues) {
                w.beginObject().field("pid", c.pid()).field("packet", c.packetNumber());
                if (c.pcr() >= 0) {
                    w.field("pcr_s", c.pcr() / 27e6, 6);
                }
                if (c.section() != null) {
                    w.name("cue");
                    Scte35Json.write(w, c.section());
                } else {
                    w.field("error", c.error());
                }
                w.endObject();
            }
            out.println(w.endArray());
        } else if (monitor.cues() + monitor.errors() == 0) {
            // An input without packets, or without a PMT, was said to have "No SCTE-35 stream in the PMT".
            out.println(monitor.packets() == 0
                    ? "No MPEG-TS packets found: no run of packets of 188, 192 (M2TS) or 204 bytes starting with the"
                            + " sync byte 0x47. Is this a transport stream?"
                    : monitor.psi().pmts().isEmpty()
                    ? "No PMT in " + monitor.packets() + " packets (expected: a PAT and the PMTs it lists, which"
                            + " announce the SCTE-35 PIDs)."
                    : monitor.pids().isEmpty()
                    ? "No SCTE-35 stream in the PMT (expected: a stream of type 0x86)."
                    : "SCTE-35 PIDs " + monitor.pids() + " carried no cue.");
        }
        out.flush();
        // Said on stderr with --json, which prints only the array of cues on stdout.
        PrintWriter notes = json ? spec.commandLine().getErr() : out;
        monitor.unannouncedCues().forEach((pid, count) -> notes.printf(Locale.ROOT, "PID 0x%04X carries %d SCTE-35"
                + " cue(s) (table_id 0xFC) but no PMT lists it as SCTE-35 (expected: stream type 0x86 in the PMT;"
                + " the multiplexer left it out, so a splicer that follows the PMT does not see them)%n", pid, count));
        notes.flush();
        return monitor.errors() == 0 && monitor.cues() > 0 ? 0 : 1;
    }

    /**
     * Says {@code message} on stderr after the prefix of every message of this command ({@code mcr-srt scte35:}, as
     * its usage errors have) and gives {@code status} back, the exit status.
     */
    private int refuse(int status, String message) {
        spec.commandLine().getErr().println(spec.qualifiedName() + ": " + message);
        return status;
    }

    /**
     * True when {@code text} begins as a cue does: with table_id 0xFC, written {@code 0xFC...} or {@code FC...} in hex,
     * or {@code /...} in base64 (0xFC's first six bits). Such an input that does not decode is a broken cue (exit 1);
     * any other is taken for a name that names no file.
     */
    static boolean startsLikeACue(String text) {
        String t = text.strip();
        return t.startsWith("/") || t.regionMatches(true, 0, "0xfc", 0, 4) || t.regionMatches(true, 0, "fc", 0, 2);
    }

    private static String header(Scte35Monitor.Cue c) {
        return String.format(Locale.ROOT, "PID 0x%04X packet %d%s", c.pid(), c.packetNumber(),
                c.pcr() >= 0 ? String.format(Locale.ROOT, " PCR %.6f s", c.pcr() / 27e6) : "");
    }

    private static String indent(String s) {
        return "  " + s.replace("\n", "\n  ");
    }
}
