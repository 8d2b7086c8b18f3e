package io.mcrsrt.streamer.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mcrsrt.streamer.stream.ColorBarFormat;
import io.mcrsrt.streamer.stream.Encryption;
import io.mcrsrt.streamer.stream.InputSpec;
import io.mcrsrt.streamer.stream.Mode;
import io.mcrsrt.streamer.stream.StreamConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class StreamRequestValidatorTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BARS = "\"input_type\":\"colorbar_720p50\",\"port\":10001";
    private static final String FILE = "\"input_type\":\"file\",\"port\":10001";
    private static final String MCAST = "\"input_type\":\"multicast\",\"port\":10001,\"multicast_port\":5000";
    private static final String CALLER = "\"mode\":\"caller\",\"input_type\":\"colorbar_720p50\"";

    @TempDir
    static Path media;
    static StreamRequestValidator validator;

    @BeforeAll
    static void mediaFolder() throws IOException {
        Files.createDirectories(media.resolve("sub"));
        Files.write(media.resolve("sub/clip.ts"), new byte[188]);
        Files.write(media.resolve("clip.mp4"), new byte[188]);
        validator = new StreamRequestValidator(media, 10001, 10010);
    }

    private static ValidationResult validate(String json) {
        try {
            return validator.validate(JSON.readTree(json));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static Stream<Arguments> refusals() {
        return Stream.of(
                arguments("mode not listener or caller", "{\"mode\":\"server\"," + BARS + "}", "mode",
                        "Mode must be 'listener' or 'caller'."),
                arguments("mode not a string", "{\"mode\":1," + BARS + "}", "mode", "Mode must be 'listener' or 'caller'."),
                arguments("input_type missing", "{\"port\":10001}", "input_type",
                        "Missing or invalid input_type. Allowed: multicast, file, colorbar_720p50, colorbar_1080i25"),
                arguments("input_type unknown", "{\"input_type\":\"hdmi\",\"port\":10001}", "input_type",
                        "Missing or invalid input_type. Allowed: multicast, file, colorbar_720p50, colorbar_1080i25"),
                arguments("listener port missing", "{\"input_type\":\"colorbar_720p50\"}", "port",
                        "Listener requires a 'port' between 10001 and 10010."),
                arguments("listener port outside range", "{\"input_type\":\"colorbar_720p50\",\"port\":10011}", "port",
                        "Listener requires a 'port' between 10001 and 10010 (got 10011)."),
                arguments("listener port as a string", "{\"input_type\":\"colorbar_720p50\",\"port\":\"10001\"}", "port",
                        "Listener requires a 'port' between 10001 and 10010 (got '10001')."),
                arguments("listener port with a thousands separator, as a form sends it",
                        "{\"input_type\":\"colorbar_720p50\",\"port\":\"10,001\"}", "port",
                        "Listener requires a 'port' between 10001 and 10010 (got '10,001')."),
                arguments("listener port a long text with a line break",
                        "{\"input_type\":\"colorbar_720p50\",\"port\":\"1\\n" + "0".repeat(60) + "\"}", "port",
                        "Listener requires a 'port' between 10001 and 10010 (got '1?" + "0".repeat(36) + "…)."),
                arguments("caller target_port missing", "{" + CALLER + ",\"target_address\":\"127.0.0.1\"}",
                        "target_port", "Caller requires a 'target_port' between 1 and 65535."),
                arguments("caller target_port 0", "{" + CALLER + ",\"target_address\":\"127.0.0.1\",\"target_port\":0}",
                        "target_port", "Caller requires a 'target_port' between 1 and 65535 (got 0)."),
                arguments("caller target_port 9000.5", "{" + CALLER
                        + ",\"target_address\":\"127.0.0.1\",\"target_port\":9000.5}",
                        "target_port", "Caller requires a 'target_port' between 1 and 65535 (got 9000.5)."),
                arguments("caller target_address missing", "{" + CALLER + ",\"target_port\":9000}", "target_address",
                        StreamRequestValidator.TARGET_ADDRESS),
                arguments("caller target_address too long", "{" + CALLER + ",\"target_port\":9000,\"target_address\":\""
                        + "a".repeat(256) + "\"}", "target_address", StreamRequestValidator.TARGET_ADDRESS),
                arguments("caller target_address with a space", "{" + CALLER
                        + ",\"target_port\":9000,\"target_address\":\"a b\"}", "target_address",
                        StreamRequestValidator.notAHost("a b")),
                arguments("caller target_address with its port", "{" + CALLER
                        + ",\"target_port\":9000,\"target_address\":\"192.0.2.1:9000\"}", "target_address",
                        StreamRequestValidator.notAHost("192.0.2.1:9000")),
                arguments("caller target_address IPv4 written as IPv6", "{" + CALLER
                        + ",\"target_port\":9000,\"target_address\":\"::ffff:192.0.2.10\"}", "target_address",
                        "Target address '::ffff:192.0.2.10' is not a host name or IP address (it is the IPv4 address"
                                + " 192.0.2.10 written as IPv6; write 192.0.2.10): give the address alone, e.g."
                                + " 192.0.2.10, 2001:db8::1 or encoder.example.net, without srt:// or a port (the port"
                                + " goes in target_port)."),
                arguments("file not .ts", "{" + FILE + ",\"file_path\":\"clip.mp4\"}", "file_path",
                        "Only .ts files are supported."),
                arguments("file_path missing", "{" + FILE + "}", "file_path", StreamRequestValidator.FILE_PATH_MISSING),
                arguments("file_path with ..", "{" + FILE + ",\"file_path\":\"sub/../../x.ts\"}", "file_path",
                        StreamRequestValidator.FILE_PATH_ESCAPES),
                arguments("file_path absolute", "{" + FILE + ",\"file_path\":\"/etc/x.ts\"}", "file_path",
                        StreamRequestValidator.FILE_PATH_ESCAPES),
                arguments("file does not exist", "{" + FILE + ",\"file_path\":\"none.ts\"}", "file_path",
                        "File 'none.ts' was not found in the media folder. Upload it there or pick one from the media list."),
                arguments("loop not a boolean", "{" + FILE + ",\"file_path\":\"sub/clip.ts\",\"loop\":\"yes\"}", "loop",
                        StreamRequestValidator.LOOP_TYPE),
                arguments("loop for colour bars", "{" + BARS + ",\"loop\":false}", "loop",
                        StreamRequestValidator.LOOP_FILE_ONLY),
                arguments("latency below 20", "{" + BARS + ",\"latency\":19}", "latency",
                        "SRT Latency must be an integer between 20 and 8000 (got 19)."),
                arguments("latency above 8000", "{" + BARS + ",\"latency\":8001}", "latency",
                        "SRT Latency must be an integer between 20 and 8000 (got 8001)."),
                arguments("latency true", "{" + BARS + ",\"latency\":true}", "latency",
                        "SRT Latency must be an integer between 20 and 8000 (got true)."),
                arguments("latency as a string", "{" + BARS + ",\"latency\":\"300\"}", "latency",
                        "SRT Latency must be an integer between 20 and 8000 (got '300')."),
                arguments("latency fractional", "{" + BARS + ",\"latency\":300.5}", "latency",
                        "SRT Latency must be an integer between 20 and 8000 (got 300.5)."),
                arguments("overhead 0", "{" + BARS + ",\"overhead_bandwidth\":0}", "overhead_bandwidth",
                        "Overhead bandwidth must be an integer between 1 and 99 (got 0)."),
                arguments("overhead 100", "{" + BARS + ",\"overhead_bandwidth\":100}", "overhead_bandwidth",
                        "Overhead bandwidth must be an integer between 1 and 99 (got 100)."),
                arguments("encryption unknown", "{" + BARS + ",\"encryption\":\"des\"}", "encryption",
                        "Invalid encryption type. Allowed: none, aes-128, aes-256."),
                arguments("passphrase missing when encrypted", "{" + BARS + ",\"encryption\":\"aes-128\"}", "passphrase",
                        "Passphrase must be a string between 10 and 79 characters."),
                arguments("passphrase too short", "{" + BARS + ",\"encryption\":\"aes-256\",\"passphrase\":\"123456789\"}",
                        "passphrase", "Passphrase must be a string between 10 and 79 characters."
                                + " libsrt counts bytes in UTF-8 ('é' counts as two): this one has 9."),
                arguments("passphrase too long", "{" + BARS + ",\"encryption\":\"aes-256\",\"passphrase\":\""
                        + "p".repeat(80) + "\"}", "passphrase", "Passphrase must be a string between 10 and 79 characters."
                        + " libsrt counts bytes in UTF-8 ('é' counts as two): this one has 80."),
                arguments("passphrase a number", "{" + BARS + ",\"encryption\":\"aes-256\",\"passphrase\":12345678901}",
                        "passphrase", "Passphrase must be a string between 10 and 79 characters."),
                arguments("passphrase without encryption", "{" + BARS + ",\"passphrase\":\"0123456789\"}", "passphrase",
                        StreamRequestValidator.PASSPHRASE_UNENCRYPTED),
                arguments("rtp for a file", "{" + FILE + ",\"file_path\":\"sub/clip.ts\",\"rtp_encapsulation\":true}",
                        "rtp_encapsulation", "RTP encapsulation only supported for Multicast or Colorbar inputs via API."),
                arguments("rtp not a boolean", "{" + BARS + ",\"rtp_encapsulation\":1}", "rtp_encapsulation",
                        "RTP encapsulation must be true or false."),
                arguments("qos not a boolean", "{" + BARS + ",\"qos\":\"true\"}", "qos", "QoS must be true or false."),
                arguments("smoothing above 5000", "{" + BARS + ",\"smoothing_latency_ms\":5001}", "smoothing_latency_ms",
                        "Smoothing latency must be an integer between 0 and 5000 (milliseconds) (got 5001)."),
                arguments("multicast address missing", "{" + MCAST + "}", "multicast_address",
                        StreamRequestValidator.MULTICAST_ADDRESS),
                arguments("multicast address a host name", "{" + MCAST + ",\"multicast_address\":\"example.com\"}",
                        "multicast_address", StreamRequestValidator.notAMulticastAddress("example.com")),
                arguments("multicast address 256", "{" + MCAST + ",\"multicast_address\":\"239.1.1.256\"}",
                        "multicast_address", StreamRequestValidator.notAMulticastAddress("239.1.1.256")),
                arguments("multicast port missing", "{\"input_type\":\"multicast\",\"port\":10001,"
                        + "\"multicast_address\":\"239.1.1.1\"}", "multicast_port", StreamRequestValidator.MULTICAST_PORT),
                arguments("multicast port with a letter", "{\"input_type\":\"multicast\",\"port\":10001,"
                        + "\"multicast_address\":\"239.1.1.1\",\"multicast_port\":\"5OOO\"}", "multicast_port",
                        "Multicast input requires a 'multicast_port' between 1 and 65535 (got '5OOO')."),
                arguments("multicast interface too long", "{" + MCAST + ",\"multicast_address\":\"239.1.1.1\","
                        + "\"multicast_interface\":\"" + "e".repeat(65) + "\"}", "multicast_interface",
                        StreamRequestValidator.MULTICAST_INTERFACE),
                arguments("multicast source is a group", "{" + MCAST + ",\"multicast_address\":\"232.1.1.1\","
                        + "\"multicast_source\":\"239.2.2.2\"}", "multicast_source", StreamRequestValidator.MULTICAST_SOURCE),
                arguments("multicast source IPv4 for an IPv6 group", "{" + MCAST + ",\"multicast_address\":"
                        + "\"ff3e::8000:1\",\"multicast_source\":\"192.0.2.5\"}", "multicast_source",
                        "Multicast source '192.0.2.5' is an IPv4 address and the group 'ff3e::8000:1' an IPv6 one: a"
                        + " source-specific join names the sender by an address of the group's family; give the"
                        + " sender's IPv6 address."),
                arguments("multicast source IPv6 for an IPv4 group", "{" + MCAST + ",\"multicast_address\":"
                        + "\"232.1.1.1\",\"multicast_source\":\"[2001:db8::5]\"}", "multicast_source",
                        "Multicast source '2001:db8::5' is an IPv6 address and the group '232.1.1.1' an IPv4 one: a"
                        + " source-specific join names the sender by an address of the group's family; give the"
                        + " sender's IPv4 address."),
                arguments("stream_id too long", "{" + BARS + ",\"stream_id\":\"" + "s".repeat(513) + "\"}", "stream_id",
                        "Stream ID must be a string of at most 512 bytes in UTF-8 (libsrt's limit; 'é' counts as two)."
                                + " This one has 513 bytes."),
                arguments("stream_id of 257 two-byte characters (514 bytes)", "{" + BARS + ",\"stream_id\":\""
                        + "é".repeat(257) + "\"}", "stream_id", "Stream ID must be a string of at most 512 bytes in "
                        + "UTF-8 (libsrt's limit; 'é' counts as two). This one has 514 bytes."),
                arguments("stream_id not a string", "{" + BARS + ",\"stream_id\":5}", "stream_id",
                        StreamRequestValidator.STREAM_ID),
                arguments("stream_id with a line break", "{" + BARS + ",\"stream_id\":\"live\\n2026-11-22 ERROR x\"}",
                        "stream_id", "Stream ID must not contain control characters: it has U+000A at position 5. "
                                + "Use printable text only."),
                arguments("stream_id with an escape", "{" + BARS + ",\"stream_id\":\"a\\u001b[31mred\"}", "stream_id",
                        "Stream ID must not contain control characters: it has U+001B at position 2. "
                                + "Use printable text only."),
                arguments("passphrase with a line end", "{" + BARS + ",\"encryption\":\"aes-128\","
                        + "\"passphrase\":\"long-enough-secret\\n\"}", "passphrase",
                        "Passphrase must not contain control characters: it has U+000A (a line break) at position 19."
                                + " Use printable text only (a passphrase read from a file keeps the file's line end)."),
                arguments("passphrase with a NUL", "{" + BARS + ",\"encryption\":\"aes-256\","
                        + "\"passphrase\":\"SECRET\\u0000abcdefgh\"}", "passphrase",
                        "Passphrase must not contain control characters: it has U+0000 at position 7."
                                + " Use printable text only (a passphrase read from a file keeps the file's line end)."),
                arguments("passphrase of 40 two-byte characters (80 bytes)", "{" + BARS + ",\"encryption\":\"aes-128\","
                        + "\"passphrase\":\"" + "é".repeat(40) + "\"}", "passphrase",
                        "Passphrase must be a string between 10 and 79 characters."
                                + " libsrt counts bytes in UTF-8 ('é' counts as two): this one has 80."),
                arguments("passphrase of 3 three-byte characters (9 bytes)", "{" + BARS + ",\"encryption\":\"aes-128\","
                        + "\"passphrase\":\"" + "€".repeat(3) + "\"}", "passphrase",
                        "Passphrase must be a string between 10 and 79 characters."
                                + " libsrt counts bytes in UTF-8 ('é' counts as two): this one has 9."),
                arguments("multicast interface with a line break", "{" + MCAST + ",\"multicast_address\":\"239.1.1.1\","
                        + "\"multicast_interface\":\"eth0\\nforged\"}", "multicast_interface",
                        StreamRequestValidator.MULTICAST_INTERFACE),
                arguments("unknown field", "{" + BARS + ",\"colour\":\"red\"}", "colour", StreamRequestValidator.UNKNOWN),
                arguments("body an array", "[1,2]", "body", StreamRequestValidator.NOT_OBJECT));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void refusesWithTheMessageOfTheField(String name, String json, String field, String message) {
        ValidationResult r = validate(json);
        assertThat(r).isInstanceOf(ValidationResult.Invalid.class);
        assertThat(((ValidationResult.Invalid) r).errors()).containsEntry(field, message);
    }

    @Test
    void passphraseAndStreamIdAreMeasuredInBytesAsLibsrtDoes() {
        StreamConfig c = ((ValidationResult.Valid) validate("{" + BARS + ",\"encryption\":\"aes-128\",\"passphrase\":\""
                + "é".repeat(39) + "\",\"stream_id\":\"" + "é".repeat(256) + "\"}")).config();
        assertThat(c.passphrase()).hasSize(39);
        assertThat(c.streamId()).hasSize(256);
        assertThat(validate("{" + BARS + ",\"encryption\":\"aes-128\",\"passphrase\":\"" + "€".repeat(4) + "\"}"))
                .as("12 bytes").isInstanceOf(ValidationResult.Valid.class);
    }

    @Test
    void reportsEveryBadFieldAtOnce() {
        ValidationResult r = validate("{\"mode\":\"x\",\"input_type\":\"y\",\"latency\":1,\"overhead_bandwidth\":0,"
                + "\"encryption\":\"z\",\"extra\":1}");
        assertThat(((ValidationResult.Invalid) r).errors()).containsOnlyKeys("mode", "input_type", "latency",
                "overhead_bandwidth", "encryption", "extra", "port");
    }

    @Test
    void colourBarListenerTakesTheOriginalDefaults() {
        StreamConfig c = ((ValidationResult.Valid) validate("{" + BARS + "}")).config();
        assertThat(c.mode()).isEqualTo(Mode.LISTENER);
        assertThat(c.input()).isEqualTo(new InputSpec.ColorBars(ColorBarFormat.HD_720P50));
        assertThat(c.port()).isEqualTo(10001);
        assertThat(c.latencyMs()).isEqualTo(300);
        assertThat(c.overheadPercent()).isEqualTo(2);
        assertThat(c.encryption()).isEqualTo(Encryption.NONE);
        assertThat(c.passphrase()).isNull();
        assertThat(c.qos()).isFalse();
        assertThat(c.smoothingLatencyMs()).isEqualTo(30);
        assertThat(c.rtpEncapsulation()).isFalse();
        assertThat(c.streamId()).isNull();
    }

    @Test
    void fileCallerWithEveryOptionIsAccepted() {
        StreamConfig c = ((ValidationResult.Valid) validate("{\"mode\":\"caller\",\"input_type\":\"file\","
                + "\"file_path\":\"sub/clip.ts\",\"loop\":false,\"target_address\":\"srt.example.com\",\"target_port\":9000,"
                + "\"latency\":120,\"overhead_bandwidth\":25,\"encryption\":\"aes-256\",\"passphrase\":\"0123456789\","
                + "\"qos\":true,\"smoothing_latency_ms\":20,\"stream_id\":\"#!::r=live\",\"port\":null}")).config();
        assertThat(c.mode()).isEqualTo(Mode.CALLER);
        assertThat(c.input()).isEqualTo(new InputSpec.File("sub/clip.ts", false));
        assertThat(c.targetAddress()).isEqualTo("srt.example.com");
        assertThat(c.key()).isEqualTo(9000);
        assertThat(c.encryption()).isEqualTo(Encryption.AES_256);
        assertThat(c.passphrase()).isEqualTo("0123456789");
        assertThat(c.qos()).isTrue();
        assertThat(c.streamId()).isEqualTo("#!::r=live");
    }

    /**
     * A link-local target with the zone of an interface that has a link-local address is taken as written (the
     * caller reaches it through that interface); without a zone, or with one this machine does not have, it is refused
     * naming the value and the fix. Before, every zone was refused as "not a host name or IP address", and a
     * link-local address without one was taken and then timed out.
     */
    @Test
    void aLinkLocalTargetNeedsTheZoneOfAnInterfaceAndIsRefusedNamingIt() throws Exception {
        // the first by name, as the message's example takes it (other tests' links may come and go meanwhile)
        String name = java.net.NetworkInterface.networkInterfaces().filter(n -> n.inetAddresses()
                .anyMatch(a -> a instanceof java.net.Inet6Address && a.isLinkLocalAddress()))
                .map(java.net.NetworkInterface::getName).sorted().findFirst().orElse(null);
        org.junit.jupiter.api.Assumptions.assumeTrue(name != null, "an interface with an IPv6 link-local address");
        for (String given : new String[] {"fe80::1%" + name, "[fe80::1%" + name + "]", "[fe80::1%25" + name + "]"}) {
            ValidationResult r = validate("{" + CALLER + ",\"target_address\":\"" + given + "\",\"target_port\":9000}");
            assertThat(r).as(given).isInstanceOf(ValidationResult.Valid.class);
            assertThat(((ValidationResult.Valid) r).config().targetAddress()).isEqualTo("fe80::1%" + name);
        }
        ValidationResult noZone = validate("{" + CALLER + ",\"target_address\":\"fe80::1\",\"target_port\":9000}");
        assertThat(((ValidationResult.Invalid) noZone).errors().get("target_address"))
                .startsWith("Target address 'fe80::1': IPv6 address fe80::1 is link-local, so it needs the interface")
                .contains("fe80::1%" + name);
        ValidationResult unknown = validate("{" + CALLER
                + ",\"target_address\":\"fe80::1%nosuch9\",\"target_port\":9000}");
        assertThat(((ValidationResult.Invalid) unknown).errors().get("target_address"))
                .contains("the zone 'nosuch9' of IPv6 address fe80::1%nosuch9 is not an interface of this machine")
                .contains(name);
    }

    @Test
    void anIpv6TargetMayBeWrittenWithTheBracketsOfAUrl() {
        for (String given : new String[] {"::1", "[::1]"}) {
            StreamConfig c = ((ValidationResult.Valid) validate("{" + CALLER + ",\"target_address\":\"" + given
                    + "\",\"target_port\":9000}")).config();
            assertThat(c.targetAddress()).as(given).isEqualTo("::1");
        }
        for (String refused : new String[] {"[127.0.0.1]", "[host]", "[::1", "[]"}) {
            assertThat(validate("{" + CALLER + ",\"target_address\":\"" + refused + "\",\"target_port\":9000}"))
                    .as(refused).isInstanceOf(ValidationResult.Invalid.class);
        }
    }

    @Test
    void multicastWithSourceAndInterfaceIsAccepted() {
        StreamConfig c = ((ValidationResult.Valid) validate("{" + MCAST + ",\"multicast_address\":\"ff3e::8000:1\","
                + "\"multicast_source\":\"2001:db8::1\",\"multicast_interface\":\"eth0\",\"rtp_encapsulation\":true}"))
                .config();
        assertThat(c.input()).isEqualTo(new InputSpec.Multicast("ff3e::8000:1", 5000, "eth0", "2001:db8::1"));
        assertThat(c.rtpEncapsulation()).isTrue();
    }

    @Test
    void autoInterfaceMeansTheDefaultRoute() {
        StreamConfig c = ((ValidationResult.Valid) validate("{" + MCAST + ",\"multicast_address\":\"239.1.1.1\","
                + "\"multicast_interface\":\"Auto\"}")).config();
        assertThat(((InputSpec.Multicast) c.input()).interfaceName()).isNull();
    }

    @Test
    void mapsFromTheCommandLineAreValidatedToo() {
        ValidationResult r = validator.validate(Map.of("input_type", "colorbar_1080i25", "port", 10010));
        assertThat(((ValidationResult.Valid) r).config().input())
                .isEqualTo(new InputSpec.ColorBars(ColorBarFormat.HD_1080I25));
    }

    @Test
    void doubledSlashesAreNormalisedInTheStoredPath() throws IOException {
        JsonNode body = JSON.readTree("{" + FILE + ",\"file_path\":\"sub//clip.ts\"}");
        StreamConfig c = ((ValidationResult.Valid) validator.validate(body)).config();
        assertThat(((InputSpec.File) c.input()).relativePath()).isEqualTo("sub/clip.ts");
    }
}
