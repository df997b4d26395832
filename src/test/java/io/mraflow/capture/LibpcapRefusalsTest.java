package io.mraflow.capture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.mraflow.cli.ExitCode;
import io.mraflow.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * pcapng files whose blocks are sound but that libpcap 1.10 stops reading part-way: the Java
 * pcapng reader goes on from where libpcap stopped, through {@link CaptureFiles#open}
 * ({@code pcap_next_ex}) and through the command line (the native batch reader). Every packet is
 * read; where a file is damaged after such a block, the damage has its byte offset, never "an
 * unknown offset". The files are made here from the real packets of ndpi/sip_hello.pcapng (30
 * SIP packets of one UDP flow, Ethernet, snap length 65535).
 */
class LibpcapRefusalsTest {
    private static final Path SIP_HELLO = TestCaptures.capture("ndpi/sip_hello.pcapng");
    private static final int SIMPLE_FROM = 10;
    private static final int CUT_TO = 48;

    @TempDir
    Path dir;

    /**
     * Simple Packet Blocks whose data is cut to 48 bytes (Ethernet, IPv4 and UDP headers and a few bytes more) while the interface's snap length is 0
     * (no limit): libpcap (and tshark) want the whole original length in the block and stop at
     * the first one; the Java reader takes the block's data. The first 10 packets are whole, so
     * libpcap delivers them first. tshark stops too, so the count to meet is the generator's.
     */
    @Test
    void simplePacketBlocksCutShortAreReadPastWhereLibpcapStops() throws Exception {
        final List<PcapngBytes.Packet> packets = simplePackets();
        final Path file = Files.write(dir.resolve("simple-cut.pcapng"), simpleSection(packets));
        try (LibpcapFileSource libpcap = LibpcapFileSource.open(file)) {
            final CaptureCorpusTest.Read alone = CaptureCorpusTest.Read.all(libpcap);
            assertEquals(SIMPLE_FROM, alone.count, "libpcap alone stops at the first cut block");
        }
        try (PacketSource source = CaptureFiles.open(file)) {
            final CapturedPacket p = new CapturedPacket();
            for (PcapngBytes.Packet expected : packets) {
                assertTrue(source.next(p), () -> String.valueOf(source.damage()));
                assertEquals(expected.wireLen(), p.wireLen);
                final byte[] bytes = new byte[p.capLen];
                p.bytes.getBytes(0, bytes);
                assertArrayEquals(expected.bytes(), bytes);
            }
            assertFalse(source.next(p));
            assertNull(source.damage());
        }
        final Run run = analyze(file);
        assertEquals(ExitCode.OK, run.exit, run.err);
        assertEquals("", run.err);
        assertEquals(packets.size(), run.packets());
    }

    /** A big-endian section after a little-endian one: libpcap stops at the second Section Header Block. */
    @Test
    void aSectionOfTheOtherByteOrderIsReadPastWhereLibpcapStops() throws Exception {
        final List<PcapngBytes.Packet> packets = PcapngBytes.packetsOf(SIP_HELLO);
        final ByteArrayOutputStream both = new ByteArrayOutputStream();
        both.writeBytes(Files.readAllBytes(SIP_HELLO));
        both.writeBytes(PcapngBytes.section(ByteOrder.BIG_ENDIAN, LinkType.EN10MB, 65535, 6, 0, PcapngBytes.Block.ENHANCED, packets));
        final Path file = Files.write(dir.resolve("two-byte-orders.pcapng"), both.toByteArray());
        final long tshark = tsharkPackets(file);
        assertEquals(2L * packets.size(), tshark);

        final CaptureCorpusTest.Read read = CaptureCorpusTest.Read.all(CaptureFiles.open(file));
        assertNull(read.damage, () -> read.damage.message());
        assertEquals(tshark, read.count);
        final Run run = analyze(file);
        assertEquals(ExitCode.OK, run.exit, run.err);
        assertEquals("", run.err);
        assertEquals(tshark, run.packets());
    }

