package io.mraflow;

import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.JavacTask;
import com.sun.source.util.SourcePositions;
import com.sun.source.util.TreeScanner;
import com.sun.source.util.Trees;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.lang.model.element.Modifier;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every parameter of a method or constructor with a body under src/main is {@code final} (as in
 * Agrona and JCTools): a parameter keeps the value it was called with, and a method that needs to
 * change one says so with a local. Parameters of abstract and interface methods carry no
 * {@code final} (it would mean nothing there). Read with javac's own parser, so comments, strings
 * and lambdas are no trouble; record components and compact constructors are not parameters.
 */
class FinalParametersSourceTest {

    @Test
    void everyParameterUnderSrcMainIsFinal() throws IOException {
        final List<Path> files;
        try (Stream<Path> s = Files.walk(Path.of("src/main/java"))) {
            files = s.filter(f -> f.toString().endsWith(".java")).toList();
        }
        final JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        try (StandardJavaFileManager fm = javac.getStandardFileManager(null, null, null)) {
            final List<String> found = notFinal(javac, fm.getJavaFileObjectsFromPaths(files));
            assertTrue(files.size() > 100, "the source tree was found: " + files.size() + " files");
            assertEquals(List.of(), found, "parameters without final");
        }
    }

    @Test
    void theCheckSeesWhatItLooksFor() throws IOException {
        final JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        final String source = """
                interface I { void abstractOne(int a); }
                record R(int component) { R { } R(long other) { this((int) other); } }
                class C {
                    void plain(int a, final int b) { Runnable r = () -> { }; }
                    C(String s) { }
                    void lambda() { java.util.function.IntUnaryOperator f = x -> x; }
                }
                """;
        final JavaFileObject file = new SimpleJavaFileObject(URI.create("string:///Sample.java"), JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(final boolean ignoreEncodingErrors) {
                return source;
            }
        };
        final List<String> found = notFinal(javac, List.of(file));
        assertEquals(List.of("/Sample.java:2: other", "/Sample.java:4: a", "/Sample.java:5: s"), found);
    }

    /** "file:line: name" of each non-final parameter of a method with a body, in source order. */
    private static List<String> notFinal(final JavaCompiler javac, final Iterable<? extends JavaFileObject> files)
            throws IOException {
        final JavacTask task = (JavacTask) javac.getTask(null, null, null, List.of("--release", "17", "-proc:none"), null, files);
        final SourcePositions positions = Trees.instance(task).getSourcePositions();
        final List<String> found = new ArrayList<>();
        for (CompilationUnitTree unit : task.parse()) {
            new TreeScanner<Void, Void>() {
                @Override
                public Void visitMethod(final MethodTree method, final Void unused) {
                    final long start = positions.getStartPosition(unit, method);
                    for (VariableTree p : method.getParameters()) {
                        // a compact constructor's parameters are the record's components, written before it
                        final long at = positions.getStartPosition(unit, p);
                        if (method.getBody() != null && at > start && !p.getModifiers().getFlags().contains(Modifier.FINAL)) {
                            found.add(unit.getSourceFile().toUri().getPath() + ":" + unit.getLineMap().getLineNumber(at)
                                    + ": " + p.getName());
                        }
                    }
                    return super.visitMethod(method, null);
                }
            }.scan(unit, null);
        }
        return found;
    }
}
