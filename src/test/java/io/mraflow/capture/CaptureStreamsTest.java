package io.mraflow.capture;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A capture read as a stream gives what the same bytes give as a file: the same packets (time,
 * lengths, link type, bytes) and the same damage offset after the same packets. The streams here
 * hand over their bytes a few at a time and the readers start with a tiny buffer, so that every
 * record crosses a read and the buffer is moved and grown many times.
 */
class CaptureStreamsTest {
    private static final int TINY_BUFFER = 64;

    @TempDir
    Path dir;

    static Stream<Arguments> corpus() {
        final List<Arguments> all = new ArrayList<>();
        for (TestCaptures.Capture c : TestCaptures.all()) {
            all.add(Arguments.of(c.file(), c.path()));
        }
        all.add(Arguments.of("mra-sample.pcapng", Path.of("pcaps/mra-sample.pcapng")));
        return all.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void everyCaptureReadsAsAStreamAsItReadsAsAFile(String name, Path file) throws Exception {
        assertSameAsFile(file, Files.readAllBytes(file), 997);
    }

    /** Packets cut to 120 bytes, so that the captured and wire lengths differ and their order shows. */
    @Test
    void allClassicPcapVariantsReadAsLibpcapReadsThem() throws Exception {
        final List<PcapngBytes.Packet> packets = new ArrayList<>();
        for (PcapngBytes.Packet p : PcapngBytes.packetsOf(TestCaptures.capture("ndpi/sip.pcap"))) {
            packets.add(new PcapngBytes.Packet(p.tsNanos(), p.wireLen(), Arrays.copyOf(p.bytes(), Math.min(120, p.bytes().length)), p.linkType()));
        }
        for (ByteOrder order : List.of(ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN)) {
            for (PcapBytes.Magic magic : PcapBytes.Magic.values()) {
                for (int minor : new int[] {2, 3, 4}) {
                    final byte[] bytes = PcapBytes.file(order, magic, minor, LinkType.EN10MB, 262144, packets);
                    final String variant = order + "-" + magic + "-2." + minor;
                    final Path file = Files.write(dir.resolve(variant + ".pcap"), bytes);
                    assertEquals(packets.size(), assertSameAsFile(file, bytes, 13), variant);
                }
            }
        }
    }

    /** libpcap cuts a record longer than the file's snap length to it; so does the stream reader. */
    @Test
    void recordsLongerThanTheSnapLengthAreCutToIt() throws Exception {
        final List<PcapngBytes.Packet> packets = PcapngBytes.packetsOf(TestCaptures.capture("ndpi/sip.pcap"));
        final byte[] bytes = PcapBytes.file(ByteOrder.BIG_ENDIAN, PcapBytes.Magic.NANOSECONDS, 4, LinkType.EN10MB, 200, packets);
        final Path file = Files.write(dir.resolve("snap-200.pcap"), bytes);
        assertSameAsFile(file, bytes, 13);
        try (PacketSource stream = stream(bytes, 4096)) {
            final CapturedPacket p = new CapturedPacket();
            for (PcapngBytes.Packet expected : packets) {
                assertTrue(stream.next(p));
                assertEquals(Math.min(200, expected.bytes().length), p.capLen);
                assertEquals(expected.wireLen(), p.wireLen);
            }
        }
    }

    @Test
    void rawIpLinkTypeIsGivenAsLibpcapGivesIt() throws Exception {
        final Path raw = TestCaptures.capture("zeek/sip/sip-long-request-response-paths.pcap");
        assertSameAsFile(raw, Files.readAllBytes(raw), 997);
        final List<PcapngBytes.Packet> packets = PcapngBytes.packetsOf(raw);
        for (int linkType : new int[] {LinkType.RAW, 12}) {
            final byte[] bytes = PcapBytes.file(ByteOrder.LITTLE_ENDIAN, PcapBytes.Magic.MICROSECONDS, 4, linkType, 65535, packets);
            final Path file = Files.write(dir.resolve("raw-" + linkType + ".pcap"), bytes);
            assertSameAsFile(file, bytes, 997);
        }
    }

    /** Cut anywhere, a stream stops where the file stops: same offset, same packets before it. */
    @Test
    void truncatedStreamsReportTheDamageWhereTheFilePathDoes() throws Exception {
        for (Path capture : List.of(TestCaptures.capture("arkime/ssh2.pcap"), TestCaptures.capture("ndpi/sip_hello.pcapng"))) {
            final byte[] whole = Files.readAllBytes(capture);
            for (int cut = 5; cut < whole.length; cut += 97) {
                final byte[] bytes = Arrays.copyOf(whole, cut);
                final Path file = Files.write(dir.resolve("cut-" + cut + "-" + capture.getFileName()), bytes);
                assertSameAsFile(file, bytes, 13);
            }
        }
    }

    @Test
    void damageNamesTheStreamAndTheOffset() throws Exception {
        final byte[] whole = Files.readAllBytes(TestCaptures.capture("arkime/ssh2.pcap"));
        final byte[] cut = Arrays.copyOf(whole, 1000);
        final Read read = Read.all(CaptureStreams.open(new TrickleChannel(cut, 4096), "standard input"));
        assertNotNull(read.damage);
        assertTrue(read.damage.message().matches("standard input: damaged at byte \\d+ after " + read.count
                + " packets: record cut short: \\d+ captured bytes announced, \\d+ left in the stream"), read.damage.message());
    }

    @Test
    void notACaptureIsRefusedAtByteZero() {
        final CaptureOpenException text = assertThrows(CaptureOpenException.class,
                () -> CaptureStreams.open(new TrickleChannel("hello, this is not a capture\n".getBytes(StandardCharsets.US_ASCII), 7), "standard input"));
        assertEquals("standard input: cannot open at byte 0: not a pcap or pcapng file (magic 0x68656c6c)", text.getMessage());
        final CaptureOpenException empty = assertThrows(CaptureOpenException.class,
                () -> CaptureStreams.open(new TrickleChannel(new byte[0], 7), "standard input"));
        assertEquals("standard input: cannot open at byte 0: empty stream", empty.getMessage());
    }

    @Test
    void aCutPcapFileHeaderIsRefusedAtByteZero() throws Exception {
        final byte[] head = Arrays.copyOf(Files.readAllBytes(TestCaptures.capture("arkime/ssh2.pcap")), 10);
        final CaptureOpenException e = assertThrows(CaptureOpenException.class, () -> CaptureStreams.open(new TrickleChannel(head, 3), "s"));
        assertEquals("s: cannot open at byte 0: pcap file header cut short: 10 of 24 bytes", e.getMessage());
    }

    /** Reads {@code bytes} both ways, packet by packet; returns the packet count. */
    private static int assertSameAsFile(Path file, byte[] bytes, int chunk) throws Exception {
        PacketSource fromFile;
        try {
            fromFile = CaptureFiles.open(file);
        } catch (CaptureOpenException refused) {
            final CaptureOpenException e = assertThrows(CaptureOpenException.class, () -> stream(bytes, chunk), file::toString);
            assertEquals(refused.byteOffset(), e.byteOffset(), file.toString());
            return 0;
        }
        int packet = 0;
        try (PacketSource a = fromFile; PacketSource b = stream(bytes, chunk)) {
            final CapturedPacket pa = new CapturedPacket();
            final CapturedPacket pb = new CapturedPacket();
            while (a.next(pa)) {
                packet++;
                final String what = file.getFileName() + " packet " + packet;
                assertTrue(b.next(pb), what + ": the stream ended early: " + (b.damage() == null ? "" : b.damage().message()));
                assertEquals(pa.tsNanos, pb.tsNanos, what + " time");
                assertEquals(pa.capLen, pb.capLen, what + " captured length");
                assertEquals(pa.wireLen, pb.wireLen, what + " length");
                assertEquals(pa.linkType, pb.linkType, what + " link type");
                assertArrayEquals(bytes(pa), bytes(pb), what + " bytes");
            }
            assertFalse(b.next(pb), file.getFileName() + ": the stream has more packets");
            final CaptureDamage da = a.damage();
            final CaptureDamage db = b.damage();
            if (da == null) {
                assertNull(db, () -> db.message());
            } else {
                assertNotNull(db, () -> "no damage in the stream; the file says " + da.message());
                assertEquals(da.byteOffset(), db.byteOffset(), () -> da.message() + " / " + db.message());
                assertEquals(da.packetsRead(), db.packetsRead(), () -> da.message() + " / " + db.message());
            }
        }
        return packet;
    }

    private static PacketSource stream(byte[] bytes, int chunk) throws CaptureOpenException {
        return CaptureStreams.open(new TrickleChannel(bytes, chunk), "stream", TINY_BUFFER);
    }

    private static byte[] bytes(CapturedPacket p) {
        final byte[] b = new byte[p.capLen];
        p.bytes.getBytes(0, b);
        return b;
    }

    /** A pipe's way of handing bytes over: at most {@code chunk} per read. */
    static final class TrickleChannel implements ReadableByteChannel {
        private final byte[] bytes;
        private final int chunk;
        private int at;
        private boolean open = true;

        TrickleChannel(byte[] bytes, int chunk) {
            this.bytes = bytes;
            this.chunk = chunk;
        }

        @Override
        public int read(ByteBuffer dst) {
            if (at == bytes.length) {
                return -1;
            }
            final int n = Math.min(Math.min(chunk, dst.remaining()), bytes.length - at);
            dst.put(bytes, at, n);
            at += n;
            return n;
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public void close() {
            open = false;
        }
    }

    private static final class Read {
        int count;
        CaptureDamage damage;

        static Read all(PacketSource source) {
            final Read read = new Read();
            try (source) {
                final CapturedPacket p = new CapturedPacket();
                while (source.next(p)) {
                    read.count++;
                }
                read.damage = source.damage();
            }
            return read;
        }
    }
}
