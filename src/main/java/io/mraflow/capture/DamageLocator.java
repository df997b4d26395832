package io.mraflow.capture;

import static io.mraflow.capture.CaptureFileFormat.*;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Finds where a capture file is damaged, in bytes: libpcap says what it disliked but not where.
 * Run only after libpcap failed to open or to read a file, never per packet.
 *
 * <p>It walks the file's structure with the checks libpcap makes. Classic pcap (both byte orders,
 * microsecond, nanosecond and "modified" magics): the 24-byte file header and its version, then
 * every record header, its captured length against the link type's maximum (262144 for almost
 * all; libpcap's {@code max_snaplen_for_dlt}) and against the bytes left in the file; like
 * libpcap it takes the wire length field for the captured length in files before version 2.3
 * (and in 2.3 files where the captured length exceeds the wire length). pcapng: the
 * blocks as {@link PcapngFileSource} reads them, which checks them the way libpcap does.
 *
 * <p>Thread safety: stateless; any thread.
 */
final class DamageLocator {
    private DamageLocator() {
    }

    /**
     * The first damage in a file.
     *
     * @param offset        start of the damaged header, record or block
     * @param packetsBefore packets in the file before it
     * @param reason        what is wrong there, in words
     */
    record Finding(long offset, long packetsBefore, String reason) {
    }

    /** The first damaged header, record or block of {@code path}, or null if the walk finds none. */
    static Finding locate(Path path) {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            final long size = channel.size();
            if (size == 0) {
                return new Finding(0, 0, "empty file");
            }
            if (size < 4) {
                return new Finding(0, 0, "file of " + size + " bytes is too short for a capture file header");
            }
            final ByteBuffer head = read(channel, 0, 4, ByteOrder.BIG_ENDIAN);
            final int magic = head.getInt(0);
            if (magic == PCAPNG_SHB_TYPE) {
                return walkPcapng(path);
            }
            final int recordHeaderLength = recordHeaderLength(magic);
            if (recordHeaderLength == 0) {
                return new Finding(0, 0, String.format("not a pcap or pcapng file (magic 0x%08x)", magic));
            }
            return walkPcap(channel, size, recordHeaderLength, fileOrder(magic));
        } catch (IOException e) {
            return new Finding(0, 0, "cannot read the file: " + e.getMessage());
        }
    }

    /** 16 or 24 for a classic pcap magic read big-endian (either byte order), 0 for anything else. */
    static int recordHeaderLength(int magicBigEndian) {
        final int magic = fileOrder(magicBigEndian) == ByteOrder.BIG_ENDIAN ? magicBigEndian : Integer.reverseBytes(magicBigEndian);
        return switch (magic) {
            case PCAP_MAGIC_MICRO, PCAP_MAGIC_NANO -> PCAP_RECORD_HEADER_LENGTH;
            case PCAP_MAGIC_MODIFIED -> PCAP_MODIFIED_RECORD_HEADER_LENGTH;
            default -> 0;
        };
    }

    private static ByteOrder fileOrder(int magicBigEndian) {
        return (magicBigEndian >>> 16) == 0xA1B2 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    }

    private static Finding walkPcap(FileChannel channel, long size, int recordHeaderLength, ByteOrder order) throws IOException {
        if (size < PCAP_FILE_HEADER_LENGTH) {
            return new Finding(0, 0, "pcap file header cut short: " + size + " of " + PCAP_FILE_HEADER_LENGTH + " bytes");
        }
        final ByteBuffer header = read(channel, 0, PCAP_FILE_HEADER_LENGTH, order);
        final int major = header.getShort(PCAP_VERSION_MAJOR_OFFSET) & 0xFFFF;
        final int minor = header.getShort(PCAP_VERSION_MINOR_OFFSET) & 0xFFFF;
        if (major != 2 || minor > 4) {
            return new Finding(0, 0, "unsupported pcap version " + major + "." + minor);
        }
        final long snapLength = header.getInt(PCAP_SNAPLEN_OFFSET) & 0xFFFFFFFFL;
        final int maximum = maxCaptureLength(header.getInt(PCAP_LINKTYPE_OFFSET) & PCAP_LINKTYPE_MASK);
        long packets = 0;
        long record = PCAP_FILE_HEADER_LENGTH;
        while (record < size) {
            final long left = size - record;
            if (left < recordHeaderLength) {
                return new Finding(record, packets,
                        "record header cut short: " + left + " of " + recordHeaderLength + " bytes before the end of the file");
            }
            final ByteBuffer recordHeader = read(channel, record, recordHeaderLength, order);
            final long capLenField = recordHeader.getInt(PCAP_RECORD_CAPLEN_OFFSET) & 0xFFFFFFFFL;
            final long lenField = recordHeader.getInt(PCAP_RECORD_LEN_OFFSET) & 0xFFFFFFFFL;
            // as libpcap: files before version 2.3 hold the two lengths the other way round, and
            // some 2.3 writers swapped them, which shows as a captured length above the wire length
            final long capLen = minor < 3 || (minor == 3 && capLenField > lenField) ? lenField : capLenField;
            if (capLen > maximum) {
                return new Finding(record, packets, "record length " + capLen + " exceeds the maximum " + maximum
                        + " (snap length " + snapLength + ")");
            }
            if (capLen > left - recordHeaderLength) {
                return new Finding(record, packets, "record cut short: " + capLen + " captured bytes announced, "
                        + (left - recordHeaderLength) + " left in the file");
            }
            packets++;
            record += recordHeaderLength + capLen;
        }
        return null;
    }

    private static Finding walkPcapng(Path path) {
        try (PcapngFileSource source = new PcapngFileSource(path)) {
            final CapturedPacket packet = new CapturedPacket();
            while (source.next(packet)) {
                // walk to the first damage
            }
            final CaptureDamage damage = source.damage();
            return damage == null ? null : new Finding(damage.byteOffset(), damage.packetsRead(), damage.reason());
        } catch (CaptureOpenException e) {
            return new Finding(e.byteOffset(), 0, e.reason());
        }
    }

    private static ByteBuffer read(FileChannel channel, long at, int length, ByteOrder order) throws IOException {
        final ByteBuffer buffer = ByteBuffer.allocate(length).order(order);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, at + buffer.position()) < 0) {
                throw new IOException("file ended at byte " + (at + buffer.position()));
            }
        }
        return buffer;
    }
}
