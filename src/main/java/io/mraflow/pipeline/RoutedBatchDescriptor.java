package io.mraflow.pipeline;

/**
 * The layout of the message that hands a worker its packets of a slab ({@link SlabPool}) when
 * there are several workers: the packets decoded by the capture thread, one
 * {@link DecodedRecord} each, and which slab holds their bytes (read by reference, never copied).
 * The one place that owns these offsets. Stateless; any thread. The ring puts its own 8-byte
 * record header in front; fields are in the host's byte order (the message never leaves the
 * process).
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |       Packet count (int32)    |     Bytes used (int32)        |   0
 *  +---------------------------------------------------------------+
 *  |     Commit time, System.nanoTime (int64): batch latency       |   8
 *  +---------------------------------------------------------------+
 *  |      Slab sequence (int64): the slab that holds the bytes     |  16
 *  +---------------------------------------------------------------+
 *  |  Decoded records (DecodedRecord), in the order of the capture ... 24
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * The count, bytes used and commit time sit where {@link PacketBatchDescriptor} has them, so a
 * worker reads both kinds of message alike.
 */
final class RoutedBatchDescriptor {
    /** A slab's packets for one worker; {@link PacketBatchDescriptor#MSG_BATCH} and {@code MSG_END} are the others. */
    static final int MSG_ROUTED = 3;

    static final int COUNT_OFFSET = PacketBatchDescriptor.COUNT_OFFSET;
    static final int USED_OFFSET = PacketBatchDescriptor.USED_OFFSET;
    static final int COMMIT_NANOS_OFFSET = PacketBatchDescriptor.COMMIT_NANOS_OFFSET;
    static final int SEQUENCE_OFFSET = 16;
    static final int HEADER_LENGTH = 24;
    /** The smallest ring whose messages (an eighth of it) hold one record of any kind. */
    static final int MIN_RING_CAPACITY = 2048;

    private RoutedBatchDescriptor() {
    }

    /** Bytes a message of {@code packets} records needs at most. */
    static int lengthFor(final int packets) {
        return HEADER_LENGTH + packets * DecodedRecord.MAX_LENGTH;
    }

    /** Packets one message of at most {@code maxMessageLength} bytes always holds. */
    static int packetsFitting(final int maxMessageLength) {
        return (maxMessageLength - HEADER_LENGTH) / DecodedRecord.MAX_LENGTH;
    }
}
