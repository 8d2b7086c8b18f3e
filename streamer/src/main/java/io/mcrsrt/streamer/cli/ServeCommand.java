package io.mcrsrt.streamer.cli;

import io.mcrsrt.streamer.api.ApiServer;
import io.mcrsrt.streamer.config.AppConfig;
import io.mcrsrt.streamer.config.ConfigException;
import io.mcrsrt.streamer.config.DataDirLock;
import io.mcrsrt.streamer.config.Secrets;
import io.mcrsrt.streamer.engine.LocalStreamEngine;
import io.mcrsrt.streamer.stream.StreamConfig;
import io.mcrsrt.streamer.stream.StreamEngine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code mcr-srt serve}: the stream engine and the web server (UI, REST API, events, metrics), configured from the
 * environment. Stops in order on SIGTERM or Ctrl-C: web server first, then the engine, in a shutdown hook, so the
 * process exits as the JVM does on these signals (143, 130); {@link StopSignals} leaves them to the JVM for this
 * command, as no stop is registered.
 */
@Command(name = "serve",
        mixinStandardHelpOptions = true,
        description = {"Run the service: SRT streams, web UI, REST API, live events and Prometheus metrics.",
                "Configured by environment variables (HOST, PORT, MEDIA_FOLDER, DATA_DIR, LOG_DIR, API_KEY, ...; "
                        + "see docs/configuration.md). Stops cleanly on SIGTERM or Ctrl-C.",
                "Exit status: 143 after a clean stop on SIGTERM (130 on Ctrl-C), which the systemd unit counts as a"
                        + " clean stop (SuccessExitStatus=143); 1 when the stream engine cannot start (libsrt missing"
                        + " or unusable) or the web server cannot listen on HOST:PORT; 2 for a configuration error (a"
                        + " setting, DATA_DIR or LOG_DIR that cannot be used; one line names it) or a bad command"
                        + " line."})
public final class ServeCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(ServeCommand.class);

    @Option(names = "--host", paramLabel = "ADDRESS", description = "Address to bind; overrides HOST (default 127.0.0.1).")
    String host;

    @Option(names = "--port", paramLabel = "PORT", description = "Web port; overrides PORT (default 5000).")
    Integer port;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        Map<String, String> env = new HashMap<>(System.getenv());
        if (host != null) {
            env.put("HOST", host);
        }
        if (port != null) {
            env.put("PORT", String.valueOf(port));
        }
        AppConfig config;
        try {
            config = AppConfig.fromEnvironment(env);
            config.checkHostIsLocal();
            config.createDirectories();
        } catch (ConfigException e) {
            error(e.getMessage());
            return 2;
        }
        // Taken before anything in DATA_DIR or LOG_DIR is touched, and held until the process ends: a second service
        // must not restore the first one's streams, write streams.json over its list, or rotate its log.
        try (DataDirLock _ = DataDirLock.acquire(config.dataDir(),
                "web " + StreamConfig.hostPort(config.host(), config.port()))) {
            return serve(env, config);
        } catch (ConfigException e) {
            error(e.getMessage());
            return 2;
        }
    }

    /** Runs the service until it is stopped, holding DATA_DIR's lock. */
    private int serve(Map<String, String> env, AppConfig config) {
        Secrets secrets;
        try {
            LogFiles.enable(config.logDir());
            secrets = Secrets.load(config);
        } catch (ConfigException e) {
            error(e.getMessage());
            return 2;
        }
        LOG.info("Starting with {}", config);
        if (env.get("THREADS") != null) {
            // an environment file carried over from the original tool: say so rather than seem to apply it
            LOG.warn("THREADS={} is the original tool's web server setting and is not used: this service answers"
                    + " requests on virtual threads. Remove it from the environment.", env.get("THREADS"));
        }
        StreamEngine engine;
        try {
            engine = LocalStreamEngine.open(config.engineSettings());
        } catch (UnsatisfiedLinkError e) {
            LOG.error("Cannot start the stream engine: {}", e.getMessage());
            error("cannot start the stream engine: " + e.getMessage());
            return 1;
        }
        AtomicReference<ApiServer> server = new AtomicReference<>();
        CountDownLatch stopped = new CountDownLatch(1);
        // registered before the web server starts, so a SIGTERM at any moment from here stops both in order
        Thread hook = Thread.ofPlatform().name("shutdown").unstarted(() -> {
            LOG.info("Stopping: web server first, then the streams");
            try {
                ApiServer s = server.get();
                if (s != null) {
                    s.close();
                }
            } finally {
                engine.close();
                LOG.info("Stopped");
                stopped.countDown();
            }
        });
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            server.set(ApiServer.start(config, secrets, engine));
        } catch (RuntimeException e) {
            error("the web server cannot listen on "
                    + StreamConfig.hostPort(config.host(), config.port()) + " (" + e.getMessage()
                    + "). Choose another PORT or stop what uses it.");
            return 1;
        }
        spec.commandLine().getOut()
                .println("MCR SRT Streamer on " + server.get().url());
        spec.commandLine().getOut().flush();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    /** A message that ends the command, on stderr after its name, as every command's own messages begin. */
    private void error(String message) {
        spec.commandLine().getErr().println("mcr-srt serve: " + message);
    }
}
