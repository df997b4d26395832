package io.mraflow.pipeline;

import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

/**
 * How the packet pipeline is laid out. Immutable; any thread.
 *
 * @param workers         worker threads, each with its own flow table and ring (1 to
 *                        {@link #maxWorkers(int)}; with 1 the capture thread still hands packets
 *                        to one worker thread)
 * @param ringCapacity    bytes of each capture-to-worker ring, a power of two of at least
 *                        8 times a batch ({@link #minRingCapacity})
 * @param batchBytes      bytes claimed for one batch of packets in a ring (see {@link PacketBatchDescriptor});
 *                        a packet larger than a batch goes alone, cut to an eighth of the ring at most
 * @param nativeBatch     read files through the native batch reader when it is available;
 *                        false forces the JNA {@code pcap_next_ex} path ({@code CaptureFiles.open})
 * @param dropWhenFull    live input: count and drop a packet whose worker's ring is full instead
 *                        of waiting (files always wait: nothing is dropped)
 * @param progress        print a progress line on stderr while reading
 * @param spillChunkFlows ended flows each worker keeps in memory before writing them to a
 *                        temporary file as a sorted run ({@link FlowSpill}); 0 sizes it to the heap
 *                        ({@link MemoryBudget#spillChunkFlows()})
 * @param rtpClockHz      clock rate of RTP's dynamic payload types for their jitter
 *                        ({@code --rtp-clock}); 0 when unknown
 * @param rtpTimelines    keep each RTP stream's timeline (packets, loss and jitter over time) for
 *                        the HTML report's plots ({@code --html}); nothing else reads it
 */
