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
 * JSON lines are one object per line and nothing else: a capture without flows gives no line at
 * all (it gave one blank line, which a line-by-line JSON reader rejects), and a line ends every flow.
 */
class FlowJsonWriterLinesTest {

    @Test
    void noFlowWritesNoLine() {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        new FlowJsonWriter(out).close();
        assertEquals(0, out.size());
    }

    @Test
    void captureWithoutPacketsPrintsNothingOnStandardOutput() {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final int exit = Main.run(new String[] {"analyze", "--format", "json", "src/test/resources/captures/arkime/empty.pcap"},
            new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        assertEquals(ExitCode.OK, exit);
        assertEquals("", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void everyFlowIsOneObjectOnALineOfItsOwn() {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        Main.run(new String[] {"analyze", "--format", "json", "src/test/resources/captures/arkime/stun.pcap"},
            new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        final String[] lines = out.toString(StandardCharsets.UTF_8).split("\n", -1);
        assertTrue(lines.length >= 2, "at least one flow");
        assertEquals("", lines[lines.length - 1], "the last line is ended");
        for (int i = 0; i < lines.length - 1; i++) {
            assertTrue(lines[i].startsWith("{\"ts\":") && lines[i].endsWith("}"), lines[i]);
        }
    }
}
