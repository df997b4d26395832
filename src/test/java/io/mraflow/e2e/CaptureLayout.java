package io.mraflow.e2e;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * The structure of an undamaged pcap or pcapng file, walked here from the bytes alone and
 * independently of the production readers: the file header, records and blocks, where each one
 * starts and ends, and where its packet bytes are. The mutation test asks it how many packets lie
 * wholly before a cut and where the unit a damaged byte belongs to starts.
 *
 * <p>Classic pcap in either byte order (microsecond, nanosecond and the 24-byte-record "modified"
 * magic); pcapng sections in either byte order, with Enhanced, Simple and obsolete Packet Blocks.
 */
final class CaptureLayout {
    static final int PCAP_HEADER = 24;
    static final int PCAPNG_SHB = 0x0A0D0D0A;
    static final int BYTE_ORDER_MAGIC = 0x1A2B3C4D;

    enum Format { PCAP, PCAPNG }

    enum Kind {
        /** The pcap file header or a pcapng Section Header Block. */
        FILE_HEADER,
        /** A pcapng Interface Description Block. */
        INTERFACE,
        /** A pcap record or a pcapng packet block (EPB, SPB, PB). */
        PACKET,
        /** Any other pcapng block (statistics, name resolution, decryption secrets, ...). */
        OTHER
    }

    /**
     * One header, record or block, {@code [offset, end())}.
     *
     * @param header     bytes from {@code offset} that are header (record header, block header and the
     *                   packet block's fixed fields; the whole unit for non-packet units)
     * @param dataLength captured packet bytes, which start at {@code offset + header}
     * @param order      byte order of its fields
     */
    record Unit(int offset, int length, Kind kind, int header, int dataLength, ByteOrder order) {
        int end() {
            return offset + length;
        }

        int dataOffset() {
            return offset + header;
        }
    }

    final Format format;
    final List<Unit> units;

    private CaptureLayout(final Format format, final List<Unit> units) {
        this.format = format;
        this.units = List.copyOf(units);
    }

    /** @throws IllegalArgumentException when the bytes are not a capture file that walks cleanly to its end */
    static CaptureLayout of(final byte[] bytes) {
        if (bytes.length >= 4 && ByteBuffer.wrap(bytes).getInt(0) == PCAPNG_SHB) {
            return new CaptureLayout(Format.PCAPNG, pcapng(bytes));
        }
        return new CaptureLayout(Format.PCAP, pcap(bytes));
    }

    /** The packets in the file. */
    int packets() {
        return packetsBefore(Long.MAX_VALUE);
    }

    /** Packets whose record or block ends at or before {@code cut}: what a reader can deliver whole. */
    int packetsBefore(final long cut) {
        int n = 0;
        for (final Unit u : units) {
            if (u.kind == Kind.PACKET && u.end() <= cut) {
                n++;
            }
        }
        return n;
    }

    /** The unit that holds byte {@code offset}. */
    Unit unitAt(final long offset) {
        for (final Unit u : units) {
            if (offset >= u.offset && offset < u.end()) {
                return u;
            }
        }
        throw new IllegalArgumentException("offset " + offset + " is outside the file");
    }

    List<Unit> units(final Kind kind) {
        return units.stream().filter(u -> u.kind == kind).toList();
    }

    private static List<Unit> pcap(final byte[] bytes) {
        if (bytes.length < PCAP_HEADER) {
            throw new IllegalArgumentException("shorter than a pcap file header");
        }
        final int magic = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getInt(0);
        final ByteOrder order;
        final int recordHeader;
        switch (magic) {
            case 0xA1B2C3D4, 0xA1B23C4D -> { order = ByteOrder.LITTLE_ENDIAN; recordHeader = 16; }
            case 0xD4C3B2A1, 0x4D3CB2A1 -> { order = ByteOrder.BIG_ENDIAN; recordHeader = 16; }
            case 0xA1B2CD34 -> { order = ByteOrder.LITTLE_ENDIAN; recordHeader = 24; }
            case 0x34CDB2A1 -> { order = ByteOrder.BIG_ENDIAN; recordHeader = 24; }
            default -> throw new IllegalArgumentException(String.format("not a pcap magic: 0x%08x", magic));
        }
        final ByteBuffer b = ByteBuffer.wrap(bytes).order(order);
        final List<Unit> units = new ArrayList<>();
        units.add(new Unit(0, PCAP_HEADER, Kind.FILE_HEADER, PCAP_HEADER, 0, order));
        int at = PCAP_HEADER;
        while (at < bytes.length) {
            if (bytes.length - at < recordHeader) {
                throw new IllegalArgumentException("record header cut at " + at);
            }
            final long capLen = b.getInt(at + 8) & 0xFFFFFFFFL;
            if (capLen > bytes.length - at - recordHeader) {
                throw new IllegalArgumentException("record cut at " + at);
            }
            units.add(new Unit(at, recordHeader + (int) capLen, Kind.PACKET, recordHeader, (int) capLen, order));
            at += recordHeader + (int) capLen;
        }
        return units;
    }

    private static List<Unit> pcapng(final byte[] bytes) {
        final List<Unit> units = new ArrayList<>();
        final ByteBuffer b = ByteBuffer.wrap(bytes);
        ByteOrder section = null;
        int at = 0;
        while (at < bytes.length) {
            if (bytes.length - at < 12) {
                throw new IllegalArgumentException("block header cut at " + at);
            }
            if (b.order(ByteOrder.BIG_ENDIAN).getInt(at) == PCAPNG_SHB) {
                // The section's byte order is the one that reads its byte-order magic right.
                section = b.getInt(at + 8) == BYTE_ORDER_MAGIC ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
                if (b.order(section).getInt(at + 8) != BYTE_ORDER_MAGIC) {
                    throw new IllegalArgumentException("bad byte-order magic at " + (at + 8));
                }
            } else if (section == null) {
                throw new IllegalArgumentException("not a pcapng file");
            }
            b.order(section);
            final ByteOrder order = section;
            final int blockType = b.getInt(at);
            final int length = b.getInt(at + 4);
            if (length < 12 || length % 4 != 0 || length > bytes.length - at || b.getInt(at + length - 4) != length) {
                throw new IllegalArgumentException("bad block length at " + at);
            }
            units.add(switch (blockType) {
                case PCAPNG_SHB -> new Unit(at, length, Kind.FILE_HEADER, length, 0, order);
                case 1 -> new Unit(at, length, Kind.INTERFACE, length, 0, order);
                case 2, 6 -> new Unit(at, length, Kind.PACKET, 28, b.getInt(at + 20), order);
                case 3 -> new Unit(at, length, Kind.PACKET, 12, Math.min(b.getInt(at + 8), length - 16), order);
                default -> new Unit(at, length, Kind.OTHER, length, 0, order);
            });
            at += length;
        }
        return units;
    }
}
