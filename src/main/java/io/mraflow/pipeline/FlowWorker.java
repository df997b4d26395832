package io.mraflow.pipeline;

import static io.mraflow.pipeline.PacketMessageDescriptor.ENQUEUE_NANOS_OFFSET;
import static io.mraflow.pipeline.PacketMessageDescriptor.MSG_END;

import io.mraflow.decode.PacketView;
import io.mraflow.flow.FlowRecord;
import io.mraflow.flow.FlowTable;
import io.mraflow.flow.FlowTableConfig;
import io.mraflow.inspect.PayloadInspector;
import org.HdrHistogram.Histogram;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One worker: the single consumer of its ring and the owner of its {@link FlowTable}. Its
 * {@link #run} is called by one thread only (the worker thread); every other method may be called
 * by any thread but reads only what the worker published: {@link #processed()} through an
 * ordered store after each read of the ring, and the flows, counters and histogram after the
 * worker thread was joined (the join is the happens-before edge).
 *
 * <p>Per message: rebuild the reused {@link PacketView} from the message (its payload pointing
 * into the ring), record the sampled enqueue-to-dequeue time in the histogram, and hand the view
 * to the flow table. No allocation, no lock; an idle worker backs off from spinning to parking.
 */
final class FlowWorker implements Runnable, MessageHandler {
    /** Longest latency the histogram tracks; longer ones are recorded as this. */
    static final long MAX_LATENCY_NANOS = 60_000_000_000L;

    private final int id;
    private final OneToOneRingBuffer ring;
    private final FlowTable table;
    private final List<FlowRecord> flows = new ArrayList<>();
    private final PacketView view = new PacketView();
    private final Histogram latency = new Histogram(MAX_LATENCY_NANOS, 3);
    private final IdleStrategy idle = new BackoffIdleStrategy(256, 16, 1_000, 100_000);
    private final AtomicLong processedOut = new AtomicLong();

    private long processed;
    private long cpuNanos;
    private boolean ended;
    private Throwable failure;

    FlowWorker(final int id, final OneToOneRingBuffer ring, final FlowTableConfig config) {
        this.id = id;
        this.ring = ring;
        this.table = new FlowTable(config, flows::add, new PayloadInspector());
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
        }
        if (failure == null) {
            try {
                table.flushAll();
            } catch (RuntimeException | Error e) {
                failure = e;
            }
        }
        cpuNanos = java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
        processedOut.lazySet(processed);
    }

    @Override
    public void onMessage(final int msgTypeId, final MutableDirectBuffer buffer, final int index, final int length) {
        if (msgTypeId == MSG_END) {
            ended = true;
            return;
        }
        processed++;
        final long enqueued = buffer.getLong(index + ENQUEUE_NANOS_OFFSET);
        if (enqueued != 0) {
            latency.recordValue(Math.min(Math.max(0, System.nanoTime() - enqueued), MAX_LATENCY_NANOS));
        }
        if (failure != null) {
            return; // keep draining so the capture thread never waits on a dead worker
        }
        PacketMessageCodec.decode(buffer, index, view);
        try {
            table.onPacket(view);
        } catch (RuntimeException | Error e) {
            failure = e;
        }
    }

    int id() {
        return id;
    }

    /** Packet messages handled so far, as last published by the worker thread. */
    long processed() {
        return processedOut.get();
    }

    /** After join: every flow this worker's table emitted. */
    List<FlowRecord> flows() {
        return flows;
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
    long cpuNanos() {
        return cpuNanos;
    }

    /** After join: what made the worker stop processing, or null. */
    Throwable failure() {
        return failure;
    }
}
