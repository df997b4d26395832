package io.mraflow.capture;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes one pcapng section (SHB, one IDB, packets) holding the packets of a real capture, in the
 * byte order, timestamp resolution and packet block type a test asks for: pcapng variants the
 * corpus lacks, made from real bytes.
 */
final class PcapngBytes {
    private PcapngBytes() {
    }

    enum Block { ENHANCED, SIMPLE, OBSOLETE }

    /** A packet copied out of a source. */
    record Packet(long tsNanos, int wireLen, byte[] bytes, int linkType) {
    }

    static List<Packet> packetsOf(Path capture) throws Exception {
        final List<Packet> packets = new ArrayList<>();
        try (PacketSource source = CaptureFiles.open(capture)) {
            final CapturedPacket p = new CapturedPacket();
            while (source.next(p)) {
                final byte[] bytes = new byte[p.capLen];
                p.bytes.getBytes(0, bytes);
                packets.add(new Packet(p.tsNanos, p.wireLen, bytes, p.linkType));
            }
        }
        return packets;
    }

    /**
     * @param tsresol the if_tsresol byte (6 = microseconds, 9 = nanoseconds, 0x80 | n = 2^-n)
     * @param tsoffsetSeconds the if_tsoffset option, or 0 for none
     */
    static byte[] section(ByteOrder order, int linkType, int snapLength, int tsresol, long tsoffsetSeconds,
                          Block block, List<Packet> packets) {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        // SHB: magic, version 1.0, section length -1 (unknown), no options
        write(out, order, 0x0A0D0D0A, body(order, b -> b.putInt(0x1A2B3C4D).putShort((short) 1).putShort((short) 0).putLong(-1L)));
        write(out, order, 1, body(order, b -> {
            b.putShort((short) linkType).putShort((short) 0).putInt(snapLength);
            b.putShort((short) 9).putShort((short) 1).put((byte) tsresol).put(new byte[3]);
            if (tsoffsetSeconds != 0) {
                b.putShort((short) 14).putShort((short) 8).putLong(tsoffsetSeconds);
            }
            b.putShort((short) 0).putShort((short) 0);
        }));
        for (Packet p : packets) {
            final long units = units(p.tsNanos - tsoffsetSeconds * 1_000_000_000L, tsresol);
            final byte[] padded = new byte[(p.bytes.length + 3) & ~3];
            System.arraycopy(p.bytes, 0, padded, 0, p.bytes.length);
            switch (block) {
                case ENHANCED -> write(out, order, 6, body(order, b -> b.putInt(0).putInt((int) (units >>> 32)).putInt((int) units)
                        .putInt(p.bytes.length).putInt(p.wireLen).put(padded)));
                case OBSOLETE -> write(out, order, 2, body(order, b -> b.putShort((short) 0).putShort((short) 0)
                        .putInt((int) (units >>> 32)).putInt((int) units).putInt(p.bytes.length).putInt(p.wireLen).put(padded)));
                case SIMPLE -> write(out, order, 3, body(order, b -> b.putInt(p.wireLen).put(padded)));
            }
        }
        return out.toByteArray();
    }

    /** Nanoseconds since the epoch in units of the resolution (rounded down). */
    static long units(long nanos, int tsresol) {
        final long seconds = nanos / 1_000_000_000L;
        final long fraction = nanos % 1_000_000_000L;
        if ((tsresol & 0x80) != 0) {
            final int shift = tsresol & 0x7F;
            return (seconds << shift) + (fraction << shift) / 1_000_000_000L;
        }
        long perSecond = 1;
        for (int i = 0; i < tsresol; i++) {
            perSecond *= 10;
        }
        return seconds * perSecond + fraction / (1_000_000_000L / perSecond);
    }

    interface BodyWriter {
        void write(ByteBuffer body);
    }

    private static byte[] body(ByteOrder order, BodyWriter writer) {
        final ByteBuffer b = ByteBuffer.allocate(1 << 20).order(order);
        writer.write(b);
        final byte[] bytes = new byte[b.position()];
        b.flip().get(bytes);
        return bytes;
    }

    private static void write(ByteArrayOutputStream out, ByteOrder order, int type, byte[] body) {
        final int length = 12 + body.length;
        final ByteBuffer b = ByteBuffer.allocate(length).order(order);
        b.putInt(type).putInt(length).put(body).putInt(length);
        out.writeBytes(b.array());
    }
}
