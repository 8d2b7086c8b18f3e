package io.mcrsrt.streamer.web;

import io.mcrsrt.streamer.api.ApiServer;
import io.mcrsrt.streamer.config.AppConfig;
import io.mcrsrt.streamer.nettest.NetworkTestSettings;
import io.mcrsrt.streamer.config.PasswordHash;
import io.mcrsrt.streamer.config.Secrets;
import io.mcrsrt.streamer.stream.EngineSettings;
import io.mcrsrt.streamer.stream.StreamEngine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The real web service (API, SSE, pages, security) in-process on a free loopback port, with temporary media and data
 * folders, in front of the given engine.
 */
final class UiService implements AutoCloseable {
    static final String USER = "operator";
    static final String PASSWORD = "correct horse battery";

    final Path root;
    final Path media;
    final StreamEngine engine;
    final String base;
    private final AppConfig config;
    private ApiServer server;

    private UiService(Path root, Function<EngineSettings, StreamEngine> engines, boolean login, int portMin,
                      int portMax) throws IOException {
        this.root = root;
        this.media = Files.createDirectories(root.resolve("media"));
        Path data = Files.createDirectories(root.resolve("data"));
        Files.writeString(data.resolve("iptv_channels.json"),
                "[{\"name\":\"News HD\",\"address\":\"239.1.1.1\",\"port\":5000}]");
        AppConfig config = new AppConfig("127.0.0.1", 0, media, data, root.resolve("logs"), 16, portMin, portMax, 4,
                NetworkTestSettings.defaults(), Secrets.randomToken(24), Secrets.randomToken(24),
                login ? USER : null, login ? PasswordHash.hash(PASSWORD.toCharArray()) : null,
                data.resolve("iptv_channels.json"), null, null, AppConfig.DEFAULT_HTTP_MAX_CONNECTIONS);
        this.engine = engines.apply(config.engineSettings());
        try {
            this.server = ApiServer.start(config, Secrets.load(config), engine);
        } catch (RuntimeException e) {
            engine.close();
            throw e;
        }
        this.base = "http://127.0.0.1:" + server.port();
        this.config = new AppConfig(config.host(), server.port(), config.mediaFolder(), config.dataDir(),
                config.logDir(), config.maxStreams(), config.listenerPortMin(), config.listenerPortMax(),
                config.maxCallersPerListener(), config.networkTest(), config.apiKey(), config.secretKey(),
                config.uiUsername(), config.uiPasswordHash(), config.iptvChannelsFile(), config.metricsToken(),
                config.srtListenAddress(), config.httpMaxConnections());
    }

    /** Stops the web server but not the engine: for the pages, the service is out of reach. */
    void stopServer() {
        server.close();
        server = null;
    }

    /** Starts the web server again on the same port, with the same secrets: the service is back. */
    void startServerAgain() {
        server = ApiServer.start(config, Secrets.load(config), engine);
    }

    /**
     * The service is upgraded: its web server stops and starts again on the same port, with the same secrets and
     * engine, saying it is this build (the header {@code X-MCR-Build} of every answer, and the pages it serves).
     */
    void upgradeTo(String build) {
        stopServer();
        server = ApiServer.start(config, Secrets.load(config), engine, new io.mcrsrt.streamer.api.BuildId(build));
    }

    static UiService start(StreamEngine engine, boolean login, int portMin, int portMax) throws IOException {
        return start(settings -> engine, login, portMin, portMax);
    }

    /** Starts the service with the engine the factory opens for the service's settings (folders, port range). */
    static UiService start(Function<EngineSettings, StreamEngine> engines, boolean login, int portMin, int portMax)
            throws IOException {
        return new UiService(Files.createTempDirectory("mcr-ui-service-"), engines, login, portMin, portMax);
    }

    /** Writes a two-second 320x180 H.264 + AAC transport stream into the media folder. */
    Path makeMediaFile(String name) throws IOException, InterruptedException {
        Path file = media.resolve(name);
        Files.createDirectories(file.getParent());
        Process ffmpeg = new ProcessBuilder("ffmpeg", "-nostdin", "-loglevel", "error", "-y",
                "-f", "lavfi", "-i", "testsrc=size=320x180:rate=25", "-f", "lavfi", "-i", "sine=frequency=1000",
                "-t", "2", "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", "-f", "mpegts", file.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            if (!ffmpeg.waitFor(60, TimeUnit.SECONDS) || ffmpeg.exitValue() != 0) {
                throw new IOException("ffmpeg could not make the test file " + file);
            }
        } finally {
            ffmpeg.destroyForcibly();
        }
        return file;
    }

    @Override
    public void close() throws IOException {
        try {
            if (server != null) {
                server.close();
            }
            engine.close();
        } finally {
            try (Stream<Path> paths = Files.walk(root)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
