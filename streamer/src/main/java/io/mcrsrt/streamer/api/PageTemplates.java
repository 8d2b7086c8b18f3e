package io.mcrsrt.streamer.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The UI's HTML pages from {@code web/pages/} in the jar, with their shared parts put in: a line
 * {@code <!-- include: NAME.html -->} is replaced by {@code web/pages/partials/NAME.html}, so markup that several pages
 * or places show (the page head, the stream form, the dialogs, the two legs of a 2022-7 pair) is written once. Values after the name
 * ({@code <!-- include: pair-leg.html leg=2 port=10003 -->}, or quoted text: {@code title="Stream details"}) replace
 * {@code {{leg}}} and {@code {{port}}} in the part;
 * a placeholder left without a value is a build error, reported when the page is first served. Rendered once per page
 * and kept: the jar does not change.
 */
public final class PageTemplates {
    /** A value: a word, or text in double quotes without quotes, markup or ampersands (a page title). */
    private static final String VALUE = "(?:[A-Za-z0-9_-]+|\"[^\"<>&]*\")";
    private static final Pattern INCLUDE = Pattern.compile("(?m)^[ \\t]*<!-- include: ([a-z0-9_-]+\\.html)((?: [a-z]+="
            + VALUE + ")*) -->[ \\t]*\\R");
    private static final Pattern PAIR = Pattern.compile("([a-z]+)=(" + VALUE + ")");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([a-z]+)}}");
    private static final Map<String, String> RENDERED = new ConcurrentHashMap<>();

    private PageTemplates() {
    }

    /**
     * The page {@code file} with its includes put in.
     *
     * @throws IllegalArgumentException naming the page or partial that is not in this build
     */
    public static String render(String file) {
        return RENDERED.computeIfAbsent(file, f -> {
            String page = read("/web/pages/" + f, "Page " + f);
            Matcher m = INCLUDE.matcher(page);
            StringBuilder out = new StringBuilder(page.length() * 2);
            while (m.find()) {
                String what = "Part " + m.group(1) + " of page " + f;
                String partial = fill(read("/web/pages/partials/" + m.group(1), what), m.group(2), what);
                m.appendReplacement(out, Matcher.quoteReplacement(partial));
            }
            m.appendTail(out);
            int bad = out.indexOf("<!-- include:");
            if (bad >= 0) {
                String line = out.substring(bad, out.indexOf("\n", bad) < 0 ? out.length() : out.indexOf("\n", bad));
                throw new IllegalArgumentException("Page " + f + " has an include line that cannot be read: " + line
                        + " (expected: <!-- include: NAME.html name=word name=\"text without quotes, < > or &\" -->"
                        + " on a line of its own)");
            }
            return out.toString();
        });
    }

    /** Puts the include's {@code name=value} pairs into the part's {@code {{name}}} placeholders. */
    private static String fill(String partial, String pairs, String what) {
        Map<String, String> values = new java.util.HashMap<>();
        Matcher pair = PAIR.matcher(pairs);
        while (pair.find()) {
            String value = pair.group(2);
            values.put(pair.group(1), value.startsWith("\"") ? value.substring(1, value.length() - 1) : value);
        }
        Matcher m = PLACEHOLDER.matcher(partial);
        StringBuilder out = new StringBuilder(partial.length());
        while (m.find()) {
            String value = values.get(m.group(1));
            if (value == null) {
                throw new IllegalArgumentException(what + " needs a value for {{" + m.group(1) + "}}: add "
                        + m.group(1) + "=... to its include line.");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String read(String resource, String what) {
        try (InputStream in = PageTemplates.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException(what + " is not installed in this build (" + resource + ").");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(what + " cannot be read: " + e.getMessage(), e);
        }
    }
}
