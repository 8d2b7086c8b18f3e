package io.mcrsrt.streamer.web;

import io.mcrsrt.streamer.api.PageTemplates;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every page obeys the service's Content-Security-Policy (no inline script, no inline style, no event-handler
 * attributes), fetches nothing from another host, and every asset it names is in the jar.
 */
class WebAssetsTest {
    private static final Pattern ASSET = Pattern.compile("(?:src|href)=\"(/(?:static|webjars)/[^\"]+)\"");
    private static final Pattern MODULE_IMPORT = Pattern.compile("from '\\./([^']+)'");

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"dashboard.html", "caller.html", "stream.html", "network_test.html", "media.html",
            "smpte2022_7.html", "pair.html", "login.html"})
    void pageHasNoInlineCodeNoForeignHostAndOnlyExistingAssets(String page) throws IOException {
        String html = PageTemplates.render(page);
        assertThat(html).as("every shared part was put in").doesNotContain("<!-- include:")
                .as("no placeholder left but the service's settings, put in as the page is served")
                .doesNotContainPattern("\\{\\{(?!service\\.[a-z_]+}})");

        assertThat(html).doesNotContainPattern("(?i)\\sstyle=").doesNotContainPattern("(?i)<style")
                .doesNotContainPattern("(?i)\\son[a-z]+=").doesNotContainPattern("(?i)<script(?![^>]*\\ssrc=)")
                .doesNotContainPattern("(?i)(src|href)=\"(https?:)?//");
        List<String> assets = new ArrayList<>();
        Matcher m = ASSET.matcher(html);
        while (m.find()) {
            assets.add(m.group(1));
        }
        assertThat(assets).isNotEmpty();
        for (String asset : assets) {
            String path = asset.startsWith("/static/") ? "/web/" + asset.substring("/static/".length())
                    : "/META-INF/resources" + asset;
            assertThat(getClass().getResource(path)).as(page + " names " + asset).isNotNull();
            if (asset.startsWith("/static/js/")) {
                assertModuleImportsExist(asset.substring("/static/js/".length()));
            }
        }
    }

    @org.junit.jupiter.api.Test
    void anIncludeLinePutsInThePartWithItsValues() {
        assertThat(PageTemplates.render("template-test.html")).isEqualTo("<p>before</p>\n<i data-leg=\"2\">Leg 2</i>\n"
                + "<i data-leg=\"two words\">Leg two words</i>\n<p>after</p>\n");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> PageTemplates.render("template-test-bad.html"))
                .hasMessage("Page template-test-bad.html has an include line that cannot be read: <!-- include:"
                        + " template-test-part.html leg=\"Two & more\" --> (expected: <!-- include: NAME.html"
                        + " name=word name=\"text without quotes, < > or &\" --> on a line of its own)");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> PageTemplates.render("template-test-missing.html"))
                .hasMessage("Part template-test-part.html of page template-test-missing.html needs a value for {{leg}}:"
                        + " add leg=... to its include line.");
    }

    @org.junit.jupiter.api.Test
    void aMissingPageOrPartNamesItself() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> PageTemplates.render("nope.html"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Page nope.html is not installed in this build (/web/pages/nope.html).");
    }

    private void assertModuleImportsExist(String module) throws IOException {
        Matcher m = MODULE_IMPORT.matcher(resource("/web/js/" + module));
        while (m.find()) {
            assertThat(getClass().getResource("/web/js/" + m.group(1))).as(module + " imports " + m.group(1))
                    .isNotNull();
            assertModuleImportsExist(m.group(1));
        }
    }

    private String resource(String path) throws IOException {
        try (InputStream in = getClass().getResourceAsStream(path)) {
            assertThat(in).as(path).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
