package io.mraflow.pipeline;

import io.mraflow.capture.batch.BatchRecordDescriptor;

/**
 * The layout of one message in the ring of a single worker: a batch of captured packets, as they
 * came from the capture (decoding happens on the worker; with several workers the capture thread
 * decodes and sends {@link RoutedBatchDescriptor} messages instead). The one place that owns these
 * offsets. Stateless; any thread. The ring puts its own 8-byte record header in front and
 * 8-aligns the message; fields are in the host's byte order (the message never leaves the
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
 *  |  Packet records, each as the native batch reader writes them  |  16
 *  |  (BatchRecordDescriptor: time, captured and wire lengths,     |
 *  |   link type, record length, bytes padded to 8)               ...
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * A message is claimed at {@link #BATCH_BYTES} (or larger for one big packet) and filled while
 * records fit; "bytes used" says where the records end.
 */
final class PacketBatchDescriptor {
    static final int MSG_BATCH = 1;
    /** The input ended: 8 bytes, the latest packet time of all packets when the worker saw only some. */
    static final int MSG_END = 2;
    static final int END_LENGTH = 8;

    static final int COUNT_OFFSET = 0;
    static final int USED_OFFSET = 4;
    static final int COMMIT_NANOS_OFFSET = 8;
    static final int HEADER_LENGTH = 16;

    /** Claim size of a batch: a few hundred typical packets, small next to the ring. */
    static final int BATCH_BYTES = 64 * 1024;

    private PacketBatchDescriptor() {
    }

    /** Bytes a batch holding one packet of {@code capturedLength} bytes needs. */
    static int lengthFor(final int capturedLength) {
        return HEADER_LENGTH + BatchRecordDescriptor.recordLength(capturedLength);
    }
}
