package io.mcrsrt.streamer.web;

import io.mcrsrt.streamer.engine.LocalStreamEngine;
import io.mcrsrt.streamer.engine.testing.Peers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The UI over real SRT: the service with the real stream engine, a colour-bar listener started from the form that
 * srt-live-transmit connects to, and a caller stream to an srt-live-transmit listener, watched in headless Chromium.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebUiLiveStreamTest {
    /** Colour bars are rendered by ffmpeg on first use; on a loaded two-core machine that takes a while. */
    private static final Duration FIRST_START = Duration.ofSeconds(180);
    private static final Duration LINK = Duration.ofSeconds(60);

    private UiService service;
    private Browser browser;
    private int listenerPort;
    private final List<Process> peers = new ArrayList<>();

    @BeforeAll
    void start() throws Exception {
        assumeTrue(Browser.available(), "chromium and chromedriver are needed: run scripts/prepare.sh");
        // in the range given by -Dtest.ports, when given, as the engine tests take theirs
        listenerPort = io.mcrsrt.streamer.engine.testing.Peers.freePort();
        service = UiService.start(LocalStreamEngine::open, false, listenerPort, listenerPort);
        browser = new Browser();
    }

    @AfterEach
    void stopPeersAndCheckConsole() throws InterruptedException {
        for (Process p : peers) {
            p.destroy();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
        peers.clear();
        List<String> errors = browser.severeConsoleEntries().stream().map(LogEntry::getMessage).toList();
        assertThat(errors).as("browser console errors").isEmpty();
    }

    @AfterAll
    void stop() throws Exception {
        Browser.closeBoth(browser, service);
    }

    @Test
    void colourBarListenerTurnsConnectedWhenACallerArrivesAndItsChartsFill() throws Exception {
        browser.driver.get(service.base + "/");
        WebElement port = browser.driver.findElement(By.id("port"));
        port.clear();
        port.sendKeys(String.valueOf(listenerPort));
        browser.driver.findElement(By.cssSelector("#stream-form [type='submit']")).click();
        waitForBadge(listenerPort, "Waiting for connection", FIRST_START);

        peers.add(srtLiveTransmit("srt://127.0.0.1:" + listenerPort + "?mode=caller&latency=120"));
        WebElement badge = waitForBadge(listenerPort, "Connected", LINK);
        assertThat(badge.getAttribute("class")).contains("text-bg-success");

        browser.driver.findElement(By.cssSelector("[data-stream-key='" + listenerPort + "'] [data-action='details']"))
                .click();
        waitUntil(d -> points("chart-bitrate") >= 3, LINK);
        waitUntil(d -> Double.parseDouble(text("m-bitrate").replace("–", "0")) > 0.5, LINK);
        assertThat(text("peer-list")).contains("127.0.0.1");
        assertThat(text("m-latency")).matches("\\d+");
        String screenshots = System.getProperty("mcr.ui.screenshots");
        if (screenshots != null && !screenshots.isEmpty()) {
            waitUntil(d -> points("chart-bitrate") >= 20, LINK);
            browser.screenshot(Path.of(screenshots).resolve("stream.png"));
        }

        browser.driver.navigate().to(service.base + "/");
        By stop = By.cssSelector("[data-stream-key='" + listenerPort + "'] [data-action='stop']");
        waitUntil(d -> !d.findElements(stop).isEmpty(), LINK);
        browser.driver.findElement(stop).click();
        browser.driver.findElement(stop).click();
        waitUntil(d -> d.findElements(By.cssSelector("[data-stream-key='" + listenerPort + "']")).isEmpty(), LINK);
        assertThat(service.engine.stream(listenerPort)).isEmpty();
    }

    /**
     * A looped file with SCTE-35 cues played to a real caller: the stream's page lists the cues the engine saw go out,
     * the second pass's splicing one pass later.
     */
    @Test
    void aFileStreamsPageListsTheCuesItSends() throws Exception {
        io.mcrsrt.streamer.engine.testing.CueFile.write(service.media.resolve("cues.ts"),
                io.mcrsrt.streamer.engine.testing.CueFile.SPLICE_INSERT);
        service.engine.start(new io.mcrsrt.streamer.stream.StreamConfig(io.mcrsrt.streamer.stream.Mode.LISTENER,
                new io.mcrsrt.streamer.stream.InputSpec.File("cues.ts", true), listenerPort, null, null, 120, 25,
                io.mcrsrt.streamer.stream.Encryption.NONE, null, false, 30, false, null));
        try {
            browser.driver.get(service.base + "/stream/" + listenerPort);
            waitUntil(d -> text("scte35-cues").equals("None sent"), LINK);
            peers.add(srtLiveTransmit("srt://127.0.0.1:" + listenerPort + "?mode=caller&latency=120"));
            By rows = By.cssSelector("#scte35-table tbody tr");
            waitUntil(d -> d.findElements(rows).size() >= 2, LINK);
            List<WebElement> found = browser.driver.findElements(rows);
            List<String> oldest = found.getLast().findElements(By.tagName("td")).stream().map(WebElement::getText)
                    .toList();
            // ANSI/SCTE 35 example 14.2: splice_insert 0x4800008F at PTS 21514.559089 s, a break of 60.293567 s
            assertThat(oldest.subList(1, 6)).containsExactly("0x01F0", "Splice Insert", "1207959695", "5:58:34.559",
                    "60.294 s");
            List<String> next = found.get(found.size() - 2).findElements(By.tagName("td")).stream()
                    .map(WebElement::getText).toList();
            assertThat(next.get(4)).as("a pass (1.02 s) later").isEqualTo("5:58:35.578");
            waitUntil(d -> text("stream-events").contains("PID 0x01F0: Splice Insert event 1207959695 out of network"),
                    LINK);
        } finally {
            service.engine.stop(listenerPort);
        }
    }

    @Test
    void callerStreamConnectsToAnSrtListener() throws Exception {
        int remote = freeUdpPort();
        peers.add(srtLiveTransmit("srt://127.0.0.1:" + remote + "?mode=listener&latency=120"));
        browser.driver.get(service.base + "/caller");
        browser.driver.findElement(By.id("target_address")).sendKeys("127.0.0.1");
        browser.driver.findElement(By.id("target_port")).sendKeys(String.valueOf(remote));
        browser.driver.findElement(By.cssSelector("#stream-form [type='submit']")).click();

        WebElement badge = waitForBadge(remote, "Connected", FIRST_START);
        assertThat(badge.getAttribute("class")).contains("text-bg-success");
        service.engine.stop(remote);
        waitUntil(d -> d.findElements(By.cssSelector("[data-stream-key='" + remote + "']")).isEmpty(), LINK);
    }

    /**
     * A unicast input on an address this machine does not have (a typo, or the sender's address instead of this
     * one's) cannot be received: the card says so, rather than that the port is in use.
     */
    @Test
    void aUnicastInputOnAnAddressThisMachineDoesNotHaveSaysSo() throws Exception {
        String foreign = "203.0.113.77";
        assumeTrue(NetworkInterface.getByInetAddress(InetAddress.getByName(foreign)) == null,
                foreign + " is an address of this machine");
        browser.driver.get(service.base + "/");
        new Select(browser.driver.findElement(By.id("input_kind"))).selectByValue("multicast");
        browser.driver.findElement(By.id("multicast_address")).sendKeys(foreign);
        browser.driver.findElement(By.id("multicast_port")).sendKeys(String.valueOf(freeUdpPort()));
        WebElement port = browser.driver.findElement(By.id("port"));
        port.clear();
        port.sendKeys(String.valueOf(listenerPort));
        browser.driver.findElement(By.cssSelector("#stream-form [type='submit']")).click();
        try {
            By detail = By.cssSelector("[data-stream-key='" + listenerPort + "'] [data-field='status_detail']");
            waitUntil(d -> !d.findElements(detail).isEmpty() && !d.findElement(detail).getText().isBlank(), LINK);
            assertThat(browser.driver.findElement(detail).getText())
                    .startsWith(foreign + " is not an address of this machine")
                    .doesNotContain("already in use");
        } finally {
            if (service.engine.stream(listenerPort).isPresent()) {
                service.engine.stop(listenerPort);
            }
        }
    }

    private Process srtLiveTransmit(String url) throws IOException {
        return new ProcessBuilder("srt-live-transmit", "-q", url, "file://con")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    /** Within {@code test.ports} when it is set, so that runs side by side keep to their own ports. */
    private static int freeUdpPort() throws IOException {
        return Peers.freePort();
    }

    private WebElement waitForBadge(int key, String status, Duration timeout) {
        By badge = By.cssSelector("[data-stream-key='" + key + "'] .status-badge");
        waitUntil(d -> !d.findElements(badge).isEmpty() && d.findElement(badge).getText().equals(status), timeout);
        return browser.driver.findElement(badge);
    }

    /**
     * The element's text; the pages redraw their figures and the peer list every second, so an element found may be
     * replaced before its text is read: then it is found again.
     */
    private String text(String id) {
        for (int attempt = 1; ; attempt++) {
            try {
                return browser.driver.findElement(By.id(id)).getText();
            } catch (StaleElementReferenceException redrawn) {
                if (attempt == 5) {
                    throw redrawn;
                }
            }
        }
    }

    private int points(String canvasId) {
        String value = browser.driver.findElement(By.id(canvasId)).getAttribute("data-points");
        return value == null ? 0 : Integer.parseInt(value);
    }

    private <T> T waitUntil(Function<? super WebDriver, T> condition, Duration timeout) {
        return new WebDriverWait(browser.driver, timeout)
                .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                .until(condition);
    }
}
