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
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How long after a stream's status changes an operator sees it: the dashboard's badge (server-sent events) against
 * the original tool's way, a GET /api/streams every 5 s, both in the same browser page in the same run. Run by
 * {@code bench/ui/status-latency.sh}; results in docs/BENCHMARKS.md.
 */
@EnabledIfSystemProperty(named = "mcr.bench.ui", matches = "\\d+")
class StatusLatencyBenchmark {

    private static final String OBSERVERS = """
            window.seenBadge = {}; window.seenPoll = {};
            const cards = document.getElementById('stream-cards');
            new MutationObserver(() => {
              cards.querySelectorAll('[data-stream-key]').forEach((c) => {
                const k = c.dataset.streamKey;
                const b = c.querySelector('.status-badge');
                if (b && b.textContent === 'Connected' && !window.seenBadge[k]) { window.seenBadge[k] = Date.now(); }
              });
            }).observe(cards, { subtree: true, childList: true, characterData: true });
            setInterval(async () => {
              const r = await fetch('/api/streams', { cache: 'no-store' });
              const j = await r.json();
              for (const [k, s] of Object.entries(j.data)) {
                if (s.connection_status === 'Connected' && !window.seenPoll[k]) { window.seenPoll[k] = Date.now(); }
              }
            }, 5000);
            """;

    @Test
    void badgeFromServerSentEventsAgainstPollingEveryFiveSeconds() throws Exception {
        int rounds = Integer.getInteger("mcr.bench.ui");
        ScriptedEngine engine = new ScriptedEngine();
        List<Long> sse = new ArrayList<>();
        List<Long> poll = new ArrayList<>();
        String loadBefore = Files.readString(Path.of("/proc/loadavg")).strip();
        try (UiService service = UiService.start(engine, false, 10001, 10010); Browser browser = new Browser()) {
            browser.driver.get(service.base + "/");
            new WebDriverWait(browser.driver, Duration.ofSeconds(20))
                    .until(d -> d.findElement(By.id("live-indicator")).getText().contains("Live"));
            browser.driver.executeScript(OBSERVERS);
            for (int i = 0; i < rounds; i++) {
                int key = 10001 + i % 10;
                engine.start(new StreamConfig(Mode.LISTENER, new InputSpec.ColorBars(ColorBarFormat.HD_720P50), key,
                        null, null, 300, 2, Encryption.NONE, null, false, 30, false, null));
                Thread.sleep(ThreadLocalRandom.current().nextLong(1000, 6000));
                long changedAt = System.currentTimeMillis();
                engine.connect(key);
                String k = String.valueOf(key);
                new WebDriverWait(browser.driver, Duration.ofSeconds(15)).pollingEvery(Duration.ofMillis(100))
                        .until(d -> browser.driver.executeScript(
                                "return !!(window.seenBadge[arguments[0]] && window.seenPoll[arguments[0]])", k));
                sse.add(((Number) browser.driver.executeScript("return window.seenBadge[arguments[0]]", k))
                        .longValue() - changedAt);
                poll.add(((Number) browser.driver.executeScript("return window.seenPoll[arguments[0]]", k))
                        .longValue() - changedAt);
                engine.stop(key);
                browser.driver.executeScript(
                        "delete window.seenBadge[arguments[0]]; delete window.seenPoll[arguments[0]];", k);
                Thread.sleep(1500);
            }
        }
        String loadAfter = Files.readString(Path.of("/proc/loadavg")).strip();
        System.out.printf(Locale.ROOT, "status change -> visible, %d rounds (ms): SSE badge %s; poll 5 s %s%n"
                + "loadavg before: %s, after: %s%n", rounds, summary(sse), summary(poll), loadBefore, loadAfter);
        assertThat(sse).hasSize(rounds);
    }

    private static String summary(List<Long> values) {
        List<Long> s = values.stream().sorted().toList();
        return String.format(Locale.ROOT, "min %d, p50 %d, p90 %d, max %d", s.getFirst(), s.get(s.size() / 2),
                s.get((int) Math.ceil(s.size() * 0.9) - 1), s.getLast());
    }
}
