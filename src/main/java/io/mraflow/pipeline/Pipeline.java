package io.mraflow.pipeline;

import io.mraflow.capture.CapturedPacket;
import io.mraflow.capture.LiveCapture;
import io.mraflow.capture.PacketSource;
import io.mraflow.capture.batch.BatchRecordDescriptor;
import io.mraflow.decode.DecodeStatus;
import io.mraflow.decode.PacketDecoder;
import io.mraflow.decode.PacketView;
import io.mraflow.flow.FlowTableConfig;
import org.HdrHistogram.Histogram;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import io.mraflow.flow.FlowSink;
import java.util.concurrent.locks.LockSupport;

/**
 * The capture thread's side of the packet path and the worker threads behind it: the thread that
 * calls {@link #start} is the capture thread and must make every later call; the workers are
 * threads of their own, each the single consumer of one Agrona {@link OneToOneRingBuffer} of
 * which the capture thread is the single producer. Every packet is decoded once, by one thread.
 *
 * <pre>
 *  one worker:     native reader ─► batch in the ring ──ring──► FlowWorker: decode, FlowTable.onPacket
 *
 *  several:        native reader ─► slab, decode, owner ─► {slab, records} ──ring 0──► FlowWorker 0: FlowTable.onPacket
 *                  (capture thread: PacketRouter)       ─► {slab, records} ──ring 1──► FlowWorker 1: FlowTable.onPacket
 * </pre>
 *
 * With one worker the capture thread only reads ({@link PacketDispatcher}); with several it also
 * decodes and routes each packet by reference to the worker of its flow ({@link PacketRouter}).
 * The native reader fills ring space or a slab itself; packets that cannot come that way (the
 * fallback readers, a packet larger than a batch, the rest of a damaged file) are copied one by
 * one from {@code source.next}.
 *
 * {@link #finish} sends the end message down every ring, joins the workers (after which their
 * flows and counters are safely visible here) and merges their flows in
 * {@link FileAnalysis#FLOW_ORDER}.
 */
final class Pipeline {
    /** Flows one worker's table holds at most. */
    private final int maxFlows;
    private final FlowWorker[] workers;
    private final Thread[] threads;
    private final Dispatcher dispatcher;
    private final CapturedPacket packet = new CapturedPacket();
    /** Packets of link types the decoder does not know (the dispatcher or the workers count the rest). */
    final long[] decodeStatus = new long[DecodeStatus.COUNT];
    long packets;
    private final java.util.concurrent.atomic.AtomicLong packetsOut = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong bytesOut = new java.util.concurrent.atomic.AtomicLong();
    private long bytes;
    private long captureCpuStart;
    private long captureCpuNanos;

    /** A file analysis: each worker's ended flows go to a spill of {@code spillChunkFlows} flows in memory. */
    Pipeline(final FlowTableConfig flowConfig, final PipelineConfig config, final int spillChunkFlows,
             final Path spillDirectory) {
        this(flowConfig, config, spillChunkFlows, spillDirectory, null);
    }

    /** As above, and every spill also tells {@code endedFlowTap} (null for none) of each flow as it ends. */
    Pipeline(final FlowTableConfig flowConfig, final PipelineConfig config, final int spillChunkFlows,
             final Path spillDirectory, final FlowSink endedFlowTap) {
        this(flowConfig, config, w -> new FlowSpill(spillChunkFlows, spillDirectory, endedFlowTap), null);
    }

