package io.mraflow.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The entry point: what it opens with, what it refuses, what it says about libpcap. */
class CaptureFilesTest {
    @TempDir
    Path dir;

    @Test
    void describeGivesLibpcapsVersion() {
        assertTrue(CaptureFiles.describe().startsWith("libpcap version 1."), CaptureFiles.describe());
    }

    @Test
    void classicPcapIsReadByLibpcap() throws Exception {
        try (PacketSource source = CaptureFiles.open(TestCaptures.capture("arkime/ssh2.pcap"))) {
            assertInstanceOf(LibpcapFileSource.class, source);
        }
    }

    @Test
    void pcapngNamedPcapIsToldApartByContent() throws Exception {
        final CaptureCorpusTest.Read read = CaptureCorpusTest.Read.all(CaptureFiles.open(TestCaptures.capture("ndpi/stun.pcap")));
        assertEquals(201, read.count);
    }

    @Test
    void directoryIsRefused() {
        final CaptureOpenException e = assertThrows(CaptureOpenException.class, () -> CaptureFiles.open(dir));
        assertEquals(dir + ": cannot open at byte 0: not a regular file", e.getMessage());
    }
}
