package io.mraflow.capture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * zeek/ldap/gap-data-missing.pcapng: 126 interfaces (a mergecap of 93 files), of different snap
 * lengths and link types; all 18 packets are on interface 48 (Ethernet). libpcap 1.10 refuses it
 * when it reaches the second interface; {@link CaptureFiles#open} then reads it in Java.
 */
class GapDataMissingTest {
    private static final String FILE = "zeek/ldap/gap-data-missing.pcapng";

    @Test
    void libpcapAloneRefusesTheFileForItsInterfaces() throws Exception {
        try (LibpcapFileSource libpcap = LibpcapFileSource.open(TestCaptures.capture(FILE))) {
            final CapturedPacket packet = new CapturedPacket();
            assertTrue(!libpcap.next(packet));
            assertNotNull(libpcap.damage());
            assertEquals("an interface has a snapshot length 8192 different from the snapshot length of the first interface",
                    libpcap.libpcapError());
            assertTrue(libpcap.damage().byteOffset() >= 0, libpcap.damage().message());
        }
    }

    @Test
    void captureFilesReadsAllEighteenPacketsWithTsharksLinkTypesAndTimestamps() throws Exception {
        final TestCaptures.Capture tshark = TestCaptures.all().stream()
                .filter(c -> c.file().equals(FILE)).findFirst().orElseThrow();
        final Path path = TestCaptures.capture(FILE);
        final CaptureCorpusTest.Read read = CaptureCorpusTest.Read.all(CaptureFiles.open(path));
        assertNull(read.damage);
        assertEquals(18, read.count);
        assertArrayEquals(TestCaptures.linkTypesOfRuns(tshark.encapRuns()), read.linkTypes);
        for (int linkType : read.linkTypes) {
            assertEquals(LinkType.EN10MB, linkType);
        }
        assertEquals(TestCaptures.epochNanos(tshark.tsharkFirst()), read.firstNanos);
        assertEquals(TestCaptures.epochNanos(tshark.tsharkLast()), read.lastNanos);
    }
}
