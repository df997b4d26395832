package io.mraflow.pipeline;

import io.mraflow.capture.CapturedPacket;
import io.mraflow.capture.LiveCapture;
import io.mraflow.capture.batch.BatchRecordDescriptor;
import io.mraflow.decode.DecodeStatus;
import io.mraflow.decode.PacketDecoder;
import io.mraflow.decode.PacketView;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;

import java.nio.ByteBuffer;

/**
 * Hands packets to several workers, each packet decoded once and by one thread: the capture
 * thread. Called only by the capture thread (the one producer of every ring).
 *
 * <pre>
 *  capture thread                                            worker threads
 *  reader ─► slab ─► decode each packet once, owner by FlowSharding
 *                    ─► {slab, decoded records} ──ring 0──► FlowWorker 0: view from record, table.onPacket
 *                    ─► {slab, decoded records} ──ring 1──► FlowWorker 1: view from record, table.onPacket
 * </pre>
 *
 * A batch is read into the next slab of the {@link SlabPool} (the native reader writes there; other
 * readers' packets are copied into it one by one) and decoded there; each worker that owns some
 * of its packets gets one message ({@link RoutedBatchDescriptor}) with a compact
 * {@link DecodedRecord} per packet it owns, whose payload stays in the slab: no packet's bytes are
 * copied to a worker, none is decoded twice. The records go in the owner's ring rather than beside
 * the slab so that a worker reads only its own, in order, as the prefetcher likes: views left in
 * the slab for the workers to pick out, in no order, cost them more than decoding had
 * (BENCHMARKS.md, Several workers and routing).
 *
 * <p>File input waits when the next slab is not yet released or a ring is full (nothing is
 * dropped); live input reads into an overflow buffer and counts the packets as dropped when no
 * slab is free, and counts a worker's packets as dropped when its ring is full.
 */
final class PacketRouter implements Dispatcher {
    private final OneToOneRingBuffer[] rings;
    private final SlabPool pool;
    private final boolean dropWhenFull;
    private final int batchBytes;
    private final int maxBatchLength;
    private final int maxCapturedLength;
    private final PacketDecoder decoder = new PacketDecoder();
    private final FlowSharding sharding;
    private final IdleStrategy idle = new BackoffIdleStrategy(64, 16, 1_000, 100_000);
    /** The part of a slab the reader fills. */
    private final UnsafeBuffer batchView = new UnsafeBuffer(0, 0);
    /** Per worker, its message about the slab being routed, and its packets and bytes so far. */
    private final UnsafeBuffer[] messages;
    private final int[] counts;
    private final int[] used;
    /** Packets a slab holds at most: a message holds all of them. */
    private final int slots;
    private final CapturedPacket packet = new CapturedPacket();
    private final PacketView view = new PacketView();

    /** The sequence of the next slab to fill. */
    private long sequence;
    /** The slab being filled one packet at a time ({@link #dispatch}), or null; its bytes used and packets. */
    private SlabPool.Slab open;
    private int openUsed;
    private int openCount;

    private final long[] decodeStatus = new long[DecodeStatus.COUNT];
    private long notForFlows;
    /** The latest packet time of all packets: where the input ended, for every worker's table. */
    private long latestNanos = Long.MIN_VALUE;
    private final long[] queued;
    private long ringFullWaits;
    private long dropped;

    /**
     * @param rings          one per worker, of at least {@link RoutedBatchDescriptor#MIN_RING_CAPACITY}
     * @param batchBytes     bytes a slab is filled to (a packet larger than that goes alone)
     * @param maxBatchLength the largest batch, as one worker's ring takes it: packets are cut to
     *                       what it holds, as {@link PacketDispatcher} cuts them
     */
    PacketRouter(final OneToOneRingBuffer[] rings, final SlabPool pool, final int batchBytes, final int maxBatchLength,
                 final boolean dropWhenFull) {
        this.rings = rings;
        this.pool = pool;
        this.batchBytes = batchBytes;
        this.dropWhenFull = dropWhenFull;
        this.maxBatchLength = maxBatchLength;
        this.maxCapturedLength = PacketDispatcher.maxCapturedLength(maxBatchLength);
        this.sharding = new FlowSharding(rings.length);
        this.slots = RoutedBatchDescriptor.packetsFitting(rings[0].maxMsgLength());
        final int n = rings.length;
        messages = new UnsafeBuffer[n];
        for (int w = 0; w < n; w++) {
            messages[w] = new UnsafeBuffer(ByteBuffer.allocateDirect(RoutedBatchDescriptor.lengthFor(slots)));
        }
        counts = new int[n];
        used = new int[n];
        queued = new long[n];
    }

    @Override
    public void dispatch(final CapturedPacket p) {
        final int capLen = Math.min(p.capLen, maxCapturedLength);
        final int record = BatchRecordDescriptor.recordLength(capLen);
        if (open != null && openCount > 0 && (openUsed + record > batchBytes || openCount == slots)) {
            flushAll();
        }
        if (open == null) {
            open = acquire();
            if (open == null) {
                dropped++;
                return;
            }
            openUsed = 0;
            openCount = 0;
        }
        if (record > open.buffer.capacity()) {
            open.grow(maxBatchLength); // a packet larger than a batch goes alone
        }
        BatchRecordDescriptor.write(open.buffer, openUsed, p, capLen, record);
        openUsed += record;
        openCount++;
    }

    /** The native reader writes straight into the next slab: no copy on this thread. */
    @Override
    public int dispatchBatch(final FileInput input) {
        if (!input.batchReady()) {
            return FileInput.ONE_BY_ONE;
        }
        flushAll(); // packets dispatched one by one go first
        final SlabPool.Slab slab = acquire();
        if (slab == null) {
            return FileInput.ONE_BY_ONE; // no free slab for a live capture: dispatch() counts the drop
        }
        batchView.wrap(slab.buffer, 0, batchBytes);
        final int packets = input.nextBatch(batchView, slots);
        if (packets > 0) {
            route(slab, packets);
        }
        return packets;
    }

