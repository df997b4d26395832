package io.mraflow.pipeline;

import static io.mraflow.pipeline.PacketBatchDescriptor.COMMIT_NANOS_OFFSET;
import static io.mraflow.pipeline.PacketBatchDescriptor.COUNT_OFFSET;
import static io.mraflow.pipeline.PacketBatchDescriptor.HEADER_LENGTH;
import static io.mraflow.pipeline.PacketBatchDescriptor.MSG_BATCH;
import static io.mraflow.pipeline.PacketBatchDescriptor.MSG_END;
import static io.mraflow.pipeline.PacketBatchDescriptor.USED_OFFSET;

import io.mraflow.capture.CapturedPacket;
import io.mraflow.capture.LiveCapture;
import io.mraflow.capture.batch.BatchRecordDescriptor;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;

/**
 * Puts captured packets, in batches, into the single-producer single-consumer ring of every
 * worker. Called only by the capture thread (the one producer of each ring). The capture thread
 * does no decoding: the native reader writes batches straight into ring space it claims
 * ({@link #dispatchBatch}), other readers' packets are copied one by one ({@link #dispatch}), and
 * each worker decodes and keeps the packets whose flows it owns ({@link FlowSharding}).
 *
 * <p>A batch is claimed in place ({@code tryClaim}), filled record by record, and published by
 * {@code commit}, whose ordered store makes the records visible to the worker. File input waits
 * when a ring is full (nothing is dropped); live input counts the packets it could not queue.
 */
final class PacketDispatcher {
    private final OneToOneRingBuffer[] rings;
    private final boolean dropWhenFull;
    private final int maxCapturedLength;
    private final int batchBytes;
    private final IdleStrategy idle = new BackoffIdleStrategy(64, 16, 1_000, 100_000);
    /** The claimed part of a ring that the native reader fills. */
    private final UnsafeBuffer batchView = new UnsafeBuffer(0, 0);

    // The open batch of each worker: claim index (-1 = none), its length, bytes used, packets.
    private final int[] claimIndex;
    private final int[] claimLength;
    private final int[] used;
    private final int[] count;

    /** Packets queued to each worker. */
    final long[] queued;
    long ringFullWaits;
    long dropped;

    PacketDispatcher(final OneToOneRingBuffer[] rings, final int batchBytes, final boolean dropWhenFull) {
        this.rings = rings;
        this.batchBytes = batchBytes;
        this.dropWhenFull = dropWhenFull;
        final int n = rings.length;
        claimIndex = new int[n];
        claimLength = new int[n];
        used = new int[n];
        count = new int[n];
        queued = new long[n];
        maxCapturedLength = (rings[0].maxMsgLength() - HEADER_LENGTH - BatchRecordDescriptor.HEADER_LENGTH)
                & -BatchRecordDescriptor.ALIGNMENT;
        java.util.Arrays.fill(claimIndex, -1);
    }

    /** Queues the packet to every worker. */
    void dispatch(final CapturedPacket p) {
        // A ring takes messages of an eighth of its size: the default 4 MiB ring holds the largest
        // packet libpcap delivers; a smaller ring cuts a bigger packet, as a snap length would.
        final int capLen = Math.min(p.capLen, maxCapturedLength);
        final int record = BatchRecordDescriptor.recordLength(capLen);
        for (int w = 0; w < rings.length; w++) {
            if (claimIndex[w] < 0 || used[w] + record > claimLength[w]) {
                flush(w);
                if (!claim(w, Math.max(batchBytes, HEADER_LENGTH + record))) {
                    dropped++;
                    continue;
                }
            }
            final AtomicBuffer b = rings[w].buffer();
            final int at = claimIndex[w] + used[w];
            b.putLong(BatchRecordDescriptor.timestampOffset(at), p.tsNanos);
            b.putInt(BatchRecordDescriptor.capturedLengthOffset(at), capLen);
            b.putInt(BatchRecordDescriptor.wireLengthOffset(at), p.wireLen);
            b.putInt(BatchRecordDescriptor.linkTypeOffset(at), p.linkType);
            b.putInt(BatchRecordDescriptor.recordLengthOffset(at), record);
            b.putBytes(BatchRecordDescriptor.dataOffset(at), p.bytes, 0, capLen);
            used[w] += record;
            count[w]++;
        }
    }

    /**
     * Has the native reader of {@code input} write its next batch straight into the ring of
     * worker 0 (no copy on this thread), copies the batch whole to the other workers' rings, and
     * publishes it. Returns what {@link FileInput#nextBatch} returns: the packets, 0 at the end of
     * the file, or {@link FileInput#ONE_BY_ONE} (then nothing is claimed, and the caller takes
     * the next packet with {@link FileInput#next} and {@link #dispatch}).
     */
    int dispatchBatch(final FileInput input) {
        if (!input.batchReady()) {
            return FileInput.ONE_BY_ONE;
        }
        flushAll(); // packets dispatched one by one go first
        final int length = Math.min(batchBytes, rings[0].maxMsgLength());
        if (!claim(0, length)) {
            return FileInput.ONE_BY_ONE; // a full ring of a live capture: dispatch() counts the drop
        }
        final int index = claimIndex[0];
        final AtomicBuffer ring0 = rings[0].buffer();
        batchView.wrap(ring0, index + HEADER_LENGTH, length - HEADER_LENGTH);
        final int packets = input.nextBatch(batchView);
        if (packets <= 0) {
            rings[0].abort(index);
            claimIndex[0] = -1;
            return packets;
        }
        fanOut(index, HEADER_LENGTH + input.bytesUsed(), packets);
        return packets;
    }

