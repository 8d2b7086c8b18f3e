package io.mcrsrt.streamer.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mcrsrt.streamer.config.AppConfig;
import io.mcrsrt.streamer.config.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/configuration.md against the code: its first table lists exactly the variables the service reads (and the two
 * it names as read by something else), each with the default the service takes, and its second table exactly the
 * variables the launcher bin/mcr-srt reads.
 */
class ConfigurationDocTest {

    /** Documented in the service's table as read by the SRT library and by `servers fetch`, not by AppConfig. */
    private static final Set<String> READ_ELSEWHERE = Set.of("SRT_LIBRARY", "SERVER_LIST_URL");

    private static final Pattern ROW = Pattern.compile("(?m)^\\| `([A-Z_0-9]+)` \\| ([^|]*) \\|");

    /** The rows of the table that follows {@code heading} (a line of the file), variable to default cell. */
    private static Map<String, String> table(String doc, String heading) {
        int at = doc.indexOf(heading);
        assertThat(at).as("docs/configuration.md has the line '%s'", heading).isNotNegative();
        String rest = doc.substring(at);
        int tableStart = rest.indexOf("\n|");
        int tableEnd = rest.indexOf("\n\n", tableStart + 1);
        String tableText = rest.substring(tableStart, tableEnd < 0 ? rest.length() : tableEnd);
        Map<String, String> rows = new LinkedHashMap<>();
        Matcher m = ROW.matcher(tableText);
        while (m.find()) {
            rows.put(m.group(1), m.group(2).strip());
        }
        return rows;
    }

    private static String doc() throws IOException {
        return Files.readString(RepoFiles.root().resolve("docs/configuration.md"));
    }

    /** The names AppConfig asks the environment for. */
    private static Set<String> variablesTheServiceReads() {
        Set<String> asked = new TreeSet<>();
        Map<String, String> recording = new HashMap<>() {
            @Override
            public String get(Object key) {
                asked.add((String) key);
                return super.get(key);
            }
        };
        AppConfig.fromEnvironment(recording);
        return asked;
    }

    @Test
    void theServiceTableListsExactlyTheVariablesTheServiceReads() throws IOException {
        Set<String> documented = new TreeSet<>(table(doc(), "| variable | default | what it is |").keySet());
        Set<String> read = new TreeSet<>(variablesTheServiceReads());
        read.addAll(READ_ELSEWHERE);
        assertThat(documented).as("variables in the first table of docs/configuration.md").isEqualTo(read);
        String library = Files.readString(RepoFiles.root()
                .resolve("srt/src/main/java/io/mcrsrt/srt/NativeLibrary.java"));
        assertThat(library).as("the SRT library reads SRT_LIBRARY").contains("\"SRT_LIBRARY\"");
        String servers = Files.readString(RepoFiles.root()
                .resolve("streamer/src/main/java/io/mcrsrt/streamer/nettest/ServersCommand.java"));
        assertThat(servers).as("servers fetch reads SERVER_LIST_URL").contains("getenv(\"SERVER_LIST_URL\")");
    }

    @Test
    void theLauncherTableListsExactlyTheVariablesTheLauncherReads() throws IOException {
        Map<String, String> rows = table(doc(), "Read by the launcher `bin/mcr-srt`");
        String launcher = Files.readString(RepoFiles.root().resolve("bin/mcr-srt"));
        Set<String> read = new TreeSet<>();
        Matcher m = Pattern.compile("\\$\\{([A-Z_0-9]+)").matcher(launcher);
        while (m.find()) {
            read.add(m.group(1));
        }
        assertThat(new TreeSet<>(rows.keySet())).as("variables in the launcher table of docs/configuration.md")
                .isEqualTo(read);
    }

    /**
     * A bad value is refused with "(default X)" in the message for every variable that has one; X must be the
     * documented default.
     */
    @Test
    void theDocumentedDefaultsAreTheOnesTheServiceTakes() throws IOException {
        Map<String, String> rows = table(doc(), "| variable | default | what it is |");
        int compared = 0;
        for (Map.Entry<String, String> row : rows.entrySet()) {
            if (READ_ELSEWHERE.contains(row.getKey())) {
                continue;
            }
            Map<String, String> env = Map.of(row.getKey(), "not a value \u0001");
            String message;
            try {
                AppConfig.fromEnvironment(env);
                continue; // any text is taken (a path, a name)
            } catch (ConfigException e) {
                message = e.getMessage();
            }
            Matcher d = Pattern.compile("\\(default ([^)]*)\\)").matcher(message);
            if (d.find()) {
                assertThat(row.getValue()).as("documented default of %s (the service says: %s)", row.getKey(),
                        message).isEqualTo("`" + d.group(1) + "`");
                compared++;
            }
        }
        assertThat(compared).as("variables whose default the service names").isGreaterThanOrEqualTo(8);
    }

    @Test
    void theDefaultsOfThePathsAreTheDocumentedOnes() throws IOException {
        Map<String, String> rows = table(doc(), "| variable | default | what it is |");
        AppConfig c = AppConfig.fromEnvironment(Map.of());
        assertThat(rows.get("MEDIA_FOLDER")).isEqualTo("`./media`");
        assertThat(c.mediaFolder()).isEqualTo(java.nio.file.Path.of("./media").toAbsolutePath().normalize());
        assertThat(rows.get("DATA_DIR")).isEqualTo("`./data`");
        assertThat(c.dataDir()).isEqualTo(java.nio.file.Path.of("./data").toAbsolutePath().normalize());
        assertThat(rows.get("LOG_DIR")).isEqualTo("`./logs`");
        assertThat(c.logDir()).isEqualTo(java.nio.file.Path.of("./logs").toAbsolutePath().normalize());
        assertThat(rows.get("IPTV_CHANNELS_FILE")).isEqualTo("`DATA_DIR/iptv_channels.json`");
        assertThat(c.iptvChannelsFile()).isEqualTo(c.dataDir().resolve("iptv_channels.json"));
        assertThatThrownBy(() -> AppConfig.fromEnvironment(Map.of("API_KEY", "short")))
                .hasMessageContaining("at least 16 characters");
        assertThat(rows.get("API_KEY")).isEqualTo("generated");
        assertThat(rows.get("SECRET_KEY")).isEqualTo("generated");
    }
}
