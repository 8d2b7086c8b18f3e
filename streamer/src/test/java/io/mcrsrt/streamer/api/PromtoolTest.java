package io.mcrsrt.streamer.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import io.mcrsrt.streamer.reliability.Programs;
import io.mcrsrt.streamer.reliability.RepoFiles;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /metrics} and the suggested alert rules of docs/operations.md, checked by Prometheus's own {@code promtool}
 * (Debian package {@code prometheus}): the scrape of a service running a stream of each kind and a SMPTE 2022-7 pair
 * lints clean; the rules block, as a user copies it from the guide, loads;
 * and each alert fires when its comment says and not otherwise ({@code promtool/alert-rules-test.yml}, with the job
 * name of the scrape config in docs/api.md); and every query of the Grafana dashboard parses. Skipped where promtool
 * is not installed.
 */
final class PromtoolTest {
    private static Path promtool;
    private static Path repository;

    @TempDir
    Path root;

    @BeforeAll
    static void findPromtoolAndTheRepository() {
        promtool = Programs.find("promtool");
        repository = RepoFiles.root();
    }

    @BeforeEach
    void needPromtool() {
        assumeTrue(promtool != null, "promtool is not installed: it comes with the Debian package prometheus, one of"
                + " the test packages scripts/prepare.sh installs");
    }

    /**
     * Clean, Micrometer's JVM and process metrics too: base units (seconds, bytes, ratios), no abbreviated units, no
     * histogram suffix on a gauge.
     */
    @Test
    void theScrapeOfAStreamOfEachKindAndAPairLintsClean() throws Exception {
        String scrape = scrapeOfEveryKind();
        Run lint = promtool(scrape, "check", "metrics");
        assertThat(lint.output()).as("promtool's lint").isBlank();
        assertThat(lint.exit()).isZero();
        assertThat(scrape).as("process CPU time in seconds, under the name Prometheus's client libraries give it")
                .containsPattern("(?m)^process_cpu_seconds_total [0-9.]+(E-?\\d+)?$")
                .containsPattern("(?m)^system_cpus [1-9][0-9]*\\.0$");
    }

    /**
     * A query of a metric the service does not export parses, and then shows an empty panel or an alert that can never
     * fire: every name the dashboard and the documented rules use must be one the scrape has.
     */
    @Test
    void everyMetricTheDashboardAndTheAlertRulesNameIsExported() throws Exception {
        Set<String> exported = matches("(?m)^# TYPE (mcr_srt_\\w+) ", scrapeOfEveryKind());
        assertThat(exported).hasSizeGreaterThan(20);
        String dashboard = Files.readString(repository.resolve("deploy/grafana/mcr-srt-streamer.json"));
        assertThat(matches("(mcr_srt_\\w+)", dashboard)).as("metrics the Grafana dashboard queries")
                .isNotEmpty().isSubsetOf(exported);
        assertThat(matches("(mcr_srt_\\w+)", alertRulesBlock())).as("metrics the documented alert rules use")
                .isNotEmpty().isSubsetOf(exported);
    }

    /** {@code /metrics} with a stream of each input kind, a caller, and a 2022-7 pair running. */
    private String scrapeOfEveryKind() throws Exception {
        String scrape;
        try (TestService svc = TestService.withFakeEngine(root)) {
            Files.write(root.resolve("media/clip.ts"), new byte[188 * 10]);
            for (String stream : List.of(
                    "{\"input_type\":\"file\",\"file_path\":\"clip.ts\",\"port\":10001}",
                    "{\"input_type\":\"colorbar_720p50\",\"port\":10002}",
                    "{\"input_type\":\"multicast\",\"multicast_address\":\"239.1.1.1\",\"multicast_port\":5000,"
                            + "\"port\":10003}",
                    "{\"input_type\":\"colorbar_1080i25\",\"mode\":\"caller\",\"target_address\":\"127.0.0.1\","
                            + "\"target_port\":20000}")) {
                assertThat(svc.postJson("/api/streams", stream).status()).as(stream).isEqualTo(201);
            }
            assertThat(svc.postJson("/api/pairs", "{\"input_type\":\"multicast\",\"multicast_address\":\"239.1.1.2\","
                    + "\"multicast_port\":5000,\"legs\":[{\"mode\":\"listener\",\"port\":10005},{\"mode\":\"caller\","
                    + "\"target_address\":\"127.0.0.1\",\"target_port\":20001}]}").status()).isEqualTo(201);
            TestService.Reply r = svc.send(svc.request("/metrics").GET().build());
            assertThat(r.status()).isEqualTo(200);
            scrape = r.body();
        }
        assertThat(scrape).as("series of every kind of stream, of a connection, of a pair's legs and input")
                .contains("input_type=\"file\"", "input_type=\"colorbar_720p50\"", "input_type=\"multicast\"",
                        "mode=\"caller\"", "mcr_srt_connection_packets_sent{", "mcr_srt_pair_leg_connected{",
                        "leg=\"2\"", "mcr_srt_pair_input_continuity_errors{", "mcr_srt_stream_input_rtp_lost{");
        return scrape;
    }

