package io.mcrsrt.streamer.web;

import io.mcrsrt.streamer.stream.ColorBarFormat;
import io.mcrsrt.streamer.stream.Encryption;
import io.mcrsrt.streamer.stream.InputSpec;
import io.mcrsrt.streamer.stream.Mode;
import io.mcrsrt.streamer.stream.PairConfig;
import io.mcrsrt.streamer.stream.StreamConfig;
import io.mcrsrt.streamer.stream.StreamStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The pages as an engineer on an outside-broadcast truck sees them on a phone (390 x 844) or a tablet (768 x 1024),
 * with streams and a pair running: nothing makes the whole page scroll sideways, and the main controls are on the
 * screen. A {@link ScriptedEngine} runs the streams.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebUiControlRoomTest {
    private static final int LISTENER = 10001;
    private static final int CALLER = 9001;
    private static final int PAIR = 10004;

    private ScriptedEngine engine;
    private UiService service;
    private Browser browser;

    @BeforeAll
    void start() throws Exception {
        assumeTrue(Browser.available(), "chromium and chromedriver are needed: run scripts/prepare.sh");
        engine = new ScriptedEngine();
        service = UiService.start(engine, false, 10001, 10010);
        service.makeMediaFile("news.ts");
        service.makeMediaFile("a-folder-with-a-long-name/an-even-longer-file-name-from-the-edit-suite_v2.ts");
        browser = new Browser();
        engine.start(new StreamConfig(Mode.LISTENER, new InputSpec.Multicast("239.1.1.1", 5000, null, null), LISTENER,
                null, null, 300, 2, Encryption.AES_256, "a passphrase of the truck", false, 30, false, null));
        engine.connect(LISTENER);
        engine.start(new StreamConfig(Mode.CALLER, new InputSpec.ColorBars(ColorBarFormat.HD_720P50), null,
                "studio-gateway.example.net", CALLER, 300, 25, Encryption.NONE, null, false, 30, false, null));
        engine.startPair(new PairConfig(new InputSpec.ColorBars(ColorBarFormat.HD_720P50), PairConfig.DEFAULT_SSRC,
                300, 2, Encryption.NONE, null, false, 30, new PairConfig.Leg(Mode.LISTENER, PAIR, null, null, null),
                new PairConfig.Leg(Mode.LISTENER, PAIR + 2, null, null, null)));
        engine.connectLeg(PAIR, 1);
    }

    @AfterAll
    void stop() throws Exception {
        Browser.closeBoth(browser, service);
    }

    @AfterEach
    void browserConsoleHasNoErrors() {
        List<String> errors = browser.severeConsoleEntries().stream().map(LogEntry::getMessage).toList();
        assertThat(errors).as("browser console errors").isEmpty();
    }

    /** Every page, and where it shows them its dialogs. */
    private static final List<String> PAGES = List.of("/", "/caller", "/stream/" + LISTENER, "/stream/" + CALLER,
            "/smpte2022_7", "/pair/" + PAIR, "/network_test", "/files");

    /**
     * On a phone and a tablet, with streams and a pair running, no page is wider than the screen (the whole page
     * scrolling sideways, the right-hand side of every line out of sight), nothing sticks out of it, except inside a
     * box that scrolls on its own (a raw JSON dialog), no table has to be scrolled sideways to be read (the network
     * test's parameter reference had four columns a few words wide, its advice out of sight), and every main control
     * is on the screen and takes a tap.
     */
    @Test
    void onAPhoneOrATabletNoPageScrollsSidewaysAndItsControlsCanBeTapped() throws Exception {
        var soft = new org.assertj.core.api.SoftAssertions();
        for (int[] size : new int[][] {{390, 844}, {768, 1024}}) {
            browser.viewport(size[0], size[1]);
            for (String page : PAGES) {
                open(page);
                // the live parts drawn: cards, figures, charts from the history, the pair's legs, the file list
                waitUntil(d -> (Boolean) browser.driver.executeScript(
                        "return [...document.querySelectorAll('canvas')].every(c => c.dataset.points > 0)"
                        + " && !document.querySelector('main').textContent.includes('Loading')"));
                String where = page + " at " + size[0] + "x" + size[1];
                @SuppressWarnings("unchecked")
                List<String> outside = (List<String>) browser.driver.executeScript(OUTSIDE);
                soft.assertThat(outside).as("%s: what sticks out of the screen", where).isEmpty();
                @SuppressWarnings("unchecked")
                List<String> sideways = (List<String>) browser.driver.executeScript(
                        "return [...document.querySelectorAll('main table')]"
                        + ".filter(t => t.parentElement.scrollWidth > t.parentElement.clientWidth + 1)"
                        + ".map(t => t.id || t.className)");
                soft.assertThat(sideways).as("%s: tables that must be scrolled sideways to be read", where).isEmpty();
                long scrollWidth = (Long) browser.driver.executeScript(
                        "return document.documentElement.scrollWidth");
                soft.assertThat(scrollWidth).as("%s: the page's width", where).isLessThanOrEqualTo(size[0]);
                for (WebElement control : browser.driver.findElements(By.cssSelector(CONTROLS))) {
                    if (control.isDisplayed()) {
                        String tapped = (String) browser.driver.executeScript(TAP, control);
                        soft.assertThat(tapped).as("%s: %s", where, control.getAttribute("outerHTML")).isEmpty();
                    }
                }
            }
        }
        soft.assertAll();
    }

    /**
     * For the keyboard and a screen reader, on every page (and its dialogs): every button, field and list has a name
     * (its label, aria-label, aria-labelledby, title or text), and every chart a text alternative with the figures
     * read off it (the charts were named "Bitrate (Mbit/s) over time" and no more).
     */
    @Test
    void everyControlHasANameAndEveryChartSaysItsLatestFigures() throws Exception {
        var soft = new org.assertj.core.api.SoftAssertions();
        for (String page : PAGES) {
            open(page);
            waitUntil(d -> (Boolean) browser.driver.executeScript(
                    "return [...document.querySelectorAll('canvas')].every(c => c.dataset.points > 0)"
                    + " && !document.querySelector('main').textContent.includes('Loading')"));
            @SuppressWarnings("unchecked")
            List<String> unnamed = (List<String>) browser.driver.executeScript(UNNAMED);
            soft.assertThat(unnamed).as("%s: controls without a name", page).isEmpty();
            @SuppressWarnings("unchecked")
            List<String> charts = (List<String>) browser.driver.executeScript(
                    "return [...document.querySelectorAll('canvas')].map(c => c.id + ': ' + (c.getAttribute('role')"
                    + " || '') + ' ' + (c.getAttribute('aria-label') || ''))");
            for (String chart : charts) {
                soft.assertThat(chart).as("%s: a chart's text alternative", page)
                        .matches("[\\w-]+: img .* over time: latest \\d+\\.\\d\\d at .*, highest .*");
            }
        }
        soft.assertAll();
    }

    /**
     * A screen reader hears a stream's status change, on its page and on the list, and a pair's, on its page: through
     * a live region outside the navigation menu (folded away, and so silent, on a narrow screen), rather than the
     * cards' whole box, which read out every uptime tick.
     */
    @Test
    void aStatusChangeIsAnnouncedOnTheStreamsPageTheListAndThePairsPage() throws Exception {
        int key = 10008;
        engine.start(new StreamConfig(Mode.LISTENER, new InputSpec.ColorBars(ColorBarFormat.HD_720P50), key, null,
                null, 300, 2, Encryption.NONE, null, false, 30, false, null));
        try {
            browser.viewport(390, 844);
            open("/stream/" + key);
            waitUntil(d -> d.findElement(By.cssSelector("#stream-status .status-badge")).getText()
                    .equals("Waiting for connection"));
            engine.connect(key);
            waitUntil(d -> announced().equals("Stream " + key + ": Connected"));

            open("/");
            waitUntil(d -> !d.findElements(By.cssSelector("[data-stream-key='" + key + "'] .status-badge")).isEmpty());
            engine.fail(key, StreamStatus.BROKEN, null);
            waitUntil(d -> announced().equals("Stream " + key + ": Broken / Reconnecting"));
            assertThat(browser.driver.findElement(By.id("stream-cards")).getAttribute("aria-live"))
                    .as("the cards' box is no live region: it would read out every uptime").isNull();

            open("/pair/" + PAIR);
            waitUntil(d -> d.findElement(By.id("pair-status")).getText().startsWith("Connected · leg 2 down"));
            engine.connectLeg(PAIR, 2);
            waitUntil(d -> announced().equals("Pair " + PAIR + ": Connected"));
        } finally {
            engine.dropLeg(PAIR, 2);
            engine.stop(key);
        }
    }

    /** What the page's live region says now, if it has one (a region inside the folded menu says nothing). */
    private String announced() {
        return (String) browser.driver.executeScript("""
                const region = [...document.querySelectorAll('[role=status], [aria-live]')]
                  .find((r) => r.id === 'announcer' && r.getAttribute('aria-live') !== 'off');
                return region ? region.textContent.trim() : '';""");
    }

    /** The controls (and lists) without an accessible name, as their outer HTML's start. */
    private static final String UNNAMED = """
            const named = (el) => {
              if ((el.getAttribute('aria-label') || '').trim()) return true;
              const by = el.getAttribute('aria-labelledby');
              if (by && by.split(/\s+/).some((id) => (document.getElementById(id)?.textContent || '').trim())) return true;
              if (el.labels && [...el.labels].some((l) => l.textContent.trim())) return true;
              if ((el.getAttribute('title') || '').trim()) return true;
              if (el.matches('button, a') && el.textContent.trim()) return true;
              return false;
            };
            return [...document.querySelectorAll('input:not([type=hidden]), select, textarea, button, a[href]')]
              .filter((el) => !named(el)).map((el) => el.outerHTML.slice(0, 160));""";

    /** The main controls: navigation, every button and form field, the links of a page. */
    private static final String CONTROLS = ".navbar-toggler, main button, main input:not([type=hidden]),"
            + " main select, main a.btn";

    /**
     * What sticks out of the screen to the left or right, as "tag#id.class (left..right)", leaving out what a box that
     * scrolls or clips it sideways (a table's .table-responsive) keeps within itself.
     */
    private static final String OUTSIDE = """
            const width = document.documentElement.clientWidth;
            const clipped = (el) => {
              for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
                const o = getComputedStyle(p).overflowX;
                if (o === 'auto' || o === 'scroll' || o === 'hidden') {
                  const r = p.getBoundingClientRect();
                  return r.left >= -0.5 && r.right <= width + 0.5;
                }
              }
              return false;
            };
            return [...document.body.querySelectorAll('*')].filter((el) => {
              const r = el.getBoundingClientRect();
              if (r.width === 0 || r.height === 0 || getComputedStyle(el).visibility === 'hidden') return false;
              if (el.closest('.modal:not(.show), .collapse:not(.show), .visually-hidden, .visually-hidden-focusable:not(:focus)')) return false;
              return (r.right > width + 0.5 || r.left < -0.5) && !clipped(el);
            }).map((el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
                + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\s+/).join('.') : '')
                + ' (' + Math.round(el.getBoundingClientRect().left) + '..' + Math.round(el.getBoundingClientRect().right)
                + ')');""";

    /**
     * Scrolls the control into view and says what is wrong with a tap on its middle: "" when the control (or what
     * is inside it) is what a finger there would touch and it lies wholly within the screen's width.
     */
    private static final String TAP = """
            const el = arguments[0];
            el.scrollIntoView({block: 'center', inline: 'nearest'});
            const r = el.getBoundingClientRect();
            const width = document.documentElement.clientWidth;
            if (r.left < -0.5 || r.right > width + 0.5) return 'cut off: ' + Math.round(r.left) + '..' + Math.round(r.right);
            const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
            const label = el.labels && el.labels.length ? el.labels[0] : null;
            return hit && (el.contains(hit) || hit.contains(el) || (label && label.contains(hit))) ? ''
                : 'covered by ' + (hit ? hit.outerHTML.slice(0, 120) : 'nothing');""";

    /** Writes PNGs of every page at phone and tablet size: {@code -Dmcr.ui.small.screenshots=<dir>}. */
    @Test
    @EnabledIfSystemProperty(named = "mcr.ui.small.screenshots", matches = ".+")
    void screenshots() throws Exception {
        Path dir = Path.of(System.getProperty("mcr.ui.small.screenshots"));
        for (int[] size : new int[][] {{390, 844}, {768, 1024}}) {
            browser.viewport(size[0], size[1]);
            for (String page : PAGES) {
                open(page);
                Thread.sleep(2500);
                String name = size[0] + (page.equals("/") ? "-dashboard" : page.replace('/', '-'));
                long height = (Long) browser.driver.executeScript("return document.documentElement.scrollHeight");
                for (int y = 0, i = 0; y < height && i < 6; y += size[1], i++) {
                    browser.driver.executeScript("window.scrollTo(0, arguments[0])", y);
                    Thread.sleep(200);
                    browser.screenshot(dir.resolve(name + "-" + i + ".png"));
                }
            }
            open("/");
            click(By.cssSelector("[data-stream-key='" + LISTENER + "'] [data-action='debug']"));
            Thread.sleep(1000);
            browser.screenshot(dir.resolve(size[0] + "-debug-dialog.png"));
            open("/");
            new org.openqa.selenium.support.ui.Select(browser.driver.findElement(By.id("input_kind")))
                    .selectByValue("file");
            click(By.cssSelector("[data-bs-target='#file-modal']"));
            Thread.sleep(1000);
            browser.screenshot(dir.resolve(size[0] + "-file-dialog.png"));
            open("/files");
            click(By.cssSelector("tr[data-file='news.ts'] button"));
            Thread.sleep(3000);
            browser.screenshot(dir.resolve(size[0] + "-info-dialog.png"));
        }
    }

    private void click(By by) {
        waitUntil(ExpectedConditions.elementToBeClickable(by)).click();
    }

    private void open(String path) {
        browser.driver.get(service.base + path);
        waitUntil(d -> "complete".equals(browser.driver.executeScript("return document.readyState")));
    }

    private <T> T waitUntil(java.util.function.Function<? super org.openqa.selenium.WebDriver, T> condition) {
        return new WebDriverWait(browser.driver, Duration.ofSeconds(20))
                .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                .until(condition);
    }
}
