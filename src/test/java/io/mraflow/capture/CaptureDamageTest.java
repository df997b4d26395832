package io.mraflow.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damaged input, made from real captures in a temporary directory (or the real damaged
 * captures): every packet before the damage is delivered, then reading stops and the message
 * names the file and the exact byte offset where the damaged record or block starts.
 */
class CaptureDamageTest {
    @TempDir
    Path dir;

    @Test
    void emptyFileIsRefusedAtOpenNamingFileOffsetAndReason() throws Exception {
        final Path empty = Files.createFile(dir.resolve("empty.pcap"));
        final CaptureOpenException e = assertThrows(CaptureOpenException.class, () -> CaptureFiles.open(empty));
        assertEquals(empty + ": cannot open at byte 0: empty file", e.getMessage());
        assertEquals(0, e.byteOffset());
    }

    @Test
    void textFileIsRefusedAtOpenWithItsMagicAndLibpcapsText() throws Exception {
        final Path text = dir.resolve("notes.pcap");
        Files.writeString(text, "hello, this is not a capture\n", StandardCharsets.US_ASCII);
        final CaptureOpenException e = assertThrows(CaptureOpenException.class, () -> CaptureFiles.open(text));
        assertTrue(e.getMessage().startsWith(text + ": cannot open at byte 0: not a pcap or pcapng file (magic 0x68656c6c)"),
                e.getMessage());
        assertTrue(e.getMessage().contains("(libpcap: unknown file format)"), e.getMessage());
    }

    @Test
    void missingFileIsRefusedAtOpen() {
        final Path missing = dir.resolve("missing.pcap");
        final CaptureOpenException e = assertThrows(CaptureOpenException.class, () -> CaptureFiles.open(missing));
        assertEquals(missing + ": cannot open at byte 0: no such file", e.getMessage());
    }

    @Test
    void pcapHeaderCutShortIsRefusedAtOpen() throws Exception {
        final Path cut = dir.resolve("header-cut.pcap");
        Files.write(cut, Arrays.copyOf(Files.readAllBytes(TestCaptures.capture("arkime/ssh2.pcap")), 10));
        final CaptureOpenException e = assertThrows(CaptureOpenException.class, () -> CaptureFiles.open(cut));
        assertTrue(e.getMessage().startsWith(cut + ": cannot open at byte 0: pcap file header cut short: 10 of 24 bytes (libpcap: "),
                e.getMessage());
    }

    @Test
    void fileCutInTheMiddleOfARecordDeliversEveryPacketBeforeTheCut() throws Exception {
        final byte[] original = Files.readAllBytes(TestCaptures.capture("arkime/ssh2.pcap"));
        final List<Integer> records = pcapRecordOffsets(original);
        final int cutRecord = 10;
        final int start = records.get(cutRecord);
        final Path cut = dir.resolve("ssh2-cut.pcap");
        Files.write(cut, Arrays.copyOf(original, start + 16 + 20)); // header and 20 bytes of the data
        final Damaged damaged = readToDamage(cut);
        assertEquals(cutRecord, damaged.packets);
        assertDamage(damaged.damage, cut, start, cutRecord);
        assertTrue(damaged.damage.reason().contains("record cut short"), damaged.damage.reason());
        assertTrue(damaged.damage.reason().contains("(libpcap: truncated dump file; tried to read "), damaged.damage.reason());
    }

    @Test
    void fileCutInTheMiddleOfARecordHeaderDeliversEveryPacketBeforeTheCut() throws Exception {
        final byte[] original = Files.readAllBytes(TestCaptures.capture("arkime/ssh2.pcap"));
        final int start = pcapRecordOffsets(original).get(21);
        final Path cut = dir.resolve("ssh2-cut-header.pcap");
        Files.write(cut, Arrays.copyOf(original, start + 5));
        final Damaged damaged = readToDamage(cut);
        assertEquals(21, damaged.packets);
        assertDamage(damaged.damage, cut, start, 21);
        assertTrue(damaged.damage.reason().startsWith("record header cut short: 5 of 16 bytes"), damaged.damage.reason());
    }

