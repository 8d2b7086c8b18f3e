package io.mcrsrt.streamer.nettest;

import io.mcrsrt.streamer.files.AtomicFiles;
import io.mcrsrt.streamer.stream.FailureText;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code mcr-srt servers}: keeps the network test's iperf3 server list current. {@code fetch} downloads a list and
 * replaces the file only when the service would accept every entry of it; {@code check} tells which servers of a
 * list answer over UDP, as the service's background refresh does.
 */
@Command(
        name = "servers",
        mixinStandardHelpOptions = true,
        description = "The network test's iperf3 server list (NETWORK_TEST_SERVERS): download it, or check which"
                + " servers answer.",
        subcommands = {ServersCommand.Fetch.class, ServersCommand.Check.class})
public final class ServersCommand implements Callable<Integer> {

    /** Larger downloads are refused: a real list is tens of kilobytes. */
    static final int MAX_LIST_BYTES = 10_000_000;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    /**
     * No subcommand: the usage on stderr and exit status 2, as {@code mcr-srt} without a command, so that a script
     * that lost its subcommand does not pass for one that ran.
     */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        spec.commandLine().getErr().flush();
        return spec.exitCodeOnInvalidInput();
    }

    /** {@code mcr-srt servers fetch [URL] [--file F]}. */
    @Command(
            name = "fetch",
            mixinStandardHelpOptions = true,
            description = {
                "Downloads the server list from URL (http, https, file, or a path; default: SERVER_LIST_URL) and"
                        + " replaces FILE"
                        + " (default: NETWORK_TEST_SERVERS) in one step, only if every entry is one the service"
                        + " accepts. A failed or malformed download keeps the current file and exits with 1; a bad"
                        + " command line (URL, --file, --timeout) exits with 2 before anything is downloaded.",
                "A running service reads the new file the next time it uses the list; no restart is needed.",
                "Example:",
                "  mcr-srt servers fetch https://intranet.example/iperf_servers.json \\",
                "      --file /var/lib/mcr-srt-streamer/iperf_servers.json"
            })
    static final class Fetch implements Callable<Integer> {

        @CommandLine.Spec
        private CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", arity = "0..1", paramLabel = "URL",
                description = "Where the list is published (default: the SERVER_LIST_URL variable).")
        String url;

        @Option(names = "--file", paramLabel = "FILE",
                description = "The list the service reads (default: the NETWORK_TEST_SERVERS variable).")
        Path file;

        @Option(names = "--timeout", paramLabel = "S", defaultValue = "60",
                description = "Give up when the download has not finished after S seconds, 1-3600"
                        + " (default: ${DEFAULT-VALUE}).")
        int timeoutSeconds;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            if (timeoutSeconds < 1 || timeoutSeconds > 3600) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "--timeout " + timeoutSeconds + " is out of range (expected: 1 to 3600 seconds).");
            }
            String from = url != null ? url : System.getenv("SERVER_LIST_URL");
            Path to = file != null ? file : envPath(spec);
            if (from == null || from.isBlank()) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "Give the URL of the server list, or set SERVER_LIST_URL.");
            }
            URI uri = listUri(spec, from.strip());
            // Checked before downloading, so that a wrong --file is not reported as a failed refresh.
            Path parent = to.toAbsolutePath().getParent();
            if (Files.isDirectory(to) || parent == null || !Files.isDirectory(parent)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--file " + to + (Files.isDirectory(to)
                        ? " is a directory (expected: the list's file, e.g. " + to.resolve("iperf_servers.json") + ")"
                        : ": the folder " + parent + " does not exist (create it first)") + ".");
            }
            try {
                String text = download(uri, Duration.ofSeconds(timeoutSeconds));
                List<IperfServer> servers = ServerCatalog.parse(text, uri.toString());
                if (servers.isEmpty()) {
                    throw new NetworkTestException("The iperf3 server list " + uri + " has no servers.");
                }
                try {
                    // as published, readable by the service's user
                    AtomicFiles.write(to, text.getBytes(StandardCharsets.UTF_8), "rw-r--r--");
                } catch (IOException e) {
                    throw new IOException("cannot write " + to + " (" + FailureText.describe(e) + ")", e);
                }
                out.printf(Locale.ROOT, "Server list refreshed from %s: %d servers in %s.%n", uri, servers.size(), to);
                return 0;
            } catch (NetworkTestException | IOException e) {
                spec.commandLine().getErr().printf(Locale.ROOT, "%s: %s %s%n", spec.qualifiedName(),
                        e instanceof NetworkTestException ? e.getMessage() : "cannot refresh the server list from "
                                + uri + ": " + FailureText.describe(e) + ".",
                        Files.exists(to) ? "Keeping the current " + to + "." : "Nothing was written to " + to + ".");
                return 1;
            }
        }

        /** An http, https or file URL, or a plain path (read as a file). */
        private static URI listUri(CommandLine.Model.CommandSpec spec, String text) {
            try {
                URI uri = new URI(text);
                String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
                if (scheme.isEmpty()) {
                    return Path.of(text).toAbsolutePath().toUri();
                }
                if (scheme.equals("file")) {
                    Path.of(uri); // refuses file: URLs that name no absolute path
                    return uri;
                }
                if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
                    return uri;
                }
            } catch (URISyntaxException | IllegalArgumentException e) {
                // named below
            }
            throw new CommandLine.ParameterException(spec.commandLine(), "The server list address '" + text
                    + "' is not an http, https or file URL (e.g. https://intranet.example/iperf_servers.json)"
                    + " or a file's path.");
        }

        /**
         * Reads the list. Over HTTP the whole download, body included, must finish within {@code timeout}: the
         * request's own timeout ends at the response headers, and a server that stalls after them would otherwise
         * hold the command for ever when a shell script or cron runs it (the systemd unit stops it after 2 min).
         */
        private static String download(URI uri, Duration timeout) throws IOException, NetworkTestException {
            if (uri.getScheme().equalsIgnoreCase("file")) {
                return limited(Files.newInputStream(Path.of(uri)), uri);
            }
            HttpClient http = HttpClient.newBuilder().connectTimeout(timeout)
                    .followRedirects(HttpClient.Redirect.NORMAL).build();
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout)
                    .header("Accept", "application/json").GET().build();
            CompletableFuture<String> body = new CompletableFuture<>();
            Thread reader = Thread.ofVirtual().name("servers-fetch").start(() -> {
                try {
                    HttpResponse<InputStream> r = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
                    if (r.statusCode() != 200) {
                        r.body().close();
                        throw new NetworkTestException("The server list " + uri + " answered HTTP "
                                + r.statusCode() + " (expected 200).");
                    }
                    body.complete(limited(r.body(), uri));
                } catch (Throwable e) {
                    body.completeExceptionally(e);
                }
            });
            try {
                return body.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                throw new NetworkTestException("The server list " + uri + " did not arrive within "
                        + timeout.toSeconds() + " s; the server is too slow or stalled (try again, or a longer"
                        + " --timeout).");
            } catch (ExecutionException e) {
                if (e.getCause() instanceof NetworkTestException n) {
                    throw n;
                }
                if (e.getCause() instanceof IOException io) {
                    throw io;
                }
                throw new IOException(e.getCause().toString(), e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            } finally {
                // Aborts a download still running, so that neither the reader nor the client's threads outlive it.
                http.shutdownNow();
                reader.interrupt();
            }
        }

        private static String limited(InputStream in, URI uri) throws IOException, NetworkTestException {
            try (in) {
                byte[] bytes = in.readNBytes(MAX_LIST_BYTES + 1);
                if (bytes.length > MAX_LIST_BYTES) {
                    throw new NetworkTestException("The server list " + uri + " is larger than " + MAX_LIST_BYTES
                            + " bytes; a list of servers is far smaller.");
                }
                return new String(bytes, StandardCharsets.UTF_8);
            }
        }
    }

    /** {@code mcr-srt servers check [--file F]}. */
    @Command(
            name = "check",
            mixinStandardHelpOptions = true,
            description = {
                "Reads the server list FILE (default: NETWORK_TEST_SERVERS) and tests each server with a one-second"
                        + " iperf3 UDP test at 1 Mbit/s, " + ServerRefresher.PARALLEL_CHECKS + " at a time, as the"
                        + " service's background refresh does. Prints one line per server.",
                "Exit status: 0 if at least one server answers, 1 if none does, 2 if the list is unusable."
            })
    static final class Check implements Callable<Integer> {

        @CommandLine.Spec
        private CommandLine.Model.CommandSpec spec;

        @Option(names = "--file", paramLabel = "FILE",
                description = "The list to check (default: the NETWORK_TEST_SERVERS variable).")
        Path file;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            Path from = file != null ? file : envPath(spec);
            List<IperfServer> all;
            try {
                all = ServerCatalog.parse(Files.readString(from), from.toString());
            } catch (NetworkTestException | IOException e) {
                spec.commandLine().getErr().println(spec.qualifiedName() + ": " + (e instanceof NetworkTestException
                        ? e.getMessage() : "cannot read the iperf3 server list " + from + ": " + FailureText.describe(e)
                        + "."));
                return 2;
            }
            if (all.isEmpty()) {
                spec.commandLine().getErr().println(spec.qualifiedName() + ": the iperf3 server list " + from
                        + " has no servers: add some, or"
                        + " download a list with mcr-srt servers fetch URL.");
                return 2;
            }
            List<IperfServer> answering = ServerRefresher.answering(all, ServerRefresher.IPERF_UDP);
            for (IperfServer s : all) {
                out.printf(Locale.ROOT,
                        "%-9s %s:%d  %s%n", answering.contains(s) ? "answers" : "silent", s.host(), s.port(),
                        s.location());
            }
            out.printf(Locale.ROOT, "%d of %d servers in %s answer over UDP.%n", answering.size(), all.size(), from);
            return answering.isEmpty() ? 1 : 0;
        }
    }

    private static Path envPath(CommandLine.Model.CommandSpec spec) {
        String v = System.getenv("NETWORK_TEST_SERVERS");
        if (v == null || v.isBlank()) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "Give the list with --file FILE, or set NETWORK_TEST_SERVERS.");
        }
        return Path.of(v.strip());
    }
}