    @Test
    void theAlertRulesAsCopiedFromTheOperationsGuideLoadAndEachHasUnitTests() throws Exception {
        String rules = alertRulesBlock();
        Files.writeString(root.resolve("rules.yml"), rules);
        Run check = promtool(null, "check", "rules", "rules.yml");
        assertThat(check.exit()).as(check.output()).isZero();
        assertThat(check.output()).contains("SUCCESS: " + matches("- alert: (\\w+)", rules).size() + " rules found");
        assertThat(matches("alertname: (\\w+)", unitTests())).as("alerts with unit tests")
                .isEqualTo(matches("- alert: (\\w+)", rules)).hasSizeGreaterThan(5);
    }

    @Test
    void eachDocumentedAlertFiresWhenItsCommentSaysAndNotOtherwise() throws Exception {
        Files.writeString(root.resolve("rules.yml"), alertRulesBlock());
        Set<String> jobs = matches("job_name: (\\S+)", Files.readString(repository.resolve("docs/api.md")));
        assertThat(jobs).as("the scrape config in docs/api.md").hasSize(1);
        Files.writeString(root.resolve("tests.yml"), unitTests().replace("${JOB}", jobs.iterator().next()));
        Run test = promtool(null, "test", "rules", "tests.yml");
        assertThat(test.exit()).as(test.output()).isZero();
        assertThat(test.output()).contains("SUCCESS");
    }

    @Test
    void everyQueryOfTheGrafanaDashboardParsesAsPromQl() throws Exception {
        StringBuilder rules = new StringBuilder("groups:\n- name: dashboard\n  rules:\n");
        int queries = 0;
        JsonNode dashboard = TestService.JSON.readTree(repository.resolve("deploy/grafana/mcr-srt-streamer.json")
                .toFile());
        for (JsonNode panel : dashboard.get("panels")) {
            for (JsonNode target : panel.get("targets")) {
                // Grafana's variable stands for a regular expression of keys; any will do for parsing.
                String expr = target.get("expr").asText().replace("$key", ".*");
                rules.append("  - record: dashboard:panel").append(panel.get("id").asInt())
                        .append(target.get("refId").asText()).append("\n    expr: ")
                        .append(TestService.JSON.writeValueAsString(expr)).append('\n');
                queries++;
            }
        }
        Files.writeString(root.resolve("dashboard.yml"), rules);
        Run check = promtool(null, "check", "rules", "dashboard.yml");
        assertThat(check.exit()).as("%s%n%s", rules, check.output()).isZero();
        assertThat(check.output()).contains("SUCCESS: " + queries + " rules found");
    }

    /** The first {@code yaml} block of the guide's "Metrics and alerting" section, verbatim. */
    private static String alertRulesBlock() throws IOException {
        String guide = Files.readString(repository.resolve("docs/operations.md"));
        int section = guide.indexOf("\n## Metrics and alerting\n");
        assertThat(section).as("the section Metrics and alerting").isNotNegative();
        int open = guide.indexOf("\n```yaml\n", section);
        int close = guide.indexOf("\n```\n", open + 1);
        assertThat(open).as("a yaml block in the section").isNotNegative();
        assertThat(guide.indexOf("\n## ", section + 1)).as("the block inside the section").isGreaterThan(close);
        return guide.substring(open + "\n```yaml\n".length(), close + 1);
    }

    private static String unitTests() throws IOException {
        try (InputStream in = PromtoolTest.class.getResourceAsStream("/promtool/alert-rules-test.yml")) {
            assertThat(in).as("promtool/alert-rules-test.yml on the test class path").isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static Set<String> matches(String regex, String text) {
        Set<String> found = new TreeSet<>();
        Matcher m = Pattern.compile(regex).matcher(text);
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }

    /** What promtool printed (standard output and error) and its exit status. */
    private record Run(int exit, String output) {
    }

    /** Runs promtool in the test's folder with these arguments, {@code stdin} (or nothing) on its standard input. */
    private Run promtool(String stdin, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(promtool.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true).start();
        try (OutputStream in = p.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        }
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Run(p.waitFor(), output);
    }
}
