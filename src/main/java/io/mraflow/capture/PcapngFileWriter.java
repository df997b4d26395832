package io.mraflow.capture;

import static io.mraflow.capture.CaptureFileFormat.EPB_MIN_LENGTH;
import static io.mraflow.capture.CaptureFileFormat.OPT_END;
import static io.mraflow.capture.CaptureFileFormat.OPT_IF_TSRESOL;
import static io.mraflow.capture.CaptureFileFormat.PCAPNG_BYTE_ORDER_MAGIC;
import static io.mraflow.capture.CaptureFileFormat.PCAPNG_EPB_TYPE;
import static io.mraflow.capture.CaptureFileFormat.PCAPNG_IDB_TYPE;
import static io.mraflow.capture.CaptureFileFormat.PCAPNG_SHB_TYPE;
import static io.mraflow.capture.CaptureFileFormat.SHB_MIN_LENGTH;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Writes a pcapng file as a sequence of sections. A section of a pcapng input is copied: its
 * Section Header Block with the section length made unknown (-1: the copy is shorter), its
 * Interface Description Blocks and the packet blocks kept, byte for byte, so interfaces, link
 * types, time resolutions, options and byte order stay what they were. A pcap input becomes a
 * section of its own with one interface (its link type and snap length, nanosecond timestamps) and
 * an Enhanced Packet Block per packet. Not thread-safe: one thread writes.
 *
 * <pre>
 * block: +------+--------+------ body ------+--------+
 *        | type | length | ...              | length |   (length counts all of it, a multiple of 4)
 *        +------+--------+------------------+--------+
 * SHB body: magic 0x1A2B3C4D, version 1.0, section length (8 bytes), options
 * </pre>
 */
final class PcapngFileWriter {
    /** Where the section length sits in a Section Header Block. */
    private static final int SHB_SECTION_LENGTH_OFFSET = 16;
    /** An IDB with one option, if_tsresol = 9 (nanoseconds), and the end of options. */
    private static final int IDB_NANO_LENGTH = 20 + 8 + 4;
    private static final int TSRESOL_NANOSECONDS = 9;

    private final OutputStream out;
    private byte[] scratch = new byte[1 << 16];

    PcapngFileWriter(final OutputStream out) {
        this.out = out;
    }

    /** Starts a section copied from an input's Section Header Block, its length made unknown. */
    void copySection(final UnsafeBuffer view, final int at, final int length, final ByteOrder order) throws IOException {
        final byte[] b = load(view, at, length);
        ByteBuffer.wrap(b).order(order).putLong(SHB_SECTION_LENGTH_OFFSET, -1L);
        out.write(b, 0, length);
    }

    /** Copies a block as it is: an interface description or a packet block of the current section. */
    void copyBlock(final UnsafeBuffer view, final int at, final int length) throws IOException {
        out.write(load(view, at, length), 0, length);
    }

    /** Starts a section of one interface for a pcap input: its link type and snap length, nanosecond times. */
    void pcapSection(final int linkType, final int snapLength) throws IOException {
        final ByteBuffer b = ByteBuffer.allocate(SHB_MIN_LENGTH + IDB_NANO_LENGTH).order(ByteOrder.nativeOrder());
        b.putInt(PCAPNG_SHB_TYPE).putInt(SHB_MIN_LENGTH).putInt(PCAPNG_BYTE_ORDER_MAGIC)
                .putShort((short) 1).putShort((short) 0).putLong(-1L).putInt(SHB_MIN_LENGTH);
        b.putInt(PCAPNG_IDB_TYPE).putInt(IDB_NANO_LENGTH).putShort((short) linkType).putShort((short) 0).putInt(snapLength)
                .putShort((short) OPT_IF_TSRESOL).putShort((short) 1).put((byte) TSRESOL_NANOSECONDS).put(new byte[3])
                .putShort((short) OPT_END).putShort((short) 0).putInt(IDB_NANO_LENGTH);
        out.write(b.array());
    }

    /** An Enhanced Packet Block on interface 0 of a section from {@link #pcapSection}. */
    void pcapPacket(final CapturedPacket packet) throws IOException {
        final int padded = (packet.capLen + 3) & ~3;
        final int length = EPB_MIN_LENGTH + padded;
        final ByteBuffer b = ByteBuffer.wrap(room(length), 0, length).order(ByteOrder.nativeOrder());
        b.putInt(PCAPNG_EPB_TYPE).putInt(length).putInt(0)
                .putInt((int) (packet.tsNanos >>> 32)).putInt((int) packet.tsNanos)
                .putInt(packet.capLen).putInt(packet.wireLen);
        packet.bytes.getBytes(0, scratch, b.position(), packet.capLen);
        b.position(b.position() + packet.capLen);
        while (b.position() < length - 4) {
            b.put((byte) 0);
        }
        b.putInt(length);
        out.write(scratch, 0, length);
    }

    private byte[] load(final UnsafeBuffer view, final int at, final int length) {
        final byte[] b = room(length);
        view.getBytes(at, b, 0, length);
        return b;
    }

    private byte[] room(final int length) {
        if (scratch.length < length) {
            scratch = new byte[Math.max(length, scratch.length * 2)];
        }
        return scratch;
    }
}
