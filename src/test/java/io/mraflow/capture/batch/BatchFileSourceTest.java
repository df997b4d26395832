package io.mraflow.capture.batch;

import io.mraflow.capture.CaptureDamage;
import io.mraflow.capture.CapturedPacket;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class BatchFileSourceTest {
    /** Captures libpcap refuses to open, with a part of the reason it must give. */
    static final Map<String, String> REFUSED = Map.of();
    /**
     * Damaged captures: how many packets libpcap reads before the damage (tshark, which wrote the
     * golden files, may read more), and a part of libpcap's message.
     */
    static final Map<String, Damaged> DAMAGED = Map.of(
        // libpcap opens it, then refuses the second interface block at the first read
        "zeek/ldap/gap-data-missing.pcapng",
        new Damaged(0, "an interface has a snapshot length 8192 different from the snapshot length of the first interface"),
        // the second record's length is garbage: tshark reads it anyway, libpcap stops
        "suricata-verify/bug-6875-01/fuzz.pcap", new Damaged(1, "invalid packet capture length 1409179648"),
        "ndpi/fuzz-2021-10-13.pcap", new Damaged(1, "truncated dump file; tried to read 16 header bytes, only got 2"));
    /** Single packets libpcap reports differently from tshark, each checked with tcpdump or by hand. */
    static final Map<String, Consumer<GoldenCapture>> LIBPCAP_READS_DIFFERENTLY = Map.of(
        // the file header's snapshot length is 1: libpcap cuts the record's captured length 8 to it
        "zeek/trunc/trunc-hdr.pcap", g -> {
            g.capLen()[0] = 1;
            g.md5()[0] = "93b885adfe0da089cdf634904fd59f71"; // MD5 of the one byte 0x00 left
        },
        // tshark's frame.md5_hash is not the MD5 of this record's 188 bytes (file offset 40 on),
        // which is this one, as computed from the file directly
        "suricata-verify/bug-6875-01/fuzz.pcap", g -> g.md5()[0] = "2e0689841bbd933334b518163a6e13b5",
        // a nanosecond fraction of 1,882,137,472 (out of range): libpcap adds it as it is
        "ndpi/fuzz-2021-10-13.pcap", g -> g.tsNanos()[0] = 980_658_802L * 1_000_000_000L + 1_882_137_472L);

    record Damaged(int packets, String reasonContains) {
    }

    /** Skips each test, with the reason in the report, only when the library could not be built or loaded. */
    @BeforeEach
    void nativeLibraryBuilt() {
        assumeTrue(NativeBatch.isAvailable(), () -> "native batch reader not built: " + NativeBatch.unavailableReason());
    }

    /**
     * Every capture, read four ways: big batches, one packet per batch, a buffer that fits the
     * largest record exactly (so often one record per batch), and whole batches of at most 100
     * packets into a 64 KiB buffer the caller owns, walked with {@link BatchRecordDescriptor}.
     */
    static Stream<Arguments> capturesAndBatchShapes() {
        return GoldenCapture.names().stream().flatMap(name -> Stream.of(
            Arguments.of(name, "default buffer", BatchFileSource.DEFAULT_CAPACITY, Integer.MAX_VALUE),
            Arguments.of(name, "max_packets=1", BatchFileSource.DEFAULT_CAPACITY, 1),
            Arguments.of(name, "exactly fitting buffer", -1, Integer.MAX_VALUE),
            Arguments.of(name, "nextBatch into caller buffers", -2, 100)));
    }

    /**
     * The golden file adjusted to what libpcap reads: the differences listed above. Classic pcap
     * seconds are unsigned, as tshark reads them (libpcap itself sign-extends them; the native
     * reader corrects that): {@code heplify/sip_ipv6_udp.pcap} has a packet dated 2092.
     */
    static GoldenCapture expectedFromLibpcap(final String name) throws IOException {
        final GoldenCapture golden = GoldenCapture.load(name);
        LIBPCAP_READS_DIFFERENTLY.getOrDefault(name, g -> { }).accept(golden);
        return golden;
    }

    @ParameterizedTest(name = "{0} ({1})")
    @MethodSource("capturesAndBatchShapes")
    void readsEveryPacketAsTsharkDoes(final String name, final String shape, final int capacity, final int maxPackets)
        throws IOException {
        final GoldenCapture golden = expectedFromLibpcap(name);
        if (REFUSED.containsKey(name)) {
            final IOException e = assertThrows(IOException.class,
                () -> BatchFileSource.open(golden.file(), BatchFileSource.DEFAULT_CAPACITY, maxPackets));
            assertTrue(e.getMessage().contains("libpcap cannot read it: " + REFUSED.get(name)), e.getMessage());
            return;
        }
        final Damaged damaged = DAMAGED.get(name);
        final int expected = damaged != null ? damaged.packets() : golden.packets();
        final int bytes = capacity > 0 ? capacity : capacity == -1 ? golden.largestRecord() : BatchFileSource.DEFAULT_CAPACITY;
        try (BatchFileSource source = BatchFileSource.open(golden.file(), bytes, maxPackets)) {
            final CapturedPacket p = new CapturedPacket();
            final PacketReader reader = capacity == -2 ? new BatchWalker(source, 64 << 10, maxPackets) : source::next;
            int i = 0;
            while (reader.next(p)) {
                assertTrue(i < expected, name + ": more packets than " + expected);
                assertEquals(golden.tsNanos()[i], p.tsNanos, name + " packet " + (i + 1) + " timestamp");
                assertEquals(golden.capLen()[i], p.capLen, name + " packet " + (i + 1) + " captured length");
                assertEquals(golden.wireLen()[i], p.wireLen, name + " packet " + (i + 1) + " wire length");
                assertEquals(golden.linkType()[i], p.linkType, name + " packet " + (i + 1) + " link type");
                assertEquals(p.capLen, p.bytes.capacity());
                assertEquals(golden.md5()[i], md5(p), name + " packet " + (i + 1) + " bytes");
                i++;
            }
            assertEquals(expected, i, name + ": packets read");
            assertEquals(expected, source.packetsRead());
            if (damaged == null) {
                assertNull(source.damage(), () -> name + ": " + source.damage().message());
            } else {
                final CaptureDamage d = source.damage();
                assertNotNull(d, name + ": damage not reported");
                assertEquals(expected, d.packetsRead());
                assertTrue(d.reason().contains(damaged.reasonContains()), d.reason());
                assertTrue(d.byteOffset() > 0, d.message());
            }
            assertTrue(!reader.next(p), "reading after the end stays false");
        }
    }

    static String md5(final CapturedPacket p) {
        final byte[] bytes = new byte[p.capLen];
        p.bytes.getBytes(0, bytes);
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    interface PacketReader {
        boolean next(CapturedPacket out);
    }

    /** Reads a source through {@link BatchFileSource#nextBatch}, walking each batch as a pipeline worker would. */
    static final class BatchWalker implements PacketReader {
        private final BatchFileSource source;
        private final UnsafeBuffer batch;
        private final int maxPackets;
        private int count;
        private int index;
        private int offset;

        BatchWalker(final BatchFileSource source, final int capacity, final int maxPackets) {
            this.source = source;
            this.batch = new UnsafeBuffer(ByteBuffer.allocateDirect(capacity));
            this.maxPackets = maxPackets;
        }

        @Override
        public boolean next(final CapturedPacket out) {
            if (index == count) {
                count = source.nextBatch(batch, maxPackets);
                index = 0;
                offset = 0;
                if (count == 0) {
                    return false;
                }
            }
            out.tsNanos = batch.getLong(BatchRecordDescriptor.timestampOffset(offset));
            out.capLen = batch.getInt(BatchRecordDescriptor.capturedLengthOffset(offset));
            out.wireLen = batch.getInt(BatchRecordDescriptor.wireLengthOffset(offset));
            out.linkType = batch.getInt(BatchRecordDescriptor.linkTypeOffset(offset));
            out.bytes.wrap(batch, BatchRecordDescriptor.dataOffset(offset), out.capLen);
            final int length = batch.getInt(BatchRecordDescriptor.recordLengthOffset(offset));
            assertEquals(BatchRecordDescriptor.recordLength(out.capLen), length, "record length");
            assertEquals(0, length % BatchRecordDescriptor.ALIGNMENT);
            offset += length;
            index++;
            return true;
        }
    }

    @Test
    void aBufferTooSmallForTheNextPacketIsAClearErrorAndLosesNothing() throws IOException {
        final GoldenCapture golden = GoldenCapture.load("ndpi/sip.pcap");
        final int first = BatchRecordDescriptor.recordLength(golden.capLen()[0]);
        try (BatchFileSource source = BatchFileSource.open(golden.file(), first - 8, Integer.MAX_VALUE)) {
            final IllegalStateException e = assertThrows(IllegalStateException.class, () -> source.next(new CapturedPacket()));
            assertTrue(e.getMessage().contains("batch buffer of " + (first - 8) + " bytes cannot hold the next record of "
                + first + " bytes (" + golden.capLen()[0] + " captured bytes)"), e.getMessage());
            assertEquals(NativeBatch.STATUS_TOO_SMALL, source.lastStatus());
            // a caller's buffer that is too small gets nothing and the same status, without an exception
            assertEquals(0, source.nextBatch(new UnsafeBuffer(ByteBuffer.allocateDirect(first - 8)), Integer.MAX_VALUE));
            assertEquals(NativeBatch.STATUS_TOO_SMALL, source.lastStatus());
            // the packet stays pending: a large enough buffer gets it, then the rest, in order
            final UnsafeBuffer big = new UnsafeBuffer(ByteBuffer.allocateDirect(1 << 20));
            assertEquals(golden.packets(), source.nextBatch(big, Integer.MAX_VALUE));
            assertEquals(golden.tsNanos()[0], big.getLong(BatchRecordDescriptor.timestampOffset(0)));
            assertEquals(golden.capLen()[0], big.getInt(BatchRecordDescriptor.capturedLengthOffset(0)));
            assertEquals(0, source.nextBatch(big, Integer.MAX_VALUE));
            assertEquals(NativeBatch.STATUS_EOF, source.lastStatus());
            assertNull(source.damage());
        }
    }

    @Test
    void aBufferThatFitsExactlyOneRecordTakesItWithNoByteToSpare() throws IOException {
        final GoldenCapture golden = GoldenCapture.load("ndpi/sip.pcap");
        final int first = BatchRecordDescriptor.recordLength(golden.capLen()[0]);
        try (BatchFileSource source = BatchFileSource.open(golden.file())) {
            final UnsafeBuffer exact = new UnsafeBuffer(ByteBuffer.allocateDirect(first));
            assertEquals(1, source.nextBatch(exact, Integer.MAX_VALUE));
            assertEquals(NativeBatch.STATUS_OK, source.lastStatus());
            assertEquals(first, exact.getInt(BatchRecordDescriptor.recordLengthOffset(0)));
            assertEquals(golden.wireLen()[0], exact.getInt(BatchRecordDescriptor.wireLengthOffset(0)));
        }
    }

    @Test
    void nextBatchRefusesWhileNextHasUnreadPackets() throws IOException {
        try (BatchFileSource source = BatchFileSource.open(GoldenCapture.CAPTURES.resolve("ndpi/sip.pcap"))) {
            assertTrue(source.next(new CapturedPacket()));
            assertThrows(IllegalStateException.class,
                () -> source.nextBatch(new UnsafeBuffer(ByteBuffer.allocateDirect(1 << 16)), 10));
        }
    }

    @Test
    void aMissingFileIsAnIOExceptionWithLibpcapsMessage() {
        final IOException e = assertThrows(IOException.class,
            () -> BatchFileSource.open(Path.of("no/such/capture.pcap")));
        assertTrue(e.getMessage().contains("No such file or directory"), e.getMessage());
    }
}
