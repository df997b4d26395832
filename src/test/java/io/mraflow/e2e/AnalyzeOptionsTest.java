package io.mraflow.e2e;

import java.util.List;

import io.mraflow.cli.ExitCode;
import io.mraflow.e2e.AnalyzeDamagedInputTest.Run;
import io.mraflow.pipeline.PipelineConfig;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static io.mraflow.e2e.AnalyzeDamagedInputTest.analyze;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Options through the whole command line: what a bad or repeated one says, and what JSON prints for no flow. */
class AnalyzeOptionsTest {
    /** One ICMP packet and nothing else: no TCP or UDP flow (MANIFEST.tsv, tshark agrees). */
    static final Path NO_FLOWS = Path.of("src/test/resources/captures/ndpi/malformed_icmp.pcap");
    static final Path ONE_FLOW = AnalyzeDamagedInputTest.SIP_HELLO;

    @Test
    void jsonWithoutFlowsPrintsOnlyTheDiagnosisAndSummaryLines() {
        Run r = analyze("--format", "json", NO_FLOWS.toString());
        assertEquals(ExitCode.OK, r.exit(), r.err());
        final List<String> lines = r.out().lines().toList();
        assertTrue(r.out().endsWith("}\n") && lines.size() == 2 && lines.get(0).startsWith("{\"event_type\":\"diagnosis\",")
                && lines.get(1).startsWith("{\"event_type\":\"summary\","), "no flow line, no empty line: " + r.out());
        assertEquals("0", JsonLines.parseLine(lines.get(1)).get("flows"));
        assertEquals("", r.err());
    }

    @Test
    void jsonLinesEachEndWithOneNewline() {
        Run r = analyze("--format", "json", ONE_FLOW.toString());
        assertEquals(ExitCode.OK, r.exit(), r.err());
        final List<String> lines = r.out().lines().toList();
        assertTrue(r.out().endsWith("}\n") && lines.size() == 3 && lines.get(0).startsWith("{\"event_type\":\"flow\",")
                && lines.get(1).startsWith("{\"event_type\":\"diagnosis\",")
                && lines.get(2).startsWith("{\"event_type\":\"summary\","), r.out());
    }

    @Test
    void aMissingInputFileIsAnErrorBeforeAnyReport() {
        for (String format : new String[] {"text", "json"}) {
            Run r = analyze("--format", format, ONE_FLOW.toString(), "no-such-capture.pcap");
            assertEquals(ExitCode.UNREADABLE, r.exit(), r.err());
            assertEquals("", r.out(), "nothing reported");
            assertEquals("mraflow analyze: no-such-capture.pcap: no such file\n", r.err());
        }
    }

    @Test
    void workersAboveTheLimitIsABadOptionNamingTheLimit() {
        int max = PipelineConfig.maxWorkers(PipelineConfig.DEFAULT_RING_CAPACITY);
        for (String n : new String[] {"1000", String.valueOf(max + 1), "0", "-3", "many"}) {
            Run r = analyze("--workers", n, ONE_FLOW.toString());
            assertEquals(ExitCode.UNREADABLE, r.exit(), n + ": " + r.err());
            assertEquals("", r.out());
            assertEquals(1, r.err().lines().count(), r.err());
            assertTrue(r.err().contains("--workers '" + n + "'") && r.err().contains("from 1 to " + max), r.err());
        }
    }

    @Test
    void rtpClockAndJitterThresholdOutOfRangeAreBadOptionsNamingTheRange() {
        final String[][] bad = {
            {"--rtp-clock", "0", "from 1000 to 1000000"}, {"--rtp-clock", "48k", "from 1000 to 1000000"},
            {"--rtp-clock", "2000000", "from 1000 to 1000000"},
            {"--rtp-jitter-max", "0", "above 0 and at most 10000 ms"}, {"--rtp-jitter-max", "soon", "not a number of milliseconds"},
        };
        for (String[] o : bad) {
            Run r = analyze(o[0], o[1], ONE_FLOW.toString());
            assertEquals(ExitCode.UNREADABLE, r.exit(), o[0] + " " + o[1] + ": " + r.err());
            assertEquals("", r.out());
            assertTrue(r.err().contains(o[0]) && r.err().contains(o[2]), r.err());
        }
        assertEquals(ExitCode.OK, analyze("--rtp-clock", "48000", "--rtp-jitter-max", "12.5", ONE_FLOW.toString()).exit());
    }

    @Test
    void theWorkerLimitKeepsTheRingsInHalfTheDirectMemory() {
        int max = PipelineConfig.maxWorkers(PipelineConfig.DEFAULT_RING_CAPACITY);
        assertTrue(max >= 1 && max <= PipelineConfig.MAX_WORKERS);
        assertTrue((long) max * PipelineConfig.DEFAULT_RING_CAPACITY <= Runtime.getRuntime().maxMemory() / 2);
        assertEquals(max, PipelineConfig.defaults().withWorkers(max).workers());
        assertThrows(IllegalArgumentException.class, () -> PipelineConfig.defaults().withWorkers(max + 1));
        assertTrue(PipelineConfig.defaultWorkers() <= max);
    }

    @Test
    void aRepeatedOptionIsABadOptionNamingIt() {
        String[][] repeated = {
            {"--format", "json", "--format", "text"},
            {"--format", "json", "--format", "xml"},
            {"--workers", "1", "--workers", "2"},
            {"--only", "findings", "--only=all"},
            {"--topology", "a.topology", "--topology", "b.topology"},
        };
        for (String[] options : repeated) {
            String[] args = new String[options.length + 1];
            System.arraycopy(options, 0, args, 0, options.length);
            args[options.length] = ONE_FLOW.toString();
            Run r = analyze(args);
            assertEquals(ExitCode.UNREADABLE, r.exit(), String.join(" ", options) + ": " + r.err());
            assertEquals("", r.out());
            assertTrue(r.err().startsWith("mraflow analyze: " + options[0] + " is given 2 times ('" + options[1] + "', '"),
                    r.err());
            assertEquals(1, r.err().lines().count(), r.err());
        }
    }
}
