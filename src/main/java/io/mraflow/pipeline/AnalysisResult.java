package io.mraflow.pipeline;

import io.mraflow.capture.CaptureDamage;

import java.util.List;

/**
 * What one analysis run saw: the flows (ordered by first packet, then by addresses and ports),
 * packet counters, and every problem met while reading the input. {@link #close} releases the
 * temporary files the flows may be kept in.
 *
 * @param flows              every flow, ordered, readable as often as needed
 * @param packets            packets read from all inputs
 * @param decodeStatus       packets per {@link io.mraflow.decode.DecodeStatus} value
 * @param problems           one line per input problem (unreadable file, damage, unsupported link)
 * @param damaged            inputs read only up to damage
 * @param inputsUnreadable   inputs that could not be opened at all
 * @param elapsedNanos       wall time of the packet loop (start-up excluded)
 * @param pipeline           per-stage counters, evictions and the ring latency histogram
 * @param packetsUnsupported packets of a link type the decoder does not know: read, not analysed
 * @param failure            a worker that stopped analysing (out of memory, a full disk), or null
 */
public record AnalysisResult(
        EndedFlows flows,
        long packets,
        long[] decodeStatus,
        List<String> problems,
        List<CaptureDamage> damaged,
        int inputsUnreadable,
        long elapsedNanos,
        PipelineStats pipeline,
        long packetsUnsupported,
        WorkerFailure failure) implements AutoCloseable {

    /** True when no packet could be read from any input. */
    public boolean nothingRead() {
        return packets == 0 && (inputsUnreadable > 0 || !damaged.isEmpty());
    }

    /** True when some input could not be read to its end, or some packets it held were not analysed. */
    public boolean incomplete() {
        return inputsUnreadable > 0 || !damaged.isEmpty() || packetsUnsupported > 0;
    }

    /** Flows ended early because the flow tables were full (each still reported, cut short). */
    public long flowsEvicted() {
        return pipeline.flowsEvicted();
    }

    @Override
    public void close() {
        flows.close();
    }
}
