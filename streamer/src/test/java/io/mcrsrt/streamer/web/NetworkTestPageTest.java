package io.mcrsrt.streamer.web;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The network test page in headless Chromium against the contract's network test routes. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NetworkTestPageTest {
    private NetworkTestRouteDouble server;
    private String base;
    private Browser browser;

    @BeforeAll
    void start() throws Exception {
        assumeTrue(Browser.available(), "chromium and chromedriver are needed: run scripts/prepare.sh");
        server = new NetworkTestRouteDouble();
        base = server.start();
        browser = new Browser();
    }

    @AfterAll
    void stop() {
        try {
            if (browser != null) {
                browser.close();
            }
        } finally {
            if (server != null) {
                server.close();
            }
        }
    }

    @AfterEach
    void browserConsoleHasNoErrors() {
        List<String> errors = browser.severeConsoleEntries().stream().map(LogEntry::getMessage)
                .filter(m -> !m.contains("status of 400")).toList();
        assertThat(errors).as("browser console errors").isEmpty();
    }

    @Test
    void recommendationIsShownWithItsReasoningAndLinksToBothForms() {
        browser.driver.get(base + "/network_test");
        waitUntil(d -> !d.findElements(By.cssSelector("#region option[value='North America']")).isEmpty());
        new Select(browser.driver.findElement(By.id("mode"))).selectByValue("regional");
        new Select(browser.driver.findElement(By.id("region"))).selectByValue("North America");
        browser.driver.findElement(By.id("run-test")).click();

        waitUntil(d -> d.findElement(By.id("rec-latency")).getText().equals("96"));
        assertThat(server.lastRequest.path("region").asText()).isEqualTo("North America");
        assertThat(browser.driver.findElement(By.id("rec-overhead")).getText()).isEqualTo("25");
        assertThat(browser.driver.findElement(By.id("rec-multiplier")).getText()).isEqualTo("4");
        assertThat(browser.driver.findElement(By.id("rec-explanation")).getText()).contains("4 x 24 ms");
        assertThat(browser.driver.findElement(By.id("rec-warnings")).getText()).contains("5 s only");
        assertThat(browser.driver.findElement(By.id("result-list")).getText())
                .contains("24.0 ms").contains("2.00 %").contains("95.0 Mbit/s (udp)").contains("iperf");
        assertThat(browser.driver.findElement(By.id("apply-listener")).getAttribute("href"))
                .isEqualTo(base + "/?apply_network_test=1&latency=96&overhead=25");
        assertThat(browser.driver.findElement(By.id("apply-caller")).getAttribute("href"))
                .isEqualTo(base + "/caller?apply_network_test=1&latency=96&overhead=25");
    }

    @Test
    void missingManualHostIsShownNextToTheHostField() {
        browser.driver.get(base + "/network_test");
        new Select(browser.driver.findElement(By.id("mode"))).selectByValue("manual");
        browser.driver.findElement(By.id("run-test")).click();

        By feedback = By.xpath("//*[@id='manual_host']/following-sibling::div[contains(@class,'from-api')]");
        waitUntil(d -> !d.findElements(feedback).isEmpty());
        assertThat(browser.driver.findElement(feedback).getText())
                .isEqualTo("Manual mode requires a 'manual_host'.");
    }

    /**
     * A port the browser cannot read as a number ("5,201") is sent as typed and refused with the service's message
     * naming it, never sent as 0; a duration left empty is left out of the request, so that the service's default
     * applies, and the test runs.
     */
    @Test
    void aPortWrittenWithAThousandsSeparatorIsRefusedNamingItAndAnEmptyDurationTakesTheDefault() {
        browser.driver.get(base + "/network_test");
        new Select(browser.driver.findElement(By.id("mode"))).selectByValue("manual");
        type("manual_host", "127.0.0.1");
        type("manual_port", "5,201");
        type("duration", "");
        browser.driver.findElement(By.id("run-test")).click();

        By feedback = By.xpath("//*[@id='manual_port']/following-sibling::div[contains(@class,'from-api')]");
        waitUntil(d -> !d.findElements(feedback).isEmpty());
        assertThat(browser.driver.findElement(feedback).getText())
                .isEqualTo("Port must be an integer between 1 and 65535 (got '5,201').");
        assertThat(server.lastRequest.path("manual_port").asText()).isEqualTo("5,201");
        assertThat(server.lastRequest.has("duration")).as("left out: the default applies").isFalse();
        assertThat(browser.driver.findElements(
                By.xpath("//*[@id='duration']/following-sibling::div[contains(@class,'from-api')]"))).isEmpty();

        type("manual_port", "5201");
        browser.driver.findElement(By.id("run-test")).click();
        waitUntil(d -> d.findElement(By.id("rec-latency")).getText().equals("96"));
        assertThat(server.lastRequest.path("manual_port").asInt()).isEqualTo(5201);
        assertThat(server.lastRequest.has("duration")).isFalse();
    }

    /**
     * Ping has no port: a ping-only test names its server without one ("127.0.0.1", "::1"), though the result's
     * {@code server} is HOST:PORT as for every mechanism; an iperf3 test names the port it tested.
     */
    @Test
    void aPingOnlyTestNamesItsServerWithoutAPort() {
        browser.driver.get(base + "/network_test");
        new Select(browser.driver.findElement(By.id("mode"))).selectByValue("manual");
        new Select(browser.driver.findElement(By.id("mechanism"))).selectByValue("ping_only");
        type("manual_host", "127.0.0.1");
        browser.driver.findElement(By.id("run-test")).click();
        waitUntil(d -> "ping_only".equals(resultField("Mechanism")));
        assertThat(resultField("Server")).isEqualTo("127.0.0.1");

        type("manual_host", "::1");
        browser.driver.findElement(By.id("run-test")).click();
        waitUntil(d -> String.valueOf(resultField("Server")).contains("::1"));
        assertThat(resultField("Server")).isEqualTo("::1");

        new Select(browser.driver.findElement(By.id("mechanism"))).selectByValue("iperf");
        type("manual_host", "127.0.0.1");
        browser.driver.findElement(By.id("run-test")).click();
        waitUntil(d -> "iperf".equals(resultField("Mechanism")));
        assertThat(resultField("Server")).isEqualTo("127.0.0.1:5201");
    }

    /**
     * Ping has no port, protocol or duration, and an SRT test no protocol, yet the form asked for them whatever the
     * mechanism: a mechanism's form shows only what it uses, and leaves the rest out of the request. The srt mechanism
     * was offered iperf3's port 5201: it now asks for the SRT listener's, and iperf gets 5201 back unless one was typed.
     */
    @Test
    void aMechanismsFormAsksOnlyForWhatItUses() {
        browser.driver.get(base + "/network_test");
        new Select(browser.driver.findElement(By.id("mode"))).selectByValue("manual");
        type("manual_host", "127.0.0.1");
        assertThat(shown("manual_port", "manual_protocol", "duration")).as("the service's default mechanism")
                .containsExactly(true, true, true);

        new Select(browser.driver.findElement(By.id("mechanism"))).selectByValue("ping_only");
        assertThat(shown("manual_port", "manual_protocol", "duration")).containsExactly(false, false, false);
        browser.driver.findElement(By.id("run-test")).click();
        waitUntil(d -> "ping_only".equals(resultField("Mechanism")));
        assertThat(server.lastRequest.has("manual_port")).isFalse();
        assertThat(server.lastRequest.has("manual_protocol")).isFalse();
        assertThat(server.lastRequest.has("duration")).isFalse();

        new Select(browser.driver.findElement(By.id("mechanism"))).selectByValue("srt");
        assertThat(shown("manual_port", "manual_protocol", "duration")).containsExactly(true, false, true);
        assertThat(portField()).as("srt has no default port: iperf3's 5201 is not offered")
                .containsExactly("", "the SRT listener's port");
        com.fasterxml.jackson.databind.JsonNode before = server.lastRequest;
        browser.driver.findElement(By.id("run-test")).click();
        By portError = By.xpath("//*[@id='manual_port']/following-sibling::div[contains(@class,'invalid-feedback')]");
        waitUntil(d -> !d.findElements(portError).isEmpty());
        assertThat(browser.driver.findElement(portError).getText()).contains("SRT listener's port");
        assertThat(server.lastRequest).as("nothing is sent without the port").isSameAs(before);
        new Select(browser.driver.findElement(By.id("mechanism"))).selectByValue("iperf");
        assertThat(portField()).as("back to iperf3's port").containsExactly("5201", "5201 (default)");
        new Select(browser.driver.findElement(By.id("mechanism"))).selectByValue("srt");
        type("manual_port", "10001");
        type("duration", "3");
        browser.driver.findElement(By.id("run-test")).click();
        waitUntil(d -> "srt".equals(resultField("Mechanism")));
        assertThat(server.lastRequest.path("manual_port").asInt()).isEqualTo(10001);
        assertThat(server.lastRequest.path("duration").asInt()).isEqualTo(3);
        assertThat(server.lastRequest.has("manual_protocol")).isFalse();

        new Select(browser.driver.findElement(By.id("mechanism"))).selectByValue("iperf");
        assertThat(shown("manual_port", "manual_protocol", "duration")).containsExactly(true, true, true);
        assertThat(portField()).as("a port the operator typed is kept").containsExactly("10001", "5201 (default)");
    }

    private List<String> portField() {
        WebElement port = browser.driver.findElement(By.id("manual_port"));
        return List.of(port.getDomProperty("value"), port.getDomProperty("placeholder"));
    }

    private List<Boolean> shown(String... ids) {
        return java.util.Arrays.stream(ids).map(id -> browser.driver.findElement(By.id(id)).isDisplayed()).toList();
    }

    /** A line of the results as shown, or null; read in one go, as the results are replaced while a test runs. */
    private String resultField(String name) {
        return (String) ((org.openqa.selenium.JavascriptExecutor) browser.driver).executeScript(
                "const n = document.querySelector(`#result-list [data-field='${arguments[0]}']`);"
                        + " return n ? n.textContent : null;", name);
    }

    private void type(String id, String text) {
        WebElement input = browser.driver.findElement(By.id(id));
        input.clear();
        input.sendKeys(text);
    }

    /** Writes docs/screenshots/network_test.png: {@code -Dmcr.ui.screenshots=<dir>}. */
    @Test
    @EnabledIfSystemProperty(named = "mcr.ui.screenshots", matches = ".+")
    void screenshot() throws Exception {
        browser.driver.get(base + "/network_test");
        new Select(browser.driver.findElement(By.id("mode"))).selectByValue("manual");
        browser.driver.findElement(By.id("manual_host")).sendKeys("iperf.example.net");
        browser.driver.findElement(By.id("run-test")).click();
        waitUntil(d -> d.findElement(By.id("rec-latency")).getText().equals("96"));
        browser.screenshot(Path.of(System.getProperty("mcr.ui.screenshots")).resolve("network_test.png"));
    }

    private <T> T waitUntil(Function<? super WebDriver, T> condition) {
        return new WebDriverWait(browser.driver, Duration.ofSeconds(20)).until(condition);
    }
}
