package io.mcrsrt.streamer.config;

import io.mcrsrt.streamer.nettest.Mechanism;
import io.mcrsrt.streamer.nettest.NetworkTestSettings;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AppConfigTest {
    @TempDir
    Path dir;

    @Test
    void nothingSetGivesTheDocumentedDefaults() {
        AppConfig c = AppConfig.fromEnvironment(Map.of());
        assertThat(c.host()).isEqualTo("127.0.0.1");
        assertThat(c.port()).isEqualTo(5000);
        assertThat(c.mediaFolder()).isEqualTo(Path.of("media").toAbsolutePath());
        assertThat(c.dataDir()).isEqualTo(Path.of("data").toAbsolutePath());
        assertThat(c.logDir()).isEqualTo(Path.of("logs").toAbsolutePath());
        assertThat(c.maxStreams()).isEqualTo(64);
        assertThat(c.listenerPortMin()).isEqualTo(10001);
        assertThat(c.listenerPortMax()).isEqualTo(10010);
        assertThat(c.maxCallersPerListener()).isEqualTo(8);
        assertThat(c.networkTest()).isEqualTo(NetworkTestSettings.defaults());
        assertThat(c.apiKey()).isNull();
        assertThat(c.secretKey()).isNull();
        assertThat(c.loginRequired()).isFalse();
        assertThat(c.iptvChannelsFile()).isEqualTo(c.dataDir().resolve("iptv_channels.json"));
        assertThat(c.metricsToken()).isNull();
        assertThat(c.httpMaxConnections()).isEqualTo(512);
    }

    @Test
    void theHttpConnectionCapIsRead() {
        assertThat(AppConfig.fromEnvironment(Map.of("HTTP_MAX_CONNECTIONS", "2000")).httpMaxConnections())
                .isEqualTo(2000);
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource({
            "PORT, 0, 'PORT=0 is not allowed: expected a whole number from 1 to 65535 (default 5000).'",
            "PORT, http, 'PORT=http is not allowed: expected a whole number from 1 to 65535 (default 5000).'",
            "MAX_STREAMS, -3, 'MAX_STREAMS=-3 is not allowed: expected a whole number from 1 to 10000 (default 64).'",
            "LISTENER_PORT_MIN, 70000, 'LISTENER_PORT_MIN=70000 is not allowed: expected a whole number from 1 to 65535 (default 10001).'",
            "MAX_CALLERS_PER_LISTENER, 0, 'MAX_CALLERS_PER_LISTENER=0 is not allowed: expected a whole number from 1 to 1000 (default 8).'",
            "HTTP_MAX_CONNECTIONS, 8, 'HTTP_MAX_CONNECTIONS=8 is not allowed: expected a whole number from 16 to 32768 (default 512).'",
            "HTTP_MAX_CONNECTIONS, unlimited, 'HTTP_MAX_CONNECTIONS=unlimited is not allowed: expected a whole number from 16 to 32768 (default 512).'",
            "NETWORK_TEST_MECHANISM, speedtest, 'NETWORK_TEST_MECHANISM=speedtest is not allowed: expected one of ping_only, iperf, srt (default ping_only).'",
            "NETWORK_TEST_REFRESH_MINUTES, 20000, 'NETWORK_TEST_REFRESH_MINUTES=20000 is not allowed: expected a whole number from 0 to 10080 (default 0).'",
            "NETWORK_TEST_REFRESH_MINUTES, hourly, 'NETWORK_TEST_REFRESH_MINUTES=hourly is not allowed: expected a whole number from 0 to 10080 (default 0).'",
            "API_KEY, short, 'API_KEY=(5 characters, hidden) is not allowed: expected at least 16 characters; or leave it unset and one is generated in DATA_DIR.'",
            "METRICS_TOKEN, x, 'METRICS_TOKEN=(1 character, hidden) is not allowed: expected at least 16 characters, as API_KEY; or leave it unset for an open /metrics.'",
            "METRICS_TOKEN, fifteen-chars15, 'METRICS_TOKEN=(15 characters, hidden) is not allowed: expected at least 16 characters'",
            "UI_USERNAME, admin, 'UI_USERNAME and UI_PASSWORD_HASH must be set together'",
            "LOG_LEVEL, warning, 'LOG_LEVEL=warning is not allowed: expected one of TRACE, DEBUG, INFO, WARN, ERROR (default INFO).'",
            "LOG_LEVEL, verbose, 'LOG_LEVEL=verbose is not allowed: expected one of TRACE, DEBUG, INFO, WARN, ERROR (default INFO).'",
            "HOST, 'my host', 'HOST=my host is not allowed: expected an address of this machine to listen on: 127.0.0.1 (this machine only), 0.0.0.0 or :: (every interface), the address of one interface, or a host name such as localhost (default 127.0.0.1).'",
            "HOST, 192.0.2.99, 'HOST=192.0.2.99 is not allowed: expected an address of this machine to listen on'",
            "HOST, 127.0.0.1:5000, 'HOST=127.0.0.1:5000 is not allowed'",
            "HOST, http://0.0.0.0, 'HOST=http://0.0.0.0 is not allowed'",
            "HOST, 999.1.1.1, 'HOST=999.1.1.1 is not allowed'"
    })
    void aBadValueNamesTheVariableTheValueAndWhatIsAllowed(String variable, String value, String message) {
        assertThatThrownBy(() -> AppConfig.fromEnvironment(Map.of(variable, value)))
                .isInstanceOf(ConfigException.class).hasMessageContaining(message);
    }

    @ParameterizedTest(name = "HOST={0}")
    @CsvSource({"127.0.0.1, 127.0.0.1", "0.0.0.0, 0.0.0.0", "::, ::", "::1, ::1", "'[::1]', ::1", "localhost, localhost",
            "' 127.0.0.1 ', 127.0.0.1"})
    void hostTakesAddressesOfThisMachineAndNames(String value, String expected) {
        assertThat(AppConfig.fromEnvironment(Map.of("HOST", value)).host()).isEqualTo(expected);
    }

    @ParameterizedTest(name = "SRT_LISTEN_ADDRESS={0}")
    @CsvSource({"127.0.0.2, 127.0.0.2", "'[::1]', ::1", "::1, ::1", "0.0.0.0, 0.0.0.0", "::, ::", "'', "})
    void srtListenersBindTheListenAddressOfThisMachineOrEveryAddress(String value, String expected) {
        AppConfig c = AppConfig.fromEnvironment(Map.of("SRT_LISTEN_ADDRESS", value));
        assertThat(c.srtListenAddress()).isEqualTo(expected);
        assertThat(c.engineSettings().listenerAddress()).isEqualTo(expected);
    }

    @ParameterizedTest(name = "SRT_LISTEN_ADDRESS={0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"192.0.2.99", "localhost", "eth0", "127.0.0.1:10001"})
    void anSrtListenAddressThatIsNotAnAddressOfThisMachineStopsTheStartNamingIt(String value) {
        assertThatThrownBy(() -> AppConfig.fromEnvironment(Map.of("SRT_LISTEN_ADDRESS", value)))
                .isInstanceOf(ConfigException.class).hasMessageContaining("SRT_LISTEN_ADDRESS=" + value
                        + " is not allowed: expected an address of this machine, written as an address")
                .hasMessageContaining("unset (the default) for every address, IPv4 and IPv6")
                .hasMessageNotContaining("0.0.0.0");
    }

    /** The JDK reads 127.1 and 2130706433 as 127.0.0.1; no one typing an address means them, so they are refused. */
    @ParameterizedTest(name = "{0}={1}")
    @CsvSource({"SRT_LISTEN_ADDRESS, 127.1", "SRT_LISTEN_ADDRESS, 2130706433", "SRT_LISTEN_ADDRESS, 127.000.000.001",
            "HOST, 127.1", "HOST, 2130706433"})
    void anAddressInAShortFormOfTheJdksIsRefusedNamingIt(String variable, String value) {
        assertThatThrownBy(() -> AppConfig.fromEnvironment(Map.of(variable, value)))
                .isInstanceOf(ConfigException.class).hasMessageContaining(variable + "=" + value + " is not allowed");
    }

    @Test
    void aHostNameThatDoesNotResolveStopsTheStartNamingIt() {
        // .invalid is reserved (RFC 2606): no resolver answers it
        AppConfig c = AppConfig.fromEnvironment(Map.of("HOST", "mcr-srt-typo.invalid"));
        assertThatThrownBy(c::checkHostIsLocal).isInstanceOf(ConfigException.class)
                .hasMessageContaining("HOST=mcr-srt-typo.invalid is not allowed: the name does not resolve")
                .hasMessageContaining("use an address such as 127.0.0.1");
    }

    @ParameterizedTest(name = "HOST={0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"localhost", "127.0.0.1", "0.0.0.0", "::1"})
    void namesAndAddressesOfThisMachinePassTheHostCheck(String host) {
        AppConfig.fromEnvironment(Map.of("HOST", host)).checkHostIsLocal();
    }

    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"DATA_DIR", "MEDIA_FOLDER", "LOG_DIR"})
    void aDirectoryVariableNamingAFileStopsTheStartSayingSo(String variable, @TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("not-a-directory"), "x");
        Map<String, String> env = new HashMap<>(Map.of("DATA_DIR", dir.resolve("data").toString(), "MEDIA_FOLDER",
                dir.resolve("media").toString(), "LOG_DIR", dir.resolve("logs").toString()));
        env.put(variable, file.toString());
        AppConfig c = AppConfig.fromEnvironment(env);
        assertThatThrownBy(c::createDirectories).isInstanceOf(ConfigException.class)
                .hasMessage(variable + "=" + file + " is a file, not a directory. Point " + variable
                        + " at a directory, or move the file away.");
    }

    @ParameterizedTest(name = "LOG_LEVEL={0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"DEBUG", "info", "Warn", "ERROR", "TRACE"})
    void logbackLevelNamesAreAccepted(String level) {
        assertThat(AppConfig.fromEnvironment(Map.of("LOG_LEVEL", level))).isNotNull();
    }

    @Test
    void theNetworkTestIsConfiguredWithTheRestOfTheService() {
        AppConfig c = AppConfig.fromEnvironment(Map.of("NETWORK_TEST_MECHANISM", "srt",
                "NETWORK_TEST_SERVERS", "servers.json", "NETWORK_TEST_REFRESH_MINUTES", "90"));
        assertThat(c.networkTest().mechanism()).isEqualTo(Mechanism.SRT);
        assertThat(c.networkTest().serversFile()).isEqualTo(Path.of("servers.json").toAbsolutePath());
        assertThat(c.networkTest().refreshInterval()).isEqualTo(java.time.Duration.ofMinutes(90));
        assertThat(AppConfig.fromEnvironment(Map.of("NETWORK_TEST_REFRESH_MINUTES", "0")).networkTest()
                .refreshInterval()).as("0 switches the refresh off").isNull();
    }

    @Test
    void everyBadVariableIsReportedAtOnce() {
        assertThatThrownBy(() -> AppConfig.fromEnvironment(Map.of("PORT", "x", "MAX_STREAMS", "y")))
                .hasMessageContaining("PORT=x").hasMessageContaining("MAX_STREAMS=y");
    }

    @Test
    void anInvertedListenerRangeIsRefused() {
        assertThatThrownBy(() -> AppConfig.fromEnvironment(Map.of("LISTENER_PORT_MIN", "10010",
                "LISTENER_PORT_MAX", "10001"))).hasMessageContaining("LISTENER_PORT_MIN=10010")
                .hasMessageContaining("LISTENER_PORT_MAX (10001)");
    }

    @Test
    void aMalformedPasswordHashIsRefusedWithoutShowingIt() {
        assertThatThrownBy(() -> AppConfig.fromEnvironment(Map.of("UI_USERNAME", "admin", "UI_PASSWORD_HASH",
                "plaintext-password"))).hasMessageContaining("UI_PASSWORD_HASH=(hidden)")
                .hasMessageNotContaining("plaintext-password");
    }

    @Test
    void secretsAreGeneratedOnceAndKeptOwnerOnly() throws IOException {
        Map<String, String> env = new HashMap<>();
        env.put("DATA_DIR", dir.resolve("data").toString());
        env.put("MEDIA_FOLDER", dir.resolve("media").toString());
        env.put("LOG_DIR", dir.resolve("logs").toString());
        AppConfig c = AppConfig.fromEnvironment(env);
        c.createDirectories();
        Secrets first = Secrets.load(c);
        Secrets second = Secrets.load(c);
        assertThat(first.apiKey()).hasSizeGreaterThanOrEqualTo(40).isEqualTo(second.apiKey());
        assertThat(first.secretKey()).isNotEqualTo(first.apiKey()).isEqualTo(second.secretKey());
        assertThat(Files.readString(c.dataDir().resolve("api_key")).strip()).isEqualTo(first.apiKey());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(c.dataDir().resolve("api_key"))))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(c.dataDir().resolve("secret_key"))))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(c.dataDir()))).isEqualTo("rwx------");
        assertThat(Files.isDirectory(c.mediaFolder())).isTrue();
        assertThat(first.toString()).doesNotContain(first.apiKey());
    }

    @Test
    void secretsFromTheEnvironmentWinAndAreNotWritten() {
        Map<String, String> env = new HashMap<>();
        env.put("DATA_DIR", dir.resolve("data").toString());
        env.put("API_KEY", "an-api-key-from-env-1234");
        env.put("SECRET_KEY", "a-secret-key-from-env-1234");
        AppConfig c = AppConfig.fromEnvironment(env);
        c.createDirectories();
        Secrets s = Secrets.load(c);
        assertThat(s.apiKey()).isEqualTo("an-api-key-from-env-1234");
        assertThat(Files.exists(c.dataDir().resolve("api_key"))).isFalse();
        assertThat(c.toString()).doesNotContain("an-api-key-from-env-1234");
    }

    @Test
    void aMetricsTokenNeedsSixteenCharactersAndIsNeverPrinted() {
        assertThat(AppConfig.fromEnvironment(Map.of("METRICS_TOKEN", "sixteen-chars-16")).metricsToken())
                .isEqualTo("sixteen-chars-16");
        assertThatThrownBy(() -> AppConfig.fromEnvironment(Map.of("METRICS_TOKEN", "scrape-me")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("METRICS_TOKEN=(9 characters, hidden) is not allowed")
                .hasMessageNotContaining("scrape-me")
                .hasMessageNotContaining("generated");
    }

    @Test
    void passwordHashesVerifyOnlyTheirPassword() {
        String hash = PasswordHash.hash("correct horse".toCharArray());
        assertThat(hash).startsWith("pbkdf2_sha256$");
        assertThat(PasswordHash.isWellFormed(hash)).isTrue();
        assertThat(PasswordHash.verify("correct horse".toCharArray(), hash)).isTrue();
        assertThat(PasswordHash.verify("correct horsE".toCharArray(), hash)).isFalse();
        assertThat(PasswordHash.verify("x".toCharArray(), "garbage")).isFalse();
        assertThat(PasswordHash.hash("correct horse".toCharArray())).isNotEqualTo(hash);
    }
}