    @Test
    void absurdRecordLengthStopsReadingAtThatRecord() throws Exception {
        final byte[] bytes = Files.readAllBytes(TestCaptures.capture("arkime/ssh2.pcap"));
        final int start = pcapRecordOffsets(bytes).get(5);
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(start + 8, 16711424);
        final Path patched = dir.resolve("ssh2-absurd.pcap");
        Files.write(patched, bytes);
        final Damaged damaged = readToDamage(patched);
        assertEquals(5, damaged.packets);
        assertDamage(damaged.damage, patched, start, 5);
        assertTrue(damaged.damage.reason().startsWith("record length 16711424 exceeds the maximum 262144"), damaged.damage.reason());
        assertTrue(damaged.damage.reason().contains("(libpcap: invalid packet capture length 16711424, bigger than snaplen of "),
                damaged.damage.reason());
    }

    /**
     * The real fuzzed file. libpcap reads its first record (188 bytes) and refuses the second,
     * whose header at byte 228 claims 1409179648 captured bytes (tshark, guessing another pcap
     * variant, reads 2 packets).
     */
    @Test
    void suricataFuzzedPcapStopsAfterItsFirstPacketAtByte228() throws Exception {
        final Path fuzz = TestCaptures.capture("suricata-verify/bug-6875-01/fuzz.pcap");
        final Damaged damaged = readToDamage(fuzz);
        assertEquals(1, damaged.packets);
        assertDamage(damaged.damage, fuzz, 228, 1);
        assertEquals("record length 1409179648 exceeds the maximum 262144 (snap length 65535)"
                + " (libpcap: invalid packet capture length 1409179648, bigger than snaplen of 65535)", damaged.damage.reason());
    }

    /** ndpi/fuzz-2021-10-13.pcap: a nanosecond pcap with one packet, then 2 bytes of a record header. */
    @Test
    void truncatedNanosecondPcapDeliversItsPacketThenDamageAtByte237() throws Exception {
        final Path fuzz = TestCaptures.capture("ndpi/fuzz-2021-10-13.pcap");
        final Damaged damaged = readToDamage(fuzz);
        assertEquals(1, damaged.packets);
        assertDamage(damaged.damage, fuzz, 237, 1);
        assertEquals("record header cut short: 2 of 16 bytes before the end of the file"
                + " (libpcap: truncated dump file; tried to read 16 header bytes, only got 2)", damaged.damage.reason());
    }

    @Test
    void pcapngBlockWithABadLengthStopsReadingAtThatBlock() throws Exception {
        final byte[] bytes = Files.readAllBytes(TestCaptures.capture("ndpi/sip_hello.pcapng"));
        final List<Integer> packets = pcapngPacketBlockOffsets(bytes);
        final int start = packets.get(7);
        final ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        buffer.putInt(start + 4, buffer.getInt(start + 4) + 8); // leading length no longer equals the trailing one
        final Path patched = dir.resolve("sip_hello-bad-length.pcapng");
        Files.write(patched, bytes);
        final Damaged damaged = readToDamage(patched);
        assertEquals(7, damaged.packets);
        assertDamage(damaged.damage, patched, start, 7);
        assertTrue(damaged.damage.reason().startsWith("trailing block length "), damaged.damage.reason());
        assertTrue(damaged.damage.reason().contains("(libpcap: "), damaged.damage.reason());
    }

