package io.mraflow.e2e;

import io.mraflow.cli.ExitCode;
import io.mraflow.e2e.AnalyzeDamagedInputTest.Run;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static io.mraflow.e2e.AnalyzeDamagedInputTest.analyze;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Options through the whole command line: what a bad or repeated one says, and what JSON prints for no flow. */
class AnalyzeOptionsTest {
    /** One ICMP packet and nothing else: no TCP or UDP flow (MANIFEST.tsv, tshark agrees). */
    static final Path NO_FLOWS = Path.of("src/test/resources/captures/ndpi/malformed_icmp.pcap");
    static final Path ONE_FLOW = AnalyzeDamagedInputTest.SIP_HELLO;

    @Test
    void jsonWithoutFlowsPrintsNothing() {
        Run r = analyze("--format", "json", NO_FLOWS.toString());
        assertEquals(ExitCode.OK, r.exit(), r.err());
        assertEquals("", r.out(), "no flow, no line (not even an empty one)");
        assertEquals("", r.err());
    }

    @Test
    void jsonLinesEachEndWithOneNewline() {
        Run r = analyze("--format", "json", ONE_FLOW.toString());
        assertEquals(ExitCode.OK, r.exit(), r.err());
        assertTrue(r.out().startsWith("{") && r.out().endsWith("}\n") && r.out().indexOf('\n') == r.out().length() - 1,
                r.out());
    }
}
