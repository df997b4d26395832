package io.mraflow.pipeline;

import static io.mraflow.pipeline.PacketBatchDescriptor.COMMIT_NANOS_OFFSET;
import static io.mraflow.pipeline.PacketBatchDescriptor.COUNT_OFFSET;
import static io.mraflow.pipeline.PacketBatchDescriptor.HEADER_LENGTH;
import static io.mraflow.pipeline.PacketBatchDescriptor.MSG_BATCH;
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
 * Puts captured packets, in batches, into the single-producer single-consumer ring of the one
 * worker. Called only by the capture thread (the ring's one producer). The capture thread does no
 * decoding: the native reader writes batches straight into ring space it claims
 * ({@link #dispatchBatch}), other readers' packets are copied one by one ({@link #dispatch}), and
 * the worker decodes them.
 *
 * <p>A batch is claimed in place ({@code tryClaim}), filled record by record, and published by
 * {@code commit}, whose ordered store makes the records visible to the worker. File input waits
 * when the ring is full (nothing is dropped); live input counts the packets it could not queue.
 */
final class PacketDispatcher implements Dispatcher {
    private final OneToOneRingBuffer ring;
    private final boolean dropWhenFull;
    private final int maxCapturedLength;
    private final int batchBytes;
    private final IdleStrategy idle = new BackoffIdleStrategy(64, 16, 1_000, 100_000);
    /** The claimed part of the ring that the native reader fills. */
    private final UnsafeBuffer batchView = new UnsafeBuffer(0, 0);

    // The open batch: claim index (-1 = none), its length, bytes used, packets.
    private int claimIndex = -1;
    private int claimLength;
    private int used;
    private int count;

    private long queued;
    private long ringFullWaits;
    private long dropped;

    PacketDispatcher(final OneToOneRingBuffer ring, final int batchBytes, final boolean dropWhenFull) {
        this.ring = ring;
        this.batchBytes = batchBytes;
        this.dropWhenFull = dropWhenFull;
        maxCapturedLength = maxCapturedLength(ring.maxMsgLength());
    }

    /**
     * The longest packet a batch of {@code maxBatchLength} bytes carries: a ring takes messages of
     * an eighth of its size, so the default 4 MiB ring holds the largest packet libpcap delivers;
     * a smaller ring cuts a bigger packet, as a snap length would. Both dispatchers cut alike.
     */
    static int maxCapturedLength(final int maxBatchLength) {
        return (maxBatchLength - HEADER_LENGTH - BatchRecordDescriptor.HEADER_LENGTH) & -BatchRecordDescriptor.ALIGNMENT;
    }

    @Override
    public void dispatch(final CapturedPacket p) {
        final int capLen = Math.min(p.capLen, maxCapturedLength);
        final int record = BatchRecordDescriptor.recordLength(capLen);
        if (claimIndex < 0 || used + record > claimLength) {
            flushAll();
            if (!claim(Math.max(batchBytes, HEADER_LENGTH + record))) {
                dropped++;
                return;
            }
        }
        BatchRecordDescriptor.write(ring.buffer(), claimIndex + used, p, capLen, record);
        used += record;
        count++;
    }

    /** The native reader writes straight into the ring: no copy on this thread. */
    @Override
    public int dispatchBatch(final FileInput input) {
        if (!input.batchReady()) {
            return FileInput.ONE_BY_ONE;
        }
        flushAll(); // packets dispatched one by one go first
        final int length = Math.min(batchBytes, ring.maxMsgLength());
        if (!claim(length)) {
            return FileInput.ONE_BY_ONE; // a full ring of a live capture: dispatch() counts the drop
        }
        batchView.wrap(ring.buffer(), claimIndex + HEADER_LENGTH, length - HEADER_LENGTH);
        final int packets = input.nextBatch(batchView, Integer.MAX_VALUE);
        if (packets <= 0) {
            ring.abort(claimIndex);
            claimIndex = -1;
            return packets;
        }
        used = HEADER_LENGTH + input.bytesUsed();
        count = packets;
        flushAll();
        return packets;
    }

    @Override
    public int dispatchLive(final LiveCapture capture, final UnsafeBuffer overflow) {
        return dispatchLive(capture, overflow, Math.min(batchBytes, ring.maxMsgLength()));
    }

    @Override
    public int maxBatchLength() {
        return ring.maxMsgLength();
    }

    private int dispatchLive(final LiveCapture capture, final UnsafeBuffer overflow, final int length) {
        if (!claim(length)) {
            final int lost = capture.nextBatch(overflow);
            if (lost > 0) {
                dropped += lost;
            }
            return lost == LiveCapture.TOO_SMALL ? LiveCapture.FAILED : lost;
        }
        batchView.wrap(ring.buffer(), claimIndex + HEADER_LENGTH, length - HEADER_LENGTH);
        final int packets = capture.nextBatch(batchView);
        if (packets <= 0) {
            ring.abort(claimIndex);
            claimIndex = -1;
            if (packets == LiveCapture.TOO_SMALL) {
                // A packet larger than a batch (loopback and GRO frames reach 65,549 bytes): it
                // waits in the reader for a batch of the largest message a ring takes.
                return length < ring.maxMsgLength()
                        ? dispatchLive(capture, overflow, ring.maxMsgLength()) : LiveCapture.FAILED;
            }
            return packets;
        }
        used = HEADER_LENGTH + capture.bytesUsed();
        count = packets;
        flushAll();
        return packets;
    }

    @Override
    public void flushAll() {
        final int index = claimIndex;
        if (index < 0) {
            return;
        }
        final AtomicBuffer b = ring.buffer();
        b.putInt(index + COUNT_OFFSET, count);
        b.putInt(index + USED_OFFSET, used);
        b.putLong(index + COMMIT_NANOS_OFFSET, System.nanoTime());
        ring.commit(index);
        queued += count;
        claimIndex = -1;
    }

    private boolean claim(final int length) {
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
        claimIndex = index;
        claimLength = length;
        used = HEADER_LENGTH;
        count = 0;
        return true;
    }

    @Override
    public void end() {
        flushAll();
        // The worker saw every packet: it knows the latest time itself.
        Dispatcher.sendEnd(ring, Long.MIN_VALUE, idle);
    }

    @Override
    public long queued(final int w) {
        return queued;
    }

    @Override
    public long ringFullWaits() {
        return ringFullWaits;
    }

    @Override
    public long dropped() {
        return dropped;
    }

    @Override
    public void addDecodeStatus(final long[] status) {
        // the worker decodes
    }

    @Override
    public long notForFlows() {
        return 0; // the worker counts them
    }
}
