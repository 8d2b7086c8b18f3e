package io.mcrsrt.streamer.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.source.tree.VariableTree;
import com.sun.source.util.JavacTask;
import com.sun.source.util.TreePathScanner;
import com.sun.source.util.Trees;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.type.TypeMirror;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Guards the code examples of the library guides, {@code docs/library.md} (the SRT library) and
 * {@code docs/transport-streams.md} (the TS toolkit): every {@code ```java} block there must compile against the code
 * as it is, so that an API change cannot leave the documentation showing calls that no longer exist. The examples
 * are compiled, never run (they address the documentation host 192.0.2.10, or stand for code that plays a file to
 * the network). Each block must also hold what it opens in a try-with-resources, as readers copy the examples.
 *
 * <p>Each block becomes the body of a method {@code example() throws Exception} in a class that imports the guide's
 * packages and the {@code java.*} packages a reader takes for granted, and declares as fields the few variables the
 * guide's examples use without declaring them ({@link Guide#context}); a block's own declaration of a name shadows
 * the field. A block that fails to compile fails with the compiler's messages, their line numbers counted within the
 * block. The class is compiled against the tests' class path, which holds both libraries.
 */
final class DocExamplesTest {

    private static final String JAVA_IMPORTS = """
            import java.io.*;
            import java.lang.foreign.*;
            import java.net.*;
            import java.nio.*;
            import java.nio.file.*;
            import java.time.*;
            import java.util.*;
            import java.util.stream.*;
            """;

    private static final List<Guide> GUIDES = List.of(
            new Guide("docs/library.md", """
                    import io.mcrsrt.srt.*;
                    %s
                    class Example {
                        SrtSocket socket;   // a connected socket (Statistics, Non-blocking sockets and epoll)
                        boolean running;    // the accept loop's condition (A listener)

                        void example() throws Exception {
                    %%s
                        }
                    }
                    """.formatted(JAVA_IMPORTS)),
            new Guide("docs/transport-streams.md", """
                    import io.mcrsrt.ts.*;
                    import io.mcrsrt.ts.analysis.*;
                    import io.mcrsrt.ts.pacing.*;
                    import io.mcrsrt.ts.pcr.*;
                    import io.mcrsrt.ts.psi.*;
                    import io.mcrsrt.ts.rtp.*;
                    import io.mcrsrt.ts.scte35.*;
                    %s
                    abstract class Example {
                        // "Pacing a file by its PCRs": the file played, what waits for a due time, where it goes
                        Path file;
                        PreciseWaiter waiter;

                        abstract void send(ByteBuffer message, long due);

                        void example() throws Exception {
                    %%s
                        }
                    }
                    """.formatted(JAVA_IMPORTS)));

    @TestFactory
    Stream<DynamicContainer> everyJavaBlockOfTheLibraryGuidesCompiles(@TempDir Path classes) throws IOException {
        List<DynamicContainer> guides = new ArrayList<>();
        for (Guide guide : GUIDES) {
            List<Block> blocks = guide.javaBlocks(Files.readAllLines(RepoFiles.root().resolve(guide.doc())));
            assertThat(blocks).as("```java blocks in %s", guide.doc()).isNotEmpty();
            guides.add(DynamicContainer.dynamicContainer(guide.doc(), blocks.stream()
                    .map(block -> DynamicTest.dynamicTest(block.title(), () -> compile(block, classes)))));
        }
        return guides.stream();
    }

    /**
     * Readers copy the examples, so an example that opens a socket, a server or a stream holds it in a
     * try-with-resources: one left to a plain variable (an accepted socket in an accept loop) leaks with every
     * exception, and in the copies made of it.
     */
    @TestFactory
    Stream<DynamicContainer> everyClosableAnExampleDeclaresIsATryWithResourcesResource() throws IOException {
        List<DynamicContainer> guides = new ArrayList<>();
        for (Guide guide : GUIDES) {
            List<Block> blocks = guide.javaBlocks(Files.readAllLines(RepoFiles.root().resolve(guide.doc())));
            guides.add(DynamicContainer.dynamicContainer(guide.doc(), blocks.stream()
                    .map(block -> DynamicTest.dynamicTest(block.title(), () -> assertThat(unclosed(block))
                            .as("%s, %s: closables declared outside a try-with-resources (declare them in try (...))",
                                    guide.doc(), block.title())
                            .isEmpty()))));
        }
        return guides.stream();
    }

    /** The local variables of the block whose type is AutoCloseable and that are no try-with-resources resource. */
    private static List<String> unclosed(Block block) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        List<String> options = List.of("-proc:none", "-classpath", System.getProperty("java.class.path"));
        JavacTask task = (JavacTask) javac.getTask(null, null, new DiagnosticCollector<>(), options, null,
                List.of(new Source(block)));
        var units = task.parse();
        task.analyze();
        Trees trees = Trees.instance(task);
        TypeMirror closable = task.getElements().getTypeElement("java.lang.AutoCloseable").asType();
        List<String> unclosed = new ArrayList<>();
        for (var unit : units) {
            new TreePathScanner<Void, Void>() {
                @Override
                public Void visitVariable(VariableTree variable, Void unused) {
                    Element element = trees.getElement(getCurrentPath());
                    if (element != null && element.getKind() == ElementKind.LOCAL_VARIABLE
                            && task.getTypes().isAssignable(element.asType(), closable)) {
                        long line = unit.getLineMap().getLineNumber(
                                trees.getSourcePositions().getStartPosition(unit, variable));
                        unclosed.add(variable.getType() + " " + variable.getName() + " at " + block.where(line));
                    }
                    return super.visitVariable(variable, unused);
                }
            }.scan(unit, null);
        }
        return unclosed;
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
        assertThat(compiled).withFailMessage("%s, %s does not compile:%n%s", block.guide().doc(), block.title(), errors)
                .isTrue();
    }

    /**
     * A guide and what its examples may use without declaring it.
     *
     * @param doc     the Markdown file, from the checkout's root
     * @param context the class around a block; {@code %s} is the block
     */
    private record Guide(String doc, String context) {
        /** Lines of the context before the block, to count the compiler's line numbers within the block. */
        long linesBeforeBlock() {
            return context.substring(0, context.indexOf("%s")).lines().count();
        }

        /** The {@code ```java} blocks of the guide, in order; an unclosed one fails the test. */
        List<Block> javaBlocks(List<String> lines) {
            List<Block> blocks = new ArrayList<>();
            for (int fence = 0; fence < lines.size(); fence++) {
                if (lines.get(fence).strip().equals("```java")) {
                    int end = fence + 1;
                    while (end < lines.size() && !lines.get(end).strip().equals("```")) {
                        end++;
                    }
                    assertThat(end).as("%s: the ```java block at line %d is not closed", doc, fence + 1)
                            .isLessThan(lines.size());
                    blocks.add(new Block(this, blocks.size() + 1, fence + 2,
                            String.join("\n", lines.subList(fence + 1, end))));
                    fence = end;
                }
            }
            return blocks;
        }
    }

    /** A block of a guide: its number (from 1), the doc line of its first line, and its code. */
    private record Block(Guide guide, int number, int firstLine, String code) {
        String title() {
            return "block " + number + " (line " + firstLine + "): " + code.lines().findFirst().orElse("").strip();
        }

        String where(long compilerLine) {
            long line = compilerLine - guide.linesBeforeBlock();
            return line >= 1 && line <= code.lines().count()
                    ? "block line " + line + " (" + guide.doc() + ":" + (firstLine + line - 1) + ")"
                    : "line " + compilerLine + " of the class around the block";
        }
    }

    /** A block wrapped in its guide's context, as a source file held in memory. */
    private static final class Source extends SimpleJavaFileObject {
        private final String text;

        Source(Block block) {
            super(URI.create("string:///Example.java"), Kind.SOURCE);
            text = block.guide().context().formatted(block.code());
        }

        @Override
        public CharSequence getCharContent(boolean ignoreEncodingErrors) {
            return text;
        }
    }
}
