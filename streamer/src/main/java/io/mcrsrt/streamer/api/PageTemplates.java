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
 * or places show (the stream form, the dialogs, the two legs of a 2022-7 pair) is written once. Values after the name
 * ({@code <!-- include: pair-leg.html leg=2 port=10003 -->}) replace {@code {{leg}}} and {@code {{port}}} in the part;
 * a placeholder left without a value is a build error, reported when the page is first served. Rendered once per page
 * and kept: the jar does not change.
 */
public final class PageTemplates {
    private static final Pattern INCLUDE =
            Pattern.compile("(?m)^[ \\t]*<!-- include: ([a-z0-9_-]+\\.html)((?: [a-z]+=[A-Za-z0-9_-]+)*) -->[ \\t]*\\R");
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
            return out.toString();
        });
    }

    /** Puts the include's {@code name=value} pairs into the part's {@code {{name}}} placeholders. */
    private static String fill(String partial, String pairs, String what) {
        Map<String, String> values = new java.util.HashMap<>();
        for (String pair : pairs.strip().split(" ")) {
            if (!pair.isEmpty()) {
                values.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
            }
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
