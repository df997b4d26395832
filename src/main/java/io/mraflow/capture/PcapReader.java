package io.mraflow.capture;

import static io.mraflow.capture.CaptureFileFormat.*;

import java.io.IOException;
import java.nio.ByteOrder;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Classic pcap read in Java from a {@link CaptureWindow}, record by record, delivering what
 * libpcap 1.10 delivers for the same bytes (opened with nanosecond precision, as
 * {@link LibpcapFileSource} opens files): the same checks, and the same packets up to the first
 * damage. Used for streams, which libpcap could read only through a second open or by giving up
 * the offsets of damage, and by {@link DamageLocator} to find the damage libpcap stopped at.
 * Not thread-safe: one thread reads it (the {@link PacketSource} contract).
 *
 * <p>As libpcap: all four magics (microseconds or nanoseconds, either byte order) and the
 * "modified" one with 24-byte record headers; versions 2.0 to 2.4 and DG/UX's 543.0; the
 * captured and wire lengths taken the other way round before 2.3 (and in 2.3 files whose captured
 * length exceeds the wire length); a record longer than the link type's maximum is damage, one
 * longer than the snap length is cut to it. Timestamps: the seconds unsigned 32-bit (as the format
 * says, where libpcap 1.10 sign-extends them), the fraction a signed 32-bit count of microseconds
 * or nanoseconds (as libpcap reads it). LINKTYPE_RAW is given as 101 whether the file says 101 or
 * Linux's DLT_RAW, 12, as libpcap's readers give it.
 *
 * <p>Per packet it allocates nothing: {@link CapturedPacket#bytes} is wrapped on the window's memory.
 */
final class PcapReader extends WindowReader {
    /** DLT_RAW on Linux, which libpcap gives for the file's LINKTYPE_RAW. */
    private static final int DLT_RAW_LINUX = 12;
    private static final int DGUX_VERSION_MAJOR = 543;

    private final ByteOrder order;
    private final int recordHeaderLength;
    private final long fractionToNanos;
    private final int linkType;
    /** The file header's snap length as written, for messages. */
    private final long snapLengthField;
    /** What libpcap cuts longer records to (its {@code p->snapshot}). */
    private final long snapshot;
    private final int maximum;
    private final boolean lengthsSwapped;
    private final boolean lengthsMaybeSwapped;

    /** Input offset of the next record. */

    /**
     * Reads the file header of {@code window}, whose first 4 bytes are a classic pcap magic
     * ({@link #recordHeaderLength(int)} is not 0), and takes the window over.
     *
     * @throws CaptureOpenException when the header is cut short, of an unsupported version or unreadable
     */
    static PcapReader open(final String name, final CaptureWindow window) throws CaptureOpenException {
        final int held;
        try {
            held = window.load(0, PCAP_FILE_HEADER_LENGTH);
        } catch (IOException e) {
            throw new CaptureOpenException(name, 0, "cannot read the " + window.kind() + ": " + e.getMessage());
        }
        if (held < PCAP_FILE_HEADER_LENGTH) {
            throw new CaptureOpenException(name, 0, "pcap file header cut short: " + held + " of " + PCAP_FILE_HEADER_LENGTH + " bytes");
        }
        final UnsafeBuffer view = window.view();
        final int at = window.index(0);
        final int magic = view.getInt(at, ByteOrder.BIG_ENDIAN);
        final ByteOrder order = (magic >>> 16) == 0xA1B2 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        final int major = view.getShort(at + PCAP_VERSION_MAJOR_OFFSET, order) & 0xFFFF;
        final int minor = view.getShort(at + PCAP_VERSION_MINOR_OFFSET, order) & 0xFFFF;
        if (!(major == 2 && minor <= 4 || major == DGUX_VERSION_MAJOR && minor == 0)) {
            throw new CaptureOpenException(name, 0, "unsupported pcap version " + major + "." + minor);
        }
        return new PcapReader(name, window, magic, order, major, minor);
    }

    private PcapReader(final String name, final CaptureWindow window, final int magic, final ByteOrder order, final int major, final int minor) {
        super(name, window, PCAP_FILE_HEADER_LENGTH);
        this.order = order;
        final int nativeMagic = order == ByteOrder.BIG_ENDIAN ? magic : Integer.reverseBytes(magic);
        this.recordHeaderLength = recordHeaderLength(magic);
        this.fractionToNanos = nativeMagic == PCAP_MAGIC_NANO ? 1 : 1000;
        final int at = window.index(0);
        final int fileLinkType = view.getInt(at + PCAP_LINKTYPE_OFFSET, order) & PCAP_LINKTYPE_MASK;
        this.linkType = fileLinkType == DLT_RAW_LINUX ? LinkType.RAW : fileLinkType;
        this.maximum = maxCaptureLength(fileLinkType);
        this.snapLengthField = view.getInt(at + PCAP_SNAPLEN_OFFSET, order) & 0xFFFFFFFFL;
        // libpcap's pcap_adjust_snapshot, and 14 bytes more for the modified format's Ethernet
        long snap = snapLengthField == 0 || snapLengthField > Integer.MAX_VALUE ? maximum : snapLengthField;
        if (nativeMagic == PCAP_MAGIC_MODIFIED && fileLinkType == LinkType.EN10MB) {
            snap = Math.min(snap + 14, Integer.MAX_VALUE);
        }
        this.snapshot = snap;
        this.lengthsSwapped = major == DGUX_VERSION_MAJOR || minor < 3;
        this.lengthsMaybeSwapped = major == 2 && minor == 3;
    }

    /** 16 or 24 for a classic pcap magic read big-endian (either byte order), 0 for anything else. */
    static int recordHeaderLength(final int magicBigEndian) {
        final int magic = (magicBigEndian >>> 16) == 0xA1B2 ? magicBigEndian : Integer.reverseBytes(magicBigEndian);
        return switch (magic) {
            case PCAP_MAGIC_MICRO, PCAP_MAGIC_NANO -> PCAP_RECORD_HEADER_LENGTH;
            case PCAP_MAGIC_MODIFIED -> PCAP_MODIFIED_RECORD_HEADER_LENGTH;
            default -> 0;
        };
    }

    @Override
    public boolean next(final CapturedPacket out) {
        if (damage != null) {
            return false;
        }
        final long record = position;
        final int head = load(record, recordHeaderLength);
        if (head <= 0) {
            return false; // the end, between records, or a read error (damage set)
        }
        if (head < recordHeaderLength) {
            return damaged(record, "record header cut short: " + head + " of " + recordHeaderLength
                    + " bytes before the end of the " + window.kind());
        }
        int at = window.index(record);
        final long capLenField = view.getInt(at + PCAP_RECORD_CAPLEN_OFFSET, order) & 0xFFFFFFFFL;
        final long lenField = view.getInt(at + PCAP_RECORD_LEN_OFFSET, order) & 0xFFFFFFFFL;
        final boolean swap = lengthsSwapped || lengthsMaybeSwapped && capLenField > lenField;
        final long capLen = swap ? lenField : capLenField;
        final long wireLen = swap ? capLenField : lenField;
        if (capLen > maximum) {
            return damaged(record, "record length " + capLen + " exceeds the maximum " + maximum + " (snap length " + snapLengthField + ")");
        }
        final int length = recordHeaderLength + (int) capLen;
        final int held = load(record, length);
        if (held < length) {
            return held >= 0 && damaged(record, "record cut short: " + capLen + " captured bytes announced, "
                    + (held - recordHeaderLength) + " left in the " + window.kind());
        }
        at = window.index(record);
        final long seconds = view.getInt(at, order) & 0xFFFFFFFFL;
        final long fraction = view.getInt(at + 4, order);
        out.tsNanos = seconds * 1_000_000_000L + fraction * fractionToNanos;
        out.capLen = (int) Math.min(capLen, snapshot);
        out.wireLen = (int) wireLen;
        out.linkType = linkType;
        out.bytes.wrap(view.addressOffset() + at + recordHeaderLength, out.capLen);
        position = record + length;
        packetsRead++;
        return true;
    }
}
