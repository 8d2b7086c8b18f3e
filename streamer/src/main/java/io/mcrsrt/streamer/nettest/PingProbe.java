package io.mcrsrt.streamer.nettest;

import java.time.Duration;
import java.util.List;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** ICMP ping as the original tool ran it: {@code ping -c 4 -i 0.2 -W 2 HOST}. */
public final class PingProbe {

    // Numbers may carry a decimal comma: ping formats them in the locale's LC_NUMERIC, which can differ from the
    // language of its messages (English words, German numbers is a common desktop setting).
    private static final Pattern SUMMARY =
            Pattern.compile("(\\d+) packets transmitted, (\\d+) (?:packets )?received.*?([\\d.,]+)% packet loss");
    private static final Pattern RTT = Pattern.compile("(?:rtt|round-trip) min/avg/max(?:/mdev|/stddev)? = "
            + "([\\d.,]+)/([\\d.,]+)/([\\d.,]+)(?:/([\\d.,]+))?");

    private PingProbe() {
    }

    /** Pings the host four times, 200 ms apart, waiting up to 2 s for each reply. */
    public static PingResult ping(String host) throws NetworkTestException {
        String h = ExternalProgram.checkHost(host);
        ExternalProgram.Output out =
                ExternalProgram.run(List.of("ping", "-n", "-c", "4", "-i", "0.2", "-W", "2", h), Duration.ofSeconds(15));
        if (out.exitCode() > 1 || !SUMMARY.matcher(out.stdout()).find()) {
            String why = (out.stderr() + out.stdout()).strip();
            throw new NetworkTestException("ping " + h + " failed: " + (why.isEmpty() ? "exit code " + out.exitCode()
                    : why) + ". Check the host name; if ICMP is blocked on the path, use the srt or iperf mechanism.");
        }
        return parse(out.stdout());
    }

    /**
     * Reads ping's summary lines (iputils and BusyBox forms).
     *
     * @throws NetworkTestException when the summary is missing
     */
    public static PingResult parse(String output) throws NetworkTestException {
        Matcher s = SUMMARY.matcher(output);
        if (!s.find()) {
            throw new NetworkTestException("ping printed no summary line (\"N packets transmitted, M received\"): "
                    + output.strip());
        }
        int tx = Integer.parseInt(s.group(1));
        int rx = Integer.parseInt(s.group(2));
        double loss = number(s.group(3));
        Matcher r = RTT.matcher(output);
        if (!r.find()) {
            return new PingResult(tx, rx, loss, OptionalDouble.empty(), OptionalDouble.empty());
        }
        OptionalDouble jitter = r.group(4) == null ? OptionalDouble.empty()
                : OptionalDouble.of(number(r.group(4)));
        return new PingResult(tx, rx, loss, OptionalDouble.of(number(r.group(2))), jitter);
    }

    private static double number(String text) throws NetworkTestException {
        try {
            return Double.parseDouble(text.replace(',', '.'));
        } catch (NumberFormatException e) {
            throw new NetworkTestException("ping printed '" + text + "' where a number was expected.", e);
        }
    }
}
