package io.mraflow.pipeline;

import static io.mraflow.pipeline.PacketBatchDescriptor.COMMIT_NANOS_OFFSET;
import static io.mraflow.pipeline.PacketBatchDescriptor.COUNT_OFFSET;
import static io.mraflow.pipeline.PacketBatchDescriptor.HEADER_LENGTH;
import static io.mraflow.pipeline.PacketBatchDescriptor.MSG_END;
import static io.mraflow.pipeline.PacketBatchDescriptor.USED_OFFSET;

import io.mraflow.capture.batch.BatchRecordDescriptor;
import io.mraflow.decode.DecodeStatus;

import io.mraflow.decode.PacketView;
import io.mraflow.flow.FlowEnd;
import io.mraflow.flow.FlowSink;
import io.mraflow.flow.FlowTable;
import io.mraflow.flow.FlowTableConfig;
import io.mraflow.inspect.PayloadInspector;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;

import java.util.concurrent.atomic.AtomicLong;

/**
 * One worker: the single consumer of its ring and the owner of its {@link FlowTable}. Its
 * {@link #run} is called by one thread only (the worker thread); every other method may be called
 * by any thread but reads only what the worker published: {@link #processed()} through an
 * ordered store after each read of the ring, and the flows, counters and histogram after the
 * worker thread was joined (the join is the happens-before edge).
 *
 * <p>Per message, with one worker a batch of captured packets: decode each in place (the view's
 * payload points into the ring) and keep those the flow table uses for the {@link FlowStage} (table,
 * then payload inspector, a prefetched chunk at a time). With several, the packets
 * of a shared slab this worker owns, decoded by the capture thread ({@link PacketRouter}): fill the
 * view from each decoded record, its payload read in the slab, for the stage, then release
 * the slab ({@link SlabPool#release}). Either way,
 * record the batch's commit-to-processed time in the histogram. No allocation, no lock; an idle
 * worker backs off from spinning to parking.
 */
final class FlowWorker implements Runnable, MessageHandler {
    /** Longest latency the histogram tracks; longer ones are recorded as this. */
    static final long MAX_LATENCY_NANOS = 60_000_000_000L;

    private final int id;
    private final OneToOneRingBuffer ring;
    private final FlowTable table;
    private final FlowSink flows;
    /** Live capture: wall-clock expiry and snapshots; null for files. */
    private final LiveClock live;
    private long nextExpiry;
    private long nextSnapshot;
    private long snapshotSince = Long.MIN_VALUE;
    private final FlowStage stage;
    /** The slabs of routed messages; null with one worker. */
    private final SlabPool slabs;
    /** Packets per decode status, of the packets this worker decoded (one worker only). */
    final long[] decodeStatus = new long[DecodeStatus.COUNT];
    /** Packets no flow uses, of those this worker decoded. */
    long notForFlows;
    /** Packets whose flow this worker owns. */
    long owned;
    private final Histogram latency = new Histogram(MAX_LATENCY_NANOS, 3);
    /** Live: the same latencies, recorded wait-free so that a metrics scrape can read them while the worker runs. */
    private final SingleWriterRecorder liveLatency = new SingleWriterRecorder(MAX_LATENCY_NANOS, 2);
    private final IdleStrategy idle = new BackoffIdleStrategy(256, 16, 1_000, 100_000);
    private final AtomicLong processedOut = new AtomicLong();
    private final AtomicLong activeOut = new AtomicLong();
    private final AtomicLong evictedOut = new AtomicLong();

    private long processed;
    /** The latest packet time of all packets, this worker's flows or not: where the input ended. */
    private long latestNanos = Long.MIN_VALUE;
    private long cpuNanos;
    /** CPU time spent handling messages: the worker's cost, without its waiting for the capture thread. */
    private long busyNanos;
    private boolean ended;
    private Throwable failure;

