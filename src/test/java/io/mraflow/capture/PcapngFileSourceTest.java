package io.mraflow.capture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java pcapng reader on the variants the corpus lacks, written from real packets by
 * {@link PcapngBytes}: big-endian sections, binary timestamp resolutions, if_tsoffset, Simple and
 * obsolete Packet Blocks, several sections with different link types (which libpcap refuses).
 */
class PcapngFileSourceTest {
    private static final String SLL = "ndpi/rtcp_multiple_pkts_in_the_same_datagram.pcap";

    @TempDir
    Path dir;

    @Test
    void bigEndianSectionReadsTheSamePacketsAsLibpcap() throws Exception {
        final List<PcapngBytes.Packet> packets = PcapngBytes.packetsOf(TestCaptures.capture(SLL));
        final Path file = write("big-endian.pcapng",
                PcapngBytes.section(ByteOrder.BIG_ENDIAN, LinkType.LINUX_SLL, 65535, 6, 0, PcapngBytes.Block.ENHANCED, packets));
        assertSamePackets(packets, file);
        assertSameAsLibpcap(file);
    }

    @Test
    void binaryTimestampResolutionConvertsAsLibpcapDoes() throws Exception {
        final List<PcapngBytes.Packet> packets = PcapngBytes.packetsOf(TestCaptures.capture(SLL));
        final Path file = write("binary-resolution.pcapng",
                PcapngBytes.section(ByteOrder.LITTLE_ENDIAN, LinkType.LINUX_SLL, 65535, 0x80 | 20, 0, PcapngBytes.Block.ENHANCED, packets));
        assertSameAsLibpcap(file);
        try (PacketSource java = new PcapngFileSource(file)) {
            final CapturedPacket p = new CapturedPacket();
            for (PcapngBytes.Packet expected : packets) {
                assertTrue(java.next(p));
                assertTrue(Math.abs(p.tsNanos - expected.tsNanos()) < 1000, "2^-20 s is finer than the microseconds written");
            }
        }
    }

    @Test
    void timestampOffsetIsAdded() throws Exception {
        final List<PcapngBytes.Packet> packets = PcapngBytes.packetsOf(TestCaptures.capture(SLL));
        final Path file = write("tsoffset.pcapng",
                PcapngBytes.section(ByteOrder.LITTLE_ENDIAN, LinkType.LINUX_SLL, 65535, 9, 1_000_000, PcapngBytes.Block.ENHANCED, packets));
        assertSamePackets(packets, file);
        assertSameAsLibpcap(file);
    }

    @Test
    void obsoletePacketBlocksReadLikeEnhancedOnes() throws Exception {
        final List<PcapngBytes.Packet> packets = PcapngBytes.packetsOf(TestCaptures.capture(SLL));
        final Path file = write("packet-blocks.pcapng",
                PcapngBytes.section(ByteOrder.BIG_ENDIAN, LinkType.LINUX_SLL, 65535, 6, 0, PcapngBytes.Block.OBSOLETE, packets));
        assertSamePackets(packets, file);
        assertSameAsLibpcap(file);
    }

    @Test
    void simplePacketBlocksHaveBytesAndNoTimestamp() throws Exception {
        final List<PcapngBytes.Packet> packets = PcapngBytes.packetsOf(TestCaptures.capture(SLL));
        final Path file = write("simple-blocks.pcapng",
                PcapngBytes.section(ByteOrder.LITTLE_ENDIAN, LinkType.LINUX_SLL, 65535, 6, 0, PcapngBytes.Block.SIMPLE, packets));
        assertSameAsLibpcap(file);
        try (PacketSource java = new PcapngFileSource(file)) {
            final CapturedPacket p = new CapturedPacket();
            for (PcapngBytes.Packet expected : packets) {
                assertTrue(java.next(p));
                assertEquals(0, p.tsNanos);
                assertArrayEquals(expected.bytes(), bytes(p));
            }
            assertFalse(java.next(p));
        }
    }

    /**
     * A real pcapng (Ethernet) followed by a second section of Linux cooked captures: libpcap reads
     * the first section's 30 packets and then refuses the second section's interface;
     * {@link CaptureFiles#open} continues in Java from packet 31 with the second link type.
     */
    @Test
    void sectionsWithDifferentLinkTypesAreReadThroughTheFallback() throws Exception {
        final Path ethernet = TestCaptures.capture("ndpi/sip_hello.pcapng");
        final List<PcapngBytes.Packet> first = PcapngBytes.packetsOf(ethernet);
        final List<PcapngBytes.Packet> second = PcapngBytes.packetsOf(TestCaptures.capture(SLL));
        final ByteArrayOutputStream both = new ByteArrayOutputStream();
        both.writeBytes(Files.readAllBytes(ethernet));
        both.writeBytes(PcapngBytes.section(ByteOrder.LITTLE_ENDIAN, LinkType.LINUX_SLL, 65535, 6, 0, PcapngBytes.Block.ENHANCED, second));
        final Path file = write("two-sections.pcapng", both.toByteArray());

        try (LibpcapFileSource libpcap = LibpcapFileSource.open(file)) {
            final CapturedPacket p = new CapturedPacket();
            int read = 0;
            while (libpcap.next(p)) {
                read++;
            }
            assertEquals(30, read);
            assertEquals("an interface has a type 113 different from the type of the first interface", libpcap.libpcapError());
        }
        try (PacketSource source = CaptureFiles.open(file)) {
            final CapturedPacket p = new CapturedPacket();
            for (List<PcapngBytes.Packet> section : List.of(first, second)) {
                for (PcapngBytes.Packet expected : section) {
                    assertTrue(source.next(p));
                    assertEquals(expected.linkType(), p.linkType);
                    assertEquals(expected.tsNanos(), p.tsNanos);
                    assertArrayEquals(expected.bytes(), bytes(p));
                }
            }
            assertFalse(source.next(p));
            assertNull(source.damage());
        }
    }