public record PipelineConfig(int workers, int ringCapacity, int batchBytes, boolean nativeBatch,
                             boolean dropWhenFull, boolean progress, int spillChunkFlows, int rtpClockHz,
                             boolean rtpTimelines) {
    /** Set to {@code false} to force the {@code pcap_next_ex} path ({@code -Dmraflow.nativeBatch=false}). */
    public static final String NATIVE_BATCH_PROPERTY = "mraflow.nativeBatch";
    /** 4 MiB: the largest packet libpcap delivers (256 KiB) fits one message (an eighth of the ring). */
    public static final int DEFAULT_RING_CAPACITY = 4 << 20;
    /**
     * Most workers on any machine: one capture thread feeds them all and spends, per packet, a
     * large part of what a worker spends (their ns/packet: BENCHMARKS.md, Whole runs), so a few
     * workers keep up with it;
     * 64 leaves room for heavier inspection on large machines. Memory may allow fewer
     * ({@link #maxWorkers}).
     */
    public static final int MAX_WORKERS = 64;

    public PipelineConfig {
        if (rtpClockHz < 0) {
            throw new IllegalArgumentException("rtpClockHz " + rtpClockHz + " < 0");
        }
        if (spillChunkFlows < 0) {
            throw new IllegalArgumentException("spillChunkFlows " + spillChunkFlows + " < 0");
        }
        if (batchBytes < PacketBatchDescriptor.lengthFor(0)) {
            throw new IllegalArgumentException("batchBytes " + batchBytes + " < " + PacketBatchDescriptor.lengthFor(0));
        }
        if (Integer.bitCount(ringCapacity) != 1 || ringCapacity < minRingCapacity(batchBytes)) {
            throw new IllegalArgumentException("ring capacity " + ringCapacity + " is not a power of two of at least "
                    + minRingCapacity(batchBytes));
        }
        if (workers < 1 || workers > maxWorkers(ringCapacity)) {
            throw new IllegalArgumentException("workers " + workers + " is not from 1 to " + maxWorkers(ringCapacity)
                    + " (at most " + MAX_WORKERS + ", and rings of " + ringCapacity
                    + " bytes in half the direct memory)");
        }
    }

    /**
     * The most workers whose rings of {@code ringCapacity} bytes take at most half of the JVM's
     * direct memory (the rest is the batch reader's and NIO's), and never more than
     * {@link #MAX_WORKERS}; at least 1. The direct memory is taken to be the heap's maximum, the
     * JVM's default; a smaller {@code -XX:MaxDirectMemorySize} is not visible without the
     * management API, whose first use lengthens every start (BENCHMARKS.md, Start-up and JIT).
     */
    public static int maxWorkers(final int ringCapacity) {
        final long ring = (long) ringCapacity + RingBufferDescriptor.TRAILER_LENGTH;
        return (int) Math.max(1, Math.min(MAX_WORKERS, Runtime.getRuntime().maxMemory() / 2 / ring));
    }

    /** Agrona's rings take messages of at most an eighth of their capacity. */
    public static int minRingCapacity(final int batchBytes) {
        final int largest = batchBytes + 8; // + ring record header
        int c = 64;
        while (c < 8 * largest) {
            c <<= 1;
        }
        return c;
    }

    /**
     * The number of workers when none is given: the cores minus one for the capture thread, at
     * least 1 and at most {@link #maxWorkers(int)} of the default ring.
     */
    public static int defaultWorkers() {
        return Math.max(1, Math.min(maxWorkers(DEFAULT_RING_CAPACITY), Runtime.getRuntime().availableProcessors() - 1));
    }

    /** Default workers, rings and payload bound; native batch unless the system property says false; progress on a terminal. */
    public static PipelineConfig defaults() {
        return new PipelineConfig(defaultWorkers(), DEFAULT_RING_CAPACITY, PacketBatchDescriptor.BATCH_BYTES,
                !"false".equalsIgnoreCase(System.getProperty(NATIVE_BATCH_PROPERTY)), false, stderrIsTerminal(), 0, 0, false);
    }

    /**
     * Whether stderr is a terminal: {@code System.console() != null} (stdin and stdout are), or on
     * Linux, file descriptor 2 is a terminal device, so that {@code > out.json} keeps the progress line.
     */
    @SuppressWarnings("SystemConsoleNull") // on Java 17, the runtime here, console() is null without a terminal
    static boolean stderrIsTerminal() {
        if (System.console() != null) {
            return true;
        }
        try {
            final String target = java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of("/proc/self/fd/2")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (java.io.IOException | UnsupportedOperationException | SecurityException e) {
            return false;
        }
    }

    public PipelineConfig withWorkers(final int n) {
        return new PipelineConfig(n, ringCapacity, batchBytes, nativeBatch, dropWhenFull, progress, spillChunkFlows, rtpClockHz, rtpTimelines);
    }

    public PipelineConfig withRing(final int capacity, final int batchBytes) {
        return new PipelineConfig(workers, capacity, batchBytes, nativeBatch, dropWhenFull, progress, spillChunkFlows, rtpClockHz, rtpTimelines);
    }

    public PipelineConfig withNativeBatch(final boolean on) {
        return new PipelineConfig(workers, ringCapacity, batchBytes, on, dropWhenFull, progress, spillChunkFlows, rtpClockHz, rtpTimelines);
    }

    public PipelineConfig withDropWhenFull(final boolean on) {
        return new PipelineConfig(workers, ringCapacity, batchBytes, nativeBatch, on, progress, spillChunkFlows, rtpClockHz, rtpTimelines);
    }

    /** Ended flows each worker keeps in memory before spilling a sorted run to disk; 0 sizes it to the heap. */
    public PipelineConfig withSpillChunkFlows(final int flows) {
        return new PipelineConfig(workers, ringCapacity, batchBytes, nativeBatch, dropWhenFull, progress, flows, rtpClockHz, rtpTimelines);
    }

    /** Clock rate (Hz) of RTP's dynamic payload types, for their jitter; 0 when unknown. */
    public PipelineConfig withRtpClock(final int hz) {
        return new PipelineConfig(workers, ringCapacity, batchBytes, nativeBatch, dropWhenFull, progress, spillChunkFlows, hz, rtpTimelines);
    }

    /** Keep RTP timelines (for {@code --html}'s plots). */
    public PipelineConfig withRtpTimelines(final boolean on) {
        return new PipelineConfig(workers, ringCapacity, batchBytes, nativeBatch, dropWhenFull, progress, spillChunkFlows, rtpClockHz, on);
    }

    public PipelineConfig withProgress(final boolean on) {
        return new PipelineConfig(workers, ringCapacity, batchBytes, nativeBatch, dropWhenFull, on, spillChunkFlows, rtpClockHz, rtpTimelines);
    }
}
