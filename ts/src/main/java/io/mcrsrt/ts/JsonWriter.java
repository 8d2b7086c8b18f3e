package io.mcrsrt.ts;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.Objects;

/**
 * A small streaming JSON writer, so the toolkit can print reports and cues without a JSON library. Output is indented
 * by two spaces per level. Not thread-safe.
 */
public final class JsonWriter {
    /** The text written so far. */
    private final StringBuilder out = new StringBuilder();
    /** Per open object or array: whether it already has a member (so the next needs a comma). */
    private final Deque<boolean[]> levels = new ArrayDeque<>();
    /** A name was just written; the value follows it on the same line. */
    private boolean afterName;

    public JsonWriter beginObject() {
        prefix();
        out.append('{');
        levels.push(new boolean[1]);
        return this;
    }

    public JsonWriter endObject() {
        close('}');
        return this;
    }

    public JsonWriter beginArray() {
        prefix();
        out.append('[');
        levels.push(new boolean[1]);
        return this;
    }

    public JsonWriter endArray() {
        close(']');
        return this;
    }

    public JsonWriter name(String name) {
        Objects.requireNonNull(name, "name must not be null");
        prefix();
        string(name);
        out.append(": ");
        afterName = true;
        return this;
    }

    /** A string value; null is written as JSON {@code null}. */
    public JsonWriter value(String s) {
        prefix();
        if (s == null) {
            out.append("null");
        } else {
            string(s);
        }
        return this;
    }

    public JsonWriter value(long v) {
        prefix();
        out.append(v);
        return this;
    }

    public JsonWriter value(boolean v) {
        prefix();
        out.append(v);
        return this;
    }

    /** A number with up to {@code decimals} digits after the point (trailing zeros kept, as threefive prints seconds). */
    public JsonWriter value(double v, int decimals) {
        prefix();
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            out.append("null");
        } else {
            out.append(String.format(Locale.ROOT, "%." + decimals + "f", v));
        }
        return this;
    }

    /** A name and a string value; a null value is written as JSON {@code null}. */
    public JsonWriter field(String name, String v) {
        return name(name).value(v);
    }

    public JsonWriter field(String name, long v) {
        return name(name).value(v);
    }

    public JsonWriter field(String name, boolean v) {
        return name(name).value(v);
    }

    public JsonWriter field(String name, double v, int decimals) {
        return name(name).value(v, decimals);
    }

    private void prefix() {
        if (afterName) {
            afterName = false;
            return;
        }
        boolean[] level = levels.peek();
        if (level == null) {
            return;
        }
        if (level[0]) {
            out.append(',');
        }
        level[0] = true;
        newline(levels.size());
    }

    private void close(char c) {
        boolean[] level = levels.pop();
        if (level[0]) {
            newline(levels.size());
        }
        out.append(c);
    }

    private void newline(int depth) {
        out.append('\n');
        out.append("  ".repeat(depth));
    }

    private void string(String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    @Override
    public String toString() {
        return out.toString();
    }
}