    /**
     * @param slabs the slabs of routed messages (several workers), or null (one worker)
     * @param sink where ended flows go: the spill of a file analysis, the events of a live one
     * @param live wall-clock duties of a live capture, or null
     * @param rtpClockHz clock rate of RTP's dynamic payload types ({@link PipelineConfig#rtpClockHz()})
     * @param rtpTimelines keep RTP timelines ({@link PipelineConfig#rtpTimelines()})
     */
    FlowWorker(final int id, final OneToOneRingBuffer ring, final SlabPool slabs, final FlowTableConfig config,
               final FlowSink sink, final LiveClock live, final int rtpClockHz, final boolean rtpTimelines) {
        this.id = id;
        this.slabs = slabs;
        this.ring = ring;
        this.flows = sink;
        this.live = live;
        this.table = new FlowTable(config, sink, true);
        this.stage = new FlowStage(table,
                new PayloadInspector(PayloadInspector.DEFAULT_PACKETS_PER_DIRECTION, rtpClockHz, rtpTimelines));
    }

    @Override
    public void run() {
        while (!ended) {
            final int read = ring.read(this);
            if (read == 0) {
                idle.idle();
            } else {
                idle.reset();
                processedOut.lazySet(processed); // ordered store: a reader sees the table state behind it
            }
            if (live != null && failure == null) {
                onClock(); // per read of the ring, not per packet
                activeOut.lazySet(table.size());
                evictedOut.lazySet(table.flowsEvicted());
            }
        }
        if (failure == null) {
            try {
                if (live != null) {
                    table.flushAll(live.nowNanos(), FlowEnd.SHUTDOWN);
                } else {
                    table.flushAll(latestNanos);
                }
            } catch (RuntimeException | Error e) {
                failure = e;
            }
        }
        cpuNanos = ThreadCpuClock.nanos();
        processedOut.lazySet(processed);
        activeOut.lazySet(table.size());
        evictedOut.lazySet(table.flowsEvicted());
    }

    /**
     * A live capture's wall-clock duties: flows expire even when no packet comes (a quiet link
     * still ends its flows within a tick of their timeout), and about once a second the flows that
     * changed are handed over as they stand, so that findings are raised before the flows end.
     */
    private void onClock() {
        final long mono = System.nanoTime();
        if (mono - nextExpiry >= 0) {
            nextExpiry = mono + live.expiryEveryNanos();
            try {
                table.expireIdle(live.nowNanos(), Math.max(1024, table.capacity() / live.expiryTicksPerWalk()));
            } catch (RuntimeException | Error e) {
                failure = e;
            }
        }
        if (live.snapshots() != null && mono - nextSnapshot >= 0) {
            nextSnapshot = mono + live.snapshotEveryNanos();
            final long now = live.nowNanos();
            try {
                table.snapshotChanged(snapshotSince, live.snapshots());
            } catch (RuntimeException | Error e) {
                failure = e;
            }
            snapshotSince = now;
        }
    }

    @Override
    public void onMessage(final int msgTypeId, final MutableDirectBuffer buffer, final int index, final int length) {
        if (msgTypeId == MSG_END) {
            latestNanos = Math.max(latestNanos, buffer.getLong(index)); // the input's, when this worker saw only some
            ended = true;
            return;
        }
        final long cpuBefore = ThreadCpuClock.nanos(); // per message of thousands of packets, not per packet
        if (msgTypeId == RoutedBatchDescriptor.MSG_ROUTED) {
            onRouted(buffer, index);
        } else {
            onBatch(buffer, index);
        }
        busyNanos += ThreadCpuClock.nanos() - cpuBefore;
        final long waited = Math.min(Math.max(0, System.nanoTime() - buffer.getLong(index + COMMIT_NANOS_OFFSET)),
                MAX_LATENCY_NANOS);
        latency.recordValue(waited);
        if (live != null) {
            liveLatency.recordValue(waited);
        }
    }