    @Test
    void pcapngBlockLengthRunningPastTheFileStopsReadingAtThatBlock() throws Exception {
        final byte[] bytes = Files.readAllBytes(TestCaptures.capture("ndpi/sip_hello.pcapng"));
        final int start = pcapngPacketBlockOffsets(bytes).get(12);
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(start + 4, 0x00FF0000);
        final Path patched = dir.resolve("sip_hello-huge-length.pcapng");
        Files.write(patched, bytes);
        final Damaged damaged = readToDamage(patched);
        assertEquals(12, damaged.packets);
        assertDamage(damaged.damage, patched, start, 12);
        assertTrue(damaged.damage.reason().startsWith("block length 16711680 runs past the end of the file"), damaged.damage.reason());
    }

    @Test
    void pcapngCutInTheMiddleOfABlockDeliversEveryPacketBeforeTheCut() throws Exception {
        final byte[] original = Files.readAllBytes(TestCaptures.capture("ndpi/sip_hello.pcapng"));
        final int start = pcapngPacketBlockOffsets(original).get(20);
        final Path cut = dir.resolve("sip_hello-cut.pcapng");
        Files.write(cut, Arrays.copyOf(original, start + 40));
        final Damaged damaged = readToDamage(cut);
        assertEquals(20, damaged.packets);
        assertDamage(damaged.damage, cut, start, 20);
    }

    /** The Java reader gives the same offsets as the libpcap path on the same damage. */
    @Test
    void javaPcapngReaderReportsTheSameDamage() throws Exception {
        final byte[] bytes = Files.readAllBytes(TestCaptures.capture("ndpi/sip_hello.pcapng"));
        final int start = pcapngPacketBlockOffsets(bytes).get(3);
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(start + 4, 13);
        final Path patched = dir.resolve("sip_hello-odd-length.pcapng");
        Files.write(patched, bytes);
        final Damaged damaged = readToDamage(new PcapngFileSource(patched));
        assertEquals(3, damaged.packets);
        assertDamage(damaged.damage, patched, start, 3);
        assertEquals("block length 13 is not a multiple of 4", damaged.damage.reason());
    }

    @Test
    void undamagedFileHasNoDamage() throws Exception {
        final Damaged read = readToDamage(TestCaptures.capture("arkime/ssh2.pcap"));
        assertEquals(22, read.packets);
        assertNull(read.damage);
    }

    private static void assertDamage(CaptureDamage damage, Path file, long offset, long packetsBefore) {
        assertNotNull(damage, "damage");
        assertEquals(file.toString(), damage.source());
        assertEquals(offset, damage.byteOffset(), damage::message);
        assertEquals(packetsBefore, damage.packetsRead());
        assertTrue(damage.message().startsWith(file + ": damaged at byte " + offset + " after " + packetsBefore + " packets: "),
                damage.message());
    }

    record Damaged(long packets, CaptureDamage damage) {
    }

    private static Damaged readToDamage(Path file) throws Exception {
        return readToDamage(CaptureFiles.open(file));
    }

    private static Damaged readToDamage(PacketSource source) {
        try (source) {
            final CapturedPacket packet = new CapturedPacket();
            long packets = 0;
            while (source.next(packet)) {
                packets++;
            }
            assertTrue(!source.next(packet), "stays stopped");
            return new Damaged(packets, source.damage());
        }
    }

    /** Start of every record of a little-endian classic pcap with 16-byte record headers. */
    static List<Integer> pcapRecordOffsets(byte[] file) {
        final ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(0xA1B2C3D4, b.getInt(0), "a little-endian microsecond pcap");
        final List<Integer> offsets = new ArrayList<>();
        for (int at = 24; at < file.length; at += 16 + b.getInt(at + 8)) {
            offsets.add(at);
        }
        return offsets;
    }

    /** Start of every Enhanced Packet Block of a little-endian pcapng. */
    static List<Integer> pcapngPacketBlockOffsets(byte[] file) {
        final ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(0x1A2B3C4D, b.getInt(8), "a little-endian pcapng");
        final List<Integer> offsets = new ArrayList<>();
        for (int at = 0; at < file.length; at += b.getInt(at + 4)) {
            if (b.getInt(at) == 6) {
                offsets.add(at);
            }
        }
        return offsets;
    }
}
