package io.mraflow.pipeline;

/**
 * The layout of the message that hands a worker its packets of a shared slab ({@link SlabPool})
 * when there are several workers: no packet bytes, only which slab and which of its packets. The
 * one place that owns these offsets. Stateless; any thread. The ring puts its own 8-byte record
 * header in front; fields are in the host's byte order (the message never leaves the process).
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |       Packet count (int32)    |          (unused)             |   0
 *  +---------------------------------------------------------------+
 *  |     Commit time, System.nanoTime (int64): batch latency       |   8
 *  +---------------------------------------------------------------+
 *  |            Slab sequence (int64): which slab, which use       |  16
 *  +---------------------------------------------------------------+
 *  |  Slot of the 1st packet (int16) |  Slot of the 2nd (int16)  ... 24
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * The count and commit time sit where {@link PacketBatchDescriptor} has them, so a worker reads
 * both kinds of message alike.
 */
final class RoutedBatchDescriptor {
    /** A slab's packets for one worker; {@link PacketBatchDescriptor#MSG_BATCH} and {@code MSG_END} are the others. */
    static final int MSG_ROUTED = 3;

    static final int COUNT_OFFSET = PacketBatchDescriptor.COUNT_OFFSET;
    static final int COMMIT_NANOS_OFFSET = PacketBatchDescriptor.COMMIT_NANOS_OFFSET;
    static final int SEQUENCE_OFFSET = 16;
    static final int HEADER_LENGTH = 24;
    /** Bytes per packet: a slot index. */
    static final int SLOT_LENGTH = 2;
    /** Slots a slab may have at most: an index fits an int16. */
    static final int MAX_SLOTS = Short.MAX_VALUE;

    private RoutedBatchDescriptor() {
    }

    /** Offset of the {@code k}-th slot index of the message at {@code index}. */
    static int slotOffset(final int index, final int k) {
        return index + HEADER_LENGTH + k * SLOT_LENGTH;
    }

    /** Bytes a message naming {@code packets} slots needs. */
    static int lengthFor(final int packets) {
        return HEADER_LENGTH + packets * SLOT_LENGTH;
    }
}
