package io.mcrsrt.ts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Guards the code examples of {@code docs/transport-streams.md}: every {@code ```java} block there must compile
 * against the toolkit as it is, so that an API change cannot leave the documentation showing calls that no longer
 * exist. The examples are compiled, never run (they stand for code that plays a file to the network).
 *
 * <p>Each block becomes the body of a method {@code example() throws Exception} in a class that imports the toolkit's
 * packages and the {@code java.*} packages a reader takes for granted, and declares as fields the few variables the
 * examples use without declaring them ({@link #CONTEXT}); a block's own declaration of a name shadows the field.
 * A block that fails to compile fails with the compiler's messages, their line numbers counted within the block.
 * The class is compiled against the test's own class path, which holds the module's classes (surefire runs the
 * tests on the class path, not the module path).
 */
final class DocExamplesTest {

    private static final String DOC = "docs/transport-streams.md";

    /** What every example may use without declaring it; {@code %s} is the block. */
    private static final String CONTEXT = """
            import io.mcrsrt.ts.*;
            import io.mcrsrt.ts.analysis.*;
            import io.mcrsrt.ts.pacing.*;
            import io.mcrsrt.ts.pcr.*;
            import io.mcrsrt.ts.psi.*;
            import io.mcrsrt.ts.rtp.*;
            import io.mcrsrt.ts.scte35.*;
            import java.io.*;
            import java.lang.foreign.*;
            import java.net.*;
            import java.nio.*;
            import java.nio.file.*;
            import java.time.*;
            import java.util.*;
            import java.util.stream.*;

            abstract class Example {
                // "Pacing a file by its PCRs": the file played, what waits for a message's due time, where it goes
                Path file;
                PreciseWaiter waiter;

                abstract void send(ByteBuffer message, long due);

                void example() throws Exception {
            %s
                }
            }
            """;

    /** Lines of {@link #CONTEXT} before the block, to count the compiler's line numbers within the block. */
    private static final long LINES_BEFORE_BLOCK = CONTEXT.substring(0, CONTEXT.indexOf("%s")).lines().count();

    @TestFactory
    Stream<DynamicTest> everyJavaBlockCompiles(@TempDir Path classes) throws IOException {
        List<Block> blocks = javaBlocks(Files.readAllLines(Path.of("..").resolve(DOC)));
        assertThat(blocks).as("```java blocks in %s", DOC).isNotEmpty();
        return blocks.stream().map(block -> DynamicTest.dynamicTest(block.title(), () -> compile(block, classes)));
    }

    private static void compile(Block block, Path classes) {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        List<String> options = List.of("-proc:none", "-d", classes.toString(),
                "-classpath", System.getProperty("java.class.path"));
        boolean compiled = javac.getTask(null, null, diagnostics, options, null, List.of(new Source(block))).call();
        String errors = diagnostics.getDiagnostics().stream()
                .filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
                .map(d -> "  " + block.where(d.getLineNumber()) + ": " + d.getMessage(Locale.ROOT))
                .collect(Collectors.joining("\n"));
        assertThat(compiled).withFailMessage("%s, %s does not compile:%n%s", DOC, block.title(), errors).isTrue();
    }

    /** The {@code ```java} blocks of a Markdown file, in order; an unclosed one fails the test. */
    private static List<Block> javaBlocks(List<String> lines) {
        List<Block> blocks = new ArrayList<>();
        for (int fence = 0; fence < lines.size(); fence++) {
            if (lines.get(fence).strip().equals("```java")) {
                int end = fence + 1;
                while (end < lines.size() && !lines.get(end).strip().equals("```")) {
                    end++;
                }
                assertThat(end).as("%s: the ```java block at line %d is not closed", DOC, fence + 1)
                        .isLessThan(lines.size());
                blocks.add(new Block(blocks.size() + 1, fence + 2, String.join("\n", lines.subList(fence + 1, end))));
                fence = end;
            }
        }
        return blocks;
    }

    /** A block of the doc: its number (from 1), the doc line of its first line, and its code. */
    private record Block(int number, int firstLine, String code) {
        String title() {
            return "block " + number + " (line " + firstLine + "): " + code.lines().findFirst().orElse("").strip();
        }

        String where(long compilerLine) {
            long line = compilerLine - LINES_BEFORE_BLOCK;
            return line >= 1 && line <= code.lines().count()
                    ? "block line " + line + " (" + DOC + ":" + (firstLine + line - 1) + ")"
                    : "line " + compilerLine + " of the class around the block";
        }
    }

    /** A block wrapped in {@link #CONTEXT}, as a source file held in memory. */
    private static final class Source extends SimpleJavaFileObject {
        private final String text;

        Source(Block block) {
            super(URI.create("string:///Example.java"), Kind.SOURCE);
            text = CONTEXT.formatted(block.code());
        }

        @Override
        public CharSequence getCharContent(boolean ignoreEncodingErrors) {
            return text;
        }
    }
}
