package io.mraflow.e2e;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * scripts/compile-commands, the JIT hints the launcher and the benchmark give the JVM: every
 * method it names exists (a renamed method would silently lose its hint), and HotSpot reads the
 * file without printing anything on standard output, where mraflow writes its JSON (a line
 * HotSpot cannot parse is reported there, whatever {@code quiet} says).
 */
class CompileCommandsTest {
    static final Path FILE = Path.of("scripts/compile-commands");

    @Test
    void everyMethodNamedExists() throws IOException, ClassNotFoundException {
        final List<String> patterns = new ArrayList<>();
        for (String line : Files.readAllLines(FILE, StandardCharsets.UTF_8)) {
            final String[] words = line.trim().split("\\s+");
            if (words.length == 2 && words[0].equals("dontinline")) {
                patterns.add(words[1]);
            }
        }
        assertFalse(patterns.isEmpty(), "no dontinline lines in " + FILE);
        for (String pattern : patterns) {
            final int sep = pattern.indexOf("::");
            assertTrue(sep > 0, pattern + ": not Class::method");
            final Class<?> type = Class.forName(pattern.substring(0, sep));
            final String name = pattern.substring(sep + 2);
            assertTrue(Arrays.stream(type.getDeclaredMethods()).map(Method::getName).anyMatch(name::equals),
                    pattern + ": no such method");
        }
    }

    @Test
    void theJvmReadsItSilently() throws IOException, InterruptedException {
        final Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        final Process p = new ProcessBuilder(java.toString(),
                "-XX:CompileCommandFile=" + FILE.toAbsolutePath(), "-version")
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue());
        assertEquals("", out, "the JVM printed this on standard output");
    }
}