    /**
     * Damage after the blocks libpcap stops at: reported at the damaged block's offset, after
     * every packet before it, on both reading paths.
     */
    @Test
    void damageAfterWhereLibpcapStopsHasItsOffset() throws Exception {
        final List<PcapngBytes.Packet> packets = simplePackets();
        final byte[] bytes = simpleSection(packets);
        final int damaged = 20;
        final long[] blocks = packetBlockOffsets(bytes);
        final ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        final int at = (int) blocks[damaged];
        b.putInt(at + 4, b.getInt(at + 4) + 4); // the leading length no longer equals the trailing one
        final Path file = Files.write(dir.resolve("simple-cut-damaged.pcapng"), bytes);

        final CaptureCorpusTest.Read read = CaptureCorpusTest.Read.all(CaptureFiles.open(file));
        assertEquals(damaged, read.count);
        assertNotNull(read.damage);
        assertEquals(at, read.damage.byteOffset(), read.damage.message());
        assertEquals(damaged, read.damage.packetsRead());

        final Run run = analyze(file);
        assertEquals(ExitCode.PARTIAL, run.exit, run.err);
        assertEquals(1, run.err.lines().count(), run.err);
        assertTrue(run.err.startsWith("mraflow: " + file + ": damaged at byte " + at + " after " + damaged
                + " packets: trailing block length "), run.err);
        assertEquals(damaged, run.packets());
    }

    /** The packets of sip_hello, the first {@link #SIMPLE_FROM} whole, the others cut to {@link #CUT_TO} bytes. */
    private static List<PcapngBytes.Packet> simplePackets() throws Exception {
        final List<PcapngBytes.Packet> packets = new ArrayList<>();
        for (PcapngBytes.Packet p : PcapngBytes.packetsOf(SIP_HELLO)) {
            final byte[] bytes = packets.size() < SIMPLE_FROM ? p.bytes() : Arrays.copyOf(p.bytes(), CUT_TO);
            packets.add(new PcapngBytes.Packet(0, p.wireLen(), bytes, p.linkType()));
        }
        assertTrue(packets.stream().skip(SIMPLE_FROM).allMatch(p -> p.wireLen() > CUT_TO));
        return packets;
    }

    /** One section, snap length 0 (no limit), the packets in Simple Packet Blocks. */
    private static byte[] simpleSection(List<PcapngBytes.Packet> packets) {
        return PcapngBytes.section(ByteOrder.LITTLE_ENDIAN, LinkType.EN10MB, 0, 6, 0, PcapngBytes.Block.SIMPLE, packets);
    }

    /** Start offsets of the packet blocks (types 2, 3, 6) of a little-endian pcapng. */
    private static long[] packetBlockOffsets(byte[] bytes) {
        final ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        final List<Long> offsets = new ArrayList<>();
        for (int at = 0; at + 12 <= bytes.length; at += b.getInt(at + 4)) {
            final int type = b.getInt(at);
            if (type == 2 || type == 3 || type == 6) {
                offsets.add((long) at);
            }
        }
        return offsets.stream().mapToLong(Long::longValue).toArray();
    }

    private static long tsharkPackets(Path file) throws Exception {
        final Process p;
        try {
            p = new ProcessBuilder("tshark", "-r", file.toString(), "-T", "fields", "-e", "frame.number")
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (java.io.IOException e) {
            assumeTrue(false, "tshark is not installed (scripts/install-deps --test installs it)");
            throw e;
        }
        final long lines = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).lines().count();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), "tshark reads " + file);
        return lines;
    }

    private record Run(ExitCode exit, String out, String err) {
        /** Packets in the flows of the JSON lines (sip_hello is one UDP flow: every packet is in it). */
        long packets() {
            final Matcher m = Pattern.compile("\"(orig|resp)_pkts\":(\\d+)").matcher(out);
            long sum = 0;
            while (m.find()) {
                sum += Long.parseLong(m.group(2));
            }
            return sum;
        }
    }

    /** The command line, in this JVM: files are read by the native batch reader when it is built. */
    private static Run analyze(Path file) {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final ExitCode exit = Main.run(new String[] {"analyze", "--format", "json", file.toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
