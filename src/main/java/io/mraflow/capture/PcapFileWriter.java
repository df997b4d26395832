package io.mraflow.capture;

import static io.mraflow.capture.CaptureFileFormat.PCAP_FILE_HEADER_LENGTH;
import static io.mraflow.capture.CaptureFileFormat.PCAP_MAGIC_MICRO;
import static io.mraflow.capture.CaptureFileFormat.PCAP_MAGIC_NANO;
import static io.mraflow.capture.CaptureFileFormat.PCAP_RECORD_HEADER_LENGTH;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Writes a classic pcap file: the file header once, then one record per packet, its header made
 * from the packet's time and lengths in the file's precision. Not thread-safe: one thread writes.
 *
 * <pre>
 * file header (24 bytes)                     record header (16 bytes), then capLen bytes
 * +--------+-----+-----+--------+--------+   +---------+----------+--------+---------+
 * | magic  | 2   | 4   | 0    0 | snap   |   | seconds | fraction | capLen | wireLen |
 * |        | maj | min | zone sigfigs     |   |         | us or ns |        |         |
 * +--------+-----+-----+--------+--------+   +---------+----------+--------+---------+
 *                                 | linktype (20) |
 * </pre>
 */
final class PcapFileWriter {
    private final OutputStream out;
    private final boolean nanosecond;
    private final ByteBuffer header;

    /**
     * Writes the file header: {@code order} for every field, nanosecond or microsecond timestamps,
     * {@code snapLength} and the header's link type field {@code linkTypeField} as the input had it.
     */
    PcapFileWriter(final OutputStream out, final ByteOrder order, final boolean nanosecond, final int snapLength, final int linkTypeField) throws IOException {
        this.out = out;
        this.nanosecond = nanosecond;
        final ByteBuffer file = ByteBuffer.allocate(PCAP_FILE_HEADER_LENGTH).order(order);
        file.putInt(nanosecond ? PCAP_MAGIC_NANO : PCAP_MAGIC_MICRO).putShort((short) 2).putShort((short) 4)
                .putInt(0).putInt(0).putInt(snapLength).putInt(linkTypeField);
        out.write(file.array());
        this.header = ByteBuffer.allocate(PCAP_RECORD_HEADER_LENGTH).order(order);
    }

    /** One record: {@code packet}'s time (truncated to microseconds in a microsecond file), lengths and bytes. */
    void write(final CapturedPacket packet, final byte[] scratch) throws IOException {
        final long seconds = Math.floorDiv(packet.tsNanos, 1_000_000_000L);
        final long fraction = Math.floorMod(packet.tsNanos, 1_000_000_000L);
        header.clear();
        header.putInt((int) seconds).putInt((int) (nanosecond ? fraction : fraction / 1000))
                .putInt(packet.capLen).putInt(packet.wireLen);
        out.write(header.array());
        packet.bytes.getBytes(0, scratch, 0, packet.capLen);
        out.write(scratch, 0, packet.capLen);
    }
}
