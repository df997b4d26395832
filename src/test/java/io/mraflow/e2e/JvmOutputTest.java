package io.mraflow.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The JVM's own messages never reach standard output, where {@code analyze --format json} writes
 * its JSON lines: the options scripts/startup-cache prints for the launcher and the benchmark send
 * them to standard error. A compile command HotSpot cannot parse is the message provoked here
 * (HotSpot prints it on standard output by default, as it does a stale class-data archive or a
 * page size it cannot have).
 */
class JvmOutputTest {
    private static final String PARSE_ERROR = "CompileCommand: An error occurred during parsing";

    @Test
    void jvmMessagesGoToStandardErrorUnderTheLaunchersOptions(@TempDir Path dir) throws Exception {
        final Path badCommands = dir.resolve("compile-commands");
        Files.writeString(badCommands, "dontinline no.such.Type::method(((\n");

        final Run plain = analyze(List.of("-XX:CompileCommandFile=" + badCommands));
        assertEquals(0, plain.exit, plain.err);
        assertTrue(plain.out.contains(PARSE_ERROR), "without the options the JVM writes into the JSON: " + plain.out);

        final List<String> options = new ArrayList<>(startupOptions(dir));
        options.add("-XX:CompileCommandFile=" + badCommands); // after the script's own: this one counts
        final Run run = analyze(options);
        assertEquals(0, run.exit, run.err);
        assertTrue(run.err.contains(PARSE_ERROR), "the JVM's message is on standard error: " + run.err);
        final List<String> lines = run.out.lines().toList();
        assertFalse(lines.isEmpty());
        for (String line : lines) {
            assertTrue((line.startsWith("{\"event_type\":\"flow\",\"ts\":") || line.startsWith("{\"event_type\":\"summary\",")
                    || line.startsWith("{\"event_type\":\"diagnosis\",")) && line.endsWith("}"),
                    "not a flow, diagnosis or summary line: " + line);
        }
    }

    /** What scripts/startup-cache prints when there is no jar to cache: the options for every run. */
    private static List<String> startupOptions(Path dir) throws IOException, InterruptedException {
        final Process p = new ProcessBuilder("bash", "scripts/startup-cache", dir.resolve("no.jar").toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        final String line = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue());
        return Arrays.asList(line.split(" "));
    }

    private record Run(int exit, String out, String err) {
    }

    private static Run analyze(List<String> jvmOptions) throws IOException, InterruptedException {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), "io.mraflow.cli.Main",
                "analyze", "--format", "json", "pcaps/mra-sample.pcapng"));
        final Process p = new ProcessBuilder(command).start();
        final CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
        final String out = read(p.getInputStream());
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        return new Run(p.exitValue(), out, err.join());
    }

    private static String read(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
