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
 * show (the stream form, the dialogs) is written once. Rendered once per page and kept: the jar does not change.
 */
public final class PageTemplates {
    private static final Pattern INCLUDE = Pattern.compile("(?m)^[ \\t]*<!-- include: ([a-z0-9_-]+\\.html) -->[ \\t]*\\R");
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
                String partial = read("/web/pages/partials/" + m.group(1), "Part " + m.group(1) + " of page " + f);
                m.appendReplacement(out, Matcher.quoteReplacement(partial));
            }
            m.appendTail(out);
            return out.toString();
        });
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
