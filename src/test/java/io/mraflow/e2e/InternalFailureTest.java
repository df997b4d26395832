package io.mraflow.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mraflow.cli.ExitCode;
import io.mraflow.synth.ScanCapture;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A failure of mraflow itself has its own exit code and one clear line, and what was analysed
 * before it is still written: a worker whose ended flows cannot go to disk (the temporary folder
 * does not exist) stops there; the flows it had are reported, stderr says which worker stopped
 * and why, with no stack trace, and the exit code is 4, never 1 (findings).
 */
class InternalFailureTest {
    @TempDir
    Path tmp;

    @Test
    void aWorkerThatCannotSpillEndsWithExitFourOneLineAndItsFlowsWritten() throws Exception {
        final Path capture = tmp.resolve("scan.pcap");
        ScanCapture.write(capture, 40_000); // more ended flows than a 64 MB heap keeps in memory
        final Path out = tmp.resolve("out.jsonl");
        final Path err = tmp.resolve("err.txt");
        final Process p = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m", "-Djava.io.tmpdir=" + tmp.resolve("no-such-folder"),
                "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), "io.mraflow.cli.Main",
                "analyze", "--format", "json", "--workers", "1", capture.toString()))
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        final String stderr = Files.readString(err);
        assertEquals(ExitCode.INTERNAL.status(), p.exitValue(), stderr);
        final List<String> failures = stderr.lines().filter(l -> l.contains("internal failure")).toList();
        assertEquals(1, failures.size(), stderr);
        assertTrue(failures.get(0).contains("worker 0 stopped") && failures.get(0).contains("no-such-folder"), stderr);
        assertFalse(stderr.contains("\tat "), "no stack trace: " + stderr);
        final List<String> lines = Files.readAllLines(out).stream().filter(l -> !l.startsWith("{\"event_type\":\"summary\"")
                && !l.startsWith("{\"event_type\":\"diagnosis\"")).toList();
        assertTrue(lines.size() > 1000 && lines.size() < 40_000, lines.size() + " flows written");
        lines.forEach(l -> assertTrue(l.startsWith("{\"event_type\":\"flow\",\"ts\":") && l.endsWith("}"), l));
    }
}
