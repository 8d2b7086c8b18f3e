package io.mcrsrt.streamer.web;

import io.mcrsrt.streamer.stream.ColorBarFormat;
import io.mcrsrt.streamer.stream.Encryption;
import io.mcrsrt.streamer.stream.InputSpec;
import io.mcrsrt.streamer.stream.Mode;
import io.mcrsrt.streamer.stream.PairConfig;
import io.mcrsrt.streamer.stream.Persistence;
import io.mcrsrt.streamer.stream.StreamConfig;
import io.mcrsrt.streamer.stream.StreamStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The pages in a real headless Chromium against the real web service (API, server-sent events, session, CSRF,
 * Content-Security-Policy) in front of a {@link ScriptedEngine}: forms, live badges, charts, validation messages by
 * their fields, media, login, and no console errors. {@code WebUiLiveStreamTest} does the same with real SRT.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebUiTest {

    private ScriptedEngine engine;
    private UiService service;
    private String base;
    private Browser browser;
    private final List<String> expectedConsoleErrors = new ArrayList<>();

    @BeforeAll
    void startServerAndBrowser() throws Exception {
        assumeTrue(Browser.available(), "chromium and chromedriver are needed: run scripts/prepare.sh");
        engine = new ScriptedEngine();
        service = UiService.start(engine, false, 10001, 10020);
        base = service.base;
        service.makeMediaFile("news.ts");
        service.makeMediaFile("promo/trailer.ts");
        browser = new Browser();
    }

    @AfterAll
    void stopAll() throws Exception {
        Browser.closeBoth(browser, service);
    }

    @BeforeEach
    void resetExpectations() {
        expectedConsoleErrors.clear();
        browser.viewport(1280, 800);
    }

    @AfterEach
    void browserConsoleHasNoErrors() {
        List<String> unexpected = browser.severeConsoleEntries().stream()
                .map(LogEntry::getMessage)
                .filter(m -> expectedConsoleErrors.stream().noneMatch(m::contains))
                .toList();
        assertThat(unexpected).as("browser console errors").isEmpty();
    }

    @Test
    void listenerStartedFromTheFormShowsACardThatTurnsConnectedLive() {
        open("/");
        startListener(10001);
        WebElement badge = waitForBadge(10001, "Waiting for connection");
        assertThat(badge.getAttribute("class")).contains("text-bg-primary");

        engine.connect(10001);

        badge = waitForBadge(10001, "Connected");
        assertThat(badge.getAttribute("class")).contains("text-bg-success");
        waitUntil(d -> card(10001).findElement(By.cssSelector("[data-field='peers']")).getText()
                .contains("127.0.0.1"));
    }

    @Test
    void theSystemPanelSaysWhereCallersReachTheListeners() throws Exception {
        open("/");
        List<String> expected = new io.mcrsrt.streamer.system.ListenerReach(null).addresses().stream()
                .map(a -> a.get("address") + " (" + a.get("interface") + ")").toList();
        assertThat(expected).isNotEmpty();
        By row = By.cssSelector("#system-info [data-field='SRT listeners']");
        waitUntil(d -> !d.findElements(row).isEmpty() && !d.findElement(row).getText().equals("–"));
        assertThat(text(row)).isEqualTo(String.join(", ", expected));
    }

    @Test
    void detailsPageShowsTheHistoryThenLiveSamplesInTheCharts() {
        open("/");
        startListener(10002);
        waitForBadge(10002, "Waiting for connection");
        engine.connect(10002);
        waitForBadge(10002, "Connected");
        card(10002).findElement(By.cssSelector("[data-action='details']")).click();

        waitUntil(d -> d.getCurrentUrl().endsWith("/stream/10002"));
        int fromHistory = waitForChartPoints("chart-bitrate", 30);
        waitForChartPoints("chart-bitrate", fromHistory + 2);
        waitForChartPoints("chart-retrans", fromHistory + 2);
        assertThat(text(By.id("m-bitrate"))).matches("4\\.\\d\\d");
        assertThat(text(By.id("m-latency"))).isEqualTo("300");
        assertThat(text(By.cssSelector("#counters [data-field='packets_sent_total']")))
                .isNotEqualTo("–");
        assertThat(text(By.id("peer-list"))).contains(ScriptedEngine.PEER);
        waitUntil(d -> d.findElement(By.id("stream-events")).getText().contains("connected"));

        browser.driver.findElement(By.id("raw-toggle")).click();
        assertThat(text(By.id("raw-stats"))).contains("\"bitrate_mbps\"");
        assertThat(browser.driver.findElement(By.id("raw-toggle")).getAttribute("aria-expanded")).isEqualTo("true");
        // The statistics open under the counters, a screen or more below the button: the page goes to them.
        waitUntil(d -> (Boolean) browser.driver.executeScript("const r = document.getElementById('raw-box')"
                + ".getBoundingClientRect(); return r.top >= 0 && r.top < window.innerHeight;"));
    }

    /**
     * The history's samples come from the stream's primary connection of the moment: when a listener's first caller
     * left, the next one's running totals follow the first one's. Subtracting one from the other is no rate.
     */
    @Test
    void theRetransmitChartDrawsNoSpikeWhereTheHistoryPassesToAnotherConnection() throws Exception {
        engine.earlierConnectionUntilSecondsAgo = 10;
        startColourBars(10013);
        try {
            engine.connect(10013);
            open("/stream/10013");
            waitForChartPoints("chart-retrans", ScriptedEngine.HISTORY_SECONDS);
            @SuppressWarnings("unchecked")
            List<Number> rates = (List<Number>) browser.driver.executeScript("return Chart.getChart("
                    + "document.getElementById('chart-retrans')).data.datasets[0].data.map(p => p.y)");
            // the scripted link retransmits about a third of a packet a second; the later connection has sent fewer
            // packets in all than the earlier one but retransmitted 5 000 more
            assertThat(rates).isNotEmpty().allSatisfy(r -> assertThat(r.doubleValue()).isLessThan(10));
        } finally {
            engine.earlierConnectionUntilSecondsAgo = 0;
            engine.stop(10013);
        }
    }

    @Test
    void aMulticastStreamsFaultsBeforeTheServiceShowOnItsPageAndItsCard() throws Exception {
        engine.start(new StreamConfig(Mode.LISTENER, new InputSpec.Multicast("239.1.1.1", 5000, null, null), 10006,
                null, null, 300, 25, Encryption.NONE, null, false, 30, false, null));
        open("/stream/10006");
        waitUntil(d -> d.findElement(By.id("stream-info")).getText().contains("Input faults"));
        assertThat(text(By.id("stream-info")))
                .contains("4 continuity errors, 2 RTP datagrams lost");
        assertThat(text(By.cssSelector("#stream-info [data-field='Input']")))
                .isEqualTo("UDP: 239.1.1.1:5000");
        open("/");
        By input = By.cssSelector("[data-stream-key='10006'] [data-field='input']");
        waitUntil(d -> !d.findElements(input).isEmpty() && d.findElement(input).getText().contains("faults"));
        assertThat(text(input))
                .isEqualTo("UDP: 239.1.1.1:5000 (faults before it: 4 continuity errors, 2 RTP datagrams lost)");
    }

    @Test
    void debugShowsTheStreamsDebugJsonAndStopAsksForASecondClick() {
        open("/");
        startListener(10003);
        waitForBadge(10003, "Waiting for connection");
        card(10003).findElement(By.cssSelector("[data-action='debug']")).click();
        waitUntil(d -> d.findElement(By.id("debug-content")).getText().contains("\"pipeline_state\""));
        assertThat(text(By.id("debug-title"))).contains("Stream 10003");
        browser.driver.findElement(By.cssSelector("#debug-modal .btn-close")).click();
        waitUntil(ExpectedConditions.invisibilityOfElementLocated(By.id("debug-modal")));
        WebElement stop = card(10003).findElement(By.cssSelector("[data-action='stop']"));

        stop.click();
        assertThat(stop.getText()).isEqualTo("Confirm stop");
        assertThat(engine.has(10003)).isTrue();
        stop.click();

        waitUntil(d -> d.findElements(By.cssSelector("[data-stream-key='10003']")).isEmpty());
        assertThat(engine.has(10003)).isFalse();
    }

    /**
     * With the keyboard, a dialog closed with Esc gives the cursor back to the button that opened it (a card's Debug, a
     * file's Info), so the next Tab goes on from there rather than from the top of the page.
     */
    @Test
    void aDialogClosedWithEscGivesTheCursorBackToTheButtonThatOpenedIt() throws Exception {
        startColourBars(10014);
        try {
            open("/");
            waitForBadge(10014, "Waiting for connection");
            WebElement debug = card(10014).findElement(By.cssSelector("[data-action='debug']"));
            debug.sendKeys(Keys.ENTER);
            waitUntil(ExpectedConditions.visibilityOfElementLocated(By.id("debug-modal")));
            browser.driver.switchTo().activeElement().sendKeys(Keys.ESCAPE);
            waitUntil(ExpectedConditions.invisibilityOfElementLocated(By.id("debug-modal")));
            waitUntil(d -> debug.equals(d.switchTo().activeElement()));
        } finally {
            engine.stop(10014);
        }

        open("/files");
        WebElement info = waitUntil(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("tr[data-file='news.ts'] button")));
        info.sendKeys(Keys.ENTER);
        waitUntil(ExpectedConditions.visibilityOfElementLocated(By.id("info-modal")));
        waitUntil(d -> d.findElement(By.id("info-summary")).getText().contains("320"));
        browser.driver.switchTo().activeElement().sendKeys(Keys.ESCAPE);
        waitUntil(ExpectedConditions.invisibilityOfElementLocated(By.id("info-modal")));
        waitUntil(d -> info.equals(d.switchTo().activeElement()));
    }

    @Test
    void validationErrorsFromTheApiAreShownNextToTheirFields() {
        expectedConsoleErrors.add("status of 400");
        open("/");
        type("port", "20000");
        type("latency", "5");
        new Select(field("encryption")).selectByValue("aes-128");
        type("passphrase", "short");
        field("stream-form").findElement(By.cssSelector("[type='submit']")).click();

        assertThat(feedbackAfter("latency")).isEqualTo("SRT Latency must be an integer between 20 and 8000 (got 5).");
        assertThat(feedbackAfter("port")).isEqualTo("Listener requires a 'port' between 10001 and 10020 (got 20000).");
        assertThat(feedbackAfter("passphrase"))
                .isEqualTo("Passphrase must be a string between 10 and 79 characters. libsrt counts bytes in UTF-8"
                        + " ('é' counts as two): this one has 5.");
        assertThat(field("latency").getAttribute("class")).contains("is-invalid");
        assertThat(browser.driver.switchTo().activeElement().getAttribute("name")).isEqualTo("port");

        type("latency", "300");
        type("port", "10004");
        type("passphrase", "a good long passphrase");
        field("stream-form").findElement(By.cssSelector("[type='submit']")).click();
        waitForBadge(10004, "Waiting for connection");
        assertThat(browser.driver.findElements(By.cssSelector(".invalid-feedback.from-api"))).isEmpty();
    }

    /**
     * A listener nobody calls showed RTT 0.00, bandwidth 0.0 and send buffer 0, which read as a perfect link: without
     * a link its figures are "–" until a caller connects.
     */
    @Test
    void aStreamWithoutALinkShowsNoLinkFiguresRatherThanZeros() throws Exception {
        int port = java.util.stream.IntStream.rangeClosed(10001, 10020).filter(p -> !engine.has(p)).findFirst()
                .orElseThrow();
        startColourBars(port);
        try {
            open("/stream/" + port);
            waitUntil(d -> !text(By.id("m-uptime")).equals("–"));
            for (String id : List.of("m-bitrate", "m-rtt", "m-loss", "m-retrans", "m-bandwidth", "m-sndbuf")) {
                assertThat(text(By.id(id))).as(id).isEqualTo("–");
            }
            engine.connect(port);
            waitUntil(d -> text(By.id("m-rtt")).matches("\\d+\\.\\d\\d"));
            assertThat(text(By.id("m-bitrate"))).matches("\\d+\\.\\d\\d");
        } finally {
            engine.stop(port);
        }
    }

    /**
     * Chart.js writes a tick of 0 as "0" whatever the axis's step, so an axis read "0", "0.05", ..., "0.50": every tick
     * label of an axis has the one number of decimals its step needs, and says its tick's value.
     */
    @Test
    void eachChartAxisWritesItsTicksWithOneNumberOfDecimals() throws Exception {
        int port = java.util.stream.IntStream.rangeClosed(10001, 10020).filter(p -> !engine.has(p)).findFirst()
                .orElseThrow();
        startColourBars(port);
        try {
            engine.connect(port);
            open("/stream/" + port);
            waitForChartPoints("chart-rtt", 30);
            @SuppressWarnings("unchecked")
            List<List<List<Object>>> axes = (List<List<List<Object>>>) browser.driver.executeScript(
                    "return ['chart-bitrate', 'chart-rtt', 'chart-loss', 'chart-retrans'].map((id) =>"
                            + " Chart.getChart(id).scales.y.ticks.map((t) => [t.value, t.label]));");
            for (List<List<Object>> ticks : axes) {
                assertThat(ticks).as("ticks").hasSizeGreaterThan(1);
                Set<Integer> decimals = new java.util.HashSet<>();
                for (List<Object> tick : ticks) {
                    double value = ((Number) tick.get(0)).doubleValue();
                    String label = String.valueOf(tick.get(1));
                    decimals.add(label.contains(".") ? label.length() - label.indexOf('.') - 1 : 0);
                    assertThat(Double.parseDouble(label)).as("the label %s of %s", label, value)
                            .isCloseTo(value, org.assertj.core.data.Offset.offset(1e-9));
                }
                assertThat(decimals).as("decimals on the axis %s", ticks).hasSize(1);
            }
        } finally {
            browser.driver.get("about:blank");
            engine.stop(port);
        }
    }

    /**
     * After a start the port field held the port just started, so that the next Start was refused as "already
     * running": it moves on to the lowest port of the range that no stream holds.
     */
    @Test
    void afterAStartThePortFieldMovesOnToTheLowestFreePort() throws Exception {
        open("/");
        int port = java.util.stream.IntStream.rangeClosed(10001, 10020).filter(p -> !engine.has(p)).findFirst()
                .orElseThrow();
        try {
            startListener(port);
            waitForBadge(port, "Waiting for connection");
            int next = java.util.stream.IntStream.rangeClosed(10001, 10020).filter(p -> !engine.has(p)).findFirst()
                    .orElseThrow();
            assertThat(next).isNotEqualTo(port);
            waitUntil(d -> String.valueOf(next).equals(field("port").getAttribute("value")));
        } finally {
            if (engine.has(port)) {
                engine.stop(port);
            }
        }
    }

    /**
     * The listener form offered the range's first port on every load, even while a stream held it, and Start listener
     * was refused as already running: the port it offers moves on to the lowest port of the range that no stream and
     * no SMPTE 2022-7 pair's leg holds.
     */
    @Test
    void theListenerFormsDefaultPortSkipsAPortInUse() throws Exception {
        boolean started = !engine.has(10001);
        boolean pair = !engine.has(10002) && !engine.has(10003) && !engine.hasPair(10002);
        if (started) {
            startColourBars(10001);
        }
        if (pair) {
            engine.startPair(pair(10002, 10003));
        }
        try {
            Set<Integer> taken = new java.util.HashSet<>();
            engine.pairs().forEach(v -> taken.addAll(List.of(v.config().leg1().key(), v.config().leg2().key())));
            int free = java.util.stream.IntStream.rangeClosed(10001, 10020)
                    .filter(p -> !engine.has(p) && !taken.contains(p)).findFirst().orElseThrow();
            assertThat(taken).as("a pair's legs hold ports too").contains(10002);
            open("/");
            waitUntil(d -> String.valueOf(free).equals(field("port").getAttribute("value")));
        } finally {
            browser.driver.get("about:blank");
            if (pair) {
                engine.stopPair(10002);
            }
            if (started) {
                engine.stop(10001);
            }
        }
    }

    /**
     * The dashboard asked for the pair list on every live `streams` event, up to once a second while streams changed,
     * only to see whether a pair's leg held the port it offers: it asks on load, after a start and when a stream takes
     * the port offered. Here streams start and stop on other ports while the page is open.
     */
    @Test
    void theDashboardDoesNotAskForThePairsOnEveryStreamsEvent() throws Exception {
        int before = engine.pairsCalls.get();
        open("/");
        // the one request of the load
        waitUntil(d -> engine.pairsCalls.get() > before);
        String offered = field("port").getAttribute("value");
        List<Integer> others = java.util.stream.IntStream.rangeClosed(10001, 10020)
                .filter(p -> !engine.has(p) && p != Integer.parseInt(offered)).limit(2).boxed().toList();
        int calls = engine.pairsCalls.get();
        try {
            for (int port : others) {
                engine.start(colourBars(port));
                waitForBadge(port, "Waiting for connection");
                engine.stop(port);
                waitUntil(d -> d.findElements(By.cssSelector("[data-stream-key='" + port + "']")).isEmpty());
            }
            assertThat(engine.pairsCalls.get()).as("requests for the pairs").isEqualTo(calls);
            assertThat(field("port").getAttribute("value")).isEqualTo(offered);
        } finally {
            others.stream().filter(engine::has).forEach(p -> {
                try {
                    engine.stop(p);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            browser.driver.get("about:blank");
        }
    }

    /**
     * The Start button is disabled while the request runs, which took the keyboard focus from it and left it on the
     * page: after a refusal tied to no field (the port's stream already runs) or a start, Tab began again at the top.
     */
    @Test
    void theStartButtonKeepsTheFocusAfterARefusalTiedToNoFieldAndAfterAStart() throws Exception {
        expectedConsoleErrors.add("status of 409");
        startColourBars(10019);
        try {
            open("/");
            type("port", "10019");
            WebElement start = field("stream-form").findElement(By.cssSelector("[type='submit']"));
            start.click();
            waitUntil(d -> d.findElement(By.cssSelector("#stream-form .form-alert")).getText()
                    .contains("already running"));
            assertThat(focused()).as("after the refusal").isEqualTo("BUTTON Start listener");

            engine.stop(10019);
            start.click();
            waitForBadge(10019, "Waiting for connection");
            assertThat(focused()).as("after the start").isEqualTo("BUTTON Start listener");
        } finally {
            if (engine.has(10019)) {
                engine.stop(10019);
            }
        }
    }

    /**
     * A stream stopped from its card with the keyboard: the card goes, and with it the focus, which the page took and
     * Tab began again at the top. The list's heading takes it, and the next Tab reaches the card that is left.
     */
    @Test
    void aStopFromTheKeyboardLeavesTheFocusOnTheListNotThePage() throws Exception {
        startColourBars(10018);
        startColourBars(10019);
        try {
            open("/");
            waitForBadge(10019, "Waiting for connection");
            WebElement stop = card(10018).findElement(By.cssSelector("[data-action='stop']"));
            stop.sendKeys(Keys.SPACE);
            waitUntil(d -> stop.getText().equals("Confirm stop"));
            stop.sendKeys(Keys.SPACE);
            waitUntil(d -> d.findElements(By.cssSelector("[data-stream-key='10018']")).isEmpty());
            waitUntil(d -> focused().equals("H2 streams-heading"));
            browser.driver.switchTo().activeElement().sendKeys(Keys.TAB);
            // the first card left (other tests' streams may come before 10019)
            assertThat((Boolean) browser.driver.executeScript("return document.activeElement"
                    + ".matches('#stream-cards [data-stream-key] [data-action=\"details\"]')"))
                    .as("the next Tab").isTrue();
        } finally {
            for (int key : new int[] {10018, 10019}) {
                if (engine.has(key)) {
                    engine.stop(key);
                }
            }
        }
    }

    /**
     * A port written with a thousands separator ("10,001") is sent as typed and refused with the service's message
     * naming it, under the field: on the listener form, the caller form and a pair's leg. A number field let the
     * browser change it first (Chromium drops the comma as it is typed and starts port 10001).
     */
    @Test
    void aPortWrittenWithAThousandsSeparatorIsRefusedNamingWhatWasTyped() {
        expectedConsoleErrors.add("status of 400");
        open("/");
        type("port", "10,001");
        field("stream-form").findElement(By.cssSelector("[type='submit']")).click();
        assertThat(feedbackAfter("port"))
                .isEqualTo("Listener requires a 'port' between 10001 and 10020 (got '10,001').");
        assertThat(field("port").getAttribute("value")).as("kept as typed").isEqualTo("10,001");
        assertThat(engine.has(10001)).as("not started on 10001").isFalse();

        open("/caller");
        type("target_address", "127.0.0.1");
        type("target_port", "9,001");
        field("stream-form").findElement(By.cssSelector("[type='submit']")).click();
        assertThat(feedbackAfter("target_port"))
                .isEqualTo("Caller requires a 'target_port' between 1 and 65535 (got '9,001').");

        open("/smpte2022_7");
        type("leg1_port", "10,008");
        type("leg2_port", "10009");
        field("pair-form").findElement(By.cssSelector("[type='submit']")).click();
        assertThat(feedbackAfter("leg1_port"))
                .isEqualTo("Listener requires a 'port' between 10001 and 10020 (got '10,008').");
        assertThat(engine.pairs()).as("nothing started").isEmpty();
        assertThat(engine.has(9001)).isFalse();
    }

    /**
     * The API starts a stream without a latency at 300 ms. The form says so before (the empty field's placeholder)
     * and after (the answer's note); letters are not taken for an empty field but sent, and refused by the service.
     */
    @Test
    void aBlankLatencyStartsAtTheDefaultAndSaysSoWhileLettersAreRefused() throws Exception {
        expectedConsoleErrors.add("status of 400");
        open("/");
        type("port", "10017");
        type("latency", "abc");
        field("stream-form").findElement(By.cssSelector("[type='submit']")).click();
        assertThat(feedbackAfter("latency"))
                .isEqualTo("SRT Latency must be an integer between 20 and 8000 (got 'abc').");
        assertThat(engine.has(10017)).isFalse();

        field("latency").clear();
        assertThat(field("latency").getAttribute("placeholder")).isEqualTo("300 (default)");
        assertThat(field("latency-help").getText()).contains("300 ms when left empty");
        field("stream-form").findElement(By.cssSelector("[type='submit']")).click();
        try {
            WebElement alert = waitUntil(ExpectedConditions.visibilityOfElementLocated(
                    By.cssSelector("#stream-form .form-alert.alert-success")));
            assertThat(alert.getText()).isEqualTo("Stream 10017 is starting. Latency left empty: the service's default,"
                    + " 300 ms, is used.");
            By latency = By.cssSelector("[data-stream-key='10017'] [data-field='latency']");
            waitUntil(d -> !d.findElements(latency).isEmpty());
            assertThat(text(latency)).isEqualTo("300 ms");
            assertThat(engine.stream(10017).orElseThrow().config().latencyMs()).isEqualTo(300);
            assertThat(browser.driver.findElements(By.cssSelector(".invalid-feedback.from-api"))).isEmpty();

            open("/caller");
            assertThat(field("latency").getAttribute("placeholder")).as("the caller form alike")
                    .isEqualTo("300 (default)");
        } finally {
            if (engine.has(10017)) {
                engine.stop(10017);
            }
        }
    }

    @Test
    void callerStreamIsStartedFromTheCallerPageWithTheKeyboard() {
        open("/caller");
        type("target_address", "127.0.0.1");
        type("target_port", "9000");
        field("target_port").sendKeys(Keys.ENTER);

        WebElement badge = waitForBadge(9000, "Connecting...");
        assertThat(badge.getAttribute("class")).contains("text-bg-warning");
        assertThat(card(9000).findElement(By.cssSelector("[data-field='mode']")).getText())
                .isEqualTo("caller (→ 127.0.0.1:9000)");
        assertThat(card(9000).findElement(By.cssSelector("[data-field='input']")).getText())
                .as("the service's own words (source_detail), not its input type, spelt as on every page")
                .isEqualTo("Colour bars 720p50");

        card(9000).findElement(By.cssSelector("[data-action='details']")).click();
        waitUntil(d -> d.getCurrentUrl().endsWith("/stream/9000"));
        waitUntil(d -> d.findElement(By.id("back-link")).getAttribute("href").endsWith("/caller"));
    }

    /**
     * A target pasted as a URL or with its port is refused with a message that names what was typed and says what to
     * give instead, next to the target address; nothing starts.
     */
    @Test
    void aCallerTargetWrittenAsAUrlIsRefusedNamingItAndSayingWhatToGive() {
        expectedConsoleErrors.add("status of 400");
        open("/caller");
        type("target_address", "srt://203.0.113.7:9001");
        type("target_port", "9001");
        field("target_port").sendKeys(Keys.ENTER);

        assertThat(feedbackAfter("target_address")).isEqualTo("Target address 'srt://203.0.113.7:9001' is not a host"
                + " name or IP address: give the address alone, e.g. 192.0.2.10, 2001:db8::1 or encoder.example.net,"
                + " without srt:// or a port (the port goes in target_port).");
        assertThat(field("target_address").getAttribute("value")).as("the form is kept")
                .isEqualTo("srt://203.0.113.7:9001");
        assertThat(engine.has(9001)).isFalse();
    }

    /**
     * A listener that wants a stream id of its callers (an ingest point's "#!::r=...,m=publish") is called from the
     * form with it; one over libsrt's 512 bytes is refused next to the field, and left empty the service's default
     * is used.
     */
    @Test
    void aCallerIsStartedWithTheStreamIdTheFarEndAsksFor() throws Exception {
        expectedConsoleErrors.add("status of 400");
        open("/caller");
        type("target_address", "127.0.0.1");
        type("target_port", "9007");
        type("stream_id", "é".repeat(257));
        field("target_port").sendKeys(Keys.ENTER);
        assertThat(feedbackAfter("stream_id")).contains("512").contains("514 bytes");
        assertThat(engine.has(9007)).isFalse();

        type("stream_id", "#!::r=live/feed1,m=publish");
        field("stream_id").sendKeys(Keys.ENTER);
        try {
            waitForBadge(9007, "Connecting...");
            assertThat(engine.stream(9007).orElseThrow().config().streamId()).isEqualTo("#!::r=live/feed1,m=publish");
        } finally {
            engine.stop(9007);
        }
    }

    @Test
    void networkTestLinkPrefillsLatencyAndOverheadOfTheCallerForm() {
        open("/caller?apply_network_test=1&latency=96&overhead=25");
        assertThat(field("latency").getAttribute("value")).isEqualTo("96");
        assertThat(field("overhead_bandwidth").getAttribute("value")).isEqualTo("25");
        assertThat(text(By.id("prefill-note"))).contains("latency 96 ms");
    }

    @Test
    void fileBrowserFillsTheFilePathAndTheMediaPageShowsMediainfo() {
        open("/");
        new Select(field("input_kind")).selectByValue("file");
        field("stream-form").findElement(By.cssSelector("[data-bs-target='#file-modal']")).click();
        WebElement choice = waitUntil(ExpectedConditions.elementToBeClickable(
                By.xpath("//div[@id='file-list']//button[contains(., 'promo/trailer.ts')]")));
        choice.click();
        waitUntil(d -> field("file_path").getAttribute("value").equals("promo/trailer.ts"));

        open("/files");
        WebElement row = waitUntil(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("tr[data-file='promo/trailer.ts']")));
        assertThat(row.getText()).contains("KB").contains("0m 02s");
        row.findElement(By.tagName("button")).click();
        waitUntil(d -> d.findElement(By.id("info-summary")).getText().contains("320"));
        assertThat(text(By.id("info-summary"))).contains("AVC").contains("AAC");
        By duration = By.cssSelector("#info-summary [data-field='Duration']");
        assertThat(text(duration)).matches("0m 0\\ds \\(\\d\\.\\d\\d s\\)");
        assertThat(text(By.cssSelector("#info-summary [data-field='Overall bitrate']")))
                .matches("\\d+(\\.\\d\\d)? (kbit|Mbit)/s");
        assertThat(text(By.id("info-summary"))).as("no raw figures")
                .doesNotContainPattern("\\d\\.\\d{4,}");
        assertThat(text(By.cssSelector("#info-summary [data-field='Resolution']"))).as("a resolution with its unit")
                .isEqualTo("320 × 180 px");
    }

    /**
     * With the keyboard alone: Browse…, a file chosen with Enter, and the cursor is back in the file field, so a second
     * Enter starts the stream (rather than opening the file dialog again).
     */
    @Test
    void aFileChosenWithTheKeyboardPutsTheCursorInTheFileFieldAndEnterStartsTheStream() throws Exception {
        open("/");
        new Select(field("input_kind")).selectByValue("file");
        type("port", "10012");
        WebElement browse = field("stream-form").findElement(By.cssSelector("[data-bs-target='#file-modal']"));
        browse.sendKeys(Keys.ENTER);
        WebElement choice = waitUntil(ExpectedConditions.elementToBeClickable(
                By.xpath("//div[@id='file-list']//button[contains(., 'news.ts')]")));
        choice.sendKeys(Keys.ENTER);
        waitUntil(ExpectedConditions.invisibilityOfElementLocated(By.id("file-modal")));
        assertThat(field("file_path").getAttribute("value")).isEqualTo("news.ts");
        try {
            waitUntil(d -> "file_path".equals(d.switchTo().activeElement().getAttribute("id")));
            browser.driver.switchTo().activeElement().sendKeys(Keys.ENTER);
            waitForBadge(10012, "Waiting for connection");
            assertThat(engine.stream(10012).orElseThrow().config().input())
                    .isInstanceOf(InputSpec.File.class);
        } finally {
            if (engine.has(10012)) {
                engine.stop(10012);
            }
        }
    }

    @Test
    void unknownStreamShowsTheApiMessage() {
        expectedConsoleErrors.add("status of 404");
        open("/stream/12345");
        waitUntil(d -> d.findElement(By.id("page-alert")).getText().equals("Stream 12345 not found"));
        assertThat(browser.driver.findElement(By.id("stream-body")).getAttribute("class")).contains("d-none");
        assertThat(field("raw-toggle").isDisplayed()).as("no statistics to show").isFalse();
    }

    /** An address that names no stream got the service's "Invalid key format: abc", which says not what a key is. */
    @Test
    void aStreamAddressThatNamesNoStreamSaysWhatNamesOne() {
        expectedConsoleErrors.add("status of 400");
        for (String key : new String[] {"abc", "99999"}) {
            open("/stream/" + key);
            waitUntil(d -> d.findElement(By.id("page-alert")).getText().equals("There is no stream \"" + key
                    + "\": a stream is named by its port (1–65535), e.g. /stream/10001."));
            assertThat(field("raw-toggle").isDisplayed()).as("no statistics to show").isFalse();
        }
    }

    /**
     * The service goes away and comes back (its web server stops and starts again on the same port): on a phone-sized
     * screen the dashboard, a stream's page and a pair's page each say at once that they have no contact and since
     * when, grey out their badges, and return to normal when the service answers again.
     */
    @Test
    void withoutContactWithTheServiceEveryLivePageSaysItsFiguresAreStaleUntilTheServiceAnswers() throws Exception {
        expectedConsoleErrors.add("ERR_CONNECTION_REFUSED");
        // A request that reaches the web server while it stops is answered 503: part of the service going away, as
        // much as a refused connection (the pages poll several routes, so one of them now and then meets the stop).
        expectedConsoleErrors.add("status of 503 (Service Unavailable)");
        ScriptedEngine own = new ScriptedEngine();
        try (UiService lost = UiService.start(own, false, 10001, 10010)) {
            own.start(colourBars(10001));
            own.connect(10001);
            own.startPair(pair(10002, 10003));
            own.connectLeg(10002, 1);
            browser.viewport(390, 844);
            By badge = By.cssSelector("[data-stream-key='10001'] .status-badge");
            for (String page : List.of("/", "/stream/10001", "/pair/10002")) {
                browser.driver.get(lost.base + page);
                By status = page.equals("/") ? badge : By.cssSelector(page.startsWith("/stream")
                        ? "#stream-status .status-badge" : "#pair-status .status-badge");
                waitUntil(d -> !d.findElements(status).isEmpty() && d.findElement(status).getText().startsWith("Connected"));
                WebElement banner = browser.driver.findElement(By.id("contact-banner"));
                assertThat(banner.isDisplayed()).isFalse();
                String green = browser.driver.findElement(status).getCssValue("background-color");

                lost.stopServer();
                waitUntil(d -> banner.isDisplayed());
                assertThat(banner.getText()).as(page)
                        .matches("No contact with the service since \\d\\d:\\d\\d:\\d\\d \\S+: the figures below are stale\\.");
                assertThat(browser.driver.findElement(status).getCssValue("background-color")).as(page)
                        .isNotEqualTo(green).isEqualTo("rgba(173, 181, 189, 1)");
                browser.driver.executeScript("window.scrollTo(0, document.body.scrollHeight)");
                @SuppressWarnings("unchecked")
                List<Number> place = (List<Number>) browser.driver.executeScript(
                        "const r = arguments[0].getBoundingClientRect(); return [r.top, r.bottom, window.innerHeight]",
                        banner);
                assertThat(place.get(0).doubleValue()).as(page + ": the banner stays in view").isGreaterThanOrEqualTo(0);
                assertThat(place.get(1).doubleValue()).isLessThanOrEqualTo(place.get(2).doubleValue());

                lost.startServerAgain();
                waitUntil(d -> !banner.isDisplayed());
                waitUntil(d -> d.findElement(status).getCssValue("background-color").equals(green));
            }
            // left open, the page would ask the closed service and fail the next test with its console error
            browser.driver.get("about:blank");
        }
    }

    /**
     * The computer of a page asleep longer than the live connection may stay silent: the connection, dead but still
     * looking open after it, was taken for live for the 15 s of silence again, since the watchdog measured by
     * performance.now(), which stands still while the computer sleeps. It counts the sleep, and opens the connection
     * again as soon as it has also been silent for half its window (7.5 s) of the page's waking time, which tells
     * a sleep from a clock set forward (see theLiveEventsAreNotReopenedWhenTheBrowsersClockIsSetForward). Here the page
     * stops hearing its events for longer than that, then performance.now() stands still and the computer's clock goes
     * on an hour.
     */
    @Test
    void afterTheComputerSleptADeadLiveConnectionIsOpenedAgainWithoutAFullSilenceMore() throws Exception {
        Map<String, Object> script = browser.driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of(
                "source", """
                        window.eventSourcesOpened = 0;
                        window.deaf = false;
                        const Real = window.EventSource;
                        window.EventSource = class extends Real {
                          constructor(...args) { super(...args); window.eventSourcesOpened += 1; }
                          addEventListener(type, listener, options) {
                            super.addEventListener(type, (e) => { if (!window.deaf) listener(e); }, options);
                          }
                        };
                        """));
        try {
            open("/");
            waitUntil(d -> field("live-indicator").getText().equals("● Live"));
            assertThat(((Number) browser.driver.executeScript("return window.eventSourcesOpened")).intValue()).isEqualTo(1);
            browser.driver.executeScript("window.deaf = true");
            // more than half the window (7.5 s) without events before the computer sleeps
            Thread.sleep(8000);
            browser.driver.executeScript("""
                    const still = performance.now();
                    performance.now = () => still;
                    const real = Date.now;
                    Date.now = () => real.call(Date) + 3600000;
                    """);
            waitUntil(d -> ((Number) browser.driver.executeScript("return window.eventSourcesOpened")).intValue() == 2);
        } finally {
            browser.driver.executeCdpCommand("Page.removeScriptToEvaluateOnNewDocument",
                    Map.of("identifier", script.get("identifier")));
            browser.driver.get("about:blank");
        }
    }

    /**
     * The service ends a session's event stream before the session's cookie expires, its last event {@code reopen}
     * (WallClockStepTest, under libfaketime): the page opens the stream again at once, so that the answer renews the
     * session, and shows no loss of contact for it. Here the event is dispatched on the page's own EventSource.
     */
    @Test
    void anEventStreamThatSaysReopenIsOpenedAgainAtOnceWithoutALossOfContact() throws Exception {
        Map<String, Object> script = browser.driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of(
                "source", """
                        window.eventSources = [];
                        const Real = window.EventSource;
                        window.EventSource = class extends Real {
                          constructor(...args) { super(...args); window.eventSources.push(this); }
                        };
                        """));
        try {
            open("/");
            waitUntil(d -> field("live-indicator").getText().equals("● Live"));
            browser.driver.executeScript("""
                    window.shown = [];
                    const node = document.getElementById('live-indicator');
                    new MutationObserver(() => window.shown.push(node.textContent))
                      .observe(node, { childList: true, characterData: true, subtree: true });
                    window.eventSources[0].dispatchEvent(new MessageEvent('reopen', { data: '{}' }));
                    """);
            waitUntil(d -> ((Number) browser.driver.executeScript("return window.eventSources.length")).intValue() == 2
                    && ((Number) browser.driver.executeScript("return window.eventSources[1].readyState"))
                            .intValue() == 1);
            assertThat(((Number) browser.driver.executeScript("return window.eventSources[0].readyState")).intValue())
                    .as("the stream that said reopen, closed").isEqualTo(2);
            Thread.sleep(1000);
            assertThat(browser.driver.executeScript("return window.shown")).as("what the live indicator showed")
                    .asList().doesNotContain("● Reconnecting…", "● Offline, retrying");
            assertThat(liveIndicator()).isEqualTo("● Live");
            assertThat(browser.driver.findElements(By.cssSelector("#contact-banner:not(.d-none)")))
                    .as("no banner of lost contact").isEmpty();
        } finally {
            browser.driver.executeCdpCommand("Page.removeScriptToEvaluateOnNewDocument",
                    Map.of("identifier", script.get("identifier")));
            browser.driver.get("about:blank");
        }
    }

    /**
     * A page left open across an upgrade of the service went on running the scripts it loaded with, and nothing said
     * so. Every answer names the build that answers (X-MCR-Build) and every page the build that served it; here the
     * service is upgraded (stopped, and started again as another build) under the dashboard, which follows the event
     * stream, and under the SMPTE 2022-7 list, which polls. Each says so and offers a reload, without reloading by
     * itself (what was typed stays); its Reload brings the new build's page, without the banner.
     */
    @Test
    void aPageOpenAcrossAnUpgradeOfTheServiceSaysSoAndOffersAReload() throws Exception {
        expectedConsoleErrors.add("ERR_CONNECTION_REFUSED");
        expectedConsoleErrors.add("status of 503 (Service Unavailable)");
        ScriptedEngine own = new ScriptedEngine();
        try (UiService upgraded = UiService.start(own, false, 10001, 10010)) {
            int upgrades = 0;
            for (String page : List.of("/", "/smpte2022_7")) {
                browser.driver.get(upgraded.base + page);
                waitUntil(d -> text(By.id("live-indicator")).equals("● Live"));
                String loadedWith = (String) browser.driver.executeScript("return document.body.dataset.build");
                assertThat(loadedWith).as(page + ": the build that served it").matches("[0-9a-f]{12}|upgraded-\\d");
                type("latency", "450");
                assertThat(browser.driver.findElements(By.id("upgrade-banner"))).as(page).isEmpty();

                String build = "upgraded-" + ++upgrades;
                upgraded.upgradeTo(build);
                WebElement banner = waitUntil(ExpectedConditions.visibilityOfElementLocated(By.id("upgrade-banner")));
                assertThat(banner.getText()).as(page).startsWith("The service was upgraded since this page was"
                        + " loaded. Reload to use the new version.");
                assertThat(field("latency").getAttribute("value")).as(page + ": not reloaded").isEqualTo("450");
                assertThat(browser.driver.executeScript("return document.body.dataset.build")).isEqualTo(loadedWith);

                field("upgrade-reload").click();
                waitUntil(d -> build.equals(browser.driver.executeScript("return document.body?.dataset.build")));
                waitUntil(d -> text(By.id("live-indicator")).equals("● Live"));
                assertThat(browser.driver.findElements(By.id("upgrade-banner"))).as(page + " reloaded").isEmpty();
            }
        } finally {
            browser.driver.get("about:blank");
        }
    }

    /**
     * A page without contact across midnight (the service down overnight, or the computer asleep): the banner said
     * "since 23:10:05" the next morning, which read as today's. It gives the date when that was not today; here the
     * page's clock is moved a day on while the service is away.
     */
    @Test
    void theNoContactBannerGivesTheDateWhenTheLastContactWasNotToday() throws Exception {
        expectedConsoleErrors.add("ERR_CONNECTION_REFUSED");
        expectedConsoleErrors.add("status of 503 (Service Unavailable)");
        ScriptedEngine own = new ScriptedEngine();
        try (UiService lost = UiService.start(own, false, 10001, 10010)) {
            own.start(colourBars(10001));
            browser.driver.get(lost.base + "/");
            waitUntil(d -> !d.findElements(By.cssSelector("[data-stream-key='10001']")).isEmpty());
            WebElement banner = browser.driver.findElement(By.id("contact-banner"));
            lost.stopServer();
            waitUntil(d -> banner.isDisplayed());
            assertThat(banner.getText()).matches("No contact with the service since \\d\\d:\\d\\d:\\d\\d \\S+: .*");
            browser.driver.executeScript("const real = Date.now; Date.now = () => real.call(Date) + 86400000;");
            waitUntil(d -> banner.getText().matches(
                    "No contact with the service since \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d \\S+: the figures below are stale\\."));
        } finally {
            browser.driver.get("about:blank");
        }
    }

    /**
     * What a Stop said before the service went away is not left on the page once it is back (it may have restarted,
     * and the stream list is what holds): neither a stop that was done but not saved, nor one that could not reach it.
     */
    @Test
    void whatAStopSaidBeforeTheServiceWentAwayIsGoneOnceItIsBack() throws Exception {
        expectedConsoleErrors.add("ERR_CONNECTION_REFUSED");
        // a request that meets the web server while it stops is answered 503, as on every live page
        expectedConsoleErrors.add("status of 503 (Service Unavailable)");
        ScriptedEngine own = new ScriptedEngine();
        try (UiService lost = UiService.start(own, false, 10001, 10010)) {
            own.start(colourBars(10001));
            own.start(colourBars(10002));
            String file = lost.root.resolve("data/streams.json").toString();
            own.persistence = new Persistence(file, "Is a directory", System.currentTimeMillis(), 0,
                    Set.of(Persistence.stream(10001)));
            browser.driver.get(lost.base + "/");
            waitForBadge(10001, "Waiting for connection");
            WebElement stop = card(10001).findElement(By.cssSelector("[data-action='stop']"));
            stop.click();
            stop.click();
            WebElement alert = browser.driver.findElement(By.id("page-alert"));
            waitUntil(d -> alert.getText().startsWith("Stream 10001 stopped, but: Stopped but not saved"));
            own.persistence = Persistence.NONE;

            WebElement banner = browser.driver.findElement(By.id("contact-banner"));
            lost.stopServer();
            waitUntil(d -> banner.isDisplayed());
            lost.startServerAgain();
            waitUntil(d -> !banner.isDisplayed());
            waitUntil(d -> !alert.isDisplayed());

            lost.stopServer();
            waitUntil(d -> banner.isDisplayed());
            WebElement stopAway = card(10002).findElement(By.cssSelector("[data-action='stop']"));
            stopAway.click();
            stopAway.click();
            waitUntil(d -> alert.getText().equals("Stream 10002 could not be stopped: The service cannot be reached."
                    + " Check that it is running and the network to it."));
            lost.startServerAgain();
            waitUntil(d -> !banner.isDisplayed());
            waitUntil(d -> !alert.isDisplayed());
            assertThat(alert.getText()).isEmpty();
            assertThat(stopAway.getText()).as("the stream still runs, and can be stopped").isEqualTo("Stop");
            waitForBadge(10002, "Waiting for connection");
        } finally {
            // left open, the page would ask the closed service and fail the next test with its console error
            browser.driver.get("about:blank");
        }
    }

    /**
     * What a Start said before the service went away is not left on the form once it is back (it may have restarted,
     * and the cards are what holds): neither a stream that was starting, nor a start that could not reach it; on the
     * SMPTE 2022-7 form as well.
     */
    @Test
    void whatAStartSaidBeforeTheServiceWentAwayIsGoneOnceItIsBack() throws Exception {
        expectedConsoleErrors.add("ERR_CONNECTION_REFUSED");
        // a request that meets the web server while it stops is answered 503, as on every live page
        expectedConsoleErrors.add("status of 503 (Service Unavailable)");
        ScriptedEngine own = new ScriptedEngine();
        try (UiService lost = UiService.start(own, false, 10001, 10010)) {
            browser.driver.get(lost.base + "/");
            WebElement banner = browser.driver.findElement(By.id("contact-banner"));
            WebElement alert = browser.driver.findElement(By.cssSelector("#stream-form .form-alert"));
            WebElement start = field("stream-form").findElement(By.cssSelector("[type='submit']"));
            type("port", "10001");
            start.click();
            waitUntil(d -> alert.getText().equals("Stream 10001 is starting."));
            lost.stopServer();
            waitUntil(d -> banner.isDisplayed());
            lost.startServerAgain();
            waitUntil(d -> !banner.isDisplayed());
            waitUntil(d -> !alert.isDisplayed());
            waitForBadge(10001, "Waiting for connection");

            lost.stopServer();
            waitUntil(d -> banner.isDisplayed());
            type("port", "10002");
            start.click();
            String unreachable = "The service cannot be reached. Check that it is running and the network to it.";
            waitUntil(d -> alert.getText().equals(unreachable));
            lost.startServerAgain();
            waitUntil(d -> !banner.isDisplayed());
            waitUntil(d -> !alert.isDisplayed());
            assertThat(alert.getText()).isEmpty();
            assertThat(own.has(10002)).isFalse();

            browser.driver.get(lost.base + "/smpte2022_7");
            WebElement pairBanner = browser.driver.findElement(By.id("contact-banner"));
            WebElement pairAlert = browser.driver.findElement(By.cssSelector("#pair-form .form-alert"));
            waitUntil(d -> d.findElement(By.id("pair-list")).getText().equals("No pairs running."));
            lost.stopServer();
            waitUntil(d -> pairBanner.isDisplayed());
            field("pair-form").findElement(By.cssSelector("[type='submit']")).click();
            waitUntil(d -> pairAlert.getText().equals(unreachable));
            lost.startServerAgain();
            waitUntil(d -> !pairBanner.isDisplayed());
            waitUntil(d -> !pairAlert.isDisplayed());
        } finally {
            // left open, the page would ask the closed service and fail the next test with its console error
            browser.driver.get("about:blank");
        }
    }

    /**
     * A stream page whose first request for the statistics gets no answer says so and asks again, as the rest of the
     * page does, and shows the stream by itself once the request goes through: it is not left saying that the stream
     * could not be loaded until it is reloaded.
     */
    @Test
    void aStreamPageWhoseFirstStatisticsGetNoAnswerAsksAgainAndShowsTheStreamOnceAnswered() throws Exception {
        expectedConsoleErrors.add("ERR_BLOCKED_BY_CLIENT");
        startColourBars(10011);
        try {
            browser.driver.executeCdpCommand("Network.enable", Map.of());
            browser.driver.executeCdpCommand("Network.setBlockedURLs", Map.of("urls", List.of("*/api/stats/10011")));
            open("/stream/10011");
            WebElement alert = field("page-alert");
            waitUntil(d -> alert.getText().startsWith("Stream 10011 could not be loaded: The service cannot be reached."));
            waitUntil(d -> field("contact-banner").isDisplayed());

            browser.driver.executeCdpCommand("Network.setBlockedURLs", Map.of("urls", List.of()));
            waitUntil(d -> d.findElement(By.cssSelector("#stream-status .status-badge")).getText()
                    .equals("Waiting for connection"));
            waitUntil(d -> !alert.isDisplayed());
            waitUntil(d -> !field("contact-banner").isDisplayed());
            assertThat(field("stream-body").isDisplayed()).isTrue();
            waitUntil(d -> liveIndicator().equals("● Live"));
        } finally {
            browser.driver.executeCdpCommand("Network.setBlockedURLs", Map.of("urls", List.of()));
            browser.driver.get("about:blank");
            engine.stop(10011);
        }
    }

    /**
     * The service restarts while a stream's page is open, and brings the stream back in the same state (waiting): once
     * it answers again, the page shows the stream's events since the restart, not those from before it.
     */
    @Test
    void aStreamPageShowsTheStreamsEventsSinceTheServiceCameBackNotThoseFromBefore() throws Exception {
        expectedConsoleErrors.add("ERR_CONNECTION_REFUSED");
        ScriptedEngine own = new ScriptedEngine();
        try (UiService lost = UiService.start(own, false, 10001, 10010)) {
            own.start(colourBars(10001));
            own.connect(10001);
            own.disconnect(10001, ScriptedEngine.PEER);
            browser.driver.get(lost.base + "/stream/10001");
            By events = By.cssSelector("#stream-events li");
            waitUntil(d -> d.findElements(events).size() == 3);
            assertThat(text(By.id("stream-events"))).contains(ScriptedEngine.PEER + " disconnected");

            WebElement banner = browser.driver.findElement(By.id("contact-banner"));
            lost.stopServer();
            waitUntil(d -> banner.isDisplayed());
            // what a restart does: the saved stream is started again, with a history of its own
            own.stop(10001);
            own.start(colourBars(10001));
            lost.startServerAgain();
            waitUntil(d -> !banner.isDisplayed());

            waitUntil(d -> d.findElements(events).size() == 1);
            assertThat(text(By.id("stream-events"))).contains("Stream started").doesNotContain(ScriptedEngine.PEER);
            assertThat(text(By.cssSelector("#stream-status .status-badge"))).isEqualTo("Waiting for connection");
        } finally {
            // left open, the page would ask the closed service and fail the next test with its console error
            browser.driver.get("about:blank");
        }
    }

    @Test
    void aPairWithOneLegDownSaysItHasNoProtectionInTheListAndOnItsPage() throws Exception {
        engine.startPair(pair(10008, 10009));
        try {
            engine.connectLeg(10008, 1);
            engine.connectLeg(10008, 2);
            open("/smpte2022_7");
            By listed = By.cssSelector("[data-pair-key='10008'] .status-badge");
            waitUntil(d -> !d.findElements(listed).isEmpty() && d.findElement(listed).getText().equals("Connected"));
            assertThat(browser.driver.findElement(listed).getAttribute("class")).contains("text-bg-success");

            engine.dropLeg(10008, 2);
            waitUntil(d -> d.findElement(listed).getText().equals("Connected · leg 2 down (no protection)"));
            assertThat(browser.driver.findElement(listed).getAttribute("class")).contains("text-bg-warning");
            open("/pair/10008");
            By header = By.cssSelector("#pair-status .status-badge");
            waitUntil(d -> !d.findElements(header).isEmpty());
            assertThat(text(header)).isEqualTo("Connected · leg 2 down (no protection)");
            assertThat(browser.driver.findElement(header).getAttribute("class")).contains("text-bg-warning");

            engine.connectLeg(10008, 2);
            waitUntil(d -> d.findElement(header).getText().equals("Connected"));
            assertThat(browser.driver.findElement(header).getAttribute("class")).contains("text-bg-success");
        } finally {
            engine.stopPair(10008);
        }
    }

    /**
     * On a phone the list's "no protection" warning stays on the screen: the badge wraps rather than running off the
     * right edge and making the whole page scroll sideways.
     */
    @Test
    void onAPhoneAPairsNoProtectionWarningInTheListFitsTheScreen() throws Exception {
        engine.startPair(pair(10008, 10009));
        try {
            engine.connectLeg(10008, 1);
            browser.viewport(375, 800);
            open("/smpte2022_7");
            By listed = By.cssSelector("[data-pair-key='10008'] .status-badge");
            waitUntil(d -> !d.findElements(listed).isEmpty()
                    && d.findElement(listed).getText().replace('\n', ' ')
                    .equals("Connected · leg 2 down (no protection)"));
            long viewport = (Long) browser.driver.executeScript("return document.documentElement.clientWidth");
            long page = (Long) browser.driver.executeScript("return document.documentElement.scrollWidth");
            Number badgeRight = (Number) browser.driver.executeScript(
                    "return arguments[0].getBoundingClientRect().right", browser.driver.findElement(listed));
            assertThat(badgeRight.doubleValue()).as("the badge's right edge, in a %d px wide page", viewport)
                    .isLessThanOrEqualTo(viewport);
            assertThat(page).as("no sideways scrolling").isLessThanOrEqualTo(viewport);
        } finally {
            engine.stopPair(10008);
        }
    }

    /**
     * A pair's page starts each leg's charts with the leg's history, as a stream's page does, so a reload keeps them
     * (a leg without a caller has none); each chart has a title.
     */
    @Test
    void aPairPageFillsEachLegsChartsFromItsHistoryOnEveryLoadAndTitlesThem() throws Exception {
        engine.startPair(pair(10015, 10016));
        try {
            engine.connectLeg(10015, 1);
            open("/pair/10015");
            assertThat(browser.driver.getTitle()).as("a tab among several names its pair, as a stream's does")
                    .isEqualTo("Pair 10015 · MCR SRT Streamer");
            int fromHistory = waitForChartPoints("leg1-chart-bitrate", ScriptedEngine.HISTORY_SECONDS);
            waitForChartPoints("leg1-chart-rtt", ScriptedEngine.HISTORY_SECONDS);
            waitForChartPoints("leg1-chart-bitrate", fromHistory + 1);
            List<Long> times = chartPoints("leg1-chart-bitrate").stream().filter(p -> p.get(1) != null)
                    .map(p -> ((Number) p.get(0)).longValue()).toList();
            assertThat(times).as("each second once, in order").isSorted().doesNotHaveDuplicates();
            assertThat(points("leg2-chart-bitrate")).as("no caller on leg 2, no history")
                    .isLessThan(ScriptedEngine.HISTORY_SECONDS);

            browser.driver.executeScript("window.beforeReload = true");
            browser.driver.navigate().refresh();
            waitUntil(d -> browser.driver.executeScript("return window.beforeReload") == null);
            waitForChartPoints("leg1-chart-bitrate", ScriptedEngine.HISTORY_SECONDS);

            for (int leg = 1; leg <= 2; leg++) {
                assertThat(chartTitle("leg" + leg + "-chart-bitrate")).isEqualTo("Bitrate (Mbit/s)");
                assertThat(chartTitle("leg" + leg + "-chart-rtt")).isEqualTo("Round-trip time (ms)");
                assertThat(browser.driver.findElement(By.id("leg" + leg + "-chart-rtt")).getAttribute("aria-label"))
                        .startsWith("Leg " + leg + " round-trip time (ms) over time: latest ");
            }
            assertThat(tickLabels("leg1-chart-bitrate")).allMatch(l -> l.matches("\\d\\d:\\d\\d:\\d\\d"));
            assertThat((String) browser.driver.executeScript("return Chart.getChart(document.getElementById("
                    + "'leg1-chart-bitrate')).options.scales.x.title.text")).startsWith("Time (");
        } finally {
            // Away from the page first: it would ask for the stopped pair, and the 404 is no fault of this test's.
            browser.driver.get("about:blank");
            engine.stopPair(10015);
        }
    }

    /**
     * The pair form offered its legs the range's first port and the one two above it even while a stream or a pair
     * held them, and Start pair was refused naming them: a leg port the page offers moves on to the lowest port of
     * the listener range that no stream or pair holds, the two legs' distinct.
     */
    @Test
    void thePairFormsDefaultLegPortsSkipPortsInUse() throws Exception {
        boolean stream = !engine.has(10001);
        boolean pair = !engine.has(10002) && !engine.has(10003) && !engine.hasPair(10002);
        if (stream) {
            startColourBars(10001);
        }
        if (pair) {
            engine.startPair(pair(10002, 10003));
        }
        try {
            Set<Integer> taken = new java.util.HashSet<>();
            for (int p = 10001; p <= 10020; p++) {
                if (engine.has(p)) {
                    taken.add(p);
                }
            }
            engine.pairs().forEach(v -> taken.addAll(List.of(v.config().leg1().key(), v.config().leg2().key())));
            List<Integer> free = java.util.stream.IntStream.rangeClosed(10001, 10020).boxed()
                    .filter(p -> !taken.contains(p)).limit(2).toList();
            assertThat(taken).contains(10001, 10003);

            open("/smpte2022_7");
            List<String> expected = free.stream().map(String::valueOf).toList();
            try {
                waitUntil(d -> legPorts().equals(expected));
            } finally {
                assertThat(legPorts()).as("with %s taken", taken).isEqualTo(expected);
            }

            // leg 1 turned caller, to the port leg 2 was offered: leg 2 moves off it, to the port leg 1 left
            new Select(field("leg1_mode")).selectByValue("caller");
            type("leg1_target_address", "127.0.0.1");
            type("leg1_target_port", expected.get(1));
            waitUntil(d -> expected.get(0).equals(field("leg2_port").getAttribute("value")));
        } finally {
            browser.driver.get("about:blank");
            if (pair) {
                engine.stopPair(10002);
            }
            if (stream) {
                engine.stop(10001);
            }
        }
    }

    @Test
    void aLegPortAnotherPairHoldsIsMarkedOnThatLegsPort() throws Exception {
        expectedConsoleErrors.add("status of 409");
        engine.startPair(pair(10008, 10009));
        try {
            open("/smpte2022_7");
            type("leg1_port", "10009");
            type("leg2_port", "10011");
            browser.driver.findElement(By.cssSelector("#pair-form [type='submit']")).click();
            By legError = By.cssSelector(".invalid-feedback[data-field='legs[0].port']");
            waitUntil(d -> !d.findElements(legError).isEmpty());
            assertThat(text(legError))
                    .isEqualTo("Port 10009 is already used by pair 10008. Stop it first or choose another port for this"
                            + " leg.");
            assertThat(field("leg1_port").getAttribute("class")).contains("is-invalid");
            assertThat(field("leg2_port").getAttribute("class")).doesNotContain("is-invalid");
            assertThat(engine.pairs()).hasSize(1);
        } finally {
            engine.stopPair(10008);
        }
    }

    /**
     * A pair's leg with no link showed 0.00 Mbit/s, RTT 0.00 and loss 0.00, which read as a perfect link: its figures
     * read "–", as a stream's do without a link, and the figures come when its caller connects.
     */
    @Test
    void aPairsLegWithoutALinkShowsNoFigures() throws Exception {
        engine.startPair(pair(10008, 10009));
        try {
            engine.connectLeg(10008, 1);
            open("/pair/10008");
            waitUntil(d -> text(By.id("leg1-rtt")).matches("\\d+\\.\\d\\d"));
            assertThat(text(By.id("leg1-bitrate"))).matches("\\d+\\.\\d\\d");
            for (String figure : List.of("bitrate", "rtt", "loss")) {
                assertThat(text(By.id("leg2-" + figure))).as(figure).isEqualTo("–");
            }
            engine.connectLeg(10008, 2);
            waitUntil(d -> text(By.id("leg2-rtt")).matches("\\d+\\.\\d\\d"));
        } finally {
            browser.driver.get("about:blank");
            engine.stopPair(10008);
        }
    }

    @Test
    void stopPairAsksForASecondClickLikeAStreamsStop() throws Exception {
        engine.startPair(pair(10008, 10009));
        open("/pair/10008");
        waitUntil(d -> !d.findElements(By.cssSelector("#pair-status .status-badge")).isEmpty());
        WebElement stop = browser.driver.findElement(By.id("pair-stop"));

        stop.click();
        assertThat(stop.getText()).isEqualTo("Confirm stop");
        assertThat(stop.getAttribute("class")).contains("btn-danger").doesNotContain("btn-outline-danger");
        assertThat(engine.hasPair(10008)).as("one click stops nothing").isTrue();
        waitUntil(d -> stop.getText().equals("Stop pair"));
        assertThat(engine.hasPair(10008)).as("the confirmation lapses after 5 s").isTrue();

        stop.click();
        stop.click();
        waitUntil(d -> d.getCurrentUrl().endsWith("/smpte2022_7"));
        assertThat(engine.hasPair(10008)).isFalse();
    }

    @Test
    void aStartOrStopThatCouldNotBeSavedShowsTheServicesWarning() throws Exception {
        String file = service.root.resolve("data/streams.json").toString();
        engine.persistence = new Persistence(file, "Is a directory", System.currentTimeMillis(), 0, Set.of());
        try {
            open("/");
            startListener(10005);
            WebElement warning = waitUntil(ExpectedConditions.visibilityOfElementLocated(
                    By.cssSelector("#stream-form .form-warning")));
            assertThat(warning.getText()).isEqualTo("Started but not saved to " + file + ": Is a directory; it will not"
                    + " come back after a restart. Free space in DATA_DIR or make it writable.");
            assertThat(warning.getAttribute("class")).contains("alert-warning");
            assertThat(text(By.cssSelector("#stream-form .form-alert")))
                    .isEqualTo("Stream 10005 is starting.");
            waitUntil(d -> d.findElement(By.id("system-info")).getText()
                    .contains("Stream definitions are not being saved since"));
            waitForBadge(10005, "Waiting for connection");

            engine.persistence = new Persistence(file, "Is a directory", System.currentTimeMillis(), 0,
                    Set.of(Persistence.stream(10005)));
            WebElement stop = card(10005).findElement(By.cssSelector("[data-action='stop']"));
            stop.click();
            stop.click();
            waitUntil(d -> d.findElement(By.id("page-alert")).getText().startsWith("Stream 10005 stopped, but: Stopped"
                    + " but not saved to " + file));
            assertThat(browser.driver.findElement(By.id("page-alert")).getAttribute("class")).contains("alert-warning");

            engine.persistence = new Persistence(file, "Is a directory", System.currentTimeMillis(), 0, Set.of());
            open("/smpte2022_7");
            type("leg1_port", "10008");
            type("leg2_port", "10009");
            field("pair-form").findElement(By.cssSelector("[type='submit']")).click();
            warning = waitUntil(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#pair-form .form-warning")));
            assertThat(warning.getText()).startsWith("Started but not saved to " + file);
            assertThat(browser.driver.getCurrentUrl()).as("the page stays until the warning is read")
                    .endsWith("/smpte2022_7");
            browser.driver.findElement(By.linkText("Open pair 10008")).click();
            waitUntil(d -> d.getCurrentUrl().endsWith("/pair/10008"));
            // the page has asked for both legs' history once its status shows: the pair is stopped after that
            waitUntil(d -> !d.findElement(By.id("pair-status")).getText().isBlank());
        } finally {
            engine.persistence = Persistence.NONE;
            if (engine.hasPair(10008)) {
                engine.stopPair(10008);
            }
        }
    }

    @Test
    void theReasonForAStatusIsShownAsTextOnTheCardAndTheStreamsPage() throws Exception {
        String reason = "cannot resolve <b>no-such-host.invalid</b>; check the target address";
        engine.start(new StreamConfig(Mode.CALLER, new InputSpec.ColorBars(ColorBarFormat.HD_720P50), null,
                "no-such-host.invalid", 9005, 300, 2, Encryption.NONE, null, false, 30, false, null));
        try {
            open("/caller");
            waitForBadge(9005, "Connecting...");
            By detail = By.cssSelector("[data-stream-key='9005'] [data-field='status_detail']");
            assertThat(browser.driver.findElement(detail).isDisplayed()).as("no reason, no line").isFalse();

            engine.fail(9005, StreamStatus.CONNECTION_FAILED, reason);
            waitForBadge(9005, "Connection Failed");
            waitUntil(d -> d.findElement(detail).isDisplayed());
            assertThat(text(detail)).isEqualTo(reason);
            assertThat(browser.driver.findElement(detail).getAttribute("class")).contains("text-danger");
            assertThat(browser.driver.findElements(By.cssSelector("[data-stream-key='9005'] b"))).isEmpty();

            open("/stream/9005");
            waitUntil(d -> d.findElement(By.id("stream-status-detail")).getText().equals(reason));
            assertThat(browser.driver.findElement(By.id("stream-status-detail")).isDisplayed()).isTrue();
        } finally {
            engine.stop(9005);
        }
    }

    @Test
    void aPairPageShowsTheCuesItsInputSentInTheStreamPagesTable() throws Exception {
        engine.startPair(pair(10008, 10009));
        try {
            open("/pair/10008");
            waitUntil(d -> field("scte35-cues").getText().equals("None sent"));
            long now = System.currentTimeMillis();
            engine.cue(10008, new io.mcrsrt.streamer.stream.Scte35Cues.Cue(now, 0x1F0, "Splice Insert", 1234L,
                    45296.789, 30.0, "Splice Insert event 1234 out of network at pts 45296.789000 s break"
                    + " 30.000000 s auto-return program 0 avail 0/0", "{}", null));
            engine.cue(10008, new io.mcrsrt.streamer.stream.Scte35Cues.Cue(now + 1, 0x1F0, "Time Signal", null,
                    null, null, "Time Signal immediate", "{}", null));
            By rows = By.cssSelector("#scte35-table tbody tr");
            waitUntil(d -> d.findElements(rows).size() == 2);
            List<List<String>> cells = browser.driver.findElements(rows).stream()
                    .map(r -> r.findElements(By.tagName("td")).stream().map(WebElement::getText).toList()).toList();
            assertThat(cells.get(0).subList(1, 6)).containsExactly("0x01F0", "Time Signal", "–", "–", "–");
            assertThat(cells.get(1).subList(1, 6)).containsExactly("0x01F0", "Splice Insert", "1234", "12:34:56.789",
                    "30.000 s");
            assertThat(browser.driver.findElements(rows).get(1).getAttribute("title"))
                    .startsWith("Splice Insert event 1234 out of network at pts 45296.789000 s");
            assertThat(text(By.cssSelector("#scte35-table caption"))).isEqualTo("2 sent since the pair started;"
                    + " the last 2 shown");
        } finally {
            browser.driver.get("about:blank");
            engine.stopPair(10008);
        }
    }

    /**
     * A stream page asked for its events and its cues again with each cue and status change, whether or not the last
     * request had been answered, so the answers could come in any order and an older one replace the newer on the
     * page. It asks one at a time of each, once more after an answer if asked meanwhile. Here the page's answers to
     * those requests are held while three cues come.
     */
    @Test
    void aStreamPageAsksForItsEventsAndCuesOneAtATime() throws Exception {
        Map<String, Object> script = browser.driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of(
                "source", """
                        window.held = { debug: 0, scte35: 0 };
                        window.holding = false;
                        window.release = [];
                        const realFetch = window.fetch;
                        window.fetch = async (input, init) => {
                          const url = String(input instanceof Request ? input.url : input);
                          const kind = url.includes('/api/debug/') ? 'debug' : url.endsWith('/scte35') ? 'scte35' : null;
                          const response = await realFetch(input, init);
                          if (kind && window.holding) {
                            window.held[kind] += 1;
                            await new Promise((resolve) => window.release.push(resolve));
                            window.held[kind] -= 1;
                          }
                          return response;
                        };
                        """));
        startColourBars(10006);
        try {
            open("/stream/10006");
            waitUntil(d -> field("scte35-cues").getText().equals("None sent"));
            browser.driver.executeScript("window.holding = true");
            long now = System.currentTimeMillis();
            for (int i = 1; i <= 3; i++) {
                engine.cue(10006, new io.mcrsrt.streamer.stream.Scte35Cues.Cue(now + i, 0x1F0, "Time Signal", null,
                        null, null, "Time Signal " + i, "{}", null));
                int n = i;
                // the page saw the cue once its raw statistics say so
                browser.driver.executeScript("document.getElementById('raw-box').classList.remove('d-none')");
                waitUntil(d -> field("raw-stats").getText().contains("\"scte35_cues\": " + n));
            }
            assertThat(((Number) browser.driver.executeScript("return window.held.scte35")).intValue())
                    .as("requests for the cues under way").isEqualTo(1);
            assertThat(((Number) browser.driver.executeScript("return window.held.debug")).intValue())
                    .as("requests for the events under way").isEqualTo(1);
            browser.driver.executeScript("window.holding = false; window.release.splice(0).forEach((r) => r());");
            By rows = By.cssSelector("#scte35-table tbody tr");
            waitUntil(d -> d.findElements(rows).size() == 3);
            waitUntil(d -> field("stream-events").getText().contains("Time Signal 3"));
        } finally {
            browser.driver.executeCdpCommand("Page.removeScriptToEvaluateOnNewDocument",
                    Map.of("identifier", script.get("identifier")));
            browser.driver.get("about:blank");
            engine.stop(10006);
        }
    }

    /**
     * A pair's page waited for the answer to its cues before it showed the legs and asked for the pair again, so a
     * slow answer for the cues held up the whole page: a leg that connected meanwhile was not shown. It asks for the
     * cues one at a time beside its poll, as a stream's page does, once more after an answer if asked meanwhile. Here
     * the page's answers for the cues are held while three cues come and a leg connects.
     */
    @Test
    void aPairPageAsksForItsCuesOneAtATimeWithoutHoldingUpThePair() throws Exception {
        Map<String, Object> script = browser.driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of(
                "source", """
                        window.held = 0;
                        window.pairAsked = 0;
                        window.holding = false;
                        window.release = [];
                        const realFetch = window.fetch;
                        window.fetch = async (input, init) => {
                          const url = String(input instanceof Request ? input.url : input);
                          if (/\\/api\\/pairs\\/\\d+$/.test(url)) {
                            window.pairAsked += 1;
                          }
                          const response = await realFetch(input, init);
                          if (url.endsWith('/scte35') && window.holding) {
                            window.held += 1;
                            await new Promise((resolve) => window.release.push(resolve));
                            window.held -= 1;
                          }
                          return response;
                        };
                        """));
        engine.startPair(pair(10011, 10012));
        try {
            open("/pair/10011");
            waitUntil(d -> field("scte35-cues").getText().equals("None sent"));
            browser.driver.executeScript("window.holding = true");
            long now = System.currentTimeMillis();
            for (int i = 1; i <= 3; i++) {
                engine.cue(10011, new io.mcrsrt.streamer.stream.Scte35Cues.Cue(now + i, 0x1F0, "Time Signal", null,
                        null, null, "Time Signal " + i, "{}", null));
                // two polls of the pair (2 s apart) after the cue: the page has seen it
                long asked = pairAsked();
                waitUntil(d -> pairAsked() >= asked + 2);
            }
            engine.connectLeg(10011, 1);
            waitUntil(d -> d.findElement(By.id("pair-status")).getText()
                    .equals("Connected · leg 2 down (no protection)"));
            assertThat(((Number) browser.driver.executeScript("return window.held")).intValue())
                    .as("requests for the cues under way").isEqualTo(1);
            browser.driver.executeScript("window.holding = false; window.release.splice(0).forEach((r) => r());");
            By rows = By.cssSelector("#scte35-table tbody tr");
            waitUntil(d -> d.findElements(rows).size() == 3);
            assertThat(text(By.cssSelector("#scte35-table caption"))).startsWith("3 sent since the pair started");
        } finally {
            browser.driver.executeCdpCommand("Page.removeScriptToEvaluateOnNewDocument",
                    Map.of("identifier", script.get("identifier")));
            browser.driver.get("about:blank");
            engine.stopPair(10011);
        }
    }

    private long pairAsked() {
        return ((Number) browser.driver.executeScript("return window.pairAsked")).longValue();
    }

    @Test
    void aStreamPageShowsTheCuesSentInATableAndAmongTheEventsAsTheyCome() throws Exception {
        startColourBars(10007);
        try {
            open("/stream/10007");
            waitUntil(d -> field("scte35-cues").getText().equals("None sent"));
            long now = System.currentTimeMillis();
            engine.cue(10007, new io.mcrsrt.streamer.stream.Scte35Cues.Cue(now, 0x1F0, "Splice Insert", 1234L,
                    45296.789, 30.0, "Splice Insert event 1234 out of network at pts 45296.789000 s break"
                    + " 30.000000 s auto-return program 0 avail 0/0", "{}", null));
            engine.cue(10007, new io.mcrsrt.streamer.stream.Scte35Cues.Cue(now + 1, 0x1F0, "Time Signal", null,
                    null, null, "Time Signal immediate", "{}", null));
            By rows = By.cssSelector("#scte35-table tbody tr");
            waitUntil(d -> d.findElements(rows).size() == 2);
            List<List<String>> cells = browser.driver.findElements(rows).stream()
                    .map(r -> r.findElements(By.tagName("td")).stream().map(WebElement::getText).toList()).toList();
            // newest first, as the events; the time of day as the events give it
            assertThat(cells.get(0).subList(1, 6)).containsExactly("0x01F0", "Time Signal", "–", "–", "–");
            assertThat(cells.get(1).subList(1, 6)).containsExactly("0x01F0", "Splice Insert", "1234", "12:34:56.789",
                    "30.000 s");
            assertThat(cells.get(1).get(0)).isNotBlank().isNotEqualTo("–");
            assertThat(browser.driver.findElements(rows).get(1).getAttribute("title"))
                    .startsWith("Splice Insert event 1234 out of network at pts 45296.789000 s");
            assertThat(text(By.cssSelector("#scte35-table caption"))).isEqualTo("2 sent since the stream started;"
                    + " the last 2 shown");
            waitUntil(d -> field("stream-events").getText().contains("PID 0x01F0: Time Signal immediate"));
            assertThat(field("stream-events").getText()).contains("PID 0x01F0: Splice Insert event 1234");
            assertThat(browser.driver.findElements(By.cssSelector("#stream-events .badge")).stream()
                    .map(WebElement::getText).filter("scte35"::equals).count()).isEqualTo(2);
        } finally {
            browser.driver.get("about:blank");
            engine.stop(10007);
        }
    }

    @Test
    void chartsPlotEachSampleOnceAtItsOwnTimeAndBreakTheLineAcrossAGap() throws Exception {
        startColourBars(10010);
        try {
            open("/stream/10010");
            waitForChartPoints("chart-bitrate", 3);
            assertThat(tickLabels("chart-bitrate")).as("no samples yet: still the time of day")
                    .isNotEmpty().doesNotContain("00:00:00");
            for (List<Object> p : chartPoints("chart-bitrate")) {
                assertThat(((Number) p.get(0)).longValue()).isCloseTo(System.currentTimeMillis(),
                        org.assertj.core.data.Offset.offset(60_000L));
            }
        } finally {
            engine.stop(10010);
        }

        engine.historyGapSeconds = 20;
        try {
            startColourBars(10010);
            engine.connect(10010);
            open("/stream/10010");
            waitForChartPoints("chart-bitrate", ScriptedEngine.HISTORY_SECONDS + 2);
            List<List<Object>> points = chartPoints("chart-bitrate");
            List<Long> times = points.stream().filter(p -> p.get(1) != null)
                    .map(p -> ((Number) p.get(0)).longValue()).toList();
            assertThat(times).as("each second once, in order").isSorted().doesNotHaveDuplicates();
            List<Integer> breaks = new ArrayList<>();
            for (int i = 0; i < points.size(); i++) {
                if (points.get(i).get(1) == null) {
                    breaks.add(i);
                }
            }
            assertThat(breaks).as("one break, where the history has its gap").hasSize(1);
            int at = breaks.getFirst();
            long before = ((Number) points.get(at - 1).get(0)).longValue();
            long after = ((Number) points.get(at + 1).get(0)).longValue();
            assertThat(after - before).isEqualTo(21_000L);
            assertThat(tickLabels("chart-bitrate")).allMatch(l -> l.matches("\\d\\d:\\d\\d:\\d\\d"));
        } finally {
            engine.historyGapSeconds = 0;
            engine.stop(10010);
        }
    }

    /**
     * The clock that stamps the samples set back an hour (NTP setting right a box that booted with a wrong clock): the
     * charts went on at the newest time plotted, so they left out every sample for the hour; they move what they have
     * back with the clock and go on.
     */
    @Test
    void chartsGoOnWhenTheSamplesClockIsSetBack() throws Exception {
        engine.historyClockSetBackSeconds = 3600;
        try {
            startColourBars(10010);
            engine.connect(10010);
            open("/stream/10010");
            waitForChartPoints("chart-bitrate", ScriptedEngine.HISTORY_SECONDS + 2);
            waitForChartPoints("chart-retrans", ScriptedEngine.HISTORY_SECONDS + 2);
            List<Long> times = chartPoints("chart-bitrate").stream().filter(p -> p.get(1) != null)
                    .map(p -> ((Number) p.get(0)).longValue()).toList();
            assertThat(times).as("each second once, in order, the hour closed up").isSorted().doesNotHaveDuplicates();
            assertThat(times.getLast() - times.getFirst()).isLessThan(3_600_000L);
            assertThat(times.getLast()).as("the newest at the clock's time now")
                    .isCloseTo(System.currentTimeMillis(), org.assertj.core.data.Offset.offset(60_000L));
        } finally {
            engine.historyClockSetBackSeconds = 0;
            engine.stop(10010);
        }
    }

    /**
     * The service's clock set forward an hour while a stream's page is open: the live samples, a second apart, come
     * stamped an hour after the history. The charts took that for an hour without samples, a break across most of
     * the axis with the ten minutes before squeezed to its left edge; they move what they have forward with the clock.
     */
    @Test
    void chartsGoOnWhenTheSamplesClockIsSetForward() throws Exception {
        startColourBars(10010);
        try {
            engine.connect(10010);
            open("/stream/10010");
            int before = waitForChartPoints("chart-bitrate", ScriptedEngine.HISTORY_SECONDS + 1);
            engine.liveClockSetForwardMillis = 3_600_000L;
            waitForChartPoints("chart-bitrate", before + 3);
            List<List<Object>> points = chartPoints("chart-bitrate");
            assertThat(points).as("no break in the line").noneMatch(p -> p.get(1) == null);
            List<Long> times = points.stream().map(p -> ((Number) p.get(0)).longValue()).toList();
            assertThat(times).isSorted().doesNotHaveDuplicates();
            assertThat(times.getLast() - times.getFirst()).isLessThan(3_600_000L);
        } finally {
            engine.liveClockSetForwardMillis = 0;
            engine.stop(10010);
        }
    }

    /**
     * A stream's page left open on a wall screen across two hours without contact (the network down, or the laptop
     * asleep): the samples after it come two hours after those before. The charts kept the 600 points before the
     * break, so for ten minutes the axis spanned two hours and the new samples were a sliver at its right edge; they
     * keep the last ten minutes, as long as the service's history.
     */
    @Test
    void afterHoursWithoutContactTheChartsShowTheLastTenMinutes() throws Exception {
        expectedConsoleErrors.add("ERR_CONNECTION_REFUSED");
        expectedConsoleErrors.add("status of 503 (Service Unavailable)");
        ScriptedEngine own = new ScriptedEngine();
        try (UiService lost = UiService.start(own, false, 10001, 10010)) {
            own.start(colourBars(10001));
            own.connect(10001);
            browser.driver.get(lost.base + "/stream/10001");
            int before = waitForChartPoints("chart-bitrate", ScriptedEngine.HISTORY_SECONDS + 2);
            WebElement banner = browser.driver.findElement(By.id("contact-banner"));
            lost.stopServer();
            waitUntil(d -> banner.isDisplayed());
            // no sample comes for longer than a gap (3.5 s), by the browser's clock too: a break, not a clock step
            Thread.sleep(4000);
            own.liveClockSetForwardMillis = 2 * 3_600_000L;
            lost.startServerAgain();
            waitUntil(d -> !banner.isDisplayed());
            waitUntil(d -> chartPoints("chart-bitrate").stream()
                    .filter(p -> p.get(1) != null && ((Number) p.get(0)).longValue() > System.currentTimeMillis()
                            + 3_600_000L).count() >= 3);
            for (String chart : List.of("chart-bitrate", "chart-rtt", "chart-loss", "chart-retrans")) {
                List<Long> times = chartPoints(chart).stream().map(p -> ((Number) p.get(0)).longValue()).toList();
                assertThat(times.getLast() - times.getFirst()).as(chart + ": the time shown")
                        .isLessThanOrEqualTo(600_000L);
                assertThat(points(chart)).as(chart + ": only the samples since").isLessThan(before);
            }
        } finally {
            own.liveClockSetForwardMillis = 0;
            browser.driver.get("about:blank");
        }
    }

    /**
     * The computer of a stream's page asleep: performance.now(), by which the page tells when samples came, stands
     * still while it sleeps (Chromium on Linux and macOS), so the first sample after it, seconds or hours later by every
     * clock, seemed to have come a second after the last before it: the charts took that for a step of the service's
     * clock and moved what they showed forward, joining the line across the sleep. They tell a sleep by the computer's
     * clock going on beyond performance.now(), and break the line. Here performance.now() stands still while the
     * service is out of reach for a few seconds.
     */
    @Test
    void afterTheComputerSleptTheChartsBreakTheLineAndKeepTheTimesBefore() throws Exception {
        expectedConsoleErrors.add("ERR_CONNECTION_REFUSED");
        expectedConsoleErrors.add("status of 503 (Service Unavailable)");
        ScriptedEngine own = new ScriptedEngine();
        try (UiService lost = UiService.start(own, false, 10001, 10010)) {
            own.start(colourBars(10001));
            own.connect(10001);
            browser.driver.get(lost.base + "/stream/10001");
            int before = waitForChartPoints("chart-bitrate", ScriptedEngine.HISTORY_SECONDS + 2);
            browser.driver.executeScript("const still = performance.now(); performance.now = () => still;");
            List<Object> lastBefore = chartPoints("chart-bitrate").getLast();
            WebElement banner = browser.driver.findElement(By.id("contact-banner"));
            lost.stopServer();
            waitUntil(d -> banner.isDisplayed());
            Thread.sleep(4000);
            lost.startServerAgain();
            waitUntil(d -> !banner.isDisplayed());
            waitForChartPoints("chart-bitrate", before + 3);
            for (String chart : List.of("chart-bitrate", "chart-rtt", "chart-loss", "chart-retrans")) {
                List<List<Object>> points = chartPoints(chart);
                assertThat(points).as(chart + ": a break where the computer slept").anyMatch(p -> p.get(1) == null);
            }
            List<List<Object>> points = chartPoints("chart-bitrate");
            assertThat(points).as("the samples from before at their own times").contains(lastBefore);
        } finally {
            browser.driver.get("about:blank");
        }
    }

    /**
     * The service's clock set forward an hour before a stream's page is opened (or reloaded): the history's samples,
     * a second apart, jump an hour where the clock was stepped. The page took that for an hour without samples (it
     * could not tell, as it can for the live samples by when they come) and drew a break across most of the axis,
     * the minutes before squeezed to its left edge; by the samples' ages on the service's monotonic clock it moves
     * them forward with the clock. A real gap in the history is still drawn as one
     * ({@link #chartsPlotEachSampleOnceAtItsOwnTimeAndBreakTheLineAcrossAGap}).
     */
    @Test
    void aReloadedHistoryWithTheClockSetForwardInsideItIsDrawnWithoutAGap() throws Exception {
        engine.historyClockSetForwardSeconds = 3600;
        try {
            startColourBars(10010);
            engine.connect(10010);
            open("/stream/10010");
            waitForChartPoints("chart-bitrate", ScriptedEngine.HISTORY_SECONDS + 2);
            waitForChartPoints("chart-retrans", ScriptedEngine.HISTORY_SECONDS + 2);
            for (String chart : List.of("chart-bitrate", "chart-retrans")) {
                List<List<Object>> points = chartPoints(chart);
                assertThat(points).as("%s: no break in the line", chart).noneMatch(p -> p.get(1) == null);
                List<Long> times = points.stream().map(p -> ((Number) p.get(0)).longValue()).toList();
                assertThat(times).as(chart).isSorted().doesNotHaveDuplicates();
                assertThat(times.getLast() - times.getFirst()).as("%s: the samples' span", chart)
                        .isLessThan(3_600_000L);
                assertThat(times.getLast()).as("%s: the newest at the clock's time now", chart)
                        .isCloseTo(System.currentTimeMillis(), org.assertj.core.data.Offset.offset(60_000L));
            }
        } finally {
            engine.historyClockSetForwardSeconds = 0;
            engine.stop(10010);
        }
    }

    /**
     * The browser's clock set forward an hour while a stream's page is open: the live events keep coming, and the page
     * keeps its event stream. By the wall clock the page took the hour for silence and opened the stream again.
     */
    @Test
    void theLiveEventsAreNotReopenedWhenTheBrowsersClockIsSetForward() throws Exception {
        startColourBars(10010);
        try {
            engine.connect(10010);
            open("/stream/10010");
            int before = waitForChartPoints("chart-bitrate", ScriptedEngine.HISTORY_SECONDS + 1);
            browser.driver.executeScript("""
                    const Real = window.EventSource;
                    window.eventSourcesOpened = 0;
                    window.EventSource = class extends Real {
                      constructor(...args) { super(...args); window.eventSourcesOpened++; }
                    };
                    const now = Date.now;
                    Date.now = () => now.call(Date) + 3600000;""");
            // the page's watchdog looks once a second
            waitForChartPoints("chart-bitrate", before + 3);
            assertThat(((Number) browser.driver.executeScript("return window.eventSourcesOpened")).intValue())
                    .as("event streams opened again").isZero();
        } finally {
            engine.stop(10010);
        }
    }

    @Test
    void anOverheadBelowLibsrtsFivePercentSaysWhatIsApplied() throws Exception {
        open("/");
        assertThat(field("overhead-help").getText()).contains("libsrt applies at least 5 %");
        assertThat(field("overhead_bandwidth").getAttribute("value")).isEqualTo("2");
        startListener(10011);
        By overhead = By.cssSelector("[data-stream-key='10011'] [data-field='overhead']");
        waitUntil(d -> !d.findElements(overhead).isEmpty());
        assertThat(text(overhead)).isEqualTo("2 % (applied: 5 %)");
        open("/stream/10011");
        By row = By.cssSelector("#stream-info [data-field='Overhead']");
        // read inside the wait: the page re-renders the row at each poll, and an element read between two renders
        // is stale
        String applied = waitUntil(d -> {
            String text = d.findElements(row).isEmpty() ? "" : d.findElement(row).getText();
            return text.contains("applied") ? text : null;
        });
        assertThat(applied).isEqualTo("2 % (applied: 5 %)");
        engine.stop(10011);

        open("/");
        type("overhead_bandwidth", "25");
        startListener(10011);
        waitUntil(d -> !d.findElements(overhead).isEmpty());
        assertThat(text(overhead)).as("applied as set").isEqualTo("25 %");
        engine.stop(10011);
    }

    @Test
    void aTooLongPassphraseIsKeptWholeCountedAndRefusedWithTheServicesMessage() {
        expectedConsoleErrors.add("status of 400");
        open("/");
        type("port", "10012");
        new Select(field("encryption")).selectByValue("aes-256");
        String pasted = "x".repeat(83);
        type("passphrase", pasted);
        assertThat(field("passphrase").getAttribute("value")).as("nothing cut off").isEqualTo(pasted);
        assertThat(field("passphrase-count").getText()).isEqualTo("83 bytes of 10–79");
        assertThat(field("passphrase-count").getAttribute("class")).contains("text-danger");
        field("stream-form").findElement(By.cssSelector("[type='submit']")).click();
        assertThat(feedbackAfter("passphrase")).startsWith("Passphrase must be a string between 10 and 79 characters.");
        assertThat(engine.has(10012)).isFalse();

        type("passphrase", "ééééé");
        assertThat(field("passphrase-count").getText()).as("counted as libsrt does, in UTF-8 bytes")
                .isEqualTo("10 bytes of 10–79");
        assertThat(field("passphrase-count").getAttribute("class")).doesNotContain("text-danger");
    }

    @Test
    void aListenerCardCountsAndListsItsClientsAndACallerCardNamesItsListener() throws Exception {
        startColourBars(10013);
        engine.start(new StreamConfig(Mode.CALLER, new InputSpec.ColorBars(ColorBarFormat.HD_720P50), null,
                "127.0.0.1", 9006, 300, 2, Encryption.NONE, null, false, 30, false, null));
        try {
            open("/");
            By clients = By.cssSelector("[data-stream-key='10013'] [data-field='peers']");
            waitUntil(d -> !d.findElements(clients).isEmpty() && d.findElement(clients).getText().equals("none"));
            engine.connect(10013);
            waitUntil(d -> d.findElement(clients).getText().startsWith("1 connected"));
            engine.connect(10013, "127.0.0.1:45690", "decoderB");
            waitUntil(d -> d.findElement(clients).getText().startsWith("2 connected")
                    && d.findElements(By.cssSelector("[data-stream-key='10013'] .peer-addresses li")).size() == 2);
            assertThat(browser.driver.findElements(By.cssSelector("[data-stream-key='10013'] .peer-addresses li"))
                    .stream().map(WebElement::getText).toList())
                    .containsExactly(ScriptedEngine.PEER + " (mcr_stream_10013)", "127.0.0.1:45690 (decoderB)");
            assertThat(card(10013).findElement(By.xpath(".//dd[@data-field='peers']/preceding-sibling::dt[1]"))
                    .getText()).isEqualTo("Clients");

            engine.connect(9006);
            By far = By.cssSelector("[data-stream-key='9006'] [data-field='peers']");
            // client_ip is the peer's address without its port, as the original's; the port is in the Mode row
            waitUntil(d -> !d.findElements(far).isEmpty() && d.findElement(far).getText().equals("127.0.0.1"));
            assertThat(card(9006).findElement(By.xpath(".//dd[@data-field='peers']/preceding-sibling::dt[1]"))
                    .getText()).as("a caller's peer is the listener it calls").isEqualTo("Connected to");
        } finally {
            engine.stop(10013);
            engine.stop(9006);
        }
    }

    /**
     * From 1400 px the cards stand three a row, and a label column of a third of a card broke "Encryption" and
     * "Connected to" inside the word ("Encryptio" over "n").
     */
    @Test
    void aCardsLabelsAreNotBrokenInsideAWordAtAnyWidth() throws Exception {
        startColourBars(10019);
        engine.start(new StreamConfig(Mode.CALLER, new InputSpec.ColorBars(ColorBarFormat.HD_720P50), null,
                "127.0.0.1", 9002, 300, 2, Encryption.NONE, null, false, 30, false, null));
        try {
            for (int width : new int[] {390, 1280, 1400, 1500, 1600, 1920, 2200, 2560}) {
                browser.viewport(width, 900);
                for (String page : new String[] {"/", "/caller"}) {
                    open(page);
                    waitUntil(d -> !d.findElements(By.cssSelector(".stream-card dt")).isEmpty());
                    assertThat(labelsBrokenInAWord()).as("%s at %d px", page, width).isEmpty();
                }
            }
        } finally {
            engine.stop(10019);
            engine.stop(9002);
        }
    }

    /** The card labels with a word wider than the room the label has, which the browser breaks inside the word. */
    @SuppressWarnings("unchecked")
    private List<String> labelsBrokenInAWord() {
        return (List<String>) browser.driver.executeScript("""
                const ruler = document.createElement('canvas').getContext('2d');
                return [...document.querySelectorAll('.stream-card dt')].filter((dt) => {
                  const style = getComputedStyle(dt);
                  ruler.font = style.font;
                  const room = dt.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
                  return dt.textContent.split(/\\s+/).some((word) => ruler.measureText(word).width > room);
                }).map((dt) => dt.textContent);""");
    }

    /** One caller leaves and another arrives between two updates: the count and the first peer stay as they were. */
    @Test
    void aListenerCardShowsAClientThatReplacedAnotherAtTheSameCount() throws Exception {
        startColourBars(10018);
        try {
            engine.connect(10018);
            engine.connect(10018, "127.0.0.1:45690", "decoderB");
            open("/");
            By listed = By.cssSelector("[data-stream-key='10018'] .peer-addresses li");
            waitUntil(d -> d.findElements(listed).size() == 2);
            browser.driver.executeScript("window.swapMark = performance.now();");

            engine.disconnect(10018, "127.0.0.1:45690");
            engine.connect(10018, "127.0.0.1:45712", "decoderC");
            waitUntil(d -> d.findElements(listed).stream().map(WebElement::getText).toList()
                    .contains("127.0.0.1:45712 (decoderC)"));
            assertThat(browser.driver.findElements(listed).stream().map(WebElement::getText).toList())
                    .containsExactly(ScriptedEngine.PEER + " (mcr_stream_10018)", "127.0.0.1:45712 (decoderC)");
            assertThat(browser.driver.findElement(By.cssSelector("[data-stream-key='10018'] [data-field='peers']"))
                    .getText()).startsWith("2 connected");
            assertThat(browser.driver.executeScript("return performance.getEntriesByType('resource').filter(e => "
                    + "e.startTime >= window.swapMark && new URL(e.name).pathname.startsWith('/api/stats/')).length"))
                    .as("the live event carries the peers: no statistics read per card").isEqualTo(0L);
        } finally {
            engine.stop(10018);
        }
    }

    /**
     * Updates that add or remove no stream move no card: the list's children are not touched (no reinsertion, no
     * layout of the whole list at every event), the cards are the same nodes and a focused link keeps the focus.
     */
    @Test
    void updatesThatAddOrRemoveNoStreamLeaveTheCardsInPlaceAndTheFocusWhereItWas() throws Exception {
        startColourBars(10020);
        engine.start(new StreamConfig(Mode.CALLER, new InputSpec.ColorBars(ColorBarFormat.HD_720P50), null,
                "127.0.0.1", 9007, 300, 2, Encryption.NONE, null, false, 30, false, null));
        try {
            open("/");
            waitForBadge(10020, "Waiting for connection");
            waitForBadge(9007, "Connecting...");
            browser.driver.executeScript("""
                    window.cardMoves = 0;
                    new MutationObserver((records) => { window.cardMoves += records.length; })
                        .observe(document.getElementById('stream-cards'), { childList: true });
                    window.watchedCard = document.querySelector("[data-stream-key='10020']");
                    window.watchedCard.querySelector("[data-action='details']").focus();
                    """);
            engine.connect(10020);
            waitForBadge(10020, "Connected");
            engine.connect(9007);
            waitForBadge(9007, "Connected");

            assertThat(browser.driver.executeScript("return window.cardMoves")).as("cards moved").isEqualTo(0L);
            assertThat(browser.driver.executeScript(
                    "return window.watchedCard === document.querySelector(\"[data-stream-key='10020']\")"))
                    .as("the same card node").isEqualTo(true);
            assertThat(browser.driver.executeScript("return document.activeElement === "
                    + "window.watchedCard.querySelector(\"[data-action='details']\")"))
                    .as("the focus stays on the card's link").isEqualTo(true);
        } finally {
            engine.stop(10020);
            engine.stop(9007);
        }
    }

    @Test
    void aStreamPageWhoseStreamStopsSaysItIsNotRunningAndShowsNoPeerOrLiveState() throws Exception {
        startColourBars(10014);
        engine.connect(10014);
        open("/stream/10014");
        waitUntil(d -> !d.findElements(By.id("peer-list")).isEmpty());
        waitUntil(d -> liveIndicator().equals("● Live"));

        engine.stop(10014);
        waitUntil(d -> d.findElement(By.id("page-alert")).getText()
                .equals("Stream 10014 has stopped and is not running any more."));
        assertThat(liveIndicator()).isEqualTo("■ Not running");
        assertThat(text(By.id("stream-peers")))
                .isEqualTo("None: the stream is not running");
        assertThat(text(By.id("m-bitrate"))).isEqualTo("–");
        assertThat(text(By.cssSelector("#stream-status .status-badge")))
                .isEqualTo("Stopped");
    }

    /**
     * The SMPTE 2022-7 page left open while the service does not answer (the network to it lost, not refused): it
     * asked for the pair list every 5 s whether or not the last request had been answered, so the requests piled up
     * for as long as the network was down, then all came at once. It asks again 5 s after an answer, as the pair's
     * page does.
     */
    @Test
    void theSmpteListAsksOnceAtATimeWhileTheServiceDoesNotAnswer() throws Exception {
        open("/smpte2022_7");
        waitUntil(d -> d.findElement(By.id("pair-list")).getText().contains("No pairs running."));
        java.util.concurrent.CountDownLatch held = new java.util.concurrent.CountDownLatch(1);
        engine.pairsHeld = held;
        try {
            waitUntil(d -> engine.pairsWaiting.get() == 1);
            // two more rounds of the list's 5 s
            Thread.sleep(11_000);
            assertThat(engine.pairsWaiting.get()).as("requests waiting for the service").isEqualTo(1);
        } finally {
            engine.pairsHeld = null;
            held.countDown();
        }
        int calls = engine.pairsCalls.get();
        waitUntil(d -> engine.pairsCalls.get() > calls);
        browser.driver.get("about:blank");
    }

    @Test
    void aPairPageForNoRunningPairSaysSoAndStopsAsking() throws Exception {
        expectedConsoleErrors.add("status of 404");
        expectedConsoleErrors.add("status of 400");
        open("/pair/10019");
        waitUntil(d -> d.findElement(By.id("page-alert")).getText().equals("Pair 10019 is not running: the service"
                + " has no such pair (it may have been stopped elsewhere)."));
        assertThat(browser.driver.findElement(By.id("pair-body")).isDisplayed()).isFalse();
        assertThat(browser.driver.findElement(By.id("pair-stop")).isDisplayed()).isFalse();

        open("/pair/abc");
        waitUntil(d -> d.findElement(By.id("page-alert")).getText().equals("There is no pair \"abc\": a pair is named"
                + " by its first leg's port, e.g. /pair/10001."));
        assertThat(browser.driver.findElement(By.id("pair-body")).isDisplayed()).isFalse();
        Thread.sleep(4500);
        assertThat(pairRequests()).as("asked once, not every 2 s").isEqualTo(1);

        engine.startPair(pair(10015, 10016));
        try {
            open("/stream/10016");
            WebElement link = waitUntil(ExpectedConditions.visibilityOfElementLocated(By.linkText("Open pair 10015")));
            assertThat(text(By.id("page-alert")))
                    .startsWith("Port 10016 is a leg of SMPTE 2022-7 pair 10015.");
            link.click();
            waitUntil(d -> d.getCurrentUrl().endsWith("/pair/10015"));
            // loaded, legs' histories included, before the pair goes: its page would ask for them in vain
            waitUntil(d -> !d.findElements(By.cssSelector("#pair-status .status-badge")).isEmpty());
        } finally {
            engine.stopPair(10015);
        }
    }

    /**
     * A pair is named by its first leg's port; an operator who types the other leg's port lands on the pair's page,
     * under the pair's own address, rather than being told that there is no such pair.
     */
    @Test
    void aPairPageOpenedByItsSecondLegsPortShowsThePair() throws Exception {
        expectedConsoleErrors.add("status of 404");
        engine.startPair(pair(10015, 10016));
        try {
            engine.connectLeg(10015, 2);
            open("/pair/10016");
            waitUntil(d -> d.getCurrentUrl().endsWith("/pair/10015"));
            By header = By.cssSelector("#pair-status .status-badge");
            waitUntil(d -> !d.findElements(header).isEmpty());
            assertThat(text(By.id("pair-title"))).isEqualTo("Pair 10015");
            assertThat(text(By.id("leg2-info"))).isEqualTo("listener on port 10016");
            waitUntil(d -> d.findElement(By.cssSelector("#leg2-status .status-badge")).getText().equals("Connected"));
            assertThat(browser.driver.findElement(By.id("page-alert")).isDisplayed()).isFalse();
            assertThat(browser.driver.findElement(By.id("pair-stop")).isDisplayed()).isTrue();
        } finally {
            // away from the page first: it would ask for the stopped pair, and the 404 is no fault of this test's
            browser.driver.get("about:blank");
            engine.stopPair(10015);
        }
    }

    @Test
    void timesAreShownInTheBrowsersZoneAndSayWhichZone() throws Exception {
        startColourBars(10007);
        engine.connect(10007);
        long connectedAt = engine.stream(10007).orElseThrow().peers().getFirst().connectedAt();
        ZoneId berlin = ZoneId.of("Europe/Berlin");
        String zone = berlin.getRules().isDaylightSavings(Instant.ofEpochMilli(connectedAt)) ? "CEST" : "CET";
        browser.driver.executeCdpCommand("Emulation.setTimezoneOverride", Map.of("timezoneId", berlin.getId()));
        try {
            open("/stream/10007");
            waitUntil(d -> d.findElement(By.id("stream-peers")).getText().contains("since"));
            String since = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(berlin)
                    .format(Instant.ofEpochMilli(connectedAt));
            assertThat(text(By.id("peer-list"))).endsWith("since " + since + " " + zone);
            By lastUpdate = By.cssSelector("#stream-info [data-field='Last update']");
            waitUntil(d -> !d.findElements(lastUpdate).isEmpty());
            assertThat(text(lastUpdate)).matches("\\d\\d:\\d\\d:\\d\\d " + zone);
            waitUntil(d -> d.findElement(By.id("stream-events")).getText().contains("connected"));
            assertThat(text(By.id("stream-events")))
                    .containsPattern("\\d\\d:\\d\\d:\\d\\d " + zone);
        } finally {
            browser.driver.executeCdpCommand("Emulation.setTimezoneOverride", Map.of("timezoneId", ""));
            engine.stop(10007);
        }
    }

    @Test
    void aCallerThatIsNotGivenPacketsIsSaidSoBesideIt() throws Exception {
        startColourBars(10021);
        engine.connect(10021);
        try {
            open("/stream/10021");
            waitUntil(d -> d.findElement(By.id("stream-peers")).getText().contains("since"));
            assertThat(text(By.id("peer-list"))).doesNotContain("not delivered");
            engine.notDelivered(10021, 1957);
            waitUntil(d -> d.findElement(By.id("peer-list")).getText().contains("(1,957 packets not delivered)"));
            engine.notDelivered(10021, 0);
            waitUntil(d -> !d.findElement(By.id("peer-list")).getText().contains("not delivered"));
        } finally {
            browser.driver.get("about:blank");
            engine.stop(10021);
        }
    }

    @Test
    void smpte20227PageShowsTheFormAndAnEmptyPairList() {
        open("/smpte2022_7");
        waitUntil(d -> d.findElement(By.id("pair-list")).getText().equals("No pairs running."));
        assertThat(browser.driver.findElement(By.id("pair-form")).isDisplayed()).isTrue();
        assertThat(browser.driver.findElement(By.id("pairs-unavailable")).isDisplayed()).isFalse();
    }

    @Test
    void thePairFormRefusesLettersInTheLatencyAndNamesItsDefaults() {
        expectedConsoleErrors.add("status of 400");
        open("/smpte2022_7");
        assertThat(field("latency").getAttribute("placeholder")).isEqualTo("300 (default)");
        assertThat(field("latency-help").getText()).contains("300 ms when left empty");
        assertThat(field("overhead_bandwidth").getAttribute("placeholder")).isEqualTo("2 (default)");
        type("latency", "3e2");
        field("pair-form").findElement(By.cssSelector("[type='submit']")).click();
        assertThat(feedbackAfter("latency"))
                .isEqualTo("SRT Latency must be an integer between 20 and 8000 (got '3e2').");
        assertThat(engine.pairs()).as("nothing started with the default instead").isEmpty();
    }

    /**
     * A smoothing latency the browser cannot read as a number ("1,000" with a thousands separator) is refused with the
     * service's message under the field, never taken for an empty field and the pair started at the default instead.
     */
    @Test
    void thePairFormRefusesASmoothingLatencyWrittenWithAThousandsSeparator() throws Exception {
        expectedConsoleErrors.add("status of 400");
        open("/smpte2022_7");
        type("leg1_port", "10008");
        type("leg2_port", "10009");
        type("smoothing_latency_ms", "1,000");
        try {
            field("pair-form").findElement(By.cssSelector("[type='submit']")).click();
            assertThat(feedbackAfter("smoothing_latency_ms"))
                    .isEqualTo("Smoothing latency must be an integer between 0 and 5000 (milliseconds) (got '1,000').");
            assertThat(field("smoothing_latency_ms").getAttribute("value")).as("kept as typed").isEqualTo("1,000");
            assertThat(engine.pairs()).as("nothing started with the default instead").isEmpty();
        } finally {
            browser.driver.get("about:blank");
            if (engine.hasPair(10008)) {
                engine.stopPair(10008);
            }
        }
    }

    /**
     * An SSRC pasted with one character too many is kept whole and refused, never cut to its first eight characters,
     * which would start the pair with another SSRC than the receiver expects.
     */
    @Test
    void aTooLongSsrcIsKeptWholeAndRefusedRatherThanCutShort() {
        expectedConsoleErrors.add("status of 400");
        open("/smpte2022_7");
        type("ssrc", "ABBACAFE1");
        assertThat(field("ssrc").getAttribute("value")).as("nothing cut off").isEqualTo("ABBACAFE1");
        field("pair-form").findElement(By.cssSelector("[type='submit']")).click();
        assertThat(feedbackAfter("ssrc")).isEqualTo("SSRC must be 8 hex digits, e.g. ABBACAFE.");
        assertThat(engine.pairs()).as("no pair started with ABBACAFE").isEmpty();
    }

    @Test
    void onANarrowScreenTheRunningStreamsComeBeforeTheSystemBoxAndTheForm() {
        browser.viewport(390, 844);
        for (String page : new String[] {"/", "/caller"}) {
            open(page);
            int streams = browser.driver.findElement(By.id("streams-heading")).getLocation().getY();
            assertThat(streams).as("%s: the running streams' heading is above the form", page)
                    .isLessThan(browser.driver.findElement(By.id("form-heading")).getLocation().getY());
        }
        open("/");
        assertThat(browser.driver.findElement(By.id("streams-heading")).getLocation().getY()).as("and the System box")
                .isLessThan(browser.driver.findElement(By.id("system-heading")).getLocation().getY());
        browser.viewport(1920, 1080);
        open("/");
        assertThat(browser.driver.findElement(By.id("streams-heading")).getLocation().getX())
                .as("side by side on a wide screen, the streams on the right")
                .isGreaterThan(browser.driver.findElement(By.id("system-heading")).getLocation().getX());
    }

    @Test
    void narrowWindowCollapsesTheNavigationBehindAButton() {
        browser.viewport(400, 800);
        open("/");
        assertThat(browser.driver.findElements(By.id("logout-link"))).as("no login configured: no Log out").isEmpty();
        WebElement toggler = browser.driver.findElement(By.cssSelector(".navbar-toggler"));
        assertThat(toggler.isDisplayed()).isTrue();
        toggler.click();
        waitUntil(ExpectedConditions.visibilityOfElementLocated(By.linkText("Media"))).click();
        waitUntil(d -> d.getCurrentUrl().endsWith("/files"));
    }

    @Test
    void loginIsRequiredWhenCredentialsAreConfiguredAndReturnsToThePageAsked() throws Exception {
        try (UiService guarded = UiService.start(new ScriptedEngine(), true, 10001, 10010)) {
            browser.driver.get(guarded.base + "/files");
            waitUntil(d -> d.getCurrentUrl().startsWith(guarded.base + "/login"));

            type("username", UiService.USER);
            type("password", "wrong password");
            browser.driver.findElement(By.cssSelector("#login-form [type='submit']")).click();
            waitUntil(d -> d.findElement(By.id("login-error")).getText().contains("Wrong user name or password"));

            type("username", UiService.USER);
            type("password", UiService.PASSWORD);
            browser.driver.findElement(By.cssSelector("#login-form [type='submit']")).click();
            waitUntil(d -> d.getCurrentUrl().equals(guarded.base + "/files"));
            waitUntil(d -> d.findElement(By.id("media-table")).getText().contains("No .ts files"));

            browser.driver.findElement(By.id("logout-link")).click();
            waitUntil(d -> d.findElement(By.id("login-error")).getText().contains("logged out"));
            browser.driver.get(guarded.base + "/");
            waitUntil(d -> d.getCurrentUrl().startsWith(guarded.base + "/login"));

            // The original's /logout link still works, through its page's button.
            type("username", UiService.USER);
            type("password", UiService.PASSWORD);
            browser.driver.findElement(By.cssSelector("#login-form [type='submit']")).click();
            waitUntil(d -> d.getCurrentUrl().equals(guarded.base + "/"));
            browser.driver.get(guarded.base + "/logout");
            browser.driver.findElement(By.cssSelector("#logout-form [type='submit']")).click();
            waitUntil(d -> d.findElement(By.id("login-error")).getText().contains("logged out"));
        }
    }

    /**
     * A session that ended while a live page was open (the login was changed, which signs every browser out) is
     * refused with 401 when the page's event stream reconnects: the page goes to the login and back, rather than
     * saying for ever that there is no contact with a service that answers.
     */
    @Test
    void aLivePageWhoseSessionEndedGoesToTheLoginInsteadOfRetryingForEver() throws Exception {
        expectedConsoleErrors.add("ERR_CONNECTION_REFUSED");
        expectedConsoleErrors.add("status of 401");
        ScriptedEngine own = new ScriptedEngine();
        try (UiService guarded = UiService.start(own, true, 10001, 10010)) {
            own.start(colourBars(10001));
            for (String page : List.of("/", "/stream/10001")) {
                browser.driver.get(guarded.base + "/login?next=" + page);
                type("username", UiService.USER);
                type("password", UiService.PASSWORD);
                field("password").sendKeys(Keys.ENTER);
                waitUntil(d -> d.getCurrentUrl().equals(guarded.base + page));
                waitUntil(d -> liveIndicator().equals("● Live"));

                browser.driver.manage().deleteCookieNamed("mcr_session");
                browser.driver.manage().addCookie(new org.openqa.selenium.Cookie("mcr_session", "signed-out"));
                guarded.stopServer();
                guarded.startServerAgain();

                waitUntil(d -> d.getCurrentUrl().startsWith(guarded.base + "/login?next="));
                assertThat(java.net.URLDecoder.decode(browser.driver.getCurrentUrl(),
                        java.nio.charset.StandardCharsets.UTF_8)).endsWith("next=" + page);
            }
            browser.driver.get("about:blank");
        }
    }

    /**
     * Without a UI login a page's session still ends (it lasts 12 hours; a changed SECRET_KEY ends it at once): a
     * stream's page on a wall screen, refused, went to the login, which sent it to the dashboard, so the screen showed
     * another page from then on. The login leads back to the page the browser was on, which gives it a new session.
     */
    @Test
    void withoutALoginAPageWhoseSessionEndedComesBackToItself() throws Exception {
        expectedConsoleErrors.add("ERR_CONNECTION_REFUSED");
        expectedConsoleErrors.add("status of 401");
        expectedConsoleErrors.add("status of 503 (Service Unavailable)");
        ScriptedEngine own = new ScriptedEngine();
        try (UiService open = UiService.start(own, false, 10001, 10010)) {
            own.start(colourBars(10001));
            for (String page : List.of("/stream/10001", "/caller")) {
                browser.driver.get(open.base + page);
                waitUntil(d -> liveIndicator().equals("● Live"));
                browser.driver.manage().deleteCookieNamed("mcr_session");
                browser.driver.manage().addCookie(new org.openqa.selenium.Cookie("mcr_session", "expired"));
                open.stopServer();
                open.startServerAgain();

                waitUntil(d -> !"expired".equals(d.manage().getCookieNamed("mcr_session").getValue()));
                waitUntil(d -> liveIndicator().equals("● Live"));
                assertThat(browser.driver.getCurrentUrl()).isEqualTo(open.base + page);
            }
        } finally {
            browser.driver.get("about:blank");
        }
    }

    /** A mistyped password costs the password only: the user name is still there, and the cursor in the password. */
    @Test
    void aWrongPasswordKeepsTheUserNameAndPutsTheCursorInThePassword() throws Exception {
        try (UiService guarded = UiService.start(new ScriptedEngine(), true, 10001, 10010)) {
            browser.driver.get(guarded.base + "/files");
            waitUntil(d -> d.getCurrentUrl().startsWith(guarded.base + "/login"));
            type("username", UiService.USER);
            type("password", "wrong password");
            field("password").sendKeys(Keys.ENTER);
            waitUntil(d -> d.findElement(By.id("login-error")).getText().contains("Wrong user name or password"));

            assertThat(field("username").getAttribute("value")).isEqualTo(UiService.USER);
            assertThat(field("password").getAttribute("value")).isEmpty();
            assertThat(browser.driver.switchTo().activeElement().getAttribute("id")).isEqualTo("password");
            browser.driver.switchTo().activeElement().sendKeys(UiService.PASSWORD, Keys.ENTER);
            waitUntil(d -> d.getCurrentUrl().equals(guarded.base + "/files"));
        }
    }

    /**
     * A locked-out login says whose failures locked it (the service's redirect names them; SessionSecurityTest): this
     * browser's, this address's, or a flood's, which a browser that has signed in before is not held back by.
     */
    @Test
    void aLockedOutLoginSaysWhoseFailuresLockedIt() throws Exception {
        try (UiService guarded = UiService.start(new ScriptedEngine(), true, 10001, 10010)) {
            for (var told : Map.of("browser", "Too many failed logins in this browser. Try again in 5 minutes.",
                    "address", "Too many failed logins from this address. Try again in 5 minutes.",
                    "all", "Too many failed logins from many addresses together (a flood of wrong passwords). A"
                            + " browser that has signed in here before can still sign in; this one has not. Try again"
                            + " in 5 minutes.").entrySet()) {
                browser.driver.get(guarded.base + "/login?locked=300&by=" + told.getKey() + "&next=%2F");
                waitUntil(d -> !d.findElement(By.id("login-error")).getText().isEmpty());
                assertThat(browser.driver.findElement(By.id("login-error")).getText()).as(told.getKey())
                        .isEqualTo(told.getValue());
            }
        }
    }

    /** Writes docs/screenshots/*.png but stream.png ({@code WebUiLiveStreamTest}): {@code -Dmcr.ui.screenshots=<dir>}. */
    @Test
    @EnabledIfSystemProperty(named = "mcr.ui.screenshots", matches = ".+")
    void screenshotsOfEveryPage() throws Exception {
        Path dir = Path.of(System.getProperty("mcr.ui.screenshots"));
        for (var s : service.engine.streams()) {
            service.engine.stop(s.key());
        }
        open("/");
        startListener(10005);
        waitForBadge(10005, "Waiting for connection");
        engine.connect(10005);
        waitForBadge(10005, "Connected");
        open("/caller");
        type("target_address", "203.0.113.10");
        type("target_port", "9001");
        field("stream-form").findElement(By.cssSelector("[type='submit']")).click();
        waitForBadge(9001, "Connecting...");
        open("/");
        waitForBadge(9001, "Connecting...");
        browser.screenshot(dir.resolve("dashboard.png"));
        open("/caller");
        waitForBadge(9001, "Connecting...");
        browser.screenshot(dir.resolve("caller.png"));
        open("/files");
        waitUntil(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("tr[data-file='news.ts']")));
        browser.screenshot(dir.resolve("media.png"));
        open("/smpte2022_7");
        waitUntil(d -> d.findElement(By.id("pair-list")).getText().equals("No pairs running."));
        browser.screenshot(dir.resolve("smpte2022_7.png"));
        try (UiService guarded = UiService.start(new ScriptedEngine(), true, 10001, 10010)) {
            browser.driver.get(guarded.base + "/login");
            browser.screenshot(dir.resolve("login.png"));
        }
        browser.viewport(400, 800);
        open("/");
        waitForBadge(10005, "Connected");
        browser.screenshot(dir.resolve("dashboard-narrow.png"));
        // left running, they would refuse the ports of the tests that run after this one
        browser.driver.get("about:blank");
        engine.stop(10005);
        engine.stop(9001);
    }

    private void open(String path) {
        browser.driver.get(base + path);
        waitUntil(d -> "complete".equals(browser.driver.executeScript("return document.readyState")));
    }

    /** A colour-bar listener started behind the page's back, as another browser or a script would. */
    private void startColourBars(int port) throws Exception {
        engine.start(colourBars(port));
    }

    private static StreamConfig colourBars(int port) {
        return new StreamConfig(Mode.LISTENER, new InputSpec.ColorBars(ColorBarFormat.HD_720P50), port, null, null,
                300, 2, Encryption.NONE, null, false, 30, false, null);
    }

    /** A colour-bars SMPTE 2022-7 pair with two listener legs. */
    private static PairConfig pair(int port1, int port2) {
        return new PairConfig(new InputSpec.ColorBars(ColorBarFormat.HD_720P50), PairConfig.DEFAULT_SSRC, 300, 2,
                Encryption.NONE, null, false, 30, new PairConfig.Leg(Mode.LISTENER, port1, null, null, null),
                new PairConfig.Leg(Mode.LISTENER, port2, null, null, null));
    }

    private void startListener(int port) {
        type("port", String.valueOf(port));
        field("stream-form").findElement(By.cssSelector("[type='submit']")).click();
    }

    private WebElement field(String id) {
        return browser.driver.findElement(By.id(id));
    }

    private void type(String id, String text) {
        WebElement input = field(id);
        input.clear();
        input.sendKeys(text);
    }

    /** The element with the keyboard focus: its tag and its id, or its text when it has none. */
    private String focused() {
        return (String) browser.driver.executeScript("const a = document.activeElement;"
                + " return a ? a.tagName + ' ' + (a.id || a.textContent.trim()) : 'nothing';");
    }

    private WebElement card(int key) {
        return browser.driver.findElement(By.cssSelector("[data-stream-key='" + key + "']"));
    }

    private WebElement waitForBadge(int key, String text) {
        By badge = By.cssSelector("[data-stream-key='" + key + "'] .status-badge");
        waitUntil(d -> !d.findElements(badge).isEmpty() && d.findElement(badge).getText().equals(text));
        return browser.driver.findElement(badge);
    }

    private String feedbackAfter(String id) {
        By feedback = By.xpath("//*[@id='" + id + "']/ancestor-or-self::*[self::input or self::select or "
                + "contains(@class,'input-group')][last()]/following-sibling::div[contains(@class,'from-api')]");
        return waitUntil(ExpectedConditions.visibilityOfElementLocated(feedback)).getText();
    }

    private int waitForChartPoints(String canvasId, int atLeast) {
        waitUntil(d -> points(canvasId) >= atLeast);
        return points(canvasId);
    }

    /** The navigation bar's live indicator, folded away or not. */
    private String liveIndicator() {
        return browser.driver.findElement(By.id("live-indicator")).getAttribute("textContent");
    }

    /** How many requests for one pair the page has made since it was opened. */
    private long pairRequests() {
        return ((Number) browser.driver.executeScript("return performance.getEntriesByType('resource')"
                + ".filter(e => new URL(e.name).pathname.startsWith('/api/pairs/')).length")).longValue();
    }

    /** The chart's points as [time in epoch milliseconds, value or null where the line breaks]. */
    @SuppressWarnings("unchecked")
    private List<List<Object>> chartPoints(String canvasId) {
        return (List<List<Object>>) browser.driver.executeScript("return Chart.getChart(document.getElementById("
                + "arguments[0])).data.datasets[0].data.map(p => [p.x, p.y])", canvasId);
    }

    /** The title over a chart: the heading its section is labelled by. */
    private String chartTitle(String canvasId) {
        WebElement section = browser.driver.findElement(By.xpath("//canvas[@id='" + canvasId
                + "']/ancestor::*[@aria-labelledby][1]"));
        return text(By.id(section.getAttribute("aria-labelledby")));
    }

    /** The labels of the chart's time axis as drawn. */
    @SuppressWarnings("unchecked")
    private List<String> tickLabels(String canvasId) {
        return (List<String>) browser.driver.executeScript("return Chart.getChart(document.getElementById("
                + "arguments[0])).scales.x.ticks.map(t => String(t.label))", canvasId);
    }

    private int points(String canvasId) {
        String value = browser.driver.findElement(By.id(canvasId)).getAttribute("data-points");
        return value == null ? 0 : Integer.parseInt(value);
    }

    /**
     * The text of what {@code by} finds, found and read again when the page re-rendered it between the two (the stream
     * page redraws its rows at each poll): an element read once found can be stale.
     */
    /** The pair form's two leg ports, as they stand. */
    private List<String> legPorts() {
        return List.of(field("leg1_port").getAttribute("value"), field("leg2_port").getAttribute("value"));
    }

    private String text(By by) {
        return waitUntil(d -> d.findElement(by).getText());
    }

    /**
     * Waits up to 20 s for the condition, looking every 100 ms: Selenium's default of 500 ms added a quarter of a
     * second on average to each of the class's two hundred waits, time in which the page had long been as expected.
     */
    private <T> T waitUntil(java.util.function.Function<? super org.openqa.selenium.WebDriver, T> condition) {
        return new WebDriverWait(browser.driver, Duration.ofSeconds(20), Duration.ofMillis(100))
                .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                .until(condition);
    }
}
