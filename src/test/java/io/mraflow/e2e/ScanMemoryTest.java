package io.mraflow.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.mraflow.synth.ScanCapture;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Memory does not grow with the capture: port scans (one unanswered SYN to each of N distinct
 * address/port pairs, {@link ScanCapture}) of 60,000 and 240,000 flows, analysed by a child JVM
 * with a 64 MB heap so that the flow table fills (at 2^15 slots, 22,937 flows) and ended flows go
 * to disk, give exit 0, exactly one JSON line per flow, the evictions named on stderr equal to the
 * lines that say {@code "ended":"evicted"}, and the same peak RSS bound (/usr/bin/time -v) for
 * four times the flows: under {@value #RSS_BOUND_MB} MB, the larger within the heap's size of the smaller. scripts/bench-scan does the
 * same with the launcher's defaults at 1,000,000 and 3,000,000 flows.
 */
@Tag("slow") // child JVMs over a generated scan of hundreds of thousands of flows
class ScanMemoryTest {
    static final int RSS_BOUND_MB = 250;
    private static final Pattern EVICTED = Pattern.compile("mraflow: evicted: (\\d+) flows ended early");

    @TempDir
    Path tmp;

    private record Run(int exit, long lines, long evictedLines, long evictedSaid, long rssMb, String err) {
    }

    @Test
    void peakMemoryIsTheSameForFourTimesTheFlows() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/time")), "no /usr/bin/time to measure peak RSS");
        final Run small = scan(60_000, 1);
        final Run large = scan(240_000, 1);
        final Run largeTwoWorkers = scan(240_000, 2);
        System.out.printf("scan, 64 MB heap: 60,000 flows %d MB, 240,000 flows %d MB, 240,000 flows on 2 workers %d MB peak RSS"
                + " (%d, %d, %d evicted)%n", small.rssMb(), large.rssMb(), largeTwoWorkers.rssMb(),
                small.evictedSaid(), large.evictedSaid(), largeTwoWorkers.evictedSaid());
        for (Run r : List.of(small, large, largeTwoWorkers)) {
            assertTrue(r.evictedSaid() > 0, "the scan fills the table: " + r);
            assertEquals(r.evictedLines(), r.evictedSaid(), "evictions said = evicted lines: " + r);
            assertTrue(r.rssMb() < RSS_BOUND_MB, "peak RSS " + r.rssMb() + " MB: " + r);
        }
        // Four times the flows held would need ~500 MB more (2 KB a flow before the bound): the same
        // bound holds both, and the larger is within 64 MB (the heap) of the smaller.
        assertTrue(large.rssMb() <= small.rssMb() + 64,
                "peak RSS " + small.rssMb() + " MB for 60,000 flows, " + large.rssMb() + " MB for 240,000");
    }

    private Run scan(final int flows, final int workers) throws IOException, InterruptedException {
        final Path capture = tmp.resolve("scan-" + flows + ".pcap");
        if (!Files.exists(capture)) {
            ScanCapture.write(capture, flows);
        }
        final Path out = tmp.resolve("out.jsonl");
        final Path time = tmp.resolve("time.txt");
        final List<String> command = new ArrayList<>(List.of("/usr/bin/time", "-v", "-o", time.toString(),
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m", "-XX:+UseParallelGC", "-Djava.io.tmpdir=" + tmp,
                "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), "io.mraflow.cli.Main",
                "analyze", "--format", "json", "--workers", Integer.toString(workers), capture.toString()));
        final Process p = new ProcessBuilder(command).redirectOutput(out.toFile())
                .redirectError(tmp.resolve("err.txt").toFile()).start();
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "finished");
        final String err = Files.readString(tmp.resolve("err.txt"));
        assertEquals(0, p.exitValue(), err);
        long lines = 0;
        long evicted = 0;
        try (Stream<String> s = Files.lines(out, StandardCharsets.US_ASCII)) {
            for (String line : (Iterable<String>) s::iterator) {
                assertTrue(line.endsWith("}"), line);
                if (line.startsWith("{\"event_type\":\"summary\",") || line.startsWith("{\"event_type\":\"diagnosis\",")) {
                    continue; // the last two lines
                }
                assertTrue(line.startsWith("{\"event_type\":\"flow\",\"ts\":"), line);
                lines++;
                if (line.contains("\"ended\":\"evicted\"")) {
                    evicted++;
                }
            }
        }
        assertEquals(flows, lines, "one line per flow; stderr: " + err);
        final Matcher m = EVICTED.matcher(err);
        final long said = m.find() ? Long.parseLong(m.group(1)) : 0;
        final Matcher rss = Pattern.compile("Maximum resident set size \\(kbytes\\): (\\d+)").matcher(Files.readString(time));
        assertTrue(rss.find(), Files.readString(time));
        return new Run(p.exitValue(), lines, evicted, said, Long.parseLong(rss.group(1)) / 1024, err);
    }
}