    /**
     * The batch of {@code packets} in ring 0's claim at {@code index}, {@code batchUsed} bytes
     * with its header: copied to every other worker's ring, then all published.
     */
    private void fanOut(final int index, final int batchUsed, final int packets) {
        final AtomicBuffer ring0 = rings[0].buffer();
        used[0] = batchUsed;
        count[0] = packets;
        // Copy before committing ring 0: its worker zeroes what it has read.
        for (int w = 1; w < rings.length; w++) {
            if (!claim(w, batchUsed)) {
                dropped += packets;
                continue;
            }
            rings[w].buffer().putBytes(claimIndex[w] + HEADER_LENGTH, ring0, index + HEADER_LENGTH,
                    batchUsed - HEADER_LENGTH);
            used[w] = batchUsed;
            count[w] = packets;
        }
        flushAll();
    }

    /**
     * Has {@code capture} write what it has straight into the ring of worker 0, copies the batch
     * to the other rings, and publishes it. Returns the packets, or what
     * {@link LiveCapture#nextBatch} answered instead ({@code NOTHING_YET}, {@code STOPPED},
     * {@code FAILED}). A full ring never stalls the interface: the batch is read into
     * {@code overflow} and its packets counted as {@link #dropped}, so the kernel's buffer keeps
     * draining and libpcap's own drop counters stay for the kernel's drops.
     */
    int dispatchLive(final LiveCapture capture, final UnsafeBuffer overflow) {
        return dispatchLive(capture, overflow, Math.min(batchBytes, rings[0].maxMsgLength()));
    }

    /** The largest batch a ring takes: what {@code overflow} must hold, a packet of any snap length. */
    int maxBatchLength() {
        return rings[0].maxMsgLength();
    }

    private int dispatchLive(final LiveCapture capture, final UnsafeBuffer overflow, final int length) {
        if (!claim(0, length)) {
            final int lost = capture.nextBatch(overflow);
            if (lost > 0) {
                dropped += (long) lost * rings.length;
            }
            return lost == LiveCapture.TOO_SMALL ? LiveCapture.FAILED : lost;
        }
        final int index = claimIndex[0];
        final AtomicBuffer ring0 = rings[0].buffer();
        batchView.wrap(ring0, index + HEADER_LENGTH, length - HEADER_LENGTH);
        final int packets = capture.nextBatch(batchView);
        if (packets <= 0) {
            rings[0].abort(index);
            claimIndex[0] = -1;
            if (packets == LiveCapture.TOO_SMALL) {
                // A packet larger than a batch (loopback and GRO frames reach 65,549 bytes): it
                // waits in the reader for a batch of the largest message a ring takes.
                return length < rings[0].maxMsgLength()
                        ? dispatchLive(capture, overflow, rings[0].maxMsgLength()) : LiveCapture.FAILED;
            }
            return packets;
        }
        fanOut(index, HEADER_LENGTH + capture.bytesUsed(), packets);
        return packets;
    }

    /** Publishes every open batch (end of a file, before waiting for the workers). */
    void flushAll() {
        for (int w = 0; w < rings.length; w++) {
            flush(w);
        }
    }

    private void flush(final int w) {
        final int index = claimIndex[w];
        if (index < 0) {
            return;
        }
        final AtomicBuffer b = rings[w].buffer();
        b.putInt(index + COUNT_OFFSET, count[w]);
        b.putInt(index + USED_OFFSET, used[w]);
        b.putLong(index + COMMIT_NANOS_OFFSET, System.nanoTime());
        rings[w].commit(index);
        queued[w] += count[w];
        claimIndex[w] = -1;
    }

    private boolean claim(final int w, final int length) {
        final OneToOneRingBuffer ring = rings[w];
        int index = ring.tryClaim(MSG_BATCH, length);
        if (index < 0) {
            if (dropWhenFull) {
                return false;
            }
            ringFullWaits++;
            do {
                idle.idle();
                index = ring.tryClaim(MSG_BATCH, length);
            } while (index < 0);
            idle.reset();
        }
        claimIndex[w] = index;
        claimLength[w] = length;
        used[w] = HEADER_LENGTH;
        count[w] = 0;
        return true;
    }

    /** Publishes what is open and tells every worker the input ended; waits for room, even for live input. */
    void end() {
        flushAll();
        for (OneToOneRingBuffer ring : rings) {
            int index;
            while ((index = ring.tryClaim(MSG_END, 8)) < 0) {
                idle.idle();
            }
            idle.reset();
            ring.buffer().putLong(index, 0L);
            ring.commit(index);
        }
    }
}
