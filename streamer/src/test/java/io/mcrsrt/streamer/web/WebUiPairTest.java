package io.mcrsrt.streamer.web;

import io.mcrsrt.streamer.engine.LocalStreamEngine;
import io.mcrsrt.streamer.engine.testing.Peers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The SMPTE 2022-7 page over the real engine in headless Chromium: a refused form shows the leg's error next to the
 * leg's port, a valid one creates the pair and opens its details page, whose stop button ends it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebUiPairTest {
    /** Colour bars are rendered by ffmpeg on first use; on a loaded two-core machine that takes a while. */
    private static final Duration FIRST_START = Duration.ofSeconds(180);

    private UiService service;
    private Browser browser;
    private int base;

    @BeforeAll
    void start() throws Exception {
        assumeTrue(Browser.available(), "chromium and chromedriver are needed: run scripts/prepare.sh");
        base = Peers.freePorts(2);
        service = UiService.start(LocalStreamEngine::open, false, base, base + 1);
        browser = new Browser();
    }

    @AfterAll
    void stop() throws Exception {
        Browser.closeBoth(browser, service);
    }

    @Test
    void aPairCreatedFromTheFormOpensItsDetailsPageWithBothLegs() throws Exception {
        browser.driver.get(service.base + "/smpte2022_7");
        setPort("leg1_port", base - 1);
        setPort("leg2_port", base + 1);
        browser.driver.findElement(By.cssSelector("#pair-form [type='submit']")).click();
        By legError = By.cssSelector(".invalid-feedback[data-field='legs[0].port']");
        waitUntil(d -> !d.findElements(legError).isEmpty(), Duration.ofSeconds(30));
        assertThat(browser.driver.findElement(legError).getText()).contains(base + " and " + (base + 1));
        assertThat(browser.driver.findElement(By.id("leg1_port")).getAttribute("class")).contains("is-invalid");
        assertThat(service.engine.pairs()).isEmpty();

        setPort("leg1_port", base);
        browser.driver.findElement(By.cssSelector("#pair-form [type='submit']")).click();
        waitUntil(d -> d.getCurrentUrl().endsWith("/pair/" + base), Duration.ofSeconds(30));
        waitUntil(d -> d.findElement(By.id("leg1-info")).getText().contains("listener on port " + base)
                && d.findElement(By.id("leg2-info")).getText().contains("listener on port " + (base + 1)), FIRST_START);
        assertThat(browser.driver.findElement(By.id("pair-title")).getText()).isEqualTo("Pair " + base);
        // both legs listen and no receiver has called: the bars have not started, which the rate's place says
        waitUntil(d -> d.findElement(By.id("pair-input")).getText().startsWith("Input: "), Duration.ofSeconds(30));
        assertThat(browser.driver.findElement(By.id("pair-input")).getText())
                .as("the pair's one input, waiting for its first receiver")
                .isEqualTo("Input: Colour bars 720p50, waiting for the first receiver");
        waitUntil(d -> !d.findElement(By.id("leg1-status")).getText().isBlank(), FIRST_START);
        assertThat(service.engine.pairs()).hasSize(1);

        WebElement stop = browser.driver.findElement(By.id("pair-stop"));
        stop.click();
        assertThat(stop.getText()).isEqualTo("Confirm stop");
        assertThat(service.engine.pairs()).as("one click stops nothing").hasSize(1);
        stop.click();
        waitUntil(d -> d.getCurrentUrl().endsWith("/smpte2022_7"), Duration.ofSeconds(30));
        assertThat(service.engine.pairs()).isEmpty();
        List<String> errors = browser.severeConsoleEntries().stream().map(LogEntry::getMessage)
                .filter(m -> !m.contains("status of 400")).toList();
        assertThat(errors).as("browser console errors").isEmpty();
    }

    private void setPort(String id, int port) {
        WebElement input = browser.driver.findElement(By.id(id));
        input.clear();
        input.sendKeys(String.valueOf(port));
    }

    private <T> T waitUntil(Function<? super WebDriver, T> condition, Duration timeout) {
        return new WebDriverWait(browser.driver, timeout)
                .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                .until(condition);
    }
}