    /**
     * libpcap 1.10 reads the block header of a new section in the previous section's byte order,
     * so a big-endian section after a little-endian one stops it with a misleading "pcapng block
     * size 469762048 > maximum 16777216". {@link CaptureFiles#open} goes on in Java from there.
     */
    @Test
    void sectionInTheOtherByteOrderStopsLibpcapButNotTheJavaReader() throws Exception {
        final Path ethernet = TestCaptures.capture("ndpi/sip_hello.pcapng");
        final ByteArrayOutputStream both = new ByteArrayOutputStream();
        both.writeBytes(Files.readAllBytes(ethernet));
        both.writeBytes(PcapngBytes.section(ByteOrder.BIG_ENDIAN, LinkType.LINUX_SLL, 65535, 6, 0, PcapngBytes.Block.ENHANCED,
                PcapngBytes.packetsOf(TestCaptures.capture(SLL))));
        final Path file = write("two-byte-orders.pcapng", both.toByteArray());
        try (LibpcapFileSource libpcap = LibpcapFileSource.open(file)) {
            final CaptureCorpusTest.Read alone = CaptureCorpusTest.Read.all(libpcap);
            assertEquals(30, alone.count);
            assertEquals("pcapng block size 469762048 > maximum 16777216", libpcap.libpcapError());
        }
        final CaptureCorpusTest.Read viaCaptureFiles = CaptureCorpusTest.Read.all(CaptureFiles.open(file));
        assertEquals(35, viaCaptureFiles.count);
        assertNull(viaCaptureFiles.damage);
        final CaptureCorpusTest.Read viaJava = CaptureCorpusTest.Read.all(new PcapngFileSource(file));
        assertEquals(35, viaJava.count);
        assertNull(viaJava.damage);
    }

    @Test
    void aFileThatIsNotPcapngIsRefused() throws Exception {
        final CaptureOpenException e = org.junit.jupiter.api.Assertions.assertThrows(CaptureOpenException.class,
                () -> new PcapngFileSource(TestCaptures.capture("arkime/ssh2.pcap")));
        assertTrue(e.getMessage().contains("not a pcapng file"), e.getMessage());
    }

    private Path write(String name, byte[] bytes) throws Exception {
        final Path file = dir.resolve(name);
        Files.write(file, bytes);
        return file;
    }

    private static void assertSamePackets(List<PcapngBytes.Packet> expected, Path file) throws Exception {
        try (PacketSource java = new PcapngFileSource(file)) {
            final CapturedPacket p = new CapturedPacket();
            for (PcapngBytes.Packet e : expected) {
                assertTrue(java.next(p));
                assertEquals(e.tsNanos(), p.tsNanos);
                assertEquals(e.wireLen(), p.wireLen);
                assertEquals(e.linkType(), p.linkType);
                assertArrayEquals(e.bytes(), bytes(p));
            }
            assertFalse(java.next(p));
            assertNull(java.damage());
        }
    }

    /** Java reader and libpcap agree packet by packet on a file libpcap can read. */
    private static void assertSameAsLibpcap(Path file) throws Exception {
        try (PacketSource libpcap = LibpcapFileSource.open(file); PacketSource java = new PcapngFileSource(file)) {
            final CapturedPacket a = new CapturedPacket();
            final CapturedPacket b = new CapturedPacket();
            int packet = 0;
            while (libpcap.next(a)) {
                packet++;
                assertTrue(java.next(b), "java ended at " + packet);
                assertEquals(a.tsNanos, b.tsNanos, "timestamp of " + packet);
                assertEquals(a.capLen, b.capLen, "caplen of " + packet);
                assertEquals(a.wireLen, b.wireLen, "len of " + packet);
                assertEquals(a.linkType, b.linkType, "link type of " + packet);
                assertArrayEquals(bytes(a), bytes(b), "bytes of " + packet);
            }
            assertNull(libpcap.damage(), () -> libpcap.damage().message());
            assertFalse(java.next(b));
            assertTrue(packet > 0);
        }
    }

    private static byte[] bytes(CapturedPacket p) {
        final byte[] bytes = new byte[p.capLen];
        p.bytes.getBytes(0, bytes);
        return bytes;
    }
}
