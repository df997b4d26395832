package io.mraflow.pipeline;

import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The batches of a pipeline with several workers: slabs of direct memory that the capture thread
 * fills with packet records ({@code BatchRecordDescriptor}) and decodes; the workers read the
 * packets' bytes there by reference (the payload inspectors), from the decoded records their
 * messages carry ({@link RoutedBatchDescriptor}).
 *
 * <p>Slabs are used in turn: the {@code s}-th batch of the run (its sequence) lives in slab
 * {@code s % count}. A worker is done with a slab when it has handled its message, and says so
 * by publishing that sequence ({@link #release}, an ordered store; it reads its ring in order, so
 * it is then done with every earlier slab too). The capture thread fills a slab again only once
 * every worker it sent packets of the slab has released it ({@link #isFree}). No lock, nothing
 * allocated per packet; a slab grows once, on the first packet larger than a batch.
 *
 * <p>Threads: the capture thread writes a slab between {@link #isFree} and the messages it
 * commits; a worker reads it from its message until its {@link #release}. The ring's commit
 * (ordered store) and read (volatile load) order the writes before the reads, and the release
 * counters order the reads before the next writes.
 */
final class SlabPool {
    /** Longs between two workers' release counters: each on a cache line of its own (128 bytes, prefetch pairs). */
    private static final int STRIDE = 16;

    /** One slab. */
    static final class Slab {
        /** The packet records; {@link #grow} may replace the memory while the slab is free. */
        final UnsafeBuffer buffer;
        /** The sequence of its latest use, -1 before the first. */
        long sequence = -1;
        /** The workers it was sent to in that use (bit {@code w} for worker {@code w}); capture thread only. */
        long workers;

        Slab(final int bytes) {
            buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(bytes));
        }

        /** Capture thread, on a free slab: room for at least {@code bytes}. */
        void grow(final int bytes) {
            if (buffer.capacity() < bytes) {
                buffer.wrap(ByteBuffer.allocateDirect(bytes));
            }
        }
    }

    private final Slab[] slabs;
    private final AtomicLongArray released;

    /**
     * @param count   slabs
     * @param bytes   bytes of each slab at first (a batch)
     * @param workers workers that release slabs (at most 64: one bit each)
     */
    SlabPool(final int count, final int bytes, final int workers) {
        if (workers > Long.SIZE) {
            throw new IllegalArgumentException("workers " + workers + " > " + Long.SIZE);
        }
        slabs = new Slab[count];
        for (int i = 0; i < count; i++) {
            slabs[i] = new Slab(bytes);
        }
        released = new AtomicLongArray(workers * STRIDE);
        for (int w = 0; w < workers; w++) {
            released.set(w * STRIDE, -1);
        }
    }

    /** The slab of {@code sequence}; any thread. */
    Slab slab(final long sequence) {
        return slabs[(int) (sequence % slabs.length)];
    }

    /** Worker {@code w}, once it no longer reads the slab of {@code sequence} (nor any before it). */
    void release(final int w, final long sequence) {
        released.lazySet(w * STRIDE, sequence);
    }

    /** Capture thread: whether every worker sent packets of {@code slab} in its latest use has released it. */
    boolean isFree(final Slab slab) {
        long pending = slab.workers;
        while (pending != 0) {
            final int w = Long.numberOfTrailingZeros(pending);
            if (released.get(w * STRIDE) < slab.sequence) {
                slab.workers = pending; // those seen released need not be asked again
                return false;
            }
            pending &= pending - 1;
        }
        slab.workers = 0;
        return true;
    }
}
