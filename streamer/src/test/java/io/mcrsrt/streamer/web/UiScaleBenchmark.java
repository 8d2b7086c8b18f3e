package io.mcrsrt.streamer.web;

import io.mcrsrt.streamer.stream.ColorBarFormat;
import io.mcrsrt.streamer.stream.Encryption;
import io.mcrsrt.streamer.stream.InputSpec;
import io.mcrsrt.streamer.stream.Mode;
import io.mcrsrt.streamer.stream.StreamConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the dashboard costs the browser and the service with 50 streams: 25 listeners and 25 callers, half of them
 * with 1-3 connected callers, one caller coming or going every 3 s. Chromium's own figures (CDP
 * {@code Performance.getMetrics}) are read after the page settled and again after the measured time, and the page's
 * requests are counted from its resource timing entries. Run by {@code bench/ui/dashboard-50.sh}; results in
 * docs/BENCHMARKS.md. The value of {@code mcr.bench.uiscale} is the measured time in seconds.
 */
@EnabledIfSystemProperty(named = "mcr.bench.uiscale", matches = "\\d+")
class UiScaleBenchmark {

    private static final int STREAMS = 50;
    private static final List<String> METRICS = List.of("TaskDuration", "ScriptDuration", "LayoutDuration",
            "RecalcStyleDuration", "LayoutCount", "RecalcStyleCount", "JSHeapUsedSize", "Nodes", "JSEventListeners");

    @Test
    void dashboardWithFiftyStreams() throws Exception {
        int seconds = Integer.getInteger("mcr.bench.uiscale");
        String page = System.getProperty("mcr.bench.uiscale.page", "/");
        ScriptedEngine engine = new ScriptedEngine();
        try (UiService service = UiService.start(engine, false, 10001, 10100); Browser browser = new Browser()) {
            for (int i = 0; i < STREAMS; i++) {
                InputSpec bars = new InputSpec.ColorBars(ColorBarFormat.HD_720P50);
                boolean listener = i % 2 == 0;
                int key = listener ? 10001 + i : 20001 + i;
                engine.start(listener
                        ? new StreamConfig(Mode.LISTENER, bars, key, null, null, 300, 2, Encryption.NONE, null,
                        false, 30, false, null)
                        : new StreamConfig(Mode.CALLER, bars, null, "127.0.0.1", key, 300, 2, Encryption.NONE,
                        null, false, 30, false, null));
                if (i % 4 < 2) {
                    int callers = listener ? 1 + i % 3 : 1;
                    for (int c = 0; c < callers; c++) {
                        engine.connect(key, "192.0.2." + (c + 1) + ":" + (40000 + i), null);
                    }
                }
            }
            var driver = browser.driver;
            driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source",
                    "performance.setResourceTimingBufferSize(1000000);"));
            driver.executeCdpCommand("Performance.enable", Map.of("timeDomain", "threadTicks"));
            driver.get(service.base + page);
            new WebDriverWait(driver, Duration.ofSeconds(20))
                    .until(d -> d.findElement(By.id("live-indicator")).getText().contains("Live"));
            Thread.sleep(6000);
            driver.executeCdpCommand("HeapProfiler.collectGarbage", Map.of());
            Map<String, Double> before = metrics(browser);
            long requestsBefore = requests(browser).values().stream().mapToLong(Long::longValue).sum();
            driver.executeScript("window.benchMark = performance.now();");
            long end = System.currentTimeMillis() + seconds * 1000L;
            int round = 0;
            while (System.currentTimeMillis() < end) {
                Thread.sleep(3000);
                // A listener without callers gets one, or loses it again: a change event for the whole list.
                int key = 10001 + 4 * (2 + (round / 2) % 12);
                String address = "198.51.100.7:5000";
                if (round % 2 == 0) {
                    engine.connect(key, address, null);
                } else {
                    engine.disconnect(key, address);
                }
                round++;
            }
            driver.executeCdpCommand("HeapProfiler.collectGarbage", Map.of());
            Map<String, Double> after = metrics(browser);
            Map<String, Long> during = requestsSinceMark(browser);
            browser.screenshot(Path.of("target", "ui-scale", "dashboard-50.png"));
            Files.writeString(Path.of("target", "ui-scale", "page-height.txt"), String.valueOf(
                    driver.executeScript("return document.documentElement.scrollHeight")));
            StringBuilder out = new StringBuilder(String.format(Locale.ROOT,
                    "ui-scale %s, %d streams, %d s measured%n", page, STREAMS, seconds));
            for (String m : METRICS) {
                double b = before.getOrDefault(m, 0.0);
                double a = after.getOrDefault(m, 0.0);
                boolean level = m.equals("JSHeapUsedSize") || m.equals("Nodes") || m.equals("JSEventListeners");
                out.append(level
                        ? String.format(Locale.ROOT, "  %-20s start %.0f, end %.0f%n", m, b, a)
                        : String.format(Locale.ROOT, "  %-20s %.3f during the run%n", m, a - b));
            }
            out.append(String.format(Locale.ROOT, "  requests at load %d; during the run %s%n", requestsBefore,
                    during));
            out.append("  loadavg ").append(Files.readString(Path.of("/proc/loadavg")).strip()).append('\n');
            System.out.print(out);
            assertThat(after).containsKey("Nodes");
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Double> metrics(Browser browser) {
        Map<String, Object> answer = browser.driver.executeCdpCommand("Performance.getMetrics", Map.of());
        Map<String, Double> out = new HashMap<>();
        for (Map<String, Object> m : (List<Map<String, Object>>) answer.get("metrics")) {
            out.put((String) m.get("name"), ((Number) m.get("value")).doubleValue());
        }
        return out;
    }

    private static Map<String, Long> requests(Browser browser) {
        return group(browser.driver.executeScript(
                "return performance.getEntriesByType('resource').map((e) => e.name)"));
    }

    private static Map<String, Long> requestsSinceMark(Browser browser) {
        return group(browser.driver.executeScript("return performance.getEntriesByType('resource')"
                + ".filter((e) => e.startTime >= window.benchMark).map((e) => e.name)"));
    }

    /** Request counts by path, with stream keys folded: /api/stats/{key}. */
    @SuppressWarnings("unchecked")
    private static Map<String, Long> group(Object names) {
        Map<String, Long> out = new TreeMap<>();
        for (String url : (List<String>) names) {
            String path = url.replaceFirst("^https?://[^/]+", "").replaceFirst("\\?.*$", "")
                    .replaceAll("/\\d+(?=/|$)", "/{key}");
            out.merge(path, 1L, Long::sum);
        }
        return out;
    }
}