    /** {@code sinks} gives each worker's flow sink; {@code live} the wall-clock duties of a live capture, or null. */
    Pipeline(final FlowTableConfig flowConfig, final PipelineConfig config, final IntFunction<FlowSink> sinks,
             final LiveClock live) {
        this.maxFlows = flowConfig.maxFlows();
        final int n = config.workers();
        final OneToOneRingBuffer[] rings = new OneToOneRingBuffer[n];
        // Routed messages need room for one decoded record at least, whatever the batches.
        final int ringCapacity = n == 1 ? config.ringCapacity()
                : Math.max(config.ringCapacity(), RoutedBatchDescriptor.MIN_RING_CAPACITY);
        for (int w = 0; w < n; w++) {
            rings[w] = new OneToOneRingBuffer(new UnsafeBuffer(
                    ByteBuffer.allocateDirect(ringCapacity + RingBufferDescriptor.TRAILER_LENGTH)));
        }
        final SlabPool slabs = n == 1 ? null : new SlabPool(slabCount(config), config.batchBytes(), n);
        workers = new FlowWorker[n];
        threads = new Thread[n];
        for (int w = 0; w < n; w++) {
            workers[w] = new FlowWorker(w, rings[w], slabs, flowConfig, sinks.apply(w), live, config.rtpClockHz(),
                    config.rtpTimelines());
            threads[w] = new Thread(workers[w], "mraflow-worker-" + w);
            threads[w].setDaemon(true);
        }
        dispatcher = n == 1 ? new PacketDispatcher(rings[0], config.batchBytes(), config.dropWhenFull())
                : new PacketRouter(rings, slabs, config.batchBytes(), config.ringCapacity() / 8 /* OneToOneRingBuffer.maxMsgLength of the configured ring */, config.dropWhenFull());
    }

    /**
     * Slabs of a pipeline with several workers: as many batches as one ring would hold, from 8 to
     * 64. The workers share them, so one worker that the scheduler leaves out for a few
     * milliseconds must not stop the capture thread sooner than a full ring of its own did.
     */
    static int slabCount(final PipelineConfig config) {
        return Math.max(8, Math.min(64, config.ringCapacity() / config.batchBytes()));
    }

    void start() {
        captureCpuStart = ThreadCpuClock.nanos();
        for (Thread t : threads) {
            t.start();
        }
    }

    /**
     * Reads {@code source} to its end (or damage) on the calling thread, handing packets to the
     * workers. Returns the packets of an unsupported link type (counted, not dispatched) and sets
     * {@code unsupportedType[0]} to the last such link type. Allocates nothing.
     */
    long drain(final PacketSource source, final ProgressLine progress, final int[] unsupportedType) {
        long unsupported = 0;
        final CapturedPacket pkt = packet;
        final long[] status = decodeStatus;
        final FileInput batches = source instanceof FileInput in && PacketDecoder.supports(in.batchLinkType()) ? in : null;
        while (true) {
            if (batches != null) {
                // The native reader writes straight into the worker's ring: no copy here.
                final int count = dispatcher.dispatchBatch(batches);
                if (count > 0) {
                    packets += count;
                    progress.packets(count, batches.bytesUsed() - (long) count * BatchRecordDescriptor.HEADER_LENGTH);
                    continue;
                }
                if (count == 0) {
                    break; // end of file
                }
            }
            if (!source.next(pkt)) {
                break;
            }
            packets++;
            progress.packet(pkt.capLen);
            // Decoded by the worker (one) or the router (several); a link type neither knows is counted here.
            if (!PacketDecoder.supports(pkt.linkType)) {
                status[DecodeStatus.UNSUPPORTED_LINK]++;
                unsupported++;
                unsupportedType[0] = pkt.linkType;
                continue;
            }
            dispatcher.dispatch(pkt);
        }
        dispatcher.flushAll();
        return unsupported;
    }

    /**
     * Reads {@code capture} on the calling thread until it is stopped ({@link LiveCapture#breakLoop})
     * or fails, handing batches to the workers; packets a full ring could not take are counted in
     * {@link #ringDrops()}. Returns null when stopped, else the capture's error. Allocates nothing
     * per packet.
     */
    String drainLive(final LiveCapture capture) {
        final UnsafeBuffer overflow = new UnsafeBuffer(ByteBuffer.allocateDirect(dispatcher.maxBatchLength()));
        while (true) {
            final int n = dispatcher.dispatchLive(capture, overflow);
            if (n > 0) {
                packets += n;
                bytes += capture.bytesUsed() - (long) n * BatchRecordDescriptor.HEADER_LENGTH;
                packetsOut.lazySet(packets);
                bytesOut.lazySet(bytes);
            } else if (n == LiveCapture.STOPPED) {
                return null;
            } else if (n == LiveCapture.FAILED) {
                return capture.error();
            }
        }
    }

