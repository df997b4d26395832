package io.mraflow.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Captures that arrive as a stream, through the command line in a JVM of its own: {@code -} with
 * the bytes written into the process's standard input through a pipe, and a FIFO made by
 * {@code mkfifo} that a thread here writes into. The report is the one the same bytes give as a
 * file, line for line; damage is reported at the file's byte offset, after the same packets, all
 * of them counted. Each run has a time limit, so that a read that never ends fails the test.
 */
@Tag("slow") // child JVMs reading from pipes
class StreamInputTest {
    /** pcapng, 2,004 packets. */
    private static final String PCAPNG = "pcaps/mra-sample.pcapng";
    /** Classic pcap (microseconds, little-endian), 1,540 packets. */
    private static final String PCAP = "src/test/resources/captures/ndpi/teams.pcap";
    private static final long TIME_LIMIT_SECONDS = 180;
    private static final Pattern DAMAGE = Pattern.compile(": damaged at byte (\\d+) after (\\d+) packets: ");
    private static final Pattern PACKETS = Pattern.compile("mraflow: (\\d+) packets, \\d+ flows in ");

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {PCAP, PCAPNG})
    void standardInputThroughAPipeGivesTheFilesJsonLines(String capture) throws Exception {
        final Run file = analyze(List.of("--format", "json", capture), null, null);
        assertEquals(0, file.exit, file.err);
        assertTrue(file.out.lines().count() > 5, file.out);
        final Run stdin = analyze(List.of("--format", "json", "-"), Files.readAllBytes(Path.of(capture)), null);
        assertEquals("", stdin.err);
        assertEquals(0, stdin.exit);
        assertEquals(file.out, stdin.out);
    }

    @ParameterizedTest
    @ValueSource(strings = {PCAP, PCAPNG})
    void fifoGivesTheFilesJsonLines(String capture) throws Exception {
        final Run file = analyze(List.of("--format", "json", capture), null, null);
        assertEquals(0, file.exit, file.err);
        final Path fifo = mkfifo("capture.fifo");
        final Run stream = analyze(List.of("--format", "json", fifo.toString()), null, new Fifo(fifo, Files.readAllBytes(Path.of(capture))));
        assertEquals("", stream.err);
        assertEquals(0, stream.exit);
        assertEquals(file.out, stream.out);
    }

    @Test
    void textReportFromStandardInputIsTheFilesReport() throws Exception {
        final Run file = analyze(List.of(PCAPNG), null, null);
        assertEquals(0, file.exit, file.err);
        final Run stdin = analyze(List.of("-"), Files.readAllBytes(Path.of(PCAPNG)), null);
        assertEquals(0, stdin.exit, stdin.err);
        assertEquals(file.out, stdin.out);
    }

    /**
     * The capture cut in the middle of a record, 60% in: the stream reports the file's offset and
     * packet count, exit code 3, and every packet before the damage is counted in the report.
     */
    @ParameterizedTest
    @ValueSource(strings = {PCAP, PCAPNG})
    void truncatedStreamReportsTheDamageWhereTheFileDoes(String capture) throws Exception {
        final byte[] whole = Files.readAllBytes(Path.of(capture));
        final byte[] cut = Arrays.copyOf(whole, whole.length * 6 / 10);
        final Path cutFile = Files.write(tmp.resolve("cut-" + Path.of(capture).getFileName()), cut);
        final Run file = analyze(List.of("--stats", "--format", "json", cutFile.toString()), null, null);
        final Run stdin = analyze(List.of("--stats", "--format", "json", "-"), cut, null);

        assertEquals(3, file.exit, file.err);
        assertEquals(3, stdin.exit, stdin.err);
        final Matcher fileDamage = find(DAMAGE, file.err);
        final Matcher streamDamage = find(DAMAGE, stdin.err);
        assertTrue(stdin.err.contains("mraflow: standard input: damaged at byte " + fileDamage.group(1) + " after "
                + fileDamage.group(2) + " packets: "), "the file: " + file.err + "\nthe stream: " + stdin.err);
        assertEquals(streamDamage.group(2), find(PACKETS, stdin.err).group(1), "every packet before the damage is counted");
        assertFalse(stdin.err.contains("unknown offset"), stdin.err);
        // the same flows; the summary lines differ only in naming the input in its problems
        assertEquals(flowLines(file.out), flowLines(stdin.out));
        assertEquals(JsonLines.parseLine(lastLine(file.out)).get("flows"), JsonLines.parseLine(lastLine(stdin.out)).get("flows"));
    }

    private static List<String> flowLines(String out) {
        return out.lines().filter(l -> l.startsWith("{\"event_type\":\"flow\"")).toList();
    }

    private static String lastLine(String out) {
        final List<String> lines = out.lines().toList();
        return lines.get(lines.size() - 1);
    }

    private Path mkfifo(String name) throws Exception {
        final Path fifo = tmp.resolve(name);
        final Process p = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), "mkfifo " + fifo);
        return fifo;
    }

    private static Matcher find(Pattern pattern, String text) {
        final Matcher m = pattern.matcher(text);
        assertTrue(m.find(), () -> pattern + " not in: " + text);
        return m;
    }

    /** A FIFO and the bytes a writer thread writes into it once mraflow opens it. */
    private record Fifo(Path path, byte[] bytes) {
        /** Writes on a daemon thread: opening a FIFO for writing waits for its reader. */
        Thread startWriter() {
            final Thread writer = new Thread(() -> {
                try {
                    Files.write(path, bytes);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }, "fifo-writer");
            writer.setDaemon(true);
            writer.start();
            return writer;
        }

        /** A writer still waiting for a reader that never came: open the FIFO to let it write and end. */
        void release(Thread writer) throws IOException {
            if (writer.isAlive()) {
                try (InputStream in = Files.newInputStream(path)) {
                    in.transferTo(OutputStream.nullOutputStream());
                }
            }
        }
    }

    private record Run(int exit, String out, String err) {
    }

    /**
     * Runs {@code mraflow analyze ARGS} in a JVM of its own, as the launcher does, with
     * {@code stdin} written into its standard input (a pipe) when not null, and {@code fifo} fed.
     */
    private static Run analyze(List<String> args, byte[] stdin, Fifo fifo) throws Exception {
        final List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), "io.mraflow.cli.Main", "analyze"));
        command.addAll(args);
        final Process p = new ProcessBuilder(command).start();
        final CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
        final CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
        final CompletableFuture<Void> in = CompletableFuture.runAsync(() -> {
            try (OutputStream o = p.getOutputStream()) {
                if (stdin != null) {
                    o.write(stdin);
                }
            } catch (IOException e) {
                // mraflow stopped reading: its exit code and messages say why
            }
        });
        final Thread writer = fifo == null ? null : fifo.startWriter();
        try {
            if (!p.waitFor(TIME_LIMIT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail("mraflow analyze " + args + " did not end within " + TIME_LIMIT_SECONDS + " s");
            }
        } finally {
            if (writer != null) {
                fifo.release(writer);
            }
        }
        in.join();
        return new Run(p.exitValue(), out.join(), err.join());
    }

    private static String read(InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
