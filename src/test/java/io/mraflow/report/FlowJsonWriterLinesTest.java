package io.mraflow.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mraflow.cli.ExitCode;
import io.mraflow.cli.Main;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * JSON lines are one object per line and nothing else: a capture without flows gives the diagnosis
 * and summary lines alone (it gave one blank line, which a line-by-line JSON reader rejects), and
 * a line ends every flow.
 */
class FlowJsonWriterLinesTest {

    @Test
    void noFlowWritesNoLine() {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        new FlowJsonWriter(out).close();
        assertEquals(0, out.size());
    }

    @Test
    void captureWithoutPacketsPrintsOnlyTheDiagnosisAndSummaryLines() {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ExitCode exit = analyze("arkime/empty.pcap", out);
        assertEquals(ExitCode.OK, exit);
        final String[] lines = out.toString(StandardCharsets.UTF_8).split("\n", -1);
        assertEquals(3, lines.length, String.join("\n", lines));
        assertTrue(lines[0].startsWith("{\"event_type\":\"diagnosis\",") && lines[0].contains("\"first_failing\":null"), lines[0]);
        assertTrue(lines[1].startsWith("{\"event_type\":\"summary\",") && lines[1].endsWith("}"), lines[1]);
        assertEquals("", lines[2], "the last line is ended");
    }

    @Test
    void everyFlowIsOneObjectOnALineOfItsOwn() {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        analyze("arkime/stun.pcap", out);
        final String[] lines = out.toString(StandardCharsets.UTF_8).split("\n", -1);
        assertTrue(lines.length >= 2, "at least one flow");
        assertEquals("", lines[lines.length - 1], "the last line is ended");
        for (int i = 0; i < lines.length - 3; i++) {
            assertTrue(lines[i].startsWith("{\"event_type\":\"flow\",\"ts\":") && lines[i].endsWith("}"), lines[i]);
        }
        assertTrue(lines[lines.length - 3].startsWith("{\"event_type\":\"diagnosis\","), "the diagnosis after the flows");
        assertTrue(lines[lines.length - 2].startsWith("{\"event_type\":\"summary\","), "the summary ends the lines");
    }

    private static ExitCode analyze(final String capture, final ByteArrayOutputStream out) {
        return Main.run(new String[] {"analyze", "--format", "json", "src/test/resources/captures/" + capture},
            new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    }
}