    /** Live: packets read so far, as last published by the capture thread (any thread). */
    long packetsRead() {
        return packetsOut.get();
    }

    /** Live: bytes captured so far (record padding excluded), as last published (any thread). */
    long bytesRead() {
        return bytesOut.get();
    }

    /** Live: packets dropped at a full ring so far (read by any thread; a plain long, torn never on 64-bit). */
    long ringDrops() {
        return dispatcher.dropped();
    }

    /** The workers, for their published counters. */
    FlowWorker[] workers() {
        return workers;
    }

    /** Waits until every worker has handled every packet handed to it so far (tests: a quiet point). */
    void awaitIdle() {
        for (int w = 0; w < workers.length; w++) {
            while (workers[w].processed() < dispatcher.queued(w)) {
                LockSupport.parkNanos(50_000);
            }
        }
    }

    /** The worker threads, for their ids. */
    Thread[] threads() {
        return threads;
    }

    /**
     * Ends the input, joins the workers, returns all flows in {@link FileAnalysis#FLOW_ORDER}, and
     * the first failure of a worker (null when none): the flows it emitted before it failed are
     * kept, and the other workers' too.
     */
    EndedFlows finish() {
        dispatcher.end();
        captureCpuNanos = ThreadCpuClock.nanos() - captureCpuStart;
        boolean interrupted = false;
        for (Thread t : threads) {
            while (true) {
                try {
                    t.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true; // the workers end on their own once they read the end message
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        final List<FlowSpill> spills = new ArrayList<>(workers.length);
        for (FlowWorker w : workers) {
            if (w.flows() instanceof FlowSpill spill) {
                try {
                    spill.finish();
                } catch (RuntimeException | Error e) {
                    w.failed(e);
                }
                spills.add(spill);
            }
        }
        return new EndedFlows(spills);
    }

    /** After {@link #finish}: the first worker failure (the worker stopped analysing there), or null. */
    WorkerFailure failure() {
        for (FlowWorker w : workers) {
            if (w.failure() != null) {
                return new WorkerFailure(w.id(), w.failure());
            }
        }
        return null;
    }

    /** After {@link #finish}: the counters of every stage. */
    PipelineStats stats(final String reader) {
        final int n = workers.length;
        final long[] processed = new long[n];
        final long[] flows = new long[n];
        final long[] cpu = new long[n];
        final long[] busy = new long[n];
        final Histogram latency = new Histogram(FlowWorker.MAX_LATENCY_NANOS, 3);
        for (int w = 0; w < n; w++) {
            processed[w] = workers[w].processed();
            flows[w] = workers[w].table().flowsCreated();
            cpu[w] = workers[w].cpuNanos();
            busy[w] = workers[w].busyNanos();
            latency.add(workers[w].latency());
        }
        final long[] status = decodeStatus.clone();
        dispatcher.addDecodeStatus(status);
        long notForFlows = dispatcher.notForFlows();
        final long[] owned = new long[n];
        for (int w = 0; w < n; w++) {
            for (int i = 0; i < status.length; i++) {
                status[i] += workers[w].decodeStatus[i];
            }
            notForFlows += workers[w].notForFlows;
            owned[w] = workers[w].owned;
        }
        long evicted = 0;
        for (FlowWorker w : workers) {
            evicted += w.table().flowsEvicted();
        }
        return new PipelineStats(reader, packets, status, notForFlows,
                owned, dispatcher.ringFullWaits(), dispatcher.dropped(), processed, flows, latency,
                captureCpuNanos, cpu, busy, evicted, maxFlows * (long) workers.length);
    }
}