    @Override
    public int dispatchLive(final LiveCapture capture, final UnsafeBuffer overflow) {
        final SlabPool.Slab slab = acquire();
        if (slab == null) {
            final int lost = capture.nextBatch(overflow, slots);
            if (lost > 0) {
                dropped += lost;
            }
            return lost == LiveCapture.TOO_SMALL ? LiveCapture.FAILED : lost;
        }
        batchView.wrap(slab.buffer, 0, batchBytes);
        int packets = capture.nextBatch(batchView, slots);
        if (packets == LiveCapture.TOO_SMALL) {
            // A packet larger than a batch (loopback and GRO frames reach 65,549 bytes): it waits
            // in the reader for the largest batch.
            slab.grow(maxBatchLength);
            batchView.wrap(slab.buffer, 0, maxBatchLength);
            packets = capture.nextBatch(batchView, slots);
            if (packets == LiveCapture.TOO_SMALL) {
                return LiveCapture.FAILED;
            }
        }
        if (packets > 0) {
            route(slab, packets);
        }
        return packets;
    }

    @Override
    public int maxBatchLength() {
        return maxBatchLength;
    }

    /** The slab of the next sequence once free; null when it is not and live input cannot wait. */
    private SlabPool.Slab acquire() {
        final SlabPool.Slab slab = pool.slab(sequence);
        if (!pool.isFree(slab)) {
            if (dropWhenFull) {
                return null;
            }
            ringFullWaits++;
            do {
                idle.idle();
            } while (!pool.isFree(slab));
            idle.reset();
        }
        return slab;
    }

    /**
     * Decodes the {@code packets} records of {@code slab} once and sends every worker that owns
     * some of them their decoded records.
     */
    private void route(final SlabPool.Slab slab, final int packets) {
        final long seq = sequence++;
        slab.sequence = seq;
        final UnsafeBuffer b = slab.buffer;
        final long base = b.addressOffset();
        final int[] count = counts;
        java.util.Arrays.fill(count, 0);
        java.util.Arrays.fill(used, RoutedBatchDescriptor.HEADER_LENGTH);
        final long[] status = decodeStatus;
        final CapturedPacket pkt = packet;
        final PacketView v = view;
        long latest = latestNanos;
        long unused = 0;
        int at = 0;
        for (int i = 0; i < packets; i++) {
            final int capLen = b.getInt(BatchRecordDescriptor.capturedLengthOffset(at));
            pkt.tsNanos = b.getLong(BatchRecordDescriptor.timestampOffset(at));
            pkt.capLen = capLen;
            pkt.wireLen = b.getInt(BatchRecordDescriptor.wireLengthOffset(at));
            pkt.linkType = b.getInt(BatchRecordDescriptor.linkTypeOffset(at));
            pkt.bytes.wrap(base + BatchRecordDescriptor.dataOffset(at), capLen);
            decoder.decode(pkt, v);
            latest = Math.max(latest, pkt.tsNanos);
            status[v.status]++;
            if (FlowSharding.usedByFlowTable(v)) {
                final int w = sharding.workerOf(v);
                used[w] += DecodedRecord.write(v, BatchRecordDescriptor.dataOffset(at), messages[w], used[w]);
                count[w]++;
            } else {
                unused++;
            }
            at += b.getInt(BatchRecordDescriptor.recordLengthOffset(at));
        }
        latestNanos = latest;
        notForFlows += unused;
        long handed = 0;
        for (int w = 0; w < rings.length; w++) {
            if (count[w] > 0 && send(w, seq)) {
                handed |= 1L << w;
            }
        }
        slab.workers = handed;
    }

    /** Copies worker {@code w}'s message about slab {@code seq} into its ring; false when dropped (live). */
    private boolean send(final int w, final long seq) {
        final UnsafeBuffer m = messages[w];
        final int n = counts[w];
        final int length = used[w];
        m.putInt(RoutedBatchDescriptor.COUNT_OFFSET, n);
        m.putInt(RoutedBatchDescriptor.USED_OFFSET, length);
        m.putLong(RoutedBatchDescriptor.SEQUENCE_OFFSET, seq);
        m.putLong(RoutedBatchDescriptor.COMMIT_NANOS_OFFSET, System.nanoTime());
        final OneToOneRingBuffer ring = rings[w];
        if (!ring.write(RoutedBatchDescriptor.MSG_ROUTED, m, 0, length)) {
            if (dropWhenFull) {
                dropped += n;
                return false;
            }
            ringFullWaits++;
            do {
                idle.idle();
                m.putLong(RoutedBatchDescriptor.COMMIT_NANOS_OFFSET, System.nanoTime());
            } while (!ring.write(RoutedBatchDescriptor.MSG_ROUTED, m, 0, length));
            idle.reset();
        }
        queued[w] += n;
        return true;
    }

    @Override
    public void flushAll() {
        if (open != null) {
            if (openCount > 0) {
                route(open, openCount);
            }
            open = null;
        }
    }

    @Override
    public void end() {
        flushAll();
        for (OneToOneRingBuffer ring : rings) {
            Dispatcher.sendEnd(ring, latestNanos, idle); // a worker saw only its own packets' times
        }
    }

    @Override
    public long queued(final int w) {
        return queued[w];
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
        for (int s = 0; s < status.length; s++) {
            status[s] += decodeStatus[s];
        }
    }

    @Override
    public long notForFlows() {
        return notForFlows;
    }
}
