package io.mraflow.pipeline;

/**
 * How the packet pipeline is laid out. Immutable; any thread.
 *
 * @param workers         worker threads, each with its own flow table (at least 1; with 1 the
 *                        capture thread still hands packets to one worker thread)
 * @param ringCapacity    bytes of each capture-to-worker ring, a power of two of at least
 *                        8 times the largest message ({@link #minRingCapacity})
 * @param maxPayloadBytes payload bytes carried per packet message (see {@link PacketMessageDescriptor})
 * @param nativeBatch     read files through the native batch reader when it is available;
 *                        false forces the JNA {@code pcap_next_ex} path ({@code CaptureFiles.open})
 * @param dropWhenFull    live input: count and drop a packet whose worker's ring is full instead
 *                        of waiting (files always wait: nothing is dropped)
 * @param progress        print a progress line on stderr while reading
 */
public record PipelineConfig(int workers, int ringCapacity, int maxPayloadBytes, boolean nativeBatch,
                             boolean dropWhenFull, boolean progress) {
    /** Set to {@code false} to force the {@code pcap_next_ex} path ({@code -Dmraflow.nativeBatch=false}). */
    public static final String NATIVE_BATCH_PROPERTY = "mraflow.nativeBatch";
    /** 512 KiB: some 1,400 MRA-sized packets of slack per worker, small enough to stay in cache. */
    public static final int DEFAULT_RING_CAPACITY = 512 << 10;

    public PipelineConfig {
        if (workers < 1) {
            throw new IllegalArgumentException("workers " + workers + " < 1");
        }
        if (maxPayloadBytes < 0) {
            throw new IllegalArgumentException("maxPayloadBytes " + maxPayloadBytes + " < 0");
        }
        if (Integer.bitCount(ringCapacity) != 1 || ringCapacity < minRingCapacity(maxPayloadBytes)) {
            throw new IllegalArgumentException("ring capacity " + ringCapacity + " is not a power of two of at least "
                    + minRingCapacity(maxPayloadBytes));
        }
    }

    /** Agrona's rings take messages of at most an eighth of their capacity. */
    public static int minRingCapacity(final int maxPayloadBytes) {
        final int largest = PacketMessageDescriptor.messageLength(maxPayloadBytes) + 8; // + ring record header
        int c = 64;
        while (c < 8 * largest) {
            c <<= 1;
        }
        return c;
    }

    /** The number of workers when none is given: the cores minus one for the capture thread, at least 1. */
    public static int defaultWorkers() {
        return Math.max(1, Runtime.getRuntime().availableProcessors() - 1);
    }

    /** Default workers, rings and payload bound; native batch unless the system property says false; progress on a terminal. */
    public static PipelineConfig defaults() {
        return new PipelineConfig(defaultWorkers(), DEFAULT_RING_CAPACITY, PacketMessageDescriptor.DEFAULT_MAX_PAYLOAD,
                !"false".equalsIgnoreCase(System.getProperty(NATIVE_BATCH_PROPERTY)), false, stderrIsTerminal());
    }

    /**
     * Whether stderr is a terminal: {@code System.console() != null} (stdin and stdout are), or on
     * Linux, file descriptor 2 is a terminal device, so that {@code > out.json} keeps the progress line.
     */
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
        return new PipelineConfig(n, ringCapacity, maxPayloadBytes, nativeBatch, dropWhenFull, progress);
    }

    public PipelineConfig withRing(final int capacity, final int payloadBound) {
        return new PipelineConfig(workers, capacity, payloadBound, nativeBatch, dropWhenFull, progress);
    }

    public PipelineConfig withNativeBatch(final boolean on) {
        return new PipelineConfig(workers, ringCapacity, maxPayloadBytes, on, dropWhenFull, progress);
    }

    public PipelineConfig withDropWhenFull(final boolean on) {
        return new PipelineConfig(workers, ringCapacity, maxPayloadBytes, nativeBatch, on, progress);
    }

    public PipelineConfig withProgress(final boolean on) {
        return new PipelineConfig(workers, ringCapacity, maxPayloadBytes, nativeBatch, dropWhenFull, on);
    }
}
