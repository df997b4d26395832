package io.mraflow.capture.batch;

import io.mraflow.capture.CapturedPacket;
import org.agrona.MutableDirectBuffer;

/**
 * The layout of one packet record in a batch buffer filled by {@code mfb_next_batch} in
 * {@code native/mraflow_batch.c}: the one place that owns its offsets. Records follow one another
 * with no gap; each starts 8-byte aligned, so every header field is read with one aligned load.
 * Fields are in the host's byte order (the buffer never leaves the machine).
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |          Timestamp, nanoseconds since the epoch (int64)       |  0
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                   Captured length (uint32)                    |  8
 *  +---------------------------------------------------------------+
 *  |                     Wire length (uint32)                      | 12
 *  +---------------------------------------------------------------+
 *  |                Link type, a LINKTYPE_* value (uint32)         | 16
 *  +---------------------------------------------------------------+
 *  |   Record length: 24 + captured length rounded up to 8 (uint32)| 20
 *  +---------------------------------------------------------------+
 *  |                     Captured bytes                           ... 24
 *  ...                                                             |
 *  +---------------------------------------------------------------+
 *  |             Zero padding to the next multiple of 8            |
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * The record length lets a reader step over a record without decoding it, and lets a pipeline
 * cut a batch into slices for worker threads.
 */
public final class BatchRecordDescriptor {
    /** Offset of the capture time, nanoseconds since the epoch. */
    public static final int TIMESTAMP_OFFSET = 0;
    /** Offset of the number of captured bytes that follow the header. */
    public static final int CAPTURED_LENGTH_OFFSET = 8;
    /** Offset of the packet's length on the wire. */
    public static final int WIRE_LENGTH_OFFSET = 12;
    /** Offset of the link-layer header type, a {@code LINKTYPE_*} value. */
    public static final int LINK_TYPE_OFFSET = 16;
    /** Offset of the whole record's length, header and padding included. */
    public static final int RECORD_LENGTH_OFFSET = 20;
    /** Length of the header; the captured bytes start here. */
    public static final int HEADER_LENGTH = 24;
    /** Every record starts at a multiple of this. */
    public static final int ALIGNMENT = 8;
    /**
     * libpcap's largest captured length (MAXIMUM_SNAPLEN); a buffer of
     * {@code recordLength(MAX_CAPTURED_LENGTH)} bytes holds any packet libpcap hands over.
     */
    public static final int MAX_CAPTURED_LENGTH = 262_144;

    private BatchRecordDescriptor() {
    }

    /** The length of a record carrying {@code capturedLength} bytes, header and padding included. */
    public static int recordLength(final int capturedLength) {
        return HEADER_LENGTH + ((capturedLength + ALIGNMENT - 1) & -ALIGNMENT);
    }

    /** Offset of the timestamp of the record starting at {@code recordOffset}. */
    public static int timestampOffset(final int recordOffset) {
        return recordOffset + TIMESTAMP_OFFSET;
    }

    /** Offset of the captured length of the record starting at {@code recordOffset}. */
    public static int capturedLengthOffset(final int recordOffset) {
        return recordOffset + CAPTURED_LENGTH_OFFSET;
    }

    /** Offset of the wire length of the record starting at {@code recordOffset}. */
    public static int wireLengthOffset(final int recordOffset) {
        return recordOffset + WIRE_LENGTH_OFFSET;
    }

    /** Offset of the link type of the record starting at {@code recordOffset}. */
    public static int linkTypeOffset(final int recordOffset) {
        return recordOffset + LINK_TYPE_OFFSET;
    }

    /** Offset of the record length of the record starting at {@code recordOffset}. */
    public static int recordLengthOffset(final int recordOffset) {
        return recordOffset + RECORD_LENGTH_OFFSET;
    }

    /** Offset of the first captured byte of the record starting at {@code recordOffset}. */
    public static int dataOffset(final int recordOffset) {
        return recordOffset + HEADER_LENGTH;
    }

    /**
     * Writes {@code packet} as the record at {@code recordOffset} of {@code buffer}, the way the
     * native reader writes its batches: header, then the {@code capLen} captured bytes.
     */
    public static void write(final MutableDirectBuffer buffer, final int recordOffset, final CapturedPacket packet,
            final int capLen, final int recordLength) {
        buffer.putLong(timestampOffset(recordOffset), packet.tsNanos);
        buffer.putInt(capturedLengthOffset(recordOffset), capLen);
        buffer.putInt(wireLengthOffset(recordOffset), packet.wireLen);
        buffer.putInt(linkTypeOffset(recordOffset), packet.linkType);
        buffer.putInt(recordLengthOffset(recordOffset), recordLength);
        buffer.putBytes(dataOffset(recordOffset), packet.bytes, 0, capLen);
    }
}
