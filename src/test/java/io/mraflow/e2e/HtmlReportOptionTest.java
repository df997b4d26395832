package io.mraflow.e2e;

import io.mraflow.cli.ExitCode;
import io.mraflow.e2e.AnalyzeDamagedInputTest.Run;
import io.mraflow.synth.ScanCapture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.mraflow.e2e.AnalyzeDamagedInputTest.analyze;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code analyze --html FILE} without a browser: the normal report on stdout is the same with it
 * or without, a file that cannot be written is an error naming the option, and the page of a port
 * scan stays the same size for four times the flows (timeline and findings capped, with the
 * number left out said).
 */
class HtmlReportOptionTest {
    static final Path SAMPLE = Path.of("pcaps/mra-sample.pcapng");

    @TempDir
    Path tmp;

    @Test
    void stdoutIsTheSameWithTheHtmlReport() {
        for (String format : new String[]{"text", "json"}) {
            final Run without = analyze("--format", format, "--topology", "pcaps/mra-sample.topology", SAMPLE.toString());
            final Path html = tmp.resolve(format + ".html");
            final Run with = analyze("--format", format, "--topology", "pcaps/mra-sample.topology", "--html", html.toString(),
                    SAMPLE.toString());
            assertEquals(ExitCode.OK, with.exit(), with.err());
            assertEquals(without.out(), with.out(), format);
            assertTrue(Files.isRegularFile(html));
        }
    }

    @Test
    void aFileThatCannotBeWrittenIsAnErrorNamingTheOption() {
        final Path html = tmp.resolve("no-such-dir").resolve("report.html");
        final Run r = analyze("--html", html.toString(), SAMPLE.toString());
        assertEquals(ExitCode.UNREADABLE, r.exit());
        assertEquals("mraflow analyze: --html: cannot write " + html + ": no such directory " + html.getParent() + "\n", r.err());
        assertEquals("", r.out(), "refused before any analysis");
        assertFalse(Files.exists(html));
    }

    @Test
    void aTimelineTooltipHoldsTheFlowThenOneLinePerFinding() throws IOException {
        final Path html = tmp.resolve("sample.html");
        final Run r = analyze("--topology", "pcaps/mra-sample.topology", "--html", html.toString(), SAMPLE.toString());
        assertEquals(ExitCode.OK, r.exit(), r.err());
        final String page = Files.readString(html, StandardCharsets.UTF_8);
        // the flow to port 23 of the sample: undocumented, and its SYN unanswered
        assertTrue(page.contains("<g><title>tcp 198.51.100.200:44124 \u2192 203.0.113.10:23, no row, S0, unknown\n"
                + "medium UNDOCUMENTED: OFFPREM 198.51.100.200:44124 opened TCP towards EXPE_PUBLIC 203.0.113.10:23: "
                + "no row of the MRA port reference fits this flow\nmedium TCP_UNANSWERED: OFFPREM 198.51.100.200:44124 sent SYN"),
                "the tooltip of the unanswered flow, its findings on lines of their own");
        assertFalse(page.contains("\\x0a"), "no line break shown as an escape");
    }

    @Test
    void byPortsAloneThePageSaysThereIsNoTopologyToDraw() throws IOException {
        final Path html = tmp.resolve("ports-only.html");
        final Run r = analyze("--ports-only", "--html", html.toString(), SAMPLE.toString());
        assertEquals(ExitCode.OK, r.exit(), r.err());
        final String page = Files.readString(html, StandardCharsets.UTF_8);
        assertTrue(page.contains("No roles are known"), "the topology section says why there is no picture");
        assertFalse(page.contains("<svg class=\"topology\""));
        assertTrue(page.contains("<svg class=\"timeline\""), "the rest of the page is there");
    }

    @Test
    void thePageOfAScanStaysTheSameSizeForFourTimesTheFlows() throws IOException {
        final Page small = scan(3_000);
        final Page large = scan(12_000);
        assertEquals(3_000 - 300, small.flowsLeftOut());
        assertEquals(12_000 - 300, large.flowsLeftOut());
        // every flow of a scan is an unanswered SYN to an undocumented port: two findings each
        assertEquals(2 * 3_000 - 500, small.findingsLeftOut());
        assertEquals(2 * 12_000 - 500, large.findingsLeftOut());
        assertTrue(large.bytes() < 600_000, "page of 12,000 flows: " + large.bytes() + " bytes");
        assertTrue(Math.abs(large.bytes() - small.bytes()) < 2_000, small.bytes() + " and " + large.bytes() + " bytes");
    }

    private record Page(long bytes, long flowsLeftOut, long findingsLeftOut) {
    }

    private Page scan(final int flows) throws IOException {
        final Path capture = tmp.resolve("scan-" + flows + ".pcap");
        ScanCapture.write(capture, flows);
        final Path html = tmp.resolve("scan-" + flows + ".html");
        final Run r = analyze("--format", "json", "--only", "findings", "--html", html.toString(), capture.toString());
        assertEquals(ExitCode.OK, r.exit(), r.err());
        final String page = Files.readString(html, StandardCharsets.UTF_8);
        return new Page(Files.size(html), number(page, "(\\d+) more flows not drawn"), number(page, "(\\d+) more findings not listed"));
    }

    private static long number(final String page, final String regex) {
        final Matcher m = Pattern.compile(regex).matcher(page);
        assertTrue(m.find(), regex);
        return Long.parseLong(m.group(1));
    }
}
