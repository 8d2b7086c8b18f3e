package io.mcrsrt.streamer.nettest;

import io.mcrsrt.srt.AddressText;
import io.mcrsrt.streamer.system.ChildProcesses;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs a measuring program (ping, iperf3) to completion with a bounded wait, and kills it if it overstays or if the
 * JVM stops first. Programs run in the C locale, so that what they print can be parsed.
 */
final class ExternalProgram {

    /** What the program printed and how it ended. */
    record Output(int exitCode, String stdout, String stderr) {
    }

    private ExternalProgram() {
    }

    static Output run(List<String> command, Duration timeout) throws NetworkTestException {
        Process p;
        try {
            ProcessBuilder pb = ChildProcesses.builder(command).redirectInput(new java.io.File("/dev/null"));
            // The output is parsed: English messages and decimal points whatever the operator's locale is.
            pb.environment().put("LC_ALL", "C");
            pb.environment().remove("LANGUAGE");
            p = pb.start();
        } catch (IOException e) {
            throw new NetworkTestException("Cannot run " + command.getFirst() + ": " + e.getMessage() + ". Install it"
                    + " (Debian package " + packageOf(command.getFirst()) + ") or choose another mechanism.", e);
        }
        // SIGTERM to the JVM alone (systemctl stop, kill, a script's timeout) does not reach the program, unlike
        // Ctrl-C in a terminal, which signals the whole process group: iperf3 would go on sending for up to a minute.
        Thread stopWithJvm = Thread.ofPlatform().name("nettest-stop-" + command.getFirst())
                .unstarted(p::destroyForcibly);
        try {
            Runtime.getRuntime().addShutdownHook(stopWithJvm);
        } catch (IllegalStateException shuttingDown) {
            p.destroyForcibly();
            throw new NetworkTestException("The test was stopped: the program is shutting down.");
        }
        try {
            CompletableFuture<String> out = readAsync(p.getInputStream());
            CompletableFuture<String> err = readAsync(p.getErrorStream());
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new NetworkTestException(command.getFirst() + " did not finish within " + timeout.toSeconds()
                        + " s; the host may be unreachable.");
            }
            return new Output(p.exitValue(), out.get(5, TimeUnit.SECONDS), err.get(5, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NetworkTestException("The test was interrupted.", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new NetworkTestException("Could not read the output of " + command.getFirst() + ": " + e, e);
        } finally {
            if (p.isAlive()) {
                p.destroyForcibly();
                try {
                    p.waitFor(2, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            try {
                Runtime.getRuntime().removeShutdownHook(stopWithJvm);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or has run: nothing to remove
            }
        }
    }

    private static CompletableFuture<String> readAsync(InputStream in) {
        CompletableFuture<String> f = new CompletableFuture<>();
        Thread.ofVirtual().name("nettest-output-reader").start(() -> {
            try (in) {
                f.complete(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                f.completeExceptionally(e);
            }
        });
        return f;
    }

    private static String packageOf(String program) {
        return switch (program) {
            case "ping" -> "iputils-ping";
            default -> program;
        };
    }

    /**
     * Host names and addresses only: a value starting with '-' would be read as an option by the program.
     *
     * @return the host as ping and iperf3 take it: an IPv6 address without the brackets of {@code [::1]}, which
     *     neither program accepts
     */
    static String checkHost(String host) throws NetworkTestException {
        String problem = hostProblem(host);
        if (problem != null) {
            throw new NetworkTestException(problem);
        }
        return AddressText.unbracketed(host.strip());
    }

    /** The longest host name DNS allows. */
    private static final int MAX_HOST_LENGTH = 253;

    /**
     * What is wrong with a host to test, naming it, or null when it is a host name or IP address literal. Checked
     * before any program runs or any name is looked up.
     */
    static String hostProblem(String host) {
        if (host == null || host.isBlank()) {
            return "No host given: enter a host name or IP address to test.";
        }
        // Checked without the brackets, so that "[-f]" cannot reach a program as "-f".
        String h = AddressText.unbracketed(host.strip());
        if (h.length() > MAX_HOST_LENGTH) {
            return "'" + h.substring(0, 40) + "...' (" + h.length() + " characters) is not a host name or IP address:"
                    + " too long (expected: at most " + MAX_HOST_LENGTH + " characters).";
        }
        if (h.startsWith("-")) {
            return "'" + host + "' is not a host name or IP address: it starts with '-' (expected a host name or IP"
                    + " address such as srt.example.net, 192.0.2.10 or ::1).";
        }
        Matcher withPort = HOST_AND_PORT.matcher(host.strip());
        if (withPort.matches()) {
            return "'" + host + "' is a host with a port: give the host alone, "
                    + AddressText.unbracketed(withPort.group(1))
                    + ", and the port on its own (nettest --port, or manual_port in the API).";
        }
        if (!h.matches("[A-Za-z0-9._:%-]+")) {
            return "'" + host + "' is not a host name or IP address (expected letters, digits, '.', '-', '_', ':' or"
                    + " '%', as in srt.example.net, 192.0.2.10, ::1 or fe80::1%eth0).";
        }
        String ipv4 = AddressText.mappedIpv4(h);
        if (ipv4 != null) {
            return "'" + host + "' is the IPv4 address " + ipv4 + " written as IPv6: give " + ipv4 + ".";
        }
        String zoneProblem = AddressText.zoneProblem(h);
        if (zoneProblem != null) {
            // a link-local address without its interface, or with one this machine does not have
            return "'" + host + "': " + zoneProblem + ".";
        }
        return null;
    }

    /** {@code [2001:db8::1]:9000}, {@code 192.0.2.10:9000} or {@code host.example:9000}: the host is group 1. */
    private static final Pattern HOST_AND_PORT = Pattern.compile(
            "(\\[[0-9A-Fa-f:.%\\w-]+]|[A-Za-z0-9._-]+):\\d{1,5}");
}
