package io.mraflow.pipeline;

import io.mraflow.capture.CapturedPacket;
import io.mraflow.capture.LiveCapture;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;

/**
 * The capture thread's hand-off of packets to the workers: {@link PacketDispatcher} for one
 * worker (the reader writes into its ring, the worker decodes), {@link PacketRouter} for several
 * (the capture thread decodes once and routes each packet to its flow's worker by reference).
 * Every method but the counters is called by the capture thread only. File input waits when the
 * workers are behind (nothing is dropped); live input counts the packets it could not queue.
 */
interface Dispatcher {
    /** Queues one packet read one by one (the fallback readers, a packet larger than a batch). */
    void dispatch(CapturedPacket p);

    /**
     * Has the native reader of {@code input} read its next batch and queues it. Returns what
     * {@link FileInput#nextBatch} returns: the packets, 0 at the end of the file, or
     * {@link FileInput#ONE_BY_ONE} (the caller then takes the next packet with
     * {@link FileInput#next} and {@link #dispatch}).
     */
    int dispatchBatch(FileInput input);

    /**
     * Has {@code capture} read what it has and queues it. Returns the packets, or what
     * {@link LiveCapture#nextBatch} answered instead ({@code NOTHING_YET}, {@code STOPPED},
     * {@code FAILED}). When the workers are behind the batch is read into {@code overflow}
     * ({@link #maxBatchLength} bytes) and its packets counted as {@link #dropped}, so the kernel's
     * buffer keeps draining and libpcap's own drop counters stay for the kernel's drops.
     */
    int dispatchLive(LiveCapture capture, UnsafeBuffer overflow);

    /** The largest batch: what the overflow of {@link #dispatchLive} must hold, a packet of any snap length. */
    int maxBatchLength();

    /** Publishes what is open (end of a file, before waiting for the workers). */
    void flushAll();

    /** Publishes what is open and tells every worker the input ended; waits for room, even for live input. */
    void end();

    /** Packets queued to worker {@code w} so far. */
    long queued(int w);

    /** Batches that waited for the workers (file input). */
    long ringFullWaits();

    /** Packets dropped because the workers were behind (live input); any thread (a plain long, torn never on 64-bit). */
    long dropped();

    /** Adds the packets this dispatcher decoded, per decode status, to {@code status}. */
    void addDecodeStatus(long[] status);

    /** Packets this dispatcher decoded that no flow uses. */
    long notForFlows();

    /**
     * Sends the end message ({@link PacketBatchDescriptor#MSG_END}) down {@code ring}, waiting for
     * room: it carries the latest packet time of the input, {@code Long.MIN_VALUE} when the worker
     * saw every packet and knows it itself.
     */
    static void sendEnd(final OneToOneRingBuffer ring, final long latestNanos, final IdleStrategy idle) {
        int index;
        while ((index = ring.tryClaim(PacketBatchDescriptor.MSG_END, PacketBatchDescriptor.END_LENGTH)) < 0) {
            idle.idle();
        }
        idle.reset();
        ring.buffer().putLong(index, latestNanos);
        ring.commit(index);
    }
}
