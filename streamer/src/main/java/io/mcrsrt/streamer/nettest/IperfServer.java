package io.mcrsrt.streamer.nettest;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One iperf3 server of the list, in the original tool's JSON format:
 * {@code {"IP_HOST": "iperf3 -c host [-p port]", "OPTIONS", "GB_S", "COUNTRY", "SITE", "CONTINENT", "PROVIDER"}}.
 *
 * @param ipHost the command line as published, e.g. {@code iperf3 -c speedtest.example.net -p 5201-5210}
 */
public record IperfServer(
        @JsonProperty("IP_HOST") String ipHost,
        @JsonProperty("OPTIONS") String options,
        @JsonProperty("GB_S") String gbps,
        @JsonProperty("COUNTRY") String country,
        @JsonProperty("SITE") String site,
        @JsonProperty("CONTINENT") String continent,
        @JsonProperty("PROVIDER") String provider) {

    public static final int DEFAULT_PORT = 5201;
    private static final Pattern COMMAND =
            Pattern.compile("^\\s*iperf3?\\s+-c\\s+(\\S+)(?:\\s+-p\\s+(\\d+)(?:-\\d+)?)?.*$");

    /** The host named after {@code -c}. */
    public String host() {
        return match().group(1);
    }

    /** The port after {@code -p} (the first of a range), or 5201. */
    public int port() {
        String p = match().group(2);
        return p == null ? DEFAULT_PORT : Integer.parseInt(p);
    }

    /** "SITE, COUNTRY" as the result's {@code server_location}. */
    public String location() {
        String s = site == null ? "" : site.strip();
        String c = country == null ? "" : country.strip();
        return s.isEmpty() ? c : c.isEmpty() ? s : s + ", " + c;
    }

    /** Whether IP_HOST is an iperf3 command line this tool can use. */
    public boolean isValid() {
        if (ipHost == null || !COMMAND.matcher(ipHost).matches()) {
            return false;
        }
        int p = port();
        return p >= 1 && p <= 65535;
    }

    private Matcher match() {
        Matcher m = COMMAND.matcher(ipHost == null ? "" : ipHost);
        if (!m.matches()) {
            throw new IllegalStateException("IP_HOST '" + ipHost + "' is not 'iperf3 -c HOST [-p PORT]'");
        }
        return m;
    }
}
