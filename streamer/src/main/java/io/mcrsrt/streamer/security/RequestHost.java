package io.mcrsrt.streamer.security;

import io.mcrsrt.srt.AddressText;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Whether the host a request was addressed to (its {@code Host} header) names this machine in a way no web site
 * elsewhere can borrow. A site may point a name of its own at 127.0.0.1 (DNS rebinding) and then load the UI from the
 * operator's browser on this machine as a page of that site: the connection is local and the browser sends that
 * site's cookies, not this service's, but it is given a fresh session, and its scripts may read the CSRF cookie and
 * drive the API. The {@code Host} header is the one thing that tells: the browser sets it from the address it was
 * given, and scripts cannot change it.
 */
public final class RequestHost {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private RequestHost() {
    }

    /**
     * Whether {@code host} (a {@code Host} header's name, its port already taken off, an IPv6 address in brackets or
     * not) names this machine: an IP address (a browser that was given an address resolves nothing, so no one can
     * point it elsewhere), {@code localhost} or a name under {@code .localhost} (browsers send those to this machine
     * without asking DNS), or this machine's own host name. A missing host counts as this machine: every browser
     * sends one.
     *
     * @param machineName this machine's host name ({@link #machineName()}), or empty when unknown
     */
    public static boolean namesThisMachine(String host, String machineName) {
        if (host == null || host.isBlank()) {
            return true;
        }
        String h = host.strip().toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        if (h.endsWith(".")) {
            // "localhost." is the same name as "localhost"
            h = h.substring(0, h.length() - 1);
        }
        if (h.equals("localhost") || h.endsWith(".localhost")) {
            return true;
        }
        if (IPV4.matcher(h).matches() || h.contains(":")) {
            return AddressText.literal(h) != null;
        }
        return !machineName.isEmpty() && h.equals(machineName.toLowerCase(Locale.ROOT));
    }

    /**
     * This machine's host name as the kernel has it ({@code hostname}), read without asking DNS; empty when it cannot
     * be read. Debian points it at 127.0.1.1, so a browser on this machine may use it.
     */
    public static String machineName() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }
}
