package io.mraflow.pipeline;

import io.mraflow.flow.FlowTableConfig;

/**
 * How an analysis shares out the heap, so that memory does not grow with the capture: the flow
 * tables of all workers together get {@value #TABLE_SHARE} of it (each holds at most its
 * {@link FlowTableConfig#maxFlows()} and evicts beyond), and the ended flows waiting in memory for
 * the report get {@value #SPILL_SHARE} (the rest wait on disk, see {@link FlowSpill}). The rest is
 * the JVM's, the young generation's and the report's, which holds one flow's verdict at a time.
 *
 * @param heapBytes the heap's maximum ({@code Runtime.maxMemory()})
 * @param workers   worker threads, each with one table and one spill
 */
public record MemoryBudget(long heapBytes, int workers) {
    static final double TABLE_SHARE = 0.45;
    static final double SPILL_SHARE = 0.10;
    /**
     * Heap bytes of one ended flow waiting in memory: the FlowRecord (~190), its history string
     * (~50) and its payload state (~260, more with an SNI; a DNS flow's question and answers,
     * compacted when it ends, add their size, ~100 to 600).
     */
    static final int BYTES_PER_ENDED_FLOW = 640;

    public MemoryBudget {
        if (workers < 1) {
            throw new IllegalArgumentException("workers " + workers + " < 1");
        }
    }

    /** The budget of this JVM's heap. */
    public static MemoryBudget ofThisJvm(final int workers) {
        return new MemoryBudget(Runtime.getRuntime().maxMemory(), workers);
    }

    /** {@code base} with each worker's table bounded to its share. */
    public FlowTableConfig flowTable(final FlowTableConfig base) {
        return base.withinHeap((long) (heapBytes * TABLE_SHARE / workers));
    }

    /** Ended flows each worker keeps in memory before it writes them out as a sorted run. */
    public int spillChunkFlows() {
        return (int) Math.max(1024, Math.min(Integer.MAX_VALUE - 8,
                heapBytes * SPILL_SHARE / workers / BYTES_PER_ENDED_FLOW));
    }
}
