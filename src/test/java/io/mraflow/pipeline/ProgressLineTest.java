package io.mraflow.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProgressLineTest {

    @Test
    void batchesOfPacketsCountLikeSinglePacketsAndPrintThePercentOfTheFile() throws InterruptedException {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ProgressLine line = new ProgressLine(new PrintStream(out, true, StandardCharsets.UTF_8), true);
        // pcapng: 28 bytes of header, 32 bytes of block overhead per packet
        final long size = 2 * (28 + 70_000L * (32 + 100));
        line.startFile("x.pcapng", size, true);
        Thread.sleep(600); // the line is rewritten at most twice a second
        line.packets(40_000, 40_000L * 100);
        assertEquals("", out.toString(StandardCharsets.UTF_8), "nothing before a 65,536-packet boundary is crossed");
        line.packets(30_000, 30_000L * 100);
        final String printed = out.toString(StandardCharsets.UTF_8);
        assertTrue(printed.startsWith("\rmraflow: 70000 packets, "), printed);
        assertTrue(printed.endsWith(" Mpps, 50% of x.pcapng "), printed);
        line.finish();
        assertTrue(out.toString(StandardCharsets.UTF_8).endsWith(System.lineSeparator()));
    }

    @Test
    void aStreamHasNoSizeSoItsLineGivesPacketsWithoutAPercent() throws InterruptedException {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ProgressLine line = new ProgressLine(new PrintStream(out, true, StandardCharsets.UTF_8), true);
        line.startFile("standard input", ProgressLine.STREAM, false);
        Thread.sleep(600);
        line.packets(70_000, 70_000L * 100);
        final String printed = out.toString(StandardCharsets.UTF_8);
        assertTrue(printed.startsWith("\rmraflow: 70000 packets, "), printed);
        assertTrue(printed.endsWith(" Mpps from standard input "), printed);
    }

    @Test
    void aDisabledLinePrintsNothing() throws InterruptedException {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ProgressLine line = new ProgressLine(new PrintStream(out, true, StandardCharsets.UTF_8), false);
        line.startFile("x.pcap", 1 << 20, false);
        Thread.sleep(600);
        line.packets(100_000, 0);
        for (int i = 0; i < 100_000; i++) {
            line.packet(60);
        }
        line.finish();
        assertEquals("", out.toString(StandardCharsets.UTF_8));
    }
}