    /**
     * A slab's packets this worker owns, decoded by the capture thread: each record fills the view,
     * whose buffer is the packet's bytes in the slab, for the flow table.
     */
    private void onRouted(final MutableDirectBuffer buffer, final int index) {
        final int packets = buffer.getInt(index + RoutedBatchDescriptor.COUNT_OFFSET);
        final int end = index + buffer.getInt(index + RoutedBatchDescriptor.USED_OFFSET);
        final long sequence = buffer.getLong(index + RoutedBatchDescriptor.SEQUENCE_OFFSET);
        final long slab = slabs.slab(sequence).buffer.addressOffset();
        if (failure == null) {
            try {
                for (int at = index + RoutedBatchDescriptor.HEADER_LENGTH; at < end; ) {
                    final PacketView v = stage.nextView();
                    final int length = DecodedRecord.read(buffer, at, v);
                    stage.nextBytes(slab + DecodedRecord.packetOffset(buffer, at), v.capLen, v);
                    latestNanos = Math.max(latestNanos, v.tsNanos);
                    owned++;
                    stage.keep();
                    at += length;
                }
                stage.run(); // before the slab is released
            } catch (RuntimeException | Error e) {
                failure = e; // keep draining and releasing so the capture thread never waits on a dead worker
            }
        }
        slabs.release(id, sequence);
        processed += packets;
    }

    /** A batch of captured packets (one worker): decode each here. */
    private void onBatch(final MutableDirectBuffer buffer, final int index) {
        final int packets = buffer.getInt(index + COUNT_OFFSET);
        final int end = index + buffer.getInt(index + USED_OFFSET);
        if (failure == null) {
            try {
                for (int at = index + HEADER_LENGTH; at < end; ) {
                    final long ts = buffer.getLong(BatchRecordDescriptor.timestampOffset(at));
                    latestNanos = Math.max(latestNanos, ts);
                    final PacketView view = stage.decode(buffer, BatchRecordDescriptor.dataOffset(at),
                            buffer.getInt(BatchRecordDescriptor.capturedLengthOffset(at)), ts,
                            buffer.getInt(BatchRecordDescriptor.wireLengthOffset(at)),
                            buffer.getInt(BatchRecordDescriptor.linkTypeOffset(at)));
                    if (usedByTable(view)) {
                        stage.keep();
                    }
                    at += buffer.getInt(BatchRecordDescriptor.recordLengthOffset(at));
                }
                stage.run(); // before the ring takes the message's memory back
            } catch (RuntimeException | Error e) {
                failure = e; // keep draining so the capture thread never waits on a dead worker
            }
        }
        processed += packets;
    }

    /** Counts a packet this worker decoded (the only worker: every flow is its own); true when the flow table uses it. */
    private boolean usedByTable(final PacketView view) {
        decodeStatus[view.status]++;
        if (!FlowSharding.usedByFlowTable(view)) {
            notForFlows++;
            return false;
        }
        owned++;
        return true;
    }

    int id() {
        return id;
    }

    /** Flows open in this worker's table, as last published by the worker thread (any thread). */
    long activeFlows() {
        return activeOut.get();
    }

    /** Flows this worker evicted, as last published (any thread). */
    long evicted() {
        return evictedOut.get();
    }

    /** Packet messages handled so far, as last published by the worker thread. */
    long processed() {
        return processedOut.get();
    }

    /** Where this worker's table emits its flows. */
    FlowSink flows() {
        return flows;
    }

    /** Live, any thread: the batch latencies recorded since the last call (the recorder's interval histogram). */
    Histogram latencySinceLastCall() {
        return liveLatency.getIntervalHistogram();
    }

    /** After join: the sampled enqueue-to-dequeue times, nanoseconds. */
    Histogram latency() {
        return latency;
    }

    /** After join: the table, for its counters. */
    FlowTable table() {
        return table;
    }

    /** After join: CPU time of the worker thread over its life, nanoseconds (spinning while idle included). */
    /** After join: CPU time spent handling messages, nanoseconds (no idle spinning). */
    long busyNanos() {
        return busyNanos;
    }

    long cpuNanos() {
        return cpuNanos;
    }

    /** After join: a failure met after the worker ended (its spill could not be sorted). */
    void failed(final Throwable e) {
        if (failure == null) {
            failure = e;
        }
    }

    /** After join: what made the worker stop processing, or null. */
    Throwable failure() {
        return failure;
    }
}
