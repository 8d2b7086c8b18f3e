package io.mcrsrt.streamer.config;

import io.mcrsrt.streamer.files.AtomicFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The API key and the session signing key: from the environment, else generated once with {@link SecureRandom} and kept
 * in {@code DATA_DIR/api_key} and {@code DATA_DIR/secret_key} (mode 0600). Never logged; only where to find them is.
 *
 * @param apiKey    the value {@code X-API-Key} must carry
 * @param secretKey the key that signs UI session cookies
 */
public record Secrets(String apiKey, String secretKey) {
    private static final Logger LOG = LoggerFactory.getLogger(Secrets.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Resolves both secrets, creating the files on first start. Call after {@link AppConfig#createDirectories()}. */
    public static Secrets load(AppConfig config) {
        String api = config.apiKey() != null ? config.apiKey() : stored(config.dataDir().resolve("api_key"), true);
        String secret = config.secretKey() != null ? config.secretKey()
                : stored(config.dataDir().resolve("secret_key"), false);
        return new Secrets(api, secret);
    }

    /** A URL-safe random token of {@code bytes} random bytes. */
    public static String randomToken(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static String stored(Path file, boolean announce) {
        try {
            if (Files.exists(file)) {
                String v = Files.readString(file, StandardCharsets.UTF_8).strip();
                if (!v.isEmpty()) {
                    return v;
                }
            }
            String v = randomToken(32);
            AtomicFiles.write(file, (v + "\n").getBytes(StandardCharsets.UTF_8), "rw-------");
            if (announce) {
                LOG.info("Generated an API key: read it from {} (send it as header X-API-Key), or set API_KEY", file);
            }
            return v;
        } catch (IOException | UnsupportedOperationException e) {
            String variable = announce ? "API_KEY" : "SECRET_KEY";
            throw new ConfigException("Cannot read or create " + file + " (" + e.getMessage() + "). "
                    + (Files.isDirectory(file) ? "It is a directory: move it away, or set " + variable + "."
                    : e instanceof IOException io ? UnwritableDir.fix("DATA_DIR", io) + " Or set " + variable + "."
                    : "Set " + variable + "."), e);
        }
    }

    @Override
    public String toString() {
        return "Secrets[***]";
    }
}
