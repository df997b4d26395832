package io.mraflow.capture;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * Writes a classic pcap file holding the packets of a real capture, in the byte order, timestamp
 * unit, version and record-header form a test asks for: the variants the corpus lacks (it has
 * little-endian files only), made from real bytes.
 */
final class PcapBytes {
    private PcapBytes() {
    }

    enum Magic {
        MICROSECONDS(0xA1B2C3D4, 16), NANOSECONDS(0xA1B23C4D, 16), MODIFIED(0xA1B2CD34, 24);

        final int value;
        final int recordHeaderLength;

        Magic(int value, int recordHeaderLength) {
            this.value = value;
            this.recordHeaderLength = recordHeaderLength;
        }
    }

    /**
     * @param minor      the version's minor number; before 3 the two lengths are written the other way round, as then
     * @param snapLength the file header's snap length (records longer than it are written whole)
     */
    static byte[] file(ByteOrder order, Magic magic, int minor, int linkType, int snapLength, List<PcapngBytes.Packet> packets) {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(ByteBuffer.allocate(24).order(order).putInt(magic.value).putShort((short) 2).putShort((short) minor)
                .putInt(0).putInt(0).putInt(snapLength).putInt(linkType).array());
        for (PcapngBytes.Packet p : packets) {
            final long seconds = Math.floorDiv(p.tsNanos(), 1_000_000_000L);
            final long nanos = Math.floorMod(p.tsNanos(), 1_000_000_000L);
            final ByteBuffer record = ByteBuffer.allocate(magic.recordHeaderLength + p.bytes().length).order(order);
            record.putInt((int) seconds).putInt((int) (magic == Magic.NANOSECONDS ? nanos : nanos / 1000));
            if (minor < 3) {
                record.putInt(p.wireLen()).putInt(p.bytes().length);
            } else {
                record.putInt(p.bytes().length).putInt(p.wireLen());
            }
            record.position(magic.recordHeaderLength);
            record.put(p.bytes());
            out.writeBytes(record.array());
        }
        return out.toByteArray();
    }
}
